"""What the bench's scripts share: where things are, and the environment the app is run with.

Nothing here imports Django: the orchestrator (bench/run.py) runs the Django steps as subprocesses, one
database per N, so each gets its own DATABASE_URL.
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VAR = ROOT / "var" / "bench"
PY = sys.executable

PG_HOST = os.environ.get("BENCH_PGHOST", "127.0.0.1")
PG_PORT = os.environ.get("BENCH_PGPORT", "5432")
PG_USER = os.environ.get("BENCH_PGUSER", "postgres")
# The bench's own databases are named overgang_bench_<N>; it never touches any other.
DB_PREFIKS = "overgang_bench_"
# Every seeded user has this password; the bench logs in through /logg-inn/ with it.
PASSORD = "overgang-bench-passord"


def db_navn(n: int) -> str:
    return f"{DB_PREFIKS}{int(n)}"


def database_url(n: int | None = None, navn: str | None = None) -> str:
    navn = navn or db_navn(n)
    return f"postgres://{PG_USER}@{PG_HOST}:{PG_PORT}/{navn}"


def django_env(n: int) -> dict[str, str]:
    """The environment production settings need, pointing at the bench database of N and at loopback only."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "overgang.settings.production",
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-secret-key-not-for-production-use-0123456789abcdef",
        "DATABASE_URL": database_url(n),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": "http://127.0.0.1",
        "CELERY_BROKER_URL": os.environ.get("BENCH_CELERY_BROKER_URL", "redis://127.0.0.1:6379/13"),
        "EMAIL_URL": "smtp://127.0.0.1:2525",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        "MEDIA_ROOT": str(VAR / "media"),
        "STATIC_ROOT": str(VAR / "staticfiles"),
        "UTSENDING_BACKEND": "manuell",
        # Set, though the manual backend never calls it: production may start to require them.
        "SVARUT_URL": "http://127.0.0.1:9",
        "SVARUT_BRUKERNAVN": "bench",
        "SVARUT_PASSORD": "bench",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    return env
