"""The client's batch status call (saker.svarut.SvarUtKlient.statuser) against the local fake SvarUt."""

import datetime

import pytest

from saker.svarut import SvarUtFeil, SvarUtKlient
from saker.svarut_status import les_status, normaliser_status
from tests.saker.fake_svarut import FakeSvarUt


@pytest.fixture
def fake():
    with FakeSvarUt() as server:
        yield server


def klient(fake) -> SvarUtKlient:
    return SvarUtKlient(fake.base_url, fake.brukernavn, fake.passord, timeout=5)


def test_many_statuses_come_in_one_call_in_one_spelling(fake):
    a, b = fake.legg_inn(status="MOTTAT"), fake.legg_inn(status="LEST")
    statuser = klient(fake).statuser([a.id, b.id, "ukjent-id"])
    assert [(s.forsendelse_id, s.status) for s in statuser] == [(a.id, "MOTTATT"), (b.id, "LEST")]
    assert fake.statuskall == [[a.id, b.id, "ukjent-id"]]
    assert statuser[0].endret == datetime.datetime.fromtimestamp(a.siste_statusendring / 1000, tz=datetime.UTC)


def test_no_ids_asks_nothing(fake):
    assert klient(fake).statuser([]) == []
    assert fake.kall == []


def test_a_busy_svarut_is_a_temporary_failure(fake):
    fake.feil_neste_status(1, status=503)
    with pytest.raises(SvarUtFeil) as feil:
        klient(fake).statuser([fake.legg_inn().id])
    assert feil.value.midlertidig and "HTTP 503" in feil.value.melding


def test_a_wrong_password_is_not_temporary(fake):
    with pytest.raises(SvarUtFeil) as feil:
        SvarUtKlient(fake.base_url, fake.brukernavn, "feil", timeout=5).statuser(["x"])
    assert not feil.value.midlertidig


@pytest.mark.parametrize("rad", [None, {}, {"forsendelsesId": {"id": "x"}}, {"status": "LEST"},
                                 {"forsendelsesId": {"id": "x"}, "status": " "}, "LEST"])
def test_rows_without_an_id_or_a_status_are_skipped(rad):
    assert les_status(rad) is None


def test_a_row_without_a_time_is_read_without_one():
    assert les_status({"forsendelsesId": "x", "status": "varslet", "sisteStatusEndring": None}).endret is None
    assert normaliser_status(" mottat ") == "MOTTATT"
