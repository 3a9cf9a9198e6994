"""The directors' lists (step 4 of the routine): which approved cases shall be handled at which coming meeting.

Every change locks the case row, checks the actor and the state, writes or updates Motelistepunkt rows and
tells the political secretariat, whose control of "no case falls out" is built on these lists.
"""

from django.db import transaction
from django.utils import timezone

from overgang.datoer import norsk_dato
from overgang.organisasjon.models import Bruker, Mote
from overgang.organisasjon.selectors import sekretariatet
from overgang.varsler.services import notify
from saker.models import Sak
from saker.selectors import kan_godkjenne
from saker.services import SakFeil

from .models import Motelistepunkt


def _last_sak(sak_id: int) -> Sak:
    """Re-read the case under a row lock: two directors changing the same case's lists at once are served one
    after the other, so the second sees the entries the first left and the one-active-entry checks hold."""
    return Sak.objects.select_for_update().get(pk=sak_id)


def _mote_tekst(mote: Mote) -> str:
    return f"{mote.utvalg} {norsk_dato(mote.tidspunkt)}"


def _sak_tekst(sak: Sak) -> str:
    return f"«{sak.tittel}» ({sak.arkivsaksnr})"


def _sjekk_listeholder(sak: Sak, av: Bruker) -> None:
    if not kan_godkjenne(av, sak):
        raise SakFeil("Du kan bare endre listene for saker fra kommunalområder du godkjenner for.")


def _sjekk_kommende(mote: Mote) -> None:
    if mote.status != Mote.Status.PLANLAGT or mote.tidspunkt <= timezone.now():
        raise SakFeil(f"{_mote_tekst(mote)} er ikke et kommende, planlagt møte.")


def _sjekk_grunn(grunn: str, handling: str) -> str:
    grunn = grunn.strip()
    if not grunn:
        raise SakFeil(f"Skriv hvorfor saken {handling}.")
    return grunn


def _sjekk_ledig(sak: Sak, mote: Mote) -> None:
    """One active entry per case and meeting (also a database constraint), and at most one coming meeting per
    committee: a case standing on two of them would leave the secretariat guessing which one holds."""
    aktive = (Motelistepunkt.objects.filter(sak=sak, status=Motelistepunkt.Status.AKTIV, mote__utvalg=mote.utvalg_id)
              .select_related("mote__utvalg"))
    if any(p.mote_id == mote.pk for p in aktive):
        raise SakFeil(f"{_sak_tekst(sak)} står allerede på listen til {_mote_tekst(mote)}.")
    annen = next((p.mote for p in aktive if p.mote.status == Mote.Status.PLANLAGT
                  and p.mote.tidspunkt > timezone.now()), None)
    if annen is not None:
        raise SakFeil(f"{_sak_tekst(sak)} står allerede på listen til {_mote_tekst(annen)}. "
                      "Flytt den derfra i stedet.")


def _varsle(punkt: Motelistepunkt, mote: Mote, hva: str, kommentar: str) -> None:
    notify("motelister_endret", mote, sekretariatet(), nokkel=f"motelistepunkt:{punkt.pk}:{hva}",
           kontekst={"kommentar": kommentar})


def liste_legg_til(*, sak: Sak, mote: Mote, av: Bruker) -> Motelistepunkt:
    """Put an approved case on the director's list for a coming meeting of a committee on its route."""
    with transaction.atomic():
        sak = _last_sak(sak.pk)
        _sjekk_listeholder(sak, av)
        if not sak.er_godkjent:
            raise SakFeil(f"{_sak_tekst(sak)} er ikke godkjent og kan ikke settes på en møteliste.")
        mote = Mote.objects.select_related("utvalg").get(pk=mote.pk)
        _sjekk_kommende(mote)
        if not sak.behandlinger.filter(utvalg=mote.utvalg_id).exists():
            raise SakFeil(f"{mote.utvalg} er ikke med i saksgangen til {_sak_tekst(sak)}.")
        _sjekk_ledig(sak, mote)
        punkt = Motelistepunkt.objects.create(sak=sak, mote=mote, lagt_til_av=av)
        _varsle(punkt, mote, "lagt_til",
                f"{av} satte {_sak_tekst(sak)} på listen til {_mote_tekst(mote)}.")
    return punkt


def _last_aktivt_punkt(punkt: Motelistepunkt, av: Bruker) -> Motelistepunkt:
    """Lock the entry's case, then re-read the entry: a second click, or a colleague who got there first,
    finds it already moved or removed."""
    sak = _last_sak(punkt.sak_id)
    _sjekk_listeholder(sak, av)
    punkt = Motelistepunkt.objects.select_related("mote__utvalg").get(pk=punkt.pk)
    punkt.sak = sak
    if punkt.status != Motelistepunkt.Status.AKTIV:
        # The state values are the Norwegian verbs: "flyttet", "fjernet".
        raise SakFeil(f"{_sak_tekst(sak)} er allerede {punkt.status} fra listen til {_mote_tekst(punkt.mote)}.")
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
            raise SakFeil(f"Saken kan bare flyttes til et senere møte i {fra.utvalg}.")
        _sjekk_kommende(til_mote)
        if Motelistepunkt.objects.filter(sak=sak, mote=til_mote, status=Motelistepunkt.Status.AKTIV).exists():
            raise SakFeil(f"{_sak_tekst(sak)} står allerede på listen til {_mote_tekst(til_mote)}.")
        ny = Motelistepunkt.objects.create(sak=sak, mote=til_mote, lagt_til_av=av)
        punkt.status = Motelistepunkt.Status.FLYTTET
        punkt.grunn = grunn
        punkt.flyttet_til = ny
        punkt.endret_av = av
        punkt.endret = timezone.now()
        punkt.save(update_fields=["status", "grunn", "flyttet_til", "endret_av", "endret"])
        # One e-mail per move, about the meeting the case leaves: its agenda is the one that may need mending.
        _varsle(punkt, fra, "flyttet",
                f"{av} flyttet {_sak_tekst(sak)} fra listen til {_mote_tekst(fra)} "
                f"til listen til {_mote_tekst(til_mote)}. Grunn: {grunn}")
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
                f"{av} fjernet {_sak_tekst(punkt.sak)} fra listen til {_mote_tekst(punkt.mote)}. Grunn: {grunn}")
    return punkt
