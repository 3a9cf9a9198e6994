"""The møtebok (sakskart) put together from PDFs: the saksliste first, then each case's saksframlegg and vedlegg
in agenda order, with one bookmark per case (utvalgssaksnummer and public title) and one under it per
document.

Pure pypdf on plain dataclasses, so it is built and tested without a database; `sekretariat.motebok` gathers
the PDFs. An exempt case's documents are left out (offentleglova § 16 lets the agenda be published, not the
protected details) and a page says so, with the legal basis; a document that could not be made into PDF gets
a page that says which and why, so nobody thinks it was forgotten.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field

from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

# A4 in points; the notice pages are plain text in Helvetica, which every reader has (WinAnsi holds æøå).
_A4 = (595.28, 841.89)
_KOLONNE = 85


@dataclass(frozen=True)
class BokDokument:
    tittel: str  # e.g. "Saksframlegg: framlegg.docx"
    pdf: bytes | None
    feil: str = ""  # why there is no PDF


@dataclass(frozen=True)
class BokSak:
    utvalgssaksnr: str
    tittel: str  # the public title (sak.tittel_ut)
    unntatt_offentlighet: bool = False
    hjemmel: str = ""
    dokumenter: list[BokDokument] = field(default_factory=list)

    @property
    def bokmerke(self) -> str:
        return f"{self.utvalgssaksnr} {self.tittel}"


def unntatt_merknad(sak: BokSak) -> list[str]:
    hjemmel = f" ({sak.hjemmel.strip()})" if sak.hjemmel.strip() else ""
    return [sak.bokmerke, "",
            f"Saken er unntatt offentlighet{hjemmel}. Saksframlegget og vedleggene er ikke med i møteboka.",
            "De som har rett til innsyn, får dokumentene fra politisk sekretariat."]


def bygg_motebok(saksliste: bytes, saker: list[BokSak], *, tittel: str = "",
                 underveis: Callable[[], None] | None = None) -> bytes:
    """The book as PDF bytes. `underveis` is called after each case (the caller's progress and heartbeat)."""
    skriver = PdfWriter()
    skriver.append(PdfReader(io.BytesIO(saksliste)), import_outline=False)
    for sak in saker:
        start = len(skriver.pages)
        deler: list[tuple[str, int]] = []
        if sak.unntatt_offentlighet:
            _merknadsside(skriver, unntatt_merknad(sak))
        elif not sak.dokumenter:
            _merknadsside(skriver, [sak.bokmerke, "", "Saken har ingen dokumenter i Overgang."])
        for dokument in [] if sak.unntatt_offentlighet else sak.dokumenter:
            deler.append((dokument.tittel, len(skriver.pages)))
            if not _legg_til(skriver, dokument):
                _merknadsside(skriver, [sak.bokmerke, "", f"{dokument.tittel} kunne ikke tas med i møteboka:",
                                        dokument.feil or "Filen kunne ikke leses.",
                                        "Dokumentet finnes i saken i Overgang."])
        forelder = skriver.add_outline_item(title=sak.bokmerke, page_number=start)
        for navn, side in deler:
            skriver.add_outline_item(title=navn, page_number=side, parent=forelder)
        if underveis is not None:
            underveis()
    if tittel:
        skriver.add_metadata({"/Title": tittel})
    skriver.page_mode = "/UseOutlines"
    ut = io.BytesIO()
    skriver.write(ut)
    return ut.getvalue()


def _legg_til(skriver: PdfWriter, dokument: BokDokument) -> bool:
    if dokument.pdf is None:
        return False
    try:
        leser = PdfReader(io.BytesIO(dokument.pdf))
        if leser.is_encrypted:
            return False
        skriver.append(leser, import_outline=False)
    except (PdfReadError, KeyError, ValueError, TypeError):
        return False
    return True


def _tekst(linje: str) -> bytes:
    kodet = linje.encode("cp1252", errors="replace")
    return kodet.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")


def _merknadsside(skriver: PdfWriter, avsnitt: list[str]) -> None:
    """A page of plain text: the first paragraph as a heading."""
    side = skriver.add_blank_page(*_A4)
    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica"),
                             NameObject("/Encoding"): NameObject("/WinAnsiEncoding")})
    fet = DictionaryObject(font)
    fet[NameObject("/BaseFont")] = NameObject("/Helvetica-Bold")
    side[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): skriver._add_object(font), NameObject("/F2"): skriver._add_object(fet)})})
    linjer = [b"BT", b"56 780 Td", b"16 TL"]
    for nr, avsnitt_tekst in enumerate(avsnitt):
        linjer.append(b"/F2 13 Tf" if nr == 0 else b"/F1 11 Tf")
        for linje in textwrap.wrap(avsnitt_tekst, _KOLONNE) or [""]:
            linjer.append(b"(" + _tekst(linje) + b") Tj T*")
    linjer.append(b"ET")
    innhold = DecodedStreamObject()
    innhold.set_data(b"\n".join(linjer))
    side[NameObject("/Contents")] = skriver._add_object(innhold)
