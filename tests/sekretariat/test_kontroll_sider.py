import pytest
from django.urls import reverse

from saker.models import Sak
from tests.factories import MoteFactory, MotelistepunktFactory, RegistreringFactory, SakFactory, SakslistepunktFactory

pytestmark = pytest.mark.django_db


def test_the_start_page_shows_each_coming_meeting_as_ready_or_with_its_count(client, sekretar):
    klar = MoteFactory()
    ikke_klar = MoteFactory()
    MotelistepunktFactory(mote=ikke_klar)  # approved, on the list, not received
    client.force_login(sekretar)
    html = client.get(reverse("sekretariat:start")).content.decode()
    assert reverse("sekretariat:kontroll", args=[klar.pk]) in html
    assert "Ingen saker meldt" in html  # nothing to check is not "Klar"
    assert "1 avvik" in html  # one case: not received, and not on the agenda


def test_the_control_page_lists_the_discrepancies_of_one_meeting(client, sekretar):
    mote = MoteFactory()
    punkt = MotelistepunktFactory(mote=mote, sak__tittel="Barnehagebehov på Fetsund")
    client.force_login(sekretar)
    html = client.get(reverse("sekretariat:kontroll", args=[mote.pk])).content.decode()
    assert "Barnehagebehov på Fetsund" in html
    assert "ikke mottatt" in html.lower()
    punkt.sak.status = Sak.Status.SENDT_SEKRETARIAT
    punkt.sak.save()
    RegistreringFactory(sak=punkt.sak)
    SakslistepunktFactory(mote=mote, sak=punkt.sak)
    html = client.get(reverse("sekretariat:kontroll", args=[mote.pk])).content.decode()
    assert "Klar – ingen avvik" in html


def test_received_cases_on_no_meeting_are_shown_on_the_start_page(client, sekretar):
    SakFactory(status=Sak.Status.SENDT_SEKRETARIAT, tittel="Foreldreløs sak")
    MoteFactory()
    client.force_login(sekretar)
    assert "Foreldreløs sak" in client.get(reverse("sekretariat:start")).content.decode()


def test_only_the_secretariat_sees_the_control_page(client, godkjenner):
    mote = MoteFactory()
    client.force_login(godkjenner)
    assert client.get(reverse("sekretariat:kontroll", args=[mote.pk])).status_code == 403


@pytest.mark.parametrize("antall", [5, 100])
def test_control_and_start_pages_run_a_fixed_number_of_queries(client, sekretar, django_assert_num_queries, antall):
    moter = [MoteFactory(), MoteFactory()]
    for i in range(antall):
        punkt = MotelistepunktFactory(mote=moter[i % 2], sak__status=Sak.Status.SENDT_SEKRETARIAT)
        if i % 3:
            SakslistepunktFactory(mote=punkt.mote, sak=punkt.sak)
    client.force_login(sekretar)
    # session, user, groups, meeting, three control queries, the tabs' counts
    with django_assert_num_queries(8):
        assert client.get(reverse("sekretariat:kontroll", args=[moter[0].pk])).status_code == 200
    # session, user, groups, coming meetings (count, page), past meetings, three counting queries, cases without
    # a meeting (the first, and the count), the tabs' counts
    with django_assert_num_queries(12):
        assert client.get(reverse("sekretariat:start")).status_code == 200


def test_send_pamin_reminds_the_officer_and_director_of_a_listed_case_not_received_once_a_day(
        client, sekretar, saksbehandler, godkjenner, django_capture_on_commit_callbacks):
    from django.core import mail

    mote = MoteFactory()
    punkt = MotelistepunktFactory(mote=mote, sak__saksbehandler=saksbehandler, sak__tittel="Barnehagebehov")
    client.force_login(sekretar)
    html = client.get(reverse("sekretariat:kontroll", args=[mote.pk])).content.decode()
    url = reverse("sekretariat:paminn", args=[mote.pk, punkt.sak_id])
    # One button, for the rule someone outside the secretariat mends; the agenda is the secretariat's own work.
    assert html.count(f'action="{url}"') == 1
    with django_capture_on_commit_callbacks(execute=True):
        svar = client.post(url, {"regel": "ikke_mottatt"}, follow=True)
    assert "Påminnelse om «Barnehagebehov» er sendt til" in svar.content.decode()
    assert sorted(m.to[0] for m in mail.outbox) == sorted([saksbehandler.email, godkjenner.email])
    assert "står på direktørlisten, men er ikke mottatt av sekretariatet" in mail.outbox[0].body.lower()
    with django_capture_on_commit_callbacks(execute=True):
        svar = client.post(url, {"regel": "ikke_mottatt"}, follow=True)
    assert "allerede sendt en påminnelse" in svar.content.decode() and len(mail.outbox) == 2
    svar = client.post(url, {"regel": "ikke_pa_saksliste"}, follow=True)
    assert "rettes av sekretariatet selv" in svar.content.decode()


def test_a_mended_discrepancy_sends_no_reminder(client, sekretar):
    mote = MoteFactory()
    punkt = MotelistepunktFactory(mote=mote)
    Sak.objects.filter(pk=punkt.sak_id).update(status=Sak.Status.SENDT_SEKRETARIAT)
    client.force_login(sekretar)
    svar = client.post(reverse("sekretariat:paminn", args=[mote.pk, punkt.sak_id]), {"regel": "ikke_mottatt"},
                       follow=True)
    assert "Avviket er rettet allerede" in svar.content.decode()
