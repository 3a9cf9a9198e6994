"""The menu says where you are, and the skip link is there for keyboard users."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def aktive(html: str) -> list[str]:
    """The main menu's items marked as the current page: their text."""
    meny = html[html.index('aria-label="Hovedmeny"'):html.index("</nav>")]
    return re.findall(r'<a class="nav-link active" aria-current="page" href="[^"]*">([^<]+)</a>', meny)


def test_the_case_officer_sees_mine_saker_marked_on_a_case_list(client, saksbehandler):
    client.force_login(saksbehandler)
    html = client.get(reverse("saker:start")).content.decode()
    assert aktive(html) == ["Mine saker"]
    assert '<a class="hopp-lenke' in html and 'href="#innhold"' in html


def test_the_approver_sees_the_page_of_the_two_they_are_on(client, godkjenner):
    client.force_login(godkjenner)
    assert aktive(client.get(reverse("godkjenning:start")).content.decode()) == ["Til godkjenning"]
    assert aktive(client.get(reverse("godkjenning:motelister")).content.decode()) == ["Møtelister"]


def test_the_secretariat_sees_moter_marked_and_the_about_page_marks_itself(client, sekretar):
    client.force_login(sekretar)
    assert aktive(client.get(reverse("sekretariat:start")).content.decode()) == ["Møter"]
    assert aktive(client.get(reverse("om")).content.decode()) == ["Om Overgang"]
