"""Test settings: fast hashing, mail in memory, tasks in-process unless a test asks for the real broker."""

import os

os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "test-only-key")

from .base import *  # noqa: E402,F403
from .base import BASE_DIR, env  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
SITE_URL = "https://overgang.example.no"
# The suite runs tasks in-process; the tests that need the real broker use REDIS_TEST_URL themselves.
CELERY_BROKER_URL = ""
CELERY_TASK_ALWAYS_EAGER = True
REDIS_TEST_URL = env("REDIS_TEST_URL", default=env("CELERY_BROKER_URL", default="redis://127.0.0.1:6379/15"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
