from celery import shared_task

from . import services


@shared_task
def rydd_mellomlagring() -> int:
    return services.mellomlagring_rydd()


@shared_task(ignore_result=True)
def folg_opp_forsendelser() -> int:
    """Beat's poll of SvarUt (SVARUT_STATUS_SEKUNDER): the status of every letter not yet final."""
    return services.forsendelser_folg_opp().endret
