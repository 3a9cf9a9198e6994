"""Tests for saker.filer: content-based file checks, file name cleaning and reading a saksframlegg."""

import io
import struct
import zipfile
import zlib

import docx
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from saker.filer import (
    Avsnitt,
    FilInfo,
    Saksframlegginnhold,
    Tabell,
    les_saksframlegg,
    rens_filnavn,
    sjekk_filtype,
    tekst_forhandsvisning,
    valider_fil,
)

MB = 1024 * 1024
GRENSE = 50 * MB
OOXML = "application/vnd.openxmlformats-officedocument."
ODF = "application/vnd.oasis.opendocument."


# --- building test files ---------------------------------------------------------------------------


def fil(navn: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(navn, data)


def melding(unntak: pytest.ExceptionInfo[ValidationError]) -> str:
    assert len(unntak.value.messages) == 1
    return unntak.value.messages[0]


def png() -> bytes:
    def chunk(type_: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + type_ + data + struct.pack(">I", zlib.crc32(type_ + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)  # 1x1, 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00\x00")) + chunk(
        b"IEND", b""
    )


PDF = (
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Count 0 /Kids [] >>\nendobj\n"
    b"trailer\n<< /Root 1 0 R >>\n%%EOF\n")
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64 + b"\xff\xd9"
GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff\x00\x00\x00" + b"\x00" * 16 + b";"
TIFF = b"II*\x00\x08\x00\x00\x00" + b"\x00" * 64
# An OLE compound file with the Word 97-2003 marker where filetype looks for it.
DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"\xec\xa5\xc1\x00" + b"\x00" * 600


def zip_av(deler: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as arkiv:
        for navn, data in deler.items():
            # ODF wants its mimetype entry first and uncompressed.
            arkiv.writestr(navn, data, zipfile.ZIP_STORED if navn == "mimetype" else zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def innholdstyper(hoveddel: str, innholdstype: str, ekstra: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="{hoveddel}" ContentType="{innholdstype}"/>{ekstra}</Types>'
    ).encode()


def xlsx(innholdstype: str = OOXML + "spreadsheetml.sheet.main+xml") -> bytes:
    return zip_av({
        "[Content_Types].xml": innholdstyper("/xl/workbook.xml", innholdstype),
        "xl/workbook.xml": b"<workbook/>",
    })


def pptx() -> bytes:
    return zip_av({
        "[Content_Types].xml": innholdstyper(
            "/ppt/presentation.xml", OOXML + "presentationml.presentation.main+xml"
        ),
        "ppt/presentation.xml": b"<presentation/>",
    })


def odf(mime: str) -> bytes:
    innhold = b'<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>'
    return zip_av({"mimetype": mime.encode(), "content.xml": innhold})


def docx_av(dokument: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    dokument.save(buffer)
    return buffer.getvalue()


def enkel_docx() -> bytes:
    dokument = docx.Document()
    dokument.add_heading("Sluttrapport for Sørum og Fet", level=1)
    dokument.add_paragraph("Prosjektet er avsluttet på Lillestrøm.")
    return docx_av(dokument)


def med_makroer(docx_data: bytes, *, innholdstype: bool = True, vba: bool = True) -> bytes:
    """Turn a docx into a docm: macro-enabled main content type and/or a VBA project part."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_data)) as inn, zipfile.ZipFile(buffer, "w") as ut:
        for info in inn.infolist():
            data = inn.read(info)
            if info.filename == "[Content_Types].xml" and innholdstype:
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                )
            ut.writestr(info, data)
        if vba:
            ut.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really VBA")
    return buffer.getvalue()


def saksframlegg() -> bytes:
    """A saksframlegg shaped like the old systems' template: header table, saksgang, title, innstilling."""
    dokument = docx.Document()
    topp = dokument.add_table(rows=1, cols=2)
    topp.cell(0, 0).text = "Saksbehandler: Kari Ødegård"
    topp.cell(0, 1).text = "Arkivsak: 19/01234"
    dokument.add_paragraph("Saksframlegg")
    saksgang = dokument.add_table(rows=2, cols=3)
    for celle, tekst in zip(saksgang.rows[0].cells, ("Utvalgssaksnr", "Utvalg", "Møtedato"), strict=True):
        celle.text = tekst
    for celle, tekst in zip(saksgang.rows[1].cells, ("PS 12/19", "Formannskapet", "28.11.2019"), strict=True):
        celle.text = tekst
    dokument.add_paragraph("")
    dokument.add_heading("Ny barnehage på Strømmen – valg av tomt", level=1)
    innstilling = dokument.add_paragraph()
    innstilling.add_run("Kommunedirektørens innstilling:").bold = True
    dokument.add_paragraph(
        "Kommunestyret vedtar å bygge ny barnehage på tomta ved Åsenhagen.", style="List Number"
    )
    dokument.add_paragraph("Kostnadsrammen settes til 95 mill. kroner.", style="List Number")
    dokument.add_paragraph("Vedlegg")
    dokument.add_paragraph("Kart over tomta")
    dokument.add_heading("Saksopplysninger", level=2)
    dokument.add_paragraph("Skedsmo, Fet og Sørum har behov for flere barnehageplasser.")
    return docx_av(dokument)


# --- valider_fil: accepted types ---------------------------------------------------------------------

AKSEPTERTE = [
    ("rapport.pdf", PDF, "application/pdf", ".pdf"),
    ("rapport.docx", enkel_docx(), OOXML + "wordprocessingml.document", ".docx"),
    ("budsjett.xlsx", xlsx(), OOXML + "spreadsheetml.sheet", ".xlsx"),
    ("presentasjon.pptx", pptx(), OOXML + "presentationml.presentation", ".pptx"),
    ("notat.odt", odf(ODF + "text"), ODF + "text", ".odt"),
    ("tall.ods", odf(ODF + "spreadsheet"), ODF + "spreadsheet", ".ods"),
    ("lysark.odp", odf(ODF + "presentation"), ODF + "presentation", ".odp"),
    ("kart.png", png(), "image/png", ".png"),
    ("foto.jpg", JPEG, "image/jpeg", ".jpg"),
    ("logo.gif", GIF, "image/gif", ".gif"),
    ("skann.tif", TIFF, "image/tiff", ".tif"),
    ("merknad.txt", "Merknad fra Åse: grøft på høyre side.\n".encode(), "text/plain", ".txt"),
    ("liste.csv", "Navn;Beløp\nØyvind;100\n".encode("cp1252"), "text/csv", ".csv"),
    (
        "innspill.eml",
        b"From: ase@example.no\r\nTo: post@lillestrom.kommune.no\r\nSubject: Innspill\r\n\r\nHei!\r\n",
        "message/rfc822",
        ".eml",
    ),
]


@pytest.mark.parametrize(("navn", "data", "mime", "endelse"), AKSEPTERTE, ids=[a[0] for a in AKSEPTERTE])
def test_it_accepts_each_allowed_type_as_a_vedlegg(navn: str, data: bytes, mime: str, endelse: str) -> None:
    info = valider_fil(fil(navn, data), rolle="vedlegg", maks_bytes=GRENSE)
    assert info == FilInfo(navn=navn, mime=mime, filendelse=endelse, storrelse=len(data))


@pytest.mark.parametrize(("navn", "data"), [("saksframlegg.docx", enkel_docx()), ("saksframlegg.pdf", PDF)])
def test_it_accepts_docx_and_pdf_as_the_main_document(navn: str, data: bytes) -> None:
    assert valider_fil(fil(navn, data), rolle="hoveddokument", maks_bytes=GRENSE).navn == navn


def test_it_sets_the_extension_from_the_content_when_the_name_has_none() -> None:
    info = valider_fil(fil("notat", PDF), rolle="vedlegg", maks_bytes=GRENSE)
    assert (info.navn, info.filendelse) == ("notat.pdf", ".pdf")


def test_it_appends_the_extension_when_the_name_ends_in_something_that_is_not_a_file_type() -> None:
    info = valider_fil(fil("Referat 12.03.2019", PDF), rolle="vedlegg", maks_bytes=GRENSE)
    assert info.navn == "Referat 12.03.2019.pdf"


def test_it_normalises_the_case_of_the_extension() -> None:
    assert valider_fil(fil("Rapport.DOCX", enkel_docx()), rolle="hoveddokument", maks_bytes=GRENSE).navn == (
        "Rapport.docx"
    )


def test_it_corrects_an_image_named_as_another_image_type() -> None:
    info = valider_fil(fil("bilde.jpeg", png()), rolle="vedlegg", maks_bytes=GRENSE)
    assert (info.navn, info.mime) == ("bilde.png", "image/png")


def test_it_accepts_text_that_starts_like_a_bmp_signature() -> None:
    info = valider_fil(fil("bmi.csv", b"BMI;Alder\n22;40\n"), rolle="vedlegg", maks_bytes=GRENSE)
    assert info.mime == "text/csv"


def test_it_cleans_the_name_it_returns() -> None:
    info = valider_fil(fil("C:\\Users\\kari\\Sak: ny skole?.pdf", PDF), rolle="vedlegg", maks_bytes=GRENSE)
    assert info.navn == "Sak ny skole.pdf"


def test_it_leaves_the_file_at_the_start_after_accepting_it() -> None:
    opplastet = fil("rapport.docx", enkel_docx())
    valider_fil(opplastet, rolle="hoveddokument", maks_bytes=GRENSE)
    assert opplastet.tell() == 0


def test_it_leaves_the_file_at_the_start_after_refusing_it() -> None:
    opplastet = fil("rapport.docx", png())
    with pytest.raises(ValidationError):
        valider_fil(opplastet, rolle="hoveddokument", maks_bytes=GRENSE)
    assert opplastet.tell() == 0


# --- valider_fil: refusals ---------------------------------------------------------------------------


@pytest.mark.parametrize("rolle", ["hoveddokument", "vedlegg"])
def test_it_refuses_a_png_named_docx(rolle: str) -> None:
    with pytest.raises(ValidationError) as unntak:
        valider_fil(fil("x.docx", png()), rolle=rolle, maks_bytes=GRENSE)
    assert melding(unntak) == "«x.docx» er ikke et Word-dokument (innholdet er PNG-bilde)."


def test_it_refuses_a_word_document_named_pdf() -> None:
    with pytest.raises(ValidationError) as unntak:
        valider_fil(fil("vedtak.pdf", enkel_docx()), rolle="vedlegg", maks_bytes=GRENSE)
    assert melding(unntak) == "«vedtak.pdf» er ikke en PDF-fil (innholdet er Word-dokument)."


def test_it_refuses_an_image_as_the_main_document() -> None:
    with pytest.raises(ValidationError) as unntak:
        valider_fil(fil("kart.png", png()), rolle="hoveddokument", maks_bytes=GRENSE)
    assert melding(unntak) == (
        "«kart.png» kan ikke brukes som saksframlegg (innholdet er PNG-bilde). "
        "Last opp et Word-dokument (.docx) eller en PDF-fil."
    )


def test_it_refuses_a_spreadsheet_as_the_main_document() -> None:
    with pytest.raises(ValidationError, match="kan ikke brukes som saksframlegg"):
        valider_fil(fil("budsjett.xlsx", xlsx()), rolle="hoveddokument", maks_bytes=GRENSE)


def test_it_refuses_a_file_larger_than_the_limit_in_mb() -> None:
    opplastet = fil("stor.pdf", PDF)
    opplastet.size = 61 * MB  # the size Django measured while receiving the upload
    with pytest.raises(ValidationError) as unntak:
        valider_fil(opplastet, rolle="vedlegg", maks_bytes=GRENSE)
    assert melding(unntak) == "«stor.pdf» er 61 MB; grensen er 50 MB."


def test_it_shows_a_decimal_when_the_file_is_just_over_the_limit() -> None:
    data = PDF + b"0" * (MB + MB // 2)
    with pytest.raises(ValidationError) as unntak:
        valider_fil(fil("stor.pdf", data), rolle="vedlegg", maks_bytes=MB)
    assert melding(unntak) == "«stor.pdf» er 1,6 MB; grensen er 1 MB."


def test_it_accepts_a_file_exactly_at_the_limit() -> None:
    data = PDF + b"0" * (MB - len(PDF))
    assert valider_fil(fil("akkurat.pdf", data), rolle="vedlegg", maks_bytes=MB).storrelse == MB


def test_it_refuses_an_empty_file() -> None:
    with pytest.raises(ValidationError) as unntak:
        valider_fil(fil("rapport.docx", b""), rolle="hoveddokument", maks_bytes=GRENSE)
    assert melding(unntak) == "«rapport.docx» er tom."
    assert unntak.value.error_list[0].code == "tom"


def test_it_refuses_a_truncated_docx() -> None:
    data = enkel_docx()
    with pytest.raises(ValidationError) as unntak:
        valider_fil(fil("rapport.docx", data[: len(data) // 2]), rolle="hoveddokument", maks_bytes=GRENSE)
    assert melding(unntak) == "«rapport.docx» er skadet eller ufullstendig og kan ikke åpnes."


def test_it_refuses_a_docx_without_its_document_part() -> None:
    typer = innholdstyper("/word/document.xml", OOXML + "wordprocessingml.document.main+xml")
    data = zip_av({"[Content_Types].xml": typer})
    with pytest.raises(ValidationError, match="er skadet"):
        valider_fil(fil("rapport.docx", data), rolle="hoveddokument", maks_bytes=GRENSE)


@pytest.mark.parametrize("rolle", ["hoveddokument", "vedlegg"])
def test_it_refuses_a_docm(rolle: str) -> None:
    with pytest.raises(ValidationError) as unntak:
        valider_fil(fil("x.docm", med_makroer(enkel_docx())), rolle=rolle, maks_bytes=GRENSE)
    assert melding(unntak) == "«x.docm» inneholder makroer og kan ikke lastes opp."


def test_it_refuses_a_docm_renamed_to_docx() -> None:
    with pytest.raises(ValidationError, match="inneholder makroer"):
        valider_fil(fil("x.docx", med_makroer(enkel_docx())), rolle="hoveddokument", maks_bytes=GRENSE)


def test_it_refuses_a_macro_enabled_content_type_without_a_vba_part() -> None:
    with pytest.raises(ValidationError, match="inneholder makroer"):
        valider_fil(fil("x.docx", med_makroer(enkel_docx(), vba=False)), rolle="vedlegg", maks_bytes=GRENSE)


def test_it_refuses_a_vba_part_under_an_ordinary_content_type() -> None:
    with pytest.raises(ValidationError, match="inneholder makroer"):
        data = med_makroer(enkel_docx(), innholdstype=False)
        valider_fil(fil("x.docx", data), rolle="vedlegg", maks_bytes=GRENSE)


def test_it_refuses_an_xlsm() -> None:
    data = xlsx("application/vnd.ms-excel.sheet.macroEnabled.main+xml")
    with pytest.raises(ValidationError) as unntak:
        valider_fil(fil("budsjett.xlsm", data), rolle="vedlegg", maks_bytes=GRENSE)
    assert melding(unntak) == "«budsjett.xlsm» inneholder makroer og kan ikke lastes opp."


def test_it_refuses_an_opendocument_file_with_basic_macros() -> None:
    data = zip_av({
        "mimetype": (ODF + "text").encode(),
        "content.xml": b"<office:document-content/>",
        "Basic/script-lc.xml": b"<library:libraries/>",
        "Basic/Standard/script-lb.xml": b"<library:library/>",
        "Basic/Standard/Module1.xml": b"<script:module>Sub Main</script:module>",
    })
    with pytest.raises(ValidationError, match="inneholder makroer"):
        valider_fil(fil("notat.odt", data), rolle="vedlegg", maks_bytes=GRENSE)


def test_it_refuses_a_zip_that_is_not_an_office_document() -> None:
    data = zip_av({"bilder/kart.png": png()})
    with pytest.raises(ValidationError) as unntak:
        valider_fil(fil("arkiv.zip", data), rolle="vedlegg", maks_bytes=GRENSE)
    assert melding(unntak) == "«arkiv.zip» har en filtype som ikke kan lastes opp (innholdet er ZIP-arkiv)."


def test_it_refuses_a_zip_with_a_mimetype_entry_that_is_not_opendocument() -> None:
    data = zip_av({"mimetype": b"text/plain", "content.xml": b"<x/>"})
    with pytest.raises(ValidationError, match=r"\(innholdet er ZIP-arkiv\)"):
        valider_fil(fil("notat.txt", data), rolle="vedlegg", maks_bytes=GRENSE)


def test_it_refuses_a_plain_zip_named_docx() -> None:
    with pytest.raises(ValidationError) as unntak:
        valider_fil(fil("rapport.docx", zip_av({"a.txt": b"a"})), rolle="hoveddokument", maks_bytes=GRENSE)
    assert melding(unntak) == "«rapport.docx» er ikke et Word-dokument (innholdet er ZIP-arkiv)."


def test_it_refuses_an_old_word_document_with_advice() -> None:
    with pytest.raises(ValidationError) as unntak:
        valider_fil(fil("gammel.doc", DOC), rolle="vedlegg", maks_bytes=GRENSE)
    assert melding(unntak) == (
        "«gammel.doc» har en filtype som ikke kan lastes opp (innholdet er Word-dokument i eldre format). "
        "Lagre det som .docx eller PDF og prøv igjen."
    )


def test_it_refuses_binary_content_it_does_not_know() -> None:
    with pytest.raises(ValidationError) as unntak:
        valider_fil(fil("data.bin", b"\x00\x01\x02\x03binary"), rolle="vedlegg", maks_bytes=GRENSE)
    assert melding(unntak) == (
        "«data.bin» har en filtype som ikke kan lastes opp (innholdet er ukjent filtype)."
    )


def test_it_refuses_a_text_named_eml_that_is_not_an_email() -> None:
    with pytest.raises(ValidationError) as unntak:
        valider_fil(fil("melding.eml", b"Bare tekst, ingen hode."), rolle="vedlegg", maks_bytes=GRENSE)
    assert melding(unntak) == "«melding.eml» er ikke en e-post (innholdet er tekstfil)."


def test_it_refuses_an_unknown_role() -> None:
    with pytest.raises(ValueError, match="Ukjent rolle"):
        valider_fil(fil("rapport.pdf", PDF), rolle="sakskart", maks_bytes=GRENSE)


# --- rens_filnavn ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("inn", "ut"),
    [
        ("Saksframlegg Ørje skole.docx", "Saksframlegg Ørje skole.docx"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\kari\\Dokumenter\\vedlegg.pdf", "vedlegg.pdf"),
        ("..\\..\\hemmelig.txt", "hemmelig.txt"),
        ("..", "dokument"),
        ("", "dokument"),
        ("???", "dokument"),
        (".pdf", "dokument.pdf"),
        (".htaccess", "dokument.htaccess"),
        ('Sak: "Ny" skole <2020>|*?.docx', "Sak Ny skole 2020.docx"),
        ("  Møte   referat\tÆØÅ .pdf ", "Møte referat ÆØÅ.pdf"),
        ("rapport\x00\x1f.pdf", "rapport.pdf"),
        ("faktura\u202efdp.exe", "fakturafdp.exe"),
        ("rapport. .pdf", "rapport.pdf"),
        ("CON.txt", "CON_.txt"),
        ("A\u030asen.docx", "Åsen.docx"),
    ],
)
def test_it_cleans_file_names(inn: str, ut: str) -> None:
    assert rens_filnavn(inn) == ut


def test_it_shortens_long_names_to_120_characters_keeping_the_extension() -> None:
    renset = rens_filnavn("æ" * 300 + ".docx")
    assert len(renset) == 120
    assert renset == "æ" * 115 + ".docx"


def test_it_does_not_end_a_shortened_name_with_a_space_before_the_extension() -> None:
    # The cut at 116 characters (120 minus ".pdf") falls right after a space.
    assert rens_filnavn("a" * 115 + " bbbb.pdf") == "a" * 115 + ".pdf"


# --- les_saksframlegg --------------------------------------------------------------------------------


def test_it_reads_the_title_the_arkivsaksnr_and_the_innstilling_without_words_list_numbers() -> None:
    innhold = les_saksframlegg(fil("saksframlegg.docx", saksframlegg()))
    assert innhold == Saksframlegginnhold(
        tittel="Ny barnehage på Strømmen – valg av tomt",
        innstilling=(
            "Kommunestyret vedtar å bygge ny barnehage på tomta ved Åsenhagen.\n"
            "Kostnadsrammen settes til 95 mill. kroner."
        ),
        arkivsaksnr="19/01234",
    )


def test_it_takes_the_first_plain_paragraph_as_title_when_nothing_is_styled_as_heading() -> None:
    dokument = docx.Document()
    for tekst in ("Lillestrøm kommune", "Saksframlegg", "Arkivsak: 19/04321",
                  "Søknad om skjenkebevilling – Årets fest", "Rådmannens innstilling", "Søknaden innvilges."):
        dokument.add_paragraph(tekst)
    dokument.add_heading("Vurdering", level=1)
    dokument.add_paragraph("Søker oppfyller vilkårene.")
    innhold = les_saksframlegg(fil("skjenking.docx", docx_av(dokument)))
    assert innhold == Saksframlegginnhold("Søknad om skjenkebevilling – Årets fest", "Søknaden innvilges.", "19/04321")


def test_it_reads_an_innstilling_written_on_the_same_line_as_its_heading() -> None:
    dokument = docx.Document()
    dokument.add_heading("Orientering om økonomi", level=1)
    dokument.add_paragraph("Innstilling: Saken tas til orientering.")
    dokument.add_paragraph("Sammendrag")
    dokument.add_paragraph("Økonomien er i balanse.")
    innhold = les_saksframlegg(fil("orientering.docx", docx_av(dokument)))
    assert innhold.innstilling == "Saken tas til orientering."


def test_it_stops_the_innstilling_at_the_next_heading() -> None:
    dokument = docx.Document()
    dokument.add_heading("Tilskudd til Fet idrettslag", level=1)
    dokument.add_heading("Forslag til vedtak", level=2)
    dokument.add_paragraph("Fet idrettslag får 50 000 kroner.")
    dokument.add_paragraph("Beløpet dekkes av disposisjonsfondet.")
    dokument.add_heading("Om søkeren", level=2)
    dokument.add_paragraph("Idrettslaget har 400 medlemmer.")
    innhold = les_saksframlegg(fil("tilskudd.docx", docx_av(dokument)))
    assert innhold.tittel == "Tilskudd til Fet idrettslag"
    assert innhold.innstilling == "Fet idrettslag får 50 000 kroner.\nBeløpet dekkes av disposisjonsfondet."


def test_it_reads_text_in_content_controls_fields_and_tracked_changes_as_word_shows_it() -> None:
    dokument = docx.Document()
    tittel = dokument.add_heading("Reguleringsplan for Sørumsand sentrum", level=1)
    # Archive-system templates put fields such as the title in content controls (w:sdt).
    kontroll = parse_xml(f'<w:sdt {nsdecls("w")}><w:sdtPr/><w:sdtContent/></w:sdt>')
    tittel._p.addprevious(kontroll)
    kontroll[1].append(tittel._p)
    dokument.add_paragraph("Forslag til vedtak:")
    avsnitt = dokument.add_paragraph()
    for xml in (
        '<w:r {ns}><w:t xml:space="preserve">Planen </w:t></w:r>',
        '<w:del {ns} w:id="1" w:author="a" w:date="2019-11-01T00:00:00Z">'
        "<w:r><w:delText>ikke </w:delText></w:r></w:del>",
        '<w:ins {ns} w:id="2" w:author="a" w:date="2019-11-01T00:00:00Z"><w:r><w:t xml:space="preserve">'
        "for Fet </w:t></w:r></w:ins>",
        '<w:fldSimple {ns} w:instr="MERGEFIELD vedtak"><w:r><w:t>vedtas</w:t></w:r></w:fldSimple>',
        "<w:r {ns}><w:br/><w:t>som fremlagt.</w:t></w:r>",
    ):
        avsnitt._p.append(parse_xml(xml.format(ns=nsdecls("w"))))
    dokument.add_paragraph("Bakgrunn")
    innhold = les_saksframlegg(fil("plan.docx", docx_av(dokument)))
    assert innhold == Saksframlegginnhold(
        "Reguleringsplan for Sørumsand sentrum", "Planen for Fet vedtas\nsom fremlagt."
    )


def test_it_returns_empty_strings_when_there_is_no_title_or_innstilling() -> None:
    dokument = docx.Document()
    dokument.add_paragraph("Saksframlegg")
    assert les_saksframlegg(fil("tom.docx", docx_av(dokument))) == Saksframlegginnhold("", "")


def test_it_leaves_the_file_at_the_start_after_reading_it() -> None:
    opplastet = fil("saksframlegg.docx", saksframlegg())
    les_saksframlegg(opplastet)
    assert opplastet.tell() == 0


def test_it_refuses_to_read_a_docx_that_would_unpack_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("saker.filer.docx_lesing.MAKS_UTPAKKET_BYTES", 1000)
    with pytest.raises(ValidationError) as unntak:
        les_saksframlegg(fil("bombe.docx", saksframlegg()))
    assert melding(unntak) == "«bombe.docx» er for stort til å leses som Word-dokument."


@pytest.mark.parametrize(
    ("navn", "data"),
    [
        ("avkortet.docx", saksframlegg()[:2000]),
        ("rapport.docx", PDF),
        ("bilde.docx", png()),
        ("tom.docx", b""),
        ("arkiv.docx", zip_av({"a.txt": b"a"})),
        ("makro.docm", med_makroer(enkel_docx())),
    ],
    ids=["truncated", "pdf", "png", "empty", "plain-zip", "docm"],
)
def test_it_refuses_to_read_a_broken_docx_with_one_clear_message(navn: str, data: bytes) -> None:
    with pytest.raises(ValidationError) as unntak:
        les_saksframlegg(fil(navn, data))
    assert melding(unntak) == f"«{navn}» kunne ikke leses som Word-dokument."


# --- tekst_forhandsvisning ---------------------------------------------------------------------------


def test_it_previews_headings_paragraphs_list_numbers_and_tables_in_order() -> None:
    visning = tekst_forhandsvisning(fil("saksframlegg.docx", saksframlegg()))
    assert visning.blokker == (
        Tabell((("Saksbehandler: Kari Ødegård", "Arkivsak: 19/01234"),)),
        Avsnitt("Saksframlegg"),
        Tabell((("Utvalgssaksnr", "Utvalg", "Møtedato"), ("PS 12/19", "Formannskapet", "28.11.2019"))),
        Avsnitt("Ny barnehage på Strømmen – valg av tomt", overskrift=1),
        Avsnitt("Kommunedirektørens innstilling:"),
        Avsnitt("Kommunestyret vedtar å bygge ny barnehage på tomta ved Åsenhagen.", nummer="1."),
        Avsnitt("Kostnadsrammen settes til 95 mill. kroner.", nummer="2."),
        Avsnitt("Vedlegg"),
        Avsnitt("Kart over tomta"),
        Avsnitt("Saksopplysninger", overskrift=2),
        Avsnitt("Skedsmo, Fet og Sørum har behov for flere barnehageplasser."),
    )
    assert not visning.avkortet


def test_it_cuts_the_preview_between_blocks_at_the_character_limit_and_says_so() -> None:
    visning = tekst_forhandsvisning(fil("saksframlegg.docx", saksframlegg()), maks_tegn=70)
    assert visning.blokker == (
        Tabell((("Saksbehandler: Kari Ødegård", "Arkivsak: 19/01234"),)), Avsnitt("Saksframlegg"))
    assert visning.avkortet


def test_it_refuses_to_preview_a_file_that_is_not_a_docx() -> None:
    with pytest.raises(ValidationError, match="kunne ikke leses som Word-dokument"):
        tekst_forhandsvisning(fil("notat.pdf", PDF))


# --- the upload policy per slot ----------------------------------------------------------------------


def test_every_document_role_is_a_slot() -> None:
    from saker.filer import SPOR
    from saker.models import Dokument

    assert set(SPOR) == set(Dokument.Rolle.values)


def test_it_refuses_an_image_as_a_saksutskrift() -> None:
    with pytest.raises(ValidationError) as unntak:
        valider_fil(fil("utskrift.png", png()), rolle="saksutskrift", maks_bytes=GRENSE)
    assert melding(unntak) == (
        "«utskrift.png» kan ikke brukes som saksutskrift (innholdet er PNG-bilde). "
        "Last opp et Word-dokument (.docx) eller en PDF-fil."
    )


@pytest.mark.parametrize(("navn", "data"), [("brev.txt", b"Hei, her er vedtaket.\n"), ("arkiv.zip", None)])
def test_it_refuses_anything_but_word_or_pdf_as_a_vedtaksbrev(navn, data) -> None:
    data = data if data is not None else zip_av({"a.txt": b"a"})
    with pytest.raises(ValidationError) as unntak:
        valider_fil(fil(navn, data), rolle="vedtaksbrev", maks_bytes=GRENSE)
    assert melding(unntak) == (
        f"«{navn}» kan ikke brukes som vedtaksbrev. Last opp et Word-dokument (.docx) eller en PDF-fil."
    )


@pytest.mark.parametrize("spor", ["hoveddokument", "saksutskrift", "vedtaksbrev"])
def test_a_checked_pdf_or_word_file_passes_the_slots_that_take_them(spor) -> None:
    for data, navn in ((PDF, "a.pdf"), (enkel_docx(), "a.docx")):
        sjekk_filtype(valider_fil(fil(navn, data), rolle="vedlegg", maks_bytes=GRENSE), spor)


def test_a_checked_vedlegg_is_refused_as_a_saksutskrift_with_the_slots_message() -> None:
    info = valider_fil(fil("budsjett.xlsx", xlsx()), rolle="vedlegg", maks_bytes=GRENSE)
    with pytest.raises(ValidationError) as unntak:
        sjekk_filtype(info, "saksutskrift")
    assert unntak.value.code == "ikke_tillatt"
    assert melding(unntak) == (
        "«budsjett.xlsx» kan ikke brukes som saksutskrift (innholdet er Excel-regneark). "
        "Last opp et Word-dokument (.docx) eller en PDF-fil."
    )


def test_a_checked_text_file_is_refused_as_a_vedtaksbrev() -> None:
    info = FilInfo(navn="brev.txt", mime="text/plain", filendelse=".txt", storrelse=10)
    with pytest.raises(ValidationError) as unntak:
        sjekk_filtype(info, "vedtaksbrev")
    assert melding(unntak) == (
        "«brev.txt» kan ikke brukes som vedtaksbrev. Last opp et Word-dokument (.docx) eller en PDF-fil."
    )


def test_it_refuses_a_check_for_an_unknown_slot() -> None:
    with pytest.raises(ValueError, match="Ukjent rolle"):
        sjekk_filtype(FilInfo(navn="a.pdf", mime="application/pdf", filendelse=".pdf", storrelse=1), "sakskart")


# --- the whole content: Office packages and PDFs -----------------------------------------------------


def med_deler(docx_data: bytes, deler: dict[str, bytes]) -> bytes:
    """The docx with parts replaced or added."""
    buffer = io.BytesIO()
    nye = dict(deler)
    with zipfile.ZipFile(io.BytesIO(docx_data)) as inn, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as ut:
        for info in inn.infolist():
            ut.writestr(info.filename, nye.pop(info.filename, None) or inn.read(info))
        for navn, data in nye.items():
            ut.writestr(navn, data)
    return buffer.getvalue()


def test_it_accepts_a_docx_with_a_hyperlink_since_nothing_is_fetched_until_it_is_clicked() -> None:
    dokument = docx.Document()
    dokument.add_paragraph("Se lovdata.")
    dokument.part.relate_to("https://lovdata.no/lov/2006-05-19-16", docx.opc.constants.RELATIONSHIP_TYPE.HYPERLINK,
                            is_external=True)
    assert valider_fil(fil("lenke.docx", docx_av(dokument)), rolle="vedlegg", maks_bytes=GRENSE).filendelse == ".docx"


def test_it_refuses_a_linked_image_and_says_where_from() -> None:
    dokument = docx.Document()
    dokument.part.relate_to("http://sporing.example/piksel.png", docx.opc.constants.RELATIONSHIP_TYPE.IMAGE,
                            is_external=True)
    with pytest.raises(ValidationError) as unntak:
        valider_fil(fil("bilde.docx", docx_av(dokument)), rolle="vedlegg", maks_bytes=GRENSE)
    assert melding(unntak).startswith(
        "«bilde.docx» henter et bilde fra en ekstern kilde (http://sporing.example/piksel.png) når den åpnes")
    assert unntak.value.code == "ekstern_relasjon"


def test_it_refuses_a_part_that_inflates_beyond_the_ratio() -> None:
    data = med_deler(enkel_docx(), {"word/media/image1.png": b"\0" * (5 * MB)})
    with pytest.raises(ValidationError, match="zip-bombe") as unntak:
        valider_fil(fil("bombe.docx", data), rolle="vedlegg", maks_bytes=GRENSE)
    assert unntak.value.code == "utpakket_for_stor"


@pytest.mark.parametrize("delnavn", ["word/styles.xml", "customXml/item1.bin", "word/media/utf16"])
def test_it_refuses_a_doctype_in_any_part_whatever_it_is_called(delnavn: str) -> None:
    stiler = '<?xml version="1.0"?><!DOCTYPE w:styles [<!ENTITY a "a">]><w:styles xmlns:w="x">&a;</w:styles>'
    data = stiler.encode("utf-16") if delnavn.endswith("utf16") else stiler.encode()
    with pytest.raises(ValidationError, match=r"dokumenttypedefinisjon \(DTD\)"):
        valider_fil(fil("dtd.docx", med_deler(enkel_docx(), {delnavn: data})), rolle="vedlegg", maks_bytes=GRENSE)


def test_it_reads_a_pdf_without_a_cross_reference_table_as_every_reader_does() -> None:
    from tests.factories import PDF_BYTES

    padding = PDF_BYTES + b"%" + b"0" * 50_000 + b"\n"
    for data in (PDF_BYTES, padding):
        assert valider_fil(fil("gammel.pdf", data), rolle="vedlegg", maks_bytes=GRENSE).mime == "application/pdf"


def test_it_accepts_a_real_pdf_with_data_after_its_end() -> None:
    from pypdf import PdfWriter

    skriver = PdfWriter()
    skriver.add_blank_page(595, 842)
    buffer = io.BytesIO()
    skriver.write(buffer)
    data = buffer.getvalue() + b"\0" * 1000  # some scanners pad their files
    assert valider_fil(fil("skann.pdf", data), rolle="saksutskrift", maks_bytes=GRENSE).storrelse == len(data)


def test_reading_stops_at_the_byte_cap_and_keeps_what_it_read(monkeypatch: pytest.MonkeyPatch) -> None:
    dokument = docx.Document()
    dokument.add_heading("Lang rapport om Sørum", level=1)
    for i in range(2000):
        dokument.add_paragraph(f"Avsnitt {i} om skolene i Fet.")
    monkeypatch.setattr("saker.filer.docx_lesing.MAKS_DOKUMENT_LEST_BYTES", 64 * 1024)
    visning = tekst_forhandsvisning(fil("lang.docx", docx_av(dokument)))
    assert visning.blokker[0] == Avsnitt("Lang rapport om Sørum", overskrift=1)
    assert 10 < len(visning.blokker) < 2001
    assert visning.avkortet


def test_a_style_based_on_itself_does_not_hang_the_reader() -> None:
    data = saksframlegg()
    with zipfile.ZipFile(io.BytesIO(data)) as arkiv:
        stiler = arkiv.read("word/styles.xml")
    stiler = stiler.replace(b'<w:style w:type="paragraph" w:default="1" w:styleId="Normal">',
                            b'<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:basedOn w:val="Normal"/>')
    innhold = les_saksframlegg(fil("sirkel.docx", med_deler(data, {"word/styles.xml": stiler})))
    assert innhold.tittel == "Ny barnehage på Strømmen – valg av tomt"
