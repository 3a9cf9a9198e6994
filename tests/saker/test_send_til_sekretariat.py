import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saker import services
from saker.models import Sak
from tests.factories import SakFactory, lag_docx

pytestmark = pytest.mark.django_db


def test_the_case_officer_sends_an_approved_case_and_the_secretariat_is_told(
        client, saksbehandler, sekretar, settings, django_capture_on_commit_callbacks):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT)
    client.force_login(saksbehandler)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("saker:send_til_sekretariat", args=[sak.pk]), follow=True)
    assert "sendt til politisk sekretariat" in response.content.decode()
    sak.refresh_from_db()
    assert sak.status == Sak.Status.SENDT_SEKRETARIAT
    assert sak.sendt_sekretariat is not None
    assert sorted(m.to[0] for m in mail.outbox) == sorted([settings.SEKRETARIAT_EPOST, sekretar.email])
    assert sak.hendelser.last().til_status == Sak.Status.SENDT_SEKRETARIAT


def test_documents_are_frozen_once_sent(saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT)
    services.sak_send_til_sekretariat(sak=sak, av=saksbehandler)
    fil = SimpleUploadedFile("ny.docx", lag_docx())
    from saker.forms import sjekk_fil

    with pytest.raises(services.SakFeil, match="kan ikke endres"):
        services.sak_last_opp(sak=sak, av=saksbehandler, hoveddokument=sjekk_fil(fil, "hoveddokument"))
    assert sak.dokumenter.count() == 1


@pytest.mark.parametrize(("status", "melding"), [
    (Sak.Status.TIL_GODKJENNING, "må være godkjent"),
    (Sak.Status.UTKAST, "må være godkjent"),
    (Sak.Status.SENDT_SEKRETARIAT, "allerede sendt"),
])
def test_only_an_approved_case_can_be_sent(saksbehandler, status, melding):
    sak = SakFactory(saksbehandler=saksbehandler, status=status)
    with pytest.raises(services.SakFeil, match=melding):
        services.sak_send_til_sekretariat(sak=sak, av=saksbehandler)


def test_nobody_but_the_case_officer_sends_it(client, saksbehandler, godkjenner, utenforstaende):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT)
    with pytest.raises(services.SakFeil, match="Bare saksbehandleren"):
        services.sak_send_til_sekretariat(sak=sak, av=godkjenner)
    client.force_login(utenforstaende)
    assert client.post(reverse("saker:send_til_sekretariat", args=[sak.pk])).status_code == 404
    sak.refresh_from_db()
    assert sak.status == Sak.Status.GODKJENT


def test_the_secretariat_sees_sent_and_approved_cases_but_never_drafts(client, saksbehandler, sekretar):
    utkast = SakFactory(saksbehandler=saksbehandler)
    til_godkjenning = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING)
    sendt = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.SENDT_SEKRETARIAT)
    client.force_login(sekretar)
    assert client.get(sendt.get_absolute_url()).status_code == 200
    assert client.get(utkast.get_absolute_url()).status_code == 404
    assert client.get(til_godkjenning.get_absolute_url()).status_code == 404
