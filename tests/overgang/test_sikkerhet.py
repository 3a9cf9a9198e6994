"""Sign-in and headers: lockout after repeated failures (per user and per address), the idle timeout and the
working-day session, and the headers read from real responses (CSP without inline script or style,
Permissions-Policy, no-store on case content)."""

import time

import pytest
from django.urls import reverse

from tests.factories import SakFactory

pytestmark = pytest.mark.django_db


def logg_inn(client, brukernavn: str, passord: str, ip: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": brukernavn, "password": passord}, REMOTE_ADDR=ip)


def test_five_wrong_passwords_lock_the_user_out_even_with_the_right_one(client, saksbehandler):
    saksbehandler.set_password("riktig-passord-123")
    saksbehandler.save()
    assert [logg_inn(client, "sara", "feil").status_code for _ in range(5)] == [200, 200, 200, 200, 429]
    svar = logg_inn(client, "sara", "riktig-passord-123")
    assert svar.status_code == 429
    assert "Innloggingen er midlertidig sperret" in svar.content.decode()
    assert "_auth_user_id" not in client.session


def test_one_address_trying_many_users_is_locked_out_too(client, saksbehandler):
    saksbehandler.set_password("riktig-passord-123")
    saksbehandler.save()
    for i in range(5):
        logg_inn(client, f"gjett{i}", "feil", ip="10.9.9.9")
    assert logg_inn(client, "sara", "riktig-passord-123", ip="10.9.9.9").status_code == 429
    assert logg_inn(client, "sara", "riktig-passord-123", ip="10.0.0.2").status_code == 302


def test_a_session_ends_after_an_idle_hour_and_after_a_working_day(client, saksbehandler, settings):
    client.force_login(saksbehandler)
    assert client.get(reverse("saker:start")).status_code == 200
    session = client.session
    session["sist_aktiv"] = time.time() - settings.SESSION_INAKTIV_MINUTTER * 60 - 1
    session.save()
    svar = client.get(reverse("saker:start"))
    assert svar.status_code == 302 and reverse("login") in svar.url
    client.force_login(saksbehandler)
    client.get(reverse("saker:start"))
    session = client.session
    session["innlogget"] = time.time() - settings.SESSION_MAKS_TIMER * 3600 - 1
    session.save()
    assert reverse("login") in client.get(reverse("saker:start")).url


def test_pages_and_downloads_carry_the_security_headers(client, saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler)
    client.force_login(saksbehandler)
    for url in (reverse("saker:sak", args=[sak.pk]),
                reverse("saker:dokument", args=[sak.pk, sak.dokumenter.get().pk])):
        svar = client.get(url)
        assert svar.status_code == 200
        csp = svar["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert "camera=()" in svar["Permissions-Policy"] and "geolocation=()" in svar["Permissions-Policy"]
        assert "no-store" in svar["Cache-Control"]
    innlogging = client.get(reverse("login"))
    assert "Content-Security-Policy" in innlogging


def test_password_rules_speak_norwegian():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as feil:
        validate_password("1234")
    tekst = " ".join(feil.value.messages)
    assert "Passordet" in tekst or "passord" in tekst
