"""A real OpenID Connect provider on loopback (tests/oidc/provider: panva's certified oidc-provider under Debian's
node), and Overgang set up to sign in through it. Absent node or npm skips these tests, or fails them under
REQUIRE_SERVICES=1."""

import json
import secrets
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from django.contrib.auth.models import Group

from overgang.innlogging import leverandor as innlogging_leverandor
from overgang.innlogging.kobling import Gruppe
from overgang.organisasjon.models import Rolle
from tests.e2e.conftest import CHROMIUM_ARGS
from tests.factories import ArkivsystemFactory, KommunalomradeFactory, KommuneFactory
from tests.tjenester import krev_chromium, krev_node, mangler

MAPPE = Path(__file__).parent / "provider"
TILBAKE = "/innlogging/oidc/callback/"

# Group object ids, as Entra sends them.
SAKSBEHANDLERE_SKEDSMO = "2f9c1a4e-0b1d-4c55-9a51-6f1e3c7d8a01"
GODKJENNERE_OPPVEKST = "7b3e5d20-4a6f-4e1c-8d2b-1c9f0e6a5b02"
SEKRETARIATET = "c1d2e3f4-5a6b-4c7d-8e9f-0a1b2c3d4e03"
KANTINA = "99999999-0000-4000-8000-000000000004"  # a group Overgang knows nothing about

GRUPPER = {
    SAKSBEHANDLERE_SKEDSMO: {"rolle": "saksbehandler", "kommunalomrade": "Oppvekst og utdanning",
                             "kommune": "skedsmo", "arkivsystem": "ePhorte"},
    GODKJENNERE_OPPVEKST: {"rolle": "godkjenner", "kommunalomrade": "Oppvekst og utdanning"},
    SEKRETARIATET: {"rolle": "sekretariat"},
}
PASSORD = "Sommer-i-Lillestrøm-2026"
KONTOER = {
    "kari": {"sub": "pairwise-kari-3f1d", "oid": "0a6e8f0c-kari-4d3c-9b1e-5f7a2c4e6d81", "name": "Kari Nordmann",
             "given_name": "Kari", "family_name": "Nordmann", "email": "kari.nordmann@lillestrom.kommune.no",
             "preferred_username": "kari.nordmann@lillestrom.kommune.no", "groups": [GODKJENNERE_OPPVEKST]},
    "sara": {"sub": "pairwise-sara-8c2a", "oid": "5d1b3a7e-sara-4f2a-8c6d-0e9b7a5c3d12", "name": "Sara Berg",
             "given_name": "Sara", "family_name": "Berg", "email": "sara.berg@lillestrom.kommune.no",
             "preferred_username": "sara.berg@lillestrom.kommune.no", "groups": [SAKSBEHANDLERE_SKEDSMO, KANTINA]},
    "ola": {"sub": "pairwise-ola-77e0", "oid": "8e2c4a6f-ola-4b1d-9e3f-2a4c6e8f0b23", "name": "Ola Kantine",
            "given_name": "Ola", "family_name": "Kantine", "email": "ola@lillestrom.kommune.no",
            "preferred_username": "ola@lillestrom.kommune.no", "groups": [KANTINA]},
}


@dataclass
class Leverandor:
    issuer: str
    client_id: str
    client_secret: str
    admin_token: str
    logg: Path
    kontoer: dict = field(default_factory=dict)

    def _styr(self, sti: str, data: dict) -> None:
        svar = requests.post(f"{self.issuer}{sti}", json=data, timeout=5,
                             headers={"Authorization": f"Bearer {self.admin_token}"})
        assert svar.status_code == 204, svar.text

    def sett_grupper(self, login: str, grupper: list[str]) -> None:
        self._styr("/__test/konto", {"login": login, "groups": grupper})

    def odelegg_neste_token(self, modus: str | None) -> None:
        """"utlopt": the next ID token expired; "fremmed_nokkel": signed with a key the provider never published."""
        self._styr("/__test/feil", {"modus": modus})


def _ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_leverandor(tmp_path_factory):
    node, npm = krev_node()
    if not (MAPPE / "node_modules" / "oidc-provider").is_dir():
        # .ci/run installs them first; a developer's first run does it here (package-lock.json pins every version).
        resultat = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=MAPPE, capture_output=True, text=True,
                                  timeout=600)
        if resultat.returncode != 0:
            mangler(f"npm ci for tests/oidc/provider feilet:\n{resultat.stderr[-2000:]}")
    mappe = tmp_path_factory.mktemp("oidc")
    port = _ledig_port()
    lev = Leverandor(issuer=f"http://127.0.0.1:{port}", client_id="overgang-test",
                     client_secret=secrets.token_urlsafe(24), admin_token=secrets.token_urlsafe(24),
                     logg=mappe / "provider.log", kontoer=KONTOER)
    konfig = mappe / "konfig.json"
    konfig.write_text(json.dumps({
        "client_id": lev.client_id, "client_secret": lev.client_secret, "admin_token": lev.admin_token,
        # Loopback without a port: the provider allows any port on it (the live server's, or none for the test
        # client, which we point at "localhost").
        "redirect_uris": [f"http://localhost{TILBAKE}"],
        "post_logout_redirect_uris": ["http://localhost/logg-inn/"],
        "kontoer": {login: {**konto, "passord": PASSORD} for login, konto in KONTOER.items()},
    }))
    with open(lev.logg, "w") as logg:
        prosess = subprocess.Popen([node, "server.js"], cwd=MAPPE, stdout=logg, stderr=subprocess.STDOUT,
                                   env={"PORT": str(port), "KONFIG": str(konfig), "PATH": "/usr/bin:/bin"})
    try:
        for _ in range(200):
            if prosess.poll() is not None:
                break
            try:
                if requests.get(f"{lev.issuer}/.well-known/openid-configuration", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        else:
            pytest.fail(f"OIDC-leverandøren svarte ikke:\n{lev.logg.read_text()}")
        if prosess.poll() is not None:
            pytest.fail(f"OIDC-leverandøren stoppet:\n{lev.logg.read_text()}")
        yield lev
    finally:
        prosess.terminate()
        try:
            prosess.wait(timeout=10)
        except subprocess.TimeoutExpired:
            prosess.kill()


@pytest.fixture
def organisasjon(db):
    for rolle in Rolle.values:  # made by a migration, but a transactional test empties the tables
        Group.objects.get_or_create(name=rolle)
    return {
        "oppvekst": KommunalomradeFactory(navn="Oppvekst og utdanning"),
        "skedsmo": KommuneFactory(navn="Skedsmo", kode="skedsmo"),
        "ephorte": ArkivsystemFactory(navn="ePhorte"),
    }


@pytest.fixture
def oidc(settings, oidc_leverandor, organisasjon):
    """Overgang signing in through the test provider, as base.py sets it up from the environment; each test
    starts with the accounts' own groups."""
    settings.OIDC_ISSUER = oidc_leverandor.issuer
    settings.OIDC_RP_CLIENT_ID = oidc_leverandor.client_id
    settings.OIDC_RP_CLIENT_SECRET = oidc_leverandor.client_secret
    settings.OIDC_GRUPPER = {gid: Gruppe(**verdi) for gid, verdi in GRUPPER.items()}
    csp = json.loads(json.dumps(settings.CONTENT_SECURITY_POLICY))
    csp["DIRECTIVES"]["form-action"].append(oidc_leverandor.issuer)
    settings.CONTENT_SECURITY_POLICY = csp
    for login, konto in KONTOER.items():
        oidc_leverandor.sett_grupper(login, konto["groups"])
    oidc_leverandor.odelegg_neste_token(None)
    innlogging_leverandor.glem()
    yield oidc_leverandor
    innlogging_leverandor.glem()


@pytest.fixture(scope="session")
def browser_type_launch_args():
    """Debian's Chromium, as in tests/e2e."""
    return {"executable_path": krev_chromium(), "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def orm_ved_siden_av_playwright():
    # As in tests/e2e: Playwright's sync API keeps an event loop in this thread for the rest of the session.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


def til_leverandoren_og_tilbake(autorisasjon: str, login: str, passord: str = PASSORD,
                                sesjon: requests.Session | None = None) -> tuple[str, requests.Session]:
    """Follow the authorization URL through the provider as a browser would, signing in as `login` when asked,
    up to the redirect back to Overgang. Returns that URL (with code and state) and the provider's session."""
    sesjon = sesjon or requests.Session()
    url = autorisasjon
    for _ in range(20):
        svar = sesjon.get(url, allow_redirects=False, timeout=5)
        if svar.status_code == 200 and 'name="passord"' in svar.text:
            handling = svar.text.split('action="', 1)[1].split('"', 1)[0]
            svar = sesjon.post(urljoin(url, handling), data={"brukernavn": login, "passord": passord},
                               allow_redirects=False, timeout=5)
        assert svar.status_code in (302, 303), f"{svar.status_code} fra {url}:\n{svar.text[:1000]}"
        url = urljoin(url, svar.headers["Location"])
        if urlsplit(url).path == TILBAKE:
            return url, sesjon
    raise AssertionError("kom aldri tilbake til Overgang")

