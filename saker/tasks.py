from celery import shared_task

from . import services


@shared_task
def rydd_mellomlagring() -> int:
    return services.mellomlagring_rydd()
