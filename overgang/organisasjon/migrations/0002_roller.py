from django.db import migrations

ROLLER = ["saksbehandler", "godkjenner", "sekretariat"]


def lag_roller(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for navn in ROLLER:
        Group.objects.get_or_create(name=navn)


class Migration(migrations.Migration):
    dependencies = [
        ("organisasjon", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(lag_roller, migrations.RunPython.noop)]
