"""An approver away on holiday, and the colleague standing in for them: while the period runs the stand-in has
the absent approver's inbox, decisions, lists and reminders, the history says "på vegne av", and the day after
it ends all of it is gone again. Standing in never lets anyone approve their own case."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from godkjenning import services as liste_services
from godkjenning.models import Motelistepunkt
from overgang.feil import Feil
from overgang.organisasjon.models import Fravaer, Rolle
from overgang.organisasjon.services import fravaer_opprett
from overgang.varsler.paminnelser import send_paminnelse
from saker import services
from saker.models import Hendelse, Sak
from saker.paminnelser import venter_pa_godkjenning
from saker.selectors import kan_godkjenne, synlige_saker, venter_pa
from tests.factories import BrukerFactory, MoteFactory, SakFactory, UtvalgFactory

pytestmark = pytest.mark.django_db


def dag(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def kari(omrade):
    """The kommunaldirektør of the sector, going on holiday."""
    return BrukerFactory.godkjenner(username="kari", first_name="Kari", last_name="Berg", kommunalomrade=omrade)


@pytest.fixture
def per(omrade):
    """Her deputy: an approver by role, working in the sector, approving none of it in his own right."""
    return BrukerFactory(rolle=Rolle.GODKJENNER, username="per", first_name="Per", last_name="Hansen",
                         kommunalomrade=omrade)


@pytest.fixture
def sendt_sak(saksbehandler, kari):
    return SakFactory(saksbehandler=saksbehandler, godkjenner=kari, status=Sak.Status.TIL_GODKJENNING,
                      tittel="Skolebehovsplan 2020–2030")


def borte(person, stedfortreder, fra: int = -2, til: int | None = 5) -> Fravaer:
    return fravaer_opprett(person=person, stedfortreder=stedfortreder, fra=dag(fra),
                           til=None if til is None else dag(til), av=person)


def test_without_a_period_the_deputy_sees_nothing_of_the_directors_inbox(client, per, sendt_sak):
    client.force_login(per)
    assert sendt_sak.tittel not in client.get(reverse("godkjenning:start")).content.decode()
    assert client.get(reverse("godkjenning:sak", args=[sendt_sak.pk])).status_code == 404


def test_during_the_period_the_stand_in_has_the_absent_approvers_inbox_and_is_told_why(client, kari, per,
                                                                                       sendt_sak):
    borte(kari, per)
    client.force_login(per)
    html = client.get(reverse("godkjenning:start")).content.decode()
    assert sendt_sak.tittel in html
    assert "Du er stedfortreder for Kari Berg" in html
    assert client.get(reverse("godkjenning:sak", args=[sendt_sak.pk])).status_code == 200


def test_the_stand_in_approves_and_the_history_says_on_whose_behalf(client, kari, per, sendt_sak, saksbehandler,
                                                                   django_capture_on_commit_callbacks):
    borte(kari, per)
    client.force_login(per)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("godkjenning:godkjenn", args=[sendt_sak.pk]),
                               {"utvalg_1": sendt_sak.behandlinger.get().utvalg_id})
    assert response.status_code == 302
    sendt_sak.refresh_from_db()
    assert sendt_sak.status == Sak.Status.GODKJENT
    hendelse = sendt_sak.hendelser.last()
    assert (hendelse.utfort_av, hendelse.pa_vegne_av) == (per, kari)
    # The officer reads it in the case's history.
    client.force_login(saksbehandler)
    assert "Per Hansen på vegne av Kari Berg" in client.get(sendt_sak.get_absolute_url()).content.decode()


def test_an_approver_acting_in_their_own_right_is_recorded_without_on_whose_behalf(kari, per, sendt_sak):
    borte(per, kari)  # Kari stands in for Per, but the sector is hers anyway
    services.sak_returner(sak=sendt_sak, av=kari, kommentar="Mangler kart.")
    assert sendt_sak.hendelser.last().pa_vegne_av is None


def test_the_stand_in_keeps_the_absent_directors_lists(client, kari, per, saksbehandler):
    hou = UtvalgFactory(navn="Hovedutvalg for oppvekst", kode="HOU")
    mote = MoteFactory(utvalg=hou)
    sak = SakFactory(saksbehandler=saksbehandler, godkjenner=kari, status=Sak.Status.GODKJENT, rute=[hou])
    punkt = Motelistepunkt.objects.create(sak=sak, mote=mote, lagt_til_av=kari)
    borte(kari, per)
    client.force_login(per)
    html = client.get(reverse("godkjenning:motelister")).content.decode()
    assert f'data-punkt="{punkt.pk}"' in html and "Du er stedfortreder for Kari Berg" in html
    liste_services.liste_fjern(punkt=punkt, av=per, grunn="Saken venter på ny høring.")
    assert Motelistepunkt.objects.get(pk=punkt.pk).status == Motelistepunkt.Status.FJERNET


def test_a_case_sent_to_the_absent_approver_is_sent_to_the_stand_in_too(kari, per, saksbehandler,
                                                                       django_capture_on_commit_callbacks):
    borte(kari, per)
    sak = SakFactory(saksbehandler=saksbehandler)
    with django_capture_on_commit_callbacks(execute=True):
        services.sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=kari)
    til = {m.to[0]: m for m in mail.outbox}
    assert set(til) == {kari.email, per.email}
    assert "stedfortreder for Kari Berg" in til[per.email].body
    assert "stedfortreder" not in til[kari.email].body


def test_the_reminder_of_a_waiting_case_reaches_the_stand_in_too(kari, per, sendt_sak, settings,
                                                                 django_capture_on_commit_callbacks):
    settings.PAMINNELSE_GODKJENNING_ARBEIDSDAGER = 3
    Sak.objects.filter(pk=sendt_sak.pk).update(status_endret=timezone.now() - datetime.timedelta(days=20))
    borte(kari, per)
    [paminnelse] = venter_pa_godkjenning(timezone.localdate())
    with django_capture_on_commit_callbacks(execute=True):
        send_paminnelse(regel="sak_venter_pa_godkjenning", paminnelse=paminnelse)
    til = {m.to[0]: m for m in mail.outbox}
    assert set(til) == {kari.email, per.email}
    assert "Du får den fordi du er stedfortreder for Kari Berg" in til[per.email].body


def test_a_period_over_yesterday_gives_nothing(client, kari, per, sendt_sak):
    Fravaer.objects.create(person=kari, stedfortreder=per, fra=dag(-10), til=dag(-1))
    client.force_login(per)
    assert sendt_sak.tittel not in client.get(reverse("godkjenning:start")).content.decode()
    assert client.get(reverse("godkjenning:sak", args=[sendt_sak.pk])).status_code == 404
    with pytest.raises(Feil, match="kan ikke godkjenne saker fra dette kommunalområdet"):
        services.sak_godkjenn(sak=sendt_sak, av=per, rute=[sendt_sak.behandlinger.get().utvalg], onsket_mote=None)


def test_the_period_ends_by_itself_the_day_after_til(kari, per, sendt_sak, monkeypatch):
    borte(kari, per, fra=0, til=3)
    assert kan_godkjenne(per, sendt_sak) and venter_pa(per).filter(pk=sendt_sak.pk).exists()
    naa = timezone.now()
    monkeypatch.setattr(timezone, "now", lambda: naa + datetime.timedelta(days=3))
    assert kan_godkjenne(per, sendt_sak)  # the last day is included
    monkeypatch.setattr(timezone, "now", lambda: naa + datetime.timedelta(days=4))
    assert not kan_godkjenne(per, sendt_sak)
    assert not venter_pa(per).exists() and not synlige_saker(per).exists()


def test_a_coming_period_gives_nothing_yet(kari, per, sendt_sak):
    borte(kari, per, fra=1, til=10)
    assert not kan_godkjenne(per, sendt_sak)


def test_a_stand_in_cannot_approve_their_own_case(client, kari, omrade, django_capture_on_commit_callbacks):
    # A deputy who also writes cases (both roles) sent one to Kari before she left.
    nestleder = BrukerFactory(rolle=Rolle.GODKJENNER, username="nina", first_name="Nina", last_name="Dahl",
                              kommunalomrade=omrade)
    nestleder.groups.add(Group.objects.get_or_create(name=Rolle.SAKSBEHANDLER)[0])
    sak = SakFactory(saksbehandler=nestleder, godkjenner=kari, status=Sak.Status.TIL_GODKJENNING)
    borte(kari, nestleder)
    client.force_login(nestleder)
    antall = Hendelse.objects.count()
    response = client.post(reverse("godkjenning:godkjenn", args=[sak.pk]),
                           {"utvalg_1": sak.behandlinger.get().utvalg_id})
    assert response.status_code == 409
    assert ("Du kan ikke godkjenne eller returnere din egen sak, heller ikke som stedfortreder for Kari Berg."
            in response.content.decode())
    sak.refresh_from_db()
    assert sak.status == Sak.Status.TIL_GODKJENNING and Hendelse.objects.count() == antall


def test_standing_in_for_the_officer_rules_out_approving_the_case(kari, per, saksbehandler, omrade):
    # Per stands in for Kari (approver) and for the case officer at once: he may not approve what he carries.
    per.groups.add(Group.objects.get_or_create(name=Rolle.SAKSBEHANDLER)[0])
    per = type(per).objects.get(pk=per.pk)
    Fravaer.objects.create(person=kari, stedfortreder=per, fra=dag(-1), til=dag(3))
    Fravaer.objects.create(person=saksbehandler, stedfortreder=per, fra=dag(-1), til=dag(3))
    sak = SakFactory(saksbehandler=saksbehandler, godkjenner=kari, status=Sak.Status.TIL_GODKJENNING)
    with pytest.raises(Feil, match="Du står inn for saksbehandleren"):
        services.sak_returner(sak=sak, av=per, kommentar="Mangler kart.")


def test_the_radmanns_stand_in_approves_cases_of_every_sector(per, utenforstaende):
    radmann = BrukerFactory.godkjenner(username="rolf", first_name="Rolf", er_radmann=True)
    sak = SakFactory(saksbehandler=utenforstaende, status=Sak.Status.TIL_GODKJENNING, godkjenner=radmann)
    assert not kan_godkjenne(per, sak)
    borte(radmann, per)
    assert kan_godkjenne(per, sak)
    services.sak_returner(sak=sak, av=per, kommentar="Mangler kart.")
    assert sak.hendelser.last().pa_vegne_av == radmann
