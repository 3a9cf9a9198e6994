"""The secretariat's changes: registering a received case in P360, and building a meeting's agenda with its
utvalgssaksnummer. Each function checks the actor and the current state under row locks and raises SakFeil
with a Norwegian message otherwise; views only call them."""

import logging
import re
from typing import Literal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from overgang.datoer import norsk_dato
from overgang.organisasjon.models import Bruker, Mote, Rolle, Utvalg
from overgang.varsler.services import notify
from saker.models import GODKJENTE, Sak
from saker.services import SakFeil

from .models import Nummerserie, Registrering, Sakslistepunkt, Sakstype

logger = logging.getLogger(__name__)

# P360's numbers: two-digit year / sequence, and the document number is the case number, a dash and the
# document's sequence within the case (20/00123-4).
P360_SAKSNR_RE = re.compile(r"^\d{2}/\d{1,6}$")
P360_DOKUMENTNR_RE = re.compile(r"^(?P<saksnr>\d{2}/\d{1,6})-\d{1,4}$")

Retning = Literal["opp", "ned"]

# Cases that may go on an agenda: approved (a director's list may place it before it arrives) or with the
# secretariat. A decided, withdrawn or closed case has finished its route.
KAN_SETTES_OPP = frozenset({Sak.Status.GODKJENT, Sak.Status.SENDT_SEKRETARIAT})


def sjekk_p360_numre(p360_saksnr: str, p360_dokumentnr: str) -> None:
    """The format rules shared by the form and the service, so a caller without the form cannot store a
    number that P360 would never have given."""
    if not P360_SAKSNR_RE.match(p360_saksnr):
        raise SakFeil("P360-saksnummeret må skrives som år/nummer med to sifre for året, f.eks. 20/00123.")
    treff = P360_DOKUMENTNR_RE.match(p360_dokumentnr)
    if not treff:
        raise SakFeil("P360-dokumentnummeret må skrives som saksnummer, bindestrek og dokumentets nummer, "
                      "f.eks. 20/00123-4.")
    if treff["saksnr"] != p360_saksnr:
        raise SakFeil(f"Dokumentnummeret må høre til saken: det skal begynne med {p360_saksnr}-.")


def _sjekk_sekretariat(av: Bruker, handling: str) -> None:
    if not av.har_rolle(Rolle.SEKRETARIAT):
        raise SakFeil(f"Bare politisk sekretariat kan {handling}.")


def registrer_i_p360(*, sak: Sak, av: Bruker, p360_saksnr: str, p360_dokumentnr: str) -> Registrering:
    """Record the numbers the secretariat gave the saksframlegg in P360, and who did it."""
    _sjekk_sekretariat(av, "registrere saker i P360")
    p360_saksnr, p360_dokumentnr = p360_saksnr.strip(), p360_dokumentnr.strip()
    sjekk_p360_numre(p360_saksnr, p360_dokumentnr)
    with transaction.atomic():
        # Locking the case serialises two secretaries registering it at once: the second sees the first's row.
        sak = Sak.objects.select_for_update().get(pk=sak.pk)
        if not sak.er_mottatt:
            raise SakFeil("Saken er ikke mottatt av sekretariatet ennå og kan ikke registreres i P360.")
        tidligere = Registrering.objects.filter(sak=sak).select_related("registrert_av").first()
        if tidligere is not None:
            raise SakFeil(f"Saken er allerede registrert i P360 som {tidligere.p360_saksnr} "
                          f"av {tidligere.registrert_av} {timezone.localtime(tidligere.registrert):%d.%m.%Y}.")
        try:
            # A savepoint, so a refused number leaves the surrounding transaction usable.
            with transaction.atomic():
                registrering = Registrering.objects.create(sak=sak, p360_saksnr=p360_saksnr,
                                                           p360_dokumentnr=p360_dokumentnr, registrert_av=av)
        except IntegrityError:
            # The unique constraint is the real guard (two cases registered at once with the same number);
            # this turns it into a message instead of a server error.
            raise SakFeil(f"Dokumentnummeret {p360_dokumentnr} er allerede registrert på en annen sak. "
                          "Kontroller nummeret i P360.") from None
    return registrering


def _last_mote(mote: Mote) -> Mote:
    """Re-read the meeting under a row lock: changes to one agenda are served one after the other, so two
    placements on the same meeting never both take the last place plus one."""
    mote = Mote.objects.select_for_update(of=("self",)).select_related("utvalg").get(pk=mote.pk)
    if mote.status != Mote.Status.PLANLAGT:
        raise SakFeil(f"Møtet er {mote.get_status_display().lower()}, og sakslisten kan ikke endres.")
    return mote


def _trekk_nummer(*, utvalg: Utvalg, aar: int, type: str) -> int:
    """The next utvalgssaksnummer in the committee's series for the year and type.

    The series row is locked until the placement commits, so a second placement in the same committee
    (on any of its meetings) waits and then takes the number after. The row is made on the year's first
    placement; if two first placements race, the loser's insert fails on the unique constraint inside
    get_or_create's savepoint and it locks the winner's row instead.
    """
    serier = Nummerserie.objects.select_for_update()
    kriterier = {"utvalg": utvalg, "aar": aar, "type": type}

    def siste_brukte() -> int:
        # Numbers given before the series existed (e.g. added in the admin) are never given again.
        return Sakslistepunkt.objects.filter(**kriterier).aggregate(m=Max("nummer"))["m"] or 0

    try:
        serie, _ = serier.get_or_create(**kriterier, defaults={"siste": siste_brukte})
    except IntegrityError:
        # get_or_create re-reads after a lost race; should that read still miss the row, the winner has
        # committed by now and one more locking read finds it.
        serie = serier.get(**kriterier)
    serie.siste += 1
    serie.save(update_fields=["siste"])
    return serie.siste


def saksliste_legg_til(*, mote: Mote, sak: Sak, av: Bruker, type: str = Sakstype.PS) -> Sakslistepunkt:
    """Place a case last on a planned meeting's agenda with the next number in the committee's series,
    and tell its case officer."""
    _sjekk_sekretariat(av, "endre sakslister")
    if type not in Sakstype.values:
        raise SakFeil("Velg om saken er en politisk sak (PS) eller en referatsak (RS).")
    with transaction.atomic():
        # Lock order: meeting, case, number series. Every agenda change takes them in this order.
        mote = _last_mote(mote)
        sak = Sak.objects.select_for_update(of=("self",)).select_related("saksbehandler").get(pk=sak.pk)
        if sak.status not in GODKJENTE:
            raise SakFeil("Bare godkjente saker kan settes på en saksliste.")
        if sak.status not in KAN_SETTES_OPP:
            raise SakFeil(f"Saken er {sak.get_status_display().lower()} og kan ikke settes på en saksliste.")
        behandling = sak.behandlinger.filter(utvalg=mote.utvalg).first()
        if behandling is None:
            raise SakFeil(f"{mote.utvalg} er ikke med i sakens saksgang.")
        if Sakslistepunkt.objects.filter(mote=mote, sak=sak).exists():
            raise SakFeil("Saken står allerede på sakslisten til dette møtet.")
        aar = timezone.localtime(mote.tidspunkt).year
        nummer = _trekk_nummer(utvalg=mote.utvalg, aar=aar, type=type)
        sist = mote.sakslistepunkter.aggregate(m=Max("rekkefolge"))["m"] or 0
        punkt = Sakslistepunkt.objects.create(
            mote=mote, sak=sak, behandling=behandling, utvalg=mote.utvalg, type=type, aar=aar, nummer=nummer,
            rekkefolge=sist + 1, lagt_til_av=av,
        )
        notify("sak_satt_pa_saksliste", sak, [sak.saksbehandler], nokkel=f"sakslistepunkt:{punkt.pk}",
               kontekst={"kommentar": f"{mote.utvalg.navn}, møte {norsk_dato(mote.tidspunkt)}, "
                                      f"sak {punkt.utvalgssaksnr}."})
    return punkt


def _last_punkt(punkt: Sakslistepunkt) -> tuple[Mote, Sakslistepunkt]:
    mote = _last_mote(Mote(pk=punkt.mote_id))
    try:
        return mote, Sakslistepunkt.objects.select_related("sak").get(pk=punkt.pk, mote=mote)
    except Sakslistepunkt.DoesNotExist:
        raise SakFeil("Saken står ikke lenger på sakslisten.") from None


def saksliste_flytt(*, punkt: Sakslistepunkt, av: Bruker, retning: Retning) -> Sakslistepunkt:
    """Swap a case with its neighbour above ("opp") or below ("ned"). The numbers stay: they are given once."""
    _sjekk_sekretariat(av, "endre sakslister")
    if retning not in ("opp", "ned"):
        raise SakFeil("Ukjent retning.")
    with transaction.atomic():
        mote, punkt = _last_punkt(punkt)
        punkter = list(mote.sakslistepunkter.order_by("rekkefolge", "pk"))
        i = next(i for i, p in enumerate(punkter) if p.pk == punkt.pk)
        j = i - 1 if retning == "opp" else i + 1
        if not 0 <= j < len(punkter):
            raise SakFeil(f"Saken står allerede {'først' if retning == 'opp' else 'sist'} på sakslisten.")
        punkter[i], punkter[j] = punkter[j], punkter[i]
        # Renumber 1..n rather than swap two values, so gaps left by removals or equal places do no harm.
        endret = []
        for plass, p in enumerate(punkter, start=1):
            if p.rekkefolge != plass:
                p.rekkefolge = plass
                endret.append(p)
        Sakslistepunkt.objects.bulk_update(endret, ["rekkefolge"])
    return punkter[j]


def saksliste_fjern(*, punkt: Sakslistepunkt, av: Bruker) -> None:
    """Take a case off a planned meeting's agenda. Its number is not given again: the series only counts up,
    so a printed or published number never comes to mean another case."""
    _sjekk_sekretariat(av, "endre sakslister")
    with transaction.atomic():
        mote, punkt = _last_punkt(punkt)
        logger.info("%s fjernet %s (sak %s) fra sakslisten til %s", av, punkt.utvalgssaksnr, punkt.sak_id, mote)
        punkt.delete()
