"""Mine saker as a work list: the active cases by default with the closed ones a filter away, and for each case
who holds it now, the meeting it goes to and the days to that meeting's saksfrist, in a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from overgang.organisasjon.models import Mote
from saker.models import Sak
from tests.factories import MoteFactory, SakFactory, SakslistepunktFactory, VedtakFactory

pytestmark = pytest.mark.django_db


def rad(html: str, tittel: str) -> str:
    """The table row of the case titled `tittel`."""
    slutt = html.index(tittel)
    return html[html.rindex("<tr", 0, slutt):html.index("</tr>", slutt)]


def mote_med_frist(dager: int, **kwargs) -> Mote:
    return MoteFactory(tidspunkt=timezone.now() + datetime.timedelta(days=dager + 10),
                       saksfrist=timezone.localdate() + datetime.timedelta(days=dager), **kwargs)


def test_closed_cases_are_a_filter_away(client, saksbehandler):
    SakFactory(saksbehandler=saksbehandler, tittel="Aktiv sak om skolebuss")
    SakFactory(saksbehandler=saksbehandler, tittel="Trukket sak om idrettshall", status=Sak.Status.TRUKKET)
    SakFactory(saksbehandler=saksbehandler, tittel="Avsluttet sak om bibliotek", status=Sak.Status.AVSLUTTET)
    client.force_login(saksbehandler)
    html = client.get(reverse("saker:start")).content.decode()
    assert "Aktiv sak om skolebuss" in html
    assert "Trukket sak" not in html and "Avsluttet sak" not in html
    assert "Vis avsluttede (2)" in html

    html = client.get(reverse("saker:start"), {"vis": "avsluttede"}).content.decode()
    assert "Trukket sak om idrettshall" in html and "Avsluttet sak om bibliotek" in html
    assert "Aktiv sak" not in html and "Vis aktive (1)" in html
    # Asking for a closed state by name shows it too.
    html = client.get(reverse("saker:start"), {"status": "trukket"}).content.decode()
    assert "Trukket sak om idrettshall" in html and "Avsluttet sak" not in html


def test_the_holder_column_says_who_has_the_case_now(client, saksbehandler, godkjenner):
    SakFactory(saksbehandler=saksbehandler, tittel="Utkastet")
    SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, tittel="Sendt til Kari",
               status=Sak.Status.TIL_GODKJENNING)
    SakFactory(saksbehandler=saksbehandler, tittel="Mottatt hos dem", status=Sak.Status.SENDT_SEKRETARIAT)
    pa_agenda = SakFactory(saksbehandler=saksbehandler, tittel="På sakslisten", status=Sak.Status.SENDT_SEKRETARIAT)
    SakslistepunktFactory(sak=pa_agenda, mote=MoteFactory(utvalg=pa_agenda.behandlinger.first().utvalg))
    VedtakFactory(sak__saksbehandler=saksbehandler, sak__tittel="Vedtatt sak")
    client.force_login(saksbehandler)
    html = client.get(reverse("saker:start")).content.decode()
    assert "<td data-hos>Deg</td>" in rad(html, "Utkastet")
    assert f"<td data-hos>{godkjenner}</td>" in rad(html, "Sendt til Kari")
    assert "<td data-hos>Politisk sekretariat</td>" in rad(html, "Mottatt hos dem")
    assert "<td data-hos>Politisk behandling</td>" in rad(html, "På sakslisten")
    assert "<td data-hos>Deg</td>" in rad(html, "Vedtatt sak")


def test_the_meeting_column_follows_the_case_from_wish_to_agenda_to_vedtak(client, saksbehandler):
    onsket = mote_med_frist(6)
    SakFactory(saksbehandler=saksbehandler, tittel="Ønsket møte", onsket_mote=onsket)
    flyttet = SakFactory(saksbehandler=saksbehandler, tittel="Satt på et senere møte", onsket_mote=onsket,
                         status=Sak.Status.SENDT_SEKRETARIAT)
    senere = mote_med_frist(20, utvalg=flyttet.behandlinger.first().utvalg)
    SakslistepunktFactory(sak=flyttet, mote=senere)
    vedtak = VedtakFactory(sak__saksbehandler=saksbehandler, sak__tittel="Vedtatt sak", sak__onsket_mote=onsket)
    client.force_login(saksbehandler)
    html = client.get(reverse("saker:start")).content.decode()
    assert str(onsket) in rad(html, "Ønsket møte")
    assert str(senere) in rad(html, "Satt på et senere møte")
    assert str(vedtak.mote) in rad(html, "Vedtatt sak")


@pytest.mark.parametrize("dager, tekst", [(6, "6 dager til saksfrist"), (1, "1 dag til saksfrist"),
                                          (0, "saksfrist i dag"), (-2, "frist passert")])
def test_the_saksfrist_column_counts_the_days(client, saksbehandler, dager, tekst):
    SakFactory(saksbehandler=saksbehandler, tittel="Saken med frist", onsket_mote=mote_med_frist(dager),
               status=Sak.Status.GODKJENT)
    client.force_login(saksbehandler)
    assert tekst in rad(client.get(reverse("saker:start")).content.decode(), "Saken med frist")


def test_the_saksfrist_is_not_counted_once_the_case_has_reached_the_secretariat(client, saksbehandler):
    SakFactory(saksbehandler=saksbehandler, tittel="Levert sak", onsket_mote=mote_med_frist(-2),
               status=Sak.Status.SENDT_SEKRETARIAT)
    client.force_login(saksbehandler)
    assert "frist passert" not in rad(client.get(reverse("saker:start")).content.decode(), "Levert sak")


def test_every_state_has_its_coloured_tag_in_the_list(client, saksbehandler):
    for status in Sak.Status:
        SakFactory(saksbehandler=saksbehandler, tittel=f"Sak i {status.value}", status=status)
    client.force_login(saksbehandler)
    html = client.get(reverse("saker:start")).content.decode()
    html += client.get(reverse("saker:start"), {"vis": "avsluttede"}).content.decode()
    for status in Sak.Status:
        sak = Sak.objects.get(tittel=f"Sak i {status.value}")
        assert f'<span class="badge rounded-pill {sak.status_tag}">{status.label}</span>' in rad(html, sak.tittel)


@pytest.mark.parametrize("antall", [4, 40])
def test_my_cases_with_meetings_agendas_and_vedtak_run_a_fixed_number_of_queries(
        client, saksbehandler, django_assert_num_queries, antall):
    for i in range(antall):
        if i % 4 == 0:
            VedtakFactory(sak__saksbehandler=saksbehandler)
        elif i % 4 == 1:
            sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.SENDT_SEKRETARIAT)
            SakslistepunktFactory(sak=sak, mote=MoteFactory(utvalg=sak.behandlinger.first().utvalg))
        else:
            SakFactory(saksbehandler=saksbehandler, onsket_mote=MoteFactory(), status=Sak.Status.GODKJENT)
    client.force_login(saksbehandler)
    # session, user, groups, counts per status, count for the pages, cases (with their meeting and vedtak),
    # routes, the agenda meetings
    with django_assert_num_queries(8):
        response = client.get(reverse("saker:start"))
    assert response.content.decode().count("<tr") == antall + 1
