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

from . import kontroll_telling, uplasserte
from .models import Sakslistepunkt
from .motebok_modell import MotePdf

# How far back the start page looks for held meetings that are not finished. Older ones are still on the
# meetings page, and a case they left without a meeting is still in `uplasserte.saker_uten_mote`.
AVHOLDTE_DAGER = 60


# The start page leads with the work: received cases to register, past meetings waiting for their outcomes,
# received cases without a meeting, past meetings with other loose ends; then the coming meetings a page at a
# time, each with how ready its cases are (the control page of each meeting names the cases).
MOTER_PER_SIDE = 25
UTEN_MOTE_VIST = 20


@dataclass(frozen=True)
class Fanetall:
    """The work counted on the secretariat's tabs (templates/sekretariat/_meny.html)."""

    innkomne: int  # received and not registered in P360: the intake page's cases
    venter_pa_utfall: int  # recent past meetings with a case whose outcome is not recorded


def _venter_pa_utfall(naa: datetime.datetime) -> QuerySet[Mote]:
    """Meetings of the last AVHOLDTE_DAGER days, held or not yet marked held, with an agenda item without an
    outcome: the secretariat records those outcomes next (an unmarked meeting is marked held first)."""
    apne = Sakslistepunkt.objects.filter(mote=OuterRef("pk"), utfall="")
    return Mote.objects.filter(status__in=[Mote.Status.PLANLAGT, Mote.Status.AVHOLDT], tidspunkt__lt=naa,
                               tidspunkt__gte=naa - datetime.timedelta(days=AVHOLDTE_DAGER)).filter(Exists(apne))


def _innkomne() -> QuerySet[Sak]:
    return Sak.objects.filter(status=Sak.Status.SENDT_SEKRETARIAT, registrering__isnull=True)


def fanetall(*, naa: datetime.datetime | None = None) -> Fanetall:
    """Both counts in one query (two counting subqueries, each on an indexed status), for every page with the
    tabs."""
    naa = naa or timezone.now()
    # A one-row UNION ALL of the two counts keeps it to one round trip on any backend.
    innkomne = _innkomne().order_by().annotate(hva=Value(1)).values("hva").annotate(n=Count("pk")).values("hva", "n")
    venter = (_venter_pa_utfall(naa).order_by().annotate(hva=Value(2)).values("hva").annotate(n=Count("pk"))
              .values("hva", "n"))
    tall = {rad["hva"]: rad["n"] for rad in innkomne.union(venter, all=True)}
    return Fanetall(innkomne=tall.get(1, 0), venter_pa_utfall=tall.get(2, 0))


@dataclass
class Startside:
    """The secretariat's start page. The work first: how many received cases wait for registration in P360
    (`fanetall`), past meetings of the last weeks waiting for outcomes (`venter_pa_utfall`, each with
    `antall_apne`), the first received cases without a meeting and how many there are, and past meetings with
    other loose ends (`andre_uferdige`: not marked held with no cases, letters not sent, postponed cases not
    placed). Then a page of coming meetings. Each meeting carries its `kontroll` (kontroll_telling.Telling:
    discrepancies, relevant cases and their readiness steps)."""

    fanetall: Fanetall
    venter_pa_utfall: list[Mote]
    uten_mote: list[Sak]
    antall_uten_mote: int
    andre_uferdige: list[Mote]
    kommende: Page


def startside(*, naa: datetime.datetime | None = None, side: str | int | None = None) -> Startside:
    """A fixed number of queries however many meetings and cases: the tabs' counts, the coming meetings' count
    and page, the recent past ones, the control's three counting queries, and the cases without a meeting
    (two)."""
    naa = naa or timezone.now()
    kommende = Paginator(med_antall_saker(Mote.objects.kommende().select_related("utvalg")).order_by("tidspunkt", "pk"),
                         MOTER_PER_SIDE).get_page(side)
    apne = (Sakslistepunkt.objects.filter(mote=OuterRef("pk"), utfall="").order_by().values("mote")
            .annotate(n=Count("pk")).values("n"))
    tidligere = list(med_antall_saker(Mote.objects.select_related("utvalg"))
                     .filter(status__in=[Mote.Status.PLANLAGT, Mote.Status.AVHOLDT], tidspunkt__lt=naa,
                             tidspunkt__gte=naa - datetime.timedelta(days=AVHOLDTE_DAGER))
                     .annotate(antall_apne=Coalesce(Subquery(apne), 0))
                     .order_by("tidspunkt", "pk"))
    moter = [*kommende.object_list, *tidligere]
    resultat = kontroll_telling.telling(moter)
    for mote in moter:
        mote.kontroll = resultat[mote.pk]
    uten_mote = uplasserte.uten_mote()
    return Startside(
        fanetall=fanetall(naa=naa),
        # The same meetings `fanetall` counts, oldest first: the longest waiting comes first.
        venter_pa_utfall=[m for m in tidligere if m.antall_apne],
        uten_mote=list(uten_mote[:UTEN_MOTE_VIST]),
        antall_uten_mote=uten_mote.count(),
        # A past meeting still planned has not been marked held: it is unfinished whatever its control says.
        andre_uferdige=[m for m in tidligere if not m.antall_apne
                        and (m.status == Mote.Status.PLANLAGT or not m.kontroll.klar)],
        kommende=kommende,
    )


def med_antall_saker(moter: QuerySet[Mote]) -> QuerySet[Mote]:
    """Each meeting with the number of cases on its agenda, counted per meeting shown (a correlated subquery on
    the agenda's meeting index), not by grouping every agenda item ever made."""
    antall = (Sakslistepunkt.objects.filter(mote=OuterRef("pk")).order_by().values("mote")
              .annotate(n=Count("pk")).values("n"))
    return moter.annotate(antall_saker=Coalesce(Subquery(antall), 0))


def saksgang_prefetch() -> Prefetch:
    """The case's handlings at meetings, oldest first, for its road on the case page (registered in
    sekretariat.apps as a part of saker's case page): one query for any number of cases. `har_motebok`: the
    meeting's møtebok has been made, so the page links to it (sekretariat.views_motebok checks it is current)."""
    motebok = MotePdf.objects.filter(mote=OuterRef("mote"), slag=MotePdf.Slag.MOTEBOK, status=MotePdf.Status.FERDIG)
    return Prefetch("sakslistepunkter", queryset=Sakslistepunkt.objects.select_related(
        "mote__utvalg", "neste_mote__utvalg", "saksutskrift", "utfall_registrert_av")
        .annotate(har_motebok=Exists(motebok)).order_by("mote__tidspunkt", "pk"))


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


