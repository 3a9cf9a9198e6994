"""The two ways in: the municipality's account over OpenID Connect (mozilla-django-oidc does the authorization
code flow with PKCE, state and nonce; we check the ID token ourselves and find the user by their identity), and
the local password, which production may switch off except for a superuser's break-glass account."""

import logging

import jwt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.utils.crypto import constant_time_compare
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from . import services
from .leverandor import er_aktiv, oppdagelse

logger = logging.getLogger(__name__)

# The only signature algorithm taken: the provider's RSA keys (Entra signs with RS256). Never "none" or HS256,
# which would let the client secret, or nothing, stand in for the provider's key.
ALGORITME = "RS256"
# How far the provider's clock and ours may disagree when checking exp, iat and nbf.
KLOKKESLINGRING_SEKUNDER = 60


class LokalBackend(ModelBackend):
    """User name and password. With LOKAL_INNLOGGING off only a superuser may use it (the break-glass account
    for when the provider is down); a signed-in session of anyone else ends at its next request."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and (settings.LOKAL_INNLOGGING or user.is_superuser)


class OidcBackend(OIDCAuthenticationBackend):
    def __init__(self, *args, **kwargs):
        # Django builds the backend for every request that reads a session. The library's constructor reads the
        # provider's endpoints from settings; ours come from discovery and are looked up only at sign-in, so a
        # provider that is down (or not set up) stops nobody who is already signed in.
        self.UserModel = get_user_model()
        self.OIDC_RP_SIGN_ALGO = ALGORITME
        self.OIDC_RP_IDP_SIGN_KEY = None

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:  # noqa: N802 (the library's name)
        return oppdagelse()["token_endpoint"]

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:  # noqa: N802
        return oppdagelse()["jwks_uri"]

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:  # noqa: N802
        return settings.OIDC_RP_CLIENT_ID

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:  # noqa: N802
        return settings.OIDC_RP_CLIENT_SECRET

    def get_user(self, user_id):
        # Every request of a signed-in session asks this. The library returns any user; like Django's password
        # backend, a deactivated user is no longer signed in (an administrator turning off a leaver takes effect
        # at once, not at the end of the working day's session).
        bruker = super().get_user(user_id)
        return bruker if bruker is not None and bruker.is_active else None

    def authenticate(self, request, **kwargs):
        # Only the callback passes nonce and code_verifier. A password sign-in reaches every backend too, and must
        # never make this one exchange a `code` that someone put in the login page's query string.
        if request is None or not er_aktiv() or "username" in kwargs or not {"nonce", "code_verifier"} <= set(kwargs):
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs) -> dict:
        """The ID token: signed with the provider's published key (RS256, found by its kid), issued by our
        provider for our client, not expired, and carrying the nonce this browser's session sent. The library
        leaves out the audience and lets an expired token escape as an unhandled error."""
        try:
            if jwt.get_unverified_header(token).get("alg") != ALGORITME:
                raise SuspiciousOperation(f"ID token not signed with {ALGORITME}")
            nokkel = self.retrieve_matching_jwk(token)
            claims = jwt.decode(
                token, nokkel, algorithms=[ALGORITME], audience=settings.OIDC_RP_CLIENT_ID,
                issuer=oppdagelse()["issuer"], leeway=KLOKKESLINGRING_SEKUNDER,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]},
            )
        except jwt.ExpiredSignatureError:
            raise SuspiciousOperation("ID token expired") from None
        except (jwt.InvalidTokenError, jwt.PyJWKError) as feil:
            raise SuspiciousOperation(f"ID token refused: {feil}") from None
        nonce = kwargs.get("nonce")
        if not nonce or not constant_time_compare(str(claims.get("nonce", "")), nonce):
            raise SuspiciousOperation("ID token nonce does not match the session's")
        mottakere = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(mottakere) > 1 and claims.get("azp") != settings.OIDC_RP_CLIENT_ID:
            raise SuspiciousOperation("ID token issued to another party (azp)")
        return claims

    def get_userinfo(self, access_token, id_token, payload) -> dict:
        # The verified ID token carries what we need. Entra's userinfo endpoint would not: it sends neither `oid`
        # nor the groups.
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            return services.logg_inn(utsteder=payload["iss"], claims=payload)
        except services.InnloggingFeil as feil:
            # The callback view shows why (the library only sees "no user").
            self.request.innlogging_avvist = feil
            logger.info("OIDC sign-in of %s refused: %s", services.subjekt_for(payload), feil)
            return None


def er_oidc_forsok(request, credentials) -> bool:
    """AXES_WHITELIST_CALLABLE: django-axes counts failed password sign-ins. A sign-in through the provider is
    checked there (with its own lockout), so a refusal here (no role, a stale tab) is not a password failure, and a
    lockout of an office's shared address after mistyped passwords does not stop its people signing in this way."""
    return bool(credentials) and "code_verifier" in credentials
