"""The parties to a decision: added, changed and removed by the case's officer while the case is vedtatt,
with organisation and identity numbers checked by their check digits, and identity numbers never shown."""

import pytest
from django.urls import reverse
from django.utils import timezone

from saker import services
from saker.models import Dokument, Forsendelse, Part, Sak
from tests.factories import BrukerFactory, SakFactory, VedtakFactory
from tests.saker.test_identitet import feil_siste_siffer, forste_gyldige_fnr

pytestmark = pytest.mark.django_db

ORGNR = "974760673"
FNR = forste_gyldige_fnr("010190")
MASKERT = "010190*****"


@pytest.fixture
def sak(saksbehandler):
    return VedtakFactory(sak__saksbehandler=saksbehandler).sak


def skjema(**felt) -> dict:
    return {"navn": "Kari Nordmann", "adresse": "Storgata 1", "postnummer": "2000", "poststed": "Lillestrøm",
            "orgnr": "", "fnr": "", **felt}


def lag_part(sak, **felt) -> Part:
    return services.part_opprett(sak=sak, av=sak.saksbehandler, data=services.PartData(**skjema(**felt)))


def test_the_case_officer_adds_a_company_with_its_organisation_number(client, saksbehandler, sak):
    client.force_login(saksbehandler)
    response = client.post(reverse("saker:parter", args=[sak.pk]),
                           skjema(navn="Fet Bygg AS", orgnr="974 760 673"))
    assert response.status_code == 302
    part = sak.parter.get()
    assert (part.navn, part.orgnr, part.fnr) == ("Fet Bygg AS", ORGNR, "")
    assert part.forsendelse.status == Forsendelse.Status.IKKE_SENDT


def test_a_persons_identity_number_is_stored_but_shown_only_masked(client, saksbehandler, sak):
    client.force_login(saksbehandler)
    response = client.post(reverse("saker:parter", args=[sak.pk]), skjema(fnr=FNR), follow=True)
    assert sak.parter.get().fnr == FNR
    for html in (response.content.decode(), client.get(sak.get_absolute_url()).content.decode(),
                 client.get(reverse("saker:part_rediger", args=[sak.pk, sak.parter.get().pk])).content.decode()):
        assert MASKERT in html
        assert FNR not in html


@pytest.mark.parametrize(("felt", "melding"), [
    ({"orgnr": feil_siste_siffer(ORGNR)}, "Organisasjonsnummeret har feil kontrollsiffer."),
    ({"orgnr": "12345678"}, "Organisasjonsnummeret må ha 9 siffer."),
    ({"fnr": feil_siste_siffer(FNR)}, "Fødselsnummeret har feil kontrollsiffer."),
    ({"fnr": forste_gyldige_fnr("310290")}, "ikke en gyldig fødselsdato"),
    ({"orgnr": ORGNR, "fnr": FNR}, "enten organisasjonsnummer eller fødselsnummer, ikke begge"),
    ({"postnummer": "200"}, "Postnummeret må ha fire siffer."),
])
def test_bad_numbers_are_refused_with_a_message_and_nothing_is_saved(client, saksbehandler, sak, felt, melding):
    client.force_login(saksbehandler)
    response = client.post(reverse("saker:parter", args=[sak.pk]), skjema(**felt))
    html = response.content.decode()
    assert response.status_code == 200
    assert melding in html
    assert not sak.parter.exists()
    # Not even the number the user typed comes back in the page.
    if felt.get("fnr"):
        assert felt["fnr"] not in html


def test_editing_keeps_the_identity_number_unless_it_is_removed(client, saksbehandler, sak):
    part = lag_part(sak, fnr=FNR)
    client.force_login(saksbehandler)
    url = reverse("saker:part_rediger", args=[sak.pk, part.pk])
    client.post(url, skjema(adresse="Postboks 7"))
    part.refresh_from_db()
    assert (part.adresse, part.fnr) == ("Postboks 7", FNR)

    html = client.post(url, skjema(orgnr=ORGNR)).content.decode()
    assert "Kryss av for å fjerne" in html
    client.post(url, skjema(orgnr=ORGNR, fjern_fnr="on"))
    part.refresh_from_db()
    assert (part.orgnr, part.fnr) == (ORGNR, "")


def test_changing_a_party_with_a_letter_asks_for_a_new_letter(client, saksbehandler, sak):
    part = lag_part(sak)
    services.vedtaksbrev_lag(sak=sak, av=saksbehandler)
    client.force_login(saksbehandler)
    response = client.post(reverse("saker:part_rediger", args=[sak.pk, part.pk]), skjema(adresse="Postboks 7"),
                           follow=True)
    assert "Lag brevet til Kari Nordmann på nytt" in response.content.decode()


def test_an_unsent_party_is_removed_and_its_letters_stay_in_the_history(client, saksbehandler, sak):
    part = lag_part(sak)
    services.vedtaksbrev_lag(sak=sak, av=saksbehandler)
    client.force_login(saksbehandler)
    client.post(reverse("saker:part_fjern", args=[sak.pk, part.pk]))
    assert not sak.parter.exists()
    brev = sak.dokumenter.get(rolle=Dokument.Rolle.VEDTAKSBREV)
    assert (brev.part, brev.gjeldende) == (None, False)


def test_a_party_already_sent_the_letter_can_be_neither_removed_nor_changed(client, saksbehandler, sak):
    sendt, venter = lag_part(sak, navn="Sendt AS"), lag_part(sak, navn="Venter AS")
    services.vedtaksbrev_lag(sak=sak, av=saksbehandler)
    services.forsendelse_registrer_manuelt(part=sendt, av=saksbehandler, forsendelse_id="abc-1",
                                           dato=timezone.localdate())
    client.force_login(saksbehandler)
    response = client.post(reverse("saker:part_fjern", args=[sak.pk, sendt.pk]), follow=True)
    assert "Vedtaksbrevet er sendt til Sendt AS" in response.content.decode()
    with pytest.raises(services.SakFeil, match="sendt til Sendt AS"):
        services.part_oppdater(part=sendt, av=saksbehandler, data=services.PartData(**skjema()))
    assert set(sak.parter.values_list("navn", flat=True)) == {"Sendt AS", "Venter AS"}
    assert venter.forsendelse.status == Forsendelse.Status.IKKE_SENDT


@pytest.mark.parametrize("status", [Sak.Status.SENDT_SEKRETARIAT, Sak.Status.TRUKKET])
def test_parties_belong_to_a_case_with_a_vedtak(saksbehandler, status):
    sak = SakFactory(saksbehandler=saksbehandler, status=status)
    with pytest.raises(services.SakFeil, match="Parter og vedtaksbrev hører til et registrert vedtak"):
        lag_part(sak)


def test_nobody_but_the_case_officer_manages_the_parties(client, sak, utenforstaende, sekretar, godkjenner):
    part = lag_part(sak)
    urls = [reverse("saker:parter", args=[sak.pk]), reverse("saker:part_rediger", args=[sak.pk, part.pk]),
            reverse("saker:part_fjern", args=[sak.pk, part.pk])]
    client.force_login(utenforstaende)
    for url in urls:
        assert client.post(url, skjema(navn="Inntrenger")).status_code == 404
    assert client.get(urls[0]).status_code == 404
    client.force_login(sekretar)
    assert client.get(sak.get_absolute_url()).status_code == 200
    for url in urls:
        assert client.post(url, skjema(navn="Inntrenger")).status_code == 403
    colleague = BrukerFactory.saksbehandler(username="per", kommunalomrade=sak.kommunalomrade)
    client.force_login(colleague)
    assert client.post(urls[0], skjema(navn="Inntrenger")).status_code == 404
    assert list(sak.parter.values_list("navn", flat=True)) == ["Kari Nordmann"]


def test_the_admin_shows_the_identity_number_masked(admin_client, sak):
    part = lag_part(sak, fnr=FNR)
    for url in (reverse("admin:saker_part_changelist"), reverse("admin:saker_part_change", args=[part.pk])):
        html = admin_client.get(url).content.decode()
        assert MASKERT in html
        assert FNR not in html


def test_done_with_the_parties_makes_the_letters_in_one_press(client, saksbehandler, sak):
    lag_part(sak, navn="Åsenhagen velforening")
    lag_part(sak, navn="Kari Nordmann")
    client.force_login(saksbehandler)
    html = client.get(reverse("saker:parter", args=[sak.pk])).content.decode()
    assert f'action="{reverse("saker:vedtaksbrev_lag", args=[sak.pk])}"' in html
    assert "Ferdig: lag vedtaksbrevene" in html and "Lager brevet til 2 parter." in html

    svar = client.post(reverse("saker:vedtaksbrev_lag", args=[sak.pk]), follow=True)
    assert "Vedtaksbrev laget for 2 parter." in svar.content.decode()
    assert sak.dokumenter.filter(rolle=Dokument.Rolle.VEDTAKSBREV, part__isnull=False).count() == 2
    # Once letters exist, remaking them (which replaces any the officer uploaded) is asked for on the case page.
    html = client.get(reverse("saker:parter", args=[sak.pk])).content.decode()
    assert "Ferdig: lag vedtaksbrevene" not in html and "Ferdig: til vedtaksbrevene" in html
