import pytest
from django.urls import reverse

from overgang.organisasjon.demo import DEMO_PASSORD, lag_organisasjon
from tests.factories import BrukerFactory, MoteFactory

pytestmark = pytest.mark.django_db

STARTSIDER = {
    "saksbehandler": "saker:start",
    "godkjenner": "godkjenning:start",
    "sekretariat": "sekretariat:start",
}


def test_the_login_page_is_norwegian(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert '<html lang="nb">' in response.content.decode()
    assert "Logg inn" in response.content.decode()
    assert "Brukernavn" in response.content.decode()


def test_anonymous_users_are_sent_to_login(client):
    for url in ["start", *STARTSIDER.values()]:
        response = client.get(reverse(url))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("rolle", STARTSIDER)
def test_each_demo_user_logs_in_and_lands_on_the_start_page_of_its_role(client, rolle):
    brukere = {b.username: b for b in lag_organisasjon()}
    username = {"saksbehandler": "sara", "godkjenner": "kari", "sekretariat": "siri"}[rolle]
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse(STARTSIDER[rolle])
    assert response.status_code == 200
    assert str(brukere[username]) in response.content.decode()


@pytest.mark.parametrize("rolle", STARTSIDER)
def test_other_roles_get_403_on_a_start_page(client, rolle):
    bruker = BrukerFactory(rolle=rolle)
    client.force_login(bruker)
    for annen_rolle, url in STARTSIDER.items():
        response = client.get(reverse(url))
        assert response.status_code == (200 if annen_rolle == rolle else 403), (rolle, url)


def test_navigation_shows_only_what_the_role_may_use(client, saksbehandler):
    client.force_login(saksbehandler)
    html = client.get(reverse("saker:start")).content.decode()
    assert "Mine saker" in html
    assert reverse("godkjenning:start") not in html
    assert reverse("sekretariat:start") not in html
    assert reverse("admin:index") not in html


def test_a_user_without_a_role_is_told_so(client):
    client.force_login(BrukerFactory())
    response = client.get(reverse("start"))
    assert response.status_code == 403
    assert "ingen rolle" in response.content.decode()


def test_secretariat_start_page_lists_coming_meetings(client, sekretar):
    mote = MoteFactory()
    client.force_login(sekretar)
    html = client.get(reverse("sekretariat:start")).content.decode()
    assert mote.utvalg.navn in html
    assert f'href="{mote.get_absolute_url()}"' in html


def test_logout_is_post_only_and_ends_the_session(client, saksbehandler):
    client.force_login(saksbehandler)
    assert client.get(reverse("logout")).status_code == 405
    client.post(reverse("logout"))
    assert client.get(reverse("saker:start")).status_code == 302
