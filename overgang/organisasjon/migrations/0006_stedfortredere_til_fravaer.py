"""The stand-ins set in the admin before absences had dates (Bruker.stedfortreder_for) become open-ended
periods from the day of the migration: whoever stood in goes on standing in until someone ends the period, so
nobody loses a colleague's cases on the day of the upgrade. Reversible: open-ended periods go back to the list."""

import datetime

from django.db import migrations
from django.db.models import F
from django.utils import timezone


def flytt_stedfortredere(apps, schema_editor, idag: datetime.date | None = None) -> None:
    Bruker = apps.get_model("organisasjon", "Bruker")
    Fravaer = apps.get_model("organisasjon", "Fravaer")
    idag = idag or timezone.localdate()
    # from_bruker stood in for to_bruker (the old field read "stedfortreder for"); a row pointing at oneself
    # meant nothing and would break the new rule that a stand-in is someone else.
    par = (Bruker.stedfortreder_for.through.objects.exclude(from_bruker=F("to_bruker"))
           .order_by("pk").values_list("from_bruker_id", "to_bruker_id"))
    Fravaer.objects.bulk_create(
        [Fravaer(person_id=person, stedfortreder_id=stedfortreder, fra=idag, til=None) for stedfortreder, person in par]
    )


def tilbake(apps, schema_editor) -> None:
    Bruker = apps.get_model("organisasjon", "Bruker")
    Fravaer = apps.get_model("organisasjon", "Fravaer")
    gjennom = Bruker.stedfortreder_for.through
    par = set(Fravaer.objects.filter(til__isnull=True).values_list("stedfortreder_id", "person_id"))
    gjennom.objects.bulk_create([gjennom(from_bruker_id=s, to_bruker_id=p) for s, p in sorted(par)],
                                ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ("organisasjon", "0005_fravaer"),
    ]

    operations = [
        migrations.RunPython(flytt_stedfortredere, tilbake),
    ]
