"""The vedtaksbrev as PDF/A: made by LibreOffice when the letter is made or an edited .docx uploaded, checked to
be PDF/A-2 with embedded fonts and æøå in its text layer, downloadable beside the .docx, and said plainly on
the case page when LibreOffice is missing."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from saker import services
from saker.dokument_pdf import DokumentPdf
from saker.filer import pdfa
from saker.models import Dokument
from tests.factories import VedtakFactory, lag_docx
from tests.saker.test_workflow import opplasting
from tests.tjenester import krev_libreoffice

pytestmark = pytest.mark.django_db


@pytest.fixture
def sak(saksbehandler):
    return VedtakFactory(sak__saksbehandler=saksbehandler, sak__arkivsaksnr="19/01234",
                         sak__tittel="Søknad om skyss for elev på Fjellhamar skole").sak


@pytest.fixture
def part(sak):
    return services.part_opprett(sak=sak, av=sak.saksbehandler, data=services.PartData(
        navn="Åse Ødegård", adresse="Bjørkeveien 5", postnummer="2013", poststed="Skjetten"))


def tekst(pdf: bytes) -> str:
    """The text layer, with line breaks as spaces (a long title wraps)."""
    return " ".join(" ".join(side.extract_text() for side in PdfReader(io.BytesIO(pdf)).pages).split())


def pdf_av(dokument: Dokument) -> bytes:
    rad = DokumentPdf.objects.get(dokument=dokument)
    assert rad.status == DokumentPdf.Status.FERDIG, rad.feilmelding
    with rad.fil.open("rb") as fil:
        return fil.read()


def test_a_made_vedtaksbrev_is_converted_to_pdfa_with_embedded_fonts_and_norwegian_letters(
        client, sak, part, django_capture_on_commit_callbacks):
    krev_libreoffice()
    with django_capture_on_commit_callbacks(execute=True):
        [brev] = services.vedtaksbrev_lag(sak=sak, av=sak.saksbehandler)
    pdf = pdf_av(brev)
    assert pdfa.pdfa_del(pdf) >= 2
    assert pdfa.fonter_uten_innbygging(pdf) == []
    innhold = tekst(pdf)
    for ord_ in ("Åse Ødegård", "Bjørkeveien 5", "Søknad om skyss for elev på Fjellhamar skole", "Østfold"):
        assert ord_ in innhold
    assert brev.er_docx  # the .docx stays the letter, for editing

    client.force_login(sak.saksbehandler)
    side = client.get(sak.get_absolute_url()).content.decode()
    url = reverse("saker:dokument_pdf", args=[sak.pk, brev.pk])
    assert url in side and reverse("saker:dokument", args=[sak.pk, brev.pk]) in side
    svar = client.get(url)
    assert svar["Content-Type"] == "application/pdf" and b"".join(svar.streaming_content) == pdf
    assert 'filename="Vedtaksbrev 19-01234 Åse Ødegård.pdf"' in svar["Content-Disposition"] or \
        "Vedtaksbrev%2019-01234" in svar["Content-Disposition"]


def test_an_edited_docx_uploaded_by_the_officer_is_converted_again(sak, part, django_capture_on_commit_callbacks):
    krev_libreoffice()
    with django_capture_on_commit_callbacks(execute=True):
        services.vedtaksbrev_lag(sak=sak, av=sak.saksbehandler)
        rettet = services.vedtaksbrev_last_opp(part=part, av=sak.saksbehandler, brev=opplasting(
            lag_docx("Rettet vedtaksbrev til Åse Ødegård", "Klagefristen er tre uker."), navn="rettet.docx",
            rolle="vedtaksbrev"))
    assert rettet.versjon == 2
    assert "Rettet vedtaksbrev til Åse Ødegård" in tekst(pdf_av(rettet))
    assert DokumentPdf.objects.filter(status="ferdig").count() == 2  # each version its own PDF/A


def test_an_uploaded_pdf_letter_needs_no_conversion(sak, part, django_capture_on_commit_callbacks):
    skriver, ut = PdfWriter(), io.BytesIO()
    skriver.add_blank_page(595, 842)
    skriver.write(ut)
    with django_capture_on_commit_callbacks(execute=True):
        services.vedtaksbrev_last_opp(part=part, av=sak.saksbehandler,
                                      brev=opplasting(ut.getvalue(), navn="brev.pdf", rolle="vedtaksbrev"))
    assert not DokumentPdf.objects.exists()


def test_without_libreoffice_the_case_page_says_so_offers_the_docx_and_svarut_refuses_the_docx(
        client, sak, part, settings, django_capture_on_commit_callbacks):
    settings.LIBREOFFICE = "/finnes/ikke/soffice"
    with django_capture_on_commit_callbacks(execute=True):
        [brev] = services.vedtaksbrev_lag(sak=sak, av=sak.saksbehandler)
    assert DokumentPdf.objects.get(dokument=brev).status == DokumentPdf.Status.UTEN_LIBREOFFICE

    client.force_login(sak.saksbehandler)
    side = client.get(sak.get_absolute_url()).content.decode()
    assert "PDF kan ikke lages her fordi LibreOffice ikke er installert på serveren." in side
    assert reverse("saker:dokument", args=[sak.pk, brev.pk]) in side  # the .docx
    assert reverse("saker:dokument_pdf_bestill", args=[sak.pk, brev.pk]) in side

    settings.UTSENDING_BACKEND = "svarut"
    settings.SVARUT_URL, settings.SVARUT_BRUKERNAVN, settings.SVARUT_PASSORD = "https://svarut.invalid", "a", "b"
    with pytest.raises(services.SakFeil, match="må sendes som PDF, men PDF kan ikke lages her fordi LibreOffice"):
        services.forsendelse_send_svarut(part=part, av=sak.saksbehandler)
    part.forsendelse.refresh_from_db()
    assert part.forsendelse.forsok == 0 and part.forsendelse.status == "ikke_sendt"

    # Ordering it again once LibreOffice is there makes it.
    settings.LIBREOFFICE = "soffice"
    krev_libreoffice()
    with django_capture_on_commit_callbacks(execute=True):
        svar = client.post(reverse("saker:dokument_pdf_bestill", args=[sak.pk, brev.pk]), follow=True)
    assert "lages. Last siden på nytt om litt." in svar.content.decode()
    assert pdfa.pdfa_del(pdf_av(brev)) >= 2


def test_the_check_refuses_a_pdf_that_is_not_pdfa():
    skriver, ut = PdfWriter(), io.BytesIO()
    skriver.add_blank_page(595, 842)
    skriver.write(ut)
    with pytest.raises(pdfa.PdfFeil, match="ikke PDF/A-2"):
        pdfa.sjekk_pdfa(ut.getvalue())


def test_a_font_without_its_file_is_found():
    skriver, ut = PdfWriter(), io.BytesIO()
    side = skriver.add_blank_page(595, 842)
    from pypdf.generic import DictionaryObject, NameObject

    font = DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})
    side[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): DictionaryObject(
        {NameObject("/F1"): skriver._add_object(font)})})
    skriver.write(ut)
    assert pdfa.fonter_uten_innbygging(ut.getvalue()) == ["Helvetica"]
