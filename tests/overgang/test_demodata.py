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
    # The sweeper's heartbeat (varsler.Feiing) is not demo data: it depends on whether a sweep ran meanwhile.
    return {m._meta.label: m.objects.count() for m in apps.get_models()
            if m._meta.app_label in {"organisasjon", "saker", "godkjenning", "sekretariat", "varsler"}
            and m._meta.label != "varsler.Feiing"}


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
    assert set(Sak.objects.values_list("status", flat=True)) >= {
        Sak.Status.UTKAST, Sak.Status.TIL_GODKJENNING, Sak.Status.RETURNERT, Sak.Status.GODKJENT}


def _brevsteg(sak: Sak) -> tuple[str, int, int, int]:
    """(state, parties, current letters, letters sent)"""
    brev = Dokument.objects.filter(sak=sak, rolle=Dokument.Rolle.VEDTAKSBREV, gjeldende=True).count()
    sendt = Forsendelse.objects.filter(part__sak=sak, status=Forsendelse.Status.SENDT).count()
    return sak.status, sak.parter.count(), brev, sendt


def test_the_demo_shows_every_step_after_the_meeting(demo):
    # A meeting held today, with every outcome recorded and one still to record.
    idag = Mote.objects.get(tidspunkt__date=timezone.localdate(), status=Mote.Status.AVHOLDT)
    utfall = list(idag.sakslistepunkter.values_list("utfall", flat=True))
    assert set(utfall) == {"", Utfall.VEDTAK, Utfall.INNSTILLING, Utfall.UTSATT, Utfall.TRUKKET}
    # The postponed case and the innstilling stand on coming agendas, so neither falls out.
    for punkt in idag.sakslistepunkter.filter(utfall__in=[Utfall.UTSATT, Utfall.INNSTILLING]):
        assert punkt.neste_mote.er_kommende()
        assert Sakslistepunkt.objects.filter(mote=punkt.neste_mote, sak=punkt.sak).exists()

    # Decided cases at every step of the letters.
    steg = [_brevsteg(sak) for sak in Sak.objects.filter(vedtak__isnull=False)]
    assert ("vedtatt", 0, 0, 0) in steg, "a vedtak with no parties yet"
    assert any(s == "vedtatt" and p > 0 and b == p and u == 0 for s, p, b, u in steg), "letters made, none sent"
    assert any(s == "vedtatt" and 0 < u < p for s, p, b, u in steg), "some letters sent"
    assert any(s == "avsluttet" and u == p > 0 for s, p, b, u in steg), "all sent, the case closed"
    assert Sak.objects.filter(status=Sak.Status.TRUKKET).exists()

    # An earlier meeting's vedtak counts its days from the morning after that meeting.
    tidligere = Vedtak.objects.filter(mote__tidspunkt__date__lt=timezone.localdate() - datetime.timedelta(days=7))
    assert tidligere.exists()
    for vedtak in tidligere:
        assert timezone.localdate(vedtak.registrert) == (timezone.localdate(vedtak.mote.tidspunkt)
                                                         + datetime.timedelta(days=1))

    # A past meeting waits to be marked held, with its case on the agenda.
    venter = Mote.objects.filter(tidspunkt__lt=timezone.now(), status=Mote.Status.PLANLAGT)
    assert [m.sakslistepunkter.count() for m in venter] == [1]


# A real flush: inside a test's rolled-back transaction, the flush's new content types would stay in Django's
# cache after the rollback brought back the old rows, and later tests would send e-mail about the wrong object.
@pytest.mark.django_db(transaction=True)
def test_reset_starts_the_demo_afresh(demo, capsys):
    forste = counts()
    filer = list(Dokument.objects.values_list("fil", flat=True))
    lagret = Dokument.objects.first().fil.storage
    assert all(lagret.exists(f) for f in filer)
    Bruker.objects.create_user("ekstra", password="x")
    Sak.objects.filter(status=Sak.Status.UTKAST).update(tittel="Endret i demoen")

    call_command("demodata", "--nullstill")

    assert counts() == forste
    assert not Bruker.objects.filter(username="ekstra").exists()
    assert not Sak.objects.filter(tittel="Endret i demoen").exists()
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
