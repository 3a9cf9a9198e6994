"""The preview of a Word document: its headings, paragraphs (with Word's list numbers, as it prints) and
tables, read once when the document is saved and stored with it as JSON (`Dokument.tekst`).

A preview shows the whole document up to MAKS_TEGN characters, cut between blocks; past that, or where
reading stopped at one of saker.filer.docx_lesing's limits, `avkortet` is set and the page says so and
offers the original. Nothing is cut silently.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.files.base import File

from .docx_lesing import Avsnitt, Blokk, Tabell, les_docx

MAKS_TEGN = 300_000  # about 150 pages; a saksframlegg is rarely a tenth of it
_VERSJON = 1


@dataclass(frozen=True)
class Forhandsvisning:
    blokker: tuple[Blokk, ...]
    avkortet: bool  # the preview does not show the whole document
    maks_tegn: int = MAKS_TEGN


def tekst_forhandsvisning(f: File, maks_tegn: int | None = None) -> Forhandsvisning:
    """The document's blocks in reading order, at most maks_tegn (MAKS_TEGN) characters of them."""
    maks_tegn = maks_tegn or MAKS_TEGN
    innhold = les_docx(f)
    ut: list[Blokk] = []
    brukt = 0
    avkortet = innhold.avbrutt
    for blokk in innhold.blokker:
        rest = maks_tegn - brukt
        if isinstance(blokk, Avsnitt):
            if len(blokk.tekst) > rest:
                if not ut:  # one paragraph longer than the whole preview: show its start
                    ut.append(Avsnitt(_kutt(blokk.tekst, rest), blokk.nummer, blokk.niva, blokk.overskrift))
                avkortet = True
                break
            brukt += len(blokk.tekst)
            ut.append(blokk)
            continue
        rader = []
        for rad in blokk.rader:
            lengde = sum(len(c) for c in rad)
            if lengde > maks_tegn - brukt:
                avkortet = True
                break
            brukt += lengde
            rader.append(rad)
        if rader:
            ut.append(Tabell(tuple(rader)))
        if avkortet:
            break
    return Forhandsvisning(tuple(ut), avkortet, maks_tegn)


def _kutt(tekst: str, tegn: int) -> str:
    kuttet = tekst[: max(tegn, 0)]
    if " " in kuttet:
        kuttet = kuttet.rsplit(" ", 1)[0]  # never mid-word
    return kuttet.rstrip() + " …"


def forhandsvisning_som_tekst(f: File) -> str:
    """The preview of a .docx as one text to store with the document, read once."""
    visning = tekst_forhandsvisning(f)
    blokker = [["p", b.tekst, b.nummer, b.niva, b.overskrift] if isinstance(b, Avsnitt) else
               ["t", [list(rad) for rad in b.rader]] for b in visning.blokker]
    return json.dumps({"v": _VERSJON, "avkortet": visning.avkortet, "maks": visning.maks_tegn,
                       "blokker": blokker}, ensure_ascii=False, separators=(",", ":"))


def forhandsvisning_fra_tekst(tekst: str) -> Forhandsvisning | None:
    """The preview back from what forhandsvisning_som_tekst stored; None for no text, or for text stored
    in an older shape (plain lines, cut at 20,000 characters), which is to be read again from the file."""
    if not tekst.startswith('{"v":'):
        return None
    try:
        data = json.loads(tekst)
        blokker = tuple(
            Avsnitt(b[1], b[2], int(b[3]), int(b[4])) if b[0] == "p" else Tabell(tuple(tuple(r) for r in b[1]))
            for b in data["blokker"])
        return Forhandsvisning(blokker, bool(data["avkortet"]), int(data.get("maks", MAKS_TEGN)))
    except (ValueError, KeyError, IndexError, TypeError):
        return None
