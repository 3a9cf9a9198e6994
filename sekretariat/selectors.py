"""What the secretariat's pages (and the case page's saksgang) read, each in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from overgang.organisasjon.models import Mote

from . import kontroll

# How far back the start page looks for held meetings that are not finished. Older ones are still on the
# meetings page, and a case they left without a meeting is still in `kontroll.saker_uten_mote`.
AVHOLDTE_DAGER = 60


@dataclass
class Startside:
    """The secretariat's start page: coming meetings, and past meetings of the last weeks not finished (not
    yet marked held, or with a discrepancy after the meeting). Each meeting carries its `kontroll`."""

    kommende: list[Mote]
    uferdige: list[Mote]


def startside(*, naa: datetime.datetime | None = None) -> Startside:
    """One query for the meetings (both kinds together, so the control runs once for all), and the control's."""
    naa = naa or timezone.now()
    kommende = Q(status=Mote.Status.PLANLAGT, tidspunkt__gte=naa)
    # A past meeting still planned has not been marked held: it is unfinished whatever its control says.
    tidligere = Q(status__in=[Mote.Status.PLANLAGT, Mote.Status.AVHOLDT], tidspunkt__lt=naa,
                  tidspunkt__gte=naa - datetime.timedelta(days=AVHOLDTE_DAGER))
    moter = list(Mote.objects.filter(kommende | tidligere).select_related("utvalg")
                 .annotate(antall_saker=Count("sakslistepunkter")).order_by("tidspunkt"))
    resultat = kontroll.kontroller(moter)
    for mote in moter:
        mote.kontroll = resultat[mote.pk]
    return Startside(
        kommende=[m for m in moter if m.tidspunkt >= naa],
        uferdige=[m for m in reversed(moter)
                  if m.tidspunkt < naa and (m.status == Mote.Status.PLANLAGT or not m.kontroll.klar)],
    )
