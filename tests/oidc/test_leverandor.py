"""Signing in through a real OpenID Connect provider (tests/oidc/provider) with the Django test client: what is
sent to the provider, what is made of what comes back, and every tampered or spoilt answer refused."""

from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import pytest
from django.test import Client

from overgang.innlogging.models import Identitet
from overgang.organisasjon.models import Bruker
from tests.oidc.conftest import KANTINA, SEKRETARIATET, TILBAKE, til_leverandoren_og_tilbake

pytestmark = [pytest.mark.services, pytest.mark.django_db]


@pytest.fixture
def nettleser():
    # "localhost": the provider takes redirect URIs on loopback only.
    return Client(HTTP_HOST="localhost")


def autorisasjon(nettleser) -> str:
    svar = nettleser.get("/innlogging/oidc/start/")
    assert svar.status_code == 302, svar.content
    return svar["Location"]


def tilbake(nettleser, url: str):
    deler = urlsplit(url)
    return nettleser.get(deler.path, query_params=parse_qs(deler.query))


def med(url: str, **endret: str) -> str:
    deler = urlsplit(url)
    sporring = {k: v[0] for k, v in parse_qs(deler.query).items()} | endret
    return urlunsplit(deler._replace(query=urlencode(sporring)))


def innlogget(nettleser) -> bool:
    return "_auth_user_id" in nettleser.session


def avvist(svar) -> bool:
    return svar.status_code == 400 and "Innloggingen mislyktes" in svar.content.decode()


def test_first_sign_in_creates_the_user_with_the_mapped_role_sector_and_municipality(oidc, nettleser, organisasjon):
    url = autorisasjon(nettleser)
    sendt = parse_qs(urlsplit(url).query)
    # The authorization code flow with PKCE (S256), state and nonce.
    assert sendt["response_type"] == ["code"]
    assert sendt["code_challenge_method"] == ["S256"] and len(sendt["code_challenge"][0]) >= 43
    assert len(sendt["state"][0]) >= 32 and len(sendt["nonce"][0]) >= 32
    assert sendt["redirect_uri"] == [f"http://localhost{TILBAKE}"]

    svar = tilbake(nettleser, til_leverandoren_og_tilbake(url, "sara")[0])

    assert svar.status_code == 302 and svar["Location"] == "/"
    sara = Bruker.objects.get(identiteter__subjekt=oidc.kontoer["sara"]["oid"])
    assert innlogget(nettleser) and nettleser.session["_auth_user_id"] == str(sara.pk)
    assert sara.username == "sara.berg@lillestrom.kommune.no"
    assert sara.get_full_name() == "Sara Berg" and sara.email == "sara.berg@lillestrom.kommune.no"
    assert sara.roller == {"saksbehandler"}
    assert sara.kommunalomrade == organisasjon["oppvekst"]
    assert sara.kommune == organisasjon["skedsmo"] and sara.arkivsystem == organisasjon["ephorte"]
    assert not sara.has_usable_password()
    assert nettleser.get("/").url == "/saker/"


def test_an_approver_approves_for_the_sector_of_their_group(oidc, nettleser, organisasjon):
    tilbake(nettleser, til_leverandoren_og_tilbake(autorisasjon(nettleser), "kari")[0])
    kari = Bruker.objects.get(identiteter__subjekt=oidc.kontoer["kari"]["oid"])
    assert kari.roller == {"godkjenner"}
    assert list(kari.godkjenner_for.all()) == [organisasjon["oppvekst"]]


def test_the_user_is_found_by_oid_not_by_email(oidc, nettleser):
    """A local user with the same e-mail address is not taken over; the next sign-in finds the same user."""
    lokal = Bruker.objects.create_user("kari", email="kari.nordmann@lillestrom.kommune.no", password="x" * 12)
    tilbake(nettleser, til_leverandoren_og_tilbake(autorisasjon(nettleser), "kari")[0])
    nettleser.logout()
    tilbake(nettleser, til_leverandoren_og_tilbake(autorisasjon(nettleser), "kari")[0])

    identitet = Identitet.objects.get()
    assert identitet.bruker != lokal and identitet.utsteder == oidc.issuer
    assert Bruker.objects.count() == 2
    assert nettleser.session["_auth_user_id"] == str(identitet.bruker.pk)


def test_a_changed_group_claim_changes_the_role_at_the_next_sign_in(oidc, nettleser):
    tilbake(nettleser, til_leverandoren_og_tilbake(autorisasjon(nettleser), "kari")[0])
    oidc.sett_grupper("kari", [SEKRETARIATET])
    nettleser.logout()
    tilbake(nettleser, til_leverandoren_og_tilbake(autorisasjon(nettleser), "kari")[0])

    kari = Bruker.objects.get(identiteter__subjekt=oidc.kontoer["kari"]["oid"])
    assert kari.roller == {"sekretariat"}
    assert not kari.godkjenner_for.exists() and kari.kommunalomrade is None


def test_a_person_without_a_mapped_group_gets_the_norwegian_page_and_no_user(oidc, nettleser):
    svar = tilbake(nettleser, til_leverandoren_og_tilbake(autorisasjon(nettleser), "ola")[0])

    assert svar.status_code == 302 and svar["Location"] == "/innlogging/ingen-rolle/"
    side = nettleser.get(svar["Location"]).content.decode()
    assert "Du har ingen rolle i Overgang" in side and "Ola Kantine" in side
    assert not innlogget(nettleser) and not Bruker.objects.exists()


def test_a_user_whose_groups_no_longer_give_a_role_loses_it_and_is_refused(oidc, nettleser):
    tilbake(nettleser, til_leverandoren_og_tilbake(autorisasjon(nettleser), "kari")[0])
    oidc.sett_grupper("kari", [KANTINA])
    nettleser.logout()
    svar = tilbake(nettleser, til_leverandoren_og_tilbake(autorisasjon(nettleser), "kari")[0])

    assert svar["Location"] == "/innlogging/ingen-rolle/" and not innlogget(nettleser)
    kari = Bruker.objects.get(identiteter__subjekt=oidc.kontoer["kari"]["oid"])
    assert kari.roller == frozenset() and not kari.godkjenner_for.exists()


def test_a_tampered_state_is_refused(oidc, nettleser, caplog):
    url, _ = til_leverandoren_og_tilbake(autorisasjon(nettleser), "sara")
    svar = tilbake(nettleser, med(url, state="x" * 32))
    assert avvist(svar) and not innlogget(nettleser) and not Bruker.objects.exists()
    assert "state not found in session" in caplog.text


def test_a_tampered_nonce_is_refused(oidc, nettleser, caplog):
    """Someone changes the nonce on the way to the provider: the ID token then carries another nonce than the one
    this browser's session holds."""
    url, _ = til_leverandoren_og_tilbake(med(autorisasjon(nettleser), nonce="n" * 32), "sara")
    svar = tilbake(nettleser, url)
    assert avvist(svar) and not innlogget(nettleser) and not Bruker.objects.exists()
    assert "nonce does not match" in caplog.text


def test_an_expired_id_token_is_refused(oidc, nettleser, caplog):
    url, _ = til_leverandoren_og_tilbake(autorisasjon(nettleser), "sara")
    oidc.odelegg_neste_token("utlopt")
    svar = tilbake(nettleser, url)
    assert avvist(svar) and not innlogget(nettleser) and not Bruker.objects.exists()
    assert "ID token expired" in caplog.text


def test_an_id_token_signed_with_another_key_is_refused(oidc, nettleser, caplog):
    url, _ = til_leverandoren_og_tilbake(autorisasjon(nettleser), "sara")
    oidc.odelegg_neste_token("fremmed_nokkel")
    svar = tilbake(nettleser, url)
    assert avvist(svar) and not innlogget(nettleser) and not Bruker.objects.exists()
    assert "Signature verification failed" in caplog.text


def test_the_answer_from_the_provider_cannot_be_used_twice(oidc, nettleser):
    url, _ = til_leverandoren_og_tilbake(autorisasjon(nettleser), "sara")
    tilbake(nettleser, url)
    nettleser.logout()
    assert avvist(tilbake(nettleser, url)) and not innlogget(nettleser)


def test_a_sign_in_the_person_cancelled_at_the_provider_gets_a_norwegian_page(oidc, nettleser):
    state = parse_qs(urlsplit(autorisasjon(nettleser)).query)["state"][0]
    svar = nettleser.get(TILBAKE, {"error": "access_denied", "state": state})
    assert svar.status_code == 400 and "Innloggingen ble avbrutt" in svar.content.decode()


def test_a_locked_out_address_may_still_sign_in_with_the_municipalitys_account(oidc, nettleser, settings):
    """django-axes locks an address after mistyped passwords (an office behind one address); the provider does its
    own checking, so its sign-in goes on, and a refusal there (no role) is not counted as a password failure."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        nettleser.post("/logg-inn/", {"username": "noen", "password": "feil"})
    assert nettleser.post("/logg-inn/", {"username": "noen", "password": "feil"}).status_code == 429
    tilbake(nettleser, til_leverandoren_og_tilbake(autorisasjon(nettleser), "sara")[0])
    assert innlogget(nettleser)


def test_signing_out_sends_the_browser_to_the_providers_logout_with_the_id_token(oidc, nettleser):
    tilbake(nettleser, til_leverandoren_og_tilbake(autorisasjon(nettleser), "sara")[0])
    id_token = nettleser.session["oidc_id_token"]
    svar = nettleser.post("/logg-ut/")

    assert not innlogget(nettleser)
    assert svar["Location"].startswith(f"{oidc.issuer}/session/end?")
    sendt = parse_qs(urlsplit(svar["Location"]).query)
    assert sendt["id_token_hint"] == [id_token]
    assert sendt["post_logout_redirect_uri"] == ["http://localhost/logg-inn/"]


def test_after_an_idle_timeout_the_provider_is_asked_for_the_password_again(oidc, nettleser, settings):
    tilbake(nettleser, til_leverandoren_og_tilbake(autorisasjon(nettleser), "sara")[0])
    sesjon = nettleser.session
    sesjon["sist_aktiv"] = 0
    sesjon.save()
    assert "/logg-inn/" in nettleser.get("/saker/")["Location"]

    assert parse_qs(urlsplit(autorisasjon(nettleser)).query)["prompt"] == ["login"]
    assert "prompt" not in parse_qs(urlsplit(autorisasjon(nettleser)).query)
