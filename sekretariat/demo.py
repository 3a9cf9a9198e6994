"""The demo's political side: approved cases on the directors' lists, and a received case registered in
P360 and placed on its meeting's agenda, so the control page has something to show. Idempotent."""

from godkjenning.models import Motelistepunkt
from godkjenning.services import liste_legg_til
from overgang.organisasjon.models import Bruker
from saker.models import Registrering, Sak

from . import services
from .models import Sakslistepunkt


def lag_moteforberedelser() -> None:
    kari = Bruker.objects.get(username="kari")
    siri = Bruker.objects.get(username="siri")
    godkjente = Sak.objects.filter(saksbehandler__username="sara", onsket_mote__isnull=False,
                                   status__in=[Sak.Status.GODKJENT, Sak.Status.SENDT_SEKRETARIAT])
    for sak in godkjente:
        if not Motelistepunkt.objects.filter(sak=sak).exists():
            liste_legg_til(sak=sak, mote=sak.onsket_mote, av=kari)
        if sak.status != Sak.Status.SENDT_SEKRETARIAT:
            continue
        if not Registrering.objects.filter(sak=sak).exists():
            services.registrer_i_p360(sak=sak, av=siri, p360_saksnr="20/00042", p360_dokumentnr="20/00042-1")
        if not Sakslistepunkt.objects.filter(sak=sak).exists():
            services.saksliste_legg_til(mote=sak.onsket_mote, sak=sak, av=siri)
