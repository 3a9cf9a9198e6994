"""Browser tests: Playwright (pytest-playwright) driving Debian's Chromium against a live server, with the
real Celery path (Redis and a worker process) and e-mail arriving at an SMTP server on loopback.
Every page is checked with axe-core for WCAG 2.1 A and AA and saved as a screenshot."""

import contextlib
import itertools
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.tjenester import krev_chromium

AXE_JS = Path(__file__).parent / "axe" / "axe.min.js"
WCAG_TAGGER = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]
_BILDENUMMER = itertools.count(1)  # one numbering for the whole session, so no test overwrites another's
SKJERMBILDER = Path(os.environ.get("SCREENSHOT_DIR", Path(__file__).resolve().parents[2] / "test-artifacts"
                                                    / "screenshots"))


@pytest.fixture(scope="session", autouse=True)
def _orm_ved_siden_av_playwright():
    # Playwright's sync API runs an event loop in this thread for the rest of the session; the tests' own ORM
    # calls (and the database teardown after them) are still synchronous. Browser tests run last.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


@pytest.fixture(scope="session", autouse=True)
def _tomme_skjermbilder():
    """Start each run with an empty screenshot folder, so it shows only this run's pages."""
    shutil.rmtree(SKJERMBILDER, ignore_errors=True)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """pytest-playwright launches this instead of a downloaded browser; absent Chromium skips (or fails
    under REQUIRE_SERVICES)."""
    return {"executable_path": krev_chromium(), "args": CHROMIUM_ARGS, "headless": True}


@dataclass
class Tilgjengelighet:
    """Runs axe on each page, keeps a screenshot of it, and remembers every violation."""

    sider: int = 0
    regler: set[str] = field(default_factory=set)
    brudd: list[str] = field(default_factory=list)

    def sjekk(self, page, navn: str) -> None:
        page.wait_for_load_state("load")
        self.sider += 1
        SKJERMBILDER.mkdir(parents=True, exist_ok=True)
        filnavn = f"{next(_BILDENUMMER):03d}-{re.sub(r'[^a-z0-9]+', '-', navn.lower()).strip('-')}.png"
        page.screenshot(path=SKJERMBILDER / filnavn, full_page=True)
        if not page.evaluate("() => typeof window.axe !== 'undefined'"):
            # Evaluated through the browser's debugging protocol, which the page's Content-Security-Policy (no
            # inline script) does not govern; a <script> tag with the file's text would be refused by it.
            page.evaluate(AXE_JS.read_text(encoding="utf-8"))
        resultat = page.evaluate(
            "async (tagger) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tagger}});"
            " return {brudd: r.violations.map(v => ({id: v.id, hjelp: v.help,"
            " noder: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})),"
            " regler: [...r.passes, ...r.violations, ...r.incomplete, ...r.inapplicable].map(x => x.id)}; }",
            WCAG_TAGGER,
        )
        self.regler.update(resultat["regler"])
        for b in resultat["brudd"]:
            self.brudd.append(f"{navn} ({page.url}): {b['id']} – {b['hjelp']} {json.dumps(b['noder'])}")
        self.sjekk_320(page, navn)

    def sjekk_320(self, page, navn: str) -> None:
        """WCAG 1.4.10 (reflow): at 320 CSS px wide the page must not scroll sideways."""
        skjerm = page.viewport_size
        page.set_viewport_size({"width": 320, "height": 640})
        try:
            bredde = page.evaluate("() => document.documentElement.scrollWidth")
        finally:
            page.set_viewport_size(skjerm)
        if bredde > 320:
            self.brudd.append(f"{navn} ({page.url}): 1.4.10 reflow – siden er {bredde}px bred ved 320 px")


_STATISTIKK: list[Tilgjengelighet] = []


@pytest.fixture
def axe():
    t = Tilgjengelighet()
    _STATISTIKK.append(t)
    yield t
    assert not t.brudd, "axe fant brudd på WCAG 2.1 A/AA:\n" + "\n".join(t.brudd)


def pytest_terminal_summary(terminalreporter):
    if _STATISTIKK:
        sider = sum(t.sider for t in _STATISTIKK)
        regler = set().union(*(t.regler for t in _STATISTIKK))
        brudd = sum(len(t.brudd) for t in _STATISTIKK)
        terminalreporter.write_line(
            f"axe-core og 320 px: {sider} sider sjekket mot {len(regler)} regler (WCAG 2.1 A/AA) og 1.4.10 reflow, "
            f"{brudd} brudd. "
            f"Skjermbilder: {SKJERMBILDER}"
        )
    for teller in _KLIKK:
        terminalreporter.write_line(f"Klikk for hele saksgangen: {teller.antall} ({', '.join(teller.handlinger)})")


@dataclass
class Klikkteller:
    """Counts what a user does with the mouse or Enter: clicks, choices in a list, ticks, file choices, and each
    page opened by address, reloaded or left with Back (a person would click a link or a bookmark there)."""

    handlinger: list[str] = field(default_factory=list)
    pause: bool = False

    @property
    def antall(self) -> int:
        return len(self.handlinger)

    def tell(self, handling: str) -> None:
        if not self.pause:
            self.handlinger.append(handling)

    @contextlib.contextmanager
    def ikke_telt(self):
        """For the test's own look at a page (checking what another role sees), which no user does."""
        self.pause = True
        try:
            yield
        finally:
            self.pause = False


_KLIKK: list[Klikkteller] = []
_TELTE = {"Locator": ("click", "check", "select_option", "set_input_files"), "Page": ("goto", "reload", "go_back")}


@pytest.fixture
def klikk(monkeypatch):
    from playwright.sync_api import Keyboard, Locator, Page

    teller = Klikkteller()
    _KLIKK.append(teller)
    for klasse in (Locator, Page):
        for navn in _TELTE[klasse.__name__]:
            opprinnelig = getattr(klasse, navn)

            def telt(self, *args, _opprinnelig=opprinnelig, _navn=navn, **kwargs):
                teller.tell(_navn)
                return _opprinnelig(self, *args, **kwargs)

            monkeypatch.setattr(klasse, navn, telt)
    trykk = Keyboard.press

    def press(self, key, *args, **kwargs):
        if key == "Enter":
            teller.tell("Enter")
        return trykk(self, key, *args, **kwargs)

    monkeypatch.setattr(Keyboard, "press", press)
    return teller
