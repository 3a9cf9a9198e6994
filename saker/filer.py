"""Checks and reads uploaded case files: the saksframlegg (main document) and its vedlegg.

Pure Python, no models: forms and views call these functions and show the ValidationError to the
case officer. File types are decided by content, never by name, because the name is whatever the
case officer's machine happened to send.
"""

from __future__ import annotations

import codecs
import contextlib
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import docx
import filetype
from django.core.exceptions import ValidationError
from django.core.files.base import File
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from lxml import etree

ROLLER = ("hoveddokument", "vedlegg")
MAKS_NAVNELENGDE = 120
RESERVENAVN = "dokument"
# A document larger than this once unzipped is refused before python-docx parses it (zip bombs).
MAKS_UTPAKKET_BYTES = 200 * 1024 * 1024

_MB = 1024 * 1024
_HODE_BYTES = 8192
# [Content_Types].xml and an ODF mimetype entry are tiny; reading more would invite zip bombs.
_MAKS_METADATA_BYTES = 1024 * 1024
_ZIP_SIGNATURER = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_OLE_SIGNATUR = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class FilInfo:
    navn: str  # cleaned, with the extension of the detected type
    mime: str
    filendelse: str  # with the dot, e.g. ".pdf"
    storrelse: int  # bytes


@dataclass(frozen=True)
class Saksframlegginnhold:
    tittel: str
    innstilling: str


@dataclass(frozen=True)
class _Filtype:
    kode: str
    mime: str
    endelse: str
    beskrivelse: str  # Norwegian, shown as "(innholdet er …)"
    familie: str | None = None  # extensions in one family may be swapped without a refusal
    rad: str = ""  # advice appended to a refusal


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."

TILLATTE_TYPER: dict[str, _Filtype] = {
    t.kode: t
    for t in (
        _Filtype("pdf", "application/pdf", ".pdf", "PDF-fil", "pdf"),
        _Filtype("docx", _OOXML + "wordprocessingml.document", ".docx", "Word-dokument", "word"),
        _Filtype("xlsx", _OOXML + "spreadsheetml.sheet", ".xlsx", "Excel-regneark", "excel"),
        _Filtype(
            "pptx", _OOXML + "presentationml.presentation", ".pptx", "PowerPoint-presentasjon", "powerpoint"
        ),
        _Filtype("odt", _ODF + "text", ".odt", "OpenDocument-tekst", "odt"),
        _Filtype("ods", _ODF + "spreadsheet", ".ods", "OpenDocument-regneark", "ods"),
        _Filtype("odp", _ODF + "presentation", ".odp", "OpenDocument-presentasjon", "odp"),
        _Filtype("png", "image/png", ".png", "PNG-bilde", "bilde"),
        _Filtype("jpeg", "image/jpeg", ".jpg", "JPEG-bilde", "bilde"),
        _Filtype("gif", "image/gif", ".gif", "GIF-bilde", "bilde"),
        _Filtype("tiff", "image/tiff", ".tif", "TIFF-bilde", "bilde"),
        _Filtype("txt", "text/plain", ".txt", "tekstfil", "tekst"),
        _Filtype("csv", "text/csv", ".csv", "tekstfil", "tekst"),
        _Filtype("eml", "message/rfc822", ".eml", "e-post", "epost"),
    )
}
ROLLETYPER: dict[str, frozenset[str]] = {
    "hoveddokument": frozenset({"docx", "pdf"}),
    "vedlegg": frozenset(TILLATTE_TYPER),
}

# The type a file name claims. Only these extensions are compared with the content; any other
# extension is kept and the detected one appended, since "Referat 12.03.2019" has no real extension.
_FAMILIE_AV_ENDELSE = {
    "pdf": "pdf",
    **dict.fromkeys(("doc", "docx", "docm", "dot", "dotx", "dotm"), "word"),
    **dict.fromkeys(("xls", "xlsx", "xlsm", "xlsb"), "excel"),
    **dict.fromkeys(("ppt", "pptx", "pptm", "pps", "ppsx"), "powerpoint"),
    "odt": "odt",
    "ods": "ods",
    "odp": "odp",
    **dict.fromkeys(("png", "jpg", "jpeg", "jpe", "gif", "tif", "tiff"), "bilde"),
    **dict.fromkeys(("txt", "csv"), "tekst"),
    **dict.fromkeys(("eml", "msg"), "epost"),
}
_FAMILIENAVN = {
    "pdf": "en PDF-fil",
    "word": "et Word-dokument",
    "excel": "et Excel-regneark",
    "powerpoint": "en PowerPoint-presentasjon",
    "odt": "et OpenDocument-tekstdokument",
    "ods": "et OpenDocument-regneark",
    "odp": "en OpenDocument-presentasjon",
    "bilde": "et bilde",
    "tekst": "en tekstfil",
    "epost": "en e-post",
}

_ZIP = _Filtype("zip", "application/zip", ".zip", "ZIP-arkiv")
_UKJENT = _Filtype("ukjent", "application/octet-stream", "", "ukjent filtype")
_LAGRE_SOM = " Lagre det som .docx eller PDF og prøv igjen."
_ELDRE_OFFICE = {
    "doc": _Filtype("doc", "application/msword", ".doc", "Word-dokument i eldre format", "word", _LAGRE_SOM),
    "xls": _Filtype("xls", "application/vnd.ms-excel", ".xls", "Excel-regneark i eldre format", "excel",
                    " Lagre det som .xlsx eller PDF og prøv igjen."),
    "ppt": _Filtype("ppt", "application/vnd.ms-powerpoint", ".ppt", "PowerPoint-presentasjon i eldre format",
                    "powerpoint", " Lagre den som .pptx eller PDF og prøv igjen."),
}
_OLE = _Filtype("ole", "application/x-ole-storage", "", "eldre eller passordbeskyttet Office-fil", None,
                " Fjern eventuelt passord, lagre som .docx eller PDF og prøv igjen.")
_MSG = _Filtype("msg", "application/vnd.ms-outlook", ".msg", "Outlook-melding", "epost",
                " Lagre e-posten som PDF og prøv igjen.")

_OOXML_HOVEDDELER = {
    _OOXML + "wordprocessingml.document.main+xml": "docx",
    _OOXML + "spreadsheetml.sheet.main+xml": "xlsx",
    _OOXML + "presentationml.presentation.main+xml": "pptx",
}
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_TRYGG_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


# --- file names ---------------------------------------------------------------------------------

_RESERVERTE_TEGN = re.compile(r'[<>:"|?*]')
_WINDOWS_ENHETER = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                              *(f"LPT{i}" for i in range(1, 10))})


def _del_navn(navn: str) -> tuple[str, str]:
    """Split into stem and extension (without dot); only a short alphanumeric tail counts as one."""
    stamme, punktum, endelse = navn.rpartition(".")
    if punktum and 1 <= len(endelse) <= 10 and endelse.isalnum():
        return stamme, endelse
    return navn, ""


def rens_filnavn(navn: str) -> str:
    """A safe, readable file name: no directories, control or reserved characters, at most 120 chars."""
    # Tabs and line breaks become spaces; other control and invisible format characters go (the
    # right-to-left override, for one, is used to disguise an .exe).
    navn = "".join(
        " " if t.isspace() else t for t in navn or "" if t.isspace() or unicodedata.category(t)[0] != "C"
    )
    # macOS sends "å" decomposed; compose it so equal names compare equal.
    navn = unicodedata.normalize("NFC", navn)
    # Old browsers send the full client path; either separator may occur whatever our OS is.
    navn = navn.replace("\\", "/").rsplit("/", 1)[-1]
    navn = _RESERVERTE_TEGN.sub(" ", navn)
    navn = " ".join(navn.split())
    stamme, endelse = _del_navn(navn)
    # Leading dots make hidden files and ".."; trailing dots and spaces are dropped by Windows.
    stamme = stamme.strip(" .")
    if stamme.upper() in _WINDOWS_ENHETER:
        stamme += "_"
    hale = f".{endelse}" if endelse else ""
    stamme = stamme[: MAKS_NAVNELENGDE - len(hale)].rstrip(" .")
    return (stamme or RESERVENAVN) + hale


def _med_endelse(navn: str, endelse: str) -> str:
    stamme, gammel = _del_navn(navn)
    grunnlag = stamme if gammel.lower() in _FAMILIE_AV_ENDELSE else navn
    return rens_filnavn(grunnlag + endelse)


# --- validation ---------------------------------------------------------------------------------


def valider_fil(f: File, *, rolle: str, maks_bytes: int) -> FilInfo:
    """Check an uploaded file for the given role by its content; raise ValidationError if refused.

    The file is always left at position 0, so it can be saved afterwards.
    """
    if rolle not in ROLLETYPER:
        raise ValueError(f"Ukjent rolle: {rolle!r}")
    navn = rens_filnavn(getattr(f, "name", "") or "")
    try:
        storrelse = _storrelse(f)
        if storrelse == 0:
            raise ValidationError(f"«{navn}» er tom.", code="tom")
        if storrelse > maks_bytes:
            raise ValidationError(
                f"«{navn}» er {_som_mb(storrelse, opp=True)}; grensen er {_som_mb(maks_bytes)}.",
                code="for_stor",
            )
        f.seek(0)
        type_ = _gjenkjenn(f, f.read(_HODE_BYTES), navn)
        _sjekk_navn(navn, type_)
        _sjekk_rolle(navn, type_, rolle)
    finally:
        _spol_tilbake(f)
    return FilInfo(_med_endelse(navn, type_.endelse), type_.mime, type_.endelse, storrelse)


def _storrelse(f: File) -> int:
    storrelse = getattr(f, "size", None)
    if storrelse is None:
        f.seek(0, 2)
        storrelse = f.tell()
    return storrelse


def _spol_tilbake(f: File) -> None:
    # Never let rewinding a broken or closed file hide the real error.
    with contextlib.suppress(OSError, ValueError, AttributeError):
        f.seek(0)


def _som_mb(antall: int, *, opp: bool = False) -> str:
    """Megabytes with at most one decimal and a Norwegian decimal comma; file sizes are rounded up
    so a file just over the limit never reads as equal to it."""
    verdi = antall / _MB
    verdi = math.ceil(verdi * 10) / 10 if opp else round(verdi, 1)
    tekst = f"{verdi:.1f}".removesuffix(".0").replace(".", ",")
    return f"{tekst} MB"


def _sjekk_navn(navn: str, type_: _Filtype) -> None:
    _, endelse = _del_navn(navn)
    hevdet = _FAMILIE_AV_ENDELSE.get(endelse.lower())
    if hevdet is not None and hevdet != type_.familie:
        raise ValidationError(
            f"«{navn}» er ikke {_FAMILIENAVN[hevdet]} (innholdet er {type_.beskrivelse}).",
            code="feil_type",
        )


def _sjekk_rolle(navn: str, type_: _Filtype, rolle: str) -> None:
    if type_.kode not in TILLATTE_TYPER:
        raise ValidationError(
            f"«{navn}» har en filtype som ikke kan lastes opp (innholdet er {type_.beskrivelse}).{type_.rad}",
            code="ikke_tillatt",
        )
    if type_.kode not in ROLLETYPER[rolle]:
        raise ValidationError(
            f"«{navn}» kan ikke brukes som saksframlegg (innholdet er {type_.beskrivelse}). "
            "Last opp et Word-dokument (.docx) eller en PDF-fil.",
            code="ikke_tillatt",
        )


def _gjenkjenn(f: File, hode: bytes, navn: str) -> _Filtype:
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
        return _MSG if _del_navn(navn)[1].lower() == "msg" else _OLE
    # Text before filetype's other guesses: its weak signatures (e.g. "BM" for BMP) match plain text.
    if _er_tekst(f):
        return _teksttype(hode, navn)
    if funn is not None:
        slag = "bilde" if funn.mime.startswith("image/") else "fil"
        return _Filtype(funn.extension, funn.mime, f".{funn.extension}", f"{funn.extension.upper()}-{slag}")
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


def _teksttype(hode: bytes, navn: str) -> _Filtype:
    # Content cannot tell txt, csv and eml apart; the name picks among the text types.
    endelse = _del_navn(navn)[1].lower()
    if endelse == "csv":
        return TILLATTE_TYPER["csv"]
    if endelse == "eml" and _ser_ut_som_epost(hode):
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


def _gjenkjenn_zip(f: File, navn: str) -> _Filtype:
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


def _gjenkjenn_ooxml(arkiv: zipfile.ZipFile, delnavn: list[str], innholdstyper: str, navn: str) -> _Filtype:
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
    return _Filtype("office", "application/octet-stream", "", "Office-fil av en type som ikke støttes")


def _gjenkjenn_odf(arkiv: zipfile.ZipFile, delnavn: list[str], navn: str) -> _Filtype:
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
    return _Filtype("odf", mime, "", "OpenDocument-fil av en type som ikke støttes")


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


# --- reading a saksframlegg ---------------------------------------------------------------------

_MARKORER = (
    "forslag til vedtak",
    "innstilling",
    "kommunedirektørens innstilling",
    "rådmannens innstilling",
    "kommunedirektørens forslag til vedtak",
    "rådmannens forslag til vedtak",
    "forslag til innstilling",
    "kommunedirektørens forslag til innstilling",
    "rådmannens forslag til innstilling",
)
_SEKSJONER = ("vedlegg", "sammendrag", "saksopplysninger", "vurdering", "bakgrunn", "saken gjelder",
              "saksutredning")
# Ignored as titles: the document type, the saksgang label and the header's "Label: value" lines.
_IKKE_TITTEL = re.compile(
    r"^(saksframlegg|saksfremlegg|saksgang|møtebehandling|utvalgssak)\s*:?$"
    r"|^(saksbehandler|saksbeh\.?|arkiv\w*|saksnr\.?|sak nr\.?|journalpost\w*|løpenr\.?|dato|vår ref\.?"
    r"|deres ref\.?|klassering|utvalgssaksnr\.?|objekt)\s*:"
    r"|^\S+( \S+)? kommune$",
    re.IGNORECASE,
)


def _overskriftsregex(navn: tuple[str, ...]) -> re.Pattern[str]:
    # An optional typed number ("3. Vurdering"), the heading, and optionally ": text on the same line".
    alternativer = "|".join(re.escape(n) for n in navn)
    return re.compile(rf"^(?:\d+(?:\.\d+)*\.?\s+)?(?:{alternativer})\s*(?::\s*(?P<rest>.*))?$",
                      re.IGNORECASE | re.DOTALL)


_MARKOR_RE = _overskriftsregex(_MARKORER)
_SEKSJON_RE = _overskriftsregex(_SEKSJONER)


@dataclass(frozen=True)
class _Linje:
    tekst: str  # as a reader sees it, with its list number
    raa: str  # without the list number, for matching headings
    overskrift: bool
    i_tabell: bool


def les_saksframlegg(f: File) -> Saksframlegginnhold:
    """Title and proposed decision (innstilling) of a .docx saksframlegg; empty strings if not found."""
    linjer = _les_linjer(f)
    return Saksframlegginnhold(tittel=_finn_tittel(linjer), innstilling=_finn_innstilling(linjer))


def tekst_forhandsvisning(f: File, maks_tegn: int = 20000) -> list[str]:
    """The document's non-empty paragraphs and table rows (cells joined by " | ") in reading order,
    cut at maks_tegn with "…". A manual line break inside a paragraph stays as "\\n"."""
    ut: list[str] = []
    brukt = 0
    for linje in _les_linjer(f):
        if not linje.tekst:
            continue
        rest = maks_tegn - brukt
        if len(linje.tekst) > rest:
            ut.append(linje.tekst[: max(rest, 0)].rstrip() + "…")
            break
        ut.append(linje.tekst)
        brukt += len(linje.tekst)
    return ut


def _en_linje(tekst: str) -> str:
    return " ".join(tekst.split())


def _finn_tittel(linjer: list[_Linje]) -> str:
    brodtekst = [linje for linje in linjer if not linje.i_tabell and linje.raa]

    def er_seksjon(linje: _Linje) -> bool:
        raa = _en_linje(linje.raa)
        return bool(_MARKOR_RE.match(raa) or _SEKSJON_RE.match(raa))

    def kan_vaere_tittel(linje: _Linje) -> bool:
        return not er_seksjon(linje) and not _IKKE_TITTEL.match(_en_linje(linje.raa))

    # The title comes before the innstilling and the sections. Only a heading may be taken from
    # after them: a plain paragraph there is the innstilling or the case text itself.
    slutt = next((i for i, linje in enumerate(brodtekst) if er_seksjon(linje)), len(brodtekst))
    foran = [linje for linje in brodtekst[:slutt] if kan_vaere_tittel(linje)]
    etter = [linje for linje in brodtekst[slutt:] if kan_vaere_tittel(linje)]
    valgt = (
        next((linje for linje in foran if linje.overskrift), None)
        or next(iter(foran), None)
        or next((linje for linje in etter if linje.overskrift), None)
    )
    return _en_linje(valgt.raa) if valgt is not None else ""


def _finn_innstilling(linjer: list[_Linje]) -> str:
    deler: list[str] = []
    startet = False
    for linje in linjer:
        raa = _en_linje(linje.raa)
        markor = None if linje.i_tabell else _MARKOR_RE.match(raa)
        if not startet:
            if markor:
                startet = True
                if markor.group("rest"):
                    deler.append(markor.group("rest").strip())
            continue
        if not linje.i_tabell and (linje.overskrift or markor or _SEKSJON_RE.match(raa)):
            break
        if linje.tekst:
            deler.append(linje.tekst)
    return "\n".join(deler).strip()


def _les_linjer(f: File) -> list[_Linje]:
    navn = rens_filnavn(getattr(f, "name", "") or "")
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as arkiv:
            if sum(i.file_size for i in arkiv.infolist()) > MAKS_UTPAKKET_BYTES:
                raise ValidationError(
                    f"«{navn}» er for stort til å leses som Word-dokument.", code="for_stor"
                )
        f.seek(0)
        return list(_Leser(docx.Document(f)).linjer())
    except ValidationError:
        raise
    except Exception as exc:
        # python-docx and lxml raise many types for broken files; callers should only see one.
        raise ValidationError(f"«{navn}» kunne ikke leses som Word-dokument.", code="ulesbar") from exc
    finally:
        _spol_tilbake(f)


_W_P, _W_TBL, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
# Content controls and custom XML wrap ordinary blocks, rows and cells; look through them.
_INNPAKNING = {qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")}
# Deleted and moved-away text is not part of the document as read; text boxes and drawings are
# anchored in a paragraph but are not its text.
_HOPP_OVER = {qn("w:del"), qn("w:moveFrom"), qn("w:drawing"), qn("w:pict"), qn("w:object"), qn("w:sdtPr")}
_W_T, _W_TAB, _W_PTAB, _W_BR, _W_CR = qn("w:t"), qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr")
_W_NOBREAKHYPHEN = qn("w:noBreakHyphen")
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_MC_ALTERNATE, _MC_FALLBACK = f"{_MC}AlternateContent", f"{_MC}Fallback"


def _barn(forelder, tagger: tuple[str, ...]) -> Iterator:
    for barn in forelder:
        if barn.tag in tagger:
            yield barn
        elif barn.tag in _INNPAKNING:
            yield from _barn(barn, tagger)


def _avsnittstekst(p) -> str:
    deler: list[str] = []

    def gaa(node) -> None:
        for barn in node:
            tag = barn.tag
            if tag == _W_T:
                deler.append(barn.text or "")
            elif tag in (_W_TAB, _W_PTAB):
                deler.append(" ")
            elif tag in (_W_BR, _W_CR):
                deler.append("\n")
            elif tag == _W_NOBREAKHYPHEN:
                deler.append("-")
            elif tag == _MC_ALTERNATE:
                # Choice and Fallback hold the same content; Fallback uses only standard markup.
                gaa(barn.findall(_MC_FALLBACK))
            elif tag not in _HOPP_OVER:
                gaa(barn)

    gaa(p)
    linjer = (" ".join(linje.split()) for linje in "".join(deler).split("\n"))
    return "\n".join(linje for linje in linjer if linje)


@dataclass(frozen=True)
class _Stilinfo:
    overskrift: bool
    nummer: tuple[str, int] | None  # (numId, level) inherited from the style


_OVERSKRIFTSSTILER = ("heading", "title", "overskrift", "tittel")


class _Leser:
    """Walks a document body in reading order, turning paragraphs and table rows into lines."""

    def __init__(self, dokument) -> None:
        self._dokument = dokument
        self._stiler: dict[str | None, _Stilinfo] = {}
        self._nummerering = _Nummerering(dokument)

    def linjer(self) -> Iterator[_Linje]:
        for blokk in _barn(self._dokument.element.body, (_W_P, _W_TBL)):
            if blokk.tag == _W_P:
                yield self._avsnitt(blokk)
            else:
                for rad in self._rader(blokk):
                    yield _Linje(rad, rad, overskrift=False, i_tabell=True)

    def _rader(self, tabell) -> Iterator[str]:
        for rad in _barn(tabell, (_W_TR,)):
            celler = [self._celletekst(celle) for celle in _barn(rad, (_W_TC,))]
            if any(celler):
                yield " | ".join(celler)

    def _celletekst(self, celle) -> str:
        deler: list[str] = []
        for blokk in _barn(celle, (_W_P, _W_TBL)):
            if blokk.tag == _W_P:
                deler.append(_en_linje(self._avsnitt(blokk).tekst))
            else:
                deler.extend(self._rader(blokk))
        return " ".join(d for d in deler if d)

    def _avsnitt(self, p) -> _Linje:
        raa = _avsnittstekst(p)
        ppr = p.find(qn("w:pPr"))
        stil_id = None
        if ppr is not None and ppr.find(qn("w:pStyle")) is not None:
            stil_id = ppr.find(qn("w:pStyle")).get(qn("w:val"))
        stil = self._stilinfo(p, stil_id)
        overskrift = stil.overskrift or _har_disposisjonsnivaa(ppr)
        nummer = _nummer(ppr) or stil.nummer
        prefiks = self._nummerering.prefiks(*nummer) if nummer else ""
        tekst = f"{prefiks} {raa}" if prefiks and raa else raa
        return _Linje(tekst, raa, overskrift=bool(raa) and overskrift, i_tabell=False)

    def _stilinfo(self, p, stil_id: str | None) -> _Stilinfo:
        if stil_id not in self._stiler:
            overskrift = False
            nummer = None
            # python-docx resolves a missing or unknown style id to the default paragraph style.
            stil = Paragraph(p, self._dokument).style
            while stil is not None:
                if (stil.name or "").lower().startswith(_OVERSKRIFTSSTILER):
                    overskrift = True
                ppr = stil.element.find(qn("w:pPr"))
                overskrift = overskrift or _har_disposisjonsnivaa(ppr)
                nummer = nummer or _nummer(ppr)
                stil = stil.base_style
            self._stiler[stil_id] = _Stilinfo(overskrift, nummer)
        return self._stiler[stil_id]


def _har_disposisjonsnivaa(ppr) -> bool:
    # Outline levels 0-8 make a paragraph a heading whatever its style is called; 9 is body text.
    nivaa = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    return nivaa is not None and _heltall(nivaa.get(qn("w:val")), 9) < 9


def _nummer(ppr) -> tuple[str, int] | None:
    numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if numpr is None or numpr.find(qn("w:numId")) is None:
        return None
    num_id = numpr.find(qn("w:numId")).get(qn("w:val"), "0")
    niva = numpr.find(qn("w:ilvl"))
    return num_id, _heltall(niva.get(qn("w:val")) if niva is not None else None, 0)


def _heltall(verdi: str | None, standard: int) -> int:
    try:
        return int(verdi) if verdi is not None else standard
    except ValueError:
        return standard


@dataclass(frozen=True)
class _Niva:
    format: str
    tekst: str
    start: int


class _Nummerering:
    """Computes Word's automatic list numbers ("1.", "a)"), which are not in the text, so that a
    numbered innstilling keeps its point numbers."""

    def __init__(self, dokument) -> None:
        self._abstrakte: dict[str, dict[int, _Niva]] = {}
        self._lister: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, restarts)
        self._tellere: dict[str, dict[int, int]] = {}
        self._brukt: set[str] = set()
        try:
            rot = dokument.part.numbering_part.element
        except Exception:  # no numbering part: python-docx cannot create one when reading
            return
        verdi = qn("w:val")
        for abstrakt in rot.findall(qn("w:abstractNum")):
            nivaer = {}
            for lvl in abstrakt.findall(qn("w:lvl")):
                fmt, tekst = lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                nivaer[_heltall(lvl.get(qn("w:ilvl")), 0)] = _Niva(
                    format=fmt.get(verdi, "decimal") if fmt is not None else "decimal",
                    tekst=tekst.get(verdi, "") if tekst is not None else "",
                    # The standard's default is 0, but every writer we know sets it; 1 is what people expect.
                    start=_heltall(start.get(verdi) if start is not None else None, 1),
                )
            self._abstrakte[abstrakt.get(qn("w:abstractNumId"), "")] = nivaer
        for num in rot.findall(qn("w:num")):
            abstrakt_id = num.find(qn("w:abstractNumId"))
            if abstrakt_id is None:
                continue
            omstart = {}
            for overstyring in num.findall(qn("w:lvlOverride")):
                start = overstyring.find(qn("w:startOverride"))
                if start is not None:
                    omstart[_heltall(overstyring.get(qn("w:ilvl")), 0)] = _heltall(start.get(verdi), 1)
            self._lister[num.get(qn("w:numId"), "")] = (abstrakt_id.get(verdi, ""), omstart)

    def prefiks(self, num_id: str, niva: int) -> str:
        if num_id not in self._lister:
            return ""
        abstrakt_id, omstart = self._lister[num_id]
        nivaer = self._abstrakte.get(abstrakt_id, {})
        if niva not in nivaer:
            return ""
        # Word counts per abstract list, so separate lists sharing one continue each other's numbers.
        tellere = self._tellere.setdefault(abstrakt_id, {})
        if num_id not in self._brukt:
            self._brukt.add(num_id)
            for omstart_niva, start in omstart.items():
                tellere[omstart_niva] = start - 1
        tellere[niva] = tellere.get(niva, nivaer[niva].start - 1) + 1
        for dypere in [n for n in tellere if n > niva]:
            del tellere[dypere]
        if nivaer[niva].format == "bullet":
            return "•"  # the bullet's own character is usually from a symbol font

        def erstatt(treff: re.Match[str]) -> str:
            n = int(treff.group(1)) - 1
            def_ = nivaer.get(n, _Niva("decimal", "", 1))
            return _formater_tall(tellere.get(n, def_.start), def_.format)

        return re.sub(r"%([1-9])", erstatt, nivaer[niva].tekst).strip()


def _formater_tall(n: int, fmt: str) -> str:
    if fmt == "none":
        return ""
    if fmt in ("lowerLetter", "upperLetter") and n > 0:
        # Word's letters go a..z, then aa, bb, …
        bokstav = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return bokstav if fmt == "lowerLetter" else bokstav.upper()
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        romertall = _romertall(n)
        return romertall.lower() if fmt == "lowerRoman" else romertall
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _romertall(n: int) -> str:
    ut = ""
    for verdi, tegn in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                        (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        antall, n = divmod(n, verdi)
        ut += tegn * antall
    return ut
