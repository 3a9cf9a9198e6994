"""Office packages (.docx, .xlsx, .pptx and OpenDocument) opened safely: a ZIP archive of XML parts.

Recognising the type (saker.filer.typer) reads only the tiny [Content_Types].xml; this module checks the
whole package before it is accepted, and gives the reader (saker.filer.saksframlegg) entries one chunk at
a time. What is refused, and why:

- **Zip bombs.** At most MAKS_DELER entries; every entry is inflated as a stream, counting the bytes
  actually produced (never trusting the sizes the archive declares), at most MAKS_DEL_BYTES each and
  MAKS_UTPAKKET_BYTES in all, and no entry may inflate more than MAKS_FORHOLD times its compressed size
  once past FORHOLD_FRA_BYTES (Apache POI's defaults, which real Office files never come near).
- **Entry names** with "..", an absolute path, a drive letter, a backslash or a control character (NUL
  included), and names that occur twice: an unpacking tool would write outside its folder, and two
  readers could pick different parts.
- **Encrypted entries** (the ZIP's own password flag) and compression methods other than stored and
  deflate. A password-protected Office file is an OLE file, not a ZIP, and is refused by its type.
- **XML with a DTD, or not well-formed.** Every XML part (by its name, or by its first bytes, since Office
  goes by content type and a part may be called anything) is parsed whole as a stream (lxml,
  resolve_entities=False, no_network, load_dtd=False, into a target that builds no tree) and a DOCTYPE
  is refused outright: OPC forbids DTDs in Office parts, and entity declarations are what
  billion-laughs and external-entity attacks are built from.
- **External relationships** (TargetMode="External" in a .rels part) other than hyperlinks: a remote
  template (attachedTemplate, the way malicious documents fetch their macros), a linked image or frame
  (fetched when the document is opened, which tells a stranger who read it and can leak the reader's
  Windows credentials), a linked OLE object, an external workbook. Hyperlinks stay: nothing is fetched
  until the reader clicks one. They are refused rather than stripped, since changing a signed-off
  saksframlegg behind the case officer's back would be worse than asking for a clean copy.

Macros are refused by the type check (vbaProject.bin, macro-enabled content types).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator

from django.core.exceptions import ValidationError
from lxml import etree

MAKS_DELER = 5000
MAKS_DEL_BYTES = 100 * 1024 * 1024
MAKS_UTPAKKET_BYTES = 200 * 1024 * 1024
MAKS_FORHOLD = 100
MAKS_RELS_BYTES = 10 * 1024 * 1024
FORHOLD_FRA_BYTES = 100 * 1024
_BIT = 64 * 1024

_STOTTEDE_METODER = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_KONTROLLTEGN = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_STASJON = re.compile(r"^[A-Za-z]:")
_XML_ENDELSER = (".xml", ".rels", ".vml")
_DOCTYPE = tuple("<!DOCTYPE".encode(koding) for koding in ("ascii", "utf-16-le", "utf-16-be"))
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_HYPERLENKE = "/hyperlink"
# What an external relationship is, for the refusal ("henter en mal fra …").
_EKSTERNT = (
    ("attachedtemplate", "en dokumentmal"),
    ("/image", "et bilde"),
    ("/frame", "en ramme (nettside)"),
    ("/subdocument", "et deldokument"),
    ("/oleobject", "et koblet objekt"),
    ("externallink", "en ekstern arbeidsbok"),
)


def _feil(melding: str, kode: str) -> ValidationError:
    return ValidationError(melding, code=kode)


def skadet(navn: str) -> ValidationError:
    return _feil(f"«{navn}» er skadet eller ufullstendig og kan ikke åpnes.", "skadet")


def for_stor_utpakket(navn: str) -> ValidationError:
    return _feil(f"«{navn}» blir for stor når den pakkes ut (mulig «zip-bombe») og kan ikke lastes opp.",
                 "utpakket_for_stor")


def trygg_xml_parser(**kwargs) -> etree.XMLPullParser:
    """A streaming parser that never resolves entities, loads a DTD or touches the network."""
    return etree.XMLPullParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, **kwargs)


def har_dtd(element) -> bool:
    info = element.getroottree().docinfo
    return bool(info.doctype) or info.internalDTD is not None or info.externalDTD is not None


def dtd_feil(navn: str) -> ValidationError:
    return _feil(f"«{navn}» inneholder XML med en dokumenttypedefinisjon (DTD), som ikke er tillatt i "
                 "Office-filer. Lagre dokumentet på nytt fra Office og prøv igjen.", "xml_dtd")


class Teller:
    """The bytes inflated so far from one package, against MAKS_UTPAKKET_BYTES."""

    def __init__(self, navn: str, maks_totalt: int = MAKS_UTPAKKET_BYTES) -> None:
        self.navn = navn
        self.maks_totalt = maks_totalt
        self.totalt = 0


def les_del(arkiv: zipfile.ZipFile, info: zipfile.ZipInfo, teller: Teller, *,
            maks: int = MAKS_DEL_BYTES) -> Iterator[bytes]:
    """An entry's inflated bytes, a chunk at a time, refused as soon as it passes a limit."""
    antall = 0
    komprimert = max(info.compress_size, 1)
    with arkiv.open(info) as del_:
        while bit := del_.read(_BIT):
            antall += len(bit)
            teller.totalt += len(bit)
            if antall > maks or teller.totalt > teller.maks_totalt or (
                    antall > FORHOLD_FRA_BYTES and antall > MAKS_FORHOLD * komprimert):
                raise for_stor_utpakket(teller.navn)
            yield bit


def sjekk_navn_i_arkiv(arkiv: zipfile.ZipFile, navn: str) -> list[zipfile.ZipInfo]:
    """The archive's entries, if their number, names, encryption and compression are acceptable."""
    deler = arkiv.infolist()
    if len(deler) > MAKS_DELER:
        raise _feil(f"«{navn}» består av for mange deler ({len(deler)}) og kan ikke lastes opp.", "for_mange_deler")
    sett: set[str] = set()
    for info in deler:
        delnavn = info.orig_filename
        normalisert = posixpath.normpath(delnavn)
        if (
            _KONTROLLTEGN.search(delnavn) or "\\" in delnavn or delnavn.startswith("/") or _STASJON.match(delnavn)
            or ".." in delnavn.split("/") or normalisert.startswith("..")
        ):
            raise _feil(f"«{navn}» inneholder en del med ugyldig navn og kan ikke lastes opp.", "ugyldig_delnavn")
        if delnavn.lower() in sett:
            raise _feil(f"«{navn}» inneholder to deler med samme navn og kan ikke lastes opp.", "ugyldig_delnavn")
        sett.add(delnavn.lower())
        if info.flag_bits & 0x1:
            raise _feil(f"«{navn}» er passordbeskyttet. Fjern passordet og prøv igjen.", "kryptert")
        if info.compress_type not in _STOTTEDE_METODER:
            raise skadet(navn)
    return deler


def sjekk_pakke(f, navn: str) -> None:
    """Check a whole Office package (see the module's docstring); raise ValidationError if refused.

    Reads every entry once as a stream: memory stays at a chunk, whatever the package unpacks to."""
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as arkiv:
            deler = sjekk_navn_i_arkiv(arkiv, navn)
            teller = Teller(navn)
            for info in deler:
                if info.is_dir():
                    continue
                _sjekk_del(arkiv, info, teller, navn)
    except ValidationError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, NotImplementedError,
            RuntimeError, ValueError, etree.XMLSyntaxError) as exc:
        # RuntimeError: an encrypted entry; zlib.error: a damaged deflate stream; BadZipFile also for a bad CRC.
        raise skadet(navn) from exc


class _Mal:
    """The parser's target: no tree is built, and for a content part lxml calls no Python per element, so a
    part is checked at C speed in constant memory. Notes a DOCTYPE; in a relationships part, checks each
    relationship as it starts."""

    def __init__(self, navn: str) -> None:
        self.navn = navn
        self.dtd = False

    def doctype(self, *args) -> None:
        self.dtd = True

    def close(self) -> bool:
        return self.dtd


class _RelsMal(_Mal):
    def start(self, tag: str, attrib) -> None:
        if tag == f"{_REL_NS}Relationship":
            _sjekk_relasjon(attrib, self.navn)


def _sjekk_del(arkiv: zipfile.ZipFile, info: zipfile.ZipInfo, teller: Teller, navn: str) -> None:
    """Inflate and count one entry; parse it as XML if its name or its first bytes say XML (Office goes by
    the content type, not the name, so an XML part may be called anything)."""
    er_rels = info.filename.lower().endswith(".rels")
    mal = _RelsMal(navn) if er_rels else _Mal(navn)
    parser = etree.XMLParser(target=mal, resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    er_xml = info.filename.lower().endswith(_XML_ENDELSER)
    forste = True
    for bit in les_del(arkiv, info, teller, maks=MAKS_RELS_BYTES if er_rels else MAKS_DEL_BYTES):
        if forste:
            forste = False
            hode = bit[:4096]
            er_xml = er_xml or hode.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<") or \
                hode.startswith((b"\xff\xfe<", b"\xfe\xff\x00<"))
            if er_xml and any(m in hode.upper() for m in _DOCTYPE):
                raise dtd_feil(navn)  # before lxml, which stops at an entity declaration with a vaguer error
        if er_xml:
            parser.feed(bit)
            if mal.dtd:
                raise dtd_feil(navn)
    if er_xml:
        if forste:
            raise skadet(navn)  # an empty part is not XML
        if parser.close():
            raise dtd_feil(navn)


def _sjekk_relasjon(attrib, navn: str) -> None:
    if (attrib.get("TargetMode") or "").lower() != "external":
        return
    type_ = (attrib.get("Type") or "").lower()
    if type_.endswith(_HYPERLENKE):
        return
    hva = next((tekst for nokkel, tekst in _EKSTERNT if nokkel in type_), "innhold")
    kilde = (attrib.get("Target") or "")[:80]
    raise _feil(
        f"«{navn}» henter {hva} fra en ekstern kilde ({kilde}) når den åpnes, og kan ikke lastes opp. "
        "Fjern koblingen, eller lagre innholdet i selve dokumentet, og prøv igjen.",
        "ekstern_relasjon",
    )
