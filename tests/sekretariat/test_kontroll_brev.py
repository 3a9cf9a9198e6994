"""The control after the vedtak tells the letters apart: not yet made or sent (brev_ikke_sendt), sent through SvarUt
and on its way for too long (brev_venter), and the start page's counts say the same."""

import datetime

import pytest
from django.utils import timezone

from saker.models import Forsendelse, Part, Sak
from saker.services.forsendelser import forsendelse_forklar, forsendelse_registrer_status
from sekretariat.kontroll import REGLER, kontroller
from sekretariat.kontroll_telling import telling
from sekretariat.models import Sakslistepunkt
from tests.factories import VedtakFactory

pytestmark = pytest.mark.django_db

IDAG = timezone.localdate()


@pytest.fixture
def vedtak(saksbehandler, sekretar, settings):
    settings.KONTROLL_BREVFRIST_DAGER = 14
    settings.KONTROLL_LEVERINGSFRIST_DAGER = 7
    # Decided a month ago, so the letters are long overdue if they are not sent.
    vedtak = VedtakFactory(sak__saksbehandler=saksbehandler, registrert_av=sekretar,
                           registrert=timezone.now() - datetime.timedelta(days=30))
    Sakslistepunkt.objects.create(mote=vedtak.mote, sak=vedtak.sak, utvalg=vedtak.mote.utvalg, aar=2026, nummer=12,
                                  rekkefolge=1, lagt_til_av=sekretar, utfall="vedtak", utfall_tekst=vedtak.tekst,
                                  saksutskrift=vedtak.saksutskrift, utfall_registrert_av=sekretar,
                                  utfall_registrert=timezone.now())
    return vedtak


def brev(sak: Sak, navn: str, *, dager_siden: int = 1, status: str = Forsendelse.Status.SENDT,
         svarut_status: str = "MOTTATT", kanal: str = Forsendelse.Kanal.SVARUT) -> Forsendelse:
    """A party and its letter; sent `dager_siden` days ago (at 00:30 local time, the edge of the day) unless
    `status` says it is not sent."""
    part = Part.objects.create(sak=sak, navn=navn, adresse="Storgata 1", postnummer="2000", poststed="Lillestrøm")
    if status != Forsendelse.Status.SENDT:
        return Forsendelse.objects.create(part=part, status=status)
    sendt = timezone.make_aware(datetime.datetime.combine(IDAG - datetime.timedelta(days=dager_siden),
                                                          datetime.time(0, 30)))
    return Forsendelse.objects.create(part=part, status=status, kanal=kanal, forsendelse_id=f"id-{navn}",
                                      svarut_status=svarut_status if kanal == Forsendelse.Kanal.SVARUT else "",
                                      sendt=sendt, sendt_av=sak.saksbehandler)


def avvik(vedtak) -> list[tuple[str, str]]:
    """The control's discrepancies for the case, after checking that the start page counts the same."""
    mote = vedtak.mote
    funnet = [(a.regel, a.melding) for a in kontroller([mote], idag=IDAG)[mote.pk].avvik if a.sak == vedtak.sak]
    tall = telling([mote], idag=IDAG)[mote.pk].per_regel
    assert tall == {kode: sum(1 for regel, _ in funnet if regel == kode) for kode in REGLER}
    return funnet


def test_letters_sent_through_svarut_and_on_their_way_are_not_called_not_sent(vedtak):
    brev(vedtak.sak, "Kari Nordmann", svarut_status="MOTTATT")
    brev(vedtak.sak, "Ola Nordmann", svarut_status="VARSLET")
    brev(vedtak.sak, "Lillestrøm Bygg AS", svarut_status="LEST")
    assert avvik(vedtak) == []


def test_a_letter_on_its_way_longer_than_n_days_waits_for_delivery_in_svarut(vedtak, saksbehandler):
    brev(vedtak.sak, "Ola Nordmann", dager_siden=7, svarut_status="AKSEPTERT")
    assert avvik(vedtak) == []
    stuck = brev(vedtak.sak, "Kari Nordmann", dager_siden=8, svarut_status="SENDT_PRINT")

    assert avvik(vedtak) == [("brev_venter", "Et vedtaksbrev ble sendt gjennom SvarUt for mer enn 7 dager siden og "
                                             "venter fortsatt på levering.")]
    funn = kontroller([vedtak.mote], idag=IDAG)[vedtak.mote.pk].avvik[0]
    assert funn.tittel == "Vedtaksbrev venter på levering i SvarUt" and funn.kan_paminnes

    # The officer looks it up and records what became of it: handled, and nothing is left to flag.
    forsendelse_forklar(part=stuck.part, av=saksbehandler, grunn="Returnert fra Posten; levert for hånd 3. mars.")
    assert avvik(vedtak) == []


def test_a_letter_delivered_or_recorded_by_hand_waits_for_nothing(vedtak, settings):
    settings.KONTROLL_LEVERINGSFRIST_DAGER = 2
    venter = brev(vedtak.sak, "Kari Nordmann", dager_siden=3)
    brev(vedtak.sak, "Ola Nordmann", dager_siden=30, kanal=Forsendelse.Kanal.MANUELL)
    assert [regel for regel, _ in avvik(vedtak)] == ["brev_venter"]

    forsendelse_registrer_status(forsendelse=venter, status="PRINTET")
    vedtak.sak.refresh_from_db()
    assert vedtak.sak.status == Sak.Status.AVSLUTTET
    assert avvik(vedtak) == []


@pytest.mark.parametrize("status", [Forsendelse.Status.IKKE_SENDT, Forsendelse.Status.FEILET])
def test_a_party_whose_letter_is_not_sent_still_makes_the_vedtak_one_without_a_sent_letter(vedtak, status):
    brev(vedtak.sak, "Kari Nordmann", svarut_status="MOTTATT")
    brev(vedtak.sak, "Ola Nordmann", status=status)
    assert [regel for regel, _ in avvik(vedtak)] == ["brev_ikke_sendt"]


def test_a_vedtak_without_parties_has_no_letter_sent(vedtak):
    assert [regel for regel, _ in avvik(vedtak)] == ["brev_ikke_sendt"]


def test_a_letter_not_delivered_is_not_also_waiting_or_not_sent(vedtak):
    brev(vedtak.sak, "Kari Nordmann", dager_siden=20, svarut_status="IKKE_LEVERT")
    assert [regel for regel, _ in avvik(vedtak)] == ["brev_ikke_levert"]
