from datetime import date, datetime, timedelta

import pytest
from django.template.loader import render_to_string

from godkjenning.models import Motelistepunkt
from overgang.datoer import NORSK_TIDSSONE
from overgang.organisasjon.models import Mote
from saker.models import Sak
from sekretariat.kontroll import REGLER, kontroller
from sekretariat.kontroll_telling import telling
from sekretariat.uplasserte import saker_uten_mote
from tests.factories import (
    MoteFactory,
    MotelistepunktFactory,
    RegistreringFactory,
    SakFactory,
    SakslistepunktFactory,
)

pytestmark = pytest.mark.django_db

SAKSFRIST = date(2030, 3, 2)
# A day well before the saksfrist, when an approved case not yet sent is no concern.
TIDLIG = date(2030, 2, 1)
# Received on time, well before the saksfrist.
I_TIDE = datetime(2030, 2, 20, 10, 0, tzinfo=NORSK_TIDSSONE)


def lokal(*args) -> datetime:
    return datetime(*args, tzinfo=NORSK_TIDSSONE)


@pytest.fixture
def mote():
    return MoteFactory(tidspunkt=lokal(2030, 3, 12, 18, 0), saksfrist=SAKSFRIST)


@pytest.fixture
def ny_sak(saksbehandler):
    def lag(status=Sak.Status.GODKJENT, **kwargs) -> Sak:
        return SakFactory(saksbehandler=saksbehandler, status=status, hoveddokument=False, **kwargs)

    return lag


@pytest.fixture
def pa_liste(godkjenner):
    def lag(sak: Sak, mote: Mote, **kwargs) -> Motelistepunkt:
        return MotelistepunktFactory(sak=sak, mote=mote, lagt_til_av=godkjenner, **kwargs)

    return lag


@pytest.fixture
def pa_saksliste(sekretar):
    def lag(sak: Sak, mote: Mote):
        return SakslistepunktFactory(sak=sak, mote=mote, lagt_til_av=sekretar)

    return lag


@pytest.fixture
def registrer(sekretar):
    def lag(sak: Sak):
        return RegistreringFactory(sak=sak, registrert_av=sekretar)

    return lag


def motta(sak: Sak, tidspunkt: datetime = I_TIDE) -> Sak:
    sak.status = Sak.Status.SENDT_SEKRETARIAT
    sak.sendt_sekretariat = tidspunkt
    sak.save(update_fields=["status", "sendt_sekretariat"])
    return sak


def regler(mote: Mote, sak: Sak, idag: date = TIDLIG) -> list[str]:
    """The rules that flag this case at this meeting, in order."""
    return [a.regel for a in kontroller([mote], idag=idag)[mote.pk].avvik if a.sak == sak]


# ikke_mottatt

def test_an_approved_case_on_the_directors_list_is_flagged_until_the_secretariat_receives_it(
        mote, ny_sak, pa_liste):
    sak = ny_sak()
    pa_liste(sak, mote)
    assert "ikke_mottatt" in regler(mote, sak)

    motta(sak)
    assert "ikke_mottatt" not in regler(mote, sak)


# ikke_pa_liste

def test_a_received_case_on_the_agenda_but_on_no_directors_list_is_flagged_until_listed(
        mote, ny_sak, pa_liste, pa_saksliste):
    sak = motta(ny_sak())
    pa_saksliste(sak, mote)
    assert "ikke_pa_liste" in regler(mote, sak)

    pa_liste(sak, mote)
    assert "ikke_pa_liste" not in regler(mote, sak)


def test_a_received_case_wished_for_the_meeting_but_not_listed_is_flagged(mote, ny_sak, pa_liste):
    sak = motta(ny_sak(onsket_mote=mote))
    assert "ikke_pa_liste" in regler(mote, sak)

    pa_liste(sak, mote)
    assert "ikke_pa_liste" not in regler(mote, sak)


def test_a_case_the_director_moved_to_a_later_meeting_is_checked_there_not_at_the_wished_one(
        mote, ny_sak, pa_liste, godkjenner):
    senere = MoteFactory(utvalg=mote.utvalg, tidspunkt=lokal(2030, 4, 9, 18, 0), saksfrist=date(2030, 3, 30))
    sak = motta(ny_sak(onsket_mote=mote))
    ny = pa_liste(sak, senere)
    pa_liste(sak, mote, status=Motelistepunkt.Status.FLYTTET, grunn="Mangler vedlegg", flyttet_til=ny,
             endret_av=godkjenner)

    assert regler(mote, sak) == []
    assert "ikke_pa_saksliste" in regler(senere, sak)


def samme_tall(*moter: Mote, idag: date = TIDLIG) -> None:
    """The start page's counts (kontroll_telling) say what the rules say, rule by rule and case by case."""
    regler_ = kontroller(moter, idag=idag)
    for m, t in telling(moter, idag=idag).items():
        assert t.per_regel == {kode: len(a) for kode, a in regler_[m].per_regel().items()}
        assert (t.antall(), t.relevante) == (regler_[m].antall(), len(regler_[m].saker))


@pytest.mark.parametrize("status", [Sak.Status.GODKJENT, Sak.Status.SENDT_SEKRETARIAT])
def test_a_wish_yields_to_a_directors_listing_on_another_meeting_of_the_committee(mote, ny_sak, pa_liste, status):
    senere = MoteFactory(utvalg=mote.utvalg, tidspunkt=lokal(2030, 4, 9, 18, 0), saksfrist=date(2030, 3, 30))
    sak = ny_sak(status=status, onsket_mote=mote, sendt_sekretariat=I_TIDE if status != Sak.Status.GODKJENT else None)
    pa_liste(sak, senere)

    # Expected where the director put it, not where the officer wished it: nothing is missing at the wish.
    for idag in (TIDLIG, SAKSFRIST):
        assert regler(mote, sak, idag=idag) == []
        assert kontroller([mote], idag=idag)[mote.pk].tom
        assert sak in kontroller([senere], idag=idag)[senere.pk].saker
        samme_tall(mote, senere, idag=idag)


def test_a_wish_stands_beside_a_listing_on_another_committees_or_a_held_meeting(mote, ny_sak, pa_liste, kst):
    annet_utvalg = MoteFactory(utvalg=kst, tidspunkt=lokal(2030, 4, 9, 18, 0), saksfrist=date(2030, 3, 30))
    avholdt = MoteFactory(utvalg=mote.utvalg, tidspunkt=lokal(2030, 1, 9, 18, 0), saksfrist=date(2029, 12, 30),
                          status=Mote.Status.AVHOLDT)
    sak = motta(ny_sak(onsket_mote=mote))
    pa_liste(sak, annet_utvalg)
    pa_liste(sak, avholdt)

    assert "ikke_pa_liste" in regler(mote, sak)
    samme_tall(mote, annet_utvalg, avholdt)


def test_a_received_case_not_yet_listed_anywhere_is_not_flagged_at_another_meeting(mote, ny_sak):
    annet = MoteFactory(utvalg=mote.utvalg, tidspunkt=lokal(2030, 4, 9, 18, 0), saksfrist=date(2030, 3, 30))
    motta(ny_sak(onsket_mote=mote))
    assert kontroller([annet], idag=TIDLIG)[annet.pk].klar


# ikke_sendt

def test_an_approved_case_not_sent_is_flagged_from_n_days_before_the_saksfrist(mote, ny_sak, pa_liste, settings):
    settings.KONTROLL_SENDEFRIST_DAGER = 3
    sak = ny_sak()
    pa_liste(sak, mote)

    assert "ikke_sendt" not in regler(mote, sak, idag=SAKSFRIST - timedelta(days=4))
    assert "ikke_sendt" in regler(mote, sak, idag=SAKSFRIST - timedelta(days=3))
    assert "ikke_sendt" in regler(mote, sak, idag=SAKSFRIST + timedelta(days=1))

    motta(sak)
    assert "ikke_sendt" not in regler(mote, sak, idag=SAKSFRIST)


def test_an_approved_case_wished_for_the_meeting_is_flagged_if_not_sent_even_when_not_listed(mote, ny_sak, settings):
    settings.KONTROLL_SENDEFRIST_DAGER = 5
    sak = ny_sak(onsket_mote=mote)
    assert regler(mote, sak, idag=SAKSFRIST - timedelta(days=5)) == ["ikke_sendt"]


def test_a_case_not_yet_approved_is_not_relevant_through_its_wish(mote, ny_sak):
    sak = ny_sak(status=Sak.Status.TIL_GODKJENNING, onsket_mote=mote)
    assert regler(mote, sak, idag=SAKSFRIST) == []


# ikke_registrert

def test_a_received_case_is_flagged_until_registered_in_p360(mote, ny_sak, pa_liste, registrer):
    sak = motta(ny_sak())
    pa_liste(sak, mote)
    avvik = kontroller([mote], idag=TIDLIG)[mote.pk].per_regel()["ikke_registrert"]
    assert [a.sak for a in avvik] == [sak]
    assert avvik[0].melding == "Mottatt, men ikke registrert i P360."

    registrer(sak)
    assert "ikke_registrert" not in regler(mote, sak)


# ikke_pa_saksliste

def test_a_listed_case_is_flagged_until_it_is_on_the_agenda(mote, ny_sak, pa_liste, pa_saksliste):
    sak = motta(ny_sak())
    pa_liste(sak, mote)
    assert "ikke_pa_saksliste" in regler(mote, sak)

    pa_saksliste(sak, mote)
    assert "ikke_pa_saksliste" not in regler(mote, sak)


def test_a_case_on_another_meetings_agenda_is_still_missing_from_this_one(mote, ny_sak, pa_liste, pa_saksliste):
    annet = MoteFactory(utvalg=mote.utvalg, tidspunkt=lokal(2030, 4, 9, 18, 0), saksfrist=date(2030, 3, 30))
    sak = motta(ny_sak())
    pa_liste(sak, mote)
    pa_saksliste(sak, annet)
    assert "ikke_pa_saksliste" in regler(mote, sak)


# ikke_godkjent

def test_a_case_on_the_agenda_is_flagged_until_approved(mote, ny_sak, pa_saksliste):
    sak = ny_sak(status=Sak.Status.TIL_GODKJENNING)
    pa_saksliste(sak, mote)
    assert "ikke_godkjent" in regler(mote, sak)

    sak.status = Sak.Status.GODKJENT
    sak.save(update_fields=["status"])
    assert "ikke_godkjent" not in regler(mote, sak)


# etter_frist

def test_a_case_received_after_the_saksfrist_in_local_time_is_flagged(mote, ny_sak, pa_liste):
    # 00:30 on the day after the saksfrist in Oslo is still the saksfrist's day in UTC.
    sak = motta(ny_sak(), lokal(2030, 3, 3, 0, 30))
    pa_liste(sak, mote)
    avvik = [a for a in kontroller([mote], idag=TIDLIG)[mote.pk].avvik if a.regel == "etter_frist"]
    assert [a.sak for a in avvik] == [sak]
    assert avvik[0].melding == "Mottatt 3. mars 2030, etter saksfristen 2. mars 2030."

    motta(sak, lokal(2030, 3, 2, 23, 30))
    assert "etter_frist" not in regler(mote, sak)


# The meeting as a whole

def test_a_meeting_where_everything_is_right_is_ready(mote, ny_sak, pa_liste, pa_saksliste, registrer):
    for _ in range(3):
        sak = motta(ny_sak(onsket_mote=mote))
        pa_liste(sak, mote)
        registrer(sak)
        pa_saksliste(sak, mote)

    kontroll = kontroller([mote], idag=SAKSFRIST)[mote.pk]
    assert kontroll.klar
    assert kontroll.antall() == 0
    assert kontroll.per_regel() == {kode: [] for kode in REGLER}


def test_a_meeting_without_cases_has_no_discrepancy_but_is_empty_not_ready(mote):
    kontroll = kontroller([mote])[mote.pk]
    assert (kontroll.antall(), kontroll.tom, kontroll.saker) == (0, True, ())


def test_a_case_is_flagged_once_per_rule_even_when_it_is_relevant_in_every_way(mote, ny_sak, pa_liste, pa_saksliste):
    sak = motta(ny_sak(onsket_mote=mote))
    pa_liste(sak, mote)
    pa_saksliste(sak, mote)
    assert regler(mote, sak) == ["ikke_registrert"]


def test_discrepancies_are_ordered_by_rule_then_norwegian_title(mote, ny_sak, pa_liste):
    for tittel in ["Åsen skole", "Bygg", "Øvre Rælingen", "ærverdig kirke"]:
        pa_liste(ny_sak(tittel=tittel), mote)

    kontroll = kontroller([mote], idag=TIDLIG)[mote.pk]
    assert [(a.regel, a.sak.tittel) for a in kontroll.avvik] == [
        ("ikke_mottatt", "Bygg"), ("ikke_mottatt", "ærverdig kirke"),
        ("ikke_mottatt", "Øvre Rælingen"), ("ikke_mottatt", "Åsen skole"),
        ("ikke_pa_saksliste", "Bygg"), ("ikke_pa_saksliste", "ærverdig kirke"),
        ("ikke_pa_saksliste", "Øvre Rælingen"), ("ikke_pa_saksliste", "Åsen skole"),
    ]
    # Four cases, each missing in two ways: four discrepancies, one line each with both reasons.
    assert kontroll.antall() == 4
    assert [(r.sak.tittel, [a.regel for a in r.avvik]) for r in kontroll.per_sak()] == [
        (tittel, ["ikke_mottatt", "ikke_pa_saksliste"])
        for tittel in ["Bygg", "ærverdig kirke", "Øvre Rælingen", "Åsen skole"]]


def test_each_meeting_sees_only_its_own_cases(mote, ny_sak, pa_liste):
    annet = MoteFactory(utvalg=mote.utvalg, tidspunkt=lokal(2030, 4, 9, 18, 0), saksfrist=date(2030, 3, 30))
    sak = ny_sak()
    pa_liste(sak, annet)

    resultat = kontroller([mote, annet], idag=TIDLIG)
    assert list(resultat) == [mote.pk, annet.pk]
    assert resultat[mote.pk].klar
    assert {a.sak for a in resultat[annet.pk].avvik} == {sak}


# Received cases no meeting will take

def test_received_cases_without_a_meeting_are_found_oldest_first(
        mote, ny_sak, pa_liste, pa_saksliste, godkjenner):
    avholdt = MoteFactory(utvalg=mote.utvalg, tidspunkt=lokal(2030, 1, 8, 18, 0), saksfrist=date(2029, 12, 29),
                          status=Mote.Status.AVHOLDT)
    avlyst = MoteFactory(utvalg=mote.utvalg, tidspunkt=lokal(2030, 2, 5, 18, 0), saksfrist=date(2030, 1, 26),
                         status=Mote.Status.AVLYST)

    ingen_steder = motta(ny_sak(tittel="Ingen steder"), lokal(2030, 2, 2, 9, 0))
    glemt_pa_avholdt_liste = motta(ny_sak(tittel="Bare på listen til et avholdt møte"), lokal(2030, 1, 2, 9, 0))
    pa_liste(glemt_pa_avholdt_liste, avholdt)
    fjernet = motta(ny_sak(tittel="Fjernet fra listen"), lokal(2030, 2, 3, 9, 0))
    pa_liste(fjernet, mote, status=Motelistepunkt.Status.FJERNET, grunn="Trekkes", endret_av=godkjenner)
    avlyst_mote = motta(ny_sak(tittel="På sakslisten til et avlyst møte"), lokal(2030, 1, 20, 9, 0))
    pa_saksliste(avlyst_mote, avlyst)

    pa_listen = motta(ny_sak(tittel="På listen"))
    pa_liste(pa_listen, mote)
    behandlet = motta(ny_sak(tittel="Behandlet"))
    pa_saksliste(behandlet, avholdt)
    ny_sak(tittel="Godkjent, ikke sendt")

    assert saker_uten_mote() == [glemt_pa_avholdt_liste, avlyst_mote, ingen_steder, fjernet]


# Fixed number of queries

@pytest.mark.parametrize("antall", [5, 100])
def test_the_check_runs_a_fixed_number_of_queries(
        antall, saksbehandler, godkjenner, sekretar, django_assert_num_queries):
    moter = [MoteFactory(tidspunkt=lokal(2030, 3, 12 + 7 * i, 18, 0), saksfrist=date(2030, 3, 2 + 7 * i))
             for i in range(3)]
    for i in range(antall):
        mote = moter[i % 3]
        sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT, hoveddokument=False,
                         onsket_mote=mote if i % 4 == 0 else None)
        if i % 2:
            motta(sak, lokal(2030, 3, 5, 12, 0))
        if i % 3 != 2:
            MotelistepunktFactory(sak=sak, mote=mote, lagt_til_av=godkjenner)
        if i % 5 == 0:
            SakslistepunktFactory(sak=sak, mote=mote, lagt_til_av=sekretar)
        if i % 7 == 0 and sak.er_mottatt:
            RegistreringFactory(sak=sak, registrert_av=sekretar)

    with django_assert_num_queries(3):
        resultat = kontroller(moter, idag=SAKSFRIST)

    assert sum(len(k.avvik) for k in resultat.values()) > antall
    # The partial reads only what was fetched with the cases.
    with django_assert_num_queries(0):
        for kontroll in resultat.values():
            render_to_string("sekretariat/_kontroll.html", {"kontroll": kontroll})


# The partial

def test_the_partial_shows_a_ready_meeting_in_words(mote, ny_sak, pa_liste, pa_saksliste, registrer):
    sak = motta(ny_sak())
    pa_liste(sak, mote)
    registrer(sak)
    pa_saksliste(sak, mote)
    html = render_to_string("sekretariat/_kontroll.html", {"kontroll": kontroller([mote], idag=TIDLIG)[mote.pk]})
    assert "Klar – ingen avvik" in html
    assert "1 sak kontrollert" in html
    assert 'role="status"' in html


@pytest.mark.parametrize(("idag", "tekst"), [(TIDLIG, "ennå. Saksfristen er 2. mars 2030."),
                                             (SAKSFRIST + timedelta(days=1), "og saksfristen 2. mars 2030 er passert")])
def test_a_meeting_with_nothing_listed_says_so_neutrally_not_ready(mote, idag, tekst):
    kontroll = kontroller([mote], idag=idag)[mote.pk]
    assert kontroll.tom and kontroll.antall() == 0
    html = render_to_string("sekretariat/_kontroll.html", {"kontroll": kontroll})
    assert "Ingen saker meldt" in html and tekst in html
    assert "Klar" not in html and "alert-success" not in html


def test_the_partial_lists_each_rule_with_its_cases(mote, ny_sak, pa_liste, saksbehandler):
    sak = ny_sak(tittel="Skolebehovsplan", arkivsaksnr="19/04321")
    pa_liste(sak, mote)

    html = render_to_string("sekretariat/_kontroll.html", {"kontroll": kontroller([mote], idag=TIDLIG)[mote.pk]})
    assert "Klar – ingen avvik" not in html
    assert "Ikke klar – 1 avvik" in html  # one case, missing in two ways
    assert REGLER["ikke_mottatt"] in html
    assert REGLER["ikke_pa_saksliste"] in html
    assert REGLER["etter_frist"] not in html
    assert f'<a href="{sak.get_absolute_url()}">Skolebehovsplan</a>' in html
    assert "19/04321" in html
    assert str(saksbehandler) in html
    assert "Står på direktørlisten, men er ikke mottatt av sekretariatet." in html
    assert "<caption" in html and 'scope="col"' in html
