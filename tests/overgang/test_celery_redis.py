"""The real path of a notification: Redis broker, a Celery worker process, an SMTP server on loopback."""

import email
import email.policy
import time

import pytest
from django.db import transaction

from overgang.varsler.models import Varsel
from overgang.varsler.services import notify
from tests.factories import MoteFactory


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
