"""Two approvers pressing «Godkjenn» on the same case at the same moment, on PostgreSQL with real row locks.

SQLite serialises every writer, so only PostgreSQL shows whether the service locks the row before it
decides: without the lock both approvers would read til_godkjenning and both would approve.
"""

import threading
import time
from unittest import mock

import pytest
from django.db import connections

from overgang.varsler.models import Varsel
from saker.models import Hendelse, Sak
from saker.services import SakFeil, sak_godkjenn, workflow
from tests.factories import BrukerFactory, SakFactory, UtvalgFactory
from tests.tjenester import krev_postgresql


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_approvers_approving_at_once_approve_the_case_once(saksbehandler, godkjenner, omrade):
    krev_postgresql()
    annen_godkjenner = BrukerFactory.godkjenner(username="kjell", kommunalomrade=omrade)
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)
    utvalg = UtvalgFactory()
    start = threading.Barrier(2, timeout=10)
    resultater: dict[str, object] = {}
    sjekk = workflow._sjekk_godkjenner

    def sjekk_og_nol(sak: Sak, av) -> None:
        # Linger after deciding, inside the transaction, so the other approver surely arrives while the
        # first still holds the case: with a lock it waits and then sees godkjent; without one it approves too.
        sjekk(sak, av)
        time.sleep(0.3)

    def godkjenn(av) -> None:
        try:
            start.wait()
            sak_godkjenn(sak=Sak(pk=sak.pk), av=av, rute=[utvalg], onsket_mote=None)
            resultater[av.username] = "godkjent"
        except Exception as exc:  # reported to the main thread, which asserts on it
            resultater[av.username] = exc
        finally:
            connections.close_all()

    with mock.patch.object(workflow, "_sjekk_godkjenner", sjekk_og_nol):
        trader = [threading.Thread(target=godkjenn, args=(av,)) for av in (godkjenner, annen_godkjenner)]
        for trad in trader:
            trad.start()
        for trad in trader:
            trad.join(timeout=30)
    assert not any(trad.is_alive() for trad in trader)

    vinnere = [navn for navn, utfall in resultater.items() if utfall == "godkjent"]
    tapere = [utfall for utfall in resultater.values() if utfall != "godkjent"]
    assert len(vinnere) == 1, resultater
    [feil] = tapere
    assert isinstance(feil, SakFeil), repr(feil)
    assert "allerede godkjent" in str(feil)
    [hendelse] = Hendelse.objects.filter(sak=sak, til_status=Sak.Status.GODKJENT).select_related("utfort_av")
    assert hendelse.utfort_av.username == vinnere[0]
    assert str(hendelse.utfort_av) in str(feil)
    assert Sak.objects.get(pk=sak.pk).status == Sak.Status.GODKJENT
    assert Varsel.objects.filter(hendelse="sak_godkjent").count() == 1
