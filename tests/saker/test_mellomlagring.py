"""A refused form loses no file: the files that passed their checks are kept for the next attempt."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from saker import services
from saker.models import Mellomlagring, Sak
from tests.factories import PDF_BYTES, BrukerFactory, MoteFactory, UtvalgFactory, lag_docx

pytestmark = pytest.mark.django_db


@pytest.fixture
def skjema(saksbehandler):
    utvalg = UtvalgFactory()
    return {
        "tittel": "", "kommune": saksbehandler.kommune_id, "arkivsystem": saksbehandler.arkivsystem_id,
        "arkivsaksnr": "19/01234", "kommunalomrade": saksbehandler.kommunalomrade_id, "utvalg_1": utvalg.pk,
        "onsket_mote": MoteFactory(utvalg=utvalg).pk, "hjemmel": "", "innstilling": "",
    }


def filer_pa_disk(settings) -> list:
    return [p for p in (settings.MEDIA_ROOT / "mellomlagring").rglob("*") if p.is_file()] \
        if (settings.MEDIA_ROOT / "mellomlagring").exists() else []


def test_files_survive_a_refused_form_and_are_used_on_the_next_attempt(client, saksbehandler, skjema, settings):
    client.force_login(saksbehandler)
    svar = client.post(reverse("saker:ny"), {
        **skjema, "arkivsaksnr": "feil",
        "hoveddokument": SimpleUploadedFile("framlegg.docx", lag_docx("Skolebuss til Blaker")),
        "vedlegg": [SimpleUploadedFile("kart.pdf", PDF_BYTES)],
    })
    html = svar.content.decode()
    assert "år/nummer" in html
    assert "Filene du valgte er tatt vare på: framlegg.docx, kart.pdf" in html
    assert Sak.objects.count() == 0
    rader = list(Mellomlagring.objects.filter(bruker=saksbehandler))
    assert sorted(r.filnavn for r in rader) == ["framlegg.docx", "kart.pdf"]
    assert html.count('name="mellomlagret"') == 2 and html.count("checked") >= 2

    svar = client.post(reverse("saker:ny"), {**skjema, "mellomlagret": [r.pk for r in rader]})
    sak = Sak.objects.get()
    assert svar.status_code == 302
    assert sak.tittel == "Skolebuss til Blaker"
    assert sorted(sak.dokumenter.values_list("filnavn", flat=True)) == ["framlegg.docx", "kart.pdf"]
    assert Mellomlagring.objects.count() == 0
    assert filer_pa_disk(settings) == []


def test_the_good_vedlegg_are_kept_when_one_is_refused(client, saksbehandler, skjema):
    client.force_login(saksbehandler)
    html = client.post(reverse("saker:ny"), {
        **skjema, "hoveddokument": SimpleUploadedFile("framlegg.docx", lag_docx()),
        "vedlegg": [SimpleUploadedFile("kart.pdf", PDF_BYTES), SimpleUploadedFile("tom.pdf", b"")],
    }).content.decode()
    assert "«tom.pdf» er tom" in html
    assert sorted(Mellomlagring.objects.values_list("filnavn", flat=True)) == ["framlegg.docx", "kart.pdf"]
    assert Sak.objects.count() == 0


def test_an_unticked_kept_file_is_left_out(client, saksbehandler, skjema):
    client.force_login(saksbehandler)
    client.post(reverse("saker:ny"), {**skjema, "arkivsaksnr": "feil",
                                      "hoveddokument": SimpleUploadedFile("framlegg.docx", lag_docx()),
                                      "vedlegg": [SimpleUploadedFile("kart.pdf", PDF_BYTES)]})
    hoved = Mellomlagring.objects.get(filnavn="framlegg.docx")
    client.post(reverse("saker:ny"), {**skjema, "mellomlagret": [hoved.pk]})
    assert list(Sak.objects.get().dokumenter.values_list("filnavn", flat=True)) == ["framlegg.docx"]


def test_nobody_can_use_another_users_kept_file(client, saksbehandler, skjema, omrade):
    fremmed = BrukerFactory.saksbehandler(kommunalomrade=omrade)
    client.force_login(fremmed)
    client.post(reverse("saker:ny"), {**skjema, "arkivsaksnr": "feil",
                                      "hoveddokument": SimpleUploadedFile("hemmelig.docx", lag_docx())})
    rad = Mellomlagring.objects.get()
    client.force_login(saksbehandler)
    html = client.post(reverse("saker:ny"), {**skjema, "mellomlagret": [rad.pk]}).content.decode()
    assert Sak.objects.count() == 0
    assert "Velg saksframlegget" in html
    assert "hemmelig.docx" not in html


def test_a_missing_main_document_is_asked_for(client, saksbehandler, skjema):
    client.force_login(saksbehandler)
    html = client.post(reverse("saker:ny"), skjema).content.decode()
    assert "Velg saksframlegget (.docx eller .pdf)." in html
    assert Sak.objects.count() == 0


def test_the_sweeper_removes_kept_files_nobody_came_back_for(saksbehandler, settings):
    fil = SimpleUploadedFile("kart.pdf", PDF_BYTES)
    from saker.forms import sjekk_fil

    [gammel] = services.mellomlagre(bruker=saksbehandler, opplastinger=[("vedlegg", sjekk_fil(fil, "vedlegg"))])
    [ny] = services.mellomlagre(bruker=saksbehandler, opplastinger=[("vedlegg", sjekk_fil(fil, "vedlegg"))])
    Mellomlagring.objects.filter(pk=gammel.pk).update(opprettet=timezone.now() - datetime.timedelta(days=2))
    assert services.mellomlagring_rydd() == 1
    assert list(Mellomlagring.objects.values_list("pk", flat=True)) == [ny.pk]
    assert len(filer_pa_disk(settings)) == 1
