"""A small client for KS Fiks SvarUt, ``ForsendelseRestServiceV1`` (REST v1, HTTP Basic auth).

Endpoints used (relative to ``{base_url}/tjenester/api/forsendelse/v1``):

* ``POST /sendForsendelse``: multipart/form-data with a part ``forsendelse`` (JSON) and one
  part ``filer`` per file; answers ``{"id": "<uuid>"}``.
* ``GET /{id}/status``: answers ``{"forsendelsesId": {"id": ...}, "status": "...",
  "sisteStatusEndring": <epoch ms>}``.
* ``GET /eksternref/{eksternref}``: answers ``{"forsendelseIder": [{"id": ...}, ...]}``.
* ``POST /statuser``: a JSON list of ids; answers ``{"statuser": [<as GET /{id}/status>, ...]}``.
* Errors: ``{"errorcode": "...", "message": "..."}``.

The JSON field names follow KS's schema (``svarut-rest-klient/json/forsendelse.json``).

The external reference is the idempotency key: ``send`` first asks SvarUt whether a shipment
with that reference exists and, if so, returns its id instead of sending the letter again.
A digital delivery cannot be called back, so a retry must never create a second shipment.

A national identity number (fødselsnummer) never appears in log lines or exception messages.
"""

from __future__ import annotations

import base64
import datetime
import http.client
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from saker.identitet import masker_fnr, skjul_fnr, valider_fnr, valider_orgnr
from saker.svarut_status import Status, les_status, normaliser_status

logger = logging.getLogger(__name__)

API_STI = "/tjenester/api/forsendelse/v1"
AVGIVENDE_SYSTEM = "Overgang"

# Characters SvarUt does not allow in a file name, and its maximum length.
_ULOVLIGE_TEGN_I_FILNAVN = set('"<>?*|:\\/')
_MAKS_FILNAVN = 226
_MAKS_SERVERMELDING = 500


class SvarUtFeil(Exception):
    """A failed call to SvarUt.

    ``midlertidig`` is True when it makes sense to try again later (HTTP 5xx, 408, 429,
    connection errors, timeouts) and False when the request itself is wrong (other 4xx).
    The message is Norwegian and safe to show to a user: it never contains a fødselsnummer.
    """

    def __init__(self, melding: str, midlertidig: bool, http_status: int | None = None):
        self.melding = skjul_fnr(melding)
        self.midlertidig = midlertidig
        self.http_status = http_status
        super().__init__(self.melding)


@dataclass
class Mottaker:
    """The recipient. ``adresse`` may hold up to three lines separated by newlines.

    Give ``orgnr`` or ``fnr`` (not both) for digital delivery; with neither, SvarUt can only
    send the letter on paper to the postal address.
    """

    navn: str
    adresse: str
    postnummer: str
    poststed: str
    orgnr: str = ""
    fnr: str = field(default="", repr=False)
    land: str = "Norge"

    def __repr__(self) -> str:  # keep the fødselsnummer out of logs and tracebacks
        fnr = f", fnr={masker_fnr(self.fnr)!r}" if self.fnr else ""
        return (
            f"Mottaker(navn={self.navn!r}, postnummer={self.postnummer!r}, poststed={self.poststed!r}, "
            f"orgnr={self.orgnr!r}{fnr})"
        )


@dataclass
class Fil:
    filnavn: str
    mimetype: str
    innhold: bytes = field(repr=False)


@dataclass
class Forsendelse:
    tittel: str
    mottaker: Mottaker
    filer: list[Fil]
    ekstern_referanse: str
    saksaar: int | None = None
    sakssekvensnummer: int | None = None
    saksbehandler: str = ""
    journalaar: int | None = None
    journalsekvensnummer: int | None = None
    journalpostnummer: int | None = None
    dokumentets_dato: datetime.date | None = None
    # An exempt case's letter: the recipient must log in at level 4 (ID-porten) to read it, and SvarUt keeps it
    # encrypted on the way (KS: krevNiva4Innlogging, kryptert).
    skjermet: bool = False


def _epoch_ms(dato: datetime.date) -> int:
    if not isinstance(dato, datetime.datetime):
        dato = datetime.datetime(dato.year, dato.month, dato.day)
    if dato.tzinfo is None:
        dato = dato.replace(tzinfo=datetime.UTC)
    return int(dato.timestamp() * 1000)


def _postadresse(mottaker: Mottaker) -> dict:
    linjer = [linje.strip() for linje in (mottaker.adresse or "").splitlines() if linje.strip()]
    if len(linjer) > 3:
        linjer = [*linjer[:2], ", ".join(linjer[2:])]
    adresse = {"navn": mottaker.navn}
    for nummer, linje in enumerate(linjer, start=1):
        adresse[f"adresse{nummer}"] = linje
    adresse["postNummer"] = mottaker.postnummer
    adresse["postSted"] = mottaker.poststed
    adresse["land"] = mottaker.land
    return adresse


def _digital_adresse(mottaker: Mottaker) -> dict | None:
    if mottaker.orgnr and mottaker.fnr:
        raise SvarUtFeil(
            "Mottakeren kan ikke ha både organisasjonsnummer og fødselsnummer.", midlertidig=False
        )
    try:
        if mottaker.orgnr:
            return {"organisasjonsNummer": valider_orgnr(mottaker.orgnr)}
        if mottaker.fnr:
            return {"fodselsNummer": valider_fnr(mottaker.fnr)}
    except ValidationError as feil:
        raise SvarUtFeil(" ".join(feil.messages), midlertidig=False) from None
    return None


def _sjekk_filer(filer: list[Fil]) -> None:
    if not filer:
        raise SvarUtFeil("Forsendelsen må ha minst ett dokument.", midlertidig=False)
    sett: set[str] = set()
    for fil in filer:
        if not fil.filnavn or len(fil.filnavn) > _MAKS_FILNAVN:
            raise SvarUtFeil(f"Filnavnet må ha mellom 1 og {_MAKS_FILNAVN} tegn.", midlertidig=False)
        if _ULOVLIGE_TEGN_I_FILNAVN & set(fil.filnavn) or any(ord(t) < 32 for t in fil.filnavn):
            raise SvarUtFeil(
                f'Filnavnet «{fil.filnavn}» kan ikke inneholde tegnene " < > ? * | : \\ /.',
                midlertidig=False,
            )
        if fil.filnavn in sett:
            raise SvarUtFeil(f"Filnavnet «{fil.filnavn}» er brukt to ganger.", midlertidig=False)
        sett.add(fil.filnavn)


def lag_forsendelse_json(forsendelse: Forsendelse) -> dict:
    """Build the ``forsendelse`` JSON object (KS's schema) for one shipment."""
    if not forsendelse.ekstern_referanse:
        raise SvarUtFeil("Forsendelsen mangler ekstern referanse.", midlertidig=False)
    if "/" in forsendelse.ekstern_referanse or "\\" in forsendelse.ekstern_referanse:
        # It goes into the URL path of the eksternref lookup; servers often refuse an encoded slash.
        raise SvarUtFeil("Den eksterne referansen kan ikke inneholde / eller \\.", midlertidig=False)
    _sjekk_filer(forsendelse.filer)
    mottaker: dict = {"postAdresse": _postadresse(forsendelse.mottaker)}
    digital = _digital_adresse(forsendelse.mottaker)
    if digital:
        mottaker["digitalAdresse"] = digital

    metadata: dict = {"tittel": forsendelse.tittel}
    for nokkel, verdi in (
        ("saksAar", forsendelse.saksaar),
        ("saksSekvensNummer", forsendelse.sakssekvensnummer),
        ("journalAar", forsendelse.journalaar),
        ("journalSekvensNummer", forsendelse.journalsekvensnummer),
        ("journalPostNummer", forsendelse.journalpostnummer),
    ):
        if verdi is not None:
            metadata[nokkel] = int(verdi)
    if forsendelse.dokumentets_dato is not None:
        metadata["dokumentetsDato"] = _epoch_ms(forsendelse.dokumentets_dato)
    if forsendelse.saksbehandler:
        metadata["saksBehandler"] = forsendelse.saksbehandler
    metadata["ekstraMetadata"] = []

    return {
        "tittel": forsendelse.tittel,
        "mottaker": mottaker,
        "avgivendeSystem": AVGIVENDE_SYSTEM,
        "eksternReferanse": forsendelse.ekstern_referanse,
        "kunDigitalLevering": False,
        "krevNiva4Innlogging": forsendelse.skjermet,
        "kryptert": forsendelse.skjermet,
        "utskriftsKonfigurasjon": {"utskriftMedFarger": False, "tosidig": True},
        "dokumenter": [
            {"filnavn": fil.filnavn, "mimeType": fil.mimetype, "skalSigneres": False}
            for fil in forsendelse.filer
        ],
        "metadataFraAvleverendeSystem": metadata,
    }


def _header_verdi(tekst: str) -> str:
    """Quote a value for a Content-Disposition parameter (RFC 7578: raw UTF-8, escaped quotes)."""
    return tekst.replace("\\", "\\\\").replace('"', '\\"').replace("\r", " ").replace("\n", " ")


def lag_multipart(forsendelse_json: dict, filer: list[Fil]) -> tuple[bytes, str]:
    """Encode the shipment as multipart/form-data. Returns (body, content type)."""
    grense = f"----OvergangSvarUt{uuid.uuid4().hex}"
    deler: list[bytes] = []
    deler.append(
        (
            f"--{grense}\r\n"
            'Content-Disposition: form-data; name="forsendelse"\r\n'
            "Content-Type: application/json; charset=utf-8\r\n\r\n"
        ).encode()
        + json.dumps(forsendelse_json, ensure_ascii=False).encode()
        + b"\r\n"
    )
    for fil in filer:
        deler.append(
            (
                f"--{grense}\r\n"
                f'Content-Disposition: form-data; name="filer"; filename="{_header_verdi(fil.filnavn)}"\r\n'
                f"Content-Type: {fil.mimetype or 'application/octet-stream'}\r\n\r\n"
            ).encode()
            + fil.innhold
            + b"\r\n"
        )
    deler.append(f"--{grense}--\r\n".encode())
    return b"".join(deler), f"multipart/form-data; boundary={grense}"


class SvarUtKlient:
    """Client for SvarUt's ForsendelseRestServiceV1.

    ``base_url`` is the server only, e.g. ``https://svarut.ks.no`` (test:
    ``https://test.svarut.ks.no``). ``brukernavn`` is the sender's name (avsender) and
    ``passord`` its service password. KS recommends a long read timeout (up to 16 minutes)
    for large uploads; the idempotent ``send`` makes a retry after a timeout safe.
    """

    def __init__(self, base_url: str, brukernavn: str, passord: str, timeout: float = 10):
        if urllib.parse.urlsplit(base_url).scheme not in ("http", "https"):
            raise ValueError("SvarUt-adressen må begynne med https:// (eller http:// i test).")
        self.base_url = base_url.rstrip("/")
        self.brukernavn = brukernavn
        self._passord = passord
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"SvarUtKlient(base_url={self.base_url!r}, brukernavn={self.brukernavn!r})"

    # -- public API -------------------------------------------------------------------------

    def send(self, forsendelse: Forsendelse) -> str:
        """Send the shipment and return its id.

        If SvarUt already has a shipment with the same external reference (for example
        because an earlier attempt timed out after SvarUt had received it), that shipment's
        id is returned and nothing is sent.
        """
        forsendelse_json = lag_forsendelse_json(forsendelse)
        eksisterende = self.finn_med_ekstern_referanse(forsendelse.ekstern_referanse)
        if eksisterende:
            if len(eksisterende) > 1:
                logger.warning(
                    "SvarUt har %d forsendelser med ekstern referanse %s; bruker den første.",
                    len(eksisterende),
                    forsendelse.ekstern_referanse,
                )
            logger.info(
                "Forsendelse med ekstern referanse %s finnes alt i SvarUt (id %s); sender ikke på nytt.",
                forsendelse.ekstern_referanse,
                eksisterende[0],
            )
            return eksisterende[0]

        body, content_type = lag_multipart(forsendelse_json, forsendelse.filer)
        svar = self._kall("POST", "/sendForsendelse", body=body, content_type=content_type)
        forsendelse_id = svar.get("id") if isinstance(svar, dict) else None
        if not forsendelse_id:
            raise SvarUtFeil("SvarUt svarte uten forsendelses-id.", midlertidig=True)
        logger.info(
            "Sendte forsendelse %s til SvarUt (ekstern referanse %s).",
            forsendelse_id,
            forsendelse.ekstern_referanse,
        )
        return str(forsendelse_id)

    def status(self, forsendelse_id: str) -> str:
        """Return the shipment's current status, e.g. "MOTTATT", "LEST" or "SENDT_PRINT"."""
        svar = self._kall("GET", f"/{urllib.parse.quote(str(forsendelse_id), safe='')}/status")
        status = svar.get("status") if isinstance(svar, dict) else None
        if not status:
            raise SvarUtFeil("SvarUt svarte uten status for forsendelsen.", midlertidig=True)
        return normaliser_status(status)

    def statuser(self, forsendelse_ider: list[str]) -> list[Status]:
        """The statuses of many shipments in one call (``POST /statuser``). Ids SvarUt does not know are left
        out of the answer; the caller batches (KS gives no limit, so keep each call to a few hundred ids)."""
        if not forsendelse_ider:
            return []
        body = json.dumps([str(i) for i in forsendelse_ider]).encode()
        svar = self._kall("POST", "/statuser", body=body, content_type="application/json", ikke_funnet_er_tomt=True)
        if svar is None:  # KS's own client reads a 404 here as "none of these"
            return []
        rader = svar.get("statuser") if isinstance(svar, dict) else None
        if not isinstance(rader, list):
            raise SvarUtFeil("Uventet svar fra SvarUt ved henting av statuser.", midlertidig=True)
        return [s for s in map(les_status, rader) if s is not None]

    def finn_med_ekstern_referanse(self, ekstern_referanse: str) -> list[str]:
        """Return the ids of shipments with this external reference (empty if none)."""
        sti = f"/eksternref/{urllib.parse.quote(ekstern_referanse, safe='')}"
        svar = self._kall("GET", sti, ikke_funnet_er_tomt=True)
        if svar is None:
            return []
        if isinstance(svar, dict):
            svar = svar.get("forsendelseIder") or []
        if not isinstance(svar, list):
            raise SvarUtFeil("Uventet svar fra SvarUt ved oppslag på ekstern referanse.", midlertidig=True)
        ider = []
        for element in svar:
            verdi = element.get("id") if isinstance(element, dict) else element
            if verdi:
                ider.append(str(verdi))
        return ider

    # -- HTTP ---------------------------------------------------------------------------------

    def _kall(
        self,
        metode: str,
        sti: str,
        *,
        body: bytes | None = None,
        content_type: str | None = None,
        ikke_funnet_er_tomt: bool = False,
    ):
        url = self.base_url + API_STI + sti
        legitimasjon = base64.b64encode(f"{self.brukernavn}:{self._passord}".encode()).decode("ascii")
        headere = {"Authorization": f"Basic {legitimasjon}", "Accept": "application/json"}
        if content_type:
            headere["Content-Type"] = content_type
        # The scheme is checked in __init__ (http/https only).
        request = urllib.request.Request(url, data=body, headers=headere, method=metode)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as respons:  # noqa: S310
                innhold = respons.read()
        except urllib.error.HTTPError as feil:
            if feil.code == 404 and ikke_funnet_er_tomt:
                return None
            raise self._http_feil(feil) from None
        except (TimeoutError, urllib.error.URLError, http.client.HTTPException, OSError) as feil:
            grunn = getattr(feil, "reason", feil)
            if isinstance(grunn, TimeoutError) or isinstance(feil, TimeoutError):
                melding = "SvarUt svarte ikke i tide. Prøv igjen senere."
            else:
                melding = "Fikk ikke kontakt med SvarUt. Prøv igjen senere."
            logger.warning("Kall til SvarUt feilet (%s %s): %s", metode, url, type(grunn).__name__)
            raise SvarUtFeil(melding, midlertidig=True) from None
        if not innhold.strip():
            return None
        try:
            return json.loads(innhold)
        except ValueError:
            raise SvarUtFeil("Uventet svar fra SvarUt (ikke JSON).", midlertidig=True) from None

    @staticmethod
    def _http_feil(feil: urllib.error.HTTPError) -> SvarUtFeil:
        try:
            innhold = feil.read()
        except (OSError, http.client.HTTPException):  # the body is only extra detail
            innhold = b""
        servermelding = ""
        try:
            data = json.loads(innhold)
            if isinstance(data, dict):
                servermelding = str(data.get("message") or data.get("errorcode") or "")
        except ValueError:
            servermelding = innhold.decode("utf-8", "replace")
        servermelding = " ".join(servermelding.split())[:_MAKS_SERVERMELDING]
        kode = feil.code
        if kode in (401, 403):
            melding = "SvarUt avviste innloggingen. Sjekk brukernavn og passord for SvarUt."
            if kode == 403:
                melding = "Avsenderen har ikke tilgang til denne tjenesten i SvarUt."
            midlertidig = False
        elif kode == 404:
            melding, midlertidig = "Fant ikke forsendelsen i SvarUt.", False
        elif kode in (408, 429):
            melding, midlertidig = "SvarUt er opptatt. Prøv igjen senere.", True
        elif kode >= 500:
            melding, midlertidig = f"SvarUt er ikke tilgjengelig (HTTP {kode}). Prøv igjen senere.", True
        else:
            melding, midlertidig = f"SvarUt avviste forsendelsen (HTTP {kode}).", False
        if servermelding and kode not in (401, 403):
            melding = f"{melding} Melding fra SvarUt: {servermelding}"
        logger.warning("SvarUt svarte HTTP %s: %s", kode, skjul_fnr(servermelding))
        return SvarUtFeil(melding, midlertidig=midlertidig, http_status=kode)
