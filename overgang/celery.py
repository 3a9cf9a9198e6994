"""The Celery app: configured from Django settings (CELERY_*), tasks found in every installed app."""

import os

from celery import Celery, bootsteps

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overgang.settings.local")

app = Celery("overgang")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


class Feier(bootsteps.StartStopStep):
    """Each worker asks for a sweep of the outbox every VARSEL_FEIE_SEKUNDER; the sweep runs only if none ran
    for two intervals, so with beat alive this costs one tiny task per worker and interval, and with beat down
    one of the workers sweeps. It runs on the worker's own timer (the event loop under prefork), so there is
    no thread of ours in the process that forks the pool's children."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None

    def start(self, worker) -> None:
        from django.conf import settings

        from overgang.varsler.tasks import be_om_feiing

        self.tref = worker.timer.call_repeatedly(settings.VARSEL_FEIE_SEKUNDER, be_om_feiing, (), priority=10)

    def stop(self, worker) -> None:
        if self.tref is not None:
            self.tref.cancel()


app.steps["worker"].add(Feier)
