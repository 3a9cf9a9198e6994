"""PDF/A from office documents, made by LibreOffice headless, and the check that a PDF is PDF/A.

SvarUt prints only PDF, and the archive wants PDF/A (ISO 19005): fonts embedded, metadata in XMP, nothing
that depends on the machine that opens it. LibreOffice's Writer exports PDF/A-2b when asked
(`SelectPdfVersion` 2). Each process converts one batch at a time (a lock) in its own profile directory,
since two LibreOffice instances that share a profile lock each other out or corrupt it; a batch that runs
past `PDFA_TIDSGRENSE` is killed with its whole process group (soffice starts soffice.bin as a child).

Pure Python and subprocess, no models: `saker.services.pdf` stores the results. Messages are Norwegian and
safe to show. Where the binary in `LIBREOFFICE` is missing, `LibreOfficeMangler` says so and the pages
offer the .docx instead.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import DictionaryObject

PDF_MIME = "application/pdf"
# PDF/A-2 ("2"), conformance b: LibreOffice 7.4 takes filter options as JSON.
_PDFA_FILTER = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
# What Writer opens as it is; images and plain text are first wrapped in a .docx (see _forbered), since the
# Draw and Calc imports are not in Debian's libreoffice-writer-nogui.
_RETT_INN = frozenset({".docx", ".odt", ".doc", ".rtf", ".xlsx", ".ods", ".pptx", ".odp"})
_BILDER = frozenset({".png", ".jpg", ".jpeg", ".gif", ".tif", ".tiff"})
_TEKST = frozenset({".txt", ".csv"})
_PDFAID = re.compile(rb"pdfaid:part\s*(?:=\s*[\"']|>)\s*(\d+)")
_FONTFILER = ("/FontFile", "/FontFile2", "/FontFile3")

_las = threading.Lock()


class PdfFeil(Exception):
    """The PDF could not be made or is not PDF/A; the message is Norwegian and safe to show."""


class LibreOfficeMangler(PdfFeil):
    def __init__(self) -> None:
        super().__init__("PDF kan ikke lages her fordi LibreOffice ikke er installert på serveren.")


@dataclass(frozen=True)
class Kilde:
    filnavn: str  # the user's name; only its extension is used
    innhold: bytes


def libreoffice() -> str | None:
    """The soffice binary from LIBREOFFICE (a path or a name on PATH), or None when it is not there."""
    return shutil.which(settings.LIBREOFFICE)


def tilgjengelig() -> bool:
    return libreoffice() is not None


def kan_konverteres(filnavn: str) -> bool:
    return _endelse(filnavn) in _RETT_INN | _BILDER | _TEKST


def til_pdfa(innhold: bytes, filnavn: str) -> bytes:
    """One document as a checked PDF/A-2 file."""
    [resultat] = til_pdfa_mange([Kilde(filnavn, innhold)])
    if isinstance(resultat, PdfFeil):
        raise resultat
    return resultat


def til_pdfa_mange(kilder: list[Kilde]) -> list[bytes | PdfFeil]:
    """Several documents in one LibreOffice run (starting it costs more than converting a page), each result
    in the order given: the PDF/A bytes, or the error for that document. A run that times out is tried again
    one document at a time, so one document that hangs LibreOffice fails alone."""
    if not kilder:
        return []
    soffice = libreoffice()
    if soffice is None:
        raise LibreOfficeMangler()
    with _las, tempfile.TemporaryDirectory(prefix="pdfa-") as mappe:
        try:
            return _kjor(soffice, Path(mappe), kilder)
        except _Tidsavbrudd:
            if len(kilder) == 1:
                return [PdfFeil(f"Konverteringen til PDF tok mer enn {settings.PDFA_TIDSGRENSE:g} sekunder "
                                "og ble stoppet.")]
    return [r for kilde in kilder for r in til_pdfa_mange([kilde])]


class _Tidsavbrudd(Exception):
    pass


def _kjor(soffice: str, mappe: Path, kilder: list[Kilde]) -> list[bytes | PdfFeil]:
    inn, ut = mappe / "inn", mappe / "ut"
    inn.mkdir()
    filer: list[Path | PdfFeil] = []
    for nr, kilde in enumerate(kilder, start=1):
        try:
            endelse, innhold = _forbered(kilde)
        except PdfFeil as feil:
            filer.append(feil)
            continue
        # Our own names on disk: the user's file name never reaches a command line.
        sti = inn / f"{nr:05d}{endelse}"
        sti.write_bytes(innhold)
        filer.append(sti)
    stier = [str(f) for f in filer if isinstance(f, Path)]
    if stier:
        _soffice(soffice, stier, ut)
    resultater: list[bytes | PdfFeil] = []
    for kilde, fil in zip(kilder, filer, strict=True):
        if isinstance(fil, PdfFeil):
            resultater.append(fil)
            continue
        pdf = ut / f"{fil.stem}.pdf"
        if not pdf.exists():
            resultater.append(PdfFeil(f"LibreOffice kunne ikke gjøre «{kilde.filnavn}» om til PDF."))
            continue
        innhold = pdf.read_bytes()
        try:
            sjekk_pdfa(innhold)
        except PdfFeil as feil:
            resultater.append(feil)
        else:
            resultater.append(innhold)
    return resultater


def _profil() -> Path:
    # One profile per process: the lock keeps this process's threads apart, the directory keeps processes apart.
    return Path(settings.PDFA_PROFILMAPPE) / f"profil-{os.getpid()}"


def _soffice(soffice: str, stier: list[str], ut: Path) -> None:
    profil = _profil()
    profil.mkdir(parents=True, exist_ok=True)
    kommando = [soffice, f"-env:UserInstallation={profil.resolve().as_uri()}", "--headless", "--norestore",
                "--nologo", "--nodefault", "--nolockcheck", "--convert-to", _PDFA_FILTER, "--outdir", str(ut),
                *stier]
    # The binary is the administrator's setting, and the arguments are our own names (never the user's).
    prosess = subprocess.Popen(  # noqa: S603
        kommando, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        start_new_session=True, env={**os.environ, "HOME": str(profil)},
    )
    try:
        prosess.wait(timeout=settings.PDFA_TIDSGRENSE)
    except subprocess.TimeoutExpired:
        _drep(prosess)
        raise _Tidsavbrudd() from None
    except BaseException:  # a Celery time limit or a shutdown: never leave LibreOffice behind
        _drep(prosess)
        raise


def _drep(prosess: subprocess.Popen) -> None:
    try:
        os.killpg(prosess.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    prosess.wait()


def _endelse(filnavn: str) -> str:
    return Path(filnavn).suffix.lower()


def _forbered(kilde: Kilde) -> tuple[str, bytes]:
    """The file as Writer can open it: office files as they are, images and text wrapped in a .docx."""
    endelse = _endelse(kilde.filnavn)
    if endelse in _RETT_INN:
        return endelse, kilde.innhold
    if endelse in _BILDER:
        return ".docx", _bilde_som_docx(kilde)
    if endelse in _TEKST:
        return ".docx", _tekst_som_docx(kilde)
    raise PdfFeil(f"«{kilde.filnavn}» har en filtype som ikke kan gjøres om til PDF.")


def _bilde_som_docx(kilde: Kilde) -> bytes:
    from docx import Document
    from docx.image.exceptions import UnrecognizedImageError
    from docx.shared import Cm

    doc = Document()
    try:
        doc.add_picture(io.BytesIO(kilde.innhold), width=Cm(16))
    except (UnrecognizedImageError, ValueError, ZeroDivisionError):
        raise PdfFeil(f"Bildet «{kilde.filnavn}» kunne ikke leses.") from None
    ut = io.BytesIO()
    doc.save(ut)
    return ut.getvalue()


def _tekst_som_docx(kilde: Kilde) -> bytes:
    from docx import Document

    doc = Document()
    tekst = kilde.innhold.decode("utf-8", errors="replace").lstrip("\ufeff")
    for linje in tekst.splitlines():
        # XML 1.0 has no place for most control characters; python-docx would refuse the whole text.
        doc.add_paragraph("".join(t for t in linje if t == "\t" or t >= " "))
    ut = io.BytesIO()
    doc.save(ut)
    return ut.getvalue()


# --- The check -------------------------------------------------------------------------------------------


def pdfa_del(pdf: bytes | PdfReader) -> int | None:
    """The PDF/A part the file declares in its XMP metadata (pdfaid:part), or None."""
    leser = pdf if isinstance(pdf, PdfReader) else PdfReader(io.BytesIO(pdf))
    metadata = leser.trailer["/Root"].get("/Metadata")
    if metadata is None:
        return None
    treff = _PDFAID.search(metadata.get_object().get_data())
    return int(treff.group(1)) if treff else None


def fonter_uten_innbygging(pdf: bytes | PdfReader) -> list[str]:
    """Names of fonts used on any page (also inside form XObjects) whose glyphs are not in the file."""
    leser = pdf if isinstance(pdf, PdfReader) else PdfReader(io.BytesIO(pdf))
    mangler: set[str] = set()
    sett: set[int] = set()
    for side in leser.pages:
        _fonter_i(side.get("/Resources"), mangler, sett)
    return sorted(mangler)


def _fonter_i(ressurser, mangler: set[str], sett: set[int]) -> None:
    if ressurser is None:
        return
    ressurser = ressurser.get_object()
    if id(ressurser) in sett:
        return
    sett.add(id(ressurser))
    for font in (ressurser.get("/Font") or DictionaryObject()).get_object().values():
        font = font.get_object()
        if font.get("/Subtype") == "/Type3":  # drawn by content streams in the file itself
            continue
        beskrivende = font
        if font.get("/Subtype") == "/Type0":
            beskrivende = font["/DescendantFonts"][0].get_object()
        beskrivelse = beskrivende.get("/FontDescriptor")
        if beskrivelse is None or not any(n in beskrivelse.get_object() for n in _FONTFILER):
            mangler.add(str(font.get("/BaseFont", "(uten navn)")).lstrip("/"))
    for xobjekt in (ressurser.get("/XObject") or DictionaryObject()).get_object().values():
        xobjekt = xobjekt.get_object()
        if xobjekt.get("/Subtype") == "/Form":
            _fonter_i(xobjekt.get("/Resources"), mangler, sett)


def sjekk_pdfa(pdf: bytes) -> None:
    """Raise PdfFeil unless the file declares PDF/A-2 or later and embeds every font it uses."""
    try:
        leser = PdfReader(io.BytesIO(pdf))
        del_ = pdfa_del(leser)
        mangler = fonter_uten_innbygging(leser)
    except (PdfReadError, KeyError, IndexError, ValueError):
        raise PdfFeil("PDF-filen LibreOffice laget, kunne ikke leses.") from None
    if del_ is None or del_ < 2:
        raise PdfFeil("PDF-filen er ikke PDF/A-2 (metadataene sier ikke pdfaid:part 2 eller høyere).")
    if mangler:
        raise PdfFeil(f"PDF-filen har fonter som ikke er bygd inn: {', '.join(mangler)}.")
