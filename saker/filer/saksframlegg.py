"""Reading a saksframlegg (.docx): its title, its innstilling, and the text preview of any Word file.

Pure Python, no models. The document is read in reading order, paragraphs and table rows alike, with
Word's automatic list numbers put back so a numbered innstilling keeps its points. It is streamed from
the package one block at a time through saker.filer.pakke's safe parser (no DTDs, no entities, every part
capped), so reading takes bounded time and memory whatever the file; python-docx, which would load every
part whole, is only used for its tag names.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import File
from docx.oxml.ns import qn

from . import pakke
from .navn import rens_filnavn
from .nummerering import Nummerering, heltall
from .typer import spol_tilbake

# Reading is bounded whatever the file: the parts read may unpack to at most MAKS_UTPAKKET_BYTES (and
# saker.filer.pakke's limits per part), styles and numbering to MAKS_HJELPEDEL_BYTES each; the document
# is parsed one top-level block at a time, and reading stops after MAKS_DOKUMENT_LEST_BYTES of its XML,
# MAKS_LESTE_TEGN characters of text, or at a block of more than MAKS_ELEMENTER_PER_BLOKK elements
# (nothing a person writes comes near; the title and innstilling stand at the start).
MAKS_UTPAKKET_BYTES = 200 * 1024 * 1024
MAKS_HJELPEDEL_BYTES = 10 * 1024 * 1024
MAKS_LESTE_TEGN = 1_000_000
MAKS_DOKUMENT_LEST_BYTES = 16 * 1024 * 1024
MAKS_ELEMENTER_PER_BLOKK = 200_000


@dataclass(frozen=True)
class Saksframlegginnhold:
    tittel: str
    innstilling: str


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


# Lines are stored joined by an empty line, which no line holds (empty lines in a paragraph are dropped).
_LINJESKILLE = "\n\n"


def forhandsvisning_som_tekst(f: File) -> str:
    """The preview of a .docx as one text to store with the document, read once (tekst_forhandsvisning)."""
    return _LINJESKILLE.join(tekst_forhandsvisning(f))


def forhandsvisning_fra_tekst(tekst: str) -> list[str]:
    """The preview lines back from what forhandsvisning_som_tekst stored."""
    return tekst.split(_LINJESKILLE) if tekst else []


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
            deler = {i.filename.lower(): i for i in pakke.sjekk_navn_i_arkiv(arkiv, navn)}
            teller = pakke.Teller(navn, MAKS_UTPAKKET_BYTES)
            pakken = _Pakke(arkiv, deler, teller)
            hoveddel = pakken.hoveddel()
            relasjoner = pakken.relasjoner(hoveddel)
            leser = _Leser(_Stiler(pakken.tre(relasjoner.get("styles"))),
                           Nummerering(pakken.tre(relasjoner.get("numbering"))))
            linjer: list[_Linje] = []
            tegn = 0
            for linje in leser.linjer(pakken.blokker(hoveddel)):
                linjer.append(linje)
                tegn += len(linje.tekst)
                if tegn > MAKS_LESTE_TEGN:
                    break  # the title, the innstilling and the preview are long since read
            return linjer
    except ValidationError as feil:
        if feil.code == "utpakket_for_stor":
            raise ValidationError(f"«{navn}» er for stort til å leses som Word-dokument.", code="for_stor") from feil
        raise _ulesbar(navn) from feil
    except Exception as exc:
        # zipfile, zlib and lxml raise many types for broken files; callers should only see one.
        raise _ulesbar(navn) from exc
    finally:
        spol_tilbake(f)


def _ulesbar(navn: str) -> ValidationError:
    return ValidationError(f"«{navn}» kunne ikke leses som Word-dokument.", code="ulesbar")


_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_WORD_HOVEDDEL = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


class _Pakke:
    """The parts of a .docx, each read as a stream through saker.filer.pakke's limits: small parts
    (content types, relationships, styles, numbering) as trees of at most MAKS_HJELPEDEL_BYTES, the
    document itself one top-level block at a time."""

    def __init__(self, arkiv: zipfile.ZipFile, deler: dict[str, zipfile.ZipInfo], teller: pakke.Teller) -> None:
        self._arkiv, self._deler, self._teller = arkiv, deler, teller

    def tre(self, delnavn: str | None):
        """The part parsed whole, or None if the package has no such part."""
        info = self._deler.get((delnavn or "").lower())
        if info is None:
            return None
        parser = pakke.trygg_xml_parser()
        for bit in pakke.les_del(self._arkiv, info, self._teller, maks=MAKS_HJELPEDEL_BYTES):
            parser.feed(bit)
        rot = parser.close()
        if pakke.har_dtd(rot):
            raise ValueError(f"{delnavn} has a DTD")
        return rot

    def hoveddel(self) -> str:
        typer = self.tre("[Content_Types].xml")
        if typer is None:
            raise ValueError("no [Content_Types].xml")
        for overstyring in typer.iter(f"{_CT_NS}Override"):
            if overstyring.get("ContentType") == _WORD_HOVEDDEL:
                return overstyring.get("PartName", "").lstrip("/")
        raise ValueError("not a Word document")  # a .docm's main part is macro-enabled, and is not read

    def relasjoner(self, delnavn: str) -> dict[str, str]:
        """The part's relationships by the last word of their type ("styles"), as part names."""
        mappe, fil = posixpath.split(delnavn)
        rot = self.tre(posixpath.join(mappe, "_rels", f"{fil}.rels"))
        ut: dict[str, str] = {}
        for rel in rot.iter(f"{_REL_NS}Relationship") if rot is not None else ():
            if (rel.get("TargetMode") or "").lower() == "external":
                continue
            mal = rel.get("Target") or ""
            sti = mal.lstrip("/") if mal.startswith("/") else posixpath.normpath(posixpath.join(mappe, mal))
            ut.setdefault((rel.get("Type") or "").rsplit("/", 1)[-1], sti)
        return ut

    def blokker(self, delnavn: str) -> Iterator:
        """The body's top-level elements (paragraphs, tables, content controls) one at a time, each
        dropped once read; a block of more than MAKS_ELEMENTER_PER_BLOKK elements ends the reading."""
        info = self._deler.get(delnavn.lower())
        if info is None:
            raise ValueError(f"{delnavn} is missing")
        parser = pakke.trygg_xml_parser(events=("start", "end"))
        dybde = elementer = lest = 0
        forste = True
        for bit in pakke.les_del(self._arkiv, info, self._teller):
            lest += len(bit)
            if lest > MAKS_DOKUMENT_LEST_BYTES:
                return  # the title, the innstilling and the preview are long since read
            parser.feed(bit)
            for hendelse, element in parser.read_events():
                if hendelse == "start":
                    if forste and pakke.har_dtd(element):
                        raise ValueError("DTD in the document")
                    forste = False
                    dybde += 1
                    elementer += 1
                    if elementer > MAKS_ELEMENTER_PER_BLOKK:
                        return
                    continue
                dybde -= 1
                if dybde == 2 and element.getparent() is not None and element.getparent().tag == _W_BODY:
                    yield element
                    element.clear(keep_tail=False)
                    while element.getprevious() is not None:
                        del element.getparent()[0]
                    elementer = 0
        parser.close()


_W_P, _W_TBL, _W_TR, _W_TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_W_BODY = qn("w:body")
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

    def __init__(self, stiler: _Stiler, nummerering: Nummerering) -> None:
        self._alle_stiler = stiler
        self._stiler: dict[str | None, _Stilinfo] = {}
        self._nummerering = nummerering

    def linjer(self, blokker: Iterator) -> Iterator[_Linje]:
        # Each top-level block comes alone from the stream; look through content controls around it.
        for blokk in (b for ytre in blokker for b in _barn([ytre], (_W_P, _W_TBL))):
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
        stil = self._stilinfo(stil_id)
        overskrift = stil.overskrift or _har_disposisjonsnivaa(ppr)
        nummer = _nummer(ppr) or stil.nummer
        prefiks = self._nummerering.prefiks(*nummer) if nummer else ""
        tekst = f"{prefiks} {raa}" if prefiks and raa else raa
        return _Linje(tekst, raa, overskrift=bool(raa) and overskrift, i_tabell=False)

    def _stilinfo(self, stil_id: str | None) -> _Stilinfo:
        if stil_id not in self._stiler:
            overskrift = False
            nummer = None
            for navn, stil in self._alle_stiler.kjede(stil_id):
                if navn.lower().startswith(_OVERSKRIFTSSTILER):
                    overskrift = True
                ppr = stil.find(qn("w:pPr"))
                overskrift = overskrift or _har_disposisjonsnivaa(ppr)
                nummer = nummer or _nummer(ppr)
            self._stiler[stil_id] = _Stilinfo(overskrift, nummer)
        return self._stiler[stil_id]


class _Stiler:
    """The paragraph styles of styles.xml, as Word resolves them: a missing or unknown style id is the
    default paragraph style, and each style inherits from the one it is based on."""

    def __init__(self, rot) -> None:
        self._stiler: dict[str, object] = {}
        self._standard = None
        for stil in rot.findall(qn("w:style")) if rot is not None else ():
            if stil.get(qn("w:type"), "paragraph") != "paragraph":
                continue
            self._stiler.setdefault(stil.get(qn("w:styleId"), ""), stil)
            if self._standard is None and stil.get(qn("w:default")) in ("1", "true", "on"):
                self._standard = stil

    def kjede(self, stil_id: str | None) -> Iterator[tuple[str, object]]:
        """(name, element) of the style and each it is based on, nearest first."""
        stil = self._stiler.get(stil_id) if stil_id is not None else None
        stil = self._standard if stil is None else stil
        sett: set[int] = set()
        while stil is not None and id(stil) not in sett:  # a style based on itself must not loop
            sett.add(id(stil))
            navn = stil.find(qn("w:name"))
            yield (navn.get(qn("w:val"), "") if navn is not None else ""), stil
            basert = stil.find(qn("w:basedOn"))
            stil = self._stiler.get(basert.get(qn("w:val"), "")) if basert is not None else None


def _har_disposisjonsnivaa(ppr) -> bool:
    # Outline levels 0-8 make a paragraph a heading whatever its style is called; 9 is body text.
    nivaa = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    return nivaa is not None and heltall(nivaa.get(qn("w:val")), 9) < 9


def _nummer(ppr) -> tuple[str, int] | None:
    numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if numpr is None or numpr.find(qn("w:numId")) is None:
        return None
    num_id = numpr.find(qn("w:numId")).get(qn("w:val"), "0")
    niva = numpr.find(qn("w:ilvl"))
    return num_id, heltall(niva.get(qn("w:val")) if niva is not None else None, 0)
