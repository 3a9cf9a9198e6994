"""Dispatch of the vedtaksbrev, with the saksutskrift as enclosure, to one party.

One interface, `send(forsendelse) -> Resultat`, and two backends chosen by `settings.UTSENDING_BACKEND`:

- `ManuellUtsending` ("manuell", the default): nothing leaves Overgang. The case officer has sent the letter in
  SvarUt's own pages and records the shipment id and date, which the service has put on the row.
- `SvarUtUtsending` ("svarut"): sends the party's current letter and the saksutskrift, each as its own PDF
  document (the PDF/A rendering of a .docx), through the SvarUt REST API (`saker.svarut`), with the row's
  external reference as idempotency key, so a retry never sends twice.

A backend only talks to the outside world; the services in `saker.services` claim the row before calling
`send` and record the result after it, each in its own short transaction. Error messages are Norwegian and
never carry an identity number: they are stored on the row and shown on the case page.
"""

import datetime
import logging
import re
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models.fields.files import FieldFile
from django.utils import timezone

from . import svarut
from .dokument_pdf import DokumentPdf
from .filer.pdfa import PDF_MIME
from .models import Dokument, Forsendelse, Vedtak

logger = logging.getLogger(__name__)

# A claim older than this is taken to belong to a request that died; it may be taken again. The same external
# reference makes that safe once SvarUt has the shipment, so the claim must outlive a send still in flight: the
# client makes up to three calls (look-up, send, status), each allowed SVARUT_TIMEOUT.
MINST_HENGT = datetime.timedelta(minutes=15)


def hengt_etter() -> datetime.timedelta:
    return max(MINST_HENGT, datetime.timedelta(seconds=4 * settings.SVARUT_TIMEOUT))

_ULOVLIG_I_SVARUT_FILNAVN = re.compile(r'["<>?*|:\\/]')
_SAKSNR = re.compile(r"^(\d{2}|\d{4})/(\d{1,6})")


class UtsendingFeil(Exception):
    """The letter was not sent. The message is Norwegian, safe to show, and never holds an identity number."""


@dataclass(frozen=True)
class Resultat:
    forsendelse_id: str
    sendt: datetime.datetime
    svarut_status: str = ""


class Utsending(Protocol):
    kanal: str  # a Forsendelse.Kanal value

    def send(self, forsendelse: Forsendelse) -> Resultat: ...


class ManuellUtsending:
    """The letter was sent by hand in SvarUt; this checks the receipt the case officer typed in."""

    kanal = Forsendelse.Kanal.MANUELL

    def send(self, forsendelse: Forsendelse) -> Resultat:
        forsendelse_id = forsendelse.forsendelse_id.strip()
        if not forsendelse_id:
            raise UtsendingFeil("Skriv inn forsendelses-id-en fra SvarUt.")
        if forsendelse.sendt is None:
            raise UtsendingFeil("Skriv inn datoen brevet ble sendt.")
        if forsendelse.sendt > timezone.now():
            raise UtsendingFeil("Datoen brevet ble sendt kan ikke være fram i tid.")
        return Resultat(forsendelse_id=forsendelse_id, sendt=forsendelse.sendt)


class SvarUtUtsending:
    """Sends through KS Fiks SvarUt. Expects the row with its party, case, letter and the case's vedtak."""

    kanal = Forsendelse.Kanal.SVARUT

    def __init__(self, klient: svarut.SvarUtKlient):
        self.klient = klient

    def send(self, forsendelse: Forsendelse) -> Resultat:
        part = forsendelse.part
        sak = part.sak
        vedtak = Vedtak.objects.select_related("saksutskrift").filter(sak=sak).first()
        if forsendelse.brev is None:
            raise UtsendingFeil("Forsendelsen har ikke noe vedtaksbrev.")
        if vedtak is None or vedtak.saksutskrift is None:
            raise UtsendingFeil("Saksutskriften mangler, så brevet kan ikke sendes med vedlegget sitt.")
        filer = _svarut_filer([forsendelse.brev, vedtak.saksutskrift])
        saksaar, sekvens = _saksnummer(sak.arkivsaksnr)
        utsendelse = svarut.Forsendelse(
            tittel=f"Melding om vedtak – {sak.tittel_ut}"[:250],
            mottaker=svarut.Mottaker(navn=part.navn, adresse=part.adresse, postnummer=part.postnummer,
                                     poststed=part.poststed, orgnr=part.orgnr, fnr=part.fnr),
            filer=filer,
            ekstern_referanse=str(forsendelse.ekstern_referanse),
            saksaar=saksaar,
            sakssekvensnummer=sekvens,
            saksbehandler=str(sak.saksbehandler),
            dokumentets_dato=timezone.localtime(forsendelse.brev.lastet_opp).date(),
            skjermet=sak.unntatt_offentlighet,
        )
        try:
            forsendelse_id = self.klient.send(utsendelse)
        except svarut.SvarUtFeil as feil:
            raise UtsendingFeil(feil.melding) from None
        try:
            status = self.klient.status(forsendelse_id)
        except svarut.SvarUtFeil:
            # The shipment is accepted; its first status is only a detail, and must not turn it into a failure.
            logger.warning("Fikk ikke status for forsendelse %s fra SvarUt", forsendelse_id)
            status = ""
        return Resultat(forsendelse_id=forsendelse_id, sendt=timezone.now(), svarut_status=status)


def _som_pdf(dokument: Dokument) -> tuple[str, FieldFile]:
    """The file that goes to SvarUt: a PDF as it is, anything else as its PDF/A rendering (DokumentPdf),
    which the service made before the claim. SvarUt prints only PDF, so a letter never goes as .docx."""
    if dokument.mime == PDF_MIME:
        return dokument.filnavn, dokument.fil
    rad = DokumentPdf.objects.filter(dokument=dokument, status=DokumentPdf.Status.FERDIG).first()
    if rad is None:
        raise UtsendingFeil(f"«{dokument.filnavn}» er ikke gjort om til PDF ennå, og SvarUt tar bare PDF.")
    return rad.filnavn, rad.fil


def _svarut_filer(dokumenter: list[Dokument]) -> list[svarut.Fil]:
    filer: list[svarut.Fil] = []
    brukt: set[str] = set()
    for dokument in dokumenter:
        filnavn, kilde = _som_pdf(dokument)
        navn = _ULOVLIG_I_SVARUT_FILNAVN.sub("-", filnavn)
        if navn in brukt:  # SvarUt refuses two files of the same name in one shipment
            navn = f"{dokument.get_rolle_display()} {navn}"
        brukt.add(navn)
        try:
            with kilde.open("rb") as fil:
                innhold = fil.read()
        except FileNotFoundError:
            raise UtsendingFeil(f"Filen «{filnavn}» finnes ikke lenger.") from None
        filer.append(svarut.Fil(filnavn=navn, mimetype=PDF_MIME, innhold=innhold))
    return filer


def _saksnummer(arkivsaksnr: str) -> tuple[int | None, int | None]:
    """The old system's case year and sequence for SvarUt's metadata: "19/01234" is (2019, 1234)."""
    treff = _SAKSNR.match(arkivsaksnr)
    if not treff:
        return None, None
    aar = int(treff.group(1))
    return (aar + 2000 if aar < 100 else aar), int(treff.group(2))


def kanal() -> str:
    """The configured channel, without building a client: what the case page offers."""
    return settings.UTSENDING_BACKEND


def svarut_klient() -> svarut.SvarUtKlient:
    mangler = [navn for navn in ("SVARUT_URL", "SVARUT_BRUKERNAVN", "SVARUT_PASSORD") if not getattr(settings, navn)]
    if mangler:
        raise ImproperlyConfigured(f"UTSENDING_BACKEND er «svarut», men {', '.join(mangler)} er ikke satt.")
    try:
        return svarut.SvarUtKlient(settings.SVARUT_URL, settings.SVARUT_BRUKERNAVN, settings.SVARUT_PASSORD,
                                   timeout=settings.SVARUT_TIMEOUT)
    except ValueError as feil:
        raise ImproperlyConfigured(f"SVARUT_URL: {feil}") from None


def backend() -> Utsending:
    """The backend chosen by UTSENDING_BACKEND; "svarut" without its account raises ImproperlyConfigured."""
    if settings.UTSENDING_BACKEND == Forsendelse.Kanal.MANUELL:
        return ManuellUtsending()
    if settings.UTSENDING_BACKEND == Forsendelse.Kanal.SVARUT:
        return SvarUtUtsending(svarut_klient())
    raise ImproperlyConfigured("UTSENDING_BACKEND må være «manuell» eller «svarut».")
