import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from tests.factories import BrukerFactory, KommunalomradeFactory
from tests.tjenester import celery_broker, krev_postgresql, krev_redis

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def omrade(db):
    return KommunalomradeFactory(navn="Oppvekst og utdanning")


@pytest.fixture
def annet_omrade(db):
    return KommunalomradeFactory(navn="Helse og omsorg")


@pytest.fixture
def saksbehandler(omrade):
    return BrukerFactory.saksbehandler(username="sara", kommunalomrade=omrade)


@pytest.fixture
def godkjenner(omrade):
    return BrukerFactory.godkjenner(username="kari", kommunalomrade=omrade)


@pytest.fixture
def sekretar(db):
    return BrukerFactory.sekretariat(username="siri")


@pytest.fixture
def utenforstaende(annet_omrade):
    """A case officer from another sector: the outsider of most access tests."""
    return BrukerFactory.saksbehandler(username="ola", kommunalomrade=annet_omrade)


class Postkasse:
    def __init__(self):
        self.meldinger = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.meldinger.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    postkasse = Postkasse()
    with socket.socket() as s:  # aiosmtpd cannot start on port 0, so pick a free port first
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(postkasse, hostname="127.0.0.1", port=port)
    controller.start()
    yield controller, postkasse
    controller.stop()


def database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s["PASSWORD"]:
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def celery_worker_prosess(smtp_server, tmp_path):
    krev_postgresql()
    krev_redis(settings.REDIS_TEST_URL)
    redis.Redis.from_url(settings.REDIS_TEST_URL).flushdb()
    controller, _ = smtp_server
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "overgang.settings.base",
        "DEBUG": "false",
        "SECRET_KEY": "worker-test-key",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": settings.REDIS_TEST_URL,
        "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}",
        "SITE_URL": "https://overgang.example.no",
    }
    logg = tmp_path / "celery-worker.log"
    with logg.open("w") as ut:
        # The log goes to a file: a pipe nobody reads would block a chatty worker.
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "overgang", "worker", "--pool=solo", "--loglevel=INFO",
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=ROOT, env=env, stdout=ut, stderr=subprocess.STDOUT, text=True,
        )
        with celery_broker(settings.REDIS_TEST_URL):
            yield worker
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
    print(logg.read_text())


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Browser tests last: Playwright keeps an event loop in the main thread for the rest of the session,
    and Django refuses synchronous ORM calls from a thread with a running loop."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture
def styrbar_smtp():
    """An SMTP server on loopback that refuses (451, 550) or stalls on command; see tests/varsler/smtp.py."""
    from tests.varsler.smtp import start_smtp

    controller, postkasse = start_smtp()
    yield controller, postkasse
    controller.stop()


@pytest.fixture
def smtp_backend(settings, styrbar_smtp):
    """Send this process's e-mail over SMTP to the controllable server, with a short timeout."""
    controller, postkasse = styrbar_smtp
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 1
    return postkasse
