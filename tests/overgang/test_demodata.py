import datetime

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from overgang.organisasjon.models import Bruker, Mote
from saker.models import Dokument, Forsendelse, Sak, Vedtak
from sekretariat.models import Sakslistepunkt, Utfall

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m._meta.app_label in {"organisasjon", "saker", "godkjenning", "sekretariat", "varsler"}}


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("demodata")


def test_running_the_demo_command_twice_creates_nothing_twice(capsys, settings):
    settings.DEBUG = True
    call_command("demodata")
    forste = counts()
    call_command("demodata")
    assert counts() == forste
    assert forste["organisasjon.Bruker"] == 6
    # Four coming meetings per committee, today's and an earlier meeting held, one past meeting not yet held.
    assert forste["organisasjon.Mote"] == 23
    assert "passord: overgang-demo" in capsys.readouterr().out


def test_demo_data_has_a_case_in_each_state_of_the_approval_loop(demo):
    assert set(Sak.objects.values_list("status", flat=True)) >= {
        Sak.Status.UTKAST, Sak.Status.TIL_GODKJENNING, Sak.Status.RETURNERT, Sak.Status.GODKJENT}


def test_a_meeting_was_held_today_with_every_outcome_recorded_and_one_still_to_record(demo):
    idag = Mote.objects.get(tidspunkt__date=timezone.localdate(), status=Mote.Status.AVHOLDT)
    utfall = list(idag.sakslistepunkter.values_list("utfall", flat=True))
    assert set(utfall) == {"", Utfall.VEDTAK, Utfall.INNSTILLING, Utfall.UTSATT, Utfall.TRUKKET}
    # The postponed case and the innstilling stand on coming agendas, so neither falls out.
    for punkt in idag.sakslistepunkter.filter(utfall__in=[Utfall.UTSATT, Utfall.INNSTILLING]):
        assert punkt.neste_mote.er_kommende()
        assert Sakslistepunkt.objects.filter(mote=punkt.neste_mote, sak=punkt.sak).exists()


def test_the_decided_cases_stand_at_every_step_of_the_letters(demo):
    vedtatte = Sak.objects.filter(vedtak__isnull=False)

    def steg(sak: Sak) -> tuple[int, int, int]:
        brev = Dokument.objects.filter(sak=sak, rolle=Dokument.Rolle.VEDTAKSBREV, gjeldende=True).count()
        sendt = Forsendelse.objects.filter(part__sak=sak, status=Forsendelse.Status.SENDT).count()
        return sak.parter.count(), brev, sendt

    trinn = {sak.arkivsaksnr: (sak.status, *steg(sak)) for sak in vedtatte}
    assert ("vedtatt", 0, 0, 0) in trinn.values()  # no parties yet
    assert any(s == "vedtatt" and p > 0 and b == p and u == 0 for s, p, b, u in trinn.values())  # letters, none sent
    assert any(s == "vedtatt" and 0 < u < p for s, p, b, u in trinn.values())  # some sent
    assert any(s == "avsluttet" and u == p > 0 for s, p, b, u in trinn.values())  # all sent, closed
    assert Sak.objects.filter(status=Sak.Status.TRUKKET).exists()


def test_an_earlier_vedtak_counts_its_days_from_the_morning_after_its_meeting(demo):
    tidligere = Vedtak.objects.filter(mote__tidspunkt__date__lt=timezone.localdate() - datetime.timedelta(days=7))
    assert tidligere.exists()
    for vedtak in tidligere:
        assert timezone.localdate(vedtak.registrert) == timezone.localdate(vedtak.mote.tidspunkt) + datetime.timedelta(
            days=1)


def test_a_past_meeting_waits_to_be_marked_held(demo):
    venter = Mote.objects.filter(tidspunkt__lt=timezone.now(), status=Mote.Status.PLANLAGT)
    assert venter.count() == 1
    assert venter.get().sakslistepunkter.count() == 1


def test_reset_starts_the_demo_afresh(demo, capsys):
    forste = counts()
    filer = list(Dokument.objects.values_list("fil", flat=True))
    lagret = Dokument.objects.first().fil.storage
    assert all(lagret.exists(f) for f in filer)
    Bruker.objects.create_user("ekstra", password="x")
    Sak.objects.filter(status=Sak.Status.UTKAST).delete()

    call_command("demodata", "--nullstill")

    assert counts() == forste
    assert not Bruker.objects.filter(username="ekstra").exists()
    assert Sak.objects.filter(status=Sak.Status.UTKAST).exists()
    assert not any(lagret.exists(f) for f in filer), "the old demo's files are deleted with its rows"
    assert "begynner på nytt" in capsys.readouterr().out


def test_reset_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="bare med DEBUG"):
        call_command("demodata", "--nullstill")


def test_reset_refuses_a_database_that_is_not_for_development(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setattr(connection, "vendor", "postgresql")
    monkeypatch.setitem(connection.settings_dict, "NAME", "overgang")
    Bruker.objects.create_user("ekte", password="x")
    with pytest.raises(CommandError, match="ikke i «overgang»"):
        call_command("demodata", "--nullstill")
    assert Bruker.objects.filter(username="ekte").exists()


def test_demo_data_refuses_to_run_without_debug():
    with pytest.raises(CommandError, match="bare med DEBUG"):
        call_command("demodata")


def test_there_is_no_way_around_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demodata", "--tillat-uten-debug")
