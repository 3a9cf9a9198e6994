# The undated list is gone: Fravaer (0005) holds every stand-in, with its period and who set it (see 0006).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("organisasjon", "0006_stedfortredere_til_fravaer"),
    ]

    operations = [
        migrations.RemoveField(
            model_name="bruker",
            name="stedfortreder_for",
        ),
    ]
