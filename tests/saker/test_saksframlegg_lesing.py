"""Reading a saksframlegg as the old archive systems write it (issue 13, point 7): every file is made here
with python-docx, shaped like the documents that were read wrong."""

import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from saker.filer import Avsnitt, Tabell, les_saksframlegg, tekst_forhandsvisning

INNSTILLING = "Kommunestyret vedtar å bygge ny flerbrukshall på Frogner."


def fil(dokument: docx.document.Document, navn: str = "framlegg.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    dokument.save(buffer)
    return SimpleUploadedFile(navn, buffer.getvalue())


def p360_framlegg(*, sidehode: str = "Sørum kommune – Saksframlegg", innstilling: bool = True) -> docx.Document:
    """P360's template: the page header names the municipality, the header table holds the archive data
    and the title in its "Sakstittel:" cell, and the body has no heading before the innstilling."""
    dokument = docx.Document()
    dokument.sections[0].header.paragraphs[0].text = sidehode
    dokument.sections[0].footer.paragraphs[0].text = "Dokumentet er produsert i Public 360"
    hode = dokument.add_table(rows=3, cols=2)
    for rad, (etikett, verdi) in enumerate([("Arkivsak-dok.", "19/04567-3"), ("Saksbehandler", "Per Li"),
                                            ("Sakstittel:", "Ny flerbrukshall på Frogner")]):
        hode.cell(rad, 0).text = etikett
        hode.cell(rad, 1).text = verdi
    saksgang = dokument.add_table(rows=2, cols=3)
    for celle, tekst in zip(saksgang.rows[0].cells, ("Saksgang", "Møtedato", "Saknr"), strict=True):
        celle.text = tekst
    for celle, tekst in zip(saksgang.rows[1].cells, ("Formannskapet", "28.11.2019", "012/19"), strict=True):
        celle.text = tekst
    if innstilling:
        dokument.add_paragraph("Rådmannens innstilling").runs[0].bold = True
        dokument.add_paragraph(INNSTILLING)
    dokument.add_paragraph("Saksopplysninger").runs[0].bold = True
    dokument.add_paragraph("Hallen på Frogner er fra 1975 og må erstattes.")
    return dokument


def test_the_title_is_read_from_the_header_tables_sakstittel_cell_not_from_the_page_header() -> None:
    innhold = les_saksframlegg(fil(p360_framlegg()))
    assert innhold.tittel == "Ny flerbrukshall på Frogner"
    assert innhold.innstilling == INNSTILLING


def test_the_arkivsaksnr_municipality_and_archive_system_are_read_from_the_header() -> None:
    innhold = les_saksframlegg(fil(p360_framlegg()))
    assert innhold.arkivsaksnr == "19/04567"
    assert innhold.kommune_blant(["Skedsmo kommune", "Fet kommune", "Sørum kommune"]) == "Sørum kommune"
    assert innhold.arkivsystem_blant(["ePhorte", "Elements", "P360"]) == "P360"


def test_nothing_is_guessed_where_the_document_does_not_say() -> None:
    dokument = docx.Document()
    dokument.add_heading("Skolebuss til Blaker", level=1)
    dokument.add_paragraph("Forslag til vedtak: Skolebussen går fra august.")
    dokument.add_paragraph("Elevene i Fet kommune og 19/1234 andre nevnes bare i teksten.")
    innhold = les_saksframlegg(fil(dokument))
    assert (innhold.tittel, innhold.arkivsaksnr) == ("Skolebuss til Blaker", "")
    assert innhold.kommune_blant(["Sørum kommune", "Skedsmo kommune"]) is None
    assert innhold.arkivsystem_blant(["ePhorte", "Elements", "P360"]) is None


@pytest.mark.parametrize("etikett", ["Sak:", "Tittel", "Sakstittel"])
def test_the_title_labels_each_archive_system_uses_are_read(etikett: str) -> None:
    dokument = docx.Document()
    dokument.add_paragraph("Skedsmo kommune")
    hode = dokument.add_table(rows=2, cols=2)
    hode.cell(0, 0).text, hode.cell(0, 1).text = "Vår ref:", "2019/889-2"
    hode.cell(1, 0).text, hode.cell(1, 1).text = etikett, "Trafikksikkerhetsplan 2020–2023"
    dokument.add_heading("Kommunedirektørens innstilling", level=2)
    dokument.add_paragraph("Planen vedtas.")
    innhold = les_saksframlegg(fil(dokument))
    assert (innhold.tittel, innhold.arkivsaksnr, innhold.innstilling) == (
        "Trafikksikkerhetsplan 2020–2023", "2019/889", "Planen vedtas.")


@pytest.mark.parametrize("overskrift", ["Sørum kommune – Saksframlegg", "Saksframlegg - Skedsmo kommune",
                                        "Lillestrøm kommune"])
def test_a_page_header_written_into_the_body_as_its_first_heading_never_becomes_the_title(overskrift) -> None:
    dokument = docx.Document()
    dokument.add_paragraph(overskrift, style="Title")
    dokument.add_paragraph("Arkivsaksnr.: 19/02222")
    dokument.add_heading("Tilskudd til Sørumsand idrettslag", level=1)
    dokument.add_heading("Forslag til vedtak", level=2)
    dokument.add_paragraph("Idrettslaget får 40 000 kroner.")
    innhold = les_saksframlegg(fil(dokument))
    assert innhold.tittel == "Tilskudd til Sørumsand idrettslag"
    assert innhold.arkivsaksnr == "19/02222"


def test_a_document_without_an_innstilling_is_read_with_an_empty_one() -> None:
    innhold = les_saksframlegg(fil(p360_framlegg(innstilling=False)))
    assert innhold.tittel == "Ny flerbrukshall på Frogner"
    assert innhold.innstilling == ""


def _med_nummerering(dokument: docx.Document, fmt: str, tekst: str, num_id: str = "90") -> str:
    """A list definition of our own in numbering.xml, as Word writes one for a list typed in the document."""
    nummerering = dokument.part.numbering_part.element
    abstrakt = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{num_id}">'
        f'<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{tekst}"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val="\uf0b7"/></w:lvl>'
        "</w:abstractNum>")
    nummerering.insert(0, abstrakt)  # abstract numbers come before the lists that use them
    nummerering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}"><w:abstractNumId w:val="{num_id}"/>'
                                 "</w:num>"))
    return num_id


def _nummerert(dokument: docx.Document, tekst: str, num_id: str, niva: int = 0) -> None:
    avsnitt = dokument.add_paragraph(tekst)
    ppr = avsnitt._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{niva}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def test_words_list_numbers_and_bullets_are_left_out_of_the_innstilling_but_kept_in_the_preview() -> None:
    dokument = docx.Document()
    dokument.add_heading("Budsjett for kulturskolen", level=1)
    dokument.add_heading("Kommunedirektørens forslag til vedtak", level=2)
    liste = _med_nummerering(dokument, "lowerLetter", "%1)")
    _nummerert(dokument, "Kulturskolen får 2 mill. kroner mer.", liste)
    _nummerert(dokument, "Pengene går til:", liste)
    _nummerert(dokument, "flere elevplasser", liste, niva=1)
    dokument.add_paragraph("Ordningen evalueres i 2021.", style="List Number")  # numbered through its style
    dokument.add_paragraph("1. Dette nummeret er skrevet inn for hånd.")
    dokument.add_heading("Vurdering", level=2)
    innhold = les_saksframlegg(fil(dokument))
    assert innhold.innstilling == (
        "Kulturskolen får 2 mill. kroner mer.\nPengene går til:\nflere elevplasser\nOrdningen evalueres i 2021.\n"
        "1. Dette nummeret er skrevet inn for hånd.")
    avsnitt = [b for b in tekst_forhandsvisning(fil(dokument)).blokker if isinstance(b, Avsnitt)]
    assert [(a.nummer, a.niva) for a in avsnitt[2:6]] == [("a)", 0), ("b)", 0), ("•", 1), ("1.", 0)]


def test_the_innstilling_at_the_end_of_a_long_document_is_read_and_shown_whole() -> None:
    dokument = docx.Document()
    dokument.add_heading("Kommuneplanens samfunnsdel 2020–2032", level=1)
    dokument.add_heading("Saksopplysninger", level=2)
    for i in range(300):
        dokument.add_paragraph(f"Avsnitt {i}: Befolkningen i Skedsmo, Fet og Sørum vokser, og planen må følge med.")
    tabell = dokument.add_table(rows=2, cols=2)
    tabell.cell(0, 0).text, tabell.cell(0, 1).text = "År", "Innbyggere"
    tabell.cell(1, 0).text, tabell.cell(1, 1).text = "2032", "95 000"
    dokument.add_heading("Kommunedirektørens innstilling", level=2)
    dokument.add_paragraph("Kommuneplanens samfunnsdel vedtas.")
    innhold = les_saksframlegg(fil(dokument))
    assert innhold.innstilling == "Kommuneplanens samfunnsdel vedtas."

    visning = tekst_forhandsvisning(fil(dokument))
    assert sum(len(b.tekst) for b in visning.blokker if isinstance(b, Avsnitt)) > 20_000
    assert not visning.avkortet
    assert Tabell((("År", "Innbyggere"), ("2032", "95 000"))) in visning.blokker
    assert visning.blokker[-2:] == (Avsnitt("Kommunedirektørens innstilling", overskrift=2),
                                    Avsnitt("Kommuneplanens samfunnsdel vedtas."))


def test_a_preview_past_its_limit_is_cut_between_paragraphs_and_marked() -> None:
    dokument = docx.Document()
    for i in range(50):
        dokument.add_paragraph(f"Avsnitt {i} om skolene i Fet og på Sørumsand.")
    visning = tekst_forhandsvisning(fil(dokument), maks_tegn=200)
    assert visning.avkortet
    assert all(b.tekst.startswith("Avsnitt ") and b.tekst.endswith(".") for b in visning.blokker)


def test_headings_keep_their_level_from_style_or_outline_level() -> None:
    dokument = docx.Document()
    dokument.add_heading("Hovedtittel", level=1)
    dokument.add_heading("Undertittel", level=3)
    avsnitt = dokument.add_paragraph("Disposisjonsnivå 2")
    avsnitt._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {nsdecls("w")} w:val="1"/>'))
    blokker = tekst_forhandsvisning(fil(dokument)).blokker
    assert [b.overskrift for b in blokker] == [1, 3, 2]
