"""The pages that had no pinned query count: the case page, Alle møter and the admin's case list each run the
same number of queries for few and many rows (issue 10: pages that show the work, not the whole history)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from godkjenning.models import Motelistepunkt
from overgang.endringslogg.models import Handling
from overgang.endringslogg.services import logg
from overgang.organisasjon.models import Mote
from saker.models import Hendelse, Sak
from tests.factories import BrukerFactory, MoteFactory, SakFactory, UtvalgFactory

pytestmark = pytest.mark.django_db


def antall_sporringer(client, url, django_assert_num_queries, n: int) -> None:
    with django_assert_num_queries(n):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("antall", [3, 60])
def test_alle_moter_runs_a_fixed_number_of_queries(client, sekretar, django_assert_num_queries, antall):
    fsk = UtvalgFactory(navn="Formannskapet", kode="FSK")
    for i in range(antall):
        MoteFactory(utvalg=fsk, tidspunkt=timezone.now() + datetime.timedelta(days=7 * (i - antall // 2)),
                    status=Mote.Status.PLANLAGT if i >= antall // 2 else Mote.Status.AVHOLDT)
    client.force_login(sekretar)
    # session, user, groups, committees for the filter, coming meetings, past meetings' count and page, the tabs'
    # counts (one query for both)
    antall_sporringer(client, reverse("sekretariat:moter"), django_assert_num_queries, 8)


@pytest.mark.parametrize("antall", [3, 60])
def test_the_case_page_runs_a_fixed_number_of_queries(client, saksbehandler, godkjenner, django_assert_num_queries,
                                                      antall):
    utvalg = [UtvalgFactory(navn="Formannskapet", kode="FSK"), UtvalgFactory(navn="Kommunestyret", kode="KST")]
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT, godkjenner=godkjenner, rute=utvalg)
    for i in range(antall):
        Hendelse.objects.create(sak=sak, fra_status=Sak.Status.RETURNERT if i % 2 else Sak.Status.TIL_GODKJENNING,
                                til_status=Sak.Status.TIL_GODKJENNING if i % 2 else Sak.Status.RETURNERT,
                                utfort_av=saksbehandler)
        Motelistepunkt.objects.create(sak=SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT),
                                      mote=MoteFactory(utvalg=utvalg[0],
                                                       tidspunkt=timezone.now() + datetime.timedelta(days=i + 1)),
                                      lagt_til_av=godkjenner)
        logg(av=saksbehandler, handling=Handling.ENDRET, objekt=sak, sak_id=sak.pk, felt="tittel", gammel=i, ny=i + 1)
    client.force_login(saksbehandler)
    # session, user, groups, the case, its handlings at meetings, documents, history, endringslogg, route, vedtak,
    # the meeting whose agenda it stands on (for "Hos", "Møte" and the saksfrist)
    antall_sporringer(client, reverse("saker:sak", args=[sak.pk]), django_assert_num_queries, 11)


@pytest.mark.parametrize("antall", [3, 60])
def test_the_admin_case_list_runs_a_fixed_number_of_queries(admin_client, django_assert_num_queries, antall):
    saksbehandler = BrukerFactory.saksbehandler()
    for _ in range(antall):
        SakFactory(saksbehandler=saksbehandler, hoveddokument=False)
    antall_sporringer(admin_client, reverse("admin:saker_sak_changelist"), django_assert_num_queries, 8)


@pytest.mark.services
def test_the_apps_postgresql_connections_run_without_jit():
    """PostgreSQL's JIT cost more than it saved on the largest page queries (bench/README.md)."""
    from django.db import connection

    from tests.tjenester import krev_postgresql

    krev_postgresql()
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
