"""A .docx read the way a person reads it: its body as paragraphs and tables in reading order, and the text
of its page headers and footers.

Pure Python, no models. The document is streamed from the package one block at a time through
saker.filer.pakke's safe parser (no DTDs, no entities, every part capped), so reading takes bounded time
and memory whatever the file; python-docx, which would load every part whole, is only used for its tag
names. What a paragraph is (heading, list item) comes from its style and Word's numbering, not from its
text: the list number Word prints is kept beside the text (``Avsnitt.nummer``), never inside it.
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
# saker.filer.pakke's limits per part), styles, numbering, headers and footers to MAKS_HJELPEDEL_BYTES each;
# the document is parsed one top-level block at a time, and reading stops after MAKS_DOKUMENT_LEST_BYTES of
# its XML, MAKS_LESTE_TEGN characters of text, or at a block of more than MAKS_ELEMENTER_PER_BLOKK elements
# (nothing a person writes comes near). Where it stops, `Dokumentinnhold.avbrutt` says so.
MAKS_UTPAKKET_BYTES = 200 * 1024 * 1024
MAKS_HJELPEDEL_BYTES = 10 * 1024 * 1024
MAKS_LESTE_TEGN = 1_000_000
MAKS_DOKUMENT_LEST_BYTES = 16 * 1024 * 1024
MAKS_ELEMENTER_PER_BLOKK = 200_000
MAKS_TOPPTEKSTER = 6  # first page, odd and even pages: headers and footers


@dataclass(frozen=True)
class Avsnitt:
    """A paragraph. `nummer` is Word's automatic list number or bullet ("1.", "a)", "•"), which Word prints
    but which is not part of the text; `niva` its list level; `overskrift` the heading level (1-9), 0 for
    body text. A manual line break stays as "\\n" in `tekst`."""

    tekst: str
    nummer: str = ""
    niva: int = 0
    overskrift: int = 0

    @property
    def som_lest(self) -> str:
        """The paragraph as it prints, with its list number."""
        return f"{self.nummer} {self.tekst}" if self.nummer and self.tekst else self.tekst


@dataclass(frozen=True)
class Tabell:
    """A table's rows of cell texts (a nested table is flattened into its cell); empty rows are left out."""

    rader: tuple[tuple[str, ...], ...]


Blokk = Avsnitt | Tabell


@dataclass(frozen=True)
class Dokumentinnhold:
    blokker: tuple[Blokk, ...]
    topptekst: tuple[Blokk, ...]  # the page headers and footers, in the order Word relates them
    avbrutt: bool  # reading stopped at one of its limits before the end of the document


def les_docx(f: File) -> Dokumentinnhold:
    """The body and page headers of a .docx. A file that is not a readable Word document raises one
    ValidationError naming it; the file is left at its start."""
    navn = rens_filnavn(getattr(f, "name", "") or "")
    try:
        f.seek(0)
        with zipfile.ZipFile(f) as arkiv:
            deler = {i.filename.lower(): i for i in pakke.sjekk_navn_i_arkiv(arkiv, navn)}
            pakken = _Pakke(arkiv, deler, pakke.Teller(navn, MAKS_UTPAKKET_BYTES))
            hoveddel = pakken.hoveddel()
            relasjoner = pakken.relasjoner(hoveddel)
            leser = _Leser(_Stiler(pakken.tre(_forste(relasjoner, "styles"))),
                           Nummerering(pakken.tre(_forste(relasjoner, "numbering"))))
            topptekst: list[Blokk] = []
            for delnavn in (relasjoner.get("header", []) + relasjoner.get("footer", []))[:MAKS_TOPPTEKSTER]:
                rot = pakken.tre(delnavn)
                if rot is not None:
                    topptekst.extend(leser.blokker(iter([rot]), gjennom_rot=True))
            blokker: list[Blokk] = []
            tegn = 0
            avbrutt = False
            for blokk in leser.blokker(pakken.blokker(hoveddel)):
                blokker.append(blokk)
                tegn += _tegn(blokk)
                if tegn > MAKS_LESTE_TEGN:
                    avbrutt = True
                    break
            return Dokumentinnhold(tuple(blokker), tuple(topptekst), avbrutt or pakken.avbrutt)
    except ValidationError as feil:
        if feil.code == "utpakket_for_stor":
            raise ValidationError(f"«{navn}» er for stort til å leses som Word-dokument.", code="for_stor") from feil
        raise _ulesbar(navn) from feil
    except Exception as exc:
        # zipfile, zlib and lxml raise many types for broken files; callers should only see one.
        raise _ulesbar(navn) from exc
    finally:
        spol_tilbake(f)


def _tegn(blokk: Blokk) -> int:
    if isinstance(blokk, Avsnitt):
        return len(blokk.tekst)
    return sum(len(celle) for rad in blokk.rader for celle in rad)


def _forste(relasjoner: dict[str, list[str]], type_: str) -> str | None:
    return next(iter(relasjoner.get(type_, [])), None)


def _ulesbar(navn: str) -> ValidationError:
    return ValidationError(f"«{navn}» kunne ikke leses som Word-dokument.", code="ulesbar")


_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_WORD_HOVEDDEL = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


class _Pakke:
    """The parts of a .docx, each read as a stream through saker.filer.pakke's limits: small parts
    (content types, relationships, styles, numbering, headers) as trees of at most MAKS_HJELPEDEL_BYTES,
    the document itself one top-level block at a time."""

    def __init__(self, arkiv: zipfile.ZipFile, deler: dict[str, zipfile.ZipInfo], teller: pakke.Teller) -> None:
        self._arkiv, self._deler, self._teller = arkiv, deler, teller
        self.avbrutt = False

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

    def relasjoner(self, delnavn: str) -> dict[str, list[str]]:
        """The part's internal relationships by the last word of their type ("styles"), as part names."""
        mappe, fil = posixpath.split(delnavn)
        rot = self.tre(posixpath.join(mappe, "_rels", f"{fil}.rels"))
        ut: dict[str, list[str]] = {}
        for rel in rot.iter(f"{_REL_NS}Relationship") if rot is not None else ():
            if (rel.get("TargetMode") or "").lower() == "external":
                continue
            mal = rel.get("Target") or ""
            sti = mal.lstrip("/") if mal.startswith("/") else posixpath.normpath(posixpath.join(mappe, mal))
            ut.setdefault((rel.get("Type") or "").rsplit("/", 1)[-1], []).append(sti)
        return ut

    def blokker(self, delnavn: str) -> Iterator:
        """The body's top-level elements (paragraphs, tables, content controls) one at a time, each
        dropped once read; past a limit the reading ends and `avbrutt` is set."""
        info = self._deler.get(delnavn.lower())
        if info is None:
            raise ValueError(f"{delnavn} is missing")
        parser = pakke.trygg_xml_parser(events=("start", "end"))
        dybde = elementer = lest = 0
        forste = True
        for bit in pakke.les_del(self._arkiv, info, self._teller):
            lest += len(bit)
            if lest > MAKS_DOKUMENT_LEST_BYTES:
                self.avbrutt = True
                return
            parser.feed(bit)
            for hendelse, element in parser.read_events():
                if hendelse == "start":
                    if forste and pakke.har_dtd(element):
                        raise ValueError("DTD in the document")
                    forste = False
                    dybde += 1
                    elementer += 1
                    if elementer > MAKS_ELEMENTER_PER_BLOKK:
                        self.avbrutt = True
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


def _en_linje(tekst: str) -> str:
    return " ".join(tekst.split())


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
    linjer = (_en_linje(linje) for linje in "".join(deler).split("\n"))
    return "\n".join(linje for linje in linjer if linje)


@dataclass(frozen=True)
class _Stilinfo:
    overskrift: int  # heading level, 0 for none
    nummer: tuple[str, int] | None  # (numId, level) inherited from the style


_OVERSKRIFTSSTILER = ("heading", "overskrift")
_TITTELSTILER = ("title", "tittel")
_SISTE_TALL = re.compile(r"(\d)\s*$")


class _Leser:
    """Turns paragraphs and tables into blocks, with each paragraph's style and list number resolved."""

    def __init__(self, stiler: _Stiler, nummerering: Nummerering) -> None:
        self._alle_stiler = stiler
        self._stiler: dict[str | None, _Stilinfo] = {}
        self._nummerering = nummerering

    def blokker(self, elementer: Iterator, *, gjennom_rot: bool = False) -> Iterator[Blokk]:
        # Each top-level block comes alone from the stream (or a header's root holds them all); look
        # through content controls around it.
        for ytre in elementer:
            for blokk in _barn(ytre if gjennom_rot else [ytre], (_W_P, _W_TBL)):
                if blokk.tag == _W_P:
                    avsnitt = self._avsnitt(blokk)
                    if avsnitt.tekst:
                        yield avsnitt
                else:
                    rader = tuple(self._rader(blokk))
                    if rader:
                        yield Tabell(rader)

    def _rader(self, tabell) -> Iterator[tuple[str, ...]]:
        for rad in _barn(tabell, (_W_TR,)):
            celler = tuple(self._celletekst(celle) for celle in _barn(rad, (_W_TC,)))
            if any(celler):
                yield celler

    def _celletekst(self, celle) -> str:
        deler: list[str] = []
        for blokk in _barn(celle, (_W_P, _W_TBL)):
            if blokk.tag == _W_P:
                deler.append(_en_linje(self._avsnitt(blokk).som_lest))
            else:
                deler.extend(" | ".join(rad) for rad in self._rader(blokk))
        return " ".join(d for d in deler if d)

    def _avsnitt(self, p) -> Avsnitt:
        tekst = _avsnittstekst(p)
        ppr = p.find(qn("w:pPr"))
        stil_id = None
        if ppr is not None and ppr.find(qn("w:pStyle")) is not None:
            stil_id = ppr.find(qn("w:pStyle")).get(qn("w:val"))
        stil = self._stilinfo(stil_id)
        overskrift = _disposisjonsnivaa(ppr) or stil.overskrift
        nummer = _nummer(ppr) or stil.nummer
        # Counted even for an empty paragraph: Word numbers it too.
        prefiks = self._nummerering.prefiks(*nummer) if nummer else ""
        return Avsnitt(tekst, nummer=prefiks if tekst else "", niva=nummer[1] if nummer and prefiks else 0,
                       overskrift=overskrift if tekst else 0)

    def _stilinfo(self, stil_id: str | None) -> _Stilinfo:
        if stil_id not in self._stiler:
            overskrift = 0
            nummer = None
            for navn, stil in self._alle_stiler.kjede(stil_id):
                if not overskrift:
                    overskrift = _stilnivaa(navn.lower()) or _disposisjonsnivaa(stil.find(qn("w:pPr")))
                nummer = nummer or _nummer(stil.find(qn("w:pPr")))
            self._stiler[stil_id] = _Stilinfo(overskrift, nummer)
        return self._stiler[stil_id]


def _stilnivaa(navn: str) -> int:
    # "heading 2", "Overskrift 2" are level 2; "Title" is the document's top heading.
    if navn.startswith(_TITTELSTILER):
        return 1
    if navn.startswith(_OVERSKRIFTSSTILER):
        tall = _SISTE_TALL.search(navn)
        return int(tall.group(1)) if tall and tall.group(1) != "0" else 1
    return 0


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


def _disposisjonsnivaa(ppr) -> int:
    # Outline levels 0-8 make a paragraph a heading (level 1-9) whatever its style is called; 9 is body text.
    nivaa = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    verdi = heltall(nivaa.get(qn("w:val")), 9) if nivaa is not None else 9
    return verdi + 1 if 0 <= verdi < 9 else 0


def _nummer(ppr) -> tuple[str, int] | None:
    numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
    if numpr is None or numpr.find(qn("w:numId")) is None:
        return None
    num_id = numpr.find(qn("w:numId")).get(qn("w:val"), "0")
    niva = numpr.find(qn("w:ilvl"))
    return num_id, heltall(niva.get(qn("w:val")) if niva is not None else None, 0)
