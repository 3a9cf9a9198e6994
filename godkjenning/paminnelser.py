"""Reminders about the directors' lists (run each working morning by overgang.varsler.paminnelser):
an approved case not yet sent before its meeting's saksfrist, and a listed case the secretariat has not
received by the saksfrist. Registered in godkjenning.apps."""

import datetime
from collections.abc import Iterator

from django.conf import settings

from overgang.organisasjon.models import Mote
from overgang.varsler.arbeidsdager import legg_til_arbeidsdager
from overgang.varsler.paminnelser import Paminnelse, regel
from saker.models import MOTTATTE, Sak
from saker.selectors import saksbehandlerne

from .models import Motelistepunkt


def _pa_kommende_lister():
    return (Motelistepunkt.objects.filter(status=Motelistepunkt.Status.AKTIV, mote__in=Mote.objects.kommende())
            .select_related("sak__saksbehandler", "sak__kommunalomrade", "mote__utvalg"))


@regel("sak_ikke_sendt_for_saksfrist")
def ikke_sendt(idag: datetime.date) -> Iterator[Paminnelse]:
    """An approved case on a coming meeting's list (or wished for one) is not sent to the secretariat N working
    days before the meeting's saksfrist."""
    frist_innen = legg_til_arbeidsdager(idag, settings.PAMINNELSE_SENDEFRIST_ARBEIDSDAGER)
    sett: set[int] = set()
    kandidater = [(p.sak, p.mote) for p in _pa_kommende_lister().filter(sak__status=Sak.Status.GODKJENT)]
    listet = {sak.pk for sak, _ in kandidater}  # a director's listing outranks the officer's wish
    kandidater += [(s, s.onsket_mote) for s in Sak.objects.filter(
        status=Sak.Status.GODKJENT, onsket_mote__in=Mote.objects.kommende()).select_related(
        "saksbehandler", "onsket_mote__utvalg") if s.pk not in listet]
    for sak, mote in kandidater:
        if sak.pk in sett or not (idag <= mote.saksfrist <= frist_innen):
            continue
        sett.add(sak.pk)
        yield Paminnelse(
            objekt=sak, mottakere=saksbehandlerne(sak),
            grunn=f"Saken «{sak.tittel_ut}» skal til {mote.tekst}, og saksfristen er {mote.saksfrist:%d.%m.%Y}.",
            hva="Send saken til politisk sekretariat før saksfristen.",
        )


@regel("liste_ikke_mottatt_ved_saksfrist")
def ikke_mottatt(idag: datetime.date) -> Iterator[Paminnelse]:
    """A case on a coming meeting's list that the secretariat has not received when the saksfrist has come:
    the director who keeps the list and the case officer are reminded."""
    for punkt in _pa_kommende_lister().filter(mote__saksfrist__lte=idag).exclude(sak__status__in=MOTTATTE):
        sak, mote = punkt.sak, punkt.mote
        yield Paminnelse(
            objekt=sak,
            mottakere=[*saksbehandlerne(sak), *sak.kommunalomrade.godkjennere.filter(is_active=True)],
            grunn=(f"Saken «{sak.tittel_ut}» står på listen til {mote.tekst}, men er ikke mottatt av sekretariatet, "
                   f"og saksfristen var {mote.saksfrist:%d.%m.%Y}."),
            hva="Saksbehandleren sender saken til sekretariatet, eller direktøren flytter den til et senere møte.",
        )
