"""What a case waits for, said to the person looking: the "neste steg" card, who holds the case now ("hos"),
and its road through the states (the process view). Pure functions over what the page has already loaded; the
other apps add their roles' next steps through saker.utvidelser, so each names only its own pages.
The reads are the selectors' (saker.selectors.saksliste_mote, saksliste_moter); nothing here queries."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone

from overgang.organisasjon.models import Bruker, Mote

from . import utvidelser
from .models import Forsendelse, Hendelse, Sak, Vedtak
from .selectors import Handlinger, PartRad
from .tilstander import FOR_SEKRETARIATET

S = Sak.Status


@dataclass(frozen=True)
class Steg:
    """One step after the vedtak (parter → vedtaksbrev → utsending), with how far it has come."""

    navn: str
    ferdig: bool
    tekst: str = ""
    naa: bool = False  # the step the officer is on


@dataclass(frozen=True)
class NesteSteg:
    """The "neste steg" card on the case page: what happens next, for the person looking, in every state."""

    overskrift: str
    tekst: str
    lenke: str = ""
    lenketekst: str = ""
    steg: tuple[Steg, ...] = ()  # after the vedtak: parter → vedtaksbrev → utsending


@dataclass(frozen=True)
class Plass:
    """Where the case stands in the calendar: the meeting it was decided at, stands on the agenda of, or was
    wished for (in that order), and whether that meeting's agenda holds it."""

    mote: Mote | None = None
    pa_saksliste: bool = False

    @property
    def saksfrist(self) -> datetime.date | None:
        return self.mote.saksfrist if self.mote else None


def plass(sak: Sak, *, vedtak: Vedtak | None = None, saksliste_mote: Mote | None = None) -> Plass:
    if vedtak is not None:
        return Plass(vedtak.mote, pa_saksliste=True)
    if saksliste_mote is not None:
        return Plass(saksliste_mote, pa_saksliste=True)
    return Plass(sak.onsket_mote)


def frist_gjelder(sak: Sak) -> bool:
    """The saksfrist is still the officer's to meet: the case has not reached the secretariat."""
    return sak.status in FOR_SEKRETARIATET


def hos(sak: Sak, bruker: Bruker | None, sted: Plass) -> str:
    """Who holds the case now, in a word or two, for the lists' "Hos" column and the case page."""
    if sak.status in (S.UTKAST, S.RETURNERT, S.GODKJENT, S.VEDTATT):
        return "Deg" if bruker is not None and sak.saksbehandler_id == bruker.pk else str(sak.saksbehandler)
    if sak.status == S.TIL_GODKJENNING:
        if sak.godkjenner_id is None:
            return "Kommunaldirektøren"
        return "Deg" if bruker is not None and sak.godkjenner_id == bruker.pk else str(sak.godkjenner)
    if sak.status == S.SENDT_SEKRETARIAT:
        if sted.pa_saksliste and sted.mote is not None and sted.mote.status == Mote.Status.PLANLAGT:
            return "Politisk behandling"
        return "Politisk sekretariat"
    return "Ingen"


def merk_rader(saker: Sequence[Sak], bruker: Bruker, saksliste_moter: dict[int, Mote]) -> None:
    """Give each row of a list its `plass`, `hos` and `frist_gjelder`, from what the page's queries loaded
    (the cases with `vedtak__mote` and `onsket_mote` selected, `saksliste_moter` for their agenda meetings)."""
    for sak in saker:
        sted = plass(sak, vedtak=getattr(sak, "vedtak", None),
                     saksliste_mote=saksliste_moter.get(getattr(sak, "saksliste_mote_id", None)))
        sak.plass, sak.hos, sak.frist_gjelder = sted, hos(sak, bruker, sted), frist_gjelder(sak)


# --- The "neste steg" card -----------------------------------------------------------------------------------

def _til_frist(sted: Plass) -> str:
    if sted.mote is None:
        return ""
    dager = (sted.mote.saksfrist - timezone.localdate()).days
    if dager < 0:
        return f" Saksfristen for {sted.mote} var {sted.mote.saksfrist:%d.%m.%Y}: fristen er passert."
    return f" Saksfristen for {sted.mote} er {sted.mote.saksfrist:%d.%m.%Y}."


def etter_vedtaket(parter: Sequence[PartRad]) -> tuple[Steg, ...]:
    """The officer's three steps after the vedtak, counted: parter → vedtaksbrev → utsending."""
    n = len(parter)
    med_brev = sum(1 for p in parter if p.brev)
    sendt = sum(1 for p in parter if p.forsendelse.status == Forsendelse.Status.SENDT)
    ferdig = (n > 0, n > 0 and med_brev == n, n > 0 and sendt == n)
    naa = ferdig.index(False) if False in ferdig else -1
    tekster = (f"{n} registrert" if n else "ingen ennå", f"{med_brev} av {n} parter har brev",
               f"{sendt} av {n} sendt")
    return tuple(Steg(navn, ferdig[i], tekster[i], naa=i == naa)
                 for i, navn in enumerate(("Parter", "Vedtaksbrev", "Utsending")))


def _for_saksbehandleren(sak: Sak, kan: Handlinger, parter: Sequence[PartRad], sted: Plass) -> NesteSteg:
    if sak.status == S.UTKAST:
        return NesteSteg("Send saken til godkjenning", "Saken er et utkast hos deg. Se over dokumentene og send "
                         "den til kommunaldirektøren." + _til_frist(sted), "#send-tittel", "Til skjemaet")
    if sak.status == S.RETURNERT:
        return NesteSteg("Rett saken og send den på nytt", "Godkjenneren har sendt saken tilbake. Les kommentaren, "
                         "last opp en rettet versjon og send den til godkjenning igjen." + _til_frist(sted),
                         "#send-tittel", "Til skjemaet")
    if sak.status == S.TIL_GODKJENNING:
        return NesteSteg("Venter på godkjenning", f"Saken er hos {sak.godkjenner or 'kommunaldirektøren'}. Du får "
                         "e-post når den er godkjent eller sendt tilbake.")
    if sak.status == S.GODKJENT:
        return NesteSteg("Send saken til politisk sekretariat", "Saken er godkjent. Send saksframlegget og "
                         "vedleggene til sekretariatet før saksfristen." + _til_frist(sted), "#sekr-tittel",
                         "Til knappen")
    if sak.status == S.SENDT_SEKRETARIAT:
        return _hos_sekretariatet(sted)
    if sak.status == S.VEDTATT:
        steg = etter_vedtaket(parter)
        if not kan.kan_handle_vedtak:
            return NesteSteg("Vedtatt", "Vedtaket er registrert. Vedtaksbrevet sendes til partene.", steg=steg)
        if not parter:
            return NesteSteg("Legg til partene", "Vedtaket er registrert. Legg til partene som skal ha "
                             "vedtaksbrevet; så lager du brevet og sender det.",
                             reverse("saker:parter", args=[sak.pk]), "Legg til partene", steg)
        uten_brev = sum(1 for p in parter if not p.brev)
        if uten_brev:
            return NesteSteg("Lag vedtaksbrevet", f"{uten_brev} av {len(parter)} parter mangler brev. Lag brevet, "
                             "les det, og last opp en rettet versjon om det trengs.", "#vedtaksbrev",
                             "Til brevene", steg)
        igjen = sum(1 for p in parter if p.forsendelse.status != Forsendelse.Status.SENDT)
        if not igjen:  # every letter sent, one still on its way through SvarUt or not delivered (saker.levering)
            return NesteSteg("Følg leveringen", "Brevet er sendt til alle partene. Saken avsluttes når SvarUt melder "
                             "hvert brev levert, eller når du har registrert hvorfor et brev ikke ble det.",
                             "#forsendelser", "Til leveringen", steg)
        return NesteSteg("Send vedtaksbrevet", f"{igjen} av {len(parter)} parter har ikke fått brevet ennå. Saken "
                         "avsluttes når alle har det.", "#utsending", "Til utsendingen", steg)
    return _avsluttet(sak)


def _hos_sekretariatet(sted: Plass) -> NesteSteg:
    if sted.pa_saksliste and sted.mote is not None and sted.mote.status == Mote.Status.PLANLAGT:
        return NesteSteg("Til politisk behandling", f"Saken står på sakslisten til {sted.mote.tekst}. Vedtaket "
                         "registreres av sekretariatet etter møtet; du får e-post.")
    return NesteSteg("Hos politisk sekretariat", "Sekretariatet registrerer saken i P360 og setter den på "
                     "sakslisten; utfallet registreres etter møtet. Saken kan ikke endres nå.")


def _avsluttet(sak: Sak) -> NesteSteg:
    if sak.status == S.TRUKKET:
        return NesteSteg("Trukket", "Saken er trukket fra behandlingen. Det er ingen flere steg.")
    return NesteSteg("Avsluttet", "Vedtaksbrevet er sendt til alle partene, og saken er avsluttet. Det er ingen "
                     "flere steg.")


def _for_leseren(sak: Sak, parter: Sequence[PartRad], sted: Plass) -> NesteSteg:
    """For someone who may read the case but has nothing to do on it now: who holds it, and what for."""
    if sak.status == S.UTKAST:
        return NesteSteg("Utkast", f"Saken er et utkast hos {sak.saksbehandler}.")
    if sak.status == S.RETURNERT:
        return NesteSteg("Returnert for retting", f"Saken er hos {sak.saksbehandler} for retting.")
    if sak.status == S.TIL_GODKJENNING:
        return NesteSteg("Venter på godkjenning",
                         f"Saken venter på godkjenning hos {sak.godkjenner or 'kommunaldirektøren'}.")
    if sak.status == S.GODKJENT:
        return NesteSteg("Godkjent", f"Saken er godkjent og venter på at {sak.saksbehandler} sender den til "
                         "politisk sekretariat." + _til_frist(sted))
    if sak.status == S.SENDT_SEKRETARIAT:
        return _hos_sekretariatet(sted)
    if sak.status == S.VEDTATT:
        return NesteSteg("Vedtatt", f"Vedtaket er registrert. {sak.saksbehandler} sender vedtaksbrev til "
                         "partene.", steg=etter_vedtaket(parter))
    return _avsluttet(sak)


def neste_steg(sak: Sak, bruker: Bruker, kan: Handlinger, *, parter: Sequence[PartRad] = (),
               sted: Plass | None = None) -> NesteSteg:
    """What the case waits for, said to the person looking: the officer's own next action; else what the
    other apps say for their roles (the approver's decision, the secretariat's registration, agenda and
    outcome); else who holds the case and what for."""
    sted = sted or plass(sak)
    if kan.er_saksbehandler:
        return _for_saksbehandleren(sak, kan, parter, sted)
    for funksjon in utvidelser.neste_steg_funksjoner():
        svar = funksjon(sak=sak, bruker=bruker)
        if svar is not None:
            return svar
    return _for_leseren(sak, parter, sted)


# --- The process view: the states the case passed, and what is left ------------------------------------------

@dataclass(frozen=True)
class Prosesssteg:
    navn: str
    tilstand: str  # "ferdig", "naa" (current) or "igjen" (left)
    dato: datetime.datetime | None = None
    merknad: str = ""

    @property
    def tilstand_tekst(self) -> str:
        return {"ferdig": "ferdig", "naa": "nå", "igjen": "gjenstår"}[self.tilstand]


def prosess(sak: Sak, hendelser: Sequence[Hendelse]) -> list[Prosesssteg]:
    """The case's road through its states, from the history already loaded: each step done (with the date it
    was reached), the one it is on, and those left. A return for correction is a loop, told on its step."""
    siste: dict[str, datetime.datetime] = {}
    for h in hendelser:
        siste[h.til_status] = h.tidspunkt
    forste_til_godkjenning = next((h.tidspunkt for h in hendelser if h.til_status == S.TIL_GODKJENNING), None)
    returer = sum(1 for h in hendelser if h.til_status == S.RETURNERT)
    trukket = sak.status == S.TRUKKET
    veien = [
        ("Utkast", {S.UTKAST}, sak.opprettet, ""),
        ("Godkjenning", {S.TIL_GODKJENNING, S.RETURNERT}, forste_til_godkjenning,
         f"returnert for retting {returer} gang{'er' if returer != 1 else ''}" if returer else ""),
        ("Godkjent", {S.GODKJENT}, siste.get(S.GODKJENT), ""),
        ("Hos politisk sekretariat", {S.SENDT_SEKRETARIAT}, siste.get(S.SENDT_SEKRETARIAT), ""),
        ("Trukket" if trukket else "Vedtatt", {S.TRUKKET, S.VEDTATT},
         siste.get(S.TRUKKET if trukket else S.VEDTATT), ""),
    ]
    if not trukket:
        veien.append(("Vedtaksbrev sendt, saken avsluttet", {S.AVSLUTTET}, siste.get(S.AVSLUTTET), ""))
    naa = next(i for i, (_, tilstander, _, _) in enumerate(veien) if sak.status in tilstander)
    steg = []
    for i, (navn, _, dato, merknad) in enumerate(veien):
        if i < naa or (i == naa and sak.status in (S.AVSLUTTET, S.TRUKKET)):
            steg.append(Prosesssteg(navn, "ferdig", dato, merknad))
        elif i == naa:
            if sak.status == S.RETURNERT:
                navn, merknad = "Returnert for retting", merknad
            steg.append(Prosesssteg(navn, "naa", siste.get(sak.status, dato), merknad))
        else:
            steg.append(Prosesssteg(navn, "igjen"))
    return steg
