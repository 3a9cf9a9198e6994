"""The case's own reminders (overgang.varsler.paminnelser runs them each working morning): a case waiting too
long for approval, and a vedtak whose letters have not reached every party. Registered in saker.apps."""

import datetime
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from overgang.organisasjon.models import Bruker, Rolle
from overgang.varsler.arbeidsdager import arbeidsdager_etter
from overgang.varsler.paminnelser import Paminnelse, regel

from .models import Forsendelse, Sak, Vedtak
from .selectors import kan_godkjenne, saksbehandlerne


def _godkjennere(sak: Sak) -> list[Bruker]:
    """Who decides the case now: the approver it was sent to while they still may, else the sector's."""
    if sak.godkjenner and sak.godkjenner.is_active and kan_godkjenne(sak.godkjenner, sak):
        return [sak.godkjenner]
    return list(sak.kommunalomrade.godkjennere.filter(is_active=True))


@regel("sak_venter_pa_godkjenning")
def venter_pa_godkjenning(idag: datetime.date) -> Iterator[Paminnelse]:
    """After N working days the approver is reminded; after M more, the rådmann too."""
    grense, eskaler = settings.PAMINNELSE_GODKJENNING_ARBEIDSDAGER, settings.PAMINNELSE_RADMANN_ARBEIDSDAGER
    radmenn = list(Bruker.objects.filter(er_radmann=True, is_active=True, groups__name=Rolle.GODKJENNER))
    for sak in (Sak.objects.filter(status=Sak.Status.TIL_GODKJENNING)
                .select_related("godkjenner", "kommunalomrade").order_by("status_endret")):
        dager = arbeidsdager_etter(timezone.localtime(sak.status_endret).date(), idag)
        if dager <= grense:
            continue
        mottakere = _godkjennere(sak)
        if dager > grense + eskaler:
            mottakere += [r for r in radmenn if r not in mottakere]
        yield Paminnelse(
            objekt=sak, mottakere=mottakere,
            grunn=f"Saken «{sak.tittel_ut}» ({sak.arkivsaksnr}) har ventet på godkjenning i {dager} arbeidsdager.",
            hva="Godkjenn saken, eller send den tilbake til saksbehandleren med en kommentar.",
        )


@regel("vedtaksbrev_ikke_sendt")
def vedtaksbrev_ikke_sendt(idag: datetime.date) -> Iterator[Paminnelse]:
    """A vedtak recorded N days ago whose letter has not gone to every party (forvaltningsloven § 27: the parties
    shall be told promptly)."""
    grense = idag - datetime.timedelta(days=settings.PAMINNELSE_VEDTAKSBREV_DAGER)
    usendt = Forsendelse.objects.filter(part__sak=OuterRef("sak")).exclude(status=Forsendelse.Status.SENDT)
    for vedtak in (Vedtak.objects.filter(sak__status=Sak.Status.VEDTATT)
                   .filter(Exists(usendt) | ~Exists(Forsendelse.objects.filter(part__sak=OuterRef("sak"))))
                   .select_related("sak__saksbehandler", "mote__utvalg")):
        registrert = timezone.localtime(vedtak.registrert).date()
        if registrert > grense:
            continue
        sak = vedtak.sak
        yield Paminnelse(
            objekt=sak, mottakere=saksbehandlerne(sak),
            grunn=(f"Vedtaket i «{sak.tittel_ut}» ble registrert {registrert:%d.%m.%Y}, og vedtaksbrevet er ikke sendt "
                   "til alle partene."),
            hva="Legg inn partene, lag vedtaksbrevet og send det (eller registrer forsendelsen).",
        )
