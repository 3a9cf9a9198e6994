from celery import shared_task
from django.conf import settings

from . import services


@shared_task
def rydd_mellomlagring() -> int:
    return services.mellomlagring_rydd()


@shared_task(ignore_result=True)
def folg_opp_forsendelser() -> int:
    """Beat's poll of SvarUt (SVARUT_STATUS_SEKUNDER): the status of every letter not yet final."""
    return services.forsendelser_folg_opp().endret


@shared_task(ignore_result=True, soft_time_limit=settings.PDFA_TIDSGRENSE + 15,
             time_limit=settings.PDFA_TIDSGRENSE + 45)
def lag_pdf(rad_id: int) -> None:
    """The PDF/A of one document (saker.services.pdf_bestill). Not retried: a failure is stored on the row,
    shown on the case page, and the letter is made again when it is sent."""
    services.pdf_lag(rad_id=rad_id)
