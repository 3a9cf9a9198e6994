import pytest
from django.core import mail
from django.urls import reverse

from saker.models import Sak
from tests.factories import BrukerFactory, MoteFactory, SakFactory, UtvalgFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sendt_sak(saksbehandler, godkjenner):
    return SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)


def test_the_inbox_lists_waiting_cases_oldest_first_with_their_age(client, godkjenner, saksbehandler):
    from datetime import timedelta

    from django.utils import timezone

    ny = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, tittel="Ny sak")
    gammel = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, tittel="Gammel sak",
                        status_endret=timezone.now() - timedelta(days=3))
    SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT, tittel="Ferdig sak")
    client.force_login(godkjenner)
    html = client.get(reverse("godkjenning:start")).content.decode()
    assert html.index(gammel.tittel) < html.index(ny.tittel)
    assert "Ferdig sak" not in html
    assert "3\xa0dager" in html


def test_the_inbox_leaves_out_other_sectors(client, godkjenner, utenforstaende):
    SakFactory(saksbehandler=utenforstaende, status=Sak.Status.TIL_GODKJENNING, tittel="Annen sektor")
    client.force_login(godkjenner)
    assert "Annen sektor" not in client.get(reverse("godkjenning:start")).content.decode()


def test_an_approver_approves_confirming_a_changed_route(client, godkjenner, sendt_sak, settings,
                                                         django_capture_on_commit_callbacks):
    hou = UtvalgFactory(navn="Hovedutvalg for oppvekst", kode="HOU")
    kst = UtvalgFactory(navn="Kommunestyret", kode="KST")
    mote = MoteFactory(utvalg=hou)
    client.force_login(godkjenner)
    assert client.get(reverse("godkjenning:sak", args=[sendt_sak.pk])).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("godkjenning:godkjenn", args=[sendt_sak.pk]),
                               {"utvalg_1": hou.pk, "utvalg_2": kst.pk, "onsket_mote": mote.pk})
    assert response.status_code == 302
    sendt_sak.refresh_from_db()
    assert sendt_sak.status == Sak.Status.GODKJENT
    assert [b.utvalg.kode for b in sendt_sak.behandlinger.all()] == ["HOU", "KST"]
    assert sendt_sak.onsket_mote == mote
    # The case officer is told of the approval; the wished meeting's list changed too, so the secretariat is told.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([sendt_sak.saksbehandler.email, settings.SEKRETARIAT_EPOST])
    assert sendt_sak.motelistepunkter.get().mote == mote


def test_a_meeting_of_another_committee_is_refused(client, godkjenner, sendt_sak):
    hou = UtvalgFactory(navn="Hovedutvalg for oppvekst", kode="HOU")
    annen = MoteFactory(utvalg=UtvalgFactory(navn="Kommunestyret", kode="KST"))
    client.force_login(godkjenner)
    response = client.post(reverse("godkjenning:godkjenn", args=[sendt_sak.pk]),
                           {"utvalg_1": hou.pk, "onsket_mote": annen.pk})
    assert response.status_code == 400
    assert "Velg et møte i Hovedutvalg for oppvekst" in response.content.decode()
    sendt_sak.refresh_from_db()
    assert sendt_sak.status == Sak.Status.TIL_GODKJENNING


def test_returning_needs_a_comment(client, godkjenner, sendt_sak):
    client.force_login(godkjenner)
    response = client.post(reverse("godkjenning:returner", args=[sendt_sak.pk]), {"kommentar": ""})
    assert response.status_code == 400
    assert "Skriv en kommentar" in response.content.decode()
    sendt_sak.refresh_from_db()
    assert sendt_sak.status == Sak.Status.TIL_GODKJENNING


def test_an_approver_returns_with_a_comment(client, godkjenner, sendt_sak, django_capture_on_commit_callbacks):
    client.force_login(godkjenner)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("godkjenning:returner", args=[sendt_sak.pk]), {"kommentar": "Mangler økonomi."})
    sendt_sak.refresh_from_db()
    assert sendt_sak.status == Sak.Status.RETURNERT
    assert "Mangler økonomi." in mail.outbox[0].body


def test_a_second_approval_gets_a_clear_message(client, godkjenner, sendt_sak):
    annen = BrukerFactory.godkjenner(kommunalomrade=sendt_sak.kommunalomrade)
    utvalg = sendt_sak.behandlinger.get().utvalg
    client.force_login(annen)
    client.post(reverse("godkjenning:godkjenn", args=[sendt_sak.pk]), {"utvalg_1": utvalg.pk})
    client.force_login(godkjenner)
    response = client.post(reverse("godkjenning:godkjenn", args=[sendt_sak.pk]), {"utvalg_1": utvalg.pk},
                           follow=True)
    assert "allerede godkjent av" in response.content.decode()


def test_an_approver_of_another_sector_cannot_open_or_approve_by_id(client, sendt_sak, annet_omrade):
    fremmed = BrukerFactory.godkjenner(kommunalomrade=annet_omrade)
    client.force_login(fremmed)
    utvalg = sendt_sak.behandlinger.get().utvalg
    assert client.get(reverse("godkjenning:sak", args=[sendt_sak.pk])).status_code == 404
    assert client.get(reverse("saker:dokument", args=[sendt_sak.pk, sendt_sak.dokumenter.get().pk])).status_code \
        == 404
    assert client.post(reverse("godkjenning:godkjenn", args=[sendt_sak.pk]), {"utvalg_1": utvalg.pk}).status_code \
        == 404
    sendt_sak.refresh_from_db()
    assert sendt_sak.status == Sak.Status.TIL_GODKJENNING


def test_a_case_officer_cannot_use_the_approver_pages(client, saksbehandler, sendt_sak):
    client.force_login(saksbehandler)
    assert client.get(reverse("godkjenning:sak", args=[sendt_sak.pk])).status_code == 403
    assert client.post(reverse("godkjenning:returner", args=[sendt_sak.pk]), {"kommentar": "x"}).status_code == 403


def test_the_radmann_sees_and_approves_any_sector(client, sendt_sak):
    radmann = BrukerFactory.godkjenner(er_radmann=True)
    client.force_login(radmann)
    assert client.get(reverse("godkjenning:sak", args=[sendt_sak.pk])).status_code == 200


@pytest.mark.parametrize("antall", [5, 50])
def test_the_inbox_runs_a_fixed_number_of_queries(client, godkjenner, saksbehandler, django_assert_num_queries,
                                                  antall):
    for _ in range(antall):
        SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING)
    client.force_login(godkjenner)
    # session, user, groups, the count, a page of cases, their routes, whom the user stands in for today (the
    # banner that says why a stand-in sees another's cases)
    with django_assert_num_queries(7):
        response = client.get(reverse("godkjenning:start"))
    assert response.content.decode().count("<tr>") == antall + 1


def test_the_inbox_comes_fifty_to_a_page_oldest_first(client, godkjenner, saksbehandler):
    from datetime import timedelta

    from django.utils import timezone

    for i in range(55):
        SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, tittel=f"Sak {i:02d}",
                   status_endret=timezone.now() - timedelta(hours=60 - i))
    client.force_login(godkjenner)
    forste = client.get(reverse("godkjenning:start")).content.decode()
    andre = client.get(reverse("godkjenning:start"), {"side": 2}).content.decode()
    assert forste.count("<tr>") == 51 and "55 saker, eldste først." in forste
    assert "Sak 00" in forste and "Sak 50" not in forste and "Sak 50" in andre
    assert "Side 1 av 2" in forste
