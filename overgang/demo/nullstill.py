"""Start the demo afresh: every row of the development database goes, and every file its rows point to.

It deletes everything, so it refuses anything but a developer's database: DEBUG must be on (production never
has it), and the database must be SQLite, or a PostgreSQL one whose name says it is for tests or the demo.
"""

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, models


def sjekk_at_databasen_kan_tommes() -> None:
    if not settings.DEBUG:
        raise CommandError("Nullstilling sletter alle data og kjøres bare med DEBUG på, aldri i produksjon.")
    if connection.vendor == "sqlite":
        return
    navn = str(connection.settings_dict["NAME"])
    if not (navn.startswith("test") or "demo" in navn):
        raise CommandError(f"Nullstilling sletter alle data og gjøres bare i SQLite-databasen for utvikling eller "
                           f"i en database med «demo» i navnet, ikke i «{navn}».")


def _slett_filer() -> int:
    """Delete the files the rows point to (never a whole folder: MEDIA_ROOT may hold more than the demo's)."""
    slettet = 0
    for model in apps.get_models():
        filfelt = [f for f in model._meta.get_fields() if isinstance(f, models.FileField)]
        for felt in filfelt:
            for navn in model._default_manager.exclude(**{felt.name: ""}).values_list(felt.name, flat=True):
                if felt.storage.exists(navn):
                    felt.storage.delete(navn)
                    slettet += 1
    return slettet


def nullstill() -> None:
    sjekk_at_databasen_kan_tommes()
    _slett_filer()
    call_command("flush", interactive=False, verbosity=0)
