"""What the secretariat's pages (and the case page's saksgang) read, each in a fixed number of queries."""

import datetime
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import (
    Case,
    Count,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from godkjenning.models import Motelistepunkt
from overgang.organisasjon.models import Bruker, Mote
from saker.models import UNDER_BEHANDLING, Behandling, Dokument, Sak
from saker.selectors import synlige_saker

from . import kontroll, kontroll_telling
from .models import Sakslistepunkt

# How far back the start page looks for held meetings that are not finished. Older ones are still on the
# meetings page, and a case they left without a meeting is still in `kontroll.saker_uten_mote`.
AVHOLDTE_DAGER = 60


# The start page shows the work: coming meetings a page at a time, the unfinished ones of the last weeks, and
# the first of the received cases without a meeting (the control page of each meeting names the cases).
MOTER_PER_SIDE = 25
UTEN_MOTE_VIST = 20


@dataclass
class Startside:
    """The secretariat's start page: a page of coming meetings, and past meetings of the last weeks not finished
    (not yet marked held, or with a discrepancy after the meeting). Each meeting carries its `kontroll`, the
    counts per rule (kontroll_telling). Then the first received cases without a meeting, and how many there are."""

    kommende: Page
    uferdige: list[Mote]
    uten_mote: list[Sak]
    antall_uten_mote: int


def startside(*, naa: datetime.datetime | None = None, side: str | int | None = None) -> Startside:
    """A fixed number of queries however many meetings and cases: the coming meetings' count and page, the
    recent unfinished ones, the control's three counting queries, and the cases without a meeting (two)."""
    naa = naa or timezone.now()
    med_antall = med_antall_saker(Mote.objects.select_related("utvalg"))
    kommende = Paginator(med_antall_saker(Mote.objects.kommende().select_related("utvalg")).order_by("tidspunkt", "pk"),
                         MOTER_PER_SIDE).get_page(side)
    # A past meeting still planned has not been marked held: it is unfinished whatever its control says.
    tidligere = list(med_antall.filter(status__in=[Mote.Status.PLANLAGT, Mote.Status.AVHOLDT], tidspunkt__lt=naa,
                                       tidspunkt__gte=naa - datetime.timedelta(days=AVHOLDTE_DAGER))
                     .order_by("-tidspunkt", "-pk"))
    moter = [*kommende.object_list, *tidligere]
    resultat = kontroll_telling.telling(moter)
    for mote in moter:
        mote.kontroll = resultat[mote.pk]
    uten_mote = kontroll.uten_mote()
    return Startside(
        kommende=kommende,
        uferdige=[m for m in tidligere if m.status == Mote.Status.PLANLAGT or not m.kontroll.klar],
        uten_mote=list(uten_mote[:UTEN_MOTE_VIST]),
        antall_uten_mote=uten_mote.count(),
    )


def med_antall_saker(moter: QuerySet[Mote]) -> QuerySet[Mote]:
    """Each meeting with the number of cases on its agenda, counted per meeting shown (a correlated subquery on
    the agenda's meeting index), not by grouping every agenda item ever made."""
    antall = (Sakslistepunkt.objects.filter(mote=OuterRef("pk")).order_by().values("mote")
              .annotate(n=Count("pk")).values("n"))
    return moter.annotate(antall_saker=Coalesce(Subquery(antall), 0))


def saksgang_prefetch() -> Prefetch:
    """The case's handlings at meetings, oldest first, for its road on the case page (registered in
    sekretariat.apps as a part of saker's case page): one query for any number of cases."""
    return Prefetch("sakslistepunkter", queryset=Sakslistepunkt.objects.select_related(
        "mote__utvalg", "neste_mote__utvalg", "saksutskrift", "utfall_registrert_av").order_by("mote__tidspunkt", "pk"))


def neste_behandling(behandlinger: list[Behandling], behandling: Behandling) -> Behandling | None:
    """The next body on the route after this handling, from the case's handlings in any order."""
    senere = [b for b in behandlinger if b.rekkefolge > behandling.rekkefolge]
    return min(senere, key=lambda b: b.rekkefolge) if senere else None


def innkomne(bruker: Bruker, *, sok: str = "") -> QuerySet[Sak]:
    """Received cases not yet registered in P360, oldest first: the ones the secretariat still owes work."""
    saker = synlige_saker(bruker).filter(status=Sak.Status.SENDT_SEKRETARIAT, registrering__isnull=True)
    if sok:
        saker = saker.filter(Q(tittel__icontains=sok) | Q(arkivsaksnr__icontains=sok))
    return (
        saker
        .select_related("saksbehandler", "kommune", "arkivsystem", "onsket_mote__utvalg")
        .med_rute()
        .prefetch_related(Prefetch("dokumenter", Dokument.objects.filter(gjeldende=True).order_by("rolle", "filnavn"),
                                   to_attr="gjeldende_dokumenter"))
        # Cases from before the sending date was recorded fall back to their last change of status.
        .annotate(mottatt=Coalesce("sendt_sekretariat", "status_endret"))
        .order_by("mottatt", "pk")
    )


def saksliste(mote: Mote) -> list[Sakslistepunkt]:
    """The agenda in order, with what the page and the exports show (outcomes included), in one query."""
    return list(mote.sakslistepunkter.select_related("sak__saksbehandler", "sak__registrering", "saksutskrift",
                                                     "neste_mote__utvalg", "utfall_registrert_av")
                .order_by("rekkefolge", "pk"))


def kandidater(bruker: Bruker, mote: Mote, *, sok: str = "") -> QuerySet[Sak]:
    """Cases the secretariat may put on this agenda: approved or received and not yet decided, with the
    meeting's committee on their route, and not already on it. Those a director has listed for the meeting
    come first, then those wished for it, then the rest by title (the page offers the first few; a search
    finds the others)."""
    saker = (synlige_saker(bruker)
             .filter(status__in=UNDER_BEHANDLING, behandlinger__utvalg=mote.utvalg_id)
             .exclude(sakslistepunkter__mote=mote))
    if sok:
        saker = saker.filter(Q(tittel__icontains=sok) | Q(arkivsaksnr__icontains=sok))
    pa_listen = Exists(Motelistepunkt.objects.filter(sak=OuterRef("pk"), mote=mote,
                                                     status=Motelistepunkt.Status.AKTIV))
    onsket = Case(When(onsket_mote=mote.pk, then=Value(1)), default=Value(0))
    return saker.annotate(pa_listen=pa_listen, onsket=onsket).order_by("-pa_listen", "-onsket", "tittel", "pk")


def motevalg(mote: Mote, punkter: list[Sakslistepunkt]) -> dict[int, list]:
    """The meetings each case may go on to, as grouped choices: the next committee's coming meetings (for an
    innstilling) and the later ones of this committee (for a postponement). Two queries for the whole agenda:
    the cases' routes and the coming meetings. Sets `neste_utvalg` on each item for the page."""
    prefetch_related_objects(punkter, Prefetch("sak__behandlinger", Behandling.objects.select_related("utvalg")))
    for punkt in punkter:
        rute = list(punkt.sak.behandlinger.all())
        behandling = next((b for b in rute if b.pk == punkt.behandling_id), None) or next(
            (b for b in rute if b.utvalg_id == punkt.utvalg_id), None)
        neste = neste_behandling(rute, behandling) if behandling else None
        punkt.neste_utvalg = neste.utvalg if neste else None
    utvalg = {mote.utvalg_id} | {p.neste_utvalg.pk for p in punkter if p.neste_utvalg}
    senere = list(Mote.objects.kommende(mote.tidspunkt).filter(utvalg__in=utvalg).select_related("utvalg"))
    valg = {}
    for punkt in punkter:
        grupper = []
        if punkt.neste_utvalg:
            neste_moter = [(m.pk, m.med_klokkeslett) for m in senere if m.utvalg_id == punkt.neste_utvalg.pk]
            punkt.ingen_neste_mote = not neste_moter
            if neste_moter:
                grupper.append((f"Innstilling til {punkt.neste_utvalg.navn}", neste_moter))
        egne = [(m.pk, m.med_klokkeslett) for m in senere if m.utvalg_id == mote.utvalg_id]
        if egne:
            grupper.append((f"Utsatt til et senere møte i {mote.utvalg.navn}", egne))
        valg[punkt.pk] = grupper
    return valg


