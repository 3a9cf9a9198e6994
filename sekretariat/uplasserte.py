"""Received cases that no meeting will take: the list the secretariat's start page shows under the meetings, so a
case that fell off every list and agenda is still seen. The control of each meeting (sekretariat.kontroll) checks
the cases relevant to a meeting; these are the ones relevant to none."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet

from godkjenning.models import Motelistepunkt
from overgang.organisasjon.models import Mote
from saker.models import Sak
from sekretariat.kontroll import SAK_RELASJONER
from sekretariat.models import VIDEREFORENDE, Sakslistepunkt


def saker_uten_mote() -> list[Sak]:
    """Received cases that no meeting will take: on no active director list of a planned meeting and on the
    agenda of no meeting that is planned or held. Oldest first.

    A held meeting's agenda counts as placed while the outcome is missing (`uten_utfall` flags it) or when it
    finished the case there (vedtak, trukket). An innstilling or a postponement sends the case on, so that item
    no longer places it: if the next placement is removed, or never made, the case shows here. A held or
    cancelled meeting's list does not count: a case left only there has fallen out. A planned meeting counts
    by its status, not its date, so a meeting not yet marked held keeps its cases.
    """
    return list(uten_mote())


def uten_mote() -> QuerySet[Sak]:
    """`saker_uten_mote` as a queryset, for a page that shows the first of them and the count."""
    pa_liste = Motelistepunkt.objects.filter(
        sak=OuterRef("pk"), status=Motelistepunkt.Status.AKTIV, mote__status=Mote.Status.PLANLAGT)
    pa_saksliste = (Sakslistepunkt.objects.filter(sak=OuterRef("pk")).exclude(mote__status=Mote.Status.AVLYST)
                    .exclude(utfall__in=VIDEREFORENDE))
    # Only a case still with the secretariat needs a meeting; a decided, withdrawn or closed one has finished
    # its route. (Filtering on the status uses its index, instead of testing every case ever received.)
    return (
        Sak.objects.filter(status=Sak.Status.SENDT_SEKRETARIAT)
        .exclude(Exists(pa_liste))
        .exclude(Exists(pa_saksliste))
        .select_related(*SAK_RELASJONER)
        .order_by("sendt_sekretariat", "pk")
    )

