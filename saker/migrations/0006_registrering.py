"""Take over the P360 registration from sekretariat (its 0003 renamed the table): state only."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("saker", "0005_mellomlagring"),
        ("sekretariat", "0003_registrering_til_saker"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Registrering",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("p360_saksnr", models.CharField(help_text="F.eks. 20/00123.", max_length=20, verbose_name="P360 saksnummer")),
                        ("p360_dokumentnr", models.CharField(help_text="F.eks. 20/00123-4.", max_length=30, verbose_name="P360 dokumentnummer")),
                        ("registrert", models.DateTimeField(default=django.utils.timezone.now, verbose_name="registrert")),
                        ("registrert_av", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="registrert av")),
                        ("sak", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="registrering", to="saker.sak")),
                    ],
                    options={
                        "verbose_name": "registrering i P360",
                        "verbose_name_plural": "registreringer i P360",
                        "constraints": [models.UniqueConstraint(fields=("p360_dokumentnr",), name="registrering_unikt_dokumentnr")],
                    },
                ),
            ],
        ),
    ]
