import random

from celery import shared_task

from . import services


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_varsel(self, varsel_id: int) -> None:
    try:
        services.send_varsel(varsel_id)
    except services.MidlertidigFeil as exc:
        # Back off 30 s, 60 s, 120 s … with jitter, so a recovering SMTP server is not hit all at once.
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries + random.randint(0, 15)) from exc


@shared_task
def send_ventende() -> int:
    return services.send_ventende()
