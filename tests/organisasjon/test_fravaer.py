"""Fravær og stedfortreder, the page and its rules: a person sets a period and a stand-in of the same role and
sector; anything else is refused in Norwegian and changes nothing; an administrator may do it in the admin,
under the same rules, and every change is in the endringslogg."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from overgang.endringslogg.models import Endring, Kilde
from overgang.organisasjon.models import Fravaer, Rolle
from overgang.organisasjon.services import FravaerFeil, fravaer_avslutt, fravaer_opprett
from tests.factories import BrukerFactory

pytestmark = pytest.mark.django_db


def dag(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


@pytest.fixture
def kollega(omrade):
    return BrukerFactory.saksbehandler(username="per", first_name="Per", last_name="Hansen", kommunalomrade=omrade)


def skjema(stedfortreder, fra: int = 1, til: int | None = 14) -> dict:
    return {"fra": dag(fra), "til": "" if til is None else dag(til), "stedfortreder": stedfortreder.pk}


def test_a_person_sets_a_period_and_a_stand_in_on_their_own_page(client, saksbehandler, kollega, utenforstaende):
    client.force_login(saksbehandler)
    html = client.get(reverse("fravaer")).content.decode()
    # Only those who fit are offered.
    assert f'value="{kollega.pk}"' in html and f'value="{utenforstaende.pk}"' not in html
    response = client.post(reverse("fravaer"), skjema(kollega), follow=True)
    fravaer = Fravaer.objects.get()
    assert (fravaer.person, fravaer.stedfortreder, fravaer.opprettet_av) == (saksbehandler, kollega, saksbehandler)
    assert "Fraværet er registrert: Per Hansen står inn for deg" in response.content.decode()
    assert Endring.objects.filter(objekt_id=fravaer.pk, utfort_av=saksbehandler).exists()
    # The stand-in sees it on their own page.
    client.force_login(kollega)
    assert str(saksbehandler) in client.get(reverse("fravaer")).content.decode()


def test_an_open_ended_period_runs_until_it_is_ended(client, saksbehandler, kollega):
    client.force_login(saksbehandler)
    client.post(reverse("fravaer"), skjema(kollega, fra=0, til=None))
    assert Fravaer.objects.get().til is None
    assert "inntil videre" in client.get(reverse("fravaer")).content.decode()


def avvist(client, person, data, melding: str) -> None:
    """The page answers 400 with the Norwegian message, and nothing is stored or logged."""
    client.force_login(person)
    for_ = (Fravaer.objects.count(), Endring.objects.count())
    response = client.post(reverse("fravaer"), data)
    assert response.status_code == 400
    assert melding in response.content.decode()
    assert (Fravaer.objects.count(), Endring.objects.count()) == for_


def test_a_stand_in_from_another_sector_is_refused(client, saksbehandler, utenforstaende):
    avvist(client, saksbehandler, skjema(utenforstaende),
           f"{utenforstaende} hører ikke til Oppvekst og utdanning. Stedfortrederen må være fra samme kommunalområde.")


def test_a_stand_in_of_another_role_is_refused(client, saksbehandler, omrade):
    leder = BrukerFactory(rolle=Rolle.GODKJENNER, username="lise", first_name="Lise", kommunalomrade=omrade)
    avvist(client, saksbehandler, skjema(leder), f"{leder} er ikke saksbehandler slik {saksbehandler} er")


def test_an_approvers_stand_in_must_work_in_or_approve_one_of_their_sectors(client, godkjenner, omrade,
                                                                           annet_omrade):
    fremmed = BrukerFactory.godkjenner(username="anne", kommunalomrade=annet_omrade)
    avvist(client, godkjenner, skjema(fremmed), "Stedfortrederen må være fra samme kommunalområde.")
    nestleder = BrukerFactory(rolle=Rolle.GODKJENNER, username="nils", kommunalomrade=omrade)
    client.post(reverse("fravaer"), skjema(nestleder))
    assert Fravaer.objects.get().stedfortreder == nestleder


def test_an_approvers_stand_in_shares_the_sectors_they_approve_not_only_their_office(client, omrade, annet_omrade):
    from tests.factories import KommunalomradeFactory

    stab = KommunalomradeFactory(navn="Stab")
    kari = BrukerFactory(rolle=Rolle.GODKJENNER, username="kari-stab", kommunalomrade=stab)
    omrade.godkjennere.add(kari)  # works in Stab, approves Oppvekst og utdanning
    helse = BrukerFactory(rolle=Rolle.GODKJENNER, username="hans-stab", kommunalomrade=stab)
    annet_omrade.godkjennere.add(helse)  # also in Stab, but approves Helse og omsorg
    avvist(client, kari, skjema(helse), "Stedfortrederen må være fra samme kommunalområde.")
    client.force_login(kari)
    assert f'value="{helse.pk}"' not in client.get(reverse("fravaer")).content.decode()  # not offered
    oppvekst = BrukerFactory(rolle=Rolle.GODKJENNER, username="olav", kommunalomrade=annet_omrade)
    omrade.godkjennere.add(oppvekst)
    client.post(reverse("fravaer"), skjema(oppvekst))
    assert Fravaer.objects.get(person=kari).stedfortreder == oppvekst


@pytest.mark.parametrize(("data", "melding"), [
    (lambda k, s: skjema(k, fra=5, til=2), "Til-datoen kan ikke være før fra-datoen."),
    (lambda k, s: skjema(k, fra=-10, til=-1), "Perioden er allerede over."),
    (lambda k, s: skjema(s), "Stedfortrederen må være en annen enn den som er borte."),
])
def test_nonsense_is_refused(client, saksbehandler, kollega, data, melding):
    avvist(client, saksbehandler, data(kollega, saksbehandler), melding)


def test_the_same_stand_in_is_not_set_twice_for_overlapping_days(client, saksbehandler, kollega):
    fravaer_opprett(person=saksbehandler, stedfortreder=kollega, fra=timezone.localdate(), til=None,
                    av=saksbehandler)
    avvist(client, saksbehandler, skjema(kollega, fra=20, til=30), "Per Hansen står allerede inn for")


def test_nobody_stands_in_while_away_themselves(client, saksbehandler, kollega, omrade):
    fravaer_opprett(person=kollega, stedfortreder=BrukerFactory.saksbehandler(kommunalomrade=omrade),
                    fra=timezone.localdate(), til=timezone.localdate() + datetime.timedelta(days=3), av=kollega)
    avvist(client, saksbehandler, skjema(kollega, fra=2, til=9), "Per Hansen er selv borte")


def test_ending_a_running_period_ends_it_yesterday_and_a_coming_one_is_removed(client, saksbehandler, kollega):
    idag = timezone.localdate()
    pagar = Fravaer.objects.create(person=saksbehandler, stedfortreder=kollega, fra=idag - datetime.timedelta(days=3))
    client.force_login(saksbehandler)
    response = client.post(reverse("fravaer_avslutt"), {"fravaer": pagar.pk}, follow=True)
    pagar.refresh_from_db()
    assert pagar.til == idag - datetime.timedelta(days=1)
    assert "Per Hansen står ikke lenger inn for deg" in response.content.decode()
    kommer = Fravaer.objects.create(person=saksbehandler, stedfortreder=kollega, fra=idag + datetime.timedelta(days=9))
    client.post(reverse("fravaer_avslutt"), {"fravaer": kommer.pk})
    assert not Fravaer.objects.filter(pk=kommer.pk).exists()
    assert Endring.objects.filter(objekt_id__in=[pagar.pk, kommer.pk]).count() == 2
    with pytest.raises(FravaerFeil, match="allerede over"):
        fravaer_avslutt(fravaer=pagar, av=saksbehandler)


def test_nobody_ends_another_persons_period(client, saksbehandler, kollega, utenforstaende):
    fravaer = Fravaer.objects.create(person=saksbehandler, stedfortreder=kollega, fra=timezone.localdate())
    for andre in (kollega, utenforstaende):
        client.force_login(andre)
        assert client.post(reverse("fravaer_avslutt"), {"fravaer": fravaer.pk}).status_code == 404
    assert Fravaer.objects.get(pk=fravaer.pk).til is None


def test_an_administrator_sets_a_period_in_the_admin_under_the_same_rules_and_it_is_logged(
        admin_client, admin_user, saksbehandler, kollega, utenforstaende):
    url = reverse("admin:organisasjon_fravaer_add")
    response = admin_client.post(url, {"person": saksbehandler.pk, "stedfortreder": utenforstaende.pk,
                                       "fra": dag(0), "til": dag(5)})
    assert response.status_code == 200 and "Stedfortrederen må være fra samme kommunalområde." in (
        response.content.decode())
    assert not Fravaer.objects.exists()
    admin_client.post(url, {"person": saksbehandler.pk, "stedfortreder": kollega.pk, "fra": dag(0), "til": dag(5)})
    fravaer = Fravaer.objects.get()
    assert fravaer.opprettet_av == admin_user
    assert Endring.objects.get(objekt_id=fravaer.pk).kilde == Kilde.ADMIN


def test_the_page_is_for_people_with_a_role(client, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("fravaer")).status_code == 403


def test_a_stand_in_among_the_recipients_gets_one_plain_email_and_a_test_goes_to_the_person_alone(
        saksbehandler, kollega, django_capture_on_commit_callbacks):
    from django.core import mail

    from overgang.varsler.services import notify

    fravaer_opprett(person=saksbehandler, stedfortreder=kollega, fra=timezone.localdate(), til=None,
                    av=saksbehandler)
    with django_capture_on_commit_callbacks(execute=True):
        notify("sak_trukket", saksbehandler, [saksbehandler, kollega])
        notify("test", saksbehandler, [saksbehandler])
    til = sorted((m.to[0], "stedfortreder for" in m.body) for m in mail.outbox)
    assert til == sorted([(saksbehandler.email, False), (kollega.email, False), (saksbehandler.email, False)])
