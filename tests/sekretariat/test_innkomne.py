"""Intake: received cases waiting for P360 registration, and registering them."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from overgang.feil import Feil
from saker.models import Registrering, Sak
from sekretariat.services import registrer_i_p360
from tests.factories import BrukerFactory, SakFactory

pytestmark = pytest.mark.django_db


def mottatt(dager_siden: int = 1, **kwargs) -> Sak:
    return SakFactory(status=Sak.Status.SENDT_SEKRETARIAT,
                      sendt_sekretariat=timezone.now() - datetime.timedelta(days=dager_siden), **kwargs)


def skjema(sak: Sak, saksnr: str = "20/00123", dokumentnr: str = "20/00123-4") -> dict:
    return {f"sak-{sak.pk}-p360_saksnr": saksnr, f"sak-{sak.pk}-p360_dokumentnr": dokumentnr}


def test_the_intake_lists_received_unregistered_cases_oldest_first(client, sekretar):
    nyest = mottatt(1, tittel="Nyeste sak")
    eldst = mottatt(4, tittel="Eldste sak", unntatt_offentlighet=True, hjemmel="offl. § 13 jf. fvl. § 13")
    registrert = mottatt(5, tittel="Allerede registrert")
    Registrering.objects.create(sak=registrert, p360_saksnr="20/00001", p360_dokumentnr="20/00001-1",
                                registrert_av=sekretar)
    SakFactory(status=Sak.Status.GODKJENT, tittel="Godkjent, ikke sendt")
    client.force_login(sekretar)

    html = client.get(reverse("sekretariat:innkomne")).content.decode()

    assert html.index("Eldste sak") < html.index("Nyeste sak")
    assert "Allerede registrert" not in html
    assert "Godkjent, ikke sendt" not in html
    assert "Unntatt offentlighet, offl. § 13 jf. fvl. § 13" in html
    assert eldst.arkivsaksnr in html and "ePhorte" in html and "Skedsmo kommune" in html
    assert reverse("saker:sak", args=[nyest.pk]) in html
    assert reverse("saker:dokument", args=[nyest.pk, nyest.dokumenter.get().pk]) in html
    assert "4\xa0dager siden" in html


def test_the_secretariat_registers_a_case_and_who_and_when_is_recorded(client, sekretar):
    sak = mottatt()
    client.force_login(sekretar)

    response = client.post(reverse("sekretariat:registrer", args=[sak.pk]),
                           skjema(sak, " 20/00123 ", "20/00123-4"), follow=True)

    registrering = Registrering.objects.get(sak=sak)
    assert (registrering.p360_saksnr, registrering.p360_dokumentnr) == ("20/00123", "20/00123-4")
    assert registrering.registrert_av == sekretar
    assert timezone.now() - registrering.registrert < datetime.timedelta(minutes=1)
    html = response.content.decode()
    assert "er registrert i P360 som 20/00123" in html
    assert "Alle mottatte saker er registrert i P360" in html


@pytest.mark.parametrize(("saksnr", "dokumentnr", "melding"), [
    ("2020/00123", "2020/00123-4", "to sifre for året"),
    ("20-00123", "20/00123-4", "to sifre for året"),
    ("20/1234567", "20/1234567-1", "to sifre for året"),
    ("20/00123", "20/00123", "bindestrek og dokumentets nummer"),
    ("20/00123", "20/00123-12345", "bindestrek og dokumentets nummer"),
    ("20/00123", "20/00124-4", "skal begynne med 20/00123-"),
    ("", "", "Feltet er påkrevet"),
])
def test_badly_written_numbers_are_refused_with_a_norwegian_message(client, sekretar, saksnr, dokumentnr,
                                                                    melding):
    sak = mottatt()
    client.force_login(sekretar)

    response = client.post(reverse("sekretariat:registrer", args=[sak.pk]), skjema(sak, saksnr, dokumentnr))

    assert response.status_code == 400
    assert melding in response.content.decode()
    assert not Registrering.objects.exists()


@pytest.mark.parametrize(("saksnr", "dokumentnr"), [("20/1", "20/1-1"), ("19/123456", "19/123456-1234")])
def test_the_shortest_and_longest_numbers_are_accepted(sekretar, saksnr, dokumentnr):
    sak = mottatt()
    registrer_i_p360(sak=sak, av=sekretar, p360_saksnr=saksnr, p360_dokumentnr=dokumentnr)
    assert Registrering.objects.get(sak=sak).p360_dokumentnr == dokumentnr


def test_the_service_checks_the_formats_too(sekretar):
    with pytest.raises(Feil, match="skal begynne med 20/00123-"):
        registrer_i_p360(sak=mottatt(), av=sekretar, p360_saksnr="20/00123", p360_dokumentnr="20/00999-1")


def test_a_case_is_not_registered_twice(client, sekretar):
    sak = mottatt()
    registrer_i_p360(sak=sak, av=sekretar, p360_saksnr="20/00123", p360_dokumentnr="20/00123-1")
    client.force_login(sekretar)

    response = client.post(reverse("sekretariat:registrer", args=[sak.pk]), skjema(sak, "20/00200", "20/00200-1"),
                           follow=True)

    assert "allerede registrert i P360 som 20/00123" in response.content.decode()
    assert list(Registrering.objects.values_list("p360_saksnr", flat=True)) == ["20/00123"]


def test_a_document_number_already_used_by_another_case_is_refused_cleanly(client, sekretar):
    forste, andre = mottatt(), mottatt()
    registrer_i_p360(sak=forste, av=sekretar, p360_saksnr="20/00123", p360_dokumentnr="20/00123-1")
    client.force_login(sekretar)

    response = client.post(reverse("sekretariat:registrer", args=[andre.pk]), skjema(andre, "20/00123", "20/00123-1"),
                           follow=True)

    assert response.status_code == 200
    assert "Dokumentnummeret 20/00123-1 er allerede registrert på en annen sak" in response.content.decode()
    assert not Registrering.objects.filter(sak=andre).exists()


def test_the_service_refuses_a_duplicate_document_number_inside_a_usable_transaction(sekretar):
    from django.db import transaction

    forste, andre = mottatt(), mottatt()
    registrer_i_p360(sak=forste, av=sekretar, p360_saksnr="20/00123", p360_dokumentnr="20/00123-1")
    with transaction.atomic():
        with pytest.raises(Feil, match="allerede registrert på en annen sak"):
            registrer_i_p360(sak=andre, av=sekretar, p360_saksnr="20/00123", p360_dokumentnr="20/00123-1")
        # The refusal rolled back only its savepoint: the caller's transaction still works.
        assert Registrering.objects.count() == 1


@pytest.mark.parametrize("status", [Sak.Status.GODKJENT, Sak.Status.TIL_GODKJENNING])
def test_a_case_that_has_not_been_received_cannot_be_registered(sekretar, status):
    sak = SakFactory(status=status)
    with pytest.raises(Feil, match="ikke mottatt"):
        registrer_i_p360(sak=sak, av=sekretar, p360_saksnr="20/00123", p360_dokumentnr="20/00123-1")
    assert not Registrering.objects.exists()


def test_an_approved_case_posted_to_the_form_gets_the_message(client, sekretar):
    sak = SakFactory(status=Sak.Status.GODKJENT)
    client.force_login(sekretar)
    response = client.post(reverse("sekretariat:registrer", args=[sak.pk]), skjema(sak), follow=True)
    assert "ikke mottatt av sekretariatet" in response.content.decode()
    assert not Registrering.objects.exists()


def test_a_draft_is_not_found_by_the_secretariat(client, sekretar):
    sak = SakFactory(status=Sak.Status.UTKAST)
    client.force_login(sekretar)
    assert client.post(reverse("sekretariat:registrer", args=[sak.pk]), skjema(sak)).status_code == 404


@pytest.mark.parametrize("rolle", ["saksbehandler", "godkjenner"])
def test_only_the_secretariat_registers(client, request, rolle):
    sak = mottatt()
    client.force_login(request.getfixturevalue(rolle))
    assert client.get(reverse("sekretariat:innkomne")).status_code == 403
    assert client.post(reverse("sekretariat:registrer", args=[sak.pk]), skjema(sak)).status_code == 403
    assert not Registrering.objects.exists()


def test_the_service_refuses_anyone_but_the_secretariat(godkjenner):
    with pytest.raises(Feil, match="Bare politisk sekretariat"):
        registrer_i_p360(sak=mottatt(), av=godkjenner, p360_saksnr="20/00123", p360_dokumentnr="20/00123-1")


def test_registering_is_post_only(client, sekretar):
    sak = mottatt()
    client.force_login(sekretar)
    assert client.get(reverse("sekretariat:registrer", args=[sak.pk])).status_code == 405


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("sekretariat:innkomne"))
    assert response.status_code == 302 and reverse("login") in response.url


@pytest.mark.parametrize("antall", [5, 50])
def test_the_intake_runs_a_fixed_number_of_queries(client, sekretar, django_assert_num_queries, antall):
    utvalg_saksbehandler = BrukerFactory.saksbehandler()
    for i in range(antall):
        mottatt(i, saksbehandler=utvalg_saksbehandler, hoveddokument=False)
    client.force_login(sekretar)
    # session, user, groups, the count, a page of cases, their routes, their documents, the tabs' counts
    with django_assert_num_queries(8):
        response = client.get(reverse("sekretariat:innkomne"))
    # The page shows twenty at a time, oldest first.
    assert response.content.decode().count("Registrer i P360</button>") == min(antall, 20)


def test_the_intake_comes_a_page_at_a_time_and_a_search_finds_a_case(client, sekretar):
    saksbehandler = BrukerFactory.saksbehandler()
    saker = [mottatt(25 - i, saksbehandler=saksbehandler, hoveddokument=False) for i in range(25)]  # oldest first
    client.force_login(sekretar)
    forste = client.get(reverse("sekretariat:innkomne")).content.decode()
    andre = client.get(reverse("sekretariat:innkomne"), {"side": 2}).content.decode()
    assert "25 saker, eldste først (viser 1–20)" in forste
    assert f'id="sak-{saker[19].pk}"' in forste and f'id="sak-{saker[20].pk}"' not in forste
    assert f'id="sak-{saker[20].pk}"' in andre
    funnet = client.get(reverse("sekretariat:innkomne"), {"sok": saker[22].arkivsaksnr}).content.decode()
    assert funnet.count("Registrer i P360</button>") == 1 and f'id="sak-{saker[22].pk}"' in funnet


def test_a_case_without_a_sending_time_is_placed_by_its_last_change(client, sekretar):
    mottatt(2, tittel="Sendt i forgårs")
    uten_tid = SakFactory(status=Sak.Status.SENDT_SEKRETARIAT, tittel="Uten sendetid",
                          status_endret=timezone.now() - datetime.timedelta(days=5))
    assert uten_tid.sendt_sekretariat is None
    client.force_login(sekretar)
    html = client.get(reverse("sekretariat:innkomne")).content.decode()
    assert html.index("Uten sendetid") < html.index("Sendt i forgårs")
    assert "5\xa0dager siden" in html
