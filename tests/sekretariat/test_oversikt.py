"""The secretariat's start page (Oversikt): the work first and counted on the tabs, a readiness bar per coming
meeting, one discrepancy per case, a meeting with nothing listed shown neutrally, one date format."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from overgang.organisasjon.models import Mote
from saker.models import Sak
from tests.factories import (
    MoteFactory,
    MotelistepunktFactory,
    RegistreringFactory,
    SakFactory,
    SakslistepunktFactory,
    dag,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sak_pa_listen(godkjenner, saksbehandler):
    def lag(mote: Mote, *, mottatt: bool = True, registrert: bool = False, plassert: bool = False, **kwargs) -> Sak:
        sak = SakFactory(saksbehandler=saksbehandler, hoveddokument=False,
                         status=Sak.Status.SENDT_SEKRETARIAT if mottatt else Sak.Status.GODKJENT,
                         sendt_sekretariat=timezone.now() if mottatt else None, **kwargs)
        MotelistepunktFactory(sak=sak, mote=mote, lagt_til_av=godkjenner)
        if registrert:
            RegistreringFactory(sak=sak)
        if plassert:
            SakslistepunktFactory(sak=sak, mote=mote)
        return sak

    return lag


def side(client, navn: str = "sekretariat:start", *args) -> str:
    response = client.get(reverse(navn, args=args))
    assert response.status_code == 200
    return response.content.decode()


def fremdrift(html: str, mote: Mote) -> str:
    """The readiness bar's text for one meeting, whitespace collapsed and the colour swatches left out."""
    funn = re.search(rf'data-fremdrift="{mote.pk}">(.*?)</p>', html, re.S)
    if not funn:
        return ""
    return " ".join(re.sub(r"<[^>]+>", "", re.sub(r"<svg.*?</svg>", "", funn.group(1), flags=re.S)).split())


def test_each_coming_meeting_shows_how_ready_its_cases_are_in_words_and_a_bar(client, sekretar, sak_pa_listen):
    mote, annet, tomt = MoteFactory(tidspunkt=dag(20)), MoteFactory(tidspunkt=dag(30)), MoteFactory(tidspunkt=dag(40))
    sak_pa_listen(mote, mottatt=False)
    sak_pa_listen(mote)
    sak_pa_listen(mote, registrert=True)
    sak_pa_listen(mote, registrert=True, plassert=True)
    for _ in range(2):
        sak_pa_listen(annet, registrert=True, plassert=True)
    client.force_login(sekretar)

    html = side(client)

    assert fremdrift(html, mote) == ("4 saker: 1 klar, 1 ikke på sakslisten, 1 ikke registrert i P360, "
                                     "1 ikke sendt til sekretariatet")
    assert fremdrift(html, annet) == "2 saker: 2 klare"
    # Four equal segments laid end to end; the bar is hidden from screen readers, which read the words.
    bar = html[html.index(f'data-kommende="{mote.pk}"'):html.index(f'data-fremdrift="{mote.pk}"')]
    assert re.findall(r'<rect x="([\d.]+)%" y="0" width="([\d.]+)%"', bar) == [
        ("0.00", "25.00"), ("25.00", "25.00"), ("50.00", "25.00"), ("75.00", "25.00")]
    assert 'aria-hidden="true"' in bar
    # A meeting with nothing listed has no bar and says so, in grey, not "Klar".
    rad = html[html.index(f'data-kommende="{tomt.pk}"'):]
    rad = rad[:rad.index("</li>")]
    assert "Ingen saker meldt" in rad and "text-bg-success" not in rad
    assert f'data-fremdrift="{tomt.pk}"' not in html


def test_one_missing_case_is_one_discrepancy_with_all_its_reasons(client, sekretar, sak_pa_listen, settings):
    settings.KONTROLL_SENDEFRIST_DAGER = 30
    mote = MoteFactory(tidspunkt=dag(12))
    sak = sak_pa_listen(mote, mottatt=False, tittel="Barnehagebehov")
    client.force_login(sekretar)

    start = side(client)
    rad = start[start.index(f'data-kommende="{mote.pk}"'):]
    assert "1 avvik" in rad[:rad.index("</li>")]

    kontroll = side(client, "sekretariat:kontroll", mote.pk)
    assert "Ikke klar – 1 avvik" in kontroll
    assert kontroll.count("data-avvik-sak=") == 1
    linje = kontroll[kontroll.index(f'data-avvik-sak="{sak.pk}"'):kontroll.index("</tr>", kontroll.index(
        f'data-avvik-sak="{sak.pk}"'))]
    assert re.findall(r'data-regel="(\w+)"', linje) == ["ikke_mottatt", "ikke_sendt", "ikke_pa_saksliste"]


def test_a_meeting_whose_saksfrist_passed_with_nothing_listed_is_shown_neutrally(client, sekretar):
    mote = MoteFactory(tidspunkt=dag(2), saksfrist=timezone.localdate() - datetime.timedelta(days=3))
    client.force_login(sekretar)
    html = side(client, "sekretariat:kontroll", mote.pk)
    assert "Ingen saker meldt" in html and "er passert" in html
    assert "Klar – ingen avvik" not in html and "alert-success" not in html


def test_the_tabs_count_the_cases_to_register_and_the_meetings_waiting_for_outcomes(client, sekretar, saksbehandler):
    for _ in range(3):
        SakFactory(saksbehandler=saksbehandler, status=Sak.Status.SENDT_SEKRETARIAT, hoveddokument=False)
    RegistreringFactory(sak=SakFactory(saksbehandler=saksbehandler, status=Sak.Status.SENDT_SEKRETARIAT,
                                       hoveddokument=False))
    avholdt = MoteFactory(tidspunkt=dag(-4), status=Mote.Status.AVHOLDT)
    SakslistepunktFactory(mote=avholdt, sak=SakFactory(saksbehandler=saksbehandler,
                                                      status=Sak.Status.SENDT_SEKRETARIAT, hoveddokument=False))
    MoteFactory(tidspunkt=dag(-6), status=Mote.Status.AVHOLDT)  # nothing on its agenda: no outcome to record
    client.force_login(sekretar)

    for navn, args in [("sekretariat:start", ()), ("sekretariat:innkomne", ()), ("sekretariat:moter", ()),
                       ("sekretariat:mote", (avholdt.pk,)), ("sekretariat:kontroll", (avholdt.pk,))]:
        html = side(client, navn, *args)
        start = html.index('aria-label="Sekretariatet"')
        meny = html[start:html.index("</nav>", start)]
        assert 'data-fanetall="innkomne">4<span class="visually-hidden"> ikke registrert i P360' in meny, navn
        assert 'data-fanetall="venter_pa_utfall">1<span class="visually-hidden"> møte venter på utfall' in meny, navn

    start = side(client)
    assert "4 saker å registrere i P360" in start
    assert "1 møte venter på utfall" in start


def test_the_tabs_show_no_count_when_there_is_no_work(client, sekretar):
    client.force_login(sekretar)
    html = side(client)
    assert "data-fanetall" not in html
    assert "0 saker å registrere i P360" in html and "Alle mottatte saker er registrert." in html


def test_the_start_page_and_alle_moter_write_a_meetings_time_alike(client, sekretar):
    mote = MoteFactory(tidspunkt=dag(9))
    client.force_login(sekretar)
    tid = f'<time datetime="{timezone.localtime(mote.tidspunkt).isoformat()}">'
    start, alle = side(client), side(client, "sekretariat:moter")
    vist = start[start.index(tid):start.index("</time>", start.index(tid))]
    assert vist in alle
    assert re.fullmatch(r'<time datetime="[^"]+">\w+ \d{1,2}\. \w+ \d{4} kl\. \d\d:\d\d', vist)


@pytest.mark.parametrize("antall", [4, 40])
def test_the_start_page_with_readiness_bars_runs_a_fixed_number_of_queries(client, sekretar, sak_pa_listen,
                                                                         django_assert_num_queries, antall):
    moter = [MoteFactory(tidspunkt=dag(10 + i)) for i in range(4)]
    for i in range(antall):
        sak_pa_listen(moter[i % 4], mottatt=bool(i % 2), registrert=bool(i % 2) and bool(i % 3),
                      plassert=bool(i % 2) and not i % 5)
    client.force_login(sekretar)
    # session, user, groups, coming meetings (count, page), past meetings, three counting queries, cases without
    # a meeting (the first, and the count), the tabs' counts
    with django_assert_num_queries(12):
        html = side(client)
    assert html.count("data-fremdrift=") == 4
