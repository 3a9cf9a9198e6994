"""Thin tasks over the services, and the sweeper's hooks in the worker.

The sweeper does not depend on beat: every worker sweeps once when it starts, and a thread in each worker
sweeps when no sweep has run for two intervals (the workers agree through one conditional update, so one of
them does it). Beat, when it runs, sweeps every VARSEL_FEIE_SEKUNDER and is seen on /helse/.
"""

import logging
import threading

from celery import shared_task
from celery.signals import worker_ready, worker_shutdown
from django.conf import settings
from django.db import close_old_connections, connection

from . import services

logger = logging.getLogger(__name__)


# No retry chain here: a temporary failure leaves the row pending with its next attempt time, and the sweeper
# queues it when it is due, so a retry never waits unacknowledged in a worker past the broker's
# visibility timeout, and the attempts are bounded by a time budget, not by who happened to count them.
@shared_task(acks_late=True)
def send_varsel(varsel_id: int) -> None:
    services.send_varsel(varsel_id)


@shared_task(acks_late=True)
def send_ventende(fra_beat: bool = False) -> int:
    return services.send_ventende(fra_beat=fra_beat)


_stopp = threading.Event()


def _feie_i_arbeideren() -> None:
    while not _stopp.wait(settings.VARSEL_FEIE_SEKUNDER):
        try:
            close_old_connections()
            services.send_ventende(bare_om_ingen_har=True)
        except Exception:
            logger.exception("Feiingen i arbeideren feilet; prøver igjen")
        finally:
            connection.close()


@worker_ready.connect
def _ved_start(sender=None, **kwargs) -> None:
    try:
        services.send_ventende()
    except Exception:
        logger.exception("Feiingen ved oppstart feilet")
    finally:
        connection.close()
    threading.Thread(target=_feie_i_arbeideren, name="varsel-feier", daemon=True).start()


@worker_shutdown.connect
def _ved_stopp(sender=None, **kwargs) -> None:
    _stopp.set()


@shared_task
def send_paminnelser() -> int:
    from .paminnelser import send_paminnelser as kjor

    return kjor()
