"""The municipality's identity provider: whether it is set up, and its endpoints from its discovery document
(`<OIDC_ISSUER>/.well-known/openid-configuration`), fetched when someone signs in or out and kept for an hour."""

import time

import requests
from django.conf import settings

LEVETID_SEKUNDER = 3600
_lager: dict[str, tuple[float, dict]] = {}


class LeverandorUtilgjengelig(Exception):
    """The provider did not answer, or answered with something that is not its discovery document."""


def er_aktiv() -> bool:
    """Sign-in with the municipality's account is offered when the provider and the app's client are set up."""
    return bool(settings.OIDC_ISSUER and settings.OIDC_RP_CLIENT_ID and settings.OIDC_RP_CLIENT_SECRET)


def oppdagelse() -> dict:
    utsteder = settings.OIDC_ISSUER
    treff = _lager.get(utsteder)
    if treff and time.monotonic() - treff[0] < LEVETID_SEKUNDER:
        return treff[1]
    try:
        svar = requests.get(f"{utsteder.rstrip('/')}/.well-known/openid-configuration", timeout=settings.OIDC_TIMEOUT)
        svar.raise_for_status()
        dokument = svar.json()
    except (requests.RequestException, ValueError) as feil:
        raise LeverandorUtilgjengelig(f"discovery at {utsteder} failed: {feil}") from feil
    # OpenID Connect Discovery § 4.3: the document must name the issuer it was fetched for, or a provider could
    # speak for another.
    if not isinstance(dokument, dict) or dokument.get("issuer") != utsteder:
        raise LeverandorUtilgjengelig(f"discovery at {utsteder} names another issuer: {dokument.get('issuer')!r}")
    for felt in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not dokument.get(felt):
            raise LeverandorUtilgjengelig(f"discovery at {utsteder} has no {felt}")
    _lager[utsteder] = (time.monotonic(), dokument)
    return dokument


def glem() -> None:
    """Forget the discovery documents (tests that start a provider of their own)."""
    _lager.clear()
