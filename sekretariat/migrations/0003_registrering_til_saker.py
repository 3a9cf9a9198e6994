"""The P360 registration is a one-to-one attribute of the case: its model moves to saker (saker 0006 takes it
into its state). The table is renamed, its rows kept."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("sekretariat", "0002_utfall"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.AlterModelTable("Registrering", "saker_registrering")],
            state_operations=[migrations.DeleteModel("Registrering")],
        ),
    ]
