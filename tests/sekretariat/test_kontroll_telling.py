"""The start page's counts (sekretariat.kontroll_telling, in the database) agree with the control page's rules
(sekretariat.kontroll.kontroller, in Python) rule by rule, on varied data, and cost a fixed number of queries."""

import datetime
import random

import pytest
from django.utils import timezone

from godkjenning.models import Motelistepunkt
from overgang.organisasjon.models import Mote
from saker.models import Forsendelse, Part, Sak, Statusendring
from sekretariat.kontroll import REGLER, kontroller
from sekretariat.kontroll_telling import telling
from sekretariat.models import Sakslistepunkt, Utfall
from tests.factories import RegistreringFactory, SakFactory, UtvalgFactory, VedtakFactory, dag

pytestmark = pytest.mark.django_db


def lag_blanding(rng: random.Random, saksbehandler, godkjenner, sekretar) -> list[Mote]:
    """Meetings past and coming, held, planned and cancelled, and cases related to them in every way the rules
    look at: list entries active, moved and removed; agenda items with and without outcomes; wishes; P360
    registrations; receipts before and after the saksfrist; vedtak with letters overdue or not, and parties whose
    letters are not sent, failed, recorded by hand, on their way in SvarUt (lately or long ago), delivered, not
    delivered or explained."""
    utvalg = [UtvalgFactory(navn="Formannskapet", kode="FSK"), UtvalgFactory(navn="Kommunestyret", kode="KST")]
    moter = []
    for i, dager in enumerate([-40, -20, -3, 4, 12, 30]):
        status = Mote.Status.AVHOLDT if dager < 0 and i != 1 else Mote.Status.PLANLAGT
        if i == 5:
            status = Mote.Status.AVLYST
        tid = dag(dager)
        moter.append(Mote.objects.create(utvalg=utvalg[i % 2], tidspunkt=tid, status=status,
                                         saksfrist=timezone.localdate(tid) - datetime.timedelta(days=10)))
    nummer = 0
    for _ in range(40):
        status = rng.choice(list(Sak.Status))
        mote = rng.choice(moter)
        sendt = None
        if status not in (Sak.Status.UTKAST, Sak.Status.TIL_GODKJENNING, Sak.Status.RETURNERT, Sak.Status.GODKJENT):
            # Around the saksfrist, on either side, at a time of day that tests the local date.
            dato = mote.saksfrist + datetime.timedelta(days=rng.randint(-3, 2))
            sendt = timezone.make_aware(datetime.datetime.combine(dato, datetime.time(rng.choice([0, 12, 23]), 30)))
        sak = SakFactory(saksbehandler=saksbehandler, status=status, rute=utvalg, hoveddokument=False,
                         sendt_sekretariat=sendt, onsket_mote=rng.choice([None, mote, rng.choice(moter)]))
        if rng.random() < 0.5:
            RegistreringFactory(sak=sak, registrert_av=sekretar)
        for m in rng.sample(moter, rng.randint(0, 3)):
            valg = rng.random()
            if valg < 0.6:
                Motelistepunkt.objects.create(sak=sak, mote=m, lagt_til_av=godkjenner)
            elif valg < 0.8:
                Motelistepunkt.objects.create(sak=sak, mote=m, lagt_til_av=godkjenner, status="fjernet", grunn="x",
                                              endret_av=godkjenner, endret=timezone.now())
        for m in rng.sample(moter, rng.randint(0, 2)):
            nummer += 1
            utfall = rng.choice(["", "", Utfall.UTSATT, Utfall.INNSTILLING, Utfall.TRUKKET])
            Sakslistepunkt.objects.create(
                mote=m, sak=sak, utvalg=m.utvalg, aar=timezone.localtime(m.tidspunkt).year, nummer=nummer,
                rekkefolge=nummer, lagt_til_av=sekretar, utfall="" if utfall == Utfall.INNSTILLING else utfall,
                utfall_registrert_av=sekretar if utfall and utfall != Utfall.INNSTILLING else None,
                utfall_registrert=timezone.now() if utfall and utfall != Utfall.INNSTILLING else None)
        if status in (Sak.Status.VEDTATT, Sak.Status.AVSLUTTET) and rng.random() < 0.8:
            vedtak = VedtakFactory(sak=sak, mote=rng.choice(moter), registrert_av=sekretar, saksutskrift=None)
            Sak.objects.filter(pk=sak.pk).update(status=status)
            vedtak.registrert = timezone.now() - datetime.timedelta(days=rng.choice([1, 14, 15, 30]))
            vedtak.save(update_fields=["registrert"])
            for n in range(rng.choice([0, 1, 2])):
                lag_brev(rng, sak, n)
    # Decided cases with a letter in each state, relevant to a held meeting in each of the three ways (on its
    # agenda, on its list, wishing for it), some with a second party whose letter is in any state. The second
    # round is decided and sent a month ago, so each letter rule surely has something to find.
    avholdte = [m for m in moter if m.status == Mote.Status.AVHOLDT]
    for i, slag in enumerate(BREV * 2):
        mote = avholdte[i % len(avholdte)]
        sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.VEDTATT, rute=utvalg, hoveddokument=False,
                         sendt_sekretariat=timezone.now() - datetime.timedelta(days=60),
                         onsket_mote=mote if i % 3 == 2 else None)
        if i % 3 == 0:
            nummer += 1
            Sakslistepunkt.objects.create(
                mote=mote, sak=sak, utvalg=mote.utvalg, aar=timezone.localtime(mote.tidspunkt).year, nummer=nummer,
                rekkefolge=nummer, lagt_til_av=sekretar)
        elif i % 3 == 1:
            Motelistepunkt.objects.create(sak=sak, mote=mote, lagt_til_av=godkjenner)
        vedtak = VedtakFactory(sak=sak, mote=mote, registrert_av=sekretar, saksutskrift=None)
        gammel = i >= len(BREV)
        vedtak.registrert = timezone.now() - datetime.timedelta(days=30 if gammel else rng.choice([1, 15, 30]))
        vedtak.save(update_fields=["registrert"])
        lag_brev(rng, sak, 0, slag, dager=30 if gammel else None)
        if rng.random() < 0.4:
            lag_brev(rng, sak, 1)
    return moter


BREV = [Forsendelse.Status.IKKE_SENDT, Forsendelse.Status.FEILET, Forsendelse.Kanal.MANUELL, "MOTTATT", "SENDT_PRINT",
        "LEST", "IKKE_LEVERT", "forklart"]


def lag_brev(rng: random.Random, sak: Sak, n: int, slag: str = "", dager: int | None = None) -> None:
    """One party of a decided case and its letter, in one of the states the letter rules tell apart (`slag`, or
    any), sent `dager` days ago (or any of a few)."""
    part = Part.objects.create(sak=sak, navn=f"Part {n}", adresse="Storgata 1", postnummer="2000",
                               poststed="Lillestrøm")
    slag = slag or rng.choice(BREV)
    if slag in (Forsendelse.Status.IKKE_SENDT, Forsendelse.Status.FEILET):
        Forsendelse.objects.create(part=part, status=slag)
        return
    manuell = slag == Forsendelse.Kanal.MANUELL
    # Sent lately or long ago, around the edges of the delivery deadline (7 days) and at both ends of a day.
    sendt = timezone.now() - datetime.timedelta(days=dager or rng.choice([1, 6, 7, 8, 30]),
                                                hours=rng.choice([0, 11, 23]))
    f = Forsendelse.objects.create(
        part=part, status=Forsendelse.Status.SENDT, sendt=sendt, sendt_av=sak.saksbehandler,
        kanal=Forsendelse.Kanal.MANUELL if manuell else Forsendelse.Kanal.SVARUT, forsendelse_id=f"id-{sak.pk}-{n}",
        svarut_status="" if manuell else ("AKSEPTERT" if slag == "forklart" else slag))
    if slag == "forklart":
        Statusendring.objects.create(forsendelse=f, type=Statusendring.Type.FORKLARING, fra_status="AKSEPTERT",
                                     til_status="AKSEPTERT", registrert_av=sak.saksbehandler,
                                     kommentar="Levert for hånd.")


@pytest.mark.parametrize("fro", [1, 2, 3, 4])
def test_the_counts_agree_with_the_rules_rule_by_rule(fro, saksbehandler, godkjenner, sekretar):
    moter = lag_blanding(random.Random(fro), saksbehandler, godkjenner, sekretar)
    for idag in (timezone.localdate(), timezone.localdate() + datetime.timedelta(days=8)):
        regler = kontroller(moter, idag=idag)
        tall = telling(moter, idag=idag)
        for mote in moter:
            forventet = {kode: len(avvik) for kode, avvik in regler[mote.pk].per_regel().items()}
            assert tall[mote.pk].per_regel == forventet, (mote, idag)
            assert tall[mote.pk].klar == regler[mote.pk].klar
            # One per case with a discrepancy, the relevant cases and their readiness steps agree too.
            assert tall[mote.pk].antall() == regler[mote.pk].antall(), (mote, idag)
            assert tall[mote.pk].relevante == len(regler[mote.pk].saker), (mote, idag)
            assert tall[mote.pk].fremdrift() == regler[mote.pk].fremdrift(), (mote, idag)
    assert sum(t.antall() for t in tall.values()) > 0  # the data does exercise the rules
    # ... and counts a case once where it breaks several rules
    assert sum(t.antall() for t in tall.values()) < sum(sum(t.per_regel.values()) for t in tall.values())


@pytest.mark.parametrize("fro", [1, 2, 3, 4])
def test_the_data_exercise_every_letter_rule(fro, saksbehandler, godkjenner, sekretar, settings):
    settings.KONTROLL_BREVFRIST_DAGER, settings.KONTROLL_LEVERINGSFRIST_DAGER = 14, 7
    moter = lag_blanding(random.Random(fro), saksbehandler, godkjenner, sekretar)
    summer = {kode: sum(t.per_regel[kode] for t in telling(moter).values())
              for kode in ("brev_ikke_sendt", "brev_venter", "brev_ikke_levert")}
    assert all(summer.values()), summer


def test_every_rule_is_counted():
    assert set(telling([])) == set() and set(REGLER) >= {"ikke_mottatt", "utsatt_ikke_plassert"}


@pytest.mark.parametrize("antall", [4, 40])
def test_the_counts_cost_three_queries_however_many_cases(antall, saksbehandler, godkjenner, sekretar,
                                                          django_assert_num_queries):
    rng = random.Random(antall)
    moter = lag_blanding(rng, saksbehandler, godkjenner, sekretar) if antall else []
    with django_assert_num_queries(3):
        telling(moter)
