"""The directors' lists (step 4 of the routine): which approved cases shall be handled at which coming meeting.

Every change locks the case row, checks the actor and the state, writes or updates Motelistepunkt rows and
tells the political secretariat, whose control of "no case falls out" is built on these lists.
"""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone

from overgang.feil import Feil
from overgang.organisasjon.models import Bruker, Mote, Utvalg
from overgang.organisasjon.selectors import sekretariatet
from overgang.varsler.services import notify
from saker.models import UNDER_BEHANDLING, Sak
from saker.selectors import kan_godkjenne
from saker.services import last_sak, sak_godkjenn

from .models import Motelistepunkt


class ListeFeil(Feil):
    """A change to a director's list that is not allowed now (Norwegian, shown as it is)."""


def _sak_tekst(sak: Sak) -> str:
    return f"«{sak.tittel_ut}» ({sak.arkivsaksnr})"


def _sjekk_listeholder(sak: Sak, av: Bruker) -> None:
    # The same people who may approve the case (saker.selectors.godkjenner_omfang).
    if not kan_godkjenne(av, sak):
        raise ListeFeil("Du kan bare endre listene for saker fra kommunalområder du godkjenner for.")


def _sjekk_kommende(mote: Mote) -> None:
    if not mote.er_kommende():
        raise ListeFeil(f"{mote.tekst} er ikke et kommende, planlagt møte.")


def _sjekk_grunn(grunn: str, handling: str) -> str:
    grunn = grunn.strip()
    if not grunn:
        raise ListeFeil(f"Skriv hvorfor saken {handling}.")
    return grunn


def _sjekk_ledig(sak: Sak, mote: Mote) -> None:
    """One active entry per case and meeting (also a database constraint), and at most one coming meeting per
    committee: a case standing on two of them would leave the secretariat guessing which one holds."""
    aktive = (Motelistepunkt.objects.filter(sak=sak, status=Motelistepunkt.Status.AKTIV, mote__utvalg=mote.utvalg_id)
              .select_related("mote__utvalg"))
    if any(p.mote_id == mote.pk for p in aktive):
        raise ListeFeil(f"{_sak_tekst(sak)} står allerede på listen til {mote.tekst}.")
    annen = next((p.mote for p in aktive if p.mote.er_kommende()), None)
    if annen is not None:
        raise ListeFeil(f"{_sak_tekst(sak)} står allerede på listen til {annen.tekst}. "
                      "Flytt den derfra i stedet.")


def _varsle(punkt: Motelistepunkt, mote: Mote, hva: str, kommentar: str) -> None:
    notify("motelister_endret", mote, sekretariatet(), nokkel=f"motelistepunkt:{punkt.pk}:{hva}",
           kontekst={"kommentar": kommentar})


def liste_legg_til(*, sak: Sak, mote: Mote, av: Bruker) -> Motelistepunkt:
    """Put an approved case on the director's list for a coming meeting of a committee on its route."""
    with transaction.atomic():
        sak = last_sak(sak)
        _sjekk_listeholder(sak, av)
        if not sak.er_godkjent:
            raise ListeFeil(f"{_sak_tekst(sak)} er ikke godkjent og kan ikke settes på en møteliste.")
        if sak.status not in UNDER_BEHANDLING:
            # Decided, withdrawn or closed: its route is finished, and a list entry would be a false alarm.
            raise ListeFeil(f"{_sak_tekst(sak)} er {sak.get_status_display().lower()} og kan ikke settes på "
                            "en møteliste.")
        mote = Mote.objects.select_related("utvalg").get(pk=mote.pk)
        _sjekk_kommende(mote)
        if not sak.behandlinger.filter(utvalg=mote.utvalg_id).exists():
            raise ListeFeil(f"{mote.utvalg} er ikke med i saksgangen til {_sak_tekst(sak)}.")
        _sjekk_ledig(sak, mote)
        punkt = Motelistepunkt.objects.create(sak=sak, mote=mote, lagt_til_av=av)
        _varsle(punkt, mote, "lagt_til",
                f"{av} satte {_sak_tekst(sak)} på listen til {mote.tekst}.")
    return punkt


def _last_aktivt_punkt(punkt: Motelistepunkt, av: Bruker) -> Motelistepunkt:
    """Lock the entry's case, then re-read the entry: a second click, or a colleague who got there first,
    finds it already moved or removed."""
    sak = last_sak(punkt.sak_id)
    _sjekk_listeholder(sak, av)
    punkt = Motelistepunkt.objects.select_related("mote__utvalg").get(pk=punkt.pk)
    punkt.sak = sak
    if punkt.status != Motelistepunkt.Status.AKTIV:
        # The state values are the Norwegian verbs: "flyttet", "fjernet".
        raise ListeFeil(f"{_sak_tekst(sak)} er allerede {punkt.status} fra listen til {punkt.mote.tekst}.")
    return punkt


def liste_flytt(*, punkt: Motelistepunkt, til_mote: Mote, av: Bruker, grunn: str) -> Motelistepunkt:
    """Move a case to a later meeting of the same committee; the old entry keeps the reason and points at
    the new one. Returns the new, active entry."""
    grunn = _sjekk_grunn(grunn, "flyttes")
    with transaction.atomic():
        punkt = _last_aktivt_punkt(punkt, av)
        sak, fra = punkt.sak, punkt.mote
        til_mote = Mote.objects.select_related("utvalg").get(pk=til_mote.pk)
        if til_mote.utvalg_id != fra.utvalg_id or til_mote.tidspunkt <= fra.tidspunkt:
            raise ListeFeil(f"Saken kan bare flyttes til et senere møte i {fra.utvalg}.")
        _sjekk_kommende(til_mote)
        if Motelistepunkt.objects.filter(sak=sak, mote=til_mote, status=Motelistepunkt.Status.AKTIV).exists():
            raise ListeFeil(f"{_sak_tekst(sak)} står allerede på listen til {til_mote.tekst}.")
        ny = Motelistepunkt.objects.create(sak=sak, mote=til_mote, lagt_til_av=av)
        punkt.status = Motelistepunkt.Status.FLYTTET
        punkt.grunn = grunn
        punkt.flyttet_til = ny
        punkt.endret_av = av
        punkt.endret = timezone.now()
        punkt.save(update_fields=["status", "grunn", "flyttet_til", "endret_av", "endret"])
        # One e-mail per move, about the meeting the case leaves: its agenda is the one that may need mending.
        _varsle(punkt, fra, "flyttet",
                f"{av} flyttet {_sak_tekst(sak)} fra listen til {fra.tekst} "
                f"til listen til {til_mote.tekst}. Grunn: {grunn}")
    return ny


def liste_fjern(*, punkt: Motelistepunkt, av: Bruker, grunn: str) -> Motelistepunkt:
    """Take a case off a meeting's list, with the reason the secretariat will read."""
    grunn = _sjekk_grunn(grunn, "fjernes fra listen")
    with transaction.atomic():
        punkt = _last_aktivt_punkt(punkt, av)
        punkt.status = Motelistepunkt.Status.FJERNET
        punkt.grunn = grunn
        punkt.endret_av = av
        punkt.endret = timezone.now()
        punkt.save(update_fields=["status", "grunn", "endret_av", "endret"])
        _varsle(punkt, punkt.mote, "fjernet",
                f"{av} fjernet {_sak_tekst(punkt.sak)} fra listen til {punkt.mote.tekst}. Grunn: {grunn}")
    return punkt


def godkjenn_og_sett_pa_liste(*, sak: Sak, av: Bruker, rute: Sequence[Utvalg], onsket_mote: Mote | None,
                              kommentar: str = "") -> Motelistepunkt | None:
    """Approve the case and, with a wished meeting, put it on that meeting's list, in one transaction: if the
    list refuses it, the approval is rolled back too, so an approved case never silently misses its list."""
    with transaction.atomic():
        godkjent = sak_godkjenn(sak=sak, av=av, rute=rute, onsket_mote=onsket_mote, kommentar=kommentar)
        if onsket_mote is None:
            return None
        return liste_legg_til(sak=godkjent, mote=onsket_mote, av=av)
