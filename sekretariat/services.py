"""The secretariat's changes: registering a received case in P360, building a meeting's agenda with its
utvalgssaksnummer, marking the meeting held or cancelled, and recording each case's outcome afterwards. Each
function checks the actor and the current state under row locks and raises SekretariatFeil (or, from the
case's own services, SakFeil) with a Norwegian message otherwise; views only call them.

Lock order, in every function: the meeting, then the case (saker.services.last_sak), then the number series."""

import logging
import re
from dataclasses import dataclass
from typing import Literal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from overgang.datoer import norsk_dato
from overgang.endringslogg.models import Handling
from overgang.endringslogg.services import logg
from overgang.feil import Feil
from overgang.organisasjon.models import Bruker, Mote, Rolle, Utvalg
from overgang.organisasjon.tilgang import sjekk_rolle
from overgang.varsler.paminnelser import Paminnelse, send_paminnelse
from overgang.varsler.services import notify
from saker import services as saker_services
from saker.models import GODKJENTE, UNDER_BEHANDLING, Behandling, Dokument, Registrering, Sak, Vedtak
from saker.selectors import saksbehandlerne
from saker.services import Opplasting, last_sak, rydd_filer_ved_feil

from . import kontroll
from .models import Nummerserie, Sakslistepunkt, Sakstype, Utfall
from .selectors import neste_behandling

logger = logging.getLogger(__name__)

# P360's numbers: two-digit year / sequence, and the document number is the case number, a dash and the
# document's sequence within the case (20/00123-4).
P360_SAKSNR_RE = re.compile(r"^\d{2}/\d{1,6}$")
P360_DOKUMENTNR_RE = re.compile(r"^(?P<saksnr>\d{2}/\d{1,6})-\d{1,4}$")

Retning = Literal["opp", "ned"]



class SekretariatFeil(Feil):
    """A change to a registration, an agenda or a meeting that is not allowed now (Norwegian, shown as it is)."""


def sjekk_p360_numre(p360_saksnr: str, p360_dokumentnr: str) -> None:
    """The format rules shared by the form and the service, so a caller without the form cannot store a
    number that P360 would never have given."""
    if not P360_SAKSNR_RE.match(p360_saksnr):
        raise SekretariatFeil("P360-saksnummeret må skrives som år/nummer med to sifre for året, f.eks. 20/00123.")
    treff = P360_DOKUMENTNR_RE.match(p360_dokumentnr)
    if not treff:
        raise SekretariatFeil("P360-dokumentnummeret må skrives som saksnummer, bindestrek og dokumentets nummer, "
                      "f.eks. 20/00123-4.")
    if treff["saksnr"] != p360_saksnr:
        raise SekretariatFeil(f"Dokumentnummeret må høre til saken: det skal begynne med {p360_saksnr}-.")


def _sjekk_sekretariat(av: Bruker, handling: str) -> None:
    sjekk_rolle(av, Rolle.SEKRETARIAT, handling, SekretariatFeil)


def registrer_i_p360(*, sak: Sak, av: Bruker, p360_saksnr: str, p360_dokumentnr: str) -> Registrering:
    """Record the numbers the secretariat gave the saksframlegg in P360, and who did it."""
    _sjekk_sekretariat(av, "registrere saker i P360")
    p360_saksnr, p360_dokumentnr = p360_saksnr.strip(), p360_dokumentnr.strip()
    sjekk_p360_numre(p360_saksnr, p360_dokumentnr)
    with transaction.atomic():
        # Locking the case serialises two secretaries registering it at once: the second sees the first's row.
        sak = last_sak(sak)
        if not sak.er_mottatt:
            raise SekretariatFeil("Saken er ikke mottatt av sekretariatet ennå og kan ikke registreres i P360.")
        tidligere = Registrering.objects.filter(sak=sak).select_related("registrert_av").first()
        if tidligere is not None:
            raise SekretariatFeil(f"Saken er allerede registrert i P360 som {tidligere.p360_saksnr} "
                          f"av {tidligere.registrert_av} {timezone.localtime(tidligere.registrert):%d.%m.%Y}.")
        try:
            # A savepoint, so a refused number leaves the surrounding transaction usable.
            with transaction.atomic():
                registrering = Registrering.objects.create(sak=sak, p360_saksnr=p360_saksnr,
                                                           p360_dokumentnr=p360_dokumentnr, registrert_av=av)
                logg(av=av, handling=Handling.OPPRETTET, objekt=registrering, sak_id=sak.pk)
        except IntegrityError:
            # The unique constraint is the real guard (two cases registered at once with the same number);
            # this turns it into a message instead of a server error.
            raise SekretariatFeil(f"Dokumentnummeret {p360_dokumentnr} er allerede registrert på en annen sak. "
                          "Kontroller nummeret i P360.") from None
    return registrering


def _last_mote(mote: Mote) -> Mote:
    """Re-read the meeting under a row lock: changes to one agenda are served one after the other, so two
    placements on the same meeting never both take the last place plus one."""
    mote = Mote.objects.select_for_update(of=("self",)).select_related("utvalg").get(pk=mote.pk)
    if mote.status != Mote.Status.PLANLAGT:
        raise SekretariatFeil(f"Møtet er {mote.get_status_display().lower()}, og sakslisten kan ikke endres.")
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


def saksliste_legg_til(*, mote: Mote, sak: Sak, av: Bruker, type: str = Sakstype.PS,
                       varsle: bool = True) -> Sakslistepunkt:
    """Place a case last on a planned meeting's agenda with the next number in the committee's series,
    and tell its case officer (unless `varsle` is false: an outcome placing it tells them in its own e-mail)."""
    _sjekk_sekretariat(av, "endre sakslister")
    if type not in Sakstype.values:
        raise SekretariatFeil("Velg om saken er en politisk sak (PS) eller en referatsak (RS).")
    with transaction.atomic():
        # Lock order: meeting, case, number series. Every agenda change takes them in this order.
        mote = _last_mote(mote)
        sak = last_sak(sak)
        if sak.status not in GODKJENTE:
            raise SekretariatFeil("Bare godkjente saker kan settes på en saksliste.")
        if sak.status not in UNDER_BEHANDLING:
            raise SekretariatFeil(f"Saken er {sak.get_status_display().lower()} og kan ikke settes på en saksliste.")
        behandling = sak.behandlinger.filter(utvalg=mote.utvalg).first()
        if behandling is None:
            raise SekretariatFeil(f"{mote.utvalg} er ikke med i sakens saksgang.")
        if Sakslistepunkt.objects.filter(mote=mote, sak=sak).exists():
            raise SekretariatFeil("Saken står allerede på sakslisten til dette møtet.")
        aar = timezone.localtime(mote.tidspunkt).year
        nummer = _trekk_nummer(utvalg=mote.utvalg, aar=aar, type=type)
        sist = mote.sakslistepunkter.aggregate(m=Max("rekkefolge"))["m"] or 0
        punkt = Sakslistepunkt.objects.create(
            mote=mote, sak=sak, behandling=behandling, utvalg=mote.utvalg, type=type, aar=aar, nummer=nummer,
            rekkefolge=sist + 1, lagt_til_av=av,
        )
        logg(av=av, handling=Handling.OPPRETTET, objekt=punkt, sak_id=sak.pk, kommentar=str(mote))
        if varsle:
            notify("sak_satt_pa_saksliste", sak, saksbehandlerne(sak), nokkel=f"sakslistepunkt:{punkt.pk}",
                   kontekst={"kommentar": mote.sak_tekst(punkt.utvalgssaksnr)})
    return punkt



def _last_punkt(punkt: Sakslistepunkt) -> tuple[Mote, Sakslistepunkt]:
    mote = _last_mote(Mote(pk=punkt.mote_id))
    try:
        return mote, Sakslistepunkt.objects.select_related("sak").get(pk=punkt.pk, mote=mote)
    except Sakslistepunkt.DoesNotExist:
        raise SekretariatFeil("Saken står ikke lenger på sakslisten.") from None


def saksliste_flytt(*, punkt: Sakslistepunkt, av: Bruker, retning: Retning) -> Sakslistepunkt:
    """Swap a case with its neighbour above ("opp") or below ("ned"). The numbers stay: they are given once."""
    _sjekk_sekretariat(av, "endre sakslister")
    if retning not in ("opp", "ned"):
        raise SekretariatFeil("Ukjent retning.")
    with transaction.atomic():
        mote, punkt = _last_punkt(punkt)
        punkter = list(mote.sakslistepunkter.order_by("rekkefolge", "pk"))
        i = next(i for i, p in enumerate(punkter) if p.pk == punkt.pk)
        j = i - 1 if retning == "opp" else i + 1
        if not 0 <= j < len(punkter):
            raise SekretariatFeil(f"Saken står allerede {'først' if retning == 'opp' else 'sist'} på sakslisten.")
        punkter[i], punkter[j] = punkter[j], punkter[i]
        # Renumber 1..n rather than swap two values, so gaps left by removals or equal places do no harm.
        endret = []
        for plass, p in enumerate(punkter, start=1):
            if p.rekkefolge != plass:
                p.rekkefolge = plass
                endret.append(p)
        Sakslistepunkt.objects.bulk_update(endret, ["rekkefolge"])
        logg(av=av, handling=Handling.ENDRET, objekt=punkt, sak_id=punkt.sak_id, felt="rekkefølge", gammel=i + 1,
             ny=j + 1, kommentar=str(mote))
    return punkter[j]


def saksliste_fjern(*, punkt: Sakslistepunkt, av: Bruker) -> None:
    """Take a case off a planned meeting's agenda. Its number is not given again: the series only counts up,
    so a printed or published number never comes to mean another case."""
    _sjekk_sekretariat(av, "endre sakslister")
    with transaction.atomic():
        mote, punkt = _last_punkt(punkt)
        logger.info("%s fjernet %s (sak %s) fra sakslisten til %s", av, punkt.utvalgssaksnr, punkt.sak_id, mote)
        logg(av=av, handling=Handling.SLETTET, objekt=punkt, sak_id=punkt.sak_id,
             kommentar=f"Fjernet fra sakslisten til {mote}; nummeret brukes ikke om igjen.")
        punkt.delete()


# The meeting's state

def _last_mote_for_status(mote: Mote) -> Mote:
    mote = Mote.objects.select_for_update(of=("self",)).select_related("utvalg").get(pk=mote.pk)
    if mote.status == Mote.Status.AVHOLDT:
        raise SekretariatFeil("Møtet er allerede markert som avholdt.")
    if mote.status == Mote.Status.AVLYST:
        raise SekretariatFeil("Møtet er avlyst.")
    return mote


def mote_avhold(*, mote: Mote, av: Bruker) -> Mote:
    """Mark a planned meeting held (planlagt → avholdt). From then its agenda is closed, and the outcome of
    each case on it is recorded."""
    _sjekk_sekretariat(av, "markere møter som avholdt")
    with transaction.atomic():
        # The meeting lock is the one every agenda change takes first: no case is added while it closes.
        mote = _last_mote_for_status(mote)
        if timezone.localdate(mote.tidspunkt) > timezone.localdate():
            raise SekretariatFeil(f"Møtet er {norsk_dato(mote.tidspunkt)} og kan ikke markeres som avholdt før "
                                  "møtedagen.")
        logg(av=av, handling=Handling.ENDRET, objekt=mote, felt="status", gammel=mote.get_status_display(),
             ny=Mote.Status.AVHOLDT.label)
        mote.status = Mote.Status.AVHOLDT
        mote.save(update_fields=["status"])
        logger.info("%s markerte %s som avholdt", av, mote)
    return mote


def mote_avlys(*, mote: Mote, av: Bruker) -> Mote:
    """Cancel a planned meeting (planlagt → avlyst). Only an empty agenda may be cancelled: a case on it would
    silently lose its meeting, so the secretariat removes (and re-places) each case first."""
    _sjekk_sekretariat(av, "avlyse møter")
    with transaction.atomic():
        mote = _last_mote_for_status(mote)
        antall = mote.sakslistepunkter.count()
        if antall:
            sakene, dem, de = ("sakene", "dem", "de") if antall > 1 else ("saken", "den", "den")
            raise SekretariatFeil(f"Møtet har {antall} sak{'er' if antall > 1 else ''} på sakslisten. Fjern {sakene} "
                                  f"fra sakslisten før møtet avlyses, og sett {dem} på et annet møte om {de} "
                                  "skal behandles.")
        logg(av=av, handling=Handling.ENDRET, objekt=mote, felt="status", gammel=mote.get_status_display(),
             ny=Mote.Status.AVLYST.label)
        mote.status = Mote.Status.AVLYST
        mote.save(update_fields=["status"])
        logger.info("%s avlyste %s", av, mote)
    return mote


# Outcomes after the meeting

@dataclass(frozen=True)
class Utfallsregistrering:
    punkt: Sakslistepunkt
    vedtak: Vedtak | None = None
    videre: Sakslistepunkt | None = None  # the case's new place on a later agenda (innstilling, utsatt)


def _last_punkt_for_utfall(punkt: Sakslistepunkt) -> Sakslistepunkt:
    """Re-read the agenda item under a row lock: two secretaries recording the same case's outcome at once
    are served one after the other, and the second sees the first one's outcome."""
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the handling.
    punkt = (Sakslistepunkt.objects.select_for_update(of=("self",))
             .select_related("mote__utvalg", "sak", "behandling", "utfall_registrert_av").get(pk=punkt.pk))
    sjekk_utfall_apent(punkt)
    return punkt


def sjekk_utfall_apent(punkt: Sakslistepunkt) -> None:
    """The meeting is held and the item's outcome not yet recorded (it is recorded once)."""
    if punkt.mote.status == Mote.Status.AVLYST:
        raise SekretariatFeil("Møtet er avlyst, og det er ikke noe utfall å registrere.")
    if punkt.mote.status != Mote.Status.AVHOLDT:
        raise SekretariatFeil("Utfallet registreres når møtet er avholdt. Marker møtet som avholdt først.")
    if punkt.utfall:
        raise SekretariatFeil(f"Utfallet for {punkt.utvalgssaksnr} er allerede registrert som "
                      f"«{punkt.get_utfall_display().lower()}» av {punkt.utfall_registrert_av} "
                      f"{timezone.localtime(punkt.utfall_registrert):%d.%m.%Y}. Det kan ikke registreres på nytt.")


def _sjekk_neste_mote(punkt: Sakslistepunkt, utfall: str, neste_mote: Mote | None,
                      neste: Behandling | None) -> None:
    mote = punkt.mote
    if utfall == Utfall.INNSTILLING:
        if neste is None:
            raise SekretariatFeil(f"{mote.utvalg.navn} er siste utvalg i sakens saksgang, så det er ikke noe utvalg "
                                  "å gi innstilling til. Registrer vedtaket i stedet.")
        if neste_mote is None:
            raise SekretariatFeil(f"Velg møtet i {neste.utvalg.navn} som saken skal videre til.")
        if neste_mote.utvalg_id != neste.utvalg_id:
            raise SekretariatFeil(f"Innstillingen går til {neste.utvalg.navn}, neste utvalg i saksgangen. "
                                  "Velg et møte der.")
    elif neste_mote is not None and utfall == Utfall.UTSATT and neste_mote.utvalg_id != punkt.utvalg_id:
        raise SekretariatFeil(f"En utsatt sak behandles på nytt i {mote.utvalg.navn}. Velg et senere møte der.")
    elif neste_mote is not None and utfall not in (Utfall.INNSTILLING, Utfall.UTSATT):
        raise SekretariatFeil("Et nytt møte velges bare når saken går videre med innstilling eller er utsatt.")
    if neste_mote is not None and not neste_mote.er_kommende(mote.tidspunkt):
        raise SekretariatFeil("Velg et kommende, planlagt møte.")


def utfall_registrer(*, punkt: Sakslistepunkt, av: Bruker, utfall: str, tekst: str = "",
                     neste_mote: Mote | None = None, saksutskrift: Opplasting | None = None) -> Utfallsregistrering:
    """Record what a held meeting did with one case on its agenda, once, in one transaction with what follows
    for the case:

    vedtak       the case is decided (saker.vedtak records the Vedtak; the case officer is told)
    innstilling  the case goes on to `neste_mote` of the next committee on its route, placed on its agenda now
    utsatt       the case stays with the secretariat; placed on `neste_mote` of the same committee if chosen,
                 otherwise the control flags it until it is placed
    trukket      the case is withdrawn (saker.vedtak; the case officer is told)

    The saksutskrift from P360 is required for vedtak and innstilling, optional otherwise. If anything is
    refused, nothing is kept: no row and no file.
    """
    _sjekk_sekretariat(av, "registrere utfall")
    if utfall not in Utfall.values:
        raise SekretariatFeil("Velg utfall: vedtak, innstilling, utsatt eller trukket.")
    tekst = tekst.strip()
    if utfall == Utfall.VEDTAK and not tekst:
        raise SekretariatFeil("Skriv vedtaket slik det står i møteprotokollen.")
    if utfall == Utfall.INNSTILLING and not tekst:
        raise SekretariatFeil("Skriv innstillingen slik den står i møteprotokollen.")
    if utfall in (Utfall.VEDTAK, Utfall.INNSTILLING) and saksutskrift is None:
        raise SekretariatFeil("Last opp saksutskriften fra P360 (PDF eller Word).")
    if saksutskrift is not None:
        saker_services.sjekk_spor(saksutskrift, Dokument.Rolle.SAKSUTSKRIFT)

    with rydd_filer_ved_feil() as lagret, transaction.atomic():
        punkt = _last_punkt_for_utfall(punkt)
        mote, sak = punkt.mote, punkt.sak
        behandlinger = list(sak.behandlinger.select_related("utvalg"))
        behandling = next((b for b in behandlinger if b.pk == punkt.behandling_id), None) or next(
            (b for b in behandlinger if b.utvalg_id == punkt.utvalg_id), None)
        if behandling is None:
            raise SekretariatFeil(f"{mote.utvalg.navn} er ikke lenger med i sakens saksgang, så utfallet kan ikke "
                                  "knyttes til en behandling.")
        _sjekk_neste_mote(punkt, utfall, neste_mote, neste_behandling(behandlinger, behandling))

        vedtak = videre = None
        dokument: Dokument | None = None
        if utfall == Utfall.VEDTAK:
            vedtak = saker_services.sak_registrer_vedtak(sak=sak, av=av, behandling=behandling, mote=mote,
                                                     utvalgssaksnr=punkt.utvalgssaksnr, tekst=tekst,
                                                     saksutskrift=saksutskrift)
            dokument = vedtak.saksutskrift
            lagret.append(dokument)
        else:
            if neste_mote is not None:
                # Lock order as for every agenda change: meeting, case, number series.
                neste_mote = _last_mote(neste_mote)
            sak = last_sak(sak)
            if utfall == Utfall.UTSATT:
                if sak.status not in UNDER_BEHANDLING:
                    raise SekretariatFeil(f"Saken er {sak.get_status_display().lower()} og kan ikke utsettes.")
            else:
                saker_services.sjekk_hos_sekretariatet(
                    sak, "trekke den" if utfall == Utfall.TRUKKET else "registrere innstilling")
            if saksutskrift is not None:
                dokument = saker_services.saksutskrift_legg_til(sak=sak, av=av, saksutskrift=saksutskrift)
                lagret.append(dokument)
            if utfall == Utfall.TRUKKET:
                saker_services.sak_trekk(sak=sak, av=av, kommentar=" ".join(
                    d for d in (f"Trukket i {mote.sak_tekst(punkt.utvalgssaksnr)}", tekst) if d))
            elif neste_mote is not None:
                # The case may stand on that agenda already (placed ahead of the meeting): then that is its place.
                videre = (Sakslistepunkt.objects.filter(mote=neste_mote, sak=sak).select_related("mote__utvalg").first()
                          or saksliste_legg_til(mote=neste_mote, sak=sak, av=av, type=punkt.type, varsle=False))
            if utfall in (Utfall.INNSTILLING, Utfall.UTSATT):
                _varsle_videre(punkt, sak, utfall, videre)

        punkt.utfall, punkt.utfall_tekst, punkt.neste_mote, punkt.saksutskrift = utfall, tekst, neste_mote, dokument
        punkt.utfall_registrert_av, punkt.utfall_registrert = av, timezone.now()
        punkt.save(update_fields=["utfall", "utfall_tekst", "neste_mote", "saksutskrift", "utfall_registrert_av",
                                  "utfall_registrert"])
        logg(av=av, handling=Handling.ENDRET, objekt=punkt, sak_id=sak.pk, felt="utfall", ny=punkt.get_utfall_display(),
             kommentar=f"Til {neste_mote}" if neste_mote else "")
        logger.info("%s registrerte utfall %s for %s (sak %s) i %s", av, utfall, punkt.utvalgssaksnr, sak.pk, mote)
    return Utfallsregistrering(punkt=punkt, vedtak=vedtak, videre=videre)


def _varsle_videre(punkt: Sakslistepunkt, sak: Sak, utfall: str, videre: Sakslistepunkt | None) -> None:
    """Tell the case officer where the case goes next, in one e-mail (the placement's own is not sent). The
    texts of the record stay out of it: the case page shows them to those who may read the case."""
    kommentar = punkt.mote.sak_tekst(punkt.utvalgssaksnr)
    if videre is not None:
        kommentar += f" Satt på sakslisten til {videre.mote.sak_tekst(videre.utvalgssaksnr)}"
    elif utfall == Utfall.UTSATT:
        kommentar += " Sekretariatet setter saken på et senere møte."
    hendelse = "innstilling_videre" if utfall == Utfall.INNSTILLING else "sak_utsatt"
    notify(hendelse, sak, saksbehandlerne(sak), nokkel=f"utfall:{punkt.pk}", kontekst={"kommentar": kommentar})


def paminn(*, mote: Mote, sak: Sak, regel: str, av: Bruker) -> list:
    """The control page's "Send påminnelse": remind whoever can mend one discrepancy the control finds now (the
    case officer, the sector's directors, or both: kontroll.PAMINNELSER), with its message as the reason. At
    most once a day for the same case and rule, like the morning's reminders."""
    _sjekk_sekretariat(av, "sende påminnelser")
    if regel not in kontroll.PAMINNELSER:
        raise SekretariatFeil("Dette avviket rettes av sekretariatet selv; det sendes ingen påminnelse om det.")
    avvik = next((a for a in kontroll.kontroller([mote])[mote.pk].avvik if a.sak.pk == sak.pk and a.regel == regel),
                 None)
    if avvik is None:
        raise SekretariatFeil("Avviket er rettet allerede; det sendes ingen påminnelse.")
    hvem, hva = kontroll.PAMINNELSER[regel]
    mottakere = [*(saksbehandlerne(sak) if "saksbehandler" in hvem else []),
                 *(sak.kommunalomrade.godkjennere.filter(is_active=True) if "godkjenner" in hvem else [])]
    if not mottakere:
        raise SekretariatFeil("Ingen mottakere: saken har ingen aktiv saksbehandler eller direktør.")
    with transaction.atomic():
        return send_paminnelse(regel=f"kontroll:{regel}", paminnelse=Paminnelse(
            objekt=sak, mottakere=mottakere, grunn=f"{mote.tekst}: {avvik.melding}", hva=hva))
