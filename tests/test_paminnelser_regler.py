"""The five reminder rules of issue 11, registered by the apps: each fires when its cause is late, counted in
Norwegian working days where the setting says so (weekends and public holidays such as Easter do not count),
names why and what to do, and reaches the right people."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from godkjenning.models import Motelistepunkt
from godkjenning.paminnelser import ikke_mottatt, ikke_sendt
from overgang.organisasjon.models import Mote
from overgang.varsler.paminnelser import send_paminnelser
from saker.models import Forsendelse, Part, Sak
from saker.paminnelser import vedtaksbrev_ikke_sendt, venter_pa_godkjenning
from sekretariat.paminnelser import utfall_mangler
from tests.factories import (
    BrukerFactory,
    MoteFactory,
    MotelistepunktFactory,
    SakFactory,
    SakslistepunktFactory,
    VedtakFactory,
)

pytestmark = pytest.mark.django_db
OSLO = ZoneInfo("Europe/Oslo")


def kl12(dag: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(dag, datetime.time(12), tzinfo=OSLO)


@pytest.fixture(autouse=True)
def terskler(settings):
    settings.PAMINNELSE_GODKJENNING_ARBEIDSDAGER = 3
    settings.PAMINNELSE_RADMANN_ARBEIDSDAGER = 2
    settings.PAMINNELSE_SENDEFRIST_ARBEIDSDAGER = 2
    settings.PAMINNELSE_VEDTAKSBREV_DAGER = 7


def test_a_case_sent_the_day_before_easter_reminds_its_approver_after_three_working_days(saksbehandler,
                                                                                         godkjenner):
    # Sent Wednesday 24 March 2027; Maundy Thursday, Good Friday, the weekend and Easter Monday do not count.
    SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.TIL_GODKJENNING,
               status_endret=kl12(datetime.date(2027, 3, 24)), tittel="Skolebehovsplan")
    assert list(venter_pa_godkjenning(datetime.date(2027, 4, 1))) == []  # the third working day
    [p] = venter_pa_godkjenning(datetime.date(2027, 4, 2))
    assert p.mottakere == [godkjenner]
    assert "har ventet på godkjenning i 4 arbeidsdager" in p.grunn and "Godkjenn saken" in p.hva


def test_after_more_working_days_the_radmann_is_reminded_too(saksbehandler, godkjenner):
    radmann = BrukerFactory.godkjenner(username="rolf", er_radmann=True)
    SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.TIL_GODKJENNING,
               status_endret=kl12(datetime.date(2027, 3, 24)))
    [p] = venter_pa_godkjenning(datetime.date(2027, 4, 5))  # Monday: 5 working days, not yet
    assert p.mottakere == [godkjenner]
    [p] = venter_pa_godkjenning(datetime.date(2027, 4, 6))
    assert p.mottakere == [godkjenner, radmann]


def test_an_approved_case_not_sent_is_reminded_from_two_working_days_before_the_saksfrist(saksbehandler):
    # Saksfrist Tuesday 30 March 2027, just after Easter: two working days before it is Tuesday 23 March.
    mote = MoteFactory(tidspunkt=kl12(datetime.date(2027, 4, 8)), saksfrist=datetime.date(2027, 3, 30))
    SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT, onsket_mote=mote, tittel="Barnehageplan")
    assert list(ikke_sendt(datetime.date(2027, 3, 22))) == []
    [p] = ikke_sendt(datetime.date(2027, 3, 23))
    assert p.mottakere == [saksbehandler] and "saksfristen er 30.03.2027" in p.grunn


def test_a_wish_yields_to_the_directors_listing_on_a_later_meeting(saksbehandler):
    onsket = MoteFactory(tidspunkt=kl12(datetime.date(2027, 4, 8)), saksfrist=datetime.date(2027, 3, 30))
    senere = MoteFactory(utvalg=onsket.utvalg, tidspunkt=kl12(datetime.date(2027, 6, 10)),
                         saksfrist=datetime.date(2027, 5, 31))
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT, onsket_mote=onsket)
    assert len(list(ikke_sendt(datetime.date(2027, 3, 23)))) == 1
    MotelistepunktFactory(sak=sak, mote=senere)  # the director moved it on: no reminder for the wish's saksfrist
    assert list(ikke_sendt(datetime.date(2027, 3, 23))) == []
    [p] = ikke_sendt(datetime.date(2027, 5, 27))
    assert "saksfristen er 31.05.2027" in p.grunn


def test_a_listed_case_not_received_at_the_saksfrist_reminds_the_director_and_the_officer(saksbehandler,
                                                                                          godkjenner):
    mote = MoteFactory(tidspunkt=timezone.now() + datetime.timedelta(days=5),
                       saksfrist=timezone.localdate() - datetime.timedelta(days=1))
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT)
    Motelistepunkt.objects.create(sak=sak, mote=mote, lagt_til_av=godkjenner)
    [p] = ikke_mottatt(timezone.localdate())
    assert set(p.mottakere) == {saksbehandler, godkjenner}
    Sak.objects.filter(pk=sak.pk).update(status=Sak.Status.SENDT_SEKRETARIAT)
    assert list(ikke_mottatt(timezone.localdate())) == []


def test_a_held_meeting_with_outcomes_missing_reminds_the_secretariat(sekretar, settings):
    mote = MoteFactory(tidspunkt=timezone.now() - datetime.timedelta(days=2), status=Mote.Status.AVHOLDT)
    SakslistepunktFactory(mote=mote)
    [p] = utfall_mangler(timezone.localdate())
    assert p.mottakere[0] == settings.SEKRETARIAT_EPOST and sekretar in p.mottakere
    assert "utfallet er ikke registrert for 1 sak" in p.grunn


def test_a_vedtak_whose_letter_has_not_reached_every_party_reminds_the_officer_after_seven_days(saksbehandler):
    vedtak = VedtakFactory(sak__saksbehandler=saksbehandler)
    part = Part.objects.create(sak=vedtak.sak, navn="Fet IL", adresse="Gate 1", postnummer="1900", poststed="Fetsund")
    Forsendelse.objects.create(part=part)
    dag = timezone.localtime(vedtak.registrert).date()
    assert list(vedtaksbrev_ikke_sendt(dag + datetime.timedelta(days=6))) == []
    [p] = vedtaksbrev_ikke_sendt(dag + datetime.timedelta(days=7))
    assert p.mottakere == [saksbehandler] and "vedtaksbrevet er ikke sendt til alle partene" in p.grunn
    # Sent and waiting for SvarUt's delivery report is not "not sent" (the control page follows the delivery).
    Forsendelse.objects.filter(part=part).update(status=Forsendelse.Status.SENDT, sendt=timezone.now(),
                                                 forsendelse_id="x", kanal="svarut", svarut_status="MOTTATT")
    assert list(vedtaksbrev_ikke_sendt(dag + datetime.timedelta(days=7))) == []


def test_the_morning_run_sends_each_reminder_once_a_day_and_none_on_a_holiday(
        saksbehandler, godkjenner, django_capture_on_commit_callbacks):
    SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.TIL_GODKJENNING,
               status_endret=kl12(datetime.date(2027, 3, 24)))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_paminnelser(datetime.date(2027, 3, 29)) == 0  # Easter Monday
        assert send_paminnelser(datetime.date(2027, 4, 2)) == 1
        assert send_paminnelser(datetime.date(2027, 4, 2)) == 0
    [epost] = mail.outbox
    assert epost.to == [godkjenner.email]
    assert "har ventet på godkjenning i 4 arbeidsdager" in epost.body and "Hva du gjør: Godkjenn saken" in epost.body
