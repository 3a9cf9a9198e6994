"""Following each letter to delivery (issue 15): the poll of SvarUt's statuses against the local fake server, the
history on the case page, the discrepancy on the control page and the officer's one e-mail for a letter that
did not arrive, and the case that closes only when every letter is delivered or explained."""

import datetime
import json

import pytest
from django.core import mail
from django.db import connection
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from saker import levering, services
from saker.models import Forsendelse, Hendelse, Part, Sak, Statusendring
from saker.svarut import SvarUtKlient
from saker.tasks import folg_opp_forsendelser
from sekretariat.kontroll import kontroller
from sekretariat.kontroll_telling import telling
from sekretariat.models import Sakslistepunkt
from tests.factories import BrukerFactory, VedtakFactory
from tests.saker.fake_svarut import FakeSvarUt

pytestmark = pytest.mark.django_db


@pytest.fixture
def fake():
    with FakeSvarUt() as server:
        yield server


@pytest.fixture
def svarut(settings, fake):
    settings.UTSENDING_BACKEND = "svarut"
    settings.SVARUT_URL = fake.base_url
    settings.SVARUT_BRUKERNAVN = fake.brukernavn
    settings.SVARUT_PASSORD = fake.passord
    settings.SVARUT_TIMEOUT = 5
    return fake


@pytest.fixture
def vedtak(saksbehandler, sekretar):
    vedtak = VedtakFactory(sak__saksbehandler=saksbehandler, sak__arkivsaksnr="19/01234", registrert_av=sekretar)
    # On the meeting's agenda, where the control page looks for it.
    Sakslistepunkt.objects.create(mote=vedtak.mote, sak=vedtak.sak, utvalg=vedtak.mote.utvalg, aar=2026, nummer=12,
                                  rekkefolge=1, lagt_til_av=sekretar, utfall="vedtak", utfall_tekst=vedtak.tekst,
                                  saksutskrift=vedtak.saksutskrift, utfall_registrert_av=sekretar,
                                  utfall_registrert=timezone.now())
    return vedtak


def sendt_brev(sak: Sak, fake: FakeSvarUt, navn: str = "Kari Nordmann", *, status: str = "MOTTATT",
               kanal: str = Forsendelse.Kanal.SVARUT) -> Forsendelse:
    """A party whose letter SvarUt has received (as forsendelse_send_svarut leaves it), on the fake server too."""
    part = Part.objects.create(sak=sak, navn=navn, adresse="Storgata 1", postnummer="2000", poststed="Lillestrøm")
    forsendelse_id = fake.legg_inn(status=status).id if kanal == Forsendelse.Kanal.SVARUT else "manuell-1"
    return Forsendelse.objects.create(part=part, status=Forsendelse.Status.SENDT, kanal=kanal,
                                      forsendelse_id=forsendelse_id, svarut_status=status,
                                      sendt=timezone.now(), sendt_av=sak.saksbehandler)


def poll(django_capture_on_commit_callbacks) -> int:
    with django_capture_on_commit_callbacks(execute=True):
        return folg_opp_forsendelser.delay().get()


def avvik(vedtak, regel: str) -> list:
    return [a for a in kontroller([vedtak.mote])[vedtak.mote.pk].avvik if a.regel == regel]


# --- Done when: MOTTATT → AKSEPTERT → IKKE_LEVERT ----------------------------------------------------------------


def test_a_letter_not_delivered_is_flagged_on_the_control_page_and_mailed_to_the_officer_once(
        client, vedtak, svarut, saksbehandler, sekretar, django_capture_on_commit_callbacks):
    sak = vedtak.sak
    f = sendt_brev(sak, svarut)
    svarut.skript(f.forsendelse_id, "AKSEPTERT", "IKKE_LEVERT")

    assert poll(django_capture_on_commit_callbacks) == 0  # still MOTTATT: nothing to record
    svarut.steg()
    assert poll(django_capture_on_commit_callbacks) == 1
    f.refresh_from_db()
    assert f.svarut_status == "AKSEPTERT"
    assert avvik(vedtak, "brev_ikke_levert") == [] and mail.outbox == []

    svarut.steg()
    assert poll(django_capture_on_commit_callbacks) == 1
    assert poll(django_capture_on_commit_callbacks) == 0  # a final status is not asked about again
    assert [(e.fra_status, e.til_status) for e in f.statusendringer.all()] == [("MOTTATT", "AKSEPTERT"),
                                                                              ("AKSEPTERT", "IKKE_LEVERT")]
    assert [funn.sak for funn in avvik(vedtak, "brev_ikke_levert")] == [sak]
    assert telling([vedtak.mote])[vedtak.mote.pk].per_regel["brev_ikke_levert"] == 1
    client.force_login(sekretar)
    side = client.get(reverse("sekretariat:kontroll", args=[vedtak.mote.pk])).content.decode()
    assert "Vedtaksbrev ikke levert" in side and sak.tittel in side

    assert len(mail.outbox) == 1
    epost = mail.outbox[0]
    assert epost.to == [saksbehandler.email]
    assert "kom ikke fram" in epost.subject and "Kari Nordmann" in epost.body and "Ikke levert" in epost.body
    assert sak.get_absolute_url() in epost.body
    sak.refresh_from_db()
    assert sak.status == Sak.Status.VEDTATT  # not closed: the letter did not arrive


def test_the_officer_records_why_and_the_case_closes_and_leaves_the_control(
        client, vedtak, svarut, saksbehandler, django_capture_on_commit_callbacks):
    sak = vedtak.sak
    f = sendt_brev(sak, svarut, status="AVVIST")
    url = reverse("saker:forsendelse_forklar", args=[sak.pk, f.part.pk])
    client.force_login(saksbehandler)
    side = client.get(sak.get_absolute_url()).content.decode()
    assert "Registrer hvorfor brevet ikke ble levert" in side and url in side

    html = client.post(url, {"grunn": "  "}, follow=True).content.decode()
    assert "Skriv hvorfor brevet ikke ble levert" in html
    assert not Statusendring.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        html = client.post(url, {"grunn": "Sendt som vanlig brev 3. mars."}, follow=True).content.decode()
    assert "saken er avsluttet" in html
    sak.refresh_from_db()
    assert sak.status == Sak.Status.AVSLUTTET
    assert Hendelse.objects.filter(sak=sak, til_status=Sak.Status.AVSLUTTET, utfort_av=saksbehandler).count() == 1
    endring = f.statusendringer.get()
    assert (endring.type, endring.registrert_av, endring.kommentar) == (
        Statusendring.Type.FORKLARING, saksbehandler, "Sendt som vanlig brev 3. mars.")
    assert "registrerte hvorfor brevet ikke ble levert: «Sendt som vanlig brev 3. mars.»" in html
    assert avvik(vedtak, "brev_ikke_levert") == []
    assert telling([vedtak.mote])[vedtak.mote.pk].per_regel["brev_ikke_levert"] == 0
    with pytest.raises(services.SakFeil, match="allerede registrert"):
        services.forsendelse_forklar(part=f.part, av=saksbehandler, grunn="Igjen")


# --- Closing -------------------------------------------------------------------------------------------------


def test_the_case_closes_only_when_every_letter_is_delivered_or_explained(
        vedtak, svarut, saksbehandler, django_capture_on_commit_callbacks):
    sak = vedtak.sak
    kari, ola, manuell = (sendt_brev(sak, svarut), sendt_brev(sak, svarut, "Ola Nordmann"),
                          sendt_brev(sak, svarut, "Per Papir", kanal=Forsendelse.Kanal.MANUELL))
    assert manuell.forsendelse_id == "manuell-1"
    svarut.sett_status(kari.forsendelse_id, "LEST")
    poll(django_capture_on_commit_callbacks)
    sak.refresh_from_db()
    assert sak.status == Sak.Status.VEDTATT  # Ola's letter is still on its way

    svarut.sett_status(ola.forsendelse_id, "IKKE_LEVERT")
    poll(django_capture_on_commit_callbacks)
    sak.refresh_from_db()
    assert sak.status == Sak.Status.VEDTATT

    with django_capture_on_commit_callbacks(execute=True):
        services.forsendelse_forklar(part=ola.part, av=saksbehandler, grunn="Levert personlig på servicetorget.")
    sak.refresh_from_db()
    assert sak.status == Sak.Status.AVSLUTTET
    assert "Vedtaksbrev er sendt til alle parter" in mail.outbox[-1].body  # the secretariat is told


def test_the_last_letter_delivered_closes_the_case_from_the_poll(
        vedtak, svarut, saksbehandler, sekretar, django_capture_on_commit_callbacks):
    sak = vedtak.sak
    f = sendt_brev(sak, svarut)
    svarut.skript(f.forsendelse_id, "SENDT_PRINT", "PRINTET", per_kall=True)
    poll(django_capture_on_commit_callbacks)
    sak.refresh_from_db()
    assert sak.status == Sak.Status.VEDTATT  # SENDT_PRINT is on its way, not delivered
    poll(django_capture_on_commit_callbacks)
    sak.refresh_from_db()
    assert sak.status == Sak.Status.AVSLUTTET
    assert sekretar.email in [m.to[0] for m in mail.outbox]
    assert not any(m.to == [saksbehandler.email] for m in mail.outbox)  # delivered letters are not mailed


def test_a_letter_sent_through_svarut_no_longer_closes_the_case_at_sending(client, vedtak, svarut, saksbehandler):
    sak = vedtak.sak
    part = services.part_opprett(sak=sak, av=saksbehandler, data=services.PartData(
        navn="Kari Nordmann", adresse="Storgata 1", postnummer="2000", poststed="Lillestrøm", orgnr="974760673"))
    services.vedtaksbrev_lag(sak=sak, av=saksbehandler)
    client.force_login(saksbehandler)
    client.post(reverse("saker:forsendelse_send", args=[sak.pk, part.pk]))
    f = Forsendelse.objects.get(part=part)
    assert (f.status, f.svarut_status) == (Forsendelse.Status.SENDT, "MOTTATT")
    sak.refresh_from_db()
    assert sak.status == Sak.Status.VEDTATT
    side = client.get(sak.get_absolute_url()).content.decode()
    assert "Følg leveringen" in side and 'href="#forsendelser"' in side  # the next step points at the delivery
    svarut.sett_status(f.forsendelse_id, "LEVERT_SDP")
    services.forsendelser_folg_opp()
    sak.refresh_from_db()
    assert sak.status == Sak.Status.AVSLUTTET


# --- The poll ------------------------------------------------------------------------------------------------


def test_both_spellings_of_mottatt_are_one_status(vedtak, svarut, django_capture_on_commit_callbacks):
    f = sendt_brev(vedtak.sak, svarut, status="")
    svarut.sett_status(f.forsendelse_id, "MOTTAT")  # as KS's JSON schema spells it
    poll(django_capture_on_commit_callbacks)
    f.refresh_from_db()
    assert f.svarut_status == "MOTTATT"
    assert [(e.fra_status, e.til_status) for e in f.statusendringer.all()] == [("", "MOTTATT")]
    svarut.sett_status(f.forsendelse_id, "MOTTATT")
    assert poll(django_capture_on_commit_callbacks) == 0  # the other spelling is no change
    assert SvarUtKlient(svarut.base_url, svarut.brukernavn, svarut.passord).status(f.forsendelse_id) == "MOTTATT"


def test_many_shipments_are_asked_in_batches(vedtak, svarut, settings, django_capture_on_commit_callbacks):
    settings.SVARUT_STATUS_BATCH = 10
    brev = [sendt_brev(vedtak.sak, svarut, f"Part {i:02}") for i in range(25)]
    for f in brev:
        svarut.sett_status(f.forsendelse_id, "VARSLET")
    ukjent = sendt_brev(vedtak.sak, svarut, "Ukjent i SvarUt")
    svarut.forsendelser.remove(svarut.hent(ukjent.forsendelse_id))  # SvarUt leaves unknown ids out

    assert poll(django_capture_on_commit_callbacks) == 25
    assert [len(kall) for kall in svarut.statuskall] == [10, 10, 6]
    assert sorted(i for kall in svarut.statuskall for i in kall) == sorted(f.forsendelse_id for f in [*brev, ukjent])
    assert Forsendelse.objects.filter(svarut_status="VARSLET").count() == 25
    assert Statusendring.objects.count() == 25


def test_a_svarut_failure_leaves_everything_to_the_next_poll(
        vedtak, svarut, settings, saksbehandler, django_capture_on_commit_callbacks):
    settings.SVARUT_STATUS_BATCH = 2
    brev = [sendt_brev(vedtak.sak, svarut, f"Part {i}") for i in range(4)]
    for f in brev:
        svarut.sett_status(f.forsendelse_id, "IKKE_LEVERT")
    svarut.feil_neste_status(1)  # the first batch fails: nothing is written, the run stops

    assert poll(django_capture_on_commit_callbacks) == 0
    assert not Statusendring.objects.exists() and mail.outbox == []
    assert set(Forsendelse.objects.values_list("svarut_status", flat=True)) == {"MOTTATT"}

    assert poll(django_capture_on_commit_callbacks) == 4
    assert Statusendring.objects.count() == 4
    assert len(mail.outbox) == 4 and {m.to[0] for m in mail.outbox} == {saksbehandler.email}
    assert poll(django_capture_on_commit_callbacks) == 0
    assert len(mail.outbox) == 4  # once per change, not per poll


def test_a_change_seen_twice_is_recorded_and_mailed_once(vedtak, svarut, django_capture_on_commit_callbacks):
    f = sendt_brev(vedtak.sak, svarut)
    fra = timezone.now() - datetime.timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        forste = services.forsendelse_registrer_status(forsendelse=f, status="IKKE_LEVERT", endret=fra)
        andre = services.forsendelse_registrer_status(forsendelse=f, status="IKKE_LEVERT", endret=fra)
    assert forste is not None and andre is None
    assert forste.tidspunkt == fra  # SvarUt's time of the change, not the poll's
    assert len(mail.outbox) == 1


def test_without_svarut_configured_the_poll_does_nothing_and_says_why(vedtak, settings, fake, caplog):
    settings.SVARUT_URL = ""
    sendt_brev(vedtak.sak, fake)
    resultat = services.forsendelser_folg_opp()
    assert resultat.endret == 0 and "SVARUT_URL" in resultat.feil
    assert "Kan ikke følge opp 1 forsendelser" in caplog.text


def test_letters_recorded_by_hand_or_final_are_not_asked_about(vedtak, svarut):
    sendt_brev(vedtak.sak, svarut, kanal=Forsendelse.Kanal.MANUELL)
    sendt_brev(vedtak.sak, svarut, "Lest", status="LEST")
    assert levering.skal_folges().count() == 0
    assert services.forsendelser_folg_opp().spurt == 0
    assert svarut.statuskall == []


def test_beat_runs_the_poll():
    from django.conf import settings

    oppgave = settings.CELERY_BEAT_SCHEDULE["folg-opp-forsendelser"]
    assert oppgave["task"] == folg_opp_forsendelser.name
    assert oppgave["schedule"] == datetime.timedelta(seconds=settings.SVARUT_STATUS_SEKUNDER)


# --- The case page -------------------------------------------------------------------------------------------


def test_the_case_page_shows_each_letters_history_and_polls_while_one_is_on_its_way(
        client, vedtak, svarut, godkjenner, django_capture_on_commit_callbacks):
    sak = vedtak.sak
    f = sendt_brev(sak, svarut)
    svarut.skript(f.forsendelse_id, "AKSEPTERT", "VARSLET", "LEST")
    for _ in range(2):
        svarut.steg()
        poll(django_capture_on_commit_callbacks)
    client.force_login(godkjenner)  # a reader, not the officer
    html = client.get(sak.get_absolute_url()).content.decode()
    assert "Levering av vedtaksbrevet" in html
    historikk = html[html.index('aria-label="Historikk for brevet til Kari Nordmann"'):]
    assert historikk.index("sendt til SvarUt") < historikk.index("Akseptert av SvarUt") < historikk.index(
        "Mottakeren er varslet")
    assert f'data-forsendelse-status="{f.pk}" data-status="VARSLET">Mottakeren er varslet<' in html
    assert "data-folg" in html and "js/forsendelser.js" in html
    assert "Registrer hvorfor brevet ikke ble levert" not in html  # only for the officer
    assert f'href="{sak.get_absolute_url()}#forsendelser">Oppdater' in html

    status = client.get(reverse("saker:forsendelser_status", args=[sak.pk]))
    assert status["Content-Type"] == "application/json"
    assert json.loads(status.content) == {
        "forsendelser": [{"id": f.pk, "status": "VARSLET", "tekst": "Mottakeren er varslet", "endelig": False,
                          "levert": False, "ikke_levert": False}],
        "alle_endelige": False}

    svarut.steg()
    poll(django_capture_on_commit_callbacks)
    assert json.loads(client.get(reverse("saker:forsendelser_status", args=[sak.pk])).content)["alle_endelige"]
    assert "data-folg" not in client.get(sak.get_absolute_url()).content.decode()


def test_an_outsider_learns_nothing_of_the_statuses(client, vedtak, svarut, utenforstaende):
    sendt_brev(vedtak.sak, svarut)
    client.force_login(utenforstaende)
    assert client.get(reverse("saker:forsendelser_status", args=[vedtak.sak.pk])).status_code == 404


def test_another_officer_cannot_record_why(vedtak, svarut, omrade):
    f = sendt_brev(vedtak.sak, svarut, status="IKKE_LEVERT")
    kollega = BrukerFactory.saksbehandler(kommunalomrade=omrade)
    with pytest.raises(services.SakFeil, match="Bare saksbehandleren"):
        services.forsendelse_forklar(part=f.part, av=kollega, grunn="Ikke min sak")
    assert not Statusendring.objects.exists()


def test_the_case_page_with_letters_runs_the_same_queries_for_few_and_many(
        client, vedtak, svarut, saksbehandler, django_capture_on_commit_callbacks):
    client.force_login(saksbehandler)

    def sporringer() -> list[str]:
        with CaptureQueriesContext(connection) as fanget:
            assert client.get(vedtak.sak.get_absolute_url()).status_code == 200
        return [q["sql"] for q in fanget.captured_queries]

    antall = {}
    for n in (2, 20):
        while Forsendelse.objects.count() < n:
            f = sendt_brev(vedtak.sak, svarut, f"Part {Forsendelse.objects.count():02}")
            svarut.sett_status(f.forsendelse_id, "AKSEPTERT")
        poll(django_capture_on_commit_callbacks)
        sql = sporringer()
        assert len([q for q in sql if "saker_statusendring" in q]) == 1  # every letter's history in one query
        antall[n] = len(sql)
    assert antall[2] == antall[20]


def test_ikke_levert_uforklart_is_an_exists_for_other_apps(vedtak, svarut):
    f = sendt_brev(vedtak.sak, svarut, status="MANUELT_HANDTERT")
    flagget = Sak.objects.filter(Exists(levering.ikke_levert_uforklart().filter(part__sak=OuterRef("pk"))))
    assert list(flagget) == [vedtak.sak]
    assert f.part.sak == vedtak.sak


def test_the_start_pages_counts_agree_with_the_control_for_letters_not_delivered(
        vedtak, svarut, saksbehandler, godkjenner, sekretar):
    """One case through each way a case belongs to a meeting (agenda, directors' list, wish), one of them
    twice, and one explained: the database's count and the rules name the same cases, each once."""
    from godkjenning.models import Motelistepunkt

    mote = vedtak.mote
    sendt_brev(vedtak.sak, svarut, status="IKKE_LEVERT")  # on the agenda (the fixture)
    Motelistepunkt.objects.create(sak=vedtak.sak, mote=mote, lagt_til_av=godkjenner)  # and listed: counted once
    pa_liste = VedtakFactory(sak__saksbehandler=saksbehandler, mote=mote, registrert_av=sekretar).sak
    Motelistepunkt.objects.create(sak=pa_liste, mote=mote, lagt_til_av=godkjenner)
    sendt_brev(pa_liste, svarut, status="AVVIST")
    onsket = VedtakFactory(sak__saksbehandler=saksbehandler, sak__onsket_mote=mote, mote=mote,
                           registrert_av=sekretar).sak
    sendt_brev(onsket, svarut, status="MANUELT_HANDTERT")
    forklart = VedtakFactory(sak__saksbehandler=saksbehandler, sak__onsket_mote=mote, mote=mote,
                             registrert_av=sekretar).sak
    services.forsendelse_forklar(part=sendt_brev(forklart, svarut, status="IKKE_LEVERT").part, av=saksbehandler,
                                 grunn="Sendt med vanlig post.")

    funn = [a.sak for a in avvik(vedtak, "brev_ikke_levert")]
    assert sorted(s.pk for s in funn) == sorted([vedtak.sak.pk, pa_liste.pk, onsket.pk])
    regler = kontroller([mote])[mote.pk]
    tall = telling([mote])[mote.pk]
    assert tall.per_regel == {kode: len(liste) for kode, liste in regler.per_regel().items()}
