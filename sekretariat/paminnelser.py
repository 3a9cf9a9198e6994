"""The secretariat's reminder (run each working morning by overgang.varsler.paminnelser): a held meeting whose
outcomes are not all recorded. Registered in sekretariat.apps."""

import datetime
from collections.abc import Iterator

from django.db.models import Count, Q

from overgang.organisasjon.models import Mote
from overgang.organisasjon.selectors import sekretariatet
from overgang.varsler.paminnelser import Paminnelse, regel


@regel("utfall_mangler")
def utfall_mangler(idag: datetime.date) -> Iterator[Paminnelse]:
    moter = (Mote.objects.filter(status=Mote.Status.AVHOLDT)
             .annotate(apne=Count("sakslistepunkter", filter=Q(sakslistepunkter__utfall="")))
             .filter(apne__gt=0).select_related("utvalg"))
    mottakere = sekretariatet()
    for mote in moter:
        yield Paminnelse(
            objekt=mote, mottakere=mottakere,
            grunn=f"{mote.tekst} er avholdt, men utfallet er ikke registrert for {mote.apne} "
                  f"sak{'er' if mote.apne > 1 else ''}.",
            hva="Registrer utfallet for hver sak på møtets side.",
        )
