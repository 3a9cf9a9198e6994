"""A meeting's agenda: placing cases with their utvalgssaksnummer, ordering and removing them, the exports,
the meetings overview, and who may see and change what."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from overgang.feil import Feil
from overgang.organisasjon.models import Mote
from overgang.varsler.models import Varsel
from saker.models import Registrering, Sak
from sekretariat.models import Nummerserie, Sakslistepunkt, Sakstype
from sekretariat.services import saksliste_fjern, saksliste_flytt, saksliste_legg_til
from tests.docx_tekst import apne, tekstlinjer
from tests.factories import BrukerFactory, MoteFactory, SakFactory, UtvalgFactory

pytestmark = pytest.mark.django_db

OSLO = ZoneInfo("Europe/Oslo")


def tid(aar: int, maned: int, dag: int, time: int = 18, minutt: int = 0) -> datetime.datetime:
    return datetime.datetime(aar, maned, dag, time, minutt, tzinfo=OSLO)




@pytest.fixture
def mote(fsk):
    return MoteFactory(utvalg=fsk, tidspunkt=tid(2026, 12, 3), sted="Lillestrøm rådhus, møterom Kjeller")


def sak_til(*utvalg, status: str = Sak.Status.SENDT_SEKRETARIAT, **kwargs) -> Sak:
    return SakFactory(status=status, rute=list(utvalg), hoveddokument=False, **kwargs)


def legg_til(mote: Mote, sak: Sak, av, type: str = Sakstype.PS) -> Sakslistepunkt:
    return saksliste_legg_til(mote=mote, sak=sak, av=av, type=type)


def rekkefolge(mote: Mote) -> list[str]:
    return [p.sak.tittel for p in mote.sakslistepunkter.select_related("sak").order_by("rekkefolge", "pk")]


# Numbering

def test_cases_in_a_committee_are_numbered_in_the_order_they_are_placed(sekretar, fsk, mote):
    neste_mote = MoteFactory(utvalg=fsk, tidspunkt=tid(2026, 12, 17))

    forste = legg_til(mote, sak_til(fsk), sekretar)
    andre = legg_til(mote, sak_til(fsk), sekretar)
    tredje = legg_til(neste_mote, sak_til(fsk), sekretar)

    assert [forste.utvalgssaksnr, andre.utvalgssaksnr, tredje.utvalgssaksnr] == ["PS 1/26", "PS 2/26", "PS 3/26"]
    assert Nummerserie.objects.get(utvalg=fsk, aar=2026, type=Sakstype.PS).siste == 3


def test_a_second_committee_starts_at_one(sekretar, fsk, kst, mote):
    sak = sak_til(fsk, kst)
    legg_til(mote, sak, sekretar)
    legg_til(mote, sak_til(fsk), sekretar)

    kst_mote = MoteFactory(utvalg=kst, tidspunkt=tid(2026, 12, 10))
    assert legg_til(kst_mote, sak, sekretar).utvalgssaksnr == "PS 1/26"


def test_a_meeting_in_the_next_year_starts_at_one(sekretar, fsk, mote):
    legg_til(mote, sak_til(fsk), sekretar)
    legg_til(mote, sak_til(fsk), sekretar)

    januar = MoteFactory(utvalg=fsk, tidspunkt=tid(2027, 1, 14))
    assert legg_til(januar, sak_til(fsk), sekretar).utvalgssaksnr == "PS 1/27"


def test_the_year_is_the_meetings_local_year(sekretar, fsk, mote):
    legg_til(mote, sak_til(fsk), sekretar)
    # Half past midnight on New Year's Day in Lillestrøm is still 31 December in UTC.
    nyttarsmote = MoteFactory(utvalg=fsk, tidspunkt=tid(2027, 1, 1, 0, 30))
    assert nyttarsmote.tidspunkt.astimezone(datetime.UTC).year == 2026

    punkt = legg_til(nyttarsmote, sak_til(fsk), sekretar)

    assert (punkt.aar, punkt.utvalgssaksnr) == (2027, "PS 1/27")


def test_referatsaker_have_their_own_series(sekretar, fsk, mote):
    ps1 = legg_til(mote, sak_til(fsk), sekretar)
    rs1 = legg_til(mote, sak_til(fsk), sekretar, type=Sakstype.RS)
    ps2 = legg_til(mote, sak_til(fsk), sekretar)

    assert [ps1.utvalgssaksnr, rs1.utvalgssaksnr, ps2.utvalgssaksnr] == ["PS 1/26", "RS 1/26", "PS 2/26"]


def test_a_removed_number_is_not_given_again(sekretar, fsk, mote):
    legg_til(mote, sak_til(fsk), sekretar)
    andre = legg_til(mote, sak_til(fsk), sekretar)

    saksliste_fjern(punkt=andre, av=sekretar)
    tredje = legg_til(mote, sak_til(fsk), sekretar)

    assert tredje.utvalgssaksnr == "PS 3/26"
    assert tredje.rekkefolge == 2


def test_a_number_given_before_the_series_existed_is_not_given_again(sekretar, fsk, mote):
    # E.g. an agenda row made by hand in the admin before any placement through the service.
    gammel = sak_til(fsk)
    Sakslistepunkt.objects.create(mote=mote, sak=gammel, utvalg=fsk, type=Sakstype.PS, aar=2026, nummer=7,
                                  rekkefolge=1, lagt_til_av=sekretar)

    assert legg_til(mote, sak_til(fsk), sekretar).utvalgssaksnr == "PS 8/26"


def test_placing_records_the_handling_the_place_and_who(sekretar, fsk, kst, mote):
    hok = UtvalgFactory(navn="Hovedutvalg for oppvekst", kode="HOK")
    sak = sak_til(hok, fsk, kst)
    legg_til(mote, sak_til(fsk), sekretar)

    punkt = legg_til(mote, sak, sekretar)

    assert punkt.behandling == sak.behandlinger.get(utvalg=fsk)
    assert punkt.behandling.rekkefolge == 2
    assert (punkt.utvalg, punkt.rekkefolge, punkt.lagt_til_av) == (fsk, 2, sekretar)


def test_placing_tells_the_case_officer(sekretar, saksbehandler, fsk, mote, django_capture_on_commit_callbacks):
    sak = sak_til(fsk, saksbehandler=saksbehandler, tittel="Budsjett 2027")

    with django_capture_on_commit_callbacks(execute=True):
        punkt = legg_til(mote, sak, sekretar)

    [varsel] = Varsel.objects.filter(hendelse="sak_satt_pa_saksliste")
    assert (varsel.nokkel, varsel.epost, varsel.mottaker) == (f"sakslistepunkt:{punkt.pk}", saksbehandler.email,
                                                              saksbehandler)
    [epost] = mail.outbox
    assert epost.to == [saksbehandler.email]
    assert "Formannskapet, møte 3. desember 2026, sak PS 1/26." in epost.body
    assert "Budsjett 2027" in epost.subject


def test_an_approved_case_not_yet_received_may_be_placed(sekretar, fsk, mote):
    # The directors' list says it goes to this meeting; the control page chases its arrival.
    assert legg_til(mote, sak_til(fsk, status=Sak.Status.GODKJENT), sekretar).utvalgssaksnr == "PS 1/26"


@pytest.mark.parametrize(("oppsett", "melding"), [
    ("ikke_godkjent", "Bare godkjente saker"),
    ("trukket", "Saken er trukket og kan ikke settes på en saksliste"),
    ("vedtatt", "Saken er vedtatt og kan ikke settes på en saksliste"),
    ("annet_utvalg", "Formannskapet er ikke med i sakens saksgang"),
    ("to_ganger", "står allerede på sakslisten"),
    ("avlyst", "Møtet er avlyst"),
    ("avholdt", "Møtet er avholdt"),
])
def test_placing_is_refused_with_a_reason(sekretar, fsk, kst, mote, oppsett, melding):
    status = {"ikke_godkjent": Sak.Status.TIL_GODKJENNING, "trukket": Sak.Status.TRUKKET,
              "vedtatt": Sak.Status.VEDTATT}.get(oppsett, Sak.Status.SENDT_SEKRETARIAT)
    sak = sak_til(kst) if oppsett == "annet_utvalg" else sak_til(fsk, status=status)
    if oppsett == "to_ganger":
        legg_til(mote, sak, sekretar)
    if oppsett in {"avlyst", "avholdt"}:
        Mote.objects.filter(pk=mote.pk).update(status=oppsett)
    antall = Sakslistepunkt.objects.count()

    with pytest.raises(Feil, match=melding):
        legg_til(mote, sak, sekretar)

    assert Sakslistepunkt.objects.count() == antall
    # A refused placement draws no number.
    assert Nummerserie.objects.filter(siste__gt=antall).count() == 0


@pytest.mark.parametrize("rolle", ["saksbehandler", "godkjenner"])
def test_only_the_secretariat_changes_agendas_in_the_service(request, sekretar, fsk, mote, rolle):
    bruker = request.getfixturevalue(rolle)
    punkt = legg_til(mote, sak_til(fsk), sekretar)
    for endring in (lambda: legg_til(mote, sak_til(fsk), bruker),
                    lambda: saksliste_flytt(punkt=punkt, av=bruker, retning="ned"),
                    lambda: saksliste_fjern(punkt=punkt, av=bruker)):
        with pytest.raises(Feil, match="Bare politisk sekretariat"):
            endring()
    assert Sakslistepunkt.objects.count() == 1


def test_a_cancelled_meetings_agenda_cannot_be_reordered_or_emptied(sekretar, fsk, mote):
    punkt = legg_til(mote, sak_til(fsk), sekretar)
    legg_til(mote, sak_til(fsk), sekretar)
    Mote.objects.filter(pk=mote.pk).update(status=Mote.Status.AVLYST)

    with pytest.raises(Feil, match="avlyst"):
        saksliste_flytt(punkt=punkt, av=sekretar, retning="ned")
    with pytest.raises(Feil, match="avlyst"):
        saksliste_fjern(punkt=punkt, av=sekretar)
    assert Sakslistepunkt.objects.count() == 2


# The agenda page

def test_the_agenda_page_shows_the_cases_in_order_with_their_numbers(client, sekretar, fsk, mote):
    a = legg_til(mote, sak_til(fsk, tittel="Budsjett 2027", arkivsaksnr="19/04567"), sekretar)
    b = legg_til(mote, sak_til(fsk, tittel="Ansettelse av kommunedirektør", unntatt_offentlighet=True,
                                hjemmel="offl. § 25"), sekretar)
    Registrering.objects.create(sak=a.sak, p360_saksnr="20/00123", p360_dokumentnr="20/00123-4",
                                registrert_av=sekretar)
    saksliste_flytt(punkt=b, av=sekretar, retning="opp")
    client.force_login(sekretar)

    html = client.get(reverse("sekretariat:mote", args=[mote.pk])).content.decode()

    assert html.index("PS 2/26") < html.index("Ansettelse av kommunedirektør") < html.index("PS 1/26")
    assert html.index("PS 1/26") < html.index("Budsjett 2027")
    assert "Unntatt offentlighet, offl. § 25" in html
    assert "19/04567" in html and "20/00123" in html and "20/00123-4" in html
    assert "Ikke registrert" in html
    assert str(a.sak.saksbehandler) in html
    assert reverse("saker:sak", args=[a.sak.pk]) in html


def test_the_add_form_offers_only_approved_cases_routed_to_the_committee_and_not_on_the_agenda(
        client, sekretar, fsk, kst, mote):
    allerede = legg_til(mote, sak_til(fsk, tittel="Allerede på listen"), sekretar)
    sak_til(kst, fsk, tittel="Mottatt, via KST")
    sak_til(fsk, status=Sak.Status.GODKJENT, tittel="Godkjent, ikke sendt")
    sak_til(kst, tittel="Bare kommunestyret")
    sak_til(fsk, status=Sak.Status.TIL_GODKJENNING, tittel="Venter på godkjenning")
    sak_til(fsk, status=Sak.Status.UTKAST, tittel="Utkast")
    sak_til(fsk, status=Sak.Status.VEDTATT, tittel="Allerede vedtatt")
    client.force_login(sekretar)

    response = client.get(reverse("sekretariat:mote", args=[mote.pk]))

    tilbudt = {s.tittel for s in response.context["legg_til_form"].fields["sak"].queryset}
    assert tilbudt == {"Mottatt, via KST", "Godkjent, ikke sendt"}
    assert f'<option value="{allerede.sak.pk}"' not in response.content.decode()


def test_the_add_form_offers_the_listed_and_wished_cases_first_and_a_search_finds_the_rest(
        client, sekretar, godkjenner, fsk, mote, monkeypatch):
    from godkjenning.models import Motelistepunkt
    from sekretariat import views

    monkeypatch.setattr(views, "KANDIDATER", 2)
    andre = [sak_til(fsk, tittel=f"A-sak {i}") for i in range(3)]
    onsket = sak_til(fsk, tittel="Ønsker møtet", onsket_mote=mote)
    listet = sak_til(fsk, tittel="Å stå på listen")
    Motelistepunkt.objects.create(sak=listet, mote=mote, lagt_til_av=godkjenner)
    client.force_login(sekretar)

    html = client.get(reverse("sekretariat:mote", args=[mote.pk])).content.decode()
    assert html.index(f'<option value="{listet.pk}"') < html.index(f'<option value="{onsket.pk}"')
    assert not any(f'<option value="{s.pk}"' in html for s in andre)
    assert "Søk for å finne en bestemt sak." in html
    html = client.get(reverse("sekretariat:mote", args=[mote.pk]), {"sok": "A-sak 2"}).content.decode()
    assert f'<option value="{andre[2].pk}"' in html and f'<option value="{listet.pk}"' not in html


def test_the_secretariat_adds_moves_and_removes_cases_on_the_page(client, sekretar, fsk, mote):
    forste, andre, tredje = (sak_til(fsk, tittel=t) for t in ("Første", "Andre", "Tredje"))
    client.force_login(sekretar)
    url = reverse("sekretariat:saksliste_legg_til", args=[mote.pk])

    for sak in (forste, andre):
        client.post(url, {"sak": sak.pk, "type": "PS"})
    response = client.post(url, {"sak": tredje.pk, "type": "RS"}, follow=True)
    assert "«Tredje» er satt på sakslisten som RS 1/26. Saksbehandleren er varslet." in response.content.decode()

    punkt = Sakslistepunkt.objects.get(sak=tredje)
    client.post(reverse("sekretariat:saksliste_flytt", args=[mote.pk, punkt.pk]), {"retning": "opp"})
    assert rekkefolge(mote) == ["Første", "Tredje", "Andre"]

    response = client.post(reverse("sekretariat:saksliste_flytt", args=[mote.pk, punkt.pk]), {"retning": "opp"})
    response = client.post(reverse("sekretariat:saksliste_flytt", args=[mote.pk, punkt.pk]), {"retning": "opp"},
                           follow=True)
    assert "står allerede først" in response.content.decode()
    assert rekkefolge(mote) == ["Tredje", "Første", "Andre"]

    response = client.post(reverse("sekretariat:saksliste_fjern", args=[mote.pk, punkt.pk]), follow=True)
    assert "RS 1/26 «Tredje» er fjernet fra sakslisten" in response.content.decode()
    assert rekkefolge(mote) == ["Første", "Andre"]


def test_the_remove_button_asks_first(client, sekretar, fsk, mote):
    legg_til(mote, sak_til(fsk, tittel="Budsjett"), sekretar)
    client.force_login(sekretar)
    html = client.get(reverse("sekretariat:mote", args=[mote.pk])).content.decode()
    assert 'data-bekreft="Fjerne PS 1/26 «Budsjett» fra sakslisten?' in html


def test_a_refused_placement_shows_the_reason(client, sekretar, fsk, kst, mote):
    sak = sak_til(kst)
    client.force_login(sekretar)
    response = client.post(reverse("sekretariat:saksliste_legg_til", args=[mote.pk]), {"sak": sak.pk, "type": "PS"},
                           follow=True)
    assert "Formannskapet er ikke med i sakens saksgang." in response.content.decode()
    assert not Sakslistepunkt.objects.exists()


def test_a_past_meetings_agenda_is_shown_without_buttons(client, sekretar, fsk, mote):
    legg_til(mote, sak_til(fsk), sekretar)
    Mote.objects.filter(pk=mote.pk).update(status=Mote.Status.AVHOLDT)
    client.force_login(sekretar)
    html = client.get(reverse("sekretariat:mote", args=[mote.pk])).content.decode()
    assert "PS 1/26" in html
    assert "sakslisten kan ikke endres" in html
    assert "Legg til</button>" not in html and "Fjern<" not in html


@pytest.mark.parametrize("antall", [5, 100])
def test_the_agenda_page_runs_a_fixed_number_of_queries(client, sekretar, fsk, mote, django_assert_num_queries,
                                                        antall):
    saksbehandlere = [BrukerFactory.saksbehandler() for _ in range(3)]
    for i in range(antall):
        sak = sak_til(fsk, saksbehandler=saksbehandlere[i % 3], unntatt_offentlighet=i % 4 == 0,
                      hjemmel="offl. § 13" if i % 4 == 0 else "")
        Sakslistepunkt.objects.create(mote=mote, sak=sak, behandling=sak.behandlinger.get(), utvalg=fsk,
                                      type=Sakstype.PS, aar=2026, nummer=i + 1, rekkefolge=i + 1,
                                      lagt_til_av=sekretar)
        if i % 2:
            Registrering.objects.create(sak=sak, p360_saksnr=f"20/{i:05d}", p360_dokumentnr=f"20/{i:05d}-1",
                                        registrert_av=sekretar)
    for _ in range(3):
        sak_til(fsk)  # candidates for the add form
    client.force_login(sekretar)

    # session, user, groups, meeting, agenda (with cases, case officers, registrations), the first cases that can
    # be added, the tabs' counts
    with django_assert_num_queries(7):
        response = client.get(reverse("sekretariat:mote", args=[mote.pk]))
    assert response.content.decode().count("Fjern<span") == antall


# Who may see and change what

@pytest.mark.parametrize("rolle", ["saksbehandler", "godkjenner"])
def test_others_than_the_secretariat_get_403(client, request, sekretar, fsk, mote, rolle):
    punkt = legg_til(mote, sak_til(fsk), sekretar)
    sak = sak_til(fsk)
    client.force_login(request.getfixturevalue(rolle))
    for navn in ("start", "moter"):
        assert client.get(reverse(f"sekretariat:{navn}")).status_code == 403
    for navn in ("mote", "saksliste_docx", "saksliste_csv"):
        assert client.get(reverse(f"sekretariat:{navn}", args=[mote.pk])).status_code == 403
    assert client.post(reverse("sekretariat:saksliste_legg_til", args=[mote.pk]),
                       {"sak": sak.pk, "type": "PS"}).status_code == 403
    assert client.post(reverse("sekretariat:saksliste_flytt", args=[mote.pk, punkt.pk]),
                       {"retning": "ned"}).status_code == 403
    assert client.post(reverse("sekretariat:saksliste_fjern", args=[mote.pk, punkt.pk])).status_code == 403
    assert list(Sakslistepunkt.objects.all()) == [punkt]


def test_a_case_the_secretariat_may_not_see_is_not_found(client, sekretar, fsk, mote):
    utkast = sak_til(fsk, status=Sak.Status.UTKAST)
    client.force_login(sekretar)
    response = client.post(reverse("sekretariat:saksliste_legg_til", args=[mote.pk]), {"sak": utkast.pk, "type": "PS"})
    assert response.status_code == 404
    assert not Sakslistepunkt.objects.exists()


def test_an_item_is_only_found_through_its_own_meeting(client, sekretar, fsk, mote):
    punkt = legg_til(mote, sak_til(fsk), sekretar)
    annet_mote = MoteFactory(utvalg=fsk, tidspunkt=tid(2026, 12, 17))
    client.force_login(sekretar)
    assert client.post(reverse("sekretariat:saksliste_fjern", args=[annet_mote.pk, punkt.pk])).status_code == 404
    assert client.get(reverse("sekretariat:mote", args=[999999])).status_code == 404
    assert Sakslistepunkt.objects.filter(pk=punkt.pk).exists()


def test_changing_an_agenda_is_post_only(client, sekretar, fsk, mote):
    punkt = legg_til(mote, sak_til(fsk), sekretar)
    client.force_login(sekretar)
    assert client.get(reverse("sekretariat:saksliste_legg_til", args=[mote.pk])).status_code == 405
    assert client.get(reverse("sekretariat:saksliste_flytt", args=[mote.pk, punkt.pk])).status_code == 405
    assert client.get(reverse("sekretariat:saksliste_fjern", args=[mote.pk, punkt.pk])).status_code == 405


def test_a_missing_or_bad_choice_is_a_message_not_an_error(client, sekretar, fsk, mote):
    sak = sak_til(fsk)
    client.force_login(sekretar)
    url = reverse("sekretariat:saksliste_legg_til", args=[mote.pk])
    assert "Velg en sak" in client.post(url, {"sak": "", "type": "PS"}, follow=True).content.decode()
    assert "Velg en sak" in client.post(url, {"sak": "abc", "type": "PS"}, follow=True).content.decode()
    assert "(PS) eller en referatsak (RS)" in client.post(url, {"sak": sak.pk, "type": "XX"},
                                                          follow=True).content.decode()
    assert not Sakslistepunkt.objects.exists()


# Exports

@pytest.fixture
def saksliste(sekretar, fsk, mote):
    budsjett = sak_til(fsk, tittel="Budsjett 2027", arkivsaksnr="19/04567",
                       saksbehandler=BrukerFactory.saksbehandler(first_name="Åse", last_name="Sørli"))
    # The full title names the person; the published agenda carries the public title (offentleglova § 16).
    ansettelse = sak_til(fsk, tittel="Ansettelse av kommunedirektør Kari Nordmann", arkivsaksnr="19/00012",
                         unntatt_offentlighet=True, hjemmel="offl. § 25",
                         offentlig_tittel="Ansettelse av kommunedirektør")
    referat = sak_til(fsk, tittel="=Referat fra eldrerådet", arkivsaksnr="19/00999")
    for sak, type in ((budsjett, "PS"), (ansettelse, "PS"), (referat, "RS")):
        legg_til(mote, sak, sekretar, type=type)
    Registrering.objects.create(sak=budsjett, p360_saksnr="20/00123", p360_dokumentnr="20/00123-4",
                                registrert_av=sekretar)
    # The exports follow the agenda's order, not the numbers.
    saksliste_flytt(punkt=Sakslistepunkt.objects.get(sak=referat), av=sekretar, retning="opp")
    return mote


def test_the_docx_export_has_the_heading_the_cases_in_order_and_the_exempt_mark(client, sekretar, saksliste):
    client.force_login(sekretar)

    response = client.get(reverse("sekretariat:saksliste_docx", args=[saksliste.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"] == 'attachment; filename="saksliste-FSK-2026-12-03.docx"'
    linjer = tekstlinjer(response.content)
    assert linjer[0] == "Saksliste"
    assert linjer[1] == "Formannskapet (FSK)"
    assert "Møtested: Lillestrøm rådhus, møterom Kjeller" in "\n".join(linjer)
    assert "Møtetid: torsdag 3. desember 2026 kl. 18:00" in "\n".join(linjer)
    rader = [[cell.text for cell in rad.cells] for rad in apne(response.content).tables[0].rows]
    assert rader == [
        ["Saksnr", "Tittel", "Saksbehandler", "Arkivsaksnr"],
        ["PS 1/26", "Budsjett 2027", "Åse Sørli", "19/04567"],
        ["RS 1/26", "=Referat fra eldrerådet", rader[2][2], "19/00999"],
        ["PS 2/26", "Ansettelse av kommunedirektør\nUnntatt offentlighet, offl. § 25", rader[3][2], "19/00012"],
    ]


def test_the_csv_export_is_excel_friendly_utf8_with_semicolons(client, sekretar, saksliste):
    client.force_login(sekretar)

    response = client.get(reverse("sekretariat:saksliste_csv", args=[saksliste.pk]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="saksliste-FSK-2026-12-03.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rader = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rader[0] == ["Saksnr", "Tittel", "Saksbehandler", "Arkivsaksnr", "P360 saksnr", "Unntatt offentlighet",
                        "Hjemmel"]
    assert rader[1] == ["PS 1/26", "Budsjett 2027", "Åse Sørli", "19/04567", "20/00123", "Nei", ""]
    # A title that starts like a formula is written so Excel shows it as text instead of running it.
    assert rader[2][:2] == ["RS 1/26", "'=Referat fra eldrerådet"]
    assert rader[3][:2] == ["PS 2/26", "Ansettelse av kommunedirektør"]
    assert rader[3][4:] == ["", "Ja", "offl. § 25"]
    assert len(rader) == 4


def test_an_empty_agenda_exports_too(client, sekretar, mote):
    client.force_login(sekretar)
    assert "Ingen saker er satt opp." in tekstlinjer(
        client.get(reverse("sekretariat:saksliste_docx", args=[mote.pk])).content)
    assert client.get(reverse("sekretariat:saksliste_csv", args=[mote.pk])).content.decode("utf-8-sig").count(
        "\r\n") == 1


# Meetings overview and start page

def test_the_meetings_overview_lists_coming_then_past_meetings_with_their_case_counts(client, sekretar, fsk, kst):
    from django.utils import timezone

    na = timezone.now()
    kommende = MoteFactory(utvalg=fsk, tidspunkt=na + datetime.timedelta(days=30), sted="Kjeller")
    snart = MoteFactory(utvalg=kst, tidspunkt=na + datetime.timedelta(days=3), sted="Skedsmo")
    forbi = MoteFactory(utvalg=fsk, tidspunkt=na - datetime.timedelta(days=30), sted="Fetsund",
                        status=Mote.Status.AVHOLDT)
    for _ in range(2):
        Sakslistepunkt.objects.create(mote=forbi, sak=sak_til(fsk), utvalg=fsk, aar=2026,
                                      nummer=Sakslistepunkt.objects.count() + 1, rekkefolge=1, lagt_til_av=sekretar)
    client.force_login(sekretar)

    response = client.get(reverse("sekretariat:moter"))

    assert list(response.context["kommende"]) == [snart, kommende]
    assert list(response.context["tidligere"]) == [forbi]
    assert [m.antall_saker for m in response.context["tidligere"]] == [2]
    html = response.content.decode()
    assert html.index("Skedsmo") < html.index("Kjeller") < html.index("Fetsund")
    assert "Avholdt" in html

    response = client.get(reverse("sekretariat:moter"), {"utvalg": fsk.pk})
    assert list(response.context["kommende"]) == [kommende]
    assert list(response.context["tidligere"]) == [forbi]


def test_past_meetings_come_a_page_at_a_time_newest_first(client, sekretar, fsk):
    from django.utils import timezone

    na = timezone.now()
    forbi = [MoteFactory(utvalg=fsk, tidspunkt=na - datetime.timedelta(days=7 * (i + 1)),
                         status=Mote.Status.AVHOLDT) for i in range(27)]
    client.force_login(sekretar)
    forste = client.get(reverse("sekretariat:moter"))
    andre = client.get(reverse("sekretariat:moter"), {"side": 2})
    assert list(forste.context["tidligere"]) == forbi[:25]
    assert list(andre.context["tidligere"]) == forbi[25:]
    assert "Side 1 av 2" in forste.content.decode()


def test_the_start_page_shows_the_number_of_cases_on_each_coming_agenda(client, sekretar, fsk):
    mote = MoteFactory(utvalg=fsk)
    for _ in range(3):
        legg_til(mote, sak_til(fsk), sekretar)
    client.force_login(sekretar)

    response = client.get(reverse("sekretariat:start"))

    assert [m.antall_saker for m in response.context["moter"]] == [3]
    assert "3 på sakslisten" in response.content.decode()
