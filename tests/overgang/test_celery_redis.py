"""The real path of a notification: Redis broker, a Celery worker process, an SMTP server on loopback."""

import email
import email.policy
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection, transaction

from overgang.varsler.models import Varsel
from overgang.varsler.services import notify
from tests.factories import MoteFactory
from tests.tjenester import celery_broker, krev_postgresql, krev_redis

ROOT = Path(__file__).resolve().parents[2]


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
def celery_worker_prosess(smtp_server):
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
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "overgang", "worker", "--pool=solo", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    with celery_broker(settings.REDIS_TEST_URL):
        yield worker
    worker.terminate()
    try:
        output, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    print(output)


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_notification_goes_through_redis_and_a_worker_to_a_real_smtp_server(
        celery_worker_prosess, smtp_server, saksbehandler):
    _, postkasse = smtp_server
    mote = MoteFactory()
    with transaction.atomic():
        [varsel] = notify("test", mote, [saksbehandler])

    frist = time.monotonic() + 60
    while not postkasse.meldinger and time.monotonic() < frist and celery_worker_prosess.poll() is None:
        time.sleep(0.2)
    assert len(postkasse.meldinger) == 1, "no e-mail arrived at the SMTP server"
    envelope = postkasse.meldinger[0]
    assert envelope.rcpt_tos == ["sara@lillestrom.kommune.no"]
    melding = email.message_from_bytes(envelope.content, policy=email.policy.default)
    assert str(melding["Subject"]).strip().startswith("[Overgang] Dette er et testvarsel")
    tekst = melding.get_body(preferencelist=("plain",)).get_content()
    assert f"https://overgang.example.no/sekretariat/moter/{mote.pk}/" in tekst
    assert melding.get_body(preferencelist=("html",)) is not None
    frist = time.monotonic() + 10
    while Varsel.objects.get(pk=varsel.pk).status != Varsel.Status.SENDT and time.monotonic() < frist:
        time.sleep(0.2)
    assert Varsel.objects.get(pk=varsel.pk).status == Varsel.Status.SENDT
