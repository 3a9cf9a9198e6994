"""The optional virus scan: a real clamd (Debian's clamav-daemon) started by the test on a unix socket of its
own, with one signature made here (the EICAR test string, since no signature download is possible). Skips
when clamd is absent, unless REQUIRE_SERVICES is set."""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saker.filer import valider_fil
from saker.models import Mellomlagring, Sak
from tests.factories import UtvalgFactory, lag_docx
from tests.tjenester import clamd_prosess

MB = 1024 * 1024
# The EICAR test file, put together here so that no scanner quarantines this source file.
EICAR = ("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-" + "TEST-FILE!$H+H*").encode()
SIGNATUR = {"overgang.ndb": f"Overgang-EICAR-Test:0:*:{EICAR.hex()}\n"}


@pytest.fixture(scope="module")
def clamd(tmp_path_factory):
    with clamd_prosess(tmp_path_factory.mktemp("clamd"), SIGNATUR) as sokkel:
        yield sokkel


@pytest.fixture
def med_clamd(clamd, settings):
    settings.CLAMD_SOCKET = clamd
    return clamd


def docx_med_eicar() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(lag_docx()), "r") as inn, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as ut:
        for info in inn.infolist():
            ut.writestr(info, inn.read(info))
        ut.writestr("word/embeddings/oleObject1.bin", EICAR)
    return buffer.getvalue()


def sjekk(navn: str, data: bytes, rolle: str = "vedlegg"):
    return valider_fil(SimpleUploadedFile(navn, data), rolle=rolle, maks_bytes=50 * MB)


def test_a_virus_is_refused_with_its_name(med_clamd):
    with pytest.raises(ValidationError) as unntak:
        sjekk("notat.txt", EICAR)
    assert unntak.value.messages == [
        "«notat.txt» inneholder virus eller skadelig kode (Overgang-EICAR-Test.UNOFFICIAL) og kan ikke lastes opp."
    ]
    assert unntak.value.code == "virus"


def test_a_virus_inside_a_word_document_is_found(med_clamd):
    with pytest.raises(ValidationError, match="inneholder virus"):
        sjekk("Saksframlegg.docx", docx_med_eicar(), rolle="hoveddokument")


def test_a_clean_file_passes_the_scan(med_clamd):
    assert sjekk("Saksframlegg.docx", lag_docx(), rolle="hoveddokument").navn == "Saksframlegg.docx"
    assert sjekk("notat.txt", "Ingen virus her, bare Lillestrøm.".encode()).mime == "text/plain"


def test_a_large_clean_file_is_streamed_whole(med_clamd):
    data = b"Referat fra Fet.\n" * (20 * MB // 17)
    assert sjekk("referat.txt", data).storrelse == len(data)


def test_the_new_case_form_refuses_a_virus_and_keeps_nothing(med_clamd, client, saksbehandler, omrade, settings):
    fsk = UtvalgFactory()
    client.force_login(saksbehandler)
    html = client.post(reverse("saker:ny"), {
        "tittel": "Ny skole", "kommune": saksbehandler.kommune_id, "arkivsystem": saksbehandler.arkivsystem_id,
        "arkivsaksnr": "19/01234", "kommunalomrade": omrade.pk, "utvalg_1": fsk.pk, "hjemmel": "", "innstilling": "",
        "hoveddokument": SimpleUploadedFile("Framlegg.docx", docx_med_eicar()),
    }).content.decode()
    assert "«Framlegg.docx» inneholder virus" in html
    assert not Sak.objects.exists() and not Mellomlagring.objects.exists()
    media = Path(settings.MEDIA_ROOT)
    assert not media.exists() or not [p for p in media.rglob("*") if p.is_file()]


def test_without_the_setting_nothing_is_scanned(settings):
    settings.CLAMD_SOCKET = ""
    assert sjekk("notat.txt", EICAR).mime == "text/plain"


def test_a_configured_clamd_that_does_not_answer_refuses_rather_than_accepts(settings, tmp_path):
    settings.CLAMD_SOCKET = str(tmp_path / "ingen.sock")
    with pytest.raises(ValidationError) as unntak:
        sjekk("Saksframlegg.docx", lag_docx(), rolle="hoveddokument")
    assert unntak.value.messages == ["«Saksframlegg.docx» kunne ikke virussjekkes akkurat nå. Prøv igjen senere."]
