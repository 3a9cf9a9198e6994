"""The PDF/A of stored documents: ordered when a letter is made or uploaded, made by a worker, and made on the
spot when a letter is sent before the worker got to it.

A document never changes, so its rendering is made once (`DokumentPdf`, one row per document). A worker
claims the row with a conditional update before it starts LibreOffice, so a task delivered twice converts
once; a claim older than its lease (a worker that died) may be taken again.
"""

import datetime
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..dokument_pdf import DokumentPdf
from ..filer import pdfa
from ..models import Dokument
from .felles import SakFeil

logger = logging.getLogger(__name__)
Status = DokumentPdf.Status


def lease() -> datetime.timedelta:
    """How long a claim holds: longer than one conversion may take, with a margin for a slow start."""
    return datetime.timedelta(seconds=2 * settings.PDFA_TIDSGRENSE + 30)


def trenger_pdf(dokument: Dokument) -> bool:
    """Whether the document needs a rendering: a PDF goes out as it is."""
    return dokument.mime != pdfa.PDF_MIME


def _ledig(naa: datetime.datetime) -> Q:
    return (Q(status__in=[Status.VENTER, Status.FEILET, Status.UTEN_LIBREOFFICE])
            | Q(status=Status.LAGER, startet__lt=naa - lease()))


def pdf_bestill(*, dokument: Dokument) -> DokumentPdf | None:
    """Order the PDF/A of a document, made by a worker after commit. Ordering again what is being made or
    is made does nothing; a failed rendering is tried again. Nothing for a PDF."""
    if not trenger_pdf(dokument):
        return None
    with transaction.atomic():
        rad, laget = DokumentPdf.objects.get_or_create(dokument=dokument)
        if not laget:
            naa = timezone.now()
            if not DokumentPdf.objects.filter(_ledig(naa), pk=rad.pk).update(
                    status=Status.VENTER, feilmelding="", bestilt=naa, startet=None):
                return rad
            rad.refresh_from_db()
        transaction.on_commit(lambda: _koe(rad.pk))
    return rad


def _koe(rad_id: int) -> None:
    from ..tasks import lag_pdf

    try:
        lag_pdf.delay(rad_id)
    except Exception:
        # The broker is away: the row waits, and is made when the letter is sent or ordered again.
        logger.warning("Fikk ikke lagt PDF/A-oppgave %s i køen", rad_id, exc_info=True)


def pdf_lag(*, rad_id: int) -> DokumentPdf | None:
    """The worker's job: claim the row, convert, store. None if another worker has it or it is done."""
    naa = timezone.now()
    if not DokumentPdf.objects.filter(_ledig(naa), pk=rad_id).update(status=Status.LAGER, startet=naa):
        return None
    rad = DokumentPdf.objects.select_related("dokument").get(pk=rad_id)
    try:
        with rad.dokument.fil.open("rb") as fil:
            innhold = fil.read()
        resultat: bytes | pdfa.PdfFeil = pdfa.til_pdfa(innhold, rad.dokument.filnavn)
    except FileNotFoundError:
        resultat = pdfa.PdfFeil(f"Filen «{rad.dokument.filnavn}» finnes ikke lenger.")
    except pdfa.PdfFeil as feil:
        resultat = feil
    return _lagre(rad, resultat)


def _lagre(rad: DokumentPdf, resultat: "bytes | pdfa.PdfFeil") -> DokumentPdf:
    """Store a result on the row unless another worker finished it first (then its file is kept, ours goes)."""
    naa = timezone.now()
    ikke_ferdig = DokumentPdf.objects.filter(pk=rad.pk).exclude(status=Status.FERDIG)
    if isinstance(resultat, pdfa.PdfFeil):
        status = Status.UTEN_LIBREOFFICE if isinstance(resultat, pdfa.LibreOfficeMangler) else Status.FEILET
        ikke_ferdig.update(status=status, feilmelding=str(resultat), ferdig=None)
        logger.info("PDF/A av dokument %s ble ikke laget: %s", rad.dokument_id, resultat)
    else:
        navn = rad.fil.storage.save(rad.fil.field.generate_filename(rad, "x.pdf"), ContentFile(resultat))
        if not ikke_ferdig.update(status=Status.FERDIG, fil=navn, storrelse=len(resultat), feilmelding="",
                                  ferdig=naa):
            rad.fil.storage.delete(navn)
    rad.refresh_from_db()
    return rad


def pdf_lag_mange(*, dokumenter: list[Dokument]) -> dict[int, "bytes | pdfa.PdfFeil"]:
    """The PDF of each document, by id, for a document built of many (the møtebok): a PDF as it is, a made
    rendering from its file, the rest converted in one LibreOffice run and stored for next time."""
    resultat: dict[int, bytes | pdfa.PdfFeil] = {}
    rader = {r.dokument_id: r for r in DokumentPdf.objects.filter(dokument__in=dokumenter)}
    mangler: list[Dokument] = []
    for dokument in dokumenter:
        rad = rader.get(dokument.pk)
        kilde = dokument.fil if not trenger_pdf(dokument) else rad.fil if rad and rad.status == Status.FERDIG else None
        if kilde is None:
            mangler.append(dokument)
            continue
        try:
            with kilde.open("rb") as fil:
                resultat[dokument.pk] = fil.read()
        except FileNotFoundError:
            resultat[dokument.pk] = pdfa.PdfFeil(f"Filen «{dokument.filnavn}» finnes ikke lenger.")
    kilder: list[pdfa.Kilde] = []
    lesbare: list[Dokument] = []
    for dokument in mangler:
        try:
            with dokument.fil.open("rb") as fil:
                kilder.append(pdfa.Kilde(dokument.filnavn, fil.read()))
            lesbare.append(dokument)
        except FileNotFoundError:
            resultat[dokument.pk] = pdfa.PdfFeil(f"Filen «{dokument.filnavn}» finnes ikke lenger.")
    for dokument, pdf in zip(lesbare, pdfa.til_pdfa_mange(kilder), strict=True):
        resultat[dokument.pk] = pdf
        rad, _ = DokumentPdf.objects.get_or_create(dokument=dokument)
        _lagre(rad, pdf)
    return resultat


def pdf_for_utsending(*, dokument: Dokument) -> DokumentPdf | None:
    """The made rendering of a document that is about to leave as PDF (None for a PDF itself). Made here and
    now if no worker has made it yet, outside any transaction; refused with a Norwegian reason otherwise."""
    if not trenger_pdf(dokument):
        return None
    rad, _ = DokumentPdf.objects.get_or_create(dokument=dokument)
    if rad.status != Status.FERDIG:
        rad = pdf_lag(rad_id=rad.pk) or DokumentPdf.objects.get(pk=rad.pk)
    if rad.status == Status.FERDIG:
        return rad
    if rad.status == Status.LAGER:
        raise SakFeil(f"PDF-versjonen av «{dokument.filnavn}» lages nå. Prøv igjen om et øyeblikk.")
    if rad.status == Status.UTEN_LIBREOFFICE:
        raise SakFeil(f"«{dokument.filnavn}» må sendes som PDF, men PDF kan ikke lages her fordi LibreOffice "
                      "ikke er installert på serveren. Last ned Word-dokumentet, lagre det som PDF og last det "
                      "opp.")
    raise SakFeil(f"«{dokument.filnavn}» kunne ikke gjøres om til PDF: {rad.feilmelding}")
