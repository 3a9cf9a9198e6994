"""Reading a saksframlegg (.docx): its title, its innstilling, and what its header states (arkivsaksnr,
municipality, archive system), so the case officer need not type what the document already says.

Pure Python, no models: saker.filer.docx_lesing gives the document as paragraphs and tables; this module
finds the parts a saksframlegg is made of (DOMAIN.md: header, saksgang table, title, innstilling, then
vedlegg, summary, facts and assessment). The form maps the names read to the organisation's objects.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.base import File

from .docx_lesing import Avsnitt, Blokk, les_docx


@dataclass(frozen=True)
class Saksframlegginnhold:
    tittel: str
    innstilling: str
    arkivsaksnr: str = ""
    # The text of the page headers and footers and of the document before its first section: where the
    # municipality and the archive system are named, if anywhere.
    hode: str = field(default="", compare=False, repr=False)

    def kommune_blant(self, navn: Iterable[str]) -> str | None:
        """The first of these municipalities the document names as "<navn> kommune"; "Sørum kommune" or
        "Sørum" both find "Sørum kommune"."""
        return _forst_nevnt(self.hode, {n: [re.sub(r"\s+kommune$", "", n.strip(), flags=re.IGNORECASE)
                                            + " kommune"] for n in navn})

    def arkivsystem_blant(self, navn: Iterable[str]) -> str | None:
        """The first of these archive systems the document names, by its name or a known other name
        (Public 360 for P360)."""
        return _forst_nevnt(self.hode, {n: _ANDRE_NAVN.get(_nokkel(n), [n]) for n in navn})


# Other names of the archive systems: Tieto's P360 is written "Public 360" as often as "P360".
_P360 = ["P360", "Public 360", "Public360"]
_ANDRE_NAVN = {"p360": _P360, "public360": _P360}


def _nokkel(navn: str) -> str:
    return "".join(navn.lower().split())


def _forst_nevnt(tekst: str, varianter: dict[str, list[str]]) -> str | None:
    treff = []
    for navn, skrivemater in varianter.items():
        for skrivemate in skrivemater:
            if not skrivemate.strip():
                continue
            monster = r"(?<!\w)" + r"\s+".join(re.escape(d) for d in skrivemate.split()) + r"(?!\w)"
            funnet = re.search(monster, tekst, re.IGNORECASE)
            if funnet:
                treff.append((funnet.start(), navn))
    return min(treff)[1] if treff else None


_MARKORER = (
    "forslag til vedtak",
    "innstilling",
    "innstilling til vedtak",
    "kommunedirektørens innstilling",
    "rådmannens innstilling",
    "kommunedirektørens innstilling til vedtak",
    "rådmannens innstilling til vedtak",
    "kommunedirektørens forslag til vedtak",
    "rådmannens forslag til vedtak",
    "forslag til innstilling",
    "kommunedirektørens forslag til innstilling",
    "rådmannens forslag til innstilling",
)
_SEKSJONER = ("vedlegg", "sammendrag", "saksopplysninger", "vurdering", "bakgrunn", "saken gjelder",
              "saksutredning")
# Never a title: the document type, the saksgang label, the header's "Label: value" lines, and a page
# header such as "Sørum kommune – Saksframlegg" (the municipality and the document type in any order).
_DOKUMENTTYPE = r"(saksframlegg|saksfremlegg|saksutredning|saksgang|møtebehandling|utvalgssak)"
_KOMMUNE = r"(\S+(\s\S+)?\s(kommune|kommunestyre))"
_IKKE_TITTEL = re.compile(
    rf"^({_DOKUMENTTYPE}|{_KOMMUNE})(\s*[-–—|:,/]?\s*({_DOKUMENTTYPE}|{_KOMMUNE}))*\s*:?$"
    r"|^(saksbehandler|saksbeh\.?|arkiv\w*|arkivsak-dok\.?|saksnr\.?|sak nr\.?|journalpost\w*|løpenr\.?"
    r"|dato|vår ref\.?|deres ref\.?|klassering|utvalgssaksnr\.?|objekt)\s*:",
    re.IGNORECASE,
)
# A title written as a label and its value, in the header table or a line of its own.
# The label ends at a colon, or fills its cell (the value in the next one): "Sak om skolen" is no label.
_TITTELETIKETT = re.compile(r"^(sakstittel|sakens tittel|tittel|sak)\s*(?::\s*(?P<rest>.*)|\.?$)",
                            re.IGNORECASE | re.DOTALL)
# The case number in the old archive, as its systems label it: P360 "Arkivsak-dok.", ePhorte "Arkivsaksnr."
# and "Vår ref", Elements "Saksnr.".
_SAKSNRETIKETT = re.compile(
    r"^(arkivsak-dok|arkivsak|arkivsaksnr|arkivsaksnummer|arkivsak nr|saksnr|saksnummer|sak nr|vår ref"
    r"|vår referanse)\.?\s*:?\s*(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
# Year (2 or 4 digits) / sequence; a "-2" after it is the document's number in the case, not part of it.
_SAKSNR = re.compile(r"(?<![\w/])(\d{2}|\d{4})/(\d{1,6})(?:-\d{1,4})?(?![\d/])")


def _overskriftsregex(navn: tuple[str, ...]) -> re.Pattern[str]:
    # An optional typed number ("3. Vurdering"), the heading, and optionally ": text on the same line".
    alternativer = "|".join(re.escape(n) for n in navn)
    return re.compile(rf"^(?:\d+(?:\.\d+)*\.?\s+)?(?:{alternativer})\s*(?::\s*(?P<rest>.*))?$",
                      re.IGNORECASE | re.DOTALL)


_MARKOR_RE = _overskriftsregex(_MARKORER)
_SEKSJON_RE = _overskriftsregex(_SEKSJONER)


@dataclass(frozen=True)
class _Linje:
    celler: tuple[str, ...]  # a paragraph is a row of one cell
    tekst: str  # a paragraph's text without its list number, as one line
    overskrift: bool
    i_tabell: bool

    def er_seksjon(self) -> bool:
        return not self.i_tabell and bool(_MARKOR_RE.match(self.tekst) or _SEKSJON_RE.match(self.tekst))


def _linjer(blokker: Iterable[Blokk]) -> list[_Linje]:
    ut = []
    for blokk in blokker:
        if isinstance(blokk, Avsnitt):
            ut.append(_Linje((blokk.tekst,), _en_linje(blokk.tekst), bool(blokk.overskrift), False))
        else:
            ut.extend(_Linje(rad, _en_linje(" | ".join(rad)), False, True) for rad in blokk.rader)
    return ut


def les_saksframlegg(f: File) -> Saksframlegginnhold:
    """Title, proposed decision (innstilling) and arkivsaksnr of a .docx saksframlegg; empty strings where
    not found."""
    innhold = les_docx(f)
    linjer = _linjer(innhold.blokker)
    topp = _linjer(innhold.topptekst)
    slutt = next((i for i, linje in enumerate(linjer) if linje.er_seksjon()), len(linjer))
    return Saksframlegginnhold(
        tittel=_finn_tittel(linjer, slutt, topp),
        innstilling=_finn_innstilling(innhold.blokker),
        arkivsaksnr=_etikettverdi(linjer[:slutt] + topp, _SAKSNRETIKETT, _arkivsaksnr),
        hode="\n".join(linje.tekst for linje in topp + linjer[:slutt]),
    )


def _en_linje(tekst: str) -> str:
    return " ".join(tekst.split())


def _arkivsaksnr(verdi: str) -> str:
    treff = _SAKSNR.search(verdi)
    return f"{treff.group(1)}/{treff.group(2)}" if treff else ""


def _tittelverdi(verdi: str) -> str:
    verdi = _en_linje(verdi)
    # "Sak: 19/01234" names the case by its number, not its title.
    return "" if not verdi or _SAKSNR.fullmatch(verdi) or _IKKE_TITTEL.match(verdi) else verdi


def _etikettverdi(linjer: Iterable[_Linje], etikett: re.Pattern[str], verdi_av) -> str:
    """The value of the first labelled cell (or line) that has one: written after the label in the same cell,
    or in the next cell of the row."""
    for linje in linjer:
        for i, celle in enumerate(linje.celler):
            treff = etikett.match(_en_linje(celle))
            if not treff:
                continue
            kandidater = [treff.group("rest") or ""] + [c for c in linje.celler[i + 1:] if c.strip()][:1]
            for kandidat in kandidater:
                if verdi := verdi_av(kandidat):
                    return verdi
    return ""


def _finn_tittel(linjer: list[_Linje], slutt: int, topp: list[_Linje]) -> str:
    # A title the header states by its label wins: the template put it there on purpose.
    merket = _etikettverdi(linjer[:slutt] + topp, _TITTELETIKETT, _tittelverdi)
    if merket:
        return merket[:300]

    def kan_vaere_tittel(linje: _Linje) -> bool:
        return (not linje.i_tabell and bool(linje.tekst) and not linje.er_seksjon()
                and not _IKKE_TITTEL.match(linje.tekst) and not _TITTELETIKETT.match(linje.tekst)
                and not _SAKSNR.fullmatch(linje.tekst))

    # The title comes before the innstilling and the sections. Only a heading may be taken from
    # after them: a plain paragraph there is the innstilling or the case text itself.
    foran = [linje for linje in linjer[:slutt] if kan_vaere_tittel(linje)]
    etter = [linje for linje in linjer[slutt:] if kan_vaere_tittel(linje)]
    valgt = (
        next((linje for linje in foran if linje.overskrift), None)
        or next(iter(foran), None)
        or next((linje for linje in etter if linje.overskrift), None)
    )
    return valgt.tekst[:300] if valgt is not None else ""


def _finn_innstilling(blokker: Iterable[Blokk]) -> str:
    """The paragraphs under the innstilling's heading, up to the next heading or section. Word's list
    numbers and bullets are not part of the text and are left out: the innstilling is carried on as the
    body's decision, where the points are numbered anew."""
    deler: list[str] = []
    startet = False
    for blokk in blokker:
        if not isinstance(blokk, Avsnitt):
            if startet:
                deler.extend(" | ".join(c for c in rad if c) for rad in blokk.rader)
            continue
        tekst = _en_linje(blokk.tekst)
        markor = _MARKOR_RE.match(tekst)
        if not startet:
            if markor:
                startet = True
                if markor.group("rest"):
                    deler.append(markor.group("rest").strip())
            continue
        if blokk.overskrift or markor or _SEKSJON_RE.match(tekst):
            break
        deler.append(blokk.tekst)
    return "\n".join(deler).strip()
