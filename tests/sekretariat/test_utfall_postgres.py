"""Two secretaries recording outcomes at the same moment, on PostgreSQL with real row locks.

SQLite serialises every writer, so only PostgreSQL shows that an outcome is recorded once (the agenda item is
locked before it is checked) and that recording an innstilling takes its locks in the same order as placing a
case on an agenda (meeting, case, number series), so the two never deadlock.
"""

import threading
import time
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections

from overgang.feil import Feil
from overgang.organisasjon.models import Mote
from saker.forms import sjekk_fil
from saker.models import Dokument, Hendelse, Sak
from saker.services import workflow as saksvedtak
from sekretariat import services
from sekretariat.models import Sakslistepunkt, Utfall
from tests.factories import PDF_BYTES, BrukerFactory, MoteFactory, SakFactory, SakslistepunktFactory, UtvalgFactory, dag
from tests.tjenester import krev_postgresql


def samtidig(*kall) -> list:
    """Run each call in its own thread and connection, all released at once; each lingers after notifying,
    inside its transaction, so the other surely arrives while it still holds its locks."""
    start = threading.Barrier(len(kall), timeout=10)
    resultater: list = [None] * len(kall)

    def med_pause(original):
        def varsle(*args, **kwargs):
            resultat = original(*args, **kwargs)
            time.sleep(0.3)
            return resultat
        return varsle

    def kjor(i: int, funksjon) -> None:
        try:
            start.wait()
            resultater[i] = funksjon()
        except Exception as exc:  # reported to the main thread, which asserts on it
            resultater[i] = exc
        finally:
            connections.close_all()

    with mock.patch.object(services, "notify", med_pause(services.notify)), \
            mock.patch.object(saksvedtak, "notify", med_pause(saksvedtak.notify)):
        trader = [threading.Thread(target=kjor, args=(i, f)) for i, f in enumerate(kall)]
        for trad in trader:
            trad.start()
        for trad in trader:
            trad.join(timeout=30)
    assert not any(trad.is_alive() for trad in trader)
    return resultater


def pdf():
    return sjekk_fil(SimpleUploadedFile("Saksutskrift.pdf", PDF_BYTES), "hoveddokument")


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_secretaries_recording_one_cases_outcome_at_once_record_it_once(sekretar, settings):
    krev_postgresql()
    fsk = UtvalgFactory(navn="Formannskapet", kode="FSK")
    mote = MoteFactory(utvalg=fsk, tidspunkt=dag(-1), status=Mote.Status.AVHOLDT)
    sak = SakFactory(status=Sak.Status.SENDT_SEKRETARIAT, rute=[fsk], hoveddokument=False)
    punkt = SakslistepunktFactory(mote=mote, sak=sak, behandling=sak.behandlinger.get(), lagt_til_av=sekretar)
    annen_sekretar = BrukerFactory.sekretariat(username="sindre")

    resultater = samtidig(
        lambda: services.utfall_registrer(punkt=Sakslistepunkt(pk=punkt.pk), av=sekretar, utfall=Utfall.VEDTAK,
                                          tekst="Vedtatt.", saksutskrift=pdf()),
        lambda: services.utfall_registrer(punkt=Sakslistepunkt(pk=punkt.pk), av=annen_sekretar,
                                          utfall=Utfall.TRUKKET, saksutskrift=pdf()),
    )

    vunnet = [r for r in resultater if isinstance(r, services.Utfallsregistrering)]
    tapt = [r for r in resultater if isinstance(r, Feil)]
    assert len(vunnet) == 1 and len(tapt) == 1, resultater
    assert "allerede registrert" in str(tapt[0])
    punkt.refresh_from_db()
    sak.refresh_from_db()
    assert sak.status == (Sak.Status.VEDTATT if punkt.utfall == Utfall.VEDTAK else Sak.Status.TRUKKET)
    assert Hendelse.objects.filter(sak=sak).exclude(til_status=Sak.Status.UTKAST).count() == 1
    # The loser wrote no file: it was refused before it got that far, under the lock.
    [saksutskrift] = Dokument.objects.filter(rolle=Dokument.Rolle.SAKSUTSKRIFT)
    assert [f for f in settings.MEDIA_ROOT.rglob("*") if f.is_file()] == [
        settings.MEDIA_ROOT / saksutskrift.fil.name]


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_an_innstilling_and_a_placement_on_the_same_meeting_at_once_do_not_deadlock(sekretar):
    krev_postgresql()
    fsk = UtvalgFactory(navn="Formannskapet", kode="FSK")
    kst = UtvalgFactory(navn="Kommunestyret", kode="KST")
    mote = MoteFactory(utvalg=fsk, tidspunkt=dag(-1), status=Mote.Status.AVHOLDT)
    kst_mote = MoteFactory(utvalg=kst, tidspunkt=dag(10))
    sak = SakFactory(status=Sak.Status.SENDT_SEKRETARIAT, rute=[fsk, kst], hoveddokument=False)
    punkt = SakslistepunktFactory(mote=mote, sak=sak, behandling=sak.behandlinger.get(utvalg=fsk),
                                  lagt_til_av=sekretar)
    annen_sekretar = BrukerFactory.sekretariat(username="sindre")

    resultater = samtidig(
        lambda: services.utfall_registrer(punkt=Sakslistepunkt(pk=punkt.pk), av=sekretar,
                                          utfall=Utfall.INNSTILLING, tekst="Til kommunestyret.",
                                          neste_mote=Mote.objects.get(pk=kst_mote.pk), saksutskrift=pdf()),
        lambda: services.saksliste_legg_til(mote=Mote(pk=kst_mote.pk), sak=Sak(pk=sak.pk), av=annen_sekretar),
    )

    # Neither hung or deadlocked. If the placement came first, the innstilling keeps that place; if it came
    # second, it was told the case is already there.
    innstilling, plassering = resultater
    assert isinstance(innstilling, services.Utfallsregistrering), resultater
    assert isinstance(plassering, Sakslistepunkt) or "allerede på sakslisten" in str(plassering), resultater
    [videre] = Sakslistepunkt.objects.filter(mote=kst_mote, sak=sak)
    assert innstilling.videre == videre
