import datetime
import smtplib
import time
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from overgang.varsler import levering, services
from overgang.varsler.models import Varsel
from overgang.varsler.services import notify
from tests.factories import MoteFactory
from tests.tjenester import celery_broker

pytestmark = pytest.mark.django_db

LOCMEM_SEND = "django.core.mail.backends.locmem.EmailBackend.send_messages"


def test_notify_writes_the_outbox_row_and_sends_a_norwegian_email(django_capture_on_commit_callbacks, saksbehandler):
    mote = MoteFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            notify("test", mote, [saksbehandler, "politikk@lillestrom.kommune.no"], kontekst={"kommentar": "Sjå æøå"})
    assert Varsel.objects.filter(status=Varsel.Status.SENDT).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["politikk@lillestrom.kommune.no", "sara@lillestrom.kommune.no"]
    epost = next(m for m in mail.outbox if m.to == ["sara@lillestrom.kommune.no"])
    assert epost.subject.startswith("[Overgang] Dette er et testvarsel")
    assert f"https://overgang.example.no/sekretariat/moter/{mote.pk}/" in epost.body
    assert "Sjå æøå" in epost.body
    varsel = Varsel.objects.get(epost="sara@lillestrom.kommune.no")
    assert epost.extra_headers["Message-ID"] == varsel.message_id
    assert varsel.message_id.endswith("@lillestrom.kommune.no>")
    html, mimetype = epost.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="https://overgang.example.no/sekretariat/moter/{mote.pk}/"' in html


def test_a_rolled_back_hand_off_leaves_neither_row_nor_email(django_capture_on_commit_callbacks, saksbehandler):
    mote = MoteFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                notify("test", mote, [saksbehandler])
                raise RuntimeError("the hand-off failed after notify")
    assert callbacks == []
    assert Varsel.objects.count() == 0
    assert mail.outbox == []


def test_the_same_event_is_written_once_per_recipient(django_capture_on_commit_callbacks, saksbehandler):
    mote = MoteFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify("test", mote, [saksbehandler, saksbehandler, "SARA@lillestrom.kommune.no"])
        notify("test", mote, [saksbehandler])
    assert Varsel.objects.count() == 1
    assert len(mail.outbox) == 1


def test_a_row_is_sent_at_most_once_even_if_the_task_runs_twice(saksbehandler):
    mote = MoteFactory()
    with mock.patch.object(services, "legg_i_ko"):
        [varsel] = notify("test", mote, [saksbehandler])
    assert levering.send_varsel(varsel.pk) is True
    assert levering.send_varsel(varsel.pk) is False
    assert len(mail.outbox) == 1


def test_an_smtp_failure_keeps_the_row_pending_until_its_backoff_is_over(saksbehandler):
    mote = MoteFactory()
    with mock.patch.object(services, "legg_i_ko"):
        [varsel] = notify("test", mote, [saksbehandler])
    with mock.patch(LOCMEM_SEND, side_effect=smtplib.SMTPServerDisconnected("nede")):
        assert levering.send_varsel(varsel.pk) is False
    varsel.refresh_from_db()
    assert varsel.status == Varsel.Status.VENTER
    assert varsel.feilmelding == "nede"
    assert varsel.neste_forsok > timezone.now()
    assert levering.send_varsel(varsel.pk) is False, "tried again before its wait was over"
    Varsel.objects.filter(pk=varsel.pk).update(neste_forsok=timezone.now())
    assert levering.send_varsel(varsel.pk) is True
    assert len(mail.outbox) == 1


def test_it_retries_a_temporary_failure_until_the_time_budget_is_spent_not_a_count(settings, saksbehandler):
    mote = MoteFactory()
    with mock.patch.object(services, "legg_i_ko"):
        [varsel] = notify("test", mote, [saksbehandler])
    Varsel.objects.filter(pk=varsel.pk).update(forsok=40)
    with mock.patch(LOCMEM_SEND, side_effect=OSError("tidsavbrudd")):
        levering.send_varsel(varsel.pk)
        varsel.refresh_from_db()
        assert varsel.status == Varsel.Status.VENTER, "forty attempts within the budget still retry"
        Varsel.objects.filter(pk=varsel.pk).update(
            neste_forsok=None, forsok_fra=timezone.now() - datetime.timedelta(hours=settings.VARSEL_BUDSJETT_TIMER))
        assert levering.send_varsel(varsel.pk) is False
    varsel.refresh_from_db()
    assert varsel.status == Varsel.Status.FEILET
    assert varsel.feilmelding.startswith("Ga opp etter 42 forsøk")


def test_the_backoff_doubles_up_to_its_cap(settings):
    settings.VARSEL_BACKOFF_SEKUNDER, settings.VARSEL_BACKOFF_MAKS_SEKUNDER = 30, 600
    assert 24 <= levering._ventetid(1).total_seconds() <= 36
    assert 48 <= levering._ventetid(2).total_seconds() <= 72
    assert levering._ventetid(30).total_seconds() <= 720


def test_the_sweeper_sends_rows_left_pending(settings, saksbehandler):
    settings.VARSEL_FEIER_VENT_SEKUNDER = 0
    mote = MoteFactory()
    with mock.patch.object(services, "legg_i_ko"):
        notify("test", mote, [saksbehandler])
    assert mail.outbox == []
    assert services.send_ventende() == 1
    assert len(mail.outbox) == 1


def test_the_sweeper_leaves_a_fresh_row_to_its_commit_hook(settings, saksbehandler):
    settings.VARSEL_FEIER_VENT_SEKUNDER = 30
    with mock.patch.object(services, "legg_i_ko"):
        notify("test", MoteFactory(), [saksbehandler])
    assert services.send_ventende() == 0


@pytest.fixture
def broker_nede():
    """Point the Celery app at a closed port, as when Redis is down, and restore it afterwards."""
    with celery_broker("redis://127.0.0.1:9/0"):
        yield


def test_with_the_broker_down_a_hand_off_to_ten_answers_fast_and_the_rows_stay_pending(
        broker_nede, django_capture_on_commit_callbacks, saksbehandler):
    mote = MoteFactory()
    start = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            notify("test", mote, [f"mottaker{i}@example.no" for i in range(10)])
    assert time.monotonic() - start < 1
    assert Varsel.objects.filter(status=Varsel.Status.VENTER).count() == 10
    assert mail.outbox == []


def test_a_rendering_error_marks_the_row_failed_instead_of_retrying_forever(saksbehandler):
    mote = MoteFactory()
    with mock.patch.object(services, "legg_i_ko"):
        [varsel] = notify("test", mote, [saksbehandler])
    with mock.patch.object(levering, "gjengi", side_effect=KeyError("mal")):
        assert levering.send_varsel(varsel.pk) is False
    varsel.refresh_from_db()
    assert varsel.status == Varsel.Status.FEILET
