"""Which cases and list entries an approver may act on, and the directors' lists page read in a fixed
number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404

from overgang.organisasjon.models import Bruker, Mote, Utvalg
from saker.models import UNDER_BEHANDLING, Behandling, Sak
from saker.selectors import godkjenner_omfang, venter_pa

from .models import Motelistepunkt


def listesaker(bruker: Bruker) -> QuerySet[Sak]:
    """The cases whose list entries `bruker` may keep: the approver's scope (saker.selectors.godkjenner_omfang),
    the same cases they may approve."""
    return Sak.objects.filter(godkjenner_omfang(bruker))


def innboks(bruker: Bruker) -> QuerySet[Sak]:
    """Til godkjenning: the cases waiting for this approver, oldest first, with what the list shows."""
    return (venter_pa(bruker).select_related("saksbehandler", "kommunalomrade", "godkjenner", "onsket_mote__utvalg")
            .med_rute().order_by("status_endret"))


def godkjente_listesaker(bruker: Bruker) -> QuerySet[Sak]:
    """The approved cases still on their way (received by the secretariat or not) that `bruker` may put on a
    list. A decided, withdrawn or closed case has finished its route and is never offered."""
    return listesaker(bruker).filter(status__in=UNDER_BEHANDLING)


def listepunkter(bruker: Bruker) -> QuerySet[Motelistepunkt]:
    return Motelistepunkt.objects.filter(sak__in=listesaker(bruker))


def hent_listepunkt(bruker: Bruker, pk: int) -> Motelistepunkt:
    """Load a list entry through the cases the user may keep: an entry of another sector's case is a 404."""
    return get_object_or_404(listepunkter(bruker).select_related("sak", "mote__utvalg"), pk=pk)


def aktiv_pa_liste() -> Exists:
    """The case stands on the list of a meeting still planned. A held or cancelled meeting's list does not
    count, as in the secretariat's check (sekretariat.uplasserte.saker_uten_mote): a case left only there needs
    a new meeting."""
    return Exists(Motelistepunkt.objects.filter(sak=OuterRef("pk"), status=Motelistepunkt.Status.AKTIV,
                                                mote__status=Mote.Status.PLANLAGT))


def egne_utvalg(bruker: Bruker) -> QuerySet[Utvalg]:
    """The committees of the approver's sectors. A committee belongs to no sector (overgang.organisasjon.Utvalg
    has no such relation, and the kommunestyre takes every sector's cases), so these are the committees on the
    route of any case in the approver's scope, decided or still on its way: the only ones whose lists the
    approver can put a case on, and kept once the sector has used them. For the rådmann, every committee any
    case has gone or goes to. A semi-join per committee (a handful of rows), which stops at the first case."""
    return Utvalg.objects.filter(Exists(Behandling.objects.filter(utvalg=OuterRef("pk"),
                                                                  sak__in=listesaker(bruker).values("pk"))))


# The page shows the work, not the whole history: the coming meetings of the approver's own committees a page at
# a time (those with the approver's cases as cards, the others one line each), for each at most KANDIDATER cases
# offered for adding (a search finds the others), and the cases without a meeting paged.
MOTER_PER_SIDE = 10
KANDIDATER = 25
UTEN_MOTE_PER_SIDE = 50


@dataclass
class Moteliste:
    """One coming meeting with the active entries on the user's lists, the approved cases that may still be
    added (the committee is on their route and they stand on no coming meeting of it: the first KANDIDATER
    by title, of `antall_kandidater`), and the later meetings of the same committee an entry may be moved to."""

    mote: Mote
    punkter: list[Motelistepunkt] = field(default_factory=list)
    kandidater: list[Sak] = field(default_factory=list)
    antall_kandidater: int = 0
    senere: list[Mote] = field(default_factory=list)


@dataclass
class Motelisteoversikt:
    lister: list[Moteliste]
    moter: Page  # the page of coming meetings
    uten_mote: Page  # approved cases on no coming meeting's list, with their routes


def _ledige(bruker: Bruker, sok: str) -> QuerySet[Behandling]:
    """The handlings of approved cases in the user's scope whose committee has not got them on a coming
    meeting's list: one row per (case, committee) that may still be added."""
    saker = godkjente_listesaker(bruker)
    if sok:
        saker = saker.filter(Q(tittel__icontains=sok) | Q(arkivsaksnr__icontains=sok))
    pa_kommende = Motelistepunkt.objects.filter(
        sak=OuterRef("sak"), status=Motelistepunkt.Status.AKTIV, mote__utvalg=OuterRef("utvalg"),
        mote__in=Mote.objects.kommende().values("pk"))
    return Behandling.objects.filter(sak__in=saker.values("pk")).exclude(Exists(pa_kommende))


def motelister(bruker: Bruker, *, side: str | int | None = None, sok: str = "",
               uten_mote_side: str | int | None = None) -> Motelisteoversikt:
    """The directors' lists page in a fixed number of queries, however many cases and meetings: a page of
    coming meetings of the approver's committees (`egne_utvalg`), the active entries on them, the later meetings
    of their committees, the first candidates per committee and their counts, and a page of the cases without a
    meeting with their routes."""
    moter = Paginator(Mote.objects.kommende().filter(utvalg__in=egne_utvalg(bruker)).select_related("utvalg"),
                      MOTER_PER_SIDE).get_page(side)
    pa_siden = list(moter.object_list)
    utvalg = {m.utvalg_id for m in pa_siden}
    punkter = list(
        listepunkter(bruker).filter(status=Motelistepunkt.Status.AKTIV, mote__in=[m.pk for m in pa_siden])
        .select_related("sak__saksbehandler", "sak__kommunalomrade").order_by("lagt_til", "pk")
    )
    senere = list(Mote.objects.kommende().filter(utvalg__in=utvalg).select_related("utvalg"))
    ledige = _ledige(bruker, sok).filter(utvalg__in=utvalg)
    forste = list(
        ledige.annotate(nr=Window(RowNumber(), partition_by=[F("utvalg_id")],
                                  order_by=[F("sak__tittel").asc(), F("sak_id").asc()]))
        .filter(nr__lte=KANDIDATER).select_related("sak").order_by("utvalg_id", "nr")
    )
    antall = dict(ledige.order_by().values("utvalg").annotate(n=Count("pk")).values_list("utvalg", "n"))

    per_mote: dict[int, list[Motelistepunkt]] = defaultdict(list)
    for punkt in punkter:
        per_mote[punkt.mote_id].append(punkt)
    kandidater: dict[int, list[Sak]] = defaultdict(list)
    for behandling in forste:
        kandidater[behandling.utvalg_id].append(behandling.sak)
    lister = [
        Moteliste(
            mote=m,
            punkter=per_mote[m.pk],
            kandidater=kandidater[m.utvalg_id],
            antall_kandidater=antall.get(m.utvalg_id, 0),
            senere=[n for n in senere if n.utvalg_id == m.utvalg_id and n.tidspunkt > m.tidspunkt],
        )
        for m in pa_siden
    ]
    uten = godkjente_listesaker(bruker).exclude(aktiv_pa_liste())
    if sok:
        uten = uten.filter(Q(tittel__icontains=sok) | Q(arkivsaksnr__icontains=sok))
    uten = uten.select_related("saksbehandler", "kommunalomrade").med_rute().order_by("tittel", "pk")
    return Motelisteoversikt(lister=lister, moter=moter,
                             uten_mote=Paginator(uten, UTEN_MOTE_PER_SIDE).get_page(uten_mote_side))


def senere_moter(mote: Mote) -> QuerySet[Mote]:
    """Where an entry on `mote` may be moved: the coming meetings of the same committee after it."""
    return Mote.objects.kommende(mote.tidspunkt).filter(utvalg=mote.utvalg_id).select_related("utvalg")
