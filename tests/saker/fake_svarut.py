"""A local fake of KS Fiks SvarUt's ForsendelseRestServiceV1 for tests.

Runs ``http.server.ThreadingHTTPServer`` on 127.0.0.1 (random free port) in a background
thread. It follows the REST v1 API under ``/tjenester/api/forsendelse/v1``:

* ``POST /sendForsendelse`` (multipart: ``forsendelse`` JSON part + one ``filer`` part per
  document) -> ``{"id": "<uuid>"}``
* ``GET /{id}/status`` -> ``{"forsendelsesId": {"id": ...}, "status": ..., "sisteStatusEndring": ms}``
* ``GET /eksternref/{ref}`` -> ``{"forsendelseIder": [{"id": ...}, ...]}``
* ``POST /statuser`` (a JSON list of ids) -> ``{"statuser": [<as GET /{id}/status>, ...]}``, unknown ids left out
* errors -> ``{"errorcode": "...", "message": "..."}`` (401 for bad Basic auth, 400 for an
  invalid shipment, 404 for an unknown id)

Use the ``fake_svarut`` fixture (import it into a conftest), or the class directly::

    with FakeSvarUt() as fake:
        klient = SvarUtKlient(fake.base_url, fake.brukernavn, fake.passord)

Moving shipments through statuses over time: ``skript(id, "AKSEPTERT", "IKKE_LEVERT")`` queues statuses for
one shipment; each ``steg()`` (a time step) moves every scripted shipment to its next status, or, with
``per_kall=True``, each question about that shipment (``/status`` or ``/statuser``) moves it first. ``legg_inn``
puts a shipment on the server without sending it (a letter sent earlier); ``feil_neste_status`` makes the next
status calls fail; ``statuskall`` holds the ids of every ``/statuser`` call, in order.

The path is written out here on purpose (not imported from the client) so that a wrong path
in the client makes the tests fail.
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import json
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

API_STI = "/tjenester/api/forsendelse/v1"


@dataclass
class MottattFil:
    filnavn: str
    content_type: str
    innhold: bytes


@dataclass
class MottattForsendelse:
    id: str
    json: dict
    filer: list[MottattFil]
    status: str = "MOTTATT"
    siste_statusendring: int = field(default_factory=lambda: int(time.time() * 1000))
    skript: list[str] = field(default_factory=list)
    per_kall: bool = False

    def flytt(self) -> None:
        if self.skript:
            self.status = self.skript.pop(0)
            self.siste_statusendring = int(time.time() * 1000)

    def som_json(self) -> dict:
        return {"forsendelsesId": {"id": self.id}, "status": self.status,
                "sisteStatusEndring": self.siste_statusendring}


@dataclass
class _PlanlagtFeil:
    status: int
    melding: str
    etter_lagring: bool


class FakeSvarUt:
    """In-memory SvarUt. Inspect ``forsendelser`` and ``kall`` in tests."""

    def __init__(self, brukernavn: str = "overgang-test", passord: str = "hemmelig-passord"):
        self.brukernavn = brukernavn
        self.passord = passord
        self.forsendelser: list[MottattForsendelse] = []
        self.kall: list[tuple[str, str]] = []  # (method, path) of every request, in order
        self._planlagte_feil: list[_PlanlagtFeil] = []
        self._statusfeil: list[_PlanlagtFeil] = []
        self.statuskall: list[list[str]] = []  # the ids asked for in each POST /statuser, in order
        self._lås = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._tråd: threading.Thread | None = None

    # -- control --------------------------------------------------------------------------

    def start(self) -> FakeSvarUt:
        fake = self

        class Handler(_Handler):
            pass

        Handler.fake = fake
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._tråd = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-svarut", daemon=True
        )
        self._tråd.start()
        return self

    def stopp(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._tråd is not None:
            self._tråd.join(timeout=5)
            self._tråd = None

    def __enter__(self) -> FakeSvarUt:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stopp()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "FakeSvarUt er ikke startet"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def feil_neste(
        self,
        n: int = 1,
        status: int = 503,
        melding: str = "Tjenesten er midlertidig utilgjengelig",
        etter_lagring: bool = False,
    ) -> None:
        """Make the next ``n`` sends fail with ``status``.

        With ``etter_lagring=True`` the shipment is stored first and only the answer fails,
        as when a response is lost after SvarUt has accepted the shipment.
        """
        with self._lås:
            self._planlagte_feil.extend(_PlanlagtFeil(status, melding, etter_lagring) for _ in range(n))

    def sett_status(self, forsendelse_id: str, status: str) -> None:
        with self._lås:
            forsendelse = self._finn(forsendelse_id)
            if forsendelse is None:
                raise KeyError(forsendelse_id)
            forsendelse.status = status
            forsendelse.siste_statusendring = int(time.time() * 1000)

    def legg_inn(self, forsendelse_id: str | None = None, status: str = "MOTTATT") -> MottattForsendelse:
        """A shipment SvarUt already has (sent earlier), without a send; returns it."""
        forsendelse = MottattForsendelse(id=forsendelse_id or str(uuid.uuid4()), json={}, filer=[], status=status)
        with self._lås:
            self.forsendelser.append(forsendelse)
        return forsendelse

    def skript(self, forsendelse_id: str, *statuser: str, per_kall: bool = False) -> None:
        """The statuses the shipment will move through, one per `steg()` (or per question, with per_kall)."""
        with self._lås:
            forsendelse = self._finn(forsendelse_id)
            if forsendelse is None:
                raise KeyError(forsendelse_id)
            forsendelse.skript.extend(statuser)
            forsendelse.per_kall = per_kall

    def steg(self, n: int = 1) -> None:
        """Let time pass: every shipment scripted by time step moves `n` statuses on."""
        with self._lås:
            for _ in range(n):
                for forsendelse in self.forsendelser:
                    if not forsendelse.per_kall:
                        forsendelse.flytt()

    def feil_neste_status(self, n: int = 1, status: int = 503, melding: str = "Tjenesten er midlertidig "
                          "utilgjengelig") -> None:
        """Make the next `n` status calls (``/status`` and ``/statuser``) fail with `status`."""
        with self._lås:
            self._statusfeil.extend(_PlanlagtFeil(status, melding, False) for _ in range(n))

    def _spurt_om(self, forsendelse: MottattForsendelse) -> dict:
        # Called with the lock held.
        if forsendelse.per_kall:
            forsendelse.flytt()
        return forsendelse.som_json()

    def _statusfeil_neste(self) -> _PlanlagtFeil | None:
        with self._lås:
            return self._statusfeil.pop(0) if self._statusfeil else None

    def hent(self, forsendelse_id: str) -> MottattForsendelse:
        with self._lås:
            forsendelse = self._finn(forsendelse_id)
        if forsendelse is None:
            raise KeyError(forsendelse_id)
        return forsendelse

    def _finn(self, forsendelse_id: str) -> MottattForsendelse | None:
        return next((f for f in self.forsendelser if f.id == forsendelse_id), None)


class _Handler(BaseHTTPRequestHandler):
    fake: FakeSvarUt
    server_version = "FakeSvarUt/1.0"

    def log_message(self, format, *args):  # noqa: A002 - keep test output quiet
        pass

    # -- helpers ------------------------------------------------------------------------------

    def _svar(self, status: int, data, headere: dict | None = None) -> None:
        innhold = json.dumps(data, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json;charset=UTF-8")
        self.send_header("Content-Length", str(len(innhold)))
        for navn, verdi in (headere or {}).items():
            self.send_header(navn, verdi)
        self.end_headers()
        self.wfile.write(innhold)

    def _feil(self, status: int, melding: str, errorcode: str = "") -> None:
        self._svar(status, {"errorcode": errorcode or str(status), "message": melding})

    def _innlogget(self) -> bool:
        forventet = base64.b64encode(f"{self.fake.brukernavn}:{self.fake.passord}".encode()).decode()
        if self.headers.get("Authorization", "") == f"Basic {forventet}":
            return True
        innhold = json.dumps({"errorcode": "401", "message": "Unauthorized"}).encode()
        self.send_response(401)
        self.send_header("WWW-Authenticate", 'Basic realm="SvarUt"')
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(innhold)))
        self.end_headers()
        self.wfile.write(innhold)
        return False

    def _les_body(self) -> bytes:
        lengde = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(lengde) if lengde else b""

    def _sti(self) -> str | None:
        sti = urllib.parse.urlsplit(self.path).path
        if not sti.startswith(API_STI + "/"):
            return None
        return sti[len(API_STI) :]

    # -- routes -------------------------------------------------------------------------------

    def do_GET(self):  # noqa: N802
        with self.fake._lås:
            self.fake.kall.append(("GET", self.path))
        sti = self._sti()
        if sti is None:
            self._feil(404, "Not Found")
            return
        if not self._innlogget():
            return
        deler = sti.strip("/").split("/")
        if len(deler) == 2 and deler[0] == "eksternref":
            ref = urllib.parse.unquote(deler[1])
            with self.fake._lås:
                ider = [{"id": f.id} for f in self.fake.forsendelser if f.json.get("eksternReferanse") == ref]
            self._svar(200, {"forsendelseIder": ider})
        elif len(deler) == 2 and deler[1] == "status":
            planlagt = self.fake._statusfeil_neste()
            if planlagt:
                self._feil(planlagt.status, planlagt.melding)
                return
            with self.fake._lås:
                forsendelse = self.fake._finn(urllib.parse.unquote(deler[0]))
                data = None if forsendelse is None else self.fake._spurt_om(forsendelse)
            if data is None:
                self._feil(404, "Fant ikke forsendelse")
            else:
                self._svar(200, data)
        else:
            self._feil(404, "Not Found")

    def do_POST(self):  # noqa: N802
        with self.fake._lås:
            self.fake.kall.append(("POST", self.path))
        body = self._les_body()
        if self._sti() == "/statuser":
            self._statuser(body)
            return
        if self._sti() != "/sendForsendelse":
            self._feil(404, "Not Found")
            return
        if not self._innlogget():
            return

        with self.fake._lås:
            planlagt = self.fake._planlagte_feil.pop(0) if self.fake._planlagte_feil else None
        if planlagt and not planlagt.etter_lagring:
            self._feil(planlagt.status, planlagt.melding)
            return

        try:
            forsendelse_json, filer = _les_multipart(self.headers.get("Content-Type", ""), body)
            _valider(forsendelse_json, filer)
        except _Ugyldig as feil:
            self._feil(400, str(feil), "VALIDERING")
            return

        forsendelse = MottattForsendelse(id=str(uuid.uuid4()), json=forsendelse_json, filer=filer)
        with self.fake._lås:
            self.fake.forsendelser.append(forsendelse)
        if planlagt:
            self._feil(planlagt.status, planlagt.melding)
            return
        self._svar(200, {"id": forsendelse.id})


    def _statuser(self, body: bytes) -> None:
        if not self._innlogget():
            return
        if not self.headers.get("Content-Type", "").lower().startswith("application/json"):
            self._feil(415, "Forventet application/json")
            return
        try:
            ider = json.loads(body.decode("utf-8"))
        except ValueError:
            self._feil(400, "Ugyldig JSON", "VALIDERING")
            return
        if not isinstance(ider, list) or not all(isinstance(i, str) for i in ider):
            self._feil(400, "Forventet en liste med forsendelses-id-er", "VALIDERING")
            return
        with self.fake._lås:
            self.fake.statuskall.append(list(ider))
        planlagt = self.fake._statusfeil_neste()
        if planlagt:
            self._feil(planlagt.status, planlagt.melding)
            return
        with self.fake._lås:
            funnet = [self.fake._finn(i) for i in ider]
            statuser = [self.fake._spurt_om(f) for f in funnet if f is not None]
        self._svar(200, {"statuser": statuser})


class _Ugyldig(Exception):
    pass


def _les_multipart(content_type: str, body: bytes) -> tuple[dict, list[MottattFil]]:
    if not content_type.lower().startswith("multipart/form-data") or "boundary=" not in content_type:
        raise _Ugyldig("Forventet multipart/form-data med boundary")
    # The email parser needs the Content-Type header in front of the body (cgi is gone in 3.13).
    melding = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n" + body
    )
    if not melding.is_multipart():
        raise _Ugyldig("Kunne ikke lese multipart-innholdet")
    forsendelse_json = None
    filer: list[MottattFil] = []
    for del_ in melding.iter_parts():
        navn = del_.get_param("name", header="content-disposition")
        innhold = del_.get_payload(decode=True) or b""
        if navn == "forsendelse":
            try:
                forsendelse_json = json.loads(innhold.decode("utf-8"))
            except ValueError as feil:
                raise _Ugyldig(f"Ugyldig JSON i forsendelse: {feil}") from None
        elif navn == "filer":
            filnavn = del_.get_filename()
            if not filnavn:
                raise _Ugyldig("Fil mangler filnavn")
            filer.append(MottattFil(filnavn, del_.get_content_type(), innhold))
        else:
            raise _Ugyldig(f"Ukjent del i multipart: {navn}")
    if forsendelse_json is None:
        raise _Ugyldig("Mangler delen 'forsendelse'")
    if not isinstance(forsendelse_json, dict):
        raise _Ugyldig("forsendelse må være et JSON-objekt")
    return forsendelse_json, filer


def _valider(data: dict, filer: list[MottattFil]) -> None:
    for felt in ("tittel", "mottaker", "dokumenter"):
        if not data.get(felt):
            raise _Ugyldig(f"Mangler påkrevd felt: {felt}")
    mottaker = data["mottaker"]
    post = mottaker.get("postAdresse")
    digital = mottaker.get("digitalAdresse")
    if not post and not digital:
        raise _Ugyldig("Mottaker må ha postAdresse eller digitalAdresse")
    if post and (not post.get("navn") or not post.get("postSted")):
        raise _Ugyldig("postAdresse må ha navn og postSted")
    if digital:
        fnr, orgnr = digital.get("fodselsNummer"), digital.get("organisasjonsNummer")
        if bool(fnr) == bool(orgnr):
            raise _Ugyldig("digitalAdresse må ha enten fodselsNummer eller organisasjonsNummer")
        if fnr and (len(fnr) != 11 or not fnr.isdigit()):
            raise _Ugyldig("fodselsNummer må ha 11 siffer")
        if orgnr and (len(orgnr) != 9 or not orgnr.isdigit()):
            raise _Ugyldig("organisasjonsNummer må ha 9 siffer")
    dokumenter = data["dokumenter"]
    if not isinstance(dokumenter, list):
        raise _Ugyldig("dokumenter må være en liste")
    for dokument in dokumenter:
        if not dokument.get("filnavn") or not dokument.get("mimeType"):
            raise _Ugyldig("Dokument mangler filnavn eller mimeType")
    if len(filer) != len(dokumenter):
        raise _Ugyldig(f"Antall filer ({len(filer)}) stemmer ikke med antall dokumenter ({len(dokumenter)})")
    if sorted(f.filnavn for f in filer) != sorted(d["filnavn"] for d in dokumenter):
        raise _Ugyldig("Filnavnene stemmer ikke med dokumentene")


@pytest.fixture
def fake_svarut():
    """A running FakeSvarUt, stopped after the test."""
    with FakeSvarUt() as fake:
        yield fake
