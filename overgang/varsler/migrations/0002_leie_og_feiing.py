import django.utils.timezone
from django.db import migrations, models


def lag_feiing(apps, schema_editor):
    apps.get_model("varsler", "Feiing").objects.get_or_create(pk=1)


class Migration(migrations.Migration):

    dependencies = [
        ('varsler', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='Feiing',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sist_feiet', models.DateTimeField(blank=True, null=True, verbose_name='sist feiet')),
                ('sist_fra_beat', models.DateTimeField(blank=True, null=True, verbose_name='sist startet av beat')),
            ],
            options={
                'verbose_name': 'feiing',
                'verbose_name_plural': 'feiinger',
            },
        ),
        migrations.AddField(
            model_name='varsel',
            name='admin_varslet',
            field=models.DateTimeField(blank=True, null=True, verbose_name='administrator varslet'),
        ),
        migrations.AddField(
            model_name='varsel',
            name='data_startet',
            field=models.DateTimeField(blank=True, help_text='Satt idet meldingen gis til e-posttjeneren, før svaret.', null=True, verbose_name='meldingen overlevert'),
        ),
        migrations.AddField(
            model_name='varsel',
            name='forsok_fra',
            field=models.DateTimeField(default=django.utils.timezone.now, help_text='Starten på tidsbudsjettet for nye forsøk.', verbose_name='forsøkt fra'),
        ),
        migrations.AddField(
            model_name='varsel',
            name='krav',
            field=models.UUIDField(blank=True, editable=False, null=True, verbose_name='krav'),
        ),
        migrations.AddField(
            model_name='varsel',
            name='krav_utloper',
            field=models.DateTimeField(blank=True, null=True, verbose_name='krav utløper'),
        ),
        migrations.AddField(
            model_name='varsel',
            name='neste_forsok',
            field=models.DateTimeField(blank=True, help_text='Ikke før: ventetid etter en midlertidig feil.', null=True, verbose_name='neste forsøk'),
        ),
        migrations.AddField(
            model_name='varsel',
            name='uvisst',
            field=models.BooleanField(default=False, help_text='Tjeneren tok imot meldingen, men svaret kom aldri; sendt på nytt én gang.', verbose_name='uvisst om levert'),
        ),
        # Rows claimed under the old rule (no token) go back to pending, so the new constraint holds.
        migrations.RunSQL(
            "UPDATE varsler_varsel SET status = 'venter' WHERE status = 'sender'", migrations.RunSQL.noop,
        ),
        migrations.AddConstraint(
            model_name='varsel',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('krav__isnull', False), ('krav_utloper__isnull', False), ('status', 'sender')), models.Q(models.Q(('status', 'sender'), _negated=True), ('krav__isnull', True)), _connector='OR'), name='varsel_sender_har_krav'),
        ),
        migrations.RunPython(lag_feiing, migrations.RunPython.noop),
    ]
