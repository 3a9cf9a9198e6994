"""Two secretaries placing cases in the same committee at the same moment, on PostgreSQL with real row locks.

SQLite serialises every writer, so only PostgreSQL shows whether the number is drawn under a lock: without
it both placements would read the same last number, and the second would fail on the unique constraint or,
worse, print one utvalgssaksnummer on two cases.
"""

import datetime
import threading
import time
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connections

from saker.models import Sak
from sekretariat import services
from sekretariat.models import Nummerserie, Sakslistepunkt, Sakstype
from tests.factories import BrukerFactory, MoteFactory, SakFactory, UtvalgFactory
from tests.tjenester import krev_postgresql

OSLO = ZoneInfo("Europe/Oslo")


def plasser_samtidig(plasseringer: list[tuple]) -> dict[int, object]:
    """Run each (mote, sak, av) placement in its own thread and connection, all released at once. Each
    lingers after drawing its number, inside its transaction, so the others surely arrive while it still
    holds its locks."""
    start = threading.Barrier(len(plasseringer), timeout=10)
    resultater: dict[int, object] = {}
    varsle = services.notify

    def varsle_og_nol(*args, **kwargs):
        resultat = varsle(*args, **kwargs)
        time.sleep(0.3)
        return resultat

    def plasser(mote, sak, av) -> None:
        try:
            start.wait()
            resultater[sak.pk] = services.saksliste_legg_til(mote=mote, sak=Sak(pk=sak.pk), av=av)
        except Exception as exc:  # reported to the main thread, which asserts on it
            resultater[sak.pk] = exc
        finally:
            connections.close_all()

    with mock.patch.object(services, "notify", varsle_og_nol):
        trader = [threading.Thread(target=plasser, args=p) for p in plasseringer]
        for trad in trader:
            trad.start()
        for trad in trader:
            trad.join(timeout=30)
    assert not any(trad.is_alive() for trad in trader)
    return resultater


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("serien_finnes", [False, True], ids=["arets-forste-plassering", "serien-finnes"])
def test_two_cases_placed_in_one_committee_at_once_get_different_numbers(sekretar, serien_finnes):
    krev_postgresql()
    fsk = UtvalgFactory(navn="Formannskapet", kode="FSK")
    if serien_finnes:
        Nummerserie.objects.create(utvalg=fsk, aar=2026, type=Sakstype.PS, siste=4)
    # Two meetings of the same committee: the meeting lock does not serialise them, only the number series does.
    moter = [MoteFactory(utvalg=fsk, tidspunkt=datetime.datetime(2026, 12, dag, 18, tzinfo=OSLO)) for dag in (3, 17)]
    saker = [SakFactory(status=Sak.Status.SENDT_SEKRETARIAT, rute=[fsk], hoveddokument=False) for _ in moter]
    annen_sekretar = BrukerFactory.sekretariat(username="sindre")

    resultater = plasser_samtidig([(moter[0], saker[0], sekretar), (moter[1], saker[1], annen_sekretar)])

    assert all(isinstance(r, Sakslistepunkt) for r in resultater.values()), resultater
    start = 4 if serien_finnes else 0
    assert sorted(Sakslistepunkt.objects.values_list("nummer", flat=True)) == [start + 1, start + 2]
    assert Nummerserie.objects.get(utvalg=fsk, aar=2026, type=Sakstype.PS).siste == start + 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_cases_placed_on_one_meeting_at_once_get_different_numbers_and_places(sekretar):
    krev_postgresql()
    fsk = UtvalgFactory(navn="Formannskapet", kode="FSK")
    mote = MoteFactory(utvalg=fsk, tidspunkt=datetime.datetime(2026, 12, 3, 18, tzinfo=OSLO))
    saker = [SakFactory(status=Sak.Status.SENDT_SEKRETARIAT, rute=[fsk], hoveddokument=False) for _ in range(2)]
    annen_sekretar = BrukerFactory.sekretariat(username="sindre")

    resultater = plasser_samtidig([(mote, saker[0], sekretar), (mote, saker[1], annen_sekretar)])

    assert all(isinstance(r, Sakslistepunkt) for r in resultater.values()), resultater
    assert sorted(Sakslistepunkt.objects.values_list("nummer", "rekkefolge")) == [(1, 1), (2, 2)]
