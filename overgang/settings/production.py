"""Production: every secret from the environment, no fallbacks, HTTPS only."""

import os

os.environ["DEBUG"] = os.environ.get("DEBUG", "false")

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from .base import *  # noqa: E402,F403
from .base import (  # noqa: E402
    CELERY_BROKER_URL,
    DEBUG,
    EMAIL_URL,
    LOKAL_INNLOGGING,
    OIDC_GRUPPER,
    OIDC_ISSUER,
    OIDC_RP_CLIENT_ID,
    OIDC_RP_CLIENT_SECRET,
    SVARUT_BRUKERNAVN,
    SVARUT_PASSORD,
    SVARUT_URL,
    UTSENDING_BACKEND,
    env,
)

if DEBUG:
    raise ImproperlyConfigured("DEBUG kan ikke være på i produksjon.")
if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured("DATABASE_URL må settes i produksjon.")
if "SITE_URL" not in os.environ:
    raise ImproperlyConfigured("SITE_URL må settes i produksjon (brukes i lenker i e-post).")
# Without these, base.py falls back to what suits a developer's machine: mail written to files, tasks run
# in the web process. In production that would lose mail and block requests without anyone noticing.
if not EMAIL_URL:
    raise ImproperlyConfigured("EMAIL_URL må settes i produksjon (ellers skrives e-post bare til filer).")
if not CELERY_BROKER_URL:
    raise ImproperlyConfigured("CELERY_BROKER_URL må settes i produksjon (ellers kjører oppgavene i webprosessen).")
# A missing SvarUt account would otherwise be found only when the first vedtaksbrev is sent.
if UTSENDING_BACKEND == "svarut":
    _mangler = [navn for navn, verdi in (("SVARUT_URL", SVARUT_URL), ("SVARUT_BRUKERNAVN", SVARUT_BRUKERNAVN),
                                          ("SVARUT_PASSORD", SVARUT_PASSORD)) if not verdi]
    if _mangler:
        _navn = " og ".join([", ".join(_mangler[:-1]), _mangler[-1]] if len(_mangler) > 1 else _mangler)
        raise ImproperlyConfigured(f"{_navn} må settes når UTSENDING_BACKEND er «svarut».")
# Sign-in with the municipality's account: all of it or none of it. Half a provider would show a button that
# fails, or let everyone in with no role; without the provider, switching off passwords would lock everyone out.
_oidc = {"OIDC_ISSUER": OIDC_ISSUER, "OIDC_CLIENT_ID": OIDC_RP_CLIENT_ID, "OIDC_CLIENT_SECRET": OIDC_RP_CLIENT_SECRET,
         "OIDC_GRUPPER": OIDC_GRUPPER}
_mangler = [navn for navn, verdi in _oidc.items() if not verdi]
if 0 < len(_mangler) < len(_oidc):
    _navn = " og ".join([", ".join(_mangler[:-1]), _mangler[-1]] if len(_mangler) > 1 else _mangler)
    raise ImproperlyConfigured(f"{_navn} må settes når innlogging med kommunens konto (OIDC) er satt opp.")
if OIDC_ISSUER and not OIDC_ISSUER.startswith("https://"):
    raise ImproperlyConfigured("OIDC_ISSUER må være en https-adresse i produksjon.")
if not LOKAL_INNLOGGING and not OIDC_ISSUER:
    raise ImproperlyConfigured("LOKAL_INNLOGGING kan bare slås av når innlogging med kommunens konto (OIDC_ISSUER, "
                               "OIDC_CLIENT_ID, OIDC_CLIENT_SECRET og OIDC_GRUPPER) er satt opp.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
