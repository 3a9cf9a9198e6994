"""PDF files parsed with pypdf, not sniffed by their first bytes.

Refused, each with its own Norwegian message:

- **Broken files**: whatever pypdf cannot open as a document with a catalogue and a page tree (a %PDF
  header followed by garbage, a truncated file). One repair is allowed, the one every reader makes: a file
  with a trailer but no cross-reference table (old scanners and generators write such files) is read by
  rebuilding the table.
- **Polyglots**: data before %PDF, or a ZIP archive inside (a central directory that a ZIP reader would
  find): a file that is also something else is opened as that something else by other programs.
- **JavaScript, launch actions and embedded files** (/JS, /JavaScript, /Launch, /EmbeddedFiles, /EF,
  file attachment annotations), wherever they hang in the document's object graph. These are refused, not
  flagged: a saksframlegg or letter never needs them, a flag shown to the uploader and the approver would
  still let the file travel on to politicians and the archive, and refusing asks only for a clean copy
  (print to a new PDF, or upload the embedded files as vedlegg of their own).
- **Password-protected files** that cannot be opened without a password.

The graph is walked from the trailer without decoding page content, fonts or images (which hold no
actions), at most MAKS_OBJEKTER objects, so time and memory stay bounded.
"""

from __future__ import annotations

import io
import logging
import re
import struct

from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

MAKS_OBJEKTER = 250_000
_BIT = 1024 * 1024
_SOK_OVERLAPP = 64
_EOCD = b"PK\x05\x06"
_CD = b"PK\x01\x02"
# Values under these keys are drawing resources and content, where no action can hang.
_HOPP_OVER = frozenset({"/Contents", "/Font", "/XObject", "/ColorSpace", "/Pattern", "/Shading", "/ExtGState",
                        "/Metadata", "/Thumb", "/ProcSet", "/AP", "/Parent", "/P"})

logging.getLogger("pypdf").setLevel(logging.ERROR)


def _feil(melding: str, kode: str) -> ValidationError:
    return ValidationError(melding, code=kode)


def sjekk_pdf(f, navn: str) -> None:
    """Check an uploaded PDF (see the module's docstring); raise ValidationError if refused."""
    f.seek(0)
    if not f.read(5) == b"%PDF-":
        raise _feil(f"«{navn}» er ikke en ren PDF-fil: den har annet innhold foran PDF-innholdet.", "polyglott")
    uten_xref = _sok(f, navn)
    try:
        f.seek(0)
        kilde = _MedHale(f, b"\nstartxref\n0\n%%EOF\n") if uten_xref else f
        leser = PdfReader(kilde, strict=False)
        if leser.is_encrypted and not _apne_uten_passord(leser):
            raise _feil(f"«{navn}» er passordbeskyttet. Fjern passordet og prøv igjen.", "kryptert")
        rot = leser.trailer["/Root"].get_object()
        if not isinstance(rot, DictionaryObject):
            raise ValueError("no catalogue")
        len(leser.pages)  # walks the page tree: a file without one is broken
        _gaa_gjennom(leser, navn)
    except ValidationError:
        raise
    except (PyPdfError, KeyError, ValueError, TypeError, AttributeError, IndexError, OSError, RecursionError,
            AssertionError, struct.error) as exc:
        raise _feil(f"«{navn}» er skadet eller ufullstendig og kan ikke åpnes.", "skadet") from exc
    finally:
        f.seek(0)


def _apne_uten_passord(leser: PdfReader) -> bool:
    # An owner password only restricts printing or editing; such files open without one.
    try:
        return bool(leser.decrypt(""))
    except Exception:  # a cipher pypdf cannot handle without an extra library: as good as locked
        return False


def _sok(f, navn: str) -> bool:
    """Scan the file once, a chunk at a time: refuse a ZIP inside; tell whether it lacks startxref."""
    f.seek(0)
    forrige = b""
    startxref = trailer = False
    posisjon = 0
    while bit := f.read(_BIT):
        vindu = forrige + bit
        startxref = startxref or b"startxref" in vindu
        trailer = trailer or b"trailer" in vindu
        for treff in re.finditer(re.escape(_EOCD), vindu):
            if _er_zip_slutt(f, posisjon - len(forrige) + treff.start()):
                raise _feil(f"«{navn}» er ikke en ren PDF-fil: den inneholder også et ZIP-arkiv.", "polyglott")
        posisjon += len(bit)
        f.seek(posisjon)
        forrige = bit[-_SOK_OVERLAPP:]
    if not startxref and not trailer:
        raise _feil(f"«{navn}» er skadet eller ufullstendig og kan ikke åpnes.", "skadet")
    return not startxref


def _er_zip_slutt(f, posisjon: int) -> bool:
    """Whether an end-of-central-directory record at `posisjon` is one a ZIP reader would follow: its
    central directory, of the size it declares, ends right before it and starts with a directory entry."""
    f.seek(posisjon)
    post = f.read(22)
    if len(post) < 22:
        return False
    storrelse = struct.unpack("<I", post[12:16])[0]
    if not 0 < storrelse <= posisjon:
        return False
    f.seek(posisjon - storrelse)
    return f.read(4) == _CD


def _gaa_gjennom(leser: PdfReader, navn: str) -> None:
    sett: set[tuple[int, int]] = set()
    stabel: list = [leser.trailer]
    besokt = 0
    while stabel:
        objekt = stabel.pop()
        if isinstance(objekt, IndirectObject):
            nokkel = (objekt.idnum, objekt.generation)
            if nokkel in sett:
                continue
            sett.add(nokkel)
            besokt += 1
            if besokt > MAKS_OBJEKTER:
                raise _feil(f"«{navn}» er for sammensatt til å kontrolleres og kan ikke lastes opp.",
                            "for_sammensatt")
            objekt = objekt.get_object()
        if isinstance(objekt, DictionaryObject):
            _sjekk_ordbok(objekt, navn)
            stabel.extend(v for k, v in objekt.items() if k not in _HOPP_OVER)
        elif isinstance(objekt, ArrayObject):
            stabel.extend(objekt)


def _sjekk_ordbok(ordbok: DictionaryObject, navn: str) -> None:
    handling = ordbok.get("/S")
    handling = handling if isinstance(handling, NameObject) else None
    if "/JS" in ordbok or "/JavaScript" in ordbok or handling == "/JavaScript":
        raise _feil(f"«{navn}» inneholder JavaScript og kan ikke lastes opp. Skriv den ut som en ny PDF "
                    "(«Skriv ut» til PDF) og prøv igjen.", "pdf_javascript")
    if handling == "/Launch" or "/Launch" in ordbok:
        raise _feil(f"«{navn}» inneholder en handling som starter et program, og kan ikke lastes opp. Skriv den "
                    "ut som en ny PDF («Skriv ut» til PDF) og prøv igjen.", "pdf_start")
    if ("/EmbeddedFiles" in ordbok or "/EF" in ordbok or ordbok.get("/Type") == "/EmbeddedFile"
            or ordbok.get("/Subtype") == "/FileAttachment" or handling == "/GoToE"):
        raise _feil(f"«{navn}» inneholder innebygde filer og kan ikke lastes opp. Last opp filene som egne vedlegg "
                    "og PDF-en uten dem.", "pdf_innebygd")


class _MedHale(io.RawIOBase):
    """The uploaded file followed by a few bytes, without copying it: how pypdf is asked to rebuild a
    missing cross-reference table."""

    def __init__(self, f, hale: bytes) -> None:
        super().__init__()
        self._f = f
        self._hale = hale
        f.seek(0, 2)
        self._lengde = f.tell()
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, pos: int, whence: int = 0) -> int:
        start = {0: 0, 1: self._pos, 2: self._lengde + len(self._hale)}[whence]
        self._pos = max(start + pos, 0)
        return self._pos

    def readinto(self, buffer) -> int:
        ut = b""
        if self._pos < self._lengde:
            self._f.seek(self._pos)
            ut = self._f.read(min(len(buffer), self._lengde - self._pos))
        if len(ut) < len(buffer) and self._pos + len(ut) >= self._lengde:
            start = self._pos + len(ut) - self._lengde
            ut += self._hale[start:start + len(buffer) - len(ut)]
        buffer[: len(ut)] = ut
        self._pos += len(ut)
        return len(ut)
