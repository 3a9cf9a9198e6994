"""The decision letter (vedtaksbrev) to the parties, as a Word document.

Pure python-docx on plain dataclasses, so it can be built and tested without a database; the caller maps its
models onto `VedtaksbrevData`. After the meeting the case officer still writes from the old municipality's
archive system, so the letter goes out on that municipality's letterhead (`MALER`), with the old system's
case number as "Vår ref." and P360's as the second reference.

The letter carries what forvaltningsloven § 27 asks of a notice of an individual decision: the decision, the
right to appeal and its three-week deadline (§§ 28-29), where and how to appeal (§ 32), and the right to see
the case documents (§§ 18-19).

The letter must never carry a national identity number: none of the dataclasses has a field for one, and
`bygg_vedtaksbrev` refuses free text that contains something that looks like one.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from overgang.datoer import norsk_dato
from overgang.docx_felles import sett_standardsprak
from saker.identitet import ser_ut_som_fodselsnummer

SPRAK = "nb-NO"
NY_KOMMUNE = "Lillestrøm kommune"
SAMMENSLAINGSDATO = date(2020, 1, 1)
GRA = RGBColor(0x59, 0x59, 0x59)


@dataclass(frozen=True)
class Avsender:
    kommune_navn: str  # the old municipality, e.g. "Skedsmo kommune"
    enhet: str
    postadresse: str
    besoksadresse: str
    telefon: str
    epost: str
    nettside: str


@dataclass(frozen=True)
class Part:
    navn: str
    adresse: str
    postnummer: str
    poststed: str


@dataclass(frozen=True)
class VedtaksbrevData:
    avsender: Avsender
    mottaker: Part
    dato: date
    var_ref: str  # the old system's arkivsaksnr
    p360_ref: str  # e.g. "20/00123-4"
    tittel: str
    utvalg_navn: str
    motedato: date
    utvalgssaksnr: str
    vedtakstekst: str
    saksbehandler_navn: str
    saksbehandler_telefon: str
    saksbehandler_epost: str
    klageinstans: str
    vedlegg: list[str] = field(default_factory=list)  # e.g. ["Saksutskrift PS 12/26"]


# Letterheads of the three old municipalities. The postal addresses are the municipalities' own; telephone
# numbers and visiting addresses must be checked against a real letter from each archive before go-live.
MALER: dict[str, Avsender] = {
    "skedsmo": Avsender(
        kommune_navn="Skedsmo kommune",
        enhet="Rådmannen",
        postadresse="Postboks 313, 2001 Lillestrøm",
        besoksadresse="Skedsmo rådhus, Jonas Lies gate 18, 2000 Lillestrøm",
        telefon="66 93 80 00",
        epost="postmottak@skedsmo.kommune.no",
        nettside="www.skedsmo.kommune.no",
    ),
    "fet": Avsender(
        kommune_navn="Fet kommune",
        enhet="Rådmannen",
        postadresse="Postboks 54, 1901 Fetsund",
        besoksadresse="Fet rådhus, 1900 Fetsund",
        telefon="63 88 00 00",
        epost="postmottak@fet.kommune.no",
        nettside="www.fet.kommune.no",
    ),
    "sorum": Avsender(
        kommune_navn="Sørum kommune",
        enhet="Rådmannen",
        postadresse="Postboks 53, 1921 Sørumsand",
        besoksadresse="Sørum rådhus, 1920 Sørumsand",
        telefon="63 86 90 00",
        epost="postmottak@sorum.kommune.no",
        nettside="www.sorum.kommune.no",
    ),
}

_KODE_ALIAS = {"sørum": "sorum"}


def avsender_for(kommune_kode: str, *, enhet: str | None = None) -> Avsender:
    """The letterhead of an old municipality ("skedsmo", "fet", "sorum"), optionally for a given unit."""
    kode = kommune_kode.strip().lower()
    kode = _KODE_ALIAS.get(kode, kode)
    try:
        avsender = MALER[kode]
    except KeyError:
        kjente = ", ".join(sorted(MALER))
        raise ValueError(f"Ukjent kommune {kommune_kode!r} for brevmal; kjente er {kjente}.") from None
    return replace(avsender, enhet=enhet) if enhet else avsender


def vedtak_avsnitt(vedtakstekst: str) -> list[str]:
    """The decision split into paragraphs: one per non-blank line, as the case officer typed them."""
    linjer = vedtakstekst.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [linje.strip() for linje in linjer if linje.strip()]


def bygg_vedtaksbrev(brev: VedtaksbrevData) -> bytes:
    """The decision letter as .docx bytes.

    Raises ValueError if the letter lacks what § 27 requires (the decision, the appeal body) or if any of its
    text looks like a national identity number.
    """
    _valider(brev)
    avsender = brev.avsender

    doc = Document()
    _sett_opp_dokument(doc, brev)

    _brevhode(doc, avsender)
    _mottakerblokk(doc, brev.mottaker)
    _referanser(doc, brev)

    doc.add_heading(f"Melding om vedtak – {brev.tittel}", level=1)
    doc.add_paragraph(
        f"{brev.utvalg_navn} behandlet saken i møte {norsk_dato(brev.motedato)} "
        f"som sak {brev.utvalgssaksnr} og fattet følgende vedtak:"
    )
    for avsnitt in vedtak_avsnitt(brev.vedtakstekst):
        p = doc.add_paragraph(avsnitt, style="Quote")
        p.paragraph_format.left_indent = Cm(1)
        p.paragraph_format.space_after = Pt(4)

    _klageadgang(doc, brev)
    _hilsen(doc, brev)
    _vedlegg(doc, brev.vedlegg)
    _bunntekst(doc, brev)

    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# --- Validation -------------------------------------------------------------------------------------------


def _tekstfelt(brev: VedtaksbrevData) -> list[str]:
    tekster: list[str] = []
    for obj in (brev, brev.avsender, brev.mottaker):
        tekster += [getattr(obj, f.name) for f in fields(obj) if isinstance(getattr(obj, f.name), str)]
    return tekster + list(brev.vedlegg)


def _valider(brev: VedtaksbrevData) -> None:
    if not vedtak_avsnitt(brev.vedtakstekst):
        raise ValueError("Vedtaksbrevet mangler vedtakstekst.")
    if not brev.klageinstans.strip():
        raise ValueError("Vedtaksbrevet må si hvem som er klageinstans (forvaltningsloven § 27).")
    # A case officer may paste a party's identity number into the decision; the letter may go out on paper.
    if any(ser_ut_som_fodselsnummer(tekst) for tekst in _tekstfelt(brev)):
        raise ValueError("Vedtaksbrevet ser ut til å inneholde et fødselsnummer. Fjern det før brevet lages.")


# --- Layout -----------------------------------------------------------------------------------------------


def _sett_opp_dokument(doc: DocxDocument, brev: VedtaksbrevData) -> None:
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin = Cm(1.5)
    section.bottom_margin = Cm(2.0)
    section.footer_distance = Cm(0.8)

    normal = doc.styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    sett_standardsprak(doc, SPRAK)

    props = doc.core_properties
    props.title = f"Melding om vedtak – {brev.tittel}"
    props.subject = f"Vedtak i sak {brev.utvalgssaksnr}"
    props.language = SPRAK
    props.author = brev.saksbehandler_navn or brev.avsender.kommune_navn
    props.last_modified_by = props.author
    props.comments = ""  # python-docx's template says "generated by python-docx"
    props.keywords = ", ".join(ref for ref in (brev.var_ref, brev.p360_ref) if ref)
    props.created = props.modified = datetime.now(UTC)


def _linjer(p: Paragraph, linjer: list[str]) -> None:
    """Lines in one paragraph, separated by line breaks (an address block stays one block)."""
    for i, linje in enumerate(linjer):
        run = p.add_run(linje)
        if i < len(linjer) - 1:
            run.add_break()


def _brevhode(doc: DocxDocument, avsender: Avsender) -> None:
    navn = doc.add_paragraph()
    navn.paragraph_format.space_after = Pt(0)
    run = navn.add_run(avsender.kommune_navn)
    run.bold = True
    run.font.size = Pt(20)
    if avsender.enhet:
        enhet = doc.add_paragraph()
        enhet.add_run(avsender.enhet).font.size = Pt(12)
    doc.add_paragraph()


def _mottakerblokk(doc: DocxDocument, mottaker: Part) -> None:
    poststed = " ".join(del_ for del_ in (mottaker.postnummer, mottaker.poststed) if del_)
    linjer = [linje for linje in (mottaker.navn, mottaker.adresse, poststed) if linje]
    p = doc.add_paragraph()
    p.paragraph_format.space_after = Pt(24)
    _linjer(p, linjer)


def _referanser(doc: DocxDocument, brev: VedtaksbrevData) -> None:
    felt = (
        ("Vår ref.: ", brev.var_ref),
        ("P360-ref.: ", brev.p360_ref),
        ("Dato: ", brev.dato.strftime("%d.%m.%Y")),
    )
    table = doc.add_table(rows=1, cols=len(felt))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    for cell, (etikett, verdi) in zip(table.rows[0].cells, felt, strict=True):
        p = cell.paragraphs[0]
        p.add_run(etikett).bold = True
        p.add_run(verdi)
    doc.add_paragraph()


def _klageadgang(doc: DocxDocument, brev: VedtaksbrevData) -> None:
    avsender = brev.avsender
    doc.add_heading("Klageadgang", level=2)
    doc.add_paragraph(
        "Du kan klage på vedtaket, jf. forvaltningsloven § 28. Klagefristen er tre uker fra den dagen "
        "dette brevet kom fram til deg, jf. forvaltningsloven § 29."
    )
    sendes_til = f"{avsender.kommune_navn}, {avsender.postadresse}"
    if avsender.epost:
        sendes_til += f", eller på e-post til {avsender.epost}"
    doc.add_paragraph(
        f"Klagen skal rettes til {brev.klageinstans}, men sendes til {sendes_til}. "
        "Kommunen vurderer klagen først, og sender den videre til klageinstansen dersom vedtaket "
        "ikke blir endret."
    )
    doc.add_paragraph(
        "Klagen må være skriftlig og undertegnet. Du må opplyse hvilket vedtak du klager over, og hvilken "
        "endring du ønsker. Du bør også begrunne klagen, jf. forvaltningsloven § 32."
    )
    doc.add_paragraph(
        "Du har rett til å se dokumentene i saken, jf. forvaltningsloven §§ 18 og 19. "
        "Ta kontakt med saksbehandleren dersom du ønsker innsyn."
    )


def _hilsen(doc: DocxDocument, brev: VedtaksbrevData) -> None:
    doc.add_paragraph("Med hilsen")
    navn = doc.add_paragraph()
    navn.paragraph_format.space_before = Pt(12)
    navn.paragraph_format.space_after = Pt(0)
    navn.add_run(brev.saksbehandler_navn)
    kontakt = [
        tekst
        for tekst in (
            f"Telefon: {brev.saksbehandler_telefon}" if brev.saksbehandler_telefon else "",
            f"E-post: {brev.saksbehandler_epost}" if brev.saksbehandler_epost else "",
        )
        if tekst
    ]
    if kontakt:
        doc.add_paragraph(", ".join(kontakt))
    merknad = doc.add_paragraph()
    run = merknad.add_run("Dokumentet er elektronisk godkjent og har derfor ingen håndskrevet signatur.")
    run.italic = True
    run.font.size = Pt(9)


def _vedlegg(doc: DocxDocument, vedlegg: list[str]) -> None:
    navn = [v.strip() for v in vedlegg if v.strip()]
    if not navn:
        return
    overskrift = doc.add_paragraph()
    overskrift.paragraph_format.space_before = Pt(12)
    overskrift.paragraph_format.space_after = Pt(0)
    overskrift.add_run("Vedlegg:").bold = True
    for v in navn:
        p = doc.add_paragraph(v, style="List Bullet")
        p.paragraph_format.space_after = Pt(0)


def _sammenslaing(brev: VedtaksbrevData) -> str:
    """A line about the merger, in the tense that fits the letter's date."""
    kommune = brev.avsender.kommune_navn
    if not kommune or kommune == NY_KOMMUNE:
        return ""
    if brev.dato < SAMMENSLAINGSDATO:
        return f"Fra 1. januar 2020 blir {kommune} en del av {NY_KOMMUNE}."
    return f"Fra 1. januar 2020 er {kommune} en del av {NY_KOMMUNE}."


def _bunntekst(doc: DocxDocument, brev: VedtaksbrevData) -> None:
    avsender = brev.avsender
    footer = doc.sections[0].footer
    p = footer.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    _top_border(p)

    deler = [
        [("Postadresse: ", avsender.postadresse), ("Besøksadresse: ", avsender.besoksadresse)],
        [("Telefon: ", avsender.telefon), ("E-post: ", avsender.epost), ("Nettside: ", avsender.nettside)],
    ]
    linjer = [[(etikett, verdi) for etikett, verdi in linje if verdi] for linje in deler]
    first = True
    for linje in linjer:
        if not linje:
            continue
        if not first:
            p.add_run().add_break()
        first = False
        for i, (etikett, verdi) in enumerate(linje):
            if i:
                _liten(p.add_run(" | "))
            _liten(p.add_run(etikett)).bold = True
            _liten(p.add_run(verdi))

    if merknad := _sammenslaing(brev):
        _liten(footer.add_paragraph().add_run(merknad)).italic = True


def _liten(run: Run) -> Run:
    run.font.size = Pt(8)
    run.font.color.rgb = GRA
    return run


_PPR_ETTER_PBDR = tuple(
    """w:shd w:tabs w:suppressAutoHyphens w:kinsoku w:wordWrap w:overflowPunct w:topLinePunct w:autoSpaceDE
    w:autoSpaceDN w:bidi w:adjustRightInd w:snapToGrid w:spacing w:ind w:contextualSpacing w:mirrorIndents
    w:suppressOverlap w:jc w:textDirection w:textAlignment w:textboxTightWrap w:outlineLvl w:divId w:cnfStyle
    w:rPr w:sectPr w:pPrChange""".split()
)


def _top_border(p: Paragraph) -> None:
    """A thin rule above the footer, as on the printed letterheads."""
    p_pr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    top = OxmlElement("w:top")
    for key, value in (("w:val", "single"), ("w:sz", "4"), ("w:space", "4"), ("w:color", "808080")):
        top.set(qn(key), value)
    borders.append(top)
    # pPr's children have a fixed order in the schema; Word refuses a file with pBdr after spacing.
    p_pr.insert_element_before(borders, *_PPR_ETTER_PBDR)
