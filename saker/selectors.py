"""Who may see which case and what they may do with it, and what the case officer's pages read. Views load
cases through `hent_sak`, so an outsider gets 404; they ask `handlinger` what to offer."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, Q, QuerySet, Value, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from overgang.endringslogg.models import Endring
from overgang.organisasjon.models import Bruker, Mote, Rolle
from overgang.organisasjon.selectors import godkjenner_i_egen_rett, godkjenner_sektorer, star_inn_for

from . import utvidelser
from .models import MOTTATTE, REDIGERBAR, Dokument, Forsendelse, Hendelse, Part, Sak, Vedtak
from .tilstander import AVSLUTTEDE

# --- The approver's scope, defined once ---------------------------------------------------------------------

def godkjenner_omfang(bruker: Bruker) -> Q:
    """The cases `bruker` may approve: every case for the rådmann, otherwise those of the sectors they approve
    for now, or approve today as stand-in for an absent approver (every sector, standing in for the rådmann:
    overgang.organisasjon.selectors.godkjenner_sektorer). Being the approver a case was sent to is not enough:
    someone who has left the sector must neither see it in their inbox nor act on it. Visibility, the inbox,
    the directors' lists and `kan_godkjenne` all use this, so they agree."""
    if not bruker.is_authenticated or not bruker.har_rolle(Rolle.GODKJENNER):
        return Q(pk__in=[])
    if bruker.er_radmann:
        return Q()
    # A subquery on the sectors, not a join: a sector with several approvers would repeat its cases.
    return Q(kommunalomrade__in=godkjenner_sektorer(bruker).values("pk"))


def kan_godkjenne(bruker: Bruker, sak: Sak) -> bool:
    """May approve, return, and keep the directors' lists for this case (in their own right or standing in)."""
    if not bruker.har_rolle(Rolle.GODKJENNER):
        return False
    return bruker.er_radmann or godkjenner_sektorer(bruker).filter(pk=sak.kommunalomrade_id).exists()


def venter_pa(bruker: Bruker) -> QuerySet[Sak]:
    """The approver's inbox: cases waiting for approval in their scope."""
    return Sak.objects.filter(godkjenner_omfang(bruker), status=Sak.Status.TIL_GODKJENNING)


# --- Who sees a case -----------------------------------------------------------------------------------------

def egne_saker(bruker: Bruker) -> Q:
    """A case officer's own cases and those of the colleagues they stand in for today. One `IN (subquery)`
    rather than `= me OR IN (…)`: PostgreSQL then walks the officer index (sak_saksbehandler_idx) instead of
    scanning every case (Mine saker at 100,000 cases: 44 ms → 2 ms for the page, 35 → 0.4 ms for the counts)."""
    return Q(saksbehandler__in=Bruker.objects.filter(Q(pk=bruker.pk) | Q(pk__in=star_inn_for(bruker).values("pk")))
             .values("pk"))


def synlige_saker(bruker: Bruker) -> QuerySet[Sak]:
    """The cases `bruker` may see: their own as case officer; every case sent for approval in their approver
    scope, never a draft nobody has sent; and for the secretariat, every case sent to it or approved (an
    approved case may be on a director's list before it arrives, and the secretariat must see it to chase it)."""
    if not bruker.is_authenticated or not bruker.is_active:
        return Sak.objects.none()
    vilkar = Q(pk__in=[])
    if bruker.har_rolle(Rolle.SAKSBEHANDLER):
        vilkar |= egne_saker(bruker)
    if bruker.har_rolle(Rolle.GODKJENNER):
        vilkar |= ~Q(status=Sak.Status.UTKAST) & godkjenner_omfang(bruker)
    if bruker.har_rolle(Rolle.SEKRETARIAT):
        vilkar |= Q(status__in=MOTTATTE | {Sak.Status.GODKJENT})
    return Sak.objects.filter(vilkar)


def hent_sak(bruker: Bruker, pk: int) -> Sak:
    """Load a case through what the user may see: anyone else gets 404 and learns nothing of it."""
    return get_object_or_404(
        synlige_saker(bruker).select_related("kommune", "arkivsystem", "saksbehandler", "godkjenner",
                                             "kommunalomrade", "onsket_mote__utvalg", "registrering"),
        pk=pk,
    )


def er_saksbehandler_for(bruker: Bruker, sak: Sak) -> bool:
    """May act as the case's officer: the officer, or a colleague standing in for them today."""
    if not bruker.har_rolle(Rolle.SAKSBEHANDLER):
        return False
    return sak.saksbehandler_id == bruker.pk or star_inn_for(bruker).filter(pk=sak.saksbehandler_id).exists()


def saksbehandlerne(sak: Sak) -> list[Bruker]:
    """Who is told of what happens to a case: its officer. Whoever stands in for them that day is told too,
    by overgang.varsler.services.notify, so a returned or decided case is not left with someone on holiday."""
    return [sak.saksbehandler]


def pa_vegne_av(bruker: Bruker, sak: Sak, til: str) -> Bruker | None:
    """Whom `bruker` acts for in moving the case to `til` when only standing in lets them (the history's
    "X på vegne av Y"), or None when they act in their own right. The approver's decisions are checked against
    the approvers they stand in for (the one the case was sent to first); every other step against the officer."""
    if til in (Sak.Status.GODKJENT, Sak.Status.RETURNERT):
        if not bruker.har_rolle(Rolle.GODKJENNER) or godkjenner_i_egen_rett(bruker, sak.kommunalomrade_id):
            return None
        fravaerende = (star_inn_for(bruker).filter(is_active=True, groups__name=Rolle.GODKJENNER)
                       .filter(Q(er_radmann=True) | Q(godkjenner_for=sak.kommunalomrade_id)).distinct())
        return min(fravaerende, key=lambda b: (b.pk != sak.godkjenner_id, b.er_radmann, str(b)), default=None)
    if sak.saksbehandler_id != bruker.pk and er_saksbehandler_for(bruker, sak):
        return sak.saksbehandler
    return None


def godkjennere_for(sak_omrade_id: int) -> QuerySet[Bruker]:
    """Whom a case officer may send a case to: the sector's approvers, then the rådmann."""
    return (Bruker.objects.filter(is_active=True, groups__name=Rolle.GODKJENNER)
            .filter(Q(godkjenner_for=sak_omrade_id) | Q(er_radmann=True))
            .distinct().order_by("er_radmann", "first_name", "last_name"))


# --- What a user may do on a case ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Handlinger:
    """What `bruker` may do on the case now: the case page and its templates ask this, never the status."""

    er_saksbehandler: bool
    kan_endre: bool  # edit, upload corrected versions, send (again) for approval
    kan_sende_til_sekretariat: bool
    kan_godkjenne: bool  # the case waits for approval and the user may decide it
    venter_pa_godkjenning: bool
    kan_handle_vedtak: bool  # parties, letters and dispatch


def handlinger(bruker: Bruker, sak: Sak) -> Handlinger:
    er_saksbehandler = er_saksbehandler_for(bruker, sak)
    return Handlinger(
        er_saksbehandler=er_saksbehandler,
        kan_endre=er_saksbehandler and sak.status in REDIGERBAR,
        kan_sende_til_sekretariat=er_saksbehandler and sak.status == Sak.Status.GODKJENT,
        kan_godkjenne=sak.status == Sak.Status.TIL_GODKJENNING and kan_godkjenne(bruker, sak),
        venter_pa_godkjenning=sak.status == Sak.Status.TIL_GODKJENNING,
        kan_handle_vedtak=er_saksbehandler and sak.status == Sak.Status.VEDTATT,
    )


# --- What the case pages read --------------------------------------------------------------------------------

def mine_saker(bruker: Bruker, *, q: str = "", status: str = "", avsluttede: bool = False,
               ) -> tuple[QuerySet[Sak], dict[str, int]]:
    """The case officer's list (own and stood-in-for cases, searched and filtered) and the count per status
    over all of them. The active cases by default; the closed ones (trukket, avsluttet) only when asked for,
    by `avsluttede` or by their status. Each row carries its meeting (see `med_saksliste_mote`)."""
    saker = Sak.objects.filter(egne_saker(bruker))
    avsluttet = Q(status__in=AVSLUTTEDE)
    antall = saker.aggregate(
        alle=Count("pk"), aktive=Count("pk", filter=~avsluttet), avsluttede=Count("pk", filter=avsluttet),
        **{s.value: Count("pk", filter=Q(status=s.value)) for s in Sak.Status},
    )
    if q:
        saker = saker.filter(Q(tittel__icontains=q) | Q(arkivsaksnr__icontains=q))
    if status:
        saker = saker.filter(status=status)
    else:
        saker = saker.filter(avsluttet) if avsluttede else saker.exclude(avsluttet)
    saker = saker.select_related("godkjenner", "kommunalomrade", "saksbehandler", "onsket_mote__utvalg",
                                 "vedtak__mote__utvalg")
    return med_saksliste_mote(saker.med_rute()), antall


def med_saksliste_mote(saker: QuerySet[Sak]) -> QuerySet[Sak]:
    """Annotate `saksliste_mote_id`: the meeting whose agenda the case stands on now, as the apps above saker
    define it (saker.utvidelser; sekretariat: its latest placement on a meeting not cancelled)."""
    uttrykk = utvidelser.saksliste_mote_uttrykk()
    if not uttrykk:
        return saker.annotate(saksliste_mote_id=Value(None, output_field=IntegerField()))
    return saker.annotate(saksliste_mote_id=uttrykk[0] if len(uttrykk) == 1 else Coalesce(*uttrykk))


def saksliste_moter(saker: Iterable[Sak]) -> dict[int, Mote]:
    """The agenda meetings of a page of cases annotated by `med_saksliste_mote`, in one query."""
    ider = {s.saksliste_mote_id for s in saker if s.saksliste_mote_id}
    return Mote.objects.select_related("utvalg").in_bulk(ider) if ider else {}


def saksliste_mote(sak: Sak) -> Mote | None:
    """The meeting whose agenda one case stands on now, for the case page (one query)."""
    if not utvidelser.saksliste_mote_uttrykk():
        return None
    ider = med_saksliste_mote(Sak.objects.filter(pk=sak.pk)).values("saksliste_mote_id")
    return Mote.objects.select_related("utvalg").filter(pk__in=ider).first()


def siste_retur(sak: Sak) -> Hendelse | None:
    """The approver's comment the officer is correcting, while the case is returned."""
    if sak.status != Sak.Status.RETURNERT:
        return None
    return sak.hendelser.filter(til_status=Sak.Status.RETURNERT).select_related("utfort_av").last()


def sak_detaljer(sak: Sak) -> dict:
    """What every case page shows: documents (current and earlier versions), route, history and its whole road
    through the political bodies (the parts other apps add through saker.utvidelser)."""
    prefetch_related_objects([sak], *utvidelser.saksgang_prefetcher())
    dokumenter = list(sak.dokumenter.select_related("lastet_opp_av"))
    hendelser = list(sak.hendelser.select_related("utfort_av", "pa_vegne_av", "dokument"))
    return {
        "sak": sak,
        "gjeldende": [d for d in dokumenter if d.gjeldende],
        "tidligere": [d for d in dokumenter if not d.gjeldende],
        "historikk": historikk(sak, hendelser),
        "behandlinger": list(sak.behandlinger.select_related("utvalg")),
    }


@dataclass(frozen=True)
class Historiepunkt:
    """One line of the case's story: a change of state (Hendelse) or a change recorded in the endringslogg."""

    tidspunkt: datetime.datetime
    hendelse: Hendelse | None = None
    endring: Endring | None = None


def historikk(sak: Sak, hendelser: list[Hendelse]) -> list[Historiepunkt]:
    """The whole story of the case, oldest first: its transitions and every recorded change to it, its
    documents, parties, agenda placements and registration (one query beside the transitions)."""
    endringer = Endring.objects.filter(sak_id=sak.pk).select_related("utfort_av", "content_type")
    punkter = [Historiepunkt(h.tidspunkt, hendelse=h) for h in hendelser]
    punkter += [Historiepunkt(e.tidspunkt, endring=e) for e in endringer]
    return sorted(punkter, key=lambda p: p.tidspunkt)


@dataclass
class PartRad:
    """One party on the case page: its current letter, earlier versions and shipment."""

    part: Part
    forsendelse: Forsendelse
    brev: Dokument | None = None
    tidligere: list[Dokument] = field(default_factory=list)
    # The forms the page offers for this party (set by the view when the officer may still act).
    brev_form: object | None = None
    manuell_form: object | None = None

    @property
    def kan_endres(self) -> bool:
        return not self.forsendelse.er_last


def vedtak_og_parter(sak: Sak) -> tuple[Vedtak | None, list[PartRad]]:
    """The vedtak and, per party, its letters and shipment, in three queries."""
    vedtak = (Vedtak.objects.select_related("mote__utvalg", "saksutskrift", "registrert_av")
              .filter(sak=sak).first())
    if vedtak is None:
        return None, []
    brevene = list(sak.dokumenter.filter(rolle=Dokument.Rolle.VEDTAKSBREV, part__isnull=False)
                   .select_related("lastet_opp_av", "pdfa"))
    rader = []
    for part in sak.parter.select_related("forsendelse__sendt_av", "forsendelse__brev"):
        rad = PartRad(part=part, forsendelse=getattr(part, "forsendelse", None) or Forsendelse(part=part))
        for dokument in brevene:
            if dokument.part_id == part.pk:
                if dokument.gjeldende:
                    rad.brev = dokument
                else:
                    rad.tidligere.append(dokument)
        rader.append(rad)
    return vedtak, rader
