"""Which cases and list entries an approver may act on, and the directors' lists page read in a fixed
number of queries."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404

from overgang.organisasjon.models import Bruker, Mote
from saker.models import GODKJENTE, Sak
from saker.selectors import godkjenner_omfang, venter_pa

from .models import Motelistepunkt


def listesaker(bruker: Bruker) -> QuerySet[Sak]:
    """The cases whose list entries `bruker` may keep: the approver's scope (saker.selectors.godkjenner_omfang),
    the same cases they may approve."""
    return Sak.objects.filter(godkjenner_omfang(bruker))


def innboks(bruker: Bruker) -> QuerySet[Sak]:
    """Til godkjenning: the cases waiting for this approver, oldest first, with what the list shows."""
    return (venter_pa(bruker).select_related("saksbehandler", "kommunalomrade", "godkjenner")
            .med_rute().order_by("status_endret"))


def godkjente_listesaker(bruker: Bruker) -> QuerySet[Sak]:
    """The approved cases (received by the secretariat or not) that `bruker` may put on a list."""
    return listesaker(bruker).filter(status__in=GODKJENTE)


def listepunkter(bruker: Bruker) -> QuerySet[Motelistepunkt]:
    return Motelistepunkt.objects.filter(sak__in=listesaker(bruker))


def hent_listepunkt(bruker: Bruker, pk: int) -> Motelistepunkt:
    """Load a list entry through the cases the user may keep: an entry of another sector's case is a 404."""
    return get_object_or_404(listepunkter(bruker).select_related("sak", "mote__utvalg"), pk=pk)


def aktiv_pa_liste() -> Exists:
    """The case stands on the list of a meeting still planned. A held or cancelled meeting's list does not
    count, as in the secretariat's check (sekretariat.kontroll.saker_uten_mote): a case left only there needs
    a new meeting."""
    return Exists(Motelistepunkt.objects.filter(sak=OuterRef("pk"), status=Motelistepunkt.Status.AKTIV,
                                                mote__status=Mote.Status.PLANLAGT))


@dataclass
class Moteliste:
    """One coming meeting with the active entries on the user's lists, the approved cases that may still be
    added (the committee is on their route and they stand on no coming meeting of it), and the later
    meetings of the same committee an entry may be moved to."""

    mote: Mote
    punkter: list[Motelistepunkt] = field(default_factory=list)
    kandidater: list[Sak] = field(default_factory=list)
    senere: list[Mote] = field(default_factory=list)


@dataclass
class Motelisteoversikt:
    lister: list[Moteliste]
    uten_mote: list[Sak]


def motelister(bruker: Bruker) -> Motelisteoversikt:
    """The directors' lists page in three queries, however many cases: the coming meetings, the active
    entries on them, and the approved cases with their routes (two, with the prefetch)."""
    moter = list(Mote.objects.kommende().select_related("utvalg"))
    punkter = list(
        listepunkter(bruker).filter(status=Motelistepunkt.Status.AKTIV, mote__in=[m.pk for m in moter])
        .select_related("sak__saksbehandler", "sak__kommunalomrade").order_by("lagt_til", "pk")
    )
    godkjente = list(
        godkjente_listesaker(bruker).select_related("saksbehandler", "kommunalomrade").med_rute()
        .annotate(pa_liste=aktiv_pa_liste()).order_by("tittel", "pk")
    )
    per_mote: dict[int, list[Motelistepunkt]] = defaultdict(list)
    pa_utvalg: dict[int, set[int]] = defaultdict(set)
    utvalg_for_mote = {m.pk: m.utvalg_id for m in moter}
    for punkt in punkter:
        per_mote[punkt.mote_id].append(punkt)
        pa_utvalg[utvalg_for_mote[punkt.mote_id]].add(punkt.sak_id)
    rute = {s.pk: {b.utvalg_id for b in s.behandlinger.all()} for s in godkjente}
    lister = [
        Moteliste(
            mote=m,
            punkter=per_mote[m.pk],
            kandidater=[s for s in godkjente if m.utvalg_id in rute[s.pk] and s.pk not in pa_utvalg[m.utvalg_id]],
            senere=[n for n in moter if n.utvalg_id == m.utvalg_id and n.tidspunkt > m.tidspunkt],
        )
        for m in moter
    ]
    return Motelisteoversikt(lister=lister, uten_mote=[s for s in godkjente if not s.pa_liste])


def senere_moter(mote: Mote) -> QuerySet[Mote]:
    """Where an entry on `mote` may be moved: the coming meetings of the same committee after it."""
    return Mote.objects.kommende(mote.tidspunkt).filter(utvalg=mote.utvalg_id).select_related("utvalg")
