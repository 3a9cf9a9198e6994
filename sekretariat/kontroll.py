"""The check that no case falls out between the systems: the secretariat's control of each meeting, before it
(lists, intake, P360, agenda) and after it (outcomes, vedtaksbrev, postponed cases).

Pure computation: `kontroller` loads everything it needs for any number of meetings in a fixed number of
queries (three), then evaluates the rules in Python. Each rule is one small function that looks at one
case relevant to one meeting and returns a Norwegian message when something is wrong, or None. A new rule
is a new function and one line in REGELSETT; if it needs more facts, load them once in `kontroller` (as
subqueries or joins of the three queries where possible) and carry them in `Grunnlag`.

Every rule names something a person can still do from the app, and applies only while they can: the directors'
lists offer only coming meetings, the agenda changes only while the meeting is planned, and a decided,
withdrawn or closed case can be neither listed, placed nor registered from the intake page. A meeting counts one
discrepancy per case (`Kontroll.antall`), however many rules that case breaks; the page lists its reasons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.utils import timezone

from godkjenning.models import Motelistepunkt
from overgang.datoer import norsk_dato
from overgang.organisasjon.models import Mote
from saker.models import GODKJENTE, UNDER_BEHANDLING, Sak
from sekretariat import kontroll_brev
from sekretariat.fremdrift import Fremdrift, steg
from sekretariat.models import VIDEREFORENDE, Sakslistepunkt, Utfall

# Everything the rules and the template read from a case, fetched with it so neither queries per case.
SAK_RELASJONER = ("saksbehandler", "registrering", "vedtak")
# A case postponed but not yet decided: it still needs a meeting.
_VENTER = UNDER_BEHANDLING


@dataclass(frozen=True)
class Grunnlag:
    """What the rules know about one meeting. The sets hold case ids.

    liste:      on the meeting's active director list
    saksliste:  on the meeting's agenda
    onsket:     approved or received with this meeting as the wished first meeting, unless a director has
                moved it from or removed it from this meeting's list, or listed it for another planned meeting of
                the committee (`listet_annet_sted`): then the wish is stale, and the case is checked where it
                went; if it went nowhere, `sekretariat.uplasserte` still finds it
    utfall:     the outcome recorded for each case on the agenda ("" until recorded)
    viderefort: on the agenda as the continuation of an earlier handling (innstilling from the previous
                committee, or postponed at an earlier meeting), not as a first placement
    ikke_plassert: postponed at this meeting and on no later agenda of the committee (a cancelled meeting's
                agenda does not count)
    kommende:   the meeting is still to come (`Mote.er_kommende`), so the directors' lists offer it
    """

    mote: Mote
    idag: date
    liste: frozenset[int]
    saksliste: frozenset[int]
    onsket: frozenset[int]
    sendefrist_dager: int
    utfall: dict[int, str] = field(default_factory=dict)
    viderefort: frozenset[int] = frozenset()
    ikke_plassert: frozenset[int] = frozenset()
    brevfrist_dager: int = 14
    kommende: bool = True
    leveringsfrist_dager: int = 7

    @property
    def relevante(self) -> frozenset[int]:
        return self.liste | self.saksliste | self.onsket

    @property
    def planlagt(self) -> bool:
        """The agenda may still change (sekretariat.views: only a planned meeting's)."""
        return self.mote.status == Mote.Status.PLANLAGT


@dataclass(frozen=True)
class Avvik:
    regel: str
    sak: Sak
    melding: str

    @property
    def tittel(self) -> str:
        return REGLER[self.regel]

    @property
    def kan_paminnes(self) -> bool:
        """Someone outside the secretariat can mend it, so the control page offers "Send påminnelse"."""
        return self.regel in PAMINNELSER


@dataclass(frozen=True)
class SakensAvvik:
    """One case with every discrepancy it has at the meeting: one line on the control page."""

    sak: Sak
    avvik: tuple[Avvik, ...]


@dataclass
class Kontroll:
    """One meeting's check. `saker` are the cases relevant to it (listed, on the agenda or wishing for it)."""

    mote: Mote
    avvik: list[Avvik] = field(default_factory=list)
    saker: tuple[Sak, ...] = ()
    saksliste: frozenset[int] = frozenset()
    frist_passert: bool = False

    @property
    def klar(self) -> bool:
        return not self.avvik

    @property
    def tom(self) -> bool:
        """No case is listed for the meeting, on its agenda or wishing for it: nothing to check, nothing ready."""
        return not self.saker

    def antall(self) -> int:
        """The cases with a discrepancy: one missing case is one, whatever the number of rules it breaks."""
        return len({a.sak.pk for a in self.avvik})

    def per_sak(self) -> list[SakensAvvik]:
        """Each case with a discrepancy once, with its reasons in rule order; cases in the order of their first
        reason, then by Norwegian title."""
        gruppert: dict[int, list[Avvik]] = {}
        for avvik in self.avvik:
            gruppert.setdefault(avvik.sak.pk, []).append(avvik)
        return [SakensAvvik(liste[0].sak, tuple(liste)) for liste in gruppert.values()]

    def fremdrift(self) -> Fremdrift:
        """How far the relevant cases have come (sekretariat.fremdrift)."""
        antall = dict.fromkeys(("klar", "ikke_plassert", "ikke_registrert", "ikke_sendt"), 0)
        for sak in self.saker:
            antall[steg(mottatt=sak.er_mottatt, registrert=_er_registrert(sak),
                        pa_sakslisten=sak.pk in self.saksliste)] += 1
        return Fremdrift(**antall)

    def per_regel(self) -> dict[str, list[Avvik]]:
        """Every rule in display order, with an empty list where nothing is wrong, so a table of counts
        has the same columns for every meeting."""
        gruppert: dict[str, list[Avvik]] = {kode: [] for kode in REGLER}
        for avvik in self.avvik:
            gruppert[avvik.regel].append(avvik)
        return gruppert


def _dato(d: date) -> str:
    return norsk_dato(d)


def _er_registrert(sak: Sak) -> bool:
    # Loaded with select_related: a missing registration is cached as absent and raises without a query.
    return hasattr(sak, "registrering")


# The rules. Each is called for every case relevant to the meeting, so a case is flagged at most once per rule.
# Each says in its condition when someone can act on it; kontroll_telling states the same conditions.

def ikke_mottatt(g: Grunnlag, sak: Sak) -> str | None:
    # Once the meeting is past, the case has missed it: the directors' page shows it among the approved cases
    # without a meeting, where it gets a new one.
    if g.kommende and sak.pk in g.liste and not sak.er_mottatt:
        return "Står på direktørlisten, men er ikke mottatt av sekretariatet."
    return None


def ikke_pa_liste(g: Grunnlag, sak: Sak) -> str | None:
    # The directors' list is about the first placement: a case sent on by an innstilling, or postponed,
    # comes back on an agenda without the director listing it again. The list offers only coming meetings and
    # cases still on their way, so a held meeting or a decided case has nothing to ask the director for.
    if (g.kommende and sak.status == Sak.Status.SENDT_SEKRETARIAT and sak.pk not in g.liste
            and sak.pk not in g.viderefort):
        return "Mottatt av sekretariatet, men står ikke på direktørlisten for møtet."
    return None


def ikke_sendt(g: Grunnlag, sak: Sak) -> str | None:
    frist = g.mote.saksfrist
    if (g.kommende and sak.status == Sak.Status.GODKJENT and (sak.pk in g.liste or sak.pk in g.onsket)
            and g.idag >= frist - timedelta(days=g.sendefrist_dager)):
        return f"Godkjent, men ikke sendt til sekretariatet. Saksfristen er {_dato(frist)}."
    return None


def ikke_registrert(g: Grunnlag, sak: Sak) -> str | None:
    # The intake page registers the cases still with the secretariat; a decided or closed case is not offered.
    if sak.status == Sak.Status.SENDT_SEKRETARIAT and not _er_registrert(sak):
        return "Mottatt, men ikke registrert i P360."
    return None


def ikke_pa_saksliste(g: Grunnlag, sak: Sak) -> str | None:
    if g.planlagt and sak.pk in g.liste and sak.pk not in g.saksliste and sak.status in UNDER_BEHANDLING:
        return "Står på direktørlisten, men er ikke satt på sakslisten."
    return None


def ikke_godkjent(g: Grunnlag, sak: Sak) -> str | None:
    # After the meeting the agenda is fixed; recording the outcome is what remains (`uten_utfall`).
    if g.planlagt and sak.pk in g.saksliste and not sak.er_godkjent:
        return "Står på sakslisten, men er ikke godkjent."
    return None


def etter_frist(g: Grunnlag, sak: Sak) -> str | None:
    # A reason to decide before placing the case: once it is on the agenda the secretariat has taken it, and
    # after the meeting, or for a case that is no longer waiting, there is nothing left to decide.
    if (sak.sendt_sekretariat is None or not g.planlagt or sak.pk in g.saksliste
            or sak.status != Sak.Status.SENDT_SEKRETARIAT):
        return None
    # The deadline is a local calendar day: a case sent at 00:30 Norwegian time is a day late, not on time.
    mottatt = timezone.localtime(sak.sendt_sekretariat).date()
    if mottatt > g.mote.saksfrist:
        return f"Mottatt {_dato(mottatt)}, etter saksfristen {_dato(g.mote.saksfrist)}."
    return None


# After the meeting

def uten_utfall(g: Grunnlag, sak: Sak) -> str | None:
    if g.mote.status == Mote.Status.AVHOLDT and sak.pk in g.saksliste and not g.utfall.get(sak.pk):
        return "Møtet er avholdt, men utfallet for saken er ikke registrert."
    return None


def brev_ikke_sendt(g: Grunnlag, sak: Sak) -> str | None:
    # Only a letter not yet made or sent (or a case without parties) is "not sent": since the case stays decided
    # until each letter is delivered, a letter sent and on its way is `brev_venter`'s, or `brev_ikke_levert`'s.
    # The facts `brev_*` are annotated on the case by kontroller (sekretariat.kontroll_brev).
    # Loaded with select_related: a missing vedtak is cached as absent and raises without a query.
    vedtak = getattr(sak, "vedtak", None)
    if (vedtak is None or vedtak.mote_id != g.mote.pk or sak.status != Sak.Status.VEDTATT
            or not getattr(sak, "brev_mangler", False)):
        return None
    registrert = timezone.localtime(vedtak.registrert).date()
    dager = (g.idag - registrert).days
    if dager > g.brevfrist_dager:
        return (f"Vedtaket ble registrert {_dato(registrert)}, men vedtaksbrevet er ikke sendt til alle partene "
                f"etter {dager} dager.")
    return None


def brev_venter(g: Grunnlag, sak: Sak) -> str | None:
    # Sent is not yet delivered, and SvarUt answers for a letter on its way: a digital letter not opened goes to
    # print, and the print supplier reports within days. One without a final status after
    # KONTROLL_LEVERINGSFRIST_DAGER has most likely stalled, and the officer can look it up in SvarUt and record
    # what became of it (saker.levering.kan_forklares), which closes the case.
    vedtak = getattr(sak, "vedtak", None)
    if vedtak is None or vedtak.mote_id != g.mote.pk or not getattr(sak, "brev_venter", False):
        return None
    return (f"Et vedtaksbrev ble sendt gjennom SvarUt for mer enn {g.leveringsfrist_dager} dager siden og venter "
            "fortsatt på levering.")


def brev_ikke_levert(g: Grunnlag, sak: Sak) -> str | None:
    # `brev_ikke_levert` is annotated on the case by kontroller (sekretariat.kontroll_brev.ikke_levert).
    vedtak = getattr(sak, "vedtak", None)
    if vedtak is None or vedtak.mote_id != g.mote.pk or not getattr(sak, "brev_ikke_levert", False):
        return None
    return ("Et vedtaksbrev kom ikke fram (ikke levert, avvist eller manuelt håndtert i SvarUt), og "
            "saksbehandleren har ikke registrert hvorfor.")


def utsatt_ikke_plassert(g: Grunnlag, sak: Sak) -> str | None:
    if sak.pk in g.ikke_plassert and sak.status in _VENTER:
        return "Utsatt i møtet, men ikke satt på sakslisten til et senere møte i utvalget."
    return None


@dataclass(frozen=True)
class Regel:
    kode: str
    tittel: str
    sjekk: Callable[[Grunnlag, Sak], str | None]


REGELSETT: list[Regel] = [
    Regel("ikke_mottatt", "På direktørlisten, men ikke mottatt", ikke_mottatt),
    Regel("ikke_pa_liste", "Mottatt, men ikke på direktørlisten", ikke_pa_liste),
    Regel("ikke_sendt", "Godkjent, men ikke sendt til sekretariatet", ikke_sendt),
    Regel("ikke_registrert", "Mottatt, men ikke registrert i P360", ikke_registrert),
    Regel("ikke_pa_saksliste", "På direktørlisten, men ikke på sakslisten", ikke_pa_saksliste),
    Regel("ikke_godkjent", "På sakslisten, men ikke godkjent", ikke_godkjent),
    Regel("etter_frist", "Mottatt etter saksfristen", etter_frist),
    Regel("uten_utfall", "Avholdt møte, men utfallet er ikke registrert", uten_utfall),
    Regel("brev_ikke_sendt", "Vedtak uten sendt vedtaksbrev", brev_ikke_sendt),
    Regel("brev_venter", "Vedtaksbrev venter på levering i SvarUt", brev_venter),
    Regel("brev_ikke_levert", "Vedtaksbrev ikke levert", brev_ikke_levert),
    Regel("utsatt_ikke_plassert", "Utsatt, men ikke satt på et nytt møte", utsatt_ikke_plassert),
]

REGLER: dict[str, str] = {regel.kode: regel.tittel for regel in REGELSETT}

# The discrepancies someone outside the secretariat mends, whom a reminder from the control page goes to, and
# what they are asked to do. The others (registering, placing, recording outcomes) are the secretariat's own.
PAMINNELSER: dict[str, tuple[tuple[str, ...], str]] = {
    "ikke_mottatt": (("saksbehandler", "godkjenner"), "Send saken til politisk sekretariat, eller flytt den "
                                                     "til et senere møte på direktørlisten."),
    "ikke_pa_liste": (("godkjenner",), "Sett saken på direktørlisten for møtet, eller på listen til et annet møte."),
    "ikke_sendt": (("saksbehandler",), "Send saken til politisk sekretariat før saksfristen."),
    "ikke_godkjent": (("saksbehandler", "godkjenner"), "Saken må godkjennes før møtet, eller tas av sakslisten."),
    "brev_ikke_sendt": (("saksbehandler",), "Lag vedtaksbrevet og send det til partene."),
    "brev_venter": (("saksbehandler",), "Se etter brevet i SvarUt. Kommer det ikke fram, finn en annen måte å nå "
                                        "parten på, og registrer på saken hvorfor."),
    "brev_ikke_levert": (("saksbehandler",), "Finn en annen måte å nå parten på, og registrer på saken hvorfor "
                                             "brevet ikke ble levert."),
}

# Python orders Å before Æ and Ø; Norwegian puts them last as Æ, Ø, Å. Characters just after "z" keep that.
_NORSK_ORDEN = str.maketrans({"æ": "{", "ø": "|", "å": "}"})


def _tittelnokkel(sak: Sak) -> tuple[str, int]:
    return sak.tittel.casefold().translate(_NORSK_ORDEN), sak.pk


def listet_annet_sted(sak: str, mote: str) -> Exists:
    """The case (OuterRef `sak`) is on the active list of another planned meeting of the committee of the meeting
    (OuterRef `mote`): a director placed it there, and that placement, not the officer's wish, says where it goes."""
    return Exists(Motelistepunkt.objects.filter(
        sak=OuterRef(sak), status=Motelistepunkt.Status.AKTIV, mote__status=Mote.Status.PLANLAGT,
        mote__utvalg=OuterRef(f"{mote}__utvalg")).exclude(mote=OuterRef(mote)))


def kontroller(moter: Iterable[Mote], *, idag: date | None = None) -> dict[int, Kontroll]:
    """Check each meeting; keyed by meeting id, in the order given.

    Three queries whatever the number of meetings and cases (one more if `moter` is an unevaluated queryset).
    """
    moter = list(moter)
    if not moter:
        return {}
    idag = idag or timezone.localdate()
    ider = [mote.pk for mote in moter]
    saker: dict[int, Sak] = {}
    liste: dict[int, set[int]] = defaultdict(set)
    avklart: dict[int, set[int]] = defaultdict(set)
    saksliste: dict[int, set[int]] = defaultdict(set)
    onsket: dict[int, set[int]] = defaultdict(set)
    utfall: dict[int, dict[int, str]] = defaultdict(dict)
    viderefort: dict[int, set[int]] = defaultdict(set)
    ikke_plassert: dict[int, set[int]] = defaultdict(set)
    grense = kontroll_brev.leveringsgrense(idag, settings.KONTROLL_LEVERINGSFRIST_DAGER)

    def brevfakta(punkt: Motelistepunkt | Sakslistepunkt) -> None:
        for navn in kontroll_brev.FAKTA:
            setattr(punkt.sak, navn, getattr(punkt, navn))

    # Every list entry, not only the active ones: a moved or removed entry tells that the wish is stale.
    punkter = Motelistepunkt.objects.filter(mote__in=ider).select_related(
        *(f"sak__{r}" for r in SAK_RELASJONER)).annotate(**kontroll_brev.fakta("sak", grense)).order_by()
    for punkt in punkter:
        brevfakta(punkt)
        if punkt.status == Motelistepunkt.Status.AKTIV:
            liste[punkt.mote_id].add(punkt.sak_id)
            saker.setdefault(punkt.sak_id, punkt.sak)
        else:
            avklart[punkt.mote_id].add(punkt.sak_id)

    # The case's other agenda items, as subqueries of the same query: an earlier handling that sent it on, and
    # a later placement in the same committee.
    tidligere = Sakslistepunkt.objects.filter(sak=OuterRef("sak"), utfall__in=VIDEREFORENDE,
                                              mote__tidspunkt__lt=OuterRef("mote__tidspunkt"))
    senere = Sakslistepunkt.objects.filter(
        sak=OuterRef("sak"), utvalg=OuterRef("utvalg"), mote__tidspunkt__gt=OuterRef("mote__tidspunkt"),
    ).exclude(mote__status=Mote.Status.AVLYST)
    agenda = (Sakslistepunkt.objects.filter(mote__in=ider)
              .select_related(*(f"sak__{r}" for r in SAK_RELASJONER))
              .annotate(er_viderefort=Exists(tidligere), plassert_senere=Exists(senere),
                        **kontroll_brev.fakta("sak", grense)).order_by())
    for punkt in agenda:
        brevfakta(punkt)
        saksliste[punkt.mote_id].add(punkt.sak_id)
        saker.setdefault(punkt.sak_id, punkt.sak)
        utfall[punkt.mote_id][punkt.sak_id] = punkt.utfall
        if punkt.er_viderefort:
            viderefort[punkt.mote_id].add(punkt.sak_id)
        if punkt.utfall == Utfall.UTSATT and not punkt.plassert_senere:
            ikke_plassert[punkt.mote_id].add(punkt.sak_id)

    onsker = Sak.objects.filter(onsket_mote__in=ider, status__in=GODKJENTE).exclude(
        listet_annet_sted("pk", "onsket_mote"))
    for sak in onsker.select_related(
            *SAK_RELASJONER).annotate(**kontroll_brev.fakta("pk", grense)).order_by():
        onsket[sak.onsket_mote_id].add(sak.pk)
        saker.setdefault(sak.pk, sak)

    sendefrist_dager = settings.KONTROLL_SENDEFRIST_DAGER
    brevfrist_dager = settings.KONTROLL_BREVFRIST_DAGER
    rekkefolge = {regel.kode: nr for nr, regel in enumerate(REGELSETT)}
    resultat: dict[int, Kontroll] = {}
    for mote in moter:
        g = Grunnlag(
            mote=mote,
            idag=idag,
            liste=frozenset(liste[mote.pk]),
            saksliste=frozenset(saksliste[mote.pk]),
            onsket=frozenset(onsket[mote.pk] - (avklart[mote.pk] - liste[mote.pk])),
            sendefrist_dager=sendefrist_dager,
            utfall=utfall[mote.pk],
            viderefort=frozenset(viderefort[mote.pk]),
            ikke_plassert=frozenset(ikke_plassert[mote.pk]),
            brevfrist_dager=brevfrist_dager,
            kommende=mote.er_kommende(),
            leveringsfrist_dager=settings.KONTROLL_LEVERINGSFRIST_DAGER,
        )
        avvik = []
        for sak_id in g.relevante:
            sak = saker[sak_id]
            for regel in REGELSETT:
                melding = regel.sjekk(g, sak)
                if melding:
                    avvik.append(Avvik(regel=regel.kode, sak=sak, melding=melding))
        avvik.sort(key=lambda a: (rekkefolge[a.regel], *_tittelnokkel(a.sak)))
        relevante = tuple(sorted((saker[pk] for pk in g.relevante), key=_tittelnokkel))
        resultat[mote.pk] = Kontroll(mote=mote, avvik=avvik, saker=relevante, saksliste=g.saksliste,
                                     frist_passert=mote.saksfrist < idag)
    return resultat

