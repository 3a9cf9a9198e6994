"""What the control's letter rules know about a decided case's vedtaksbrev, as subqueries on the case (an OuterRef
named by the caller). The rules (sekretariat.kontroll, annotated on each case) and the counts
(sekretariat.kontroll_telling, in aggregate filters) use the same ones, so they cannot drift apart.

A case's letters go, party by party: not yet made or sent (`mangler`), sent through SvarUt and on their way with
no final status (`venter`), then delivered, recorded by hand, or not delivered (`ikke_levert`) until the officer
explains it (saker.levering). Only `mangler` is "not sent"; a letter on its way is sent, and only a letter on its
way for longer than KONTROLL_LEVERINGSFRIST_DAGER is a concern (`venter`), which the officer can follow up and
explain.
"""

from __future__ import annotations

import datetime

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from saker.levering import ENDELIGE, ferdig, ikke_levert_uforklart
from saker.models import Forsendelse, Part


def mangler(sak: str) -> Q:
    """No party yet, or a party whose letter is not sent (not made, not sent, or failed)."""
    parter = Part.objects.filter(sak=OuterRef(sak))
    sendt = Forsendelse.objects.filter(part=OuterRef("pk"), status=Forsendelse.Status.SENDT)
    return ~Q(Exists(parter)) | Q(Exists(parter.exclude(Exists(sendt))))


def leveringsgrense(idag: datetime.date, dager: int) -> datetime.datetime:
    """The first moment of the local day `dager` days before `idag`: a letter sent before it was sent more than
    `dager` days ago, counted in local calendar days as the other rules count."""
    return timezone.make_aware(datetime.datetime.combine(idag - datetime.timedelta(days=dager), datetime.time.min))


def venter(sak: str, grense: datetime.datetime) -> Exists:
    """A letter sent through SvarUt before `grense` that has no final status yet and that nobody explained."""
    return Exists(Forsendelse.objects.filter(part__sak=OuterRef(sak), status=Forsendelse.Status.SENDT,
                                             kanal=Forsendelse.Kanal.SVARUT, sendt__lt=grense)
                  .exclude(svarut_status__in=ENDELIGE).exclude(ferdig()))


def ikke_levert(sak: str) -> Exists:
    """A letter SvarUt could not deliver and nobody explained (saker.levering.ikke_levert_uforklart)."""
    return Exists(ikke_levert_uforklart().filter(part__sak=OuterRef(sak)))


def fakta(sak: str, grense: datetime.datetime) -> dict:
    """The three facts as annotations, named as the rules read them from the case."""
    return {"brev_mangler": ExpressionWrapper(mangler(sak), output_field=BooleanField()),
            "brev_venter": venter(sak, grense), "brev_ikke_levert": ikke_levert(sak)}


FAKTA = ("brev_mangler", "brev_venter", "brev_ikke_levert")
