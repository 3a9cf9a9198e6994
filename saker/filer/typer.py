"""Recognising a file's type by its content, never by its name.

The types we accept in any slot are TILLATTE_TYPER; anything else is still recognised as well as we
can, so a refusal can say what the file is ("Word-dokument i eldre format") and how to fix it. Which
type each slot takes is saker.filer.regler's business. A file with macros or a broken package is
refused here, since it cannot be recognised safely. Web pages and SVG drawings are text, but are told
apart (HTML-side, SVG-tegning) and taken by no slot: a browser would run their scripts. Recognising reads
only the first bytes and small metadata; the whole content is checked by saker.filer.pakke and .pdf.
"""

from __future__ import annotations

import codecs
import contextlib
import re
import zipfile
from dataclasses import dataclass

import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import File
from lxml import etree

from .navn import endelse

_HODE_BYTES = 8192
# [Content_Types].xml and an ODF mimetype entry are tiny; reading more would invite zip bombs.
_MAKS_METADATA_BYTES = 1024 * 1024
_ZIP_SIGNATURER = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE_SIGNATUR = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Filtype:
    kode: str
    mime: str
    endelse: str
    beskrivelse: str  # Norwegian, shown as "(innholdet er …)"
    familie: str | None = None  # extensions in one family may be swapped without a refusal
    rad: str = ""  # advice appended to a refusal


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."

TILLATTE_TYPER: dict[str, Filtype] = {
    t.kode: t
    for t in (
        Filtype("pdf", "application/pdf", ".pdf", "PDF-fil", "pdf"),
        Filtype("docx", _OOXML + "wordprocessingml.document", ".docx", "Word-dokument", "word"),
        Filtype("xlsx", _OOXML + "spreadsheetml.sheet", ".xlsx", "Excel-regneark", "excel"),
        Filtype(
            "pptx", _OOXML + "presentationml.presentation", ".pptx", "PowerPoint-presentasjon", "powerpoint"
        ),
        Filtype("odt", _ODF + "text", ".odt", "OpenDocument-tekst", "odt"),
        Filtype("ods", _ODF + "spreadsheet", ".ods", "OpenDocument-regneark", "ods"),
        Filtype("odp", _ODF + "presentation", ".odp", "OpenDocument-presentasjon", "odp"),
        Filtype("png", "image/png", ".png", "PNG-bilde", "bilde"),
        Filtype("jpeg", "image/jpeg", ".jpg", "JPEG-bilde", "bilde"),
        Filtype("gif", "image/gif", ".gif", "GIF-bilde", "bilde"),
        Filtype("tiff", "image/tiff", ".tif", "TIFF-bilde", "bilde"),
        Filtype("txt", "text/plain", ".txt", "tekstfil", "tekst"),
        Filtype("csv", "text/csv", ".csv", "tekstfil", "tekst"),
        Filtype("eml", "message/rfc822", ".eml", "e-post", "epost"),
    )
}

_ZIP = Filtype("zip", "application/zip", ".zip", "ZIP-arkiv")
_UKJENT = Filtype("ukjent", "application/octet-stream", "", "ukjent filtype")
_LAGRE_SOM = " Lagre det som .docx eller PDF og prøv igjen."
_ELDRE_OFFICE = {
    "doc": Filtype("doc", "application/msword", ".doc", "Word-dokument i eldre format", "word", _LAGRE_SOM),
    "xls": Filtype("xls", "application/vnd.ms-excel", ".xls", "Excel-regneark i eldre format", "excel",
                   " Lagre det som .xlsx eller PDF og prøv igjen."),
    "ppt": Filtype("ppt", "application/vnd.ms-powerpoint", ".ppt", "PowerPoint-presentasjon i eldre format",
                   "powerpoint", " Lagre den som .pptx eller PDF og prøv igjen."),
}
_OLE = Filtype("ole", "application/x-ole-storage", "", "eldre eller passordbeskyttet Office-fil", None,
               " Fjern eventuelt passord, lagre som .docx eller PDF og prøv igjen.")
_MSG = Filtype("msg", "application/vnd.ms-outlook", ".msg", "Outlook-melding", "epost",
               " Lagre e-posten som PDF og prøv igjen.")

_OOXML_HOVEDDELER = {
    _OOXML + "wordprocessingml.document.main+xml": "docx",
    _OOXML + "spreadsheetml.sheet.main+xml": "xlsx",
    _OOXML + "presentationml.presentation.main+xml": "pptx",
}
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_TRYGG_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def gjenkjenn(f: File, navn: str) -> Filtype:
    """The file's type by its content; `navn` (already cleaned) only picks among types content cannot
    tell apart. Raises ValidationError for a damaged package or one with macros."""
    f.seek(0)
    hode = f.read(_HODE_BYTES)
    # Readers accept junk before the PDF header, so look a little further than offset 0.
    if b"%PDF-" in hode[:1024]:
        return TILLATTE_TYPER["pdf"]
    if hode[:4] in _ZIP_SIGNATURER:
        return _gjenkjenn_zip(f, navn)
    funn = filetype.guess(hode)
    if funn is not None:
        if funn.mime in ("image/png", "image/apng"):
            return TILLATTE_TYPER["png"]
        for kode in ("jpeg", "gif", "tiff"):
            if funn.mime == TILLATTE_TYPER[kode].mime:
                return TILLATTE_TYPER[kode]
        if funn.extension in _ELDRE_OFFICE:
            return _ELDRE_OFFICE[funn.extension]
    if hode.startswith(_OLE_SIGNATUR):
        # Outlook messages are OLE files too; the name only picks the wording of the refusal.
        return _MSG if endelse(navn) == "msg" else _OLE
    # Text before filetype's other guesses: its weak signatures (e.g. "BM" for BMP) match plain text.
    if _er_tekst(f):
        return _teksttype(hode, navn)
    if funn is not None:
        slag = "bilde" if funn.mime.startswith("image/") else "fil"
        return Filtype(funn.extension, funn.mime, f".{funn.extension}", f"{funn.extension.upper()}-{slag}")
    return _UKJENT


def _er_tekst(f: File) -> bool:
    """Text if it has no NUL bytes and decodes as UTF-8 or Windows-1252 (older Norwegian files)."""
    utf8 = codecs.getincrementaldecoder("utf-8")()
    utf8_ok = cp1252_ok = True
    for bit in f.chunks():
        if b"\x00" in bit:
            return False
        if utf8_ok:
            try:
                utf8.decode(bit)
            except UnicodeDecodeError:
                utf8_ok = False
        if cp1252_ok:
            try:
                bit.decode("cp1252")
            except UnicodeDecodeError:
                cp1252_ok = False
        if not (utf8_ok or cp1252_ok):
            return False
    if utf8_ok:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8_ok = False
    return utf8_ok or cp1252_ok


_HODEFELT = re.compile(r"^([!-9;-~]+):")


def _ser_ut_som_epost(hode: bytes) -> bool:
    felt: set[str] = set()
    for linje in hode.decode("utf-8", "replace").splitlines():
        if not linje.strip():
            break
        treff = _HODEFELT.match(linje)
        if treff:
            felt.add(treff.group(1).lower())
        elif not linje[0].isspace():  # continuation lines start with whitespace
            return False
    return "from" in felt and bool(felt & {"date", "subject", "message-id", "mime-version", "received", "to"})


# Web pages and SVG drawings are text, but a browser runs their scripts: refused, whatever the name says.
_HTML = Filtype("html", "text/html", ".html", "HTML-side", None, " Lagre siden som PDF og prøv igjen.")
_SVG = Filtype("svg", "image/svg+xml", ".svg", "SVG-tegning", None, " Lagre tegningen som PNG eller PDF og prøv igjen.")
_MARKUP = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(!doctype\s+html|html|svg|head|body|script)[\s>/]",
                     re.IGNORECASE | re.DOTALL)


def _teksttype(hode: bytes, navn: str) -> Filtype:
    treff = _MARKUP.match(hode.removeprefix(b"\xef\xbb\xbf"))
    if treff or re.search(rb"<script[\s>]", hode, re.IGNORECASE):
        return _SVG if treff and treff.group(1).lower() == b"svg" else _HTML
    # Content cannot tell txt, csv and eml apart; the name picks among the text types.
    if endelse(navn) == "csv":
        return TILLATTE_TYPER["csv"]
    if endelse(navn) == "eml" and _ser_ut_som_epost(hode):
        return TILLATTE_TYPER["eml"]
    return TILLATTE_TYPER["txt"]


def _skadet(navn: str) -> ValidationError:
    return ValidationError(f"«{navn}» er skadet eller ufullstendig og kan ikke åpnes.", code="skadet")


def _makro(navn: str) -> ValidationError:
    return ValidationError(f"«{navn}» inneholder makroer og kan ikke lastes opp.", code="makro")


def _les_liten_del(arkiv: zipfile.ZipFile, delnavn: str) -> bytes:
    with arkiv.open(delnavn) as del_:
        data = del_.read(_MAKS_METADATA_BYTES + 1)
    if len(data) > _MAKS_METADATA_BYTES:
        raise zipfile.BadZipFile(f"{delnavn} is too large")
    return data


def _gjenkjenn_zip(f: File, navn: str) -> Filtype:
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as arkiv:
            delnavn = arkiv.namelist()
            # Part names in OPC packages are case-insensitive.
            innholdstyper = next((d for d in delnavn if d.lower() == "[content_types].xml"), None)
            if innholdstyper is not None:
                return _gjenkjenn_ooxml(arkiv, delnavn, innholdstyper, navn)
            if "mimetype" in delnavn:
                return _gjenkjenn_odf(arkiv, delnavn, navn)
            return _ZIP
    except (zipfile.BadZipFile, zipfile.LargeZipFile, etree.XMLSyntaxError, OSError, EOFError,
            NotImplementedError, RuntimeError, ValueError) as exc:
        # RuntimeError: encrypted entry; NotImplementedError: unsupported compression.
        raise _skadet(navn) from exc


def _gjenkjenn_ooxml(arkiv: zipfile.ZipFile, delnavn: list[str], innholdstyper: str, navn: str) -> Filtype:
    deler = {d.lower() for d in delnavn}
    if any(d.rsplit("/", 1)[-1] == "vbaproject.bin" for d in deler):
        raise _makro(navn)
    data = _les_liten_del(arkiv, innholdstyper)
    # OPC forbids DTDs; refusing them, and never resolving entities, keeps XML attacks out.
    if b"<!DOCTYPE" in data.upper():
        raise _skadet(navn)
    rot = etree.fromstring(data, _TRYGG_XML)
    typer = [(e.get("PartName", ""), e.get("ContentType", "")) for e in rot.iter(f"{_CT_NS}Override")]
    typer += [("", e.get("ContentType", "")) for e in rot.iter(f"{_CT_NS}Default")]
    # docm/xlsm/pptm, macro templates and Excel 4 macro sheets all say "macro" in a content type.
    if any("macro" in ct.lower() or "vbaproject" in ct.lower() for _, ct in typer):
        raise _makro(navn)
    for del_, ct in typer:
        kode = _OOXML_HOVEDDELER.get(ct)
        if kode is not None:
            if del_.lstrip("/").lower() not in deler:
                raise _skadet(navn)
            return TILLATTE_TYPER[kode]
    return Filtype("office", "application/octet-stream", "", "Office-fil av en type som ikke støttes")


def _gjenkjenn_odf(arkiv: zipfile.ZipFile, delnavn: list[str], navn: str) -> Filtype:
    mime = _les_liten_del(arkiv, "mimetype").decode("ascii", "replace").strip()
    if not mime.startswith(_ODF):
        return _ZIP  # e.g. EPUB, which borrows the mimetype entry
    if "content.xml" not in delnavn:
        raise _skadet(navn)
    if any(_er_odf_makro(d) for d in delnavn):
        raise _makro(navn)
    for kode in ("odt", "ods", "odp"):
        if TILLATTE_TYPER[kode].mime == mime:
            return TILLATTE_TYPER[kode]
    return Filtype("odf", mime, "", "OpenDocument-fil av en type som ikke støttes")


def _er_odf_makro(delnavn: str) -> bool:
    # LibreOffice keeps Basic modules as Basic/<library>/<module>.xml next to library index files
    # (script-lb.xml, dialog-lc.xml, …), and other script languages under Scripts/.
    if delnavn.startswith("Scripts/") and not delnavn.endswith("/"):
        return True
    deler = delnavn.split("/")
    return (
        deler[0] == "Basic" and len(deler) >= 3 and deler[-1] != ""
        and not deler[-1].endswith(("-lb.xml", "-lc.xml"))
    )


def type_for(mime: str, endelse_: str) -> Filtype:
    """The accepted type a checked file was recognised as, from what FilInfo keeps of it."""
    for type_ in TILLATTE_TYPER.values():
        if type_.mime == mime:
            return type_
    for type_ in TILLATTE_TYPER.values():
        if type_.endelse == endelse_.lower():
            return type_
    return _UKJENT


def spol_tilbake(f: File) -> None:
    """Leave the file at position 0 so it can be saved, whatever reading it did."""
    # Never let rewinding a broken or closed file hide the real error.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        f.seek(0)
