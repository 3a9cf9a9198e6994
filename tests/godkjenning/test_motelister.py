import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from godkjenning import services
from godkjenning.models import Motelistepunkt
from overgang.feil import Feil
from overgang.organisasjon.models import Mote
from saker.models import Sak
from tests.factories import BrukerFactory, MoteFactory, SakFactory, UtvalgFactory

pytestmark = pytest.mark.django_db


def mote_om(utvalg, dager: int, **kwargs) -> Mote:
    tidspunkt = timezone.now().replace(hour=17, minute=0, second=0, microsecond=0) + datetime.timedelta(days=dager)
    return MoteFactory(utvalg=utvalg, tidspunkt=tidspunkt, **kwargs)


@pytest.fixture
def hou(db):
    return UtvalgFactory(navn="Hovedutvalg for oppvekst", kode="HOU")


@pytest.fixture
def kst(db):
    return UtvalgFactory(navn="Kommunestyret", kode="KST")


@pytest.fixture
def forste(hou):
    return mote_om(hou, 20)


@pytest.fixture
def andre(hou):
    return mote_om(hou, 50)


@pytest.fixture
def kst_mote(kst):
    return mote_om(kst, 40)


@pytest.fixture
def godkjent_sak(saksbehandler, godkjenner, hou, kst):
    return SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.GODKJENT,
                      rute=[hou, kst], tittel="Skolebehovsplan 2020–2030", arkivsaksnr="19/01234")


@pytest.fixture
def punkt(godkjent_sak, forste, godkjenner):
    return Motelistepunkt.objects.create(sak=godkjent_sak, mote=forste, lagt_til_av=godkjenner)


@pytest.fixture
def fremmed_godkjenner(annet_omrade):
    """The director of another sector."""
    return BrukerFactory.godkjenner(username="per", kommunalomrade=annet_omrade)


@pytest.fixture
def radmann(db):
    return BrukerFactory.godkjenner(username="rune", er_radmann=True)


def mottakere() -> list[str]:
    return sorted(m.to[0] for m in mail.outbox)


def sekretariatet(settings, sekretar) -> list[str]:
    return sorted([settings.SEKRETARIAT_EPOST, sekretar.email])


# Adding

def test_an_approver_puts_an_approved_case_on_a_coming_meeting_and_the_secretariat_is_told(
        client, godkjenner, sekretar, godkjent_sak, forste, settings, django_capture_on_commit_callbacks):
    client.force_login(godkjenner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("godkjenning:liste_legg_til", args=[forste.pk]), {"sak": godkjent_sak.pk},
                               follow=True)
    assert "er satt på listen til" in response.content.decode()
    punkt = Motelistepunkt.objects.get()
    assert (punkt.sak, punkt.mote, punkt.status, punkt.lagt_til_av) == (
        godkjent_sak, forste, Motelistepunkt.Status.AKTIV, godkjenner)
    assert mottakere() == sekretariatet(settings, sekretar)
    body = mail.outbox[0].body
    assert "«Skolebehovsplan 2020–2030» (19/01234)" in body
    assert "Hovedutvalg for oppvekst" in body
    assert str(godkjenner) in body
    assert f"/sekretariat/moter/{forste.pk}/" in body


def test_a_case_stands_only_once_on_a_meeting(godkjenner, godkjent_sak, forste, punkt):
    with pytest.raises(Feil, match="står allerede på listen til"):
        services.liste_legg_til(sak=godkjent_sak, mote=forste, av=godkjenner)
    assert Motelistepunkt.objects.count() == 1


def test_a_case_on_a_coming_meeting_of_a_committee_is_moved_rather_than_added_to_another(
        godkjenner, godkjent_sak, andre, punkt):
    with pytest.raises(Feil, match="Flytt den derfra i stedet"):
        services.liste_legg_til(sak=godkjent_sak, mote=andre, av=godkjenner)


def test_the_same_case_may_stand_on_each_committee_of_its_route(godkjenner, godkjent_sak, kst_mote, punkt):
    services.liste_legg_til(sak=godkjent_sak, mote=kst_mote, av=godkjenner)
    assert godkjent_sak.motelistepunkter.filter(status=Motelistepunkt.Status.AKTIV).count() == 2


def test_a_committee_off_the_cases_route_is_refused(godkjenner, godkjent_sak):
    fsk = mote_om(UtvalgFactory(navn="Formannskapet", kode="FSK"), 30)
    with pytest.raises(Feil, match="Formannskapet er ikke med i saksgangen"):
        services.liste_legg_til(sak=godkjent_sak, mote=fsk, av=godkjenner)


@pytest.mark.parametrize(("dager", "status"), [(-3, Mote.Status.PLANLAGT), (-3, Mote.Status.AVHOLDT),
                                               (30, Mote.Status.AVLYST)])
def test_a_past_or_cancelled_meeting_is_refused(godkjenner, godkjent_sak, hou, dager, status):
    mote = mote_om(hou, dager, status=status)
    with pytest.raises(Feil, match="ikke et kommende, planlagt møte"):
        services.liste_legg_til(sak=godkjent_sak, mote=mote, av=godkjenner)


@pytest.mark.parametrize("status", [Sak.Status.UTKAST, Sak.Status.TIL_GODKJENNING, Sak.Status.RETURNERT])
def test_a_case_not_yet_approved_cannot_be_added(client, saksbehandler, godkjenner, forste, hou, status):
    sak = SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=status, rute=[hou])
    with pytest.raises(Feil, match="er ikke godkjent"):
        services.liste_legg_til(sak=sak, mote=forste, av=godkjenner)
    client.force_login(godkjenner)
    response = client.post(reverse("godkjenning:liste_legg_til", args=[forste.pk]), {"sak": sak.pk})
    assert response.status_code == 400
    assert "Velg en godkjent sak fra ditt kommunalområde." in response.content.decode()
    assert not Motelistepunkt.objects.exists()


def test_a_case_received_by_the_secretariat_can_still_be_added(godkjenner, saksbehandler, forste, hou):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.SENDT_SEKRETARIAT, rute=[hou])
    assert services.liste_legg_til(sak=sak, mote=forste, av=godkjenner).mote == forste


def test_adding_without_choosing_a_case_shows_the_error_by_the_form(client, godkjenner, godkjent_sak, forste):
    client.force_login(godkjenner)
    response = client.post(reverse("godkjenning:liste_legg_til", args=[forste.pk]), {"sak": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Velg saken som skal settes på listen." in html
    assert f'href="#legg_til-{forste.pk}"' in html


# Moving

def test_moving_to_a_later_meeting_keeps_the_reason_and_tells_the_secretariat(
        client, godkjenner, sekretar, punkt, andre, settings, django_capture_on_commit_callbacks):
    client.force_login(godkjenner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("godkjenning:liste_flytt", args=[punkt.pk]),
                               {"til_mote": andre.pk, "grunn": "Venter på høringsuttalelse."}, follow=True)
    assert "er flyttet til" in response.content.decode()
    punkt.refresh_from_db()
    ny = Motelistepunkt.objects.get(status=Motelistepunkt.Status.AKTIV)
    assert (ny.sak, ny.mote) == (punkt.sak, andre)
    assert punkt.status == Motelistepunkt.Status.FLYTTET
    assert (punkt.grunn, punkt.flyttet_til, punkt.endret_av) == ("Venter på høringsuttalelse.", ny, godkjenner)
    assert punkt.endret is not None
    assert mottakere() == sekretariatet(settings, sekretar)
    assert "flyttet «Skolebehovsplan 2020–2030» (19/01234)" in mail.outbox[0].body
    assert "Grunn: Venter på høringsuttalelse." in mail.outbox[0].body


def test_moving_to_an_earlier_meeting_or_another_committee_is_refused(client, godkjenner, hou, kst_mote, andre,
                                                                      godkjent_sak):
    punkt = services.liste_legg_til(sak=godkjent_sak, mote=andre, av=godkjenner)
    tidligere = mote_om(hou, 10)
    for mote in [tidligere, kst_mote]:
        with pytest.raises(Feil, match="bare flyttes til et senere møte i Hovedutvalg for oppvekst"):
            services.liste_flytt(punkt=punkt, til_mote=mote, av=godkjenner, grunn="Feil møte.")
    client.force_login(godkjenner)
    response = client.post(reverse("godkjenning:liste_flytt", args=[punkt.pk]),
                           {"til_mote": tidligere.pk, "grunn": "Feil møte."})
    assert response.status_code == 400
    assert "Velg et senere møte i samme utvalg." in response.content.decode()
    punkt.refresh_from_db()
    assert punkt.status == Motelistepunkt.Status.AKTIV
    assert Motelistepunkt.objects.count() == 1


def test_moving_needs_a_reason(client, godkjenner, punkt, andre):
    with pytest.raises(Feil, match="Skriv hvorfor saken flyttes"):
        services.liste_flytt(punkt=punkt, til_mote=andre, av=godkjenner, grunn="  ")
    client.force_login(godkjenner)
    response = client.post(reverse("godkjenning:liste_flytt", args=[punkt.pk]), {"til_mote": andre.pk, "grunn": ""})
    assert response.status_code == 400
    assert "Skriv hvorfor saken flyttes." in response.content.decode()
    punkt.refresh_from_db()
    assert punkt.status == Motelistepunkt.Status.AKTIV


# Removing

def test_removing_with_a_reason_tells_the_secretariat(client, godkjenner, sekretar, punkt, settings,
                                                      django_capture_on_commit_callbacks):
    client.force_login(godkjenner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("godkjenning:liste_fjern", args=[punkt.pk]),
                               {"grunn": "Saken er trukket av rådmannen."}, follow=True)
    assert "er fjernet fra listen til" in response.content.decode()
    punkt.refresh_from_db()
    assert (punkt.status, punkt.grunn, punkt.endret_av) == (
        Motelistepunkt.Status.FJERNET, "Saken er trukket av rådmannen.", godkjenner)
    assert mottakere() == sekretariatet(settings, sekretar)
    assert "fjernet «Skolebehovsplan 2020–2030» (19/01234)" in mail.outbox[0].body
    assert "Grunn: Saken er trukket av rådmannen." in mail.outbox[0].body


def test_removing_needs_a_reason(client, godkjenner, punkt):
    with pytest.raises(Feil, match="Skriv hvorfor saken fjernes fra listen"):
        services.liste_fjern(punkt=punkt, av=godkjenner, grunn="")
    client.force_login(godkjenner)
    response = client.post(reverse("godkjenning:liste_fjern", args=[punkt.pk]), {"grunn": ""})
    assert response.status_code == 400
    assert "Skriv hvorfor saken fjernes fra listen." in response.content.decode()
    punkt.refresh_from_db()
    assert punkt.status == Motelistepunkt.Status.AKTIV


def test_an_entry_already_moved_cannot_be_removed_by_a_second_click(client, godkjenner, punkt, andre):
    services.liste_flytt(punkt=punkt, til_mote=andre, av=godkjenner, grunn="Neste møte.")
    client.force_login(godkjenner)
    response = client.post(reverse("godkjenning:liste_fjern", args=[punkt.pk]), {"grunn": "Dobbeltklikk."},
                           follow=True)
    assert "er allerede flyttet fra listen til" in response.content.decode()
    punkt.refresh_from_db()
    assert punkt.status == Motelistepunkt.Status.FLYTTET


def test_each_change_is_told_once(godkjenner, godkjent_sak, forste, andre, sekretar,
                                  django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        punkt = services.liste_legg_til(sak=godkjent_sak, mote=forste, av=godkjenner)
        ny = services.liste_flytt(punkt=punkt, til_mote=andre, av=godkjenner, grunn="Neste møte.")
        services.liste_fjern(punkt=ny, av=godkjenner, grunn="Trukket.")
    assert len(mail.outbox) == 3 * 2


# Approving with a wished meeting

def test_approving_with_a_wished_meeting_puts_the_case_on_that_list(client, godkjenner, saksbehandler, sekretar,
                                                                    hou, forste, settings,
                                                                    django_capture_on_commit_callbacks):
    sak = SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.TIL_GODKJENNING, rute=[hou])
    client.force_login(godkjenner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("godkjenning:godkjenn", args=[sak.pk]),
                               {"utvalg_1": hou.pk, "onsket_mote": forste.pk}, follow=True)
    assert "er godkjent og satt på listen til" in response.content.decode()
    punkt = Motelistepunkt.objects.get()
    assert (punkt.sak, punkt.mote, punkt.lagt_til_av) == (sak, forste, godkjenner)
    assert mottakere() == sorted([saksbehandler.email, *sekretariatet(settings, sekretar)])


def test_approving_without_a_wished_meeting_leaves_the_case_without_a_meeting(client, godkjenner, saksbehandler,
                                                                              hou):
    sak = SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.TIL_GODKJENNING, rute=[hou])
    client.force_login(godkjenner)
    client.post(reverse("godkjenning:godkjenn", args=[sak.pk]), {"utvalg_1": hou.pk})
    assert not Motelistepunkt.objects.exists()
    html = client.get(reverse("godkjenning:motelister")).content.decode()
    assert f'data-uten-mote="{sak.pk}"' in html


def test_the_approval_is_rolled_back_when_the_list_refuses_the_case(client, godkjenner, saksbehandler, hou, forste,
                                                                    monkeypatch, django_capture_on_commit_callbacks):
    sak = SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.TIL_GODKJENNING, rute=[hou])

    def nekter(**kwargs):
        raise Feil("Listen er låst.")

    monkeypatch.setattr(services, "liste_legg_til", nekter)
    client.force_login(godkjenner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("godkjenning:godkjenn", args=[sak.pk]),
                               {"utvalg_1": hou.pk, "onsket_mote": forste.pk})
    assert response.status_code == 409
    assert "Listen er låst." in response.content.decode()
    sak.refresh_from_db()
    assert sak.status == Sak.Status.TIL_GODKJENNING
    assert not sak.hendelser.filter(til_status=Sak.Status.GODKJENT).exists()
    assert mail.outbox == []


# Who may do what

def test_another_sectors_approver_cannot_touch_my_entries_or_add_my_case(client, fremmed_godkjenner, punkt, andre,
                                                                       godkjent_sak, kst_mote):
    client.force_login(fremmed_godkjenner)
    assert client.post(reverse("godkjenning:liste_flytt", args=[punkt.pk]),
                       {"til_mote": andre.pk, "grunn": "Neste møte."}).status_code == 404
    assert client.post(reverse("godkjenning:liste_fjern", args=[punkt.pk]), {"grunn": "Trukket."}).status_code == 404
    response = client.post(reverse("godkjenning:liste_legg_til", args=[kst_mote.pk]), {"sak": godkjent_sak.pk})
    assert response.status_code == 400
    with pytest.raises(Feil, match="kommunalområder du godkjenner for"):
        services.liste_legg_til(sak=godkjent_sak, mote=kst_mote, av=fremmed_godkjenner)
    with pytest.raises(Feil, match="kommunalområder du godkjenner for"):
        services.liste_fjern(punkt=punkt, av=fremmed_godkjenner, grunn="Trukket.")
    assert list(Motelistepunkt.objects.values_list("status", flat=True)) == [Motelistepunkt.Status.AKTIV]
    html = client.get(reverse("godkjenning:motelister")).content.decode()
    assert "Skolebehovsplan" not in html


def test_the_radmann_keeps_every_sectors_lists(client, radmann, godkjent_sak, forste, andre, kst_mote):
    client.force_login(radmann)
    client.post(reverse("godkjenning:liste_legg_til", args=[forste.pk]), {"sak": godkjent_sak.pk})
    punkt = Motelistepunkt.objects.get(mote=forste)
    assert "Skolebehovsplan" in client.get(reverse("godkjenning:motelister")).content.decode()
    client.post(reverse("godkjenning:liste_flytt", args=[punkt.pk]), {"til_mote": andre.pk, "grunn": "Neste møte."})
    ny = Motelistepunkt.objects.get(status=Motelistepunkt.Status.AKTIV)
    assert ny.mote == andre
    client.post(reverse("godkjenning:liste_fjern", args=[ny.pk]), {"grunn": "Trukket."})
    ny.refresh_from_db()
    assert (ny.status, ny.endret_av) == (Motelistepunkt.Status.FJERNET, radmann)


def test_a_case_officer_gets_403(client, saksbehandler, punkt, forste, andre, godkjent_sak):
    client.force_login(saksbehandler)
    assert client.get(reverse("godkjenning:motelister")).status_code == 403
    assert client.post(reverse("godkjenning:liste_legg_til", args=[forste.pk]),
                       {"sak": godkjent_sak.pk}).status_code == 403
    assert client.post(reverse("godkjenning:liste_flytt", args=[punkt.pk]),
                       {"til_mote": andre.pk, "grunn": "x"}).status_code == 403
    assert client.post(reverse("godkjenning:liste_fjern", args=[punkt.pk]), {"grunn": "x"}).status_code == 403


def test_the_changing_pages_take_only_post(client, godkjenner, punkt, forste):
    client.force_login(godkjenner)
    for url in [reverse("godkjenning:liste_legg_til", args=[forste.pk]),
                reverse("godkjenning:liste_flytt", args=[punkt.pk]),
                reverse("godkjenning:liste_fjern", args=[punkt.pk])]:
        assert client.get(url).status_code == 405


# The page

def test_the_page_shows_each_coming_meeting_with_my_cases_and_the_forms_to_change_them(
        client, godkjenner, saksbehandler, punkt, andre, kst_mote, hou):
    Sak.objects.filter(pk=punkt.sak_id).update(status=Sak.Status.SENDT_SEKRETARIAT)
    ledig = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT, rute=[hou], tittel="Barnehageplan")
    client.force_login(godkjenner)
    html = client.get(reverse("godkjenning:motelister")).content.decode()
    for tekst in ["Skolebehovsplan 2020–2030", "19/01234", str(saksbehandler), "Mottatt",
                  "Hovedutvalg for oppvekst", "Kommunestyret", "Godkjente saker uten møte"]:
        assert tekst in html
    assert f'action="{reverse("godkjenning:liste_flytt", args=[punkt.pk])}"' in html
    assert f'<option value="{andre.pk}">HOU {timezone.localtime(andre.tidspunkt):%d.%m.%Y}' in html
    assert 'data-bekreft="Fjerne «Skolebehovsplan 2020–2030» fra listen' in html
    # The committee of the case's second handling may still get it, and the free case may go to either HOU meeting.
    assert f'action="{reverse("godkjenning:liste_legg_til", args=[kst_mote.pk])}"' in html
    assert html.count(f'<option value="{ledig.pk}">{ledig.arkivsaksnr} Barnehageplan</option>') == 2
    assert f'data-uten-mote="{ledig.pk}"' in html
    assert f'data-uten-mote="{punkt.sak_id}"' not in html


@pytest.mark.parametrize("status", [Mote.Status.AVLYST, Mote.Status.AVHOLDT])
def test_a_case_left_only_on_a_cancelled_or_held_meetings_list_counts_as_without_a_meeting(client, godkjenner,
                                                                                            punkt, status):
    Mote.objects.filter(pk=punkt.mote_id).update(status=status)
    client.force_login(godkjenner)
    html = client.get(reverse("godkjenning:motelister")).content.decode()
    assert f'data-uten-mote="{punkt.sak_id}"' in html


@pytest.mark.parametrize("antall", [5, 50])
def test_the_page_runs_a_fixed_number_of_queries(client, godkjenner, saksbehandler, hou, kst, forste, andre,
                                                 kst_mote, django_assert_num_queries, antall):
    for i in range(antall):
        sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT, rute=[hou, kst])
        if i % 2:
            Motelistepunkt.objects.create(sak=sak, mote=forste, lagt_til_av=godkjenner)
    client.force_login(godkjenner)
    # session, user, groups; the meetings' count and page, their entries and later meetings; the candidates
    # and their counts; the cases without a meeting: count, page and routes; whom the user stands in for today
    # (the banner that says why a stand-in sees another's lists)
    with django_assert_num_queries(13):
        response = client.get(reverse("godkjenning:motelister"))
    html = response.content.decode()
    assert html.count("data-punkt=") == antall // 2
    assert html.count("data-uten-mote=") == antall - antall // 2


def test_the_admin_lists_entries_by_status_and_committee(admin_client, punkt):
    response = admin_client.get(reverse("admin:godkjenning_motelistepunkt_changelist"),
                                {"status__exact": "aktiv", "q": "Skolebehovsplan"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "19/01234" in html
    assert "Hovedutvalg for oppvekst" in html
    assert admin_client.get(reverse("admin:godkjenning_motelistepunkt_change", args=[punkt.pk])).status_code == 200



@pytest.mark.parametrize("status", [Sak.Status.VEDTATT, Sak.Status.TRUKKET, Sak.Status.AVSLUTTET])
def test_a_decided_withdrawn_or_closed_case_is_never_offered_or_added(client, godkjenner, saksbehandler, hou,
                                                                       forste, status):
    ferdig = SakFactory(saksbehandler=saksbehandler, status=status, rute=[hou], tittel="Ferdig behandlet")
    client.force_login(godkjenner)
    html = client.get(reverse("godkjenning:motelister")).content.decode()
    assert f'<option value="{ferdig.pk}">' not in html
    assert f'data-uten-mote="{ferdig.pk}"' not in html
    with pytest.raises(Feil, match="kan ikke settes på en møteliste"):
        services.liste_legg_til(sak=ferdig, mote=forste, av=godkjenner)
    response = client.post(reverse("godkjenning:liste_legg_til", args=[forste.pk]), {"sak": ferdig.pk})
    assert response.status_code == 400
    assert not Motelistepunkt.objects.exists()


def test_the_page_offers_the_first_candidates_and_a_search_finds_the_rest(client, godkjenner, saksbehandler, hou,
                                                                        forste, monkeypatch):
    from godkjenning import selectors

    monkeypatch.setattr(selectors, "KANDIDATER", 2)
    saker = [SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT, rute=[hou], tittel=f"Plan {i}")
             for i in range(4)]
    client.force_login(godkjenner)
    html = client.get(reverse("godkjenning:motelister")).content.decode()
    assert [f'<option value="{s.pk}">' in html for s in saker] == [True, True, False, False]
    assert "Viser de 2 første av 4 saker" in html
    html = client.get(reverse("godkjenning:motelister"), {"sok": "Plan 3"}).content.decode()
    assert f'<option value="{saker[3].pk}">' in html
    assert f'<option value="{saker[0].pk}">' not in html
    # Any case in scope may still be posted, whether or not it was among those shown.
    client.post(reverse("godkjenning:liste_legg_til", args=[forste.pk]), {"sak": saker[2].pk})
    assert Motelistepunkt.objects.filter(sak=saker[2], mote=forste).exists()


def test_the_coming_meetings_come_a_page_at_a_time(client, godkjenner, godkjent_sak, hou, monkeypatch):
    from godkjenning import selectors

    monkeypatch.setattr(selectors, "MOTER_PER_SIDE", 2)
    moter = [mote_om(hou, 10 * (i + 1)) for i in range(3)]
    client.force_login(godkjenner)
    forste_side = client.get(reverse("godkjenning:motelister")).content.decode()
    andre_side = client.get(reverse("godkjenning:motelister"), {"side": 2}).content.decode()
    assert [f'id="mote-{m.pk}"' in forste_side for m in moter] == [True, True, False]
    assert [f'id="mote-{m.pk}"' in andre_side for m in moter] == [False, False, True]
    assert "Møter 1–2 av 3" in forste_side


# Compact: my committees only, meetings without my cases on one line

def test_the_page_shows_only_the_committees_my_sectors_cases_have_gone_or_go_to(
        client, godkjenner, fremmed_godkjenner, radmann, saksbehandler, annet_omrade, godkjent_sak, forste, kst_mote):
    # Another sector's case goes to the formannskap; one of mine went to the helseutvalg and is closed.
    fsk, hsu = UtvalgFactory(navn="Formannskapet", kode="FSK"), UtvalgFactory(navn="Helseutvalget", kode="HSU")
    SakFactory(saksbehandler=BrukerFactory.saksbehandler(username="ola", kommunalomrade=annet_omrade),
               status=Sak.Status.GODKJENT, rute=[fsk])
    SakFactory(saksbehandler=saksbehandler, status=Sak.Status.AVSLUTTET, rute=[hsu])
    fsk_mote, hsu_mote = mote_om(fsk, 25), mote_om(hsu, 26)
    ukjent = mote_om(UtvalgFactory(navn="Kontrollutvalget", kode="KU"), 27)  # no case has gone there

    def vist(bruker) -> list[bool]:
        client.force_login(bruker)
        html = client.get(reverse("godkjenning:motelister")).content.decode()
        return [f'id="mote-{m.pk}"' in html for m in (forste, kst_mote, hsu_mote, fsk_mote, ukjent)]

    assert vist(godkjenner) == [True, True, True, False, False]
    assert vist(fremmed_godkjenner) == [False, False, False, True, False]
    assert vist(radmann) == [True, True, True, True, False]


def test_meetings_without_my_cases_are_one_line_each_with_adding_a_case_folded_in(
        client, godkjenner, saksbehandler, hou, punkt, forste, andre, kst_mote):
    SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT, rute=[hou], tittel="Barnehageplan")
    client.force_login(godkjenner)
    html = client.get(reverse("godkjenning:motelister")).content.decode()

    # The meeting with my case is a card with its entries; the two without are lines in one list, in date order.
    assert f'<section class="card mb-4" id="mote-{forste.pk}"' in html
    assert "Møter uten saker fra dine kommunalområder (2)" in html
    liste = html[html.index('id="uten-saker-tittel"'):html.index("</ul>", html.index('id="uten-saker-tittel"'))]
    assert liste.index(f'data-tomt-mote="{kst_mote.pk}"') < liste.index(f'data-tomt-mote="{andre.pk}"')
    assert 'class="card' not in liste
    for mote in (andre, kst_mote):
        linje = liste[liste.index(f'data-tomt-mote="{mote.pk}"'):]
        linje = linje[:linje.index("</li>")]
        assert "<details>" in linje and "Sett en sak på listen" in linje
        assert f'action="{reverse("godkjenning:liste_legg_til", args=[mote.pk])}"' in linje


def test_a_refused_add_on_a_one_line_meeting_opens_its_form_with_the_error(client, godkjenner, godkjent_sak, punkt,
                                                                          andre):
    client.force_login(godkjenner)
    response = client.post(reverse("godkjenning:liste_legg_til", args=[andre.pk]), {"sak": ""})
    assert response.status_code == 400
    html = response.content.decode()
    linje = html[html.index(f'data-tomt-mote="{andre.pk}"'):]
    linje = linje[:linje.index("</li>")]
    assert "<details open>" in linje and f'id="legg_til-{andre.pk}"' in linje
    assert "Velg saken som skal settes på listen." in linje

