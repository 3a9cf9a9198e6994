import pytest
from django.urls import reverse

from tests.factories import BrukerFactory

pytestmark = pytest.mark.django_db


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("om"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("rolle", ["saksbehandler", "godkjenner", "sekretariat", None])
def test_every_signed_in_user_sees_the_page_with_version_and_contact(client, settings, rolle):
    settings.SEKRETARIAT_EPOST = "politikk@example.no"
    client.force_login(BrukerFactory(rolle=rolle) if rolle else BrukerFactory())
    response = client.get(reverse("om"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nb">' in html
    assert "<h1" in html and "Om Overgang" in html
    assert "Versjon 0." in html
    assert 'href="mailto:politikk@example.no"' in html


def test_the_navigation_links_to_it(client, saksbehandler):
    client.force_login(saksbehandler)
    html = client.get(reverse("om")).content.decode()
    assert f'href="{reverse("om")}"' in html
