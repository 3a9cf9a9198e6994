"""Thin tasks over the services, and the sweeper's hooks in the worker.

The sweeper does not depend on beat: every worker sweeps once when it starts, and each worker asks for a sweep
every interval that runs only when no sweep has run for two intervals (the workers agree through one
conditional update, so one of them does it). Beat, when it runs, sweeps every VARSEL_FEIE_SEKUNDER and is
seen on /helse/. The worker's step that asks for it is in overgang/celery.py.
"""

import logging

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import connection

from . import levering, services

logger = logging.getLogger(__name__)


# No retry chain here: a temporary failure leaves the row pending with its next attempt time, and the sweeper
# queues it when it is due, so a retry never waits unacknowledged in a worker past the broker's
# visibility timeout, and the attempts are bounded by a time budget, not by who happened to count them.
@shared_task(acks_late=True)
def send_varsel(varsel_id: int) -> None:
    levering.send_varsel(varsel_id)


@shared_task(acks_late=True)
def send_ventende(fra_beat: bool = False, bare_om_ingen_har: bool = False) -> int:
    return services.send_ventende(fra_beat=fra_beat, bare_om_ingen_har=bare_om_ingen_har)


@worker_ready.connect
def _ved_start(sender=None, **kwargs) -> None:
    """A worker that starts sweeps once: what a dead worker or a lost broker left behind goes out now."""
    try:
        services.send_ventende()
    except Exception:
        logger.exception("Feiingen ved oppstart feilet")
    finally:
        connection.close()


def be_om_feiing() -> None:
    """Called by each worker's timer (overgang/celery.py): ask for a sweep that runs only if none ran for two
    intervals. Short timeouts: a frozen broker must not hold the worker's event loop."""
    from overgang.celery import app

    frist = settings.VARSEL_KO_TIDSGRENSE
    try:
        with app.connection_for_write(connect_timeout=frist, transport_options={
                "socket_timeout": frist, "socket_connect_timeout": frist, "max_retries": 0}) as conn:
            send_ventende.apply_async(kwargs={"bare_om_ingen_har": True}, connection=conn, retry=False,
                                      expires=settings.VARSEL_FEIE_SEKUNDER * 2)
    except Exception:
        logger.warning("Kunne ikke be om feiing; prøver igjen om %s s", settings.VARSEL_FEIE_SEKUNDER)


@shared_task
def send_paminnelser() -> int:
    from .paminnelser import send_paminnelser as kjor

    return kjor()
