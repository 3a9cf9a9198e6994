"""The undated stand-ins of before (Bruker.stedfortreder_for) move into Fravaer without losing one: each becomes
an open-ended period from the day of the migration, so whoever stood in yesterday still does today. Run on the
migration's own function and its historical models, then through the real migration both ways."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

FOR = [("organisasjon", "0005_fravaer")]
ETTER = [("organisasjon", "0007_fjern_stedfortreder_for")]


def migrer(til):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(til)
    return executor.loader.project_state(til).apps


@pytest.fixture
def gammel_tilstand(transactional_db):
    """The database as it was before the data migration; put back to the newest state afterwards."""
    apps = migrer(FOR)
    yield apps
    migrer(MigrationExecutor(connection).loader.graph.leaf_nodes())


def lag_gamle(apps):
    Bruker = apps.get_model("organisasjon", "Bruker")
    sara, per, ola, kari = (Bruker.objects.create(username=n) for n in ("sara", "per", "ola", "kari"))
    # Per stood in for Sara and for Ola; Kari for Ola; a stray row made Kari her own stand-in.
    per.stedfortreder_for.add(sara, ola)
    kari.stedfortreder_for.add(ola, kari)
    return sara, per, ola, kari


def test_the_migration_function_keeps_every_stand_in_as_an_open_ended_period(gammel_tilstand):
    from importlib import import_module

    flytt = import_module("overgang.organisasjon.migrations.0006_stedfortredere_til_fravaer").flytt_stedfortredere
    sara, per, ola, kari = lag_gamle(gammel_tilstand)
    flytt(gammel_tilstand, None, idag=datetime.date(2026, 6, 1))
    Fravaer = gammel_tilstand.get_model("organisasjon", "Fravaer")
    assert sorted(Fravaer.objects.values_list("person__username", "stedfortreder__username", "fra", "til")) == [
        ("ola", "kari", datetime.date(2026, 6, 1), None),
        ("ola", "per", datetime.date(2026, 6, 1), None),
        ("sara", "per", datetime.date(2026, 6, 1), None),
    ]


def test_the_migrations_run_forward_from_today_and_back_again(gammel_tilstand):
    lag_gamle(gammel_tilstand)
    apps = migrer(ETTER)  # the old list is gone now
    Fravaer = apps.get_model("organisasjon", "Fravaer")
    assert Fravaer.objects.count() == 3
    assert set(Fravaer.objects.values_list("fra", flat=True)) == {timezone.localdate()}
    apps = migrer(FOR)  # the list comes back, filled from the open-ended periods
    Bruker = apps.get_model("organisasjon", "Bruker")
    assert sorted(Bruker.stedfortreder_for.through.objects.values_list("from_bruker__username",
                                                                       "to_bruker__username")) == [
        ("kari", "ola"), ("per", "ola"), ("per", "sara")]
