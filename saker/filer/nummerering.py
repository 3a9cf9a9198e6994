"""Word's list numbering, as a reader sees it: the numbers and bullets of numbered paragraphs (numbering.xml's
abstract numbers, their levels, formats and restarts), so a saksframlegg is read the way it prints."""

import re
from dataclasses import dataclass

from docx.oxml.ns import qn


def heltall(verdi: str | None, standard: int) -> int:
    try:
        return int(verdi) if verdi is not None else standard
    except ValueError:
        return standard


@dataclass(frozen=True)
class _Niva:
    format: str
    tekst: str
    start: int


class Nummerering:
    """Computes Word's automatic list numbers ("1.", "a)"), which are not in the text, so that a
    numbered innstilling keeps its point numbers."""

    def __init__(self, rot) -> None:
        self._abstrakte: dict[str, dict[int, _Niva]] = {}
        self._lister: dict[str, tuple[str, dict[int, int]]] = {}  # numId -> (abstractNumId, restarts)
        self._tellere: dict[str, dict[int, int]] = {}
        self._brukt: set[str] = set()
        if rot is None:  # no numbering part
            return
        verdi = qn("w:val")
        for abstrakt in rot.findall(qn("w:abstractNum")):
            nivaer = {}
            for lvl in abstrakt.findall(qn("w:lvl")):
                fmt, tekst = lvl.find(qn("w:numFmt")), lvl.find(qn("w:lvlText"))
                start = lvl.find(qn("w:start"))
                nivaer[heltall(lvl.get(qn("w:ilvl")), 0)] = _Niva(
                    format=fmt.get(verdi, "decimal") if fmt is not None else "decimal",
                    tekst=tekst.get(verdi, "") if tekst is not None else "",
                    # The standard's default is 0, but every writer we know sets it; 1 is what people expect.
                    start=heltall(start.get(verdi) if start is not None else None, 1),
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
                    omstart[heltall(overstyring.get(qn("w:ilvl")), 0)] = heltall(start.get(verdi), 1)
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
            return formater_tall(tellere.get(n, def_.start), def_.format)

        return re.sub(r"%([1-9])", erstatt, nivaer[niva].tekst).strip()


def formater_tall(n: int, fmt: str) -> str:
    if fmt == "none":
        return ""
    if fmt in ("lowerLetter", "upperLetter") and n > 0:
        # Word's letters go a..z, then aa, bb, …
        bokstav = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return bokstav if fmt == "lowerLetter" else bokstav.upper()
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        tall = romertall(n)
        return tall.lower() if fmt == "lowerRoman" else tall
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def romertall(n: int) -> str:
    ut = ""
    for verdi, tegn in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                        (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        antall, n = divmod(n, verdi)
        ut += tegn * antall
    return ut
