import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('varsler', '0002_leie_og_feiing'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name='varsel',
            name='status',
            field=models.CharField(choices=[('venter', 'Venter'), ('sender', 'Sendes nå'), ('sendt', 'Sendt'), ('feilet', 'Feilet'), ('samles', 'Venter på sammendrag')], default='venter', max_length=10, verbose_name='status'),
        ),
        migrations.AddField(
            model_name='varsel',
            name='sammendrag',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='punkter', to='varsler.varsel', verbose_name='sendt i sammendrag'),
        ),
        migrations.CreateModel(
            name='Varslingsvalg',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('sammendrag', models.BooleanField(default=False, verbose_name='daglig sammendrag')),
                ('klokkeslett', models.PositiveSmallIntegerField(default=7, help_text='Timen sammendraget sendes (0–23, norsk tid).', verbose_name='klokkeslett')),
                ('bruker', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='varslingsvalg', to=settings.AUTH_USER_MODEL, verbose_name='bruker')),
            ],
            options={
                'verbose_name': 'varslingsvalg',
                'verbose_name_plural': 'varslingsvalg',
                'constraints': [models.CheckConstraint(condition=models.Q(('klokkeslett__lte', 23)), name='varslingsvalg_gyldig_time')],
            },
        ),
    ]
