"""A case officer standing in for a colleague (on holiday, say) sees and carries the colleague's cases."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from overgang.organisasjon.models import Fravaer
from saker import services
from saker.models import Sak
from tests.factories import BrukerFactory, SakFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def stedfortreder(saksbehandler, omrade):
    kollega = BrukerFactory.saksbehandler(username="per", first_name="Per", kommunalomrade=omrade)
    idag = timezone.localdate()
    Fravaer.objects.create(person=saksbehandler, stedfortreder=kollega, fra=idag - datetime.timedelta(days=1),
                           til=idag + datetime.timedelta(days=7))
    return kollega


def test_a_stand_in_sees_the_colleagues_cases_in_the_list_marked_as_such(client, saksbehandler, stedfortreder):
    SakFactory(saksbehandler=saksbehandler, tittel="Saras sak om skolebuss")
    client.force_login(stedfortreder)
    html = client.get(reverse("saker:start")).content.decode()
    assert "Saras sak om skolebuss" in html
    assert f"stedfortreder for {saksbehandler}".lower() in html.lower()


def test_a_stand_in_sends_the_colleagues_case_for_approval(client, saksbehandler, stedfortreder, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler)
    client.force_login(stedfortreder)
    assert client.get(sak.get_absolute_url()).status_code == 200
    client.post(reverse("saker:send_til_godkjenning", args=[sak.pk]), {"godkjenner": godkjenner.pk})
    sak.refresh_from_db()
    assert sak.status == Sak.Status.TIL_GODKJENNING
    hendelse = sak.hendelser.last()
    assert (hendelse.utfort_av, hendelse.pa_vegne_av) == (stedfortreder, saksbehandler)


def test_a_colleague_who_does_not_stand_in_gets_404(client, saksbehandler, omrade):
    annen = BrukerFactory.saksbehandler(kommunalomrade=omrade)
    sak = SakFactory(saksbehandler=saksbehandler)
    client.force_login(annen)
    assert client.get(sak.get_absolute_url()).status_code == 404


def test_standing_in_is_one_way(client, saksbehandler, stedfortreder):
    sak = SakFactory(saksbehandler=stedfortreder)
    client.force_login(saksbehandler)
    assert client.get(sak.get_absolute_url()).status_code == 404


def test_the_stand_in_is_told_too_when_a_case_comes_back(saksbehandler, stedfortreder, godkjenner,
                                                         django_capture_on_commit_callbacks):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING)
    with django_capture_on_commit_callbacks(execute=True):
        services.sak_returner(sak=sak, av=godkjenner, kommentar="Mangler kart.")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([saksbehandler.email, stedfortreder.email])


@pytest.mark.parametrize("antall", [5, 50])
def test_the_list_still_runs_a_fixed_number_of_queries(client, saksbehandler, stedfortreder,
                                                      django_assert_num_queries, antall):
    for i in range(antall):
        SakFactory(saksbehandler=saksbehandler if i % 2 else stedfortreder)
    client.force_login(stedfortreder)
    with django_assert_num_queries(7):
        response = client.get(reverse("saker:start"))
    assert response.content.decode().count("<tr>") == antall + 1


def test_after_the_period_the_stand_in_no_longer_sees_or_carries_the_colleagues_cases(client, saksbehandler,
                                                                                     stedfortreder, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, tittel="Saras sak om skolebuss")
    Fravaer.objects.update(til=timezone.localdate() - datetime.timedelta(days=1))
    client.force_login(stedfortreder)
    assert "Saras sak om skolebuss" not in client.get(reverse("saker:start")).content.decode()
    assert client.get(sak.get_absolute_url()).status_code == 404
    with pytest.raises(services.SakFeil, match="Bare saksbehandleren"):
        services.sak_send_til_godkjenning(sak=sak, av=stedfortreder, godkjenner=godkjenner)


def test_the_officer_acting_on_their_own_case_is_recorded_without_on_whose_behalf(saksbehandler, stedfortreder,
                                                                                  godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler)
    services.sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=godkjenner)
    assert sak.hendelser.last().pa_vegne_av is None
