"""Production: every secret from the environment, no fallbacks, HTTPS only."""

import os

os.environ["DEBUG"] = os.environ.get("DEBUG", "false")

from django.core.exceptions import ImproperlyConfigured  # noqa: E402

from .base import *  # noqa: E402,F403
from .base import DEBUG, env  # noqa: E402

if DEBUG:
    raise ImproperlyConfigured("DEBUG kan ikke være på i produksjon.")
if "DATABASE_URL" not in os.environ:
    raise ImproperlyConfigured("DATABASE_URL må settes i produksjon.")
if "SITE_URL" not in os.environ:
    raise ImproperlyConfigured("SITE_URL må settes i produksjon (brukes i lenker i e-post).")
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
