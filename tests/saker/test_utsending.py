"""Dispatch of the vedtaksbrev, recorded by hand or sent through SvarUt (against the local fake server), and
closing the case once every party has been sent it."""

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from saker import services, utsending
from saker.filer import pdfa
from saker.models import Forsendelse, Hendelse, Part, Sak
from tests.factories import BrukerFactory, VedtakFactory
from tests.saker.fake_svarut import fake_svarut  # noqa: F401 - the fixture
from tests.saker.test_identitet import forste_gyldige_fnr
from tests.tjenester import krev_libreoffice, krev_postgresql

pytestmark = pytest.mark.django_db

ORGNR = "974760673"
FNR = forste_gyldige_fnr("010190")


@pytest.fixture
def sak(saksbehandler):
    return VedtakFactory(sak__saksbehandler=saksbehandler, sak__arkivsaksnr="19/01234").sak


@pytest.fixture
def svarut(settings, fake_svarut):  # noqa: F811
    krev_libreoffice()  # a .docx letter goes to SvarUt as its PDF/A
    settings.UTSENDING_BACKEND = "svarut"
    settings.SVARUT_URL = fake_svarut.base_url
    settings.SVARUT_BRUKERNAVN = fake_svarut.brukernavn
    settings.SVARUT_PASSORD = fake_svarut.passord
    settings.SVARUT_TIMEOUT = 5
    return fake_svarut


def lag_part(sak, navn="Kari Nordmann", **felt):
    data = services.PartData(navn=navn, adresse="Storgata 1", postnummer="2000", poststed="Lillestrøm", **felt)
    part = services.part_opprett(sak=sak, av=sak.saksbehandler, data=data)
    return part


def med_brev(sak, *parter):
    services.vedtaksbrev_lag(sak=sak, av=sak.saksbehandler)
    return parter[0] if len(parter) == 1 else parter


def registrer(client, sak, part, forsendelse_id="9f1c2d3e-manuell", dato=None):
    return client.post(reverse("saker:forsendelse_registrer", args=[sak.pk, part.pk]),
                       {"forsendelse_id": forsendelse_id, "dato": (dato or timezone.localdate()).isoformat()},
                       follow=True)


def send(client, sak, part):
    return client.post(reverse("saker:forsendelse_send", args=[sak.pk, part.pk]), follow=True)


def alle_e_poster() -> str:
    return "\n".join(m.subject + m.body + "".join(str(a[0]) for a in m.alternatives) for m in mail.outbox)


# --- The manual backend --------------------------------------------------------------------------------------


def test_the_case_officer_records_a_shipment_sent_in_svarut(client, saksbehandler, sak):
    part = med_brev(sak, lag_part(sak, orgnr=ORGNR), lag_part(sak, navn="Ola Nordmann"))[0]
    client.force_login(saksbehandler)
    i_gar = timezone.localdate() - datetime.timedelta(days=1)
    html = registrer(client, sak, part, dato=i_gar).content.decode()
    assert "Vedtaksbrevet til Kari Nordmann er registrert som sendt." in html
    forsendelse = Forsendelse.objects.get(part=part)
    assert forsendelse.status == Forsendelse.Status.SENDT
    assert forsendelse.kanal == Forsendelse.Kanal.MANUELL
    assert forsendelse.forsendelse_id == "9f1c2d3e-manuell"
    assert timezone.localtime(forsendelse.sendt).date() == i_gar
    assert forsendelse.sendt_av == saksbehandler
    assert forsendelse.brev == part.brev.get(gjeldende=True)
    assert "9f1c2d3e-manuell" in html
    sak.refresh_from_db()
    assert sak.status == Sak.Status.VEDTATT  # Ola is still waiting


def test_a_shipment_cannot_be_recorded_without_a_letter_or_with_a_date_ahead(client, saksbehandler, sak):
    part = lag_part(sak)
    client.force_login(saksbehandler)
    assert "Lag eller last opp vedtaksbrevet" in registrer(client, sak, part).content.decode()
    med_brev(sak, part)
    html = registrer(client, sak, part, dato=timezone.localdate() + datetime.timedelta(days=1)).content.decode()
    assert "Datoen kan ikke være fram i tid." in html
    html = registrer(client, sak, part, dato=timezone.localdate() - datetime.timedelta(days=30)).content.decode()
    assert "kan ikke være sendt før møtet" in html
    html = registrer(client, sak, part, forsendelse_id="  ").content.decode()
    assert "Skriv inn forsendelses-id-en fra SvarUt." in html
    assert Forsendelse.objects.get(part=part).status == Forsendelse.Status.IKKE_SENDT


def test_with_the_manual_backend_the_page_offers_recording_and_never_a_svarut_button(client, saksbehandler, sak):
    part = med_brev(sak, lag_part(sak))
    client.force_login(saksbehandler)
    html = client.get(sak.get_absolute_url()).content.decode()
    assert reverse("saker:forsendelse_registrer", args=[sak.pk, part.pk]) in html
    assert reverse("saker:forsendelse_send", args=[sak.pk, part.pk]) not in html
    assert "ikke slått på" in send(client, sak, part).content.decode()


# --- Closing --------------------------------------------------------------------------------------------------


def test_the_case_is_closed_when_every_party_is_sent_and_the_secretariat_is_told(
        client, saksbehandler, sak, sekretar, settings, django_capture_on_commit_callbacks):
    BrukerFactory.sekretariat(username="sluttet", is_active=False)
    kari, ola = med_brev(sak, lag_part(sak, fnr=FNR), lag_part(sak, navn="Ola Nordmann", orgnr=ORGNR))
    client.force_login(saksbehandler)
    with django_capture_on_commit_callbacks(execute=True):
        registrer(client, sak, kari, forsendelse_id="a-1")
    sak.refresh_from_db()
    assert sak.status == Sak.Status.VEDTATT
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        html = registrer(client, sak, ola, forsendelse_id="a-2").content.decode()
    assert "Saken er avsluttet" in html
    sak.refresh_from_db()
    assert sak.status == Sak.Status.AVSLUTTET
    assert Hendelse.objects.filter(sak=sak, til_status=Sak.Status.AVSLUTTET).count() == 1
    # The shared mailbox and every active member of the secretariat (here also the one who recorded the vedtak).
    assert sorted(m.to[0] for m in mail.outbox) == sorted([settings.SEKRETARIAT_EPOST, sekretar.email,
                                                           sak.vedtak.registrert_av.email])
    assert "Vedtaksbrev er sendt til alle parter" in mail.outbox[0].body
    assert FNR not in alle_e_poster()
    # A closed case takes no more letters or parties.
    with pytest.raises(services.SakFeil, match="avsluttet"):
        lag_part(sak, navn="Nykommer AS")


def test_a_case_without_parties_is_never_closed(saksbehandler, sak):
    assert services.avslutt_hvis_alle_har_fatt_brev(sak, saksbehandler) is False
    sak.refresh_from_db()
    assert sak.status == Sak.Status.VEDTATT


# --- The SvarUt backend -------------------------------------------------------------------------------------


def test_the_letter_and_the_saksutskrift_are_sent_through_svarut(client, saksbehandler, sak, svarut):
    part = med_brev(sak, lag_part(sak, fnr=FNR))
    client.force_login(saksbehandler)
    html = client.get(sak.get_absolute_url()).content.decode()
    assert 'data-bekreft="Sende vedtaksbrevet og saksutskriften til Kari Nordmann gjennom SvarUt?' in html
    assert reverse("saker:forsendelse_registrer", args=[sak.pk, part.pk]) not in html

    html = send(client, sak, part).content.decode()
    # Sent is not delivered: the case stays open until SvarUt reports the letter delivered (test_forsendelser).
    assert "Kari Nordmann er registrert som sendt" in html and "Saken er avsluttet" not in html
    forsendelse = Forsendelse.objects.get(part=part)
    assert forsendelse.status == Forsendelse.Status.SENDT
    assert forsendelse.kanal == Forsendelse.Kanal.SVARUT
    assert (forsendelse.forsok, forsendelse.svarut_status) == (1, "MOTTATT")
    mottatt = svarut.hent(forsendelse.forsendelse_id)
    assert mottatt.json["eksternReferanse"] == str(forsendelse.ekstern_referanse)
    assert mottatt.json["mottaker"]["digitalAdresse"] == {"fodselsNummer": FNR}
    assert mottatt.json["metadataFraAvleverendeSystem"]["saksAar"] == 2019
    # The letter as its PDF/A, the saksutskrift as its own document; the .docx stays on the case for editing.
    assert [f.filnavn for f in mottatt.filer] == ["Vedtaksbrev 19-01234 Kari Nordmann.pdf",
                                                  "Saksutskrift PS 12-26.pdf"]
    assert mottatt.filer[0].innhold == part.brev.get().pdfa.fil.open("rb").read()
    assert pdfa.pdfa_del(mottatt.filer[0].innhold) >= 2 and part.brev.get().er_docx
    assert forsendelse.forsendelse_id in html and FNR not in html


def test_a_failed_shipment_is_shown_and_a_retry_sends_it_once(client, saksbehandler, sak, svarut):
    part = med_brev(sak, lag_part(sak, orgnr=ORGNR))
    svarut.feil_neste(1)
    client.force_login(saksbehandler)
    html = send(client, sak, part).content.decode()
    forsendelse = Forsendelse.objects.get(part=part)
    assert forsendelse.status == Forsendelse.Status.FEILET
    assert forsendelse.forsok == 1
    assert "SvarUt er ikke tilgjengelig (HTTP 503)" in forsendelse.feilmelding
    assert "Sendingen feilet" in html and forsendelse.feilmelding in html
    assert "Prøv å sende på nytt" in html
    assert svarut.forsendelser == []
    sak.refresh_from_db()
    assert sak.status == Sak.Status.VEDTATT

    send(client, sak, part)
    forsendelse.refresh_from_db()
    assert (forsendelse.status, forsendelse.forsok, forsendelse.feilmelding) == (Forsendelse.Status.SENDT, 2, "")
    assert len(svarut.forsendelser) == 1
    assert svarut.forsendelser[0].json["eksternReferanse"] == str(forsendelse.ekstern_referanse)


def test_a_retry_after_svarut_kept_the_shipment_but_lost_the_answer_does_not_send_again(
        saksbehandler, sak, svarut):
    part = med_brev(sak, lag_part(sak, orgnr=ORGNR))
    svarut.feil_neste(1, etter_lagring=True)
    assert services.forsendelse_send_svarut(part=part, av=saksbehandler).status == Forsendelse.Status.FEILET
    assert len(svarut.forsendelser) == 1

    forsendelse = services.forsendelse_send_svarut(part=part, av=saksbehandler)
    assert forsendelse.status == Forsendelse.Status.SENDT
    assert forsendelse.forsendelse_id == svarut.forsendelser[0].id
    assert len(svarut.forsendelser) == 1
    assert [metode for metode, _ in svarut.kall].count("POST") == 1


def test_svaruts_message_is_stored_without_the_identity_number(client, saksbehandler, sak, svarut):
    part = med_brev(sak, lag_part(sak, fnr=FNR))
    svarut.feil_neste(1, status=400, melding=f"Ugyldig mottaker {FNR}")
    forsendelse = services.forsendelse_send_svarut(part=part, av=saksbehandler)
    assert forsendelse.status == Forsendelse.Status.FEILET
    assert "Ugyldig mottaker 010190*****" in forsendelse.feilmelding
    assert FNR not in forsendelse.feilmelding
    client.force_login(saksbehandler)
    assert FNR not in client.get(sak.get_absolute_url()).content.decode()


def test_a_shipment_being_sent_is_not_sent_again_until_its_claim_is_stale(saksbehandler, sak, svarut):
    part = med_brev(sak, lag_part(sak, orgnr=ORGNR))
    Forsendelse.objects.filter(part=part).update(status=Forsendelse.Status.SENDER, sist_forsokt=timezone.now())
    with pytest.raises(services.SakFeil, match="sendes nå"):
        services.forsendelse_send_svarut(part=part, av=saksbehandler)
    assert svarut.kall == []

    Forsendelse.objects.filter(part=part).update(sist_forsokt=timezone.now() - utsending.hengt_etter() * 2)
    assert services.forsendelse_send_svarut(part=part, av=saksbehandler).status == Forsendelse.Status.SENDT
    with pytest.raises(services.SakFeil, match="kan ikke sende det på nytt"):
        services.forsendelse_send_svarut(part=part, av=saksbehandler)
    assert len(svarut.forsendelser) == 1


def test_a_letter_without_its_saksutskrift_is_not_sent(saksbehandler, svarut):
    sak = VedtakFactory(sak__saksbehandler=saksbehandler, saksutskrift=None).sak
    part = med_brev(sak, lag_part(sak, orgnr=ORGNR))
    with pytest.raises(services.SakFeil, match="Saksutskriften mangler"):
        services.forsendelse_send_svarut(part=part, av=saksbehandler)
    assert Forsendelse.objects.get(part=part).status == Forsendelse.Status.IKKE_SENDT


def test_svarut_without_its_account_is_a_configuration_error(settings, saksbehandler, sak):
    settings.UTSENDING_BACKEND = "svarut"
    settings.SVARUT_URL, settings.SVARUT_BRUKERNAVN, settings.SVARUT_PASSORD = "https://test.svarut.ks.no", "", ""
    part = med_brev(sak, lag_part(sak, orgnr=ORGNR))
    with pytest.raises(ImproperlyConfigured, match="SVARUT_BRUKERNAVN, SVARUT_PASSORD"):
        services.forsendelse_send_svarut(part=part, av=saksbehandler)
    assert Forsendelse.objects.get(part=part).status == Forsendelse.Status.IKKE_SENDT


def test_manual_recording_is_off_when_svarut_sends(saksbehandler, sak, svarut):
    part = med_brev(sak, lag_part(sak, orgnr=ORGNR))
    with pytest.raises(services.SakFeil, match="manuell registrering er slått av"):
        services.forsendelse_registrer_manuelt(part=part, av=saksbehandler, forsendelse_id="x",
                                               dato=timezone.localdate())


# --- Who may send ------------------------------------------------------------------------------------------


def test_nobody_but_the_case_officer_sends(client, saksbehandler, sak, svarut, sekretar, utenforstaende):
    part = med_brev(sak, lag_part(sak, orgnr=ORGNR))
    colleague = BrukerFactory.saksbehandler(username="per", kommunalomrade=sak.kommunalomrade)
    urls = [reverse("saker:forsendelse_send", args=[sak.pk, part.pk]),
            reverse("saker:forsendelse_registrer", args=[sak.pk, part.pk])]
    for outsider in (utenforstaende, colleague):
        client.force_login(outsider)
        for url in urls:
            assert client.post(url, {"forsendelse_id": "x", "dato": "2020-01-02"}).status_code == 404
    client.force_login(sekretar)
    assert client.get(sak.get_absolute_url()).status_code == 200
    for url in urls:
        assert client.post(url, {"forsendelse_id": "x", "dato": "2020-01-02"}).status_code == 403
    with pytest.raises(services.SakFeil, match="Bare saksbehandleren"):
        services.forsendelse_send_svarut(part=part, av=sekretar)
    assert svarut.kall == []
    assert Forsendelse.objects.get(part=part).status == Forsendelse.Status.IKKE_SENDT


def test_the_dispatch_buttons_are_only_for_the_case_officer(client, sak, sekretar, svarut):
    part = med_brev(sak, lag_part(sak, orgnr=ORGNR))
    client.force_login(sekretar)
    html = client.get(sak.get_absolute_url()).content.decode()
    assert "Kari Nordmann" in html
    assert reverse("saker:forsendelse_send", args=[sak.pk, part.pk]) not in html


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_presses_at_once_send_one_shipment(saksbehandler, svarut):
    """On PostgreSQL with real concurrency: the conditional claim lets one press through; the other is refused
    whether it arrives while the first is in flight (sendes nå) or after it (sendt)."""
    krev_postgresql()
    sak = VedtakFactory(sak__saksbehandler=saksbehandler).sak
    part = med_brev(sak, lag_part(sak, orgnr=ORGNR))
    start = threading.Barrier(2, timeout=10)
    resultater: list[object] = []

    def trykk() -> None:
        try:
            start.wait()
            resultater.append(services.forsendelse_send_svarut(part=Part(pk=part.pk, sak=sak), av=saksbehandler))
        except Exception as exc:  # reported to the main thread, which asserts on it
            resultater.append(exc)
        finally:
            connections.close_all()

    trader = [threading.Thread(target=trykk) for _ in range(2)]
    for trad in trader:
        trad.start()
    for trad in trader:
        trad.join(timeout=30)
    assert not any(trad.is_alive() for trad in trader)

    sendt = [r for r in resultater if isinstance(r, Forsendelse)]
    avvist = [r for r in resultater if not isinstance(r, Forsendelse)]
    assert len(sendt) == 1 and sendt[0].status == Forsendelse.Status.SENDT, resultater
    [feil] = avvist
    assert isinstance(feil, services.SakFeil), repr(feil)
    assert len(svarut.forsendelser) == 1
    # The case waits for SvarUt to report the letter delivered (saker.levering), and nothing happened twice.
    assert Sak.objects.get(pk=sak.pk).status == Sak.Status.VEDTATT
    assert Forsendelse.objects.filter(part__sak=sak, status=Forsendelse.Status.SENDT).count() == 1
