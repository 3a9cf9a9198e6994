import io
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saker.models import Dokument, Sak
from tests.factories import PDF_BYTES, MoteFactory, SakFactory, UtvalgFactory, lag_docx

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde" \
    b"\x00\x00\x00\x0cIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82"


def docm_bytes() -> bytes:
    kilde = zipfile.ZipFile(io.BytesIO(lag_docx()))
    ut = io.BytesIO()
    with zipfile.ZipFile(ut, "w") as z:
        for navn in kilde.namelist():
            data = kilde.read(navn)
            if navn == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
            z.writestr(navn, data)
        z.writestr("word/vbaProject.bin", b"\x00" * 64)
    return ut.getvalue()


@pytest.fixture
def skjema(saksbehandler):
    utvalg = UtvalgFactory()
    mote = MoteFactory(utvalg=utvalg)
    return {
        "tittel": "", "kommune": saksbehandler.kommune_id, "arkivsystem": saksbehandler.arkivsystem_id,
        "arkivsaksnr": "19/01234", "kommunalomrade": saksbehandler.kommunalomrade_id, "utvalg_1": utvalg.pk,
        "onsket_mote": mote.pk, "hjemmel": "", "innstilling": "",
    }


def post_ny(client, skjema, hoveddokument, vedlegg=()):
    return client.post(reverse("saker:ny"), {**skjema, "hoveddokument": hoveddokument, "vedlegg": list(vedlegg)})


def test_a_case_officer_uploads_a_saksframlegg_and_the_title_and_innstilling_are_read_from_it(
        client, saksbehandler, skjema):
    client.force_login(saksbehandler)
    docx = SimpleUploadedFile("framlegg.docx", lag_docx("Ny skole på Fjellhamar", "Kommunestyret bygger skolen."))
    vedlegg = [SimpleUploadedFile("kart.pdf", PDF_BYTES), SimpleUploadedFile("bilde.png", PNG)]
    response = post_ny(client, skjema, docx, vedlegg)
    sak = Sak.objects.get()
    assert response.status_code == 302 and response.url == sak.get_absolute_url()
    assert sak.tittel == "Ny skole på Fjellhamar"
    assert sak.innstilling == "Kommunestyret bygger skolen."
    assert sak.status == Sak.Status.UTKAST
    assert sorted(sak.dokumenter.values_list("filnavn", flat=True)) == ["bilde.png", "framlegg.docx", "kart.pdf"]
    html = client.get(sak.get_absolute_url()).content.decode()
    assert "Kommunestyret bygger skolen." in html


@pytest.mark.parametrize(("navn", "innhold", "melding"), [
    ("framlegg.docx", PNG, "ikke et Word-dokument"),
    ("framlegg.docx", b"", "er tom"),
    ("framlegg.docx", lag_docx()[:300], "skadet eller ufullstendig"),
    ("framlegg.docm", docm_bytes(), "makroer"),
    ("framlegg.docx", docm_bytes(), "makroer"),
])
def test_a_bad_main_document_is_refused_with_a_clear_message_and_nothing_is_saved(
        client, saksbehandler, skjema, navn, innhold, melding):
    client.force_login(saksbehandler)
    response = post_ny(client, skjema, SimpleUploadedFile(navn, innhold))
    assert response.status_code == 200
    assert melding in response.content.decode()
    assert Sak.objects.count() == 0
    assert Dokument.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(client, saksbehandler, skjema, settings):
    settings.MAKS_FILSTORRELSE_MB = 1
    client.force_login(saksbehandler)
    stor = SimpleUploadedFile("stor.pdf", PDF_BYTES + b"0" * (1024 * 1024 + 1))
    response = post_ny(client, skjema, SimpleUploadedFile("f.docx", lag_docx()), [stor])
    assert "grensen er 1 MB" in response.content.decode()
    assert Sak.objects.count() == 0


def test_a_bad_case_number_and_missing_legal_basis_are_refused(client, saksbehandler, skjema):
    client.force_login(saksbehandler)
    skjema.update(arkivsaksnr="abc", unntatt_offentlighet="on")
    html = post_ny(client, skjema, SimpleUploadedFile("f.docx", lag_docx())).content.decode()
    assert "år/nummer" in html
    assert "Oppgi hjemmel" in html


def test_a_case_officer_corrects_a_returned_case_and_resubmits(
        client, saksbehandler, godkjenner, django_capture_on_commit_callbacks):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.RETURNERT)
    client.force_login(saksbehandler)
    ny = SimpleUploadedFile("rettet.docx", lag_docx("Rettet tittel"))
    response = client.post(reverse("saker:dokumenter", args=[sak.pk]), {"hoveddokument": ny})
    assert response.status_code == 302
    assert list(sak.dokumenter.filter(rolle="hoveddokument").values_list("versjon", "gjeldende")) == [
        (2, True), (1, False)]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("saker:send_til_godkjenning", args=[sak.pk]), {"godkjenner": godkjenner.pk})
    sak.refresh_from_db()
    assert sak.status == Sak.Status.TIL_GODKJENNING
    assert [m.to for m in mail.outbox] == [[godkjenner.email]]


def test_the_return_comment_is_shown_to_the_case_officer(client, saksbehandler, godkjenner):
    from saker import services

    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING)
    services.sak_returner(sak=sak, av=godkjenner, kommentar="Rett budsjettallene i tabell 2.")
    client.force_login(saksbehandler)
    html = client.get(sak.get_absolute_url()).content.decode()
    assert "Rett budsjettallene i tabell 2." in html
    assert "Send på nytt til godkjenning" in html


def test_documents_download_with_their_name_and_docx_has_a_text_preview(client, saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler, tittel="Plan for Åsenhagen")
    dokument = sak.dokumenter.get()
    client.force_login(saksbehandler)
    response = client.get(reverse("saker:dokument", args=[sak.pk, dokument.pk]))
    assert response.status_code == 200
    assert 'filename="saksframlegg.docx"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"PK")
    html = client.get(reverse("saker:forhandsvisning", args=[sak.pk, dokument.pk])).content.decode()
    assert "Plan for Åsenhagen" in html


@pytest.mark.parametrize("url", ["saker:sak", "saker:rediger", "saker:dokument", "saker:forhandsvisning"])
def test_another_sectors_case_officer_cannot_open_a_case_by_changing_the_id(client, saksbehandler,
                                                                            utenforstaende, url):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING)
    args = [sak.pk, sak.dokumenter.get().pk] if url in {"saker:dokument", "saker:forhandsvisning"} else [sak.pk]
    client.force_login(utenforstaende)
    assert client.get(reverse(url, args=args)).status_code == 404


def test_another_sectors_case_officer_cannot_act_on_a_case(client, saksbehandler, utenforstaende, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler)
    client.force_login(utenforstaende)
    assert client.post(reverse("saker:send_til_godkjenning", args=[sak.pk]),
                       {"godkjenner": godkjenner.pk}).status_code == 404
    assert client.post(reverse("saker:dokumenter", args=[sak.pk]), {}).status_code == 404
    sak.refresh_from_db()
    assert sak.status == Sak.Status.UTKAST


def test_an_approver_reads_but_cannot_edit_the_case(client, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING)
    client.force_login(godkjenner)
    assert client.get(sak.get_absolute_url()).status_code == 200
    assert client.get(reverse("saker:rediger", args=[sak.pk])).status_code == 403


def test_an_approver_does_not_see_a_draft_nobody_sent(client, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler)
    client.force_login(godkjenner)
    assert client.get(sak.get_absolute_url()).status_code == 404


def test_my_cases_filters_by_status_and_search(client, saksbehandler):
    SakFactory(saksbehandler=saksbehandler, tittel="Leirskole på Hvaler", status=Sak.Status.GODKJENT)
    SakFactory(saksbehandler=saksbehandler, tittel="Ny barnehage")
    client.force_login(saksbehandler)
    html = client.get(reverse("saker:start"), {"status": "godkjent"}).content.decode()
    assert "Leirskole på Hvaler" in html and "Ny barnehage" not in html
    html = client.get(reverse("saker:start"), {"q": "barnehage"}).content.decode()
    assert "Ny barnehage" in html and "Leirskole" not in html


@pytest.mark.parametrize("antall", [5, 50])
def test_my_cases_runs_a_fixed_number_of_queries(client, saksbehandler, django_assert_num_queries, antall):
    for _ in range(antall):
        SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING)
    client.force_login(saksbehandler)
    # session, user, groups, counts per status, count for the pages, cases, routes
    with django_assert_num_queries(7):
        response = client.get(reverse("saker:start"))
    assert response.content.decode().count("<tr>") == antall + 1


def test_with_the_broker_down_sending_for_approval_answers_fast_and_the_email_waits(
        client, saksbehandler, godkjenner, django_capture_on_commit_callbacks):
    import time

    from overgang.varsler.models import Varsel
    from tests.tjenester import celery_broker

    sak = SakFactory(saksbehandler=saksbehandler)
    client.force_login(saksbehandler)
    start = time.monotonic()
    with celery_broker("redis://127.0.0.1:9/0"), django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("saker:send_til_godkjenning", args=[sak.pk]), {"godkjenner": godkjenner.pk})
    assert time.monotonic() - start < 2
    assert response.status_code == 302
    sak.refresh_from_db()
    assert sak.status == Sak.Status.TIL_GODKJENNING
    assert Varsel.objects.get().status == Varsel.Status.VENTER
    assert mail.outbox == []


def test_my_cases_come_fifty_to_a_page_keeping_the_filter(client, saksbehandler):
    for _ in range(120):
        SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT)
    SakFactory(saksbehandler=saksbehandler)
    client.force_login(saksbehandler)
    html = client.get(reverse("saker:start"), {"status": "godkjent"}).content.decode()
    assert html.count("<tr>") == 51
    assert "Side 1 av 3" in html
    assert "status=godkjent&amp;side=2" in html
    html = client.get(reverse("saker:start"), {"status": "godkjent", "side": 3}).content.decode()
    assert html.count("<tr>") == 21
