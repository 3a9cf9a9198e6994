"""Every role's main pages on a narrow laptop (1280x720) and a tablet (768 wide): nothing runs off the side,
the menu still opens, and axe finds no WCAG 2.1 A/AA violation."""

import pytest

from overgang.demo.etter_motet import lag_saker_etter_motet
from overgang.organisasjon.demo import DEMO_PASSORD, lag_organisasjon
from overgang.organisasjon.models import Mote
from saker.demo import lag_saker
from saker.models import Sak
from sekretariat.demo import lag_moteforberedelser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SKJERMER = {"laptop": {"width": 1280, "height": 720}, "nettbrett": {"width": 768, "height": 1024}}


@pytest.fixture
def demo():
    """The whole demo, as `make run` shows it: the second half of the routine included."""
    lag_organisasjon()
    lag_saker()
    lag_moteforberedelser()
    lag_saker_etter_motet()


def sider(live_server) -> dict[str, list[str]]:
    sak = Sak.objects.filter(status=Sak.Status.TIL_GODKJENNING).first()
    mote = Mote.objects.kommende().first()
    # a decided case with some letters sent and some not (the demo's meeting held today)
    vedtatt = Sak.objects.filter(status=Sak.Status.VEDTATT, parter__forsendelse__status="sendt").first()
    return {
        "sara": ["/saker/", "/saker/ny/", f"/saker/{sak.pk}/", f"/saker/{vedtatt.pk}/"],
        "kari": ["/godkjenning/", f"/godkjenning/saker/{sak.pk}/", "/godkjenning/motelister/"],
        "siri": ["/sekretariat/", "/sekretariat/innkomne/", "/sekretariat/moter/", f"/sekretariat/moter/{mote.pk}/",
                 f"/sekretariat/moter/{mote.pk}/kontroll/"],
    }


@pytest.mark.parametrize("skjerm", SKJERMER)
def test_pages_fit_laptop_and_tablet_screens(live_server, browser, demo, axe, skjerm):
    for brukernavn, urler in sider(live_server).items():
        context = browser.new_context(viewport=SKJERMER[skjerm], locale="nb-NO")
        page = context.new_page()
        page.goto(f"{live_server.url}/logg-inn/")
        page.get_by_label("Brukernavn").fill(brukernavn)
        page.get_by_label("Passord").fill(DEMO_PASSORD)
        page.get_by_role("button", name="Logg inn").click()
        page.wait_for_url(f"{live_server.url}/**")
        for url in urler:
            page.goto(live_server.url + url)
            assert page.locator("html").get_attribute("lang") == "nb"
            bredde = page.evaluate("() => document.documentElement.scrollWidth")
            assert bredde <= SKJERMER[skjerm]["width"], f"{url} er {bredde}px bred på {skjerm}"
            axe.sjekk(page, f"{skjerm} {brukernavn} {url}")
        if skjerm == "nettbrett":
            # The menu collapses on a tablet; its button must open it.
            page.get_by_role("button", name="Vis meny").click()
            page.get_by_role("button", name="Logg ut").wait_for(state="visible")
        context.close()
