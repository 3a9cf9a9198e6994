"""Tests for saker.svarut against the local fake SvarUt (no database)."""

import base64
import datetime
import json
import logging
import socket
import urllib.error
import urllib.request

import pytest

from saker.svarut import (
    API_STI,
    Fil,
    Forsendelse,
    Mottaker,
    SvarUtFeil,
    SvarUtKlient,
    lag_forsendelse_json,
    lag_multipart,
)
from tests.saker.fake_svarut import FakeSvarUt
from tests.saker.test_identitet import forste_gyldige_fnr

ORGNR = "974760673"
FNR = forste_gyldige_fnr("010190")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\r\n1 0 obj\x00\xff\r\n%%EOF\n"
UTSKRIFT = b"%PDF-1.7\r\nsaksutskrift \xc3\xb8\n%%EOF"


def lag_forsendelse(
    *, orgnr: str = ORGNR, fnr: str = "", ref: str = "overgang-vedtaksbrev-1", filer=None
) -> Forsendelse:
    return Forsendelse(
        tittel="Vedtak om skoleskyss",
        mottaker=Mottaker(
            navn="Kari Nordmann" if fnr else "Brønnøysundregistrene",
            adresse="Havnegata 48",
            postnummer="8900",
            poststed="Brønnøysund",
            orgnr=orgnr if not fnr else "",
            fnr=fnr,
        ),
        filer=filer
        if filer is not None
        else [
            Fil("vedtaksbrev.pdf", "application/pdf", PDF),
            Fil("saksutskrift – PS 12-19.pdf", "application/pdf", UTSKRIFT),
        ],
        ekstern_referanse=ref,
        saksaar=2019,
        sakssekvensnummer=1234,
        saksbehandler="Sara Saksbehandler",
    )


@pytest.fixture
def fake_svarut():
    # Same as the fixture in tests/saker/fake_svarut.py; defined here so this module runs on its own.
    with FakeSvarUt() as fake:
        yield fake


def klient_for(fake, **kwargs) -> SvarUtKlient:
    return SvarUtKlient(fake.base_url, fake.brukernavn, fake.passord, **kwargs)


def sendinger(fake) -> list:
    return [kall for kall in fake.kall if kall[0] == "POST"]


# -- sending ----------------------------------------------------------------------------------


def test_send_leverer_json_og_filer(fake_svarut):
    forsendelse_id = klient_for(fake_svarut).send(lag_forsendelse())

    assert len(fake_svarut.forsendelser) == 1
    mottatt = fake_svarut.hent(forsendelse_id)
    data = mottatt.json
    assert data["tittel"] == "Vedtak om skoleskyss"
    assert data["mottaker"]["digitalAdresse"] == {"organisasjonsNummer": ORGNR}
    assert data["mottaker"]["postAdresse"] == {
        "navn": "Brønnøysundregistrene",
        "adresse1": "Havnegata 48",
        "postNummer": "8900",
        "postSted": "Brønnøysund",
        "land": "Norge",
    }
    assert data["avgivendeSystem"] == "Overgang"
    assert data["eksternReferanse"] == "overgang-vedtaksbrev-1"
    assert data["kunDigitalLevering"] is False
    assert data["dokumenter"] == [
        {"filnavn": "vedtaksbrev.pdf", "mimeType": "application/pdf", "skalSigneres": False},
        {"filnavn": "saksutskrift – PS 12-19.pdf", "mimeType": "application/pdf", "skalSigneres": False},
    ]
    metadata = data["metadataFraAvleverendeSystem"]
    assert metadata["saksAar"] == 2019
    assert metadata["saksSekvensNummer"] == 1234
    assert metadata["saksBehandler"] == "Sara Saksbehandler"

    assert [(f.filnavn, f.content_type, f.innhold) for f in mottatt.filer] == [
        ("vedtaksbrev.pdf", "application/pdf", PDF),
        ("saksutskrift – PS 12-19.pdf", "application/pdf", UTSKRIFT),
    ]
    # Idempotency check first, then the send.
    assert [k[0] for k in fake_svarut.kall] == ["GET", "POST"]
    assert fake_svarut.kall[0][1].endswith("/eksternref/overgang-vedtaksbrev-1")


def test_send_til_person_bruker_fodselsnummer(fake_svarut):
    forsendelse_id = klient_for(fake_svarut).send(lag_forsendelse(fnr=FNR))
    data = fake_svarut.hent(forsendelse_id).json
    assert data["mottaker"]["digitalAdresse"] == {"fodselsNummer": FNR}


def test_send_uten_digital_adresse_gaar_til_print(fake_svarut):
    forsendelse_id = klient_for(fake_svarut).send(lag_forsendelse(orgnr=""))
    assert "digitalAdresse" not in fake_svarut.hent(forsendelse_id).json["mottaker"]


def test_adresse_over_flere_linjer():
    forsendelse = lag_forsendelse()
    forsendelse.mottaker.adresse = "Postboks 900\nc/o Arkivet\n\nHavnegata 48"
    forsendelse.dokumentets_dato = datetime.date(2020, 1, 15)
    data = lag_forsendelse_json(forsendelse)
    post = data["mottaker"]["postAdresse"]
    assert (post["adresse1"], post["adresse2"], post["adresse3"]) == (
        "Postboks 900",
        "c/o Arkivet",
        "Havnegata 48",
    )
    assert data["metadataFraAvleverendeSystem"]["dokumentetsDato"] == 1579046400000


def test_ny_sending_med_samme_eksterne_referanse_gir_samme_id(fake_svarut):
    klient = klient_for(fake_svarut)
    forste = klient.send(lag_forsendelse())
    andre = klient.send(lag_forsendelse())

    assert andre == forste
    assert len(fake_svarut.forsendelser) == 1
    assert len(sendinger(fake_svarut)) == 1


def test_ulike_eksterne_referanser_gir_ulike_forsendelser(fake_svarut):
    klient = klient_for(fake_svarut)
    assert klient.send(lag_forsendelse(ref="a")) != klient.send(lag_forsendelse(ref="b"))
    assert len(fake_svarut.forsendelser) == 2


def test_ekstern_referanse_med_spesialtegn(fake_svarut):
    klient = klient_for(fake_svarut)
    ref = "overgang vedtaksbrev 19-01234?x=æ#1%"
    forste = klient.send(lag_forsendelse(ref=ref))
    assert klient.finn_med_ekstern_referanse(ref) == [forste]
    assert klient.send(lag_forsendelse(ref=ref)) == forste
    assert len(fake_svarut.forsendelser) == 1


def test_finn_med_ekstern_referanse_uten_treff(fake_svarut):
    assert klient_for(fake_svarut).finn_med_ekstern_referanse("finnes-ikke") == []


# -- failures and retry -----------------------------------------------------------------------


def test_503_gir_midlertidig_feil_og_nytt_forsok_lykkes(fake_svarut):
    klient = klient_for(fake_svarut)
    fake_svarut.feil_neste(1)

    with pytest.raises(SvarUtFeil) as feil:
        klient.send(lag_forsendelse())
    assert feil.value.midlertidig is True
    assert feil.value.http_status == 503
    assert "Prøv igjen senere" in str(feil.value)
    assert fake_svarut.forsendelser == []

    forsendelse_id = klient.send(lag_forsendelse())
    assert [f.id for f in fake_svarut.forsendelser] == [forsendelse_id]


def test_flere_feil_paa_rad(fake_svarut):
    klient = klient_for(fake_svarut)
    fake_svarut.feil_neste(2, status=502)
    for _ in range(2):
        with pytest.raises(SvarUtFeil) as feil:
            klient.send(lag_forsendelse())
        assert feil.value.midlertidig
    klient.send(lag_forsendelse())
    assert len(fake_svarut.forsendelser) == 1


def test_tapt_svar_etter_mottak_sendes_ikke_paa_nytt(fake_svarut):
    """SvarUt stored the shipment, but the answer was lost: the retry must not send it again."""
    klient = klient_for(fake_svarut)
    fake_svarut.feil_neste(1, etter_lagring=True)

    with pytest.raises(SvarUtFeil) as feil:
        klient.send(lag_forsendelse())
    assert feil.value.midlertidig is True
    assert len(fake_svarut.forsendelser) == 1

    forsendelse_id = klient.send(lag_forsendelse())
    assert forsendelse_id == fake_svarut.forsendelser[0].id
    assert len(fake_svarut.forsendelser) == 1
    assert len(sendinger(fake_svarut)) == 1


def test_feil_passord_gir_permanent_feil(fake_svarut):
    klient = SvarUtKlient(fake_svarut.base_url, fake_svarut.brukernavn, "feil-passord")
    with pytest.raises(SvarUtFeil) as feil:
        klient.send(lag_forsendelse())
    assert feil.value.midlertidig is False
    assert feil.value.http_status == 401
    assert "brukernavn og passord" in str(feil.value)
    assert "feil-passord" not in str(feil.value)
    assert fake_svarut.forsendelser == []

    with pytest.raises(SvarUtFeil) as feil:
        klient.status("00000000-0000-0000-0000-000000000000")
    assert feil.value.midlertidig is False


def test_400_er_permanent_og_tar_med_meldingen_fra_svarut(fake_svarut):
    fake_svarut.feil_neste(1, status=400, melding="Ugyldig postnummer")
    with pytest.raises(SvarUtFeil) as feil:
        klient_for(fake_svarut).send(lag_forsendelse())
    assert feil.value.midlertidig is False
    assert "Ugyldig postnummer" in str(feil.value)


def test_429_er_midlertidig(fake_svarut):
    fake_svarut.feil_neste(1, status=429, melding="Too many requests")
    with pytest.raises(SvarUtFeil) as feil:
        klient_for(fake_svarut).send(lag_forsendelse())
    assert feil.value.midlertidig is True


def test_ingen_kontakt_er_midlertidig():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    # Nothing listens on the port any more.
    klient = SvarUtKlient(f"http://127.0.0.1:{port}", "bruker", "passord", timeout=2)
    with pytest.raises(SvarUtFeil) as feil:
        klient.send(lag_forsendelse())
    assert feil.value.midlertidig is True
    assert "kontakt" in str(feil.value)


def test_tidsavbrudd_er_midlertidig():
    with socket.socket() as lytter:
        lytter.bind(("127.0.0.1", 0))
        lytter.listen()  # accepts connections (backlog) but never answers
        port = lytter.getsockname()[1]
        klient = SvarUtKlient(f"http://127.0.0.1:{port}", "bruker", "passord", timeout=0.3)
        with pytest.raises(SvarUtFeil) as feil:
            klient.status("00000000-0000-0000-0000-000000000000")
    assert feil.value.midlertidig is True
    assert "i tide" in str(feil.value)


# -- status -----------------------------------------------------------------------------------


def test_status(fake_svarut):
    klient = klient_for(fake_svarut)
    forsendelse_id = klient.send(lag_forsendelse())
    assert klient.status(forsendelse_id) == "MOTTATT"

    fake_svarut.sett_status(forsendelse_id, "LEST")
    assert klient.status(forsendelse_id) == "LEST"


def test_status_for_ukjent_forsendelse(fake_svarut):
    with pytest.raises(SvarUtFeil) as feil:
        klient_for(fake_svarut).status("00000000-0000-0000-0000-000000000000")
    assert feil.value.midlertidig is False
    assert feil.value.http_status == 404


# -- the fødselsnummer never leaks ------------------------------------------------------------


def test_fodselsnummer_vises_aldri_i_feilmelding(fake_svarut, caplog):
    caplog.set_level(logging.DEBUG, logger="saker.svarut")
    fake_svarut.feil_neste(1, status=400, melding=f"Mottaker {FNR} finnes ikke i KRR")
    with pytest.raises(SvarUtFeil) as feil:
        klient_for(fake_svarut).send(lag_forsendelse(fnr=FNR))

    assert feil.value.midlertidig is False
    assert FNR not in str(feil.value)
    assert FNR not in feil.value.melding
    assert FNR not in repr(feil.value)
    assert f"{FNR[:6]}*****" in str(feil.value)
    assert FNR not in caplog.text


def test_fodselsnummer_med_mellomrom_i_servermelding_skjules(fake_svarut):
    fake_svarut.feil_neste(1, status=422, melding=f"Ugyldig: {FNR[:6]} {FNR[6:]}")
    with pytest.raises(SvarUtFeil) as feil:
        klient_for(fake_svarut).send(lag_forsendelse(fnr=FNR))
    assert FNR[6:] not in str(feil.value)


def test_ugyldig_fodselsnummer_stoppes_lokalt_uten_aa_vise_nummeret(fake_svarut):
    ugyldig = FNR[:-1] + str((int(FNR[-1]) + 1) % 10)
    with pytest.raises(SvarUtFeil) as feil:
        klient_for(fake_svarut).send(lag_forsendelse(fnr=ugyldig))
    assert feil.value.midlertidig is False
    assert str(feil.value) == "Fødselsnummeret har feil kontrollsiffer."
    assert fake_svarut.kall == []


def test_mottaker_repr_skjuler_fodselsnummer():
    mottaker = lag_forsendelse(fnr=FNR).mottaker
    assert FNR not in repr(mottaker)
    assert FNR not in repr(lag_forsendelse(fnr=FNR))


# -- local validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endring", "melding"),
    [
        (lambda f: setattr(f.mottaker, "fnr", FNR), "både organisasjonsnummer og fødselsnummer"),
        (lambda f: setattr(f, "filer", []), "minst ett dokument"),
        (lambda f: setattr(f, "ekstern_referanse", ""), "ekstern referanse"),
        (lambda f: setattr(f, "ekstern_referanse", "vedtak/19"), "kan ikke inneholde /"),
        (lambda f: setattr(f.filer[1], "filnavn", "vedtaksbrev.pdf"), "brukt to ganger"),
        (lambda f: setattr(f.filer[0], "filnavn", "vedtak 19/01234.pdf"), "kan ikke inneholde"),
        (lambda f: setattr(f.mottaker, "orgnr", "974760674"), "feil kontrollsiffer"),
    ],
)
def test_ugyldig_forsendelse_stoppes_for_sending(fake_svarut, endring, melding):
    forsendelse = lag_forsendelse()
    endring(forsendelse)
    with pytest.raises(SvarUtFeil) as feil:
        klient_for(fake_svarut).send(forsendelse)
    assert feil.value.midlertidig is False
    assert melding in str(feil.value)
    assert fake_svarut.kall == []


def test_base_url_maa_vaere_http_eller_https():
    with pytest.raises(ValueError):
        SvarUtKlient("file:///etc", "bruker", "passord")


# -- the fake itself --------------------------------------------------------------------------


def _post_raa(fake, body: bytes, content_type: str, passord: str | None = None):
    auth = base64.b64encode(f"{fake.brukernavn}:{passord or fake.passord}".encode()).decode()
    request = urllib.request.Request(
        fake.base_url + API_STI + "/sendForsendelse",
        data=body,
        headers={"Content-Type": content_type, "Authorization": f"Basic {auth}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as respons:
            return respons.status, json.loads(respons.read())
    except urllib.error.HTTPError as feil:
        return feil.code, json.loads(feil.read())


def test_fake_avviser_feil_antall_filer(fake_svarut):
    forsendelse = lag_forsendelse()
    body, content_type = lag_multipart(lag_forsendelse_json(forsendelse), forsendelse.filer[:1])
    status, svar = _post_raa(fake_svarut, body, content_type)
    assert status == 400
    assert "Antall filer" in svar["message"]
    assert fake_svarut.forsendelser == []


def test_fake_avviser_manglende_felt(fake_svarut):
    forsendelse = lag_forsendelse()
    data = lag_forsendelse_json(forsendelse)
    del data["tittel"]
    body, content_type = lag_multipart(data, forsendelse.filer)
    status, svar = _post_raa(fake_svarut, body, content_type)
    assert status == 400
    assert "tittel" in svar["message"]


def test_fake_krever_basic_auth(fake_svarut):
    forsendelse = lag_forsendelse()
    body, content_type = lag_multipart(lag_forsendelse_json(forsendelse), forsendelse.filer)
    status, _ = _post_raa(fake_svarut, body, content_type, passord="galt")
    assert status == 401
    with pytest.raises(urllib.error.HTTPError) as feil:
        urllib.request.urlopen(fake_svarut.base_url + API_STI + "/eksternref/x", timeout=5)
    assert feil.value.code == 401
