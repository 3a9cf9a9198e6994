"""The whole routine in a real browser: four users, each in their own browser context, carry one case from
upload to closing, and every page they visit is checked with axe-core."""

import datetime
import io
import re
import time

import docx
import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from overgang.organisasjon.models import Mote
from saker.models import Sak
from tests.factories import PDF_BYTES, BrukerFactory, KommunalomradeFactory, MoteFactory, UtvalgFactory, lag_docx

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


def neste_steg(page: Page, overskrift: str) -> None:
    """The "neste steg" card names the next action for the person looking."""
    expect(page.locator("#neste-steg-tittel")).to_have_text(overskrift)


def se_som(page: Page, klikk, url: str, overskrift: str) -> None:
    """Another role's card on the case page, looked at by the test between two steps (not counted as clicks)."""
    with klikk.ikke_telt():
        page.goto(url)
        neste_steg(page, overskrift)


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
    saksutskrift = tmp_path / "saksutskrift-PS-1.pdf"
    saksutskrift.write_bytes(PDF_BYTES)
    return framlegg, rettet, [kart, budsjett], saksutskrift


def test_the_whole_routine_in_the_browser(live_server, browser, celery_worker_prosess, smtp_server, verden,
                                          tmp_path, axe, klikk):
    _, postkasse = smtp_server
    sara, kari = verden["sara"], verden["kari"]
    framlegg, rettet, vedlegg, saksutskrift = lag_filer(tmp_path)
    siri, mote = verden["siri"], verden["mote"]

    # 1. The case officer uploads the saksframlegg with two vedlegg and sends it for approval.
    s = logg_inn(browser, live_server, sara, axe)
    expect(s.get_by_role("heading", name="Mine saker")).to_be_visible()
    axe.sjekk(s, "mine saker tom")
    s.get_by_role("link", name="Ny sak").click()
    axe.sjekk(s, "ny sak")
    s.get_by_label("Arkivsaksnummer").fill("19/04711")
    s.get_by_label("1. utvalg i saksgangen").select_option(label=verden["hou"].navn)
    s.get_by_label("Saksframlegg").set_input_files(framlegg)
    s.get_by_label("Vedlegg").set_input_files(vedlegg)
    s.get_by_role("button", name="Lagre utkast").click()
    expect(s.get_by_role("heading", name=TITTEL)).to_be_visible()
    expect(s.get_by_text("Kommunestyret vedtar utbygging av Åsenhagen skole.").first).to_be_visible()
    neste_steg(s, "Send saken til godkjenning")
    axe.sjekk(s, "sak utkast")
    sak = Sak.objects.get()
    assert sak.dokumenter.count() == 3
    s.get_by_role("button", name="Send til godkjenning").click()
    expect(s.get_by_text("Saken er sendt til Kari Direktør for godkjenning.")).to_be_visible()
    neste_steg(s, "Venter på godkjenning")
    axe.sjekk(s, "sak sendt")
    vent_pa_epost(postkasse, kari.email, "sendt til deg for godkjenning")

    # 2. The director returns it with a comment, using the keyboard alone.
    k = logg_inn(browser, live_server, kari, axe)
    expect(k.get_by_role("heading", name="Venter på min godkjenning")).to_be_visible()
    axe.sjekk(k, "innboks")
    se_som(k, klikk, f"{live_server.url}{sak.get_absolute_url()}", "Godkjenn eller returner")
    with klikk.ikke_telt():
        k.go_back()
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
    neste_steg(s, "Rett saken og send den på nytt")
    axe.sjekk(s, "sak returnert")
    s.get_by_label("Rettet saksframlegg").set_input_files(rettet)
    s.get_by_role("button", name="Last opp").click()
    expect(s.get_by_text("1 fil lastet opp.")).to_be_visible()
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
    se_som(k, klikk, f"{live_server.url}{sak.get_absolute_url()}", "Hold møtelisten oppdatert")

    # 5. The case officer sends the approved case to the political secretariat (confirming the dialog).
    s.reload()
    neste_steg(s, "Send saken til politisk sekretariat")
    s.get_by_role("button", name="Send til sekretariatet").click()
    expect(s.get_by_text("Saken er sendt til politisk sekretariat.")).to_be_visible()
    neste_steg(s, "Hos politisk sekretariat")
    axe.sjekk(s, "sak sendt til sekretariatet")
    vent_pa_epost(postkasse, "politikk@lillestrom.kommune.no", "sendt til politisk sekretariat")
    vent_pa_epost(postkasse, siri.email, "sendt til politisk sekretariat")

    # 6. The secretariat registers the P360 numbers.
    p = logg_inn(browser, live_server, siri, axe)
    se_som(p, klikk, f"{live_server.url}{sak.get_absolute_url()}", "Registrer saken i P360")
    with klikk.ikke_telt():
        p.go_back()
    expect(p.get_by_role("heading", name="Kommende møter")).to_be_visible()
    axe.sjekk(p, "kommende møter")
    p.get_by_role("link", name="Innkomne saker").click()
    axe.sjekk(p, "innkomne saker")
    p.get_by_label("P360 saksnummer").fill("20/00123")
    p.get_by_label("P360 dokumentnummer").fill("20/00123-1")
    p.get_by_role("button", name="Registrer i P360").click()
    expect(p.get_by_role("status").first).to_be_visible()
    sak.refresh_from_db()
    assert sak.registrering.p360_dokumentnr == "20/00123-1"
    se_som(p, klikk, f"{live_server.url}{sak.get_absolute_url()}", "Sett saken på sakslisten")

    # 7. … places it on the meeting's agenda; the case officer is told.
    p.goto(f"{live_server.url}{mote.get_absolute_url()}")
    axe.sjekk(p, "møte uten saker")
    p.get_by_role("combobox", name=re.compile(r"^Sak")).select_option(index=1)
    p.get_by_role("button", name="Legg til").click()
    aar = timezone.localtime(mote.tidspunkt).year % 100
    expect(p.get_by_text(f"PS 1/{aar:02d}").first).to_be_visible()
    axe.sjekk(p, "møte med saksliste")
    vent_pa_epost(postkasse, sara.email, "sakslisten")
    with klikk.ikke_telt():
        s.reload()
        neste_steg(s, "Til politisk behandling")

    # 8. … checks that nothing fell out, and exports the agenda.
    p.get_by_role("link", name="Kontroll: faller noen sak ut?").click()
    expect(p.get_by_text("Klar – ingen avvik")).to_be_visible()
    axe.sjekk(p, "kontroll klar")
    p.go_back()
    with p.expect_download() as nedlasting:
        p.get_by_role("link", name="Last ned som Word").click()
    agenda = docx.Document(io.BytesIO(open(nedlasting.value.path(), "rb").read()))
    agendatekst = "\n".join([para.text for para in agenda.paragraphs]
                            + [c.text for t in agenda.tables for r in t.rows for c in r.cells])
    assert verden["hou"].navn in agendatekst
    assert TITTEL in agendatekst and f"PS 1/{aar:02d}" in agendatekst

    # 9. The meeting is held; the secretariat records the vedtak with the saksutskrift from P360.
    Mote.objects.filter(pk=mote.pk).update(tidspunkt=timezone.now() - datetime.timedelta(hours=2))
    p.reload()
    p.get_by_role("button", name="Marker som avholdt").click()
    expect(p.get_by_role("heading", name="Registrer utfall")).to_be_visible()
    axe.sjekk(p, "møte avholdt")
    se_som(p, klikk, f"{live_server.url}{sak.get_absolute_url()}", "Registrer utfallet")
    with klikk.ikke_telt():
        p.go_back()
    p.get_by_role("radio", name="Vedtak", exact=True).check()
    vedtak = "Kommunestyret vedtar utbygging av Åsenhagen skole innen 2022."
    p.get_by_role("textbox", name="Vedtak / innstilling").fill(vedtak)
    p.get_by_label("Saksutskrift fra P360").set_input_files(saksutskrift)
    p.get_by_role("button", name="Registrer utfall").click()
    expect(p.get_by_role("status").first).to_be_visible()
    axe.sjekk(p, "utfall registrert")
    assert "vedtak" in tekst(vent_pa_epost(postkasse, sara.email, "vedtak")).lower()
    sak.refresh_from_db()
    assert sak.status == Sak.Status.VEDTATT

    # 10. The case officer adds the party, makes the vedtaksbrev and records its dispatch; the case closes.
    s.reload()
    expect(s.get_by_role("heading", name="Vedtak", exact=True)).to_be_visible()
    neste_steg(s, "Legg til partene")
    axe.sjekk(s, "sak vedtatt")
    s.locator("[data-neste-steg]").get_by_role("link", name="Legg til partene").click()
    axe.sjekk(s, "parter")
    s.get_by_label("Navn").fill("Åsenhagen velforening")
    s.get_by_label("Adresse").fill("Postboks 12")
    s.get_by_label("Postnummer").fill("1920")
    s.get_by_label("Poststed").fill("Sørumsand")
    s.get_by_label("Organisasjonsnummer").fill("974760673")
    s.get_by_role("button", name="Legg til").click()
    expect(s.get_by_text("Åsenhagen velforening").first).to_be_visible()
    s.get_by_role("button", name="Ferdig: lag vedtaksbrevene").click()
    expect(s.get_by_text("Vedtaksbrev laget for 1 part.")).to_be_visible()
    neste_steg(s, "Send vedtaksbrevet")
    axe.sjekk(s, "vedtaksbrev laget")
    s.get_by_label("Forsendelses-id i SvarUt").fill("3f2c9a1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b")
    s.get_by_label("Sendt dato").fill(timezone.localdate().isoformat())
    s.get_by_role("button", name="Registrer som sendt").click()
    neste_steg(s, "Avsluttet")
    axe.sjekk(s, "sak avsluttet")
    vent_pa_epost(postkasse, "politikk@lillestrom.kommune.no", "avsluttet")
    sak.refresh_from_db()
    assert sak.status == Sak.Status.AVSLUTTET
