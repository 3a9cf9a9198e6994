from celery import shared_task
from django.conf import settings

from . import motebok


@shared_task(ignore_result=True, soft_time_limit=settings.MOTEBOK_TIDSGRENSE,
             time_limit=settings.MOTEBOK_TIDSGRENSE + 60)
def lag_motepdf(rad_id: int, avtrykk: str) -> None:
    """A meeting's saksliste or møtebok (sekretariat.motebok.motepdf_bestill). Not retried: a failure is
    stored on the row and shown on the meeting's page, where the secretariat orders it again."""
    motebok.motepdf_lag(rad_id=rad_id, avtrykk=avtrykk)
