"""The pages people meet when something goes wrong, and the admin pages they keep the calendar and the users
in: forms refused with errors, the 403/404/405 pages, and the admin, each checked by axe and at 320 px."""

import pytest
from playwright.sync_api import expect

from overgang.demo.etter_motet import lag_saker_etter_motet
from overgang.organisasjon.demo import DEMO_PASSORD, lag_organisasjon
from overgang.organisasjon.models import Bruker, Mote
from saker.demo import lag_saker
from saker.models import Sak
from sekretariat.demo import lag_moteforberedelser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo():
    """The whole demo, as `make run` shows it: the second half of the routine included."""
    lag_organisasjon()
    lag_saker()
    lag_moteforberedelser()
    lag_saker_etter_motet()


def logg_inn(browser, live_server, brukernavn: str, passord: str = DEMO_PASSORD):
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="nb-NO")
    page = context.new_page()
    page.goto(f"{live_server.url}/logg-inn/")
    page.get_by_label("Brukernavn").fill(brukernavn)
    page.get_by_label("Passord").fill(passord)
    page.get_by_role("button", name="Logg inn").click()
    page.wait_for_url(lambda url: "/logg-inn/" not in url)
    return page


def test_refused_forms_lead_with_a_focused_error_summary(live_server, browser, demo, axe):
    s = logg_inn(browser, live_server, "sara")
    s.goto(f"{live_server.url}/saker/ny/")
    s.locator("main form[enctype] button[type=submit]").first.click()
    oppsummering = s.locator("[data-feiloppsummering]")
    expect(oppsummering).to_be_focused()
    expect(oppsummering).to_contain_text("Saksframlegg")
    axe.sjekk(s, "ny sak med feil")
    # The summary's links take the person to the field.
    oppsummering.get_by_role("link").first.click()
    assert s.evaluate("() => document.activeElement.tagName") in {"INPUT", "SELECT", "TEXTAREA"}

    # The party form, refused: a name and an invalid organisation number (on a decided case of the demo's).
    sak = Sak.objects.filter(status=Sak.Status.VEDTATT).select_related("saksbehandler").first()
    o = logg_inn(browser, live_server, sak.saksbehandler.username)
    o.goto(f"{live_server.url}/saker/{sak.pk}/parter/")
    o.get_by_label("Navn").fill("Velforeningen")
    o.get_by_label("Organisasjonsnummer").fill("123")
    o.get_by_role("button", name="Legg til").click()
    expect(o.locator("[data-feiloppsummering]")).to_be_focused()
    expect(o.locator("[data-feiloppsummering]")).to_contain_text("Organisasjonsnummer")
    axe.sjekk(o, "part med feil")


def test_error_pages_are_norwegian_and_accessible(live_server, browser, demo, axe):
    s = logg_inn(browser, live_server, "sara")
    svar = s.goto(f"{live_server.url}/saker/99999999/")
    assert svar.status == 404
    expect(s.get_by_role("heading", level=1)).to_contain_text("finnes ikke")
    axe.sjekk(s, "404")
    svar = s.goto(f"{live_server.url}/sekretariat/")
    assert svar.status == 403
    expect(s.get_by_role("heading", level=1)).to_contain_text("tilgang")
    axe.sjekk(s, "403")
    sak = Sak.objects.filter(saksbehandler__username="sara").first()
    svar = s.goto(f"{live_server.url}/saker/{sak.pk}/send-til-godkjenning/")
    assert svar.status == 405
    axe.sjekk(s, "405")


def test_the_admin_pages_people_use(live_server, browser, demo, axe):
    assert Bruker.objects.get(username="admin").is_superuser  # the demo's administrator
    a = logg_inn(browser, live_server, "admin")
    mote = Mote.objects.first()
    bruker = Bruker.objects.get(username="sara")
    sider = {
        "admin forside": "/admin/",
        "admin møter": "/admin/organisasjon/mote/",
        "admin nytt møte": "/admin/organisasjon/mote/add/",
        "admin endre møte": f"/admin/organisasjon/mote/{mote.pk}/change/",
        "admin utvalg": "/admin/organisasjon/utvalg/",
        "admin brukere": "/admin/organisasjon/bruker/",
        "admin endre bruker": f"/admin/organisasjon/bruker/{bruker.pk}/change/",
        "admin roller": "/admin/auth/group/",
        "admin saker": "/admin/saker/sak/",
        "admin varsler": "/admin/varsler/varsel/",
    }
    for navn, url in sider.items():
        svar = a.goto(live_server.url + url)
        assert svar.status == 200, url
        assert a.locator("html").get_attribute("lang") == "nb"
        axe.sjekk(a, navn)
    # A refused admin form also reads in Norwegian.
    a.goto(f"{live_server.url}/admin/organisasjon/mote/add/")
    a.locator("input[name=_save]").click()
    expect(a.locator(".errornote")).to_be_visible()
    axe.sjekk(a, "admin nytt møte med feil")
