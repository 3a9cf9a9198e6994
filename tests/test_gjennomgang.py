"""Found in the security and correctness review of the session's work (sign-in, absence, letters followed in
SvarUt): each test shows what a user would have met before the fix."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from overgang.organisasjon.models import Fravaer
from overgang.organisasjon.services import FravaerFeil, fravaer_opprett
from saker import services
from saker.models import Forsendelse, Part
from tests.factories import BrukerFactory, VedtakFactory

pytestmark = pytest.mark.django_db

OIDC_BACKEND = "overgang.innlogging.backends.OidcBackend"


def test_a_user_signed_in_with_the_municipalitys_account_is_signed_out_once_deactivated(client, saksbehandler):
    # Django's password backend drops a deactivated user's session at the next request; the provider's backend
    # must too, or an administrator deactivating a leaver leaves them signed in for the rest of the working day.
    client.force_login(saksbehandler, backend=OIDC_BACKEND)
    assert client.get(reverse("om")).status_code == 200
    saksbehandler.is_active = False
    saksbehandler.save(update_fields=["is_active"])
    svar = client.get(reverse("om"))
    assert svar.status_code == 302 and svar["Location"].startswith(reverse("login"))


@pytest.fixture
def kollega(omrade):
    return BrukerFactory.saksbehandler(username="per", first_name="Per", last_name="Hansen", kommunalomrade=omrade)


def test_nobody_goes_away_while_standing_in_for_someone_in_the_same_days(client, saksbehandler, kollega, omrade):
    # Sara is away and Per stands in. If Per could then go away himself in the same days, Sara's cases would be
    # seen by nobody: Per's own stand-in does not inherit Sara's (standing in is not passed on).
    idag = timezone.localdate()
    fravaer_opprett(person=saksbehandler, stedfortreder=kollega, fra=idag, til=idag + datetime.timedelta(days=14),
                    av=saksbehandler)
    tredje = BrukerFactory.saksbehandler(username="ida", kommunalomrade=omrade)
    client.force_login(kollega)
    svar = client.post(reverse("fravaer"), {"fra": (idag + datetime.timedelta(days=5)).isoformat(),
                                            "til": (idag + datetime.timedelta(days=9)).isoformat(),
                                            "stedfortreder": tredje.pk})
    assert svar.status_code == 400
    assert f"Per Hansen står inn for {saksbehandler}" in svar.content.decode()
    assert not Fravaer.objects.filter(person=kollega).exists()
    # Days after Sara is back are free.
    fravaer_opprett(person=kollega, stedfortreder=tredje, fra=idag + datetime.timedelta(days=15), til=None,
                    av=kollega)
    with pytest.raises(FravaerFeil):  # the admin's form asks the same rule
        fravaer_opprett(person=kollega, stedfortreder=tredje, fra=idag, til=idag, av=kollega)


def test_the_stand_in_is_told_why_they_get_the_letter_not_delivered(saksbehandler, kollega, sekretar,
                                                                    django_capture_on_commit_callbacks):
    vedtak = VedtakFactory(sak__saksbehandler=saksbehandler, registrert_av=sekretar)
    part = Part.objects.create(sak=vedtak.sak, navn="Kari Nordmann", adresse="Storgata 1", postnummer="2000",
                               poststed="Lillestrøm")
    forsendelse = Forsendelse.objects.create(part=part, status=Forsendelse.Status.SENDT,
                                             kanal=Forsendelse.Kanal.SVARUT, forsendelse_id="f-1",
                                             svarut_status="MOTTATT", sendt=timezone.now(), sendt_av=saksbehandler)
    fravaer_opprett(person=saksbehandler, stedfortreder=kollega, fra=timezone.localdate(), til=None,
                    av=saksbehandler)
    with django_capture_on_commit_callbacks(execute=True):
        services.forsendelse_registrer_status(forsendelse=forsendelse, status="IKKE_LEVERT")
    [til_per] = [m for m in mail.outbox if m.to == [kollega.email]]
    assert f"stedfortreder for {saksbehandler}" in til_per.body
    assert f"stedfortreder for {saksbehandler}" in til_per.alternatives[0][0]
    [til_sara] = [m for m in mail.outbox if m.to == [saksbehandler.email]]
    assert "stedfortreder" not in til_sara.body
