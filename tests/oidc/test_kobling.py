"""The group mapping (OIDC_GRUPPER), what a sign-in makes of verified claims, and the local password sign-in that
production may switch off. No provider needed."""

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from overgang.endringslogg.models import Endring
from overgang.innlogging import services
from overgang.innlogging.backends import LokalBackend, er_oidc_forsok
from overgang.innlogging.kobling import ROLLER, Gruppe, les_grupper, maal_for
from overgang.innlogging.models import Identitet
from overgang.organisasjon.models import Bruker, Rolle
from tests.factories import BrukerFactory, KommunalomradeFactory

UTSTEDER = "https://login.microsoftonline.com/tenant-id/v2.0"
GRUPPER = {
    "g-sb": Gruppe(rolle="saksbehandler", kommunalomrade="Oppvekst og utdanning"),
    "g-gk-oppvekst": Gruppe(rolle="godkjenner", kommunalomrade="Oppvekst og utdanning"),
    "g-gk-helse": Gruppe(rolle="godkjenner", kommunalomrade="Helse og omsorg"),
    "g-radmann": Gruppe(rolle="godkjenner", radmann=True),
}


def test_the_mapping_knows_the_same_roles_as_the_organisation():
    assert set(ROLLER) == set(Rolle.values)


def test_a_mapping_is_read_from_json_in_its_order():
    grupper = les_grupper('{"b": {"rolle": "sekretariat"}, "a": {"rolle": "godkjenner", "radmann": true}}')
    assert list(grupper) == ["b", "a"]
    assert grupper["a"] == Gruppe(rolle="godkjenner", radmann=True)


@pytest.mark.parametrize(("tekst", "melding"), [
    ("{", "OIDC_GRUPPER er ikke gyldig JSON"),
    ('["a"]', "OIDC_GRUPPER må være et JSON-objekt"),
    ('{"a": "saksbehandler"}', "OIDC_GRUPPER['a'] må være et objekt"),
    ('{"a": {"rolle": "leder"}}', "«rolle» må være en av saksbehandler, godkjenner, sekretariat (fikk 'leder')"),
    ('{"a": {"rolle": "saksbehandler", "sektor": "x"}}', "ukjente nøkler: sektor"),
    ('{"a": {"rolle": "saksbehandler", "radmann": true}}', "bare en godkjenner kan være rådmann"),
    ('{"a": {"rolle": "saksbehandler", "kommune": 3030}}', "«kommune» må være tekst"),
])
def test_a_wrong_mapping_is_refused_with_a_message_naming_the_fault(tekst, melding):
    with pytest.raises(ImproperlyConfigured, match=None) as feil:
        les_grupper(tekst)
    assert melding in str(feil.value)


def test_groups_and_app_roles_both_count_and_the_first_group_decides_the_sector():
    maal = maal_for({"groups": ["g-gk-helse", "ukjent"], "roles": "g-sb"}, GRUPPER, ["groups", "roles"])
    assert maal.roller == {"saksbehandler", "godkjenner"}
    assert maal.kommunalomrade == "Oppvekst og utdanning"  # g-sb comes first in the mapping
    assert maal.godkjenner_for == ("Helse og omsorg",)
    assert not maal.radmann


def test_no_known_group_gives_no_role():
    assert maal_for({"groups": ["ukjent"]}, GRUPPER, ["groups"]).roller == frozenset()


# --- What a sign-in makes of the claims ------------------------------------------------------------------------

@pytest.fixture
def omrader(db):
    return KommunalomradeFactory(navn="Oppvekst og utdanning"), KommunalomradeFactory(navn="Helse og omsorg")


@pytest.fixture(autouse=True)
def _grupper(settings):
    settings.OIDC_GRUPPER = GRUPPER
    settings.OIDC_GRUPPE_CLAIMS = ["groups", "roles"]


def claims(**ekstra) -> dict:
    return {"iss": UTSTEDER, "sub": "pairwise-1", "oid": "oid-1", "name": "Rolf Rådmann",
            "preferred_username": "rolf@lillestrom.kommune.no", **ekstra}


def test_an_approver_for_all_sectors_is_made_radmann(omrader):
    bruker = services.logg_inn(utsteder=UTSTEDER, claims=claims(groups=["g-radmann"]))
    assert bruker.er_radmann and bruker.roller == {"godkjenner"}
    assert (bruker.first_name, bruker.last_name) == ("Rolf", "Rådmann")


def test_without_oid_the_sub_is_the_identity(omrader):
    bruker = services.logg_inn(utsteder=UTSTEDER, claims=claims(oid=None, groups=["g-sb"]))
    assert Identitet.objects.get(bruker=bruker).subjekt == "pairwise-1"


def test_the_same_id_at_another_provider_is_another_person(omrader):
    forste = services.logg_inn(utsteder=UTSTEDER, claims=claims(groups=["g-sb"]))
    andre = services.logg_inn(utsteder="https://annen.example.no", claims=claims(groups=["g-sb"]))
    assert forste != andre
    assert andre.username == "rolf@lillestrom.kommune.no-2"


def test_role_changes_are_written_to_the_endringslogg(omrader):
    bruker = services.logg_inn(utsteder=UTSTEDER, claims=claims(groups=["g-sb"]))
    services.logg_inn(utsteder=UTSTEDER, claims=claims(groups=["g-sb", "g-gk-helse"]))
    endret = {e.felt: (e.gammel_verdi, e.ny_verdi) for e in Endring.objects.filter(objekt_id=bruker.pk, felt__in=[
        "roller", "godkjenner for"]).order_by("pk")}
    assert endret["roller"] == ("saksbehandler", "godkjenner, saksbehandler")
    assert endret["godkjenner for"] == ("", "Helse og omsorg")


def test_a_mapping_to_a_sector_that_does_not_exist_is_refused_with_a_message(db):
    with pytest.raises(services.InnloggingFeil, match="kommunalområde «Oppvekst og utdanning», som ikke finnes"):
        services.logg_inn(utsteder=UTSTEDER, claims=claims(groups=["g-sb"]))
    assert not Bruker.objects.exists()


def test_a_deactivated_user_is_refused(omrader):
    bruker = services.logg_inn(utsteder=UTSTEDER, claims=claims(groups=["g-sb"]))
    Bruker.objects.filter(pk=bruker.pk).update(is_active=False)
    with pytest.raises(services.InnloggingFeil, match="deaktivert"):
        services.logg_inn(utsteder=UTSTEDER, claims=claims(groups=["g-sb"]))


def test_staff_without_a_role_may_still_sign_in(omrader):
    bruker = services.logg_inn(utsteder=UTSTEDER, claims=claims(groups=["g-sb"]))
    Bruker.objects.filter(pk=bruker.pk).update(is_staff=True)
    assert services.logg_inn(utsteder=UTSTEDER, claims=claims(groups=[])) == bruker
    assert not bruker.groups.filter(name__in=Rolle.values).exists()


def test_groups_outside_the_roles_are_left_alone(omrader):
    bruker = services.logg_inn(utsteder=UTSTEDER, claims=claims(groups=["g-sb"]))
    bruker.groups.add(Group.objects.create(name="lesere"))
    services.logg_inn(utsteder=UTSTEDER, claims=claims(groups=["g-gk-helse"]))
    assert set(bruker.groups.values_list("name", flat=True)) == {"lesere", "godkjenner"}


# --- Local password sign-in ------------------------------------------------------------------------------------

@pytest.fixture
def lokal_av(settings):
    settings.LOKAL_INNLOGGING = False


def test_with_local_sign_in_off_only_a_superuser_signs_in_with_a_password(db, lokal_av):
    request = RequestFactory().post("/innlogging/nodinngang/")
    BrukerFactory(username="sara", password="riktig-passord-1")
    BrukerFactory(username="admin", password="riktig-passord-1", is_superuser=True, is_staff=True)
    assert LokalBackend().authenticate(request, username="sara", password="riktig-passord-1") is None
    assert LokalBackend().authenticate(request, username="admin", password="riktig-passord-1").username == "admin"


def test_with_local_sign_in_off_the_login_page_has_no_password_form(client, db, lokal_av, settings):
    settings.OIDC_ISSUER, settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "https://idp", "id", "s"
    side = client.get("/logg-inn/?next=/saker/").content.decode()
    assert 'href="/innlogging/oidc/start/?next=/saker/">Logg inn med kommunens konto</a>' in side
    assert 'name="password"' not in side
    svar = client.post("/logg-inn/", {"username": "admin", "password": "x"})
    assert svar.status_code == 403 and "Innlogging med passord er slått av" in svar.content.decode()


def test_the_break_glass_page_keeps_the_password_form(client, db, lokal_av):
    BrukerFactory(username="admin", password="riktig-passord-1", is_superuser=True, is_staff=True)
    assert 'name="password"' in client.get("/innlogging/nodinngang/").content.decode()
    svar = client.post("/innlogging/nodinngang/", {"username": "admin", "password": "riktig-passord-1"})
    assert svar.status_code == 302 and "_auth_user_id" in client.session


def test_a_password_session_of_a_non_superuser_ends_when_local_sign_in_is_switched_off(client, db, settings):
    sara = BrukerFactory(username="sara", password="riktig-passord-1")
    client.post("/logg-inn/", {"username": "sara", "password": "riktig-passord-1"})
    assert client.get("/om/").status_code == 200
    settings.LOKAL_INNLOGGING = False
    assert client.get("/om/").status_code == 302
    assert sara.is_active


def test_without_a_provider_the_login_page_is_the_password_form_alone(client, db):
    side = client.get("/logg-inn/").content.decode()
    assert "kommunens konto" not in side and 'name="password"' in side


def test_axes_leaves_out_only_the_providers_callback():
    assert er_oidc_forsok(None, {"nonce": "n", "code_verifier": "v"})
    assert not er_oidc_forsok(None, {"username": "sara", "password": "x"})
    assert not er_oidc_forsok(None, None)
