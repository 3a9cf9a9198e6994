import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import saker.dokument_pdf


class Migration(migrations.Migration):

    dependencies = [
        ("saker", "0011_offentlig_tittel"),
    ]

    operations = [
        migrations.CreateModel(
            name="DokumentPdf",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("status", models.CharField(choices=[("venter", "Venter"), ("lager", "Lages"), ("ferdig", "Ferdig"), ("feilet", "Feilet"), ("uten_lo", "LibreOffice mangler")], default="venter", max_length=10, verbose_name="status")),
                ("fil", models.FileField(blank=True, max_length=200, upload_to=saker.dokument_pdf.pdf_sti, verbose_name="PDF/A")),
                ("storrelse", models.PositiveBigIntegerField(default=0, verbose_name="størrelse (byte)")),
                ("feilmelding", models.TextField(blank=True, verbose_name="feilmelding")),
                ("bestilt", models.DateTimeField(default=django.utils.timezone.now, verbose_name="bestilt")),
                ("startet", models.DateTimeField(blank=True, null=True, verbose_name="startet")),
                ("ferdig", models.DateTimeField(blank=True, null=True, verbose_name="ferdig")),
                ("dokument", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="pdfa", to="saker.dokument")),
            ],
            options={
                "verbose_name": "PDF/A av dokument",
                "verbose_name_plural": "PDF/A av dokumenter",
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("status__in", ["venter", "lager", "ferdig", "feilet", "uten_lo"])), name="dokumentpdf_status_gyldig"),
                    models.CheckConstraint(condition=models.Q(models.Q(("status", "ferdig"), models.Q(("fil", ""), _negated=True), ("ferdig__isnull", False)), models.Q(models.Q(("status", "ferdig"), _negated=True), ("fil", "")), _connector="OR"), name="dokumentpdf_ferdig_har_fil"),
                ],
            },
        ),
    ]
