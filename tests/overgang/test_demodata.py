import pytest
from django.apps import apps
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m._meta.app_label in {"organisasjon", "saker", "godkjenning", "sekretariat", "varsler"}}


def test_running_the_demo_command_twice_creates_nothing_twice(capsys, settings):
    settings.DEBUG = True
    call_command("demodata")
    forste = counts()
    call_command("demodata")
    assert counts() == forste
    assert forste["organisasjon.Bruker"] == 6
    assert forste["organisasjon.Mote"] == 20
    assert "passord: overgang-demo" in capsys.readouterr().out


def test_demo_data_has_a_case_in_each_state_of_the_approval_loop(settings):
    from saker.models import Sak

    settings.DEBUG = True
    call_command("demodata")
    assert set(Sak.objects.values_list("status", flat=True)) >= {
        Sak.Status.UTKAST, Sak.Status.TIL_GODKJENNING, Sak.Status.RETURNERT, Sak.Status.GODKJENT}


def test_demo_data_refuses_to_run_without_debug():
    with pytest.raises(CommandError, match="bare med DEBUG"):
        call_command("demodata")


def test_there_is_no_way_around_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demodata", "--tillat-uten-debug")
