"""Signing in with the municipality's account in the browser (Debian's Chromium), through the real provider of
tests/oidc/provider: the first sign-in makes the user with the role of their group, signing out ends the session
at the provider too (the next sign-in asks for the password again), a changed group changes the role, and a
person with no mapped group gets the Norwegian page."""

import pytest

from overgang.organisasjon.models import Bruker
from tests.oidc.conftest import PASSORD, SEKRETARIATET

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]


def logg_inn_hos_kommunen(page, login: str) -> None:
    page.get_by_role("link", name="Logg inn med kommunens konto").click()
    # The provider's own form: it asks because it holds no session for this browser.
    page.get_by_label("Brukernavn").fill(login)
    page.get_by_label("Passord").fill(PASSORD)
    page.get_by_role("button", name="Logg inn hos kommunen").click()


def logg_ut(page, live_server) -> None:
    page.get_by_role("button", name="Logg ut").click()
    page.get_by_role("button", name="Ja, logg ut").click()  # the provider's confirmation
    page.wait_for_url(f"{live_server.url}/logg-inn/")


def roller(login: str, oidc) -> set[str]:
    return set(Bruker.objects.get(identiteter__subjekt=oidc.kontoer[login]["oid"]).roller)


def test_sign_in_change_of_group_no_role_and_sign_out_in_the_browser(orm_ved_siden_av_playwright, live_server,
                                                                     browser, oidc):
    context = browser.new_context(locale="nb-NO")
    page = context.new_page()
    page.goto(f"{live_server.url}/logg-inn/")

    logg_inn_hos_kommunen(page, "kari")
    page.wait_for_url(f"{live_server.url}/godkjenning/")
    assert page.get_by_text("Kari Nordmann").first.is_visible()
    assert roller("kari", oidc) == {"godkjenner"}

    logg_ut(page, live_server)
    oidc.sett_grupper("kari", [SEKRETARIATET])
    logg_inn_hos_kommunen(page, "kari")  # fails unless the provider asks for the password again
    page.wait_for_url(f"{live_server.url}/sekretariat/")
    assert roller("kari", oidc) == {"sekretariat"}

    logg_ut(page, live_server)
    logg_inn_hos_kommunen(page, "ola")
    page.wait_for_url(f"{live_server.url}/innlogging/ingen-rolle/")
    assert page.get_by_role("heading", name="Du har ingen rolle i Overgang").is_visible()
    assert not Bruker.objects.filter(identiteter__subjekt=oidc.kontoer["ola"]["oid"]).exists()
    context.close()
