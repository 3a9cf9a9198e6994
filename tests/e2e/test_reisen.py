"""The whole routine in a real browser: four users, each in their own browser context, carry one case from
upload to closing, and every page they visit is checked with axe-core."""

import time

import pytest
from playwright.sync_api import Page, expect

from saker.models import Sak
from tests.factories import BrukerFactory, KommunalomradeFactory, MoteFactory, UtvalgFactory, lag_docx

pytestmark = [pytest.mark.browser, pytest.mark.services, pytest.mark.django_db(transaction=True)]

TITTEL = "Utbygging av Åsenhagen skole – økt kapasitet for Sørum"


def logg_inn(browser, live_server, bruker, axe) -> Page:
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="nb-NO")
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/logg-inn/")
    axe.sjekk(page, "innlogging")
    page.get_by_label("Brukernavn").fill(bruker.username)
    page.get_by_label("Passord").fill("passord")
    page.get_by_role("button", name="Logg inn").click()
    return page


def vent_pa_epost(postkasse, til: str, emne: str, *, tidligere: int = 0, sekunder: float = 30):
    """Wait until the worker has delivered an e-mail to `til` whose subject holds `emne`."""
    import email
    import email.policy

    frist = time.monotonic() + sekunder
    while time.monotonic() < frist:
        treff = []
        for envelope in postkasse.meldinger:
            melding = email.message_from_bytes(envelope.content, policy=email.policy.default)
            if til in envelope.rcpt_tos and emne in str(melding["Subject"]):
                treff.append(melding)
        if len(treff) > tidligere:
            return treff[-1]
        time.sleep(0.2)
    raise AssertionError(f"Ingen e-post til {til} med emne «{emne}» kom fram")


def tekst(melding) -> str:
    return melding.get_body(preferencelist=("plain",)).get_content()


def tab_til(page: Page, locator, maks: int = 80) -> None:
    """Move focus with the Tab key alone until `locator` has it, as a keyboard user would."""
    handle = locator.element_handle()
    for _ in range(maks):
        page.keyboard.press("Tab")
        if page.evaluate("(el) => document.activeElement === el", handle):
            synlig = page.evaluate("(el) => getComputedStyle(el).outlineStyle !== 'none'"
                                   " || getComputedStyle(el).boxShadow !== 'none'", handle)
            assert synlig, "fokus er ikke synlig"
            return
    raise AssertionError("kom ikke fram med Tab-tasten")


@pytest.fixture
def verden(tmp_path):
    omrade = KommunalomradeFactory(navn="Oppvekst og utdanning")
    hou = UtvalgFactory(navn="Hovedutvalg for oppvekst og utdanning", kode="HOU")
    kst = UtvalgFactory(navn="Kommunestyret", kode="KST")
    return {
        "sara": BrukerFactory.saksbehandler(username="sara", first_name="Sara", last_name="Saksbehandler",
                                            kommunalomrade=omrade),
        "kari": BrukerFactory.godkjenner(username="kari", first_name="Kari", last_name="Direktør",
                                         kommunalomrade=omrade),
        "siri": BrukerFactory.sekretariat(username="siri", first_name="Siri", last_name="Sekretær"),
        "hou": hou, "kst": kst, "mote": MoteFactory(utvalg=hou, sted="Lillestrøm rådhus, Kjellersalen"),
    }


def lag_filer(tmp_path):
    framlegg = tmp_path / "saksframlegg-åsenhagen.docx"
    framlegg.write_bytes(lag_docx(TITTEL, "Kommunestyret vedtar utbygging av Åsenhagen skole."))
    rettet = tmp_path / "saksframlegg-åsenhagen-rettet.docx"
    rettet.write_bytes(lag_docx(TITTEL, "Kommunestyret vedtar utbygging av Åsenhagen skole innen 2022."))
    kart = tmp_path / "kart-øst.txt"
    kart.write_text("Kart over tomta på Åsenhagen, gnr. 12 bnr. 34.", encoding="utf-8")
    budsjett = tmp_path / "budsjett.csv"
    budsjett.write_text("post;beløp\nbygg;120000000\n", encoding="utf-8")
    return framlegg, rettet, [kart, budsjett]


def test_the_whole_routine_in_the_browser(live_server, browser, celery_worker_prosess, smtp_server, verden,
                                          tmp_path, axe):
    _, postkasse = smtp_server
    sara, kari = verden["sara"], verden["kari"]
    framlegg, rettet, vedlegg = lag_filer(tmp_path)

    # 1. The case officer uploads the saksframlegg with two vedlegg and sends it for approval.
    s = logg_inn(browser, live_server, sara, axe)
    expect(s.get_by_role("heading", name="Mine saker")).to_be_visible()
    axe.sjekk(s, "mine saker tom")
    s.get_by_role("link", name="Ny sak").click()
    axe.sjekk(s, "ny sak")
    s.get_by_label("Arkivsaksnummer").fill("19/04711")
    s.get_by_label("1. utvalg i saksgangen").select_option(label=verden["hou"].navn)
    s.get_by_label("2. utvalg i saksgangen").select_option(label=verden["kst"].navn)
    s.get_by_label("Saksframlegg").set_input_files(framlegg)
    s.get_by_label("Vedlegg").set_input_files(vedlegg)
    s.get_by_role("button", name="Lagre utkast").click()
    expect(s.get_by_role("heading", name=TITTEL)).to_be_visible()
    expect(s.get_by_text("Kommunestyret vedtar utbygging av Åsenhagen skole.")).to_be_visible()
    axe.sjekk(s, "sak utkast")
    sak = Sak.objects.get()
    assert sak.dokumenter.count() == 3
    s.get_by_role("button", name="Send til godkjenning").click()
    expect(s.get_by_text("Saken er sendt til Kari Direktør for godkjenning.")).to_be_visible()
    axe.sjekk(s, "sak sendt")
    vent_pa_epost(postkasse, kari.email, "sendt til deg for godkjenning")

    # 2. The director returns it with a comment, using the keyboard alone.
    k = logg_inn(browser, live_server, kari, axe)
    expect(k.get_by_role("heading", name="Venter på min godkjenning")).to_be_visible()
    axe.sjekk(k, "innboks")
    k.get_by_role("link", name=TITTEL).click()
    axe.sjekk(k, "godkjenn sak")
    kommentar = k.get_by_label("Hva må rettes?")
    tab_til(k, kommentar)
    k.keyboard.type("Tidsplanen mangler. Legg inn årstall for ferdigstillelse.")
    tab_til(k, k.get_by_role("button", name="Send tilbake"))
    k.keyboard.press("Enter")
    expect(k.get_by_text("er sendt tilbake til Sara Saksbehandler")).to_be_visible()
    axe.sjekk(k, "innboks etter retur")
    assert "Tidsplanen mangler" in tekst(vent_pa_epost(postkasse, sara.email, "sendt tilbake"))

    # 3. The case officer sees the comment, uploads a corrected version and resubmits.
    s.reload()
    expect(s.get_by_role("status").get_by_text("Tidsplanen mangler. Legg inn årstall")).to_be_visible()
    axe.sjekk(s, "sak returnert")
    s.get_by_label("Rettet saksframlegg").set_input_files(rettet)
    s.get_by_role("button", name="Last opp").click()
    expect(s.get_by_text("1 fil(er) lastet opp.")).to_be_visible()
    s.get_by_role("button", name="Send til godkjenning").click()
    expect(s.get_by_text("for godkjenning")).to_be_visible()
    axe.sjekk(s, "sak sendt på nytt")
    vent_pa_epost(postkasse, kari.email, "sendt til deg for godkjenning", tidligere=1)

    # 4. The director approves it for the wished meeting.
    k.goto(f"{live_server.url}/godkjenning/")
    k.get_by_role("link", name=TITTEL).click()
    expect(k.get_by_text("Saksframlegg v2", exact=True)).to_be_visible()
    k.get_by_label("Ønsket første møte").select_option(index=1)
    k.get_by_role("button", name="Godkjenn saken").click()
    expect(k.get_by_text("er godkjent")).to_be_visible()
    axe.sjekk(k, "innboks etter godkjenning")
    assert "sekretariat" in tekst(vent_pa_epost(postkasse, sara.email, "godkjent"))
    sak.refresh_from_db()
    assert sak.status == Sak.Status.GODKJENT
