"""Delivery under faults, in-process: a real SMTP conversation with a server on loopback that refuses or
stalls, claims and their leases, the administrators' alert, the admin's resend, /helse/ and the status page."""

import datetime
import json
import threading
from unittest import mock

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from overgang.varsler import levering, services
from overgang.varsler.models import Feiing, Varsel
from overgang.varsler.services import notify
from tests.factories import BrukerFactory, MoteFactory
from tests.tjenester import krev_postgresql

pytestmark = pytest.mark.django_db
Status = Varsel.Status


def skriv(*adresser: str, nokkel: str | None = None) -> list[Varsel]:
    """Outbox rows as a hand-off writes them, without queueing them."""
    with mock.patch.object(services, "legg_i_ko"):
        return notify("test", MoteFactory(), list(adresser), nokkel=nokkel)


def test_each_email_carries_a_message_id_derived_from_its_row(smtp_backend):
    [varsel] = skriv("a@example.no")
    assert levering.send_varsel(varsel.pk) is True
    [mottatt] = smtp_backend.meldinger
    assert mottatt.message_id == varsel.message_id
    assert Varsel.objects.get(pk=varsel.pk).status == Status.SENDT


def test_a_550_marks_the_row_failed_at_once(smtp_backend):
    smtp_backend.modus = "550"
    [varsel] = skriv("finnes.ikke@example.no")
    assert levering.send_varsel(varsel.pk) is False
    varsel.refresh_from_db()
    assert (varsel.status, varsel.forsok) == (Status.FEILET, 1)
    assert "550" in varsel.feilmelding
    assert varsel.krav is None


def test_a_451_is_retried_later(smtp_backend):
    smtp_backend.modus = "451"
    [varsel] = skriv("a@example.no")
    levering.send_varsel(varsel.pk)
    varsel.refresh_from_db()
    assert varsel.status == Status.VENTER
    assert "451" in varsel.feilmelding
    assert varsel.neste_forsok > timezone.now()


def test_a_refused_connection_is_temporary(settings, smtp_backend):
    settings.EMAIL_PORT = 9  # nothing listens on the discard port
    [varsel] = skriv("a@example.no")
    levering.send_varsel(varsel.pk)
    assert Varsel.objects.get(pk=varsel.pk).status == Status.VENTER


def test_a_server_that_stalls_before_taking_the_message_is_a_plain_retry(smtp_backend):
    smtp_backend.pause_rcpt = 2  # longer than EMAIL_TIMEOUT
    [varsel] = skriv("a@example.no")
    levering.send_varsel(varsel.pk)
    varsel.refresh_from_db()
    assert (varsel.status, varsel.uvisst) == (Status.VENTER, False)


def test_an_answer_that_never_comes_after_the_message_is_retried_once_with_the_same_message_id(smtp_backend):
    smtp_backend.pause_svar = 2  # the server takes the message, then answers after the client gave up
    [varsel] = skriv("a@example.no")
    levering.send_varsel(varsel.pk)
    varsel.refresh_from_db()
    assert (varsel.status, varsel.uvisst) == (Status.VENTER, True)
    levering.send_varsel(varsel.pk)
    varsel.refresh_from_db()
    assert varsel.status == Status.SENDT, "a second silence is taken as sent, not tried a third time"
    assert varsel.feilmelding.startswith("Trolig levert")
    assert smtp_backend.per_message_id() == {varsel.message_id: 2}


def test_a_claim_whose_lease_ran_out_before_the_handover_is_taken_over(settings, smtp_backend):
    [varsel] = skriv("a@example.no")
    # A worker claimed it and died before DATA.
    Varsel.objects.filter(pk=varsel.pk).update(status=Status.SENDER, krav="00000000-0000-0000-0000-000000000001",
                                               krav_utloper=timezone.now() - datetime.timedelta(seconds=1))
    assert levering.send_varsel(varsel.pk) is True
    assert smtp_backend.per_message_id() == {varsel.message_id: 1}


def test_a_live_claim_is_not_taken_over(smtp_backend):
    [varsel] = skriv("a@example.no")
    Varsel.objects.filter(pk=varsel.pk).update(status=Status.SENDER, krav="00000000-0000-0000-0000-000000000001",
                                               krav_utloper=timezone.now() + datetime.timedelta(seconds=30))
    assert levering.send_varsel(varsel.pk) is False
    assert services.send_ventende() == 0
    assert smtp_backend.meldinger == []


def test_a_dead_worker_that_had_handed_the_message_over_costs_at_most_one_copy(smtp_backend):
    [varsel] = skriv("a@example.no")
    for _ in range(2):
        Varsel.objects.filter(pk=varsel.pk).update(
            status=Status.SENDER, krav="00000000-0000-0000-0000-000000000001", data_startet=timezone.now(),
            krav_utloper=timezone.now() - datetime.timedelta(seconds=1))
        levering.frigi_utlopte()
        levering.send_varsel(varsel.pk)
    varsel.refresh_from_db()
    # First death: sent once more (the one resend). Second death after handover: taken as sent.
    assert varsel.status == Status.SENDT and varsel.uvisst
    assert smtp_backend.per_message_id() == {varsel.message_id: 1}


def test_a_worker_that_lost_its_claim_never_hands_the_message_over(smtp_backend):
    [varsel] = skriv("a@example.no")
    token = levering._krev(varsel.pk)
    # Presumed dead, it was taken over by another worker.
    Varsel.objects.filter(pk=varsel.pk).update(krav="00000000-0000-0000-0000-000000000002")
    with pytest.raises(levering.MistetKrav):
        levering._lever(levering.gjengi(varsel), lambda **kw: levering._forny(varsel.pk, token, **kw))
    assert smtp_backend.meldinger == []


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_the_same_rows_send_each_once(smtp_backend):
    krev_postgresql()
    rader = skriv(*[f"m{i}@example.no" for i in range(20)])

    def arbeider():
        try:
            for v in rader:
                levering.send_varsel(v.pk)
        finally:
            connection.close()

    traader = [threading.Thread(target=arbeider) for _ in range(2)]
    for t in traader:
        t.start()
    for t in traader:
        t.join()
    assert set(smtp_backend.per_message_id().values()) == {1}


def test_the_administrators_get_one_email_about_failed_rows_not_one_per_row(settings):
    settings.VARSEL_ADMIN_EPOST = ["drift@lillestrom.kommune.no"]
    BrukerFactory(username="admin", email="admin@lillestrom.kommune.no", is_superuser=True, is_staff=True)
    rader = skriv("a@example.no", "b@example.no", "c@example.no")
    Varsel.objects.filter(pk__in=[v.pk for v in rader]).update(status=Status.FEILET, feilmelding="550 ukjent")
    assert services.varsle_administratorer() == 3
    assert services.varsle_administratorer() == 0, "already told"
    [epost] = mail.outbox
    assert sorted(epost.to) == ["admin@lillestrom.kommune.no", "drift@lillestrom.kommune.no"]
    assert epost.subject == "[Overgang] 3 e-poster kunne ikke sendes"
    assert "c@example.no: 550 ukjent" in epost.body
    assert "/admin/varsler/varsel/?status__exact=feilet" in epost.body


def test_an_alert_that_cannot_be_sent_is_tried_again_at_the_next_sweep(settings):
    settings.VARSEL_ADMIN_EPOST = ["drift@lillestrom.kommune.no"]
    [varsel] = skriv("a@example.no")
    Varsel.objects.filter(pk=varsel.pk).update(status=Status.FEILET)
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("nede")):
        assert services.varsle_administratorer() == 0
    assert services.varsle_administratorer() == 1
    assert len(mail.outbox) == 1


@pytest.fixture
def admin_klient(client):
    admin = BrukerFactory(username="admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    return client


def test_resend_from_the_admin_delivers_a_failed_row_once_and_leaves_a_row_being_sent_alone(
        admin_klient, django_capture_on_commit_callbacks):
    feilet, sender, sendt = skriv("a@example.no", "b@example.no", "c@example.no")
    Varsel.objects.filter(pk=feilet.pk).update(status=Status.FEILET, forsok=1, feilmelding="550")
    Varsel.objects.filter(pk=sender.pk).update(status=Status.SENDER, krav="00000000-0000-0000-0000-000000000001",
                                               krav_utloper=timezone.now() + datetime.timedelta(seconds=60))
    Varsel.objects.filter(pk=sendt.pk).update(status=Status.SENDT)
    with django_capture_on_commit_callbacks(execute=True):
        svar = admin_klient.post(reverse("admin:varsler_varsel_changelist"), {
            "action": "send_pa_nytt", "_selected_action": [feilet.pk, sender.pk, sendt.pk]}, follow=True)
    assert "1 varsler er lagt i kø" in svar.content.decode()
    assert "1 varsler sendes nå og ble ikke lagt i kø på nytt" in svar.content.decode()
    assert [m.to for m in mail.outbox] == [["a@example.no"]]
    assert Varsel.objects.get(pk=sender.pk).status == Status.SENDER
    assert Varsel.objects.get(pk=feilet.pk).status == Status.SENDT


def test_the_admin_outbox_shows_attempts_and_the_last_error(admin_klient):
    [varsel] = skriv("a@example.no")
    Varsel.objects.filter(pk=varsel.pk).update(status=Status.FEILET, forsok=3, feilmelding="550 5.1.1 finnes ikke")
    html = admin_klient.get(reverse("admin:varsler_varsel_changelist")).content.decode()
    assert "550 5.1.1 finnes ikke" in html
    assert admin_klient.get(reverse("admin:varsler_varsel_change", args=[varsel.pk])).status_code == 200


def test_the_admin_index_counts_failed_and_late_rows(admin_klient, settings):
    a, b = skriv("a@example.no", "b@example.no")
    Varsel.objects.filter(pk=a.pk).update(status=Status.FEILET)
    Varsel.objects.filter(pk=b.pk).update(
        opprettet=timezone.now() - datetime.timedelta(minutes=settings.VARSEL_FORSINKET_MINUTTER + 1))
    html = admin_klient.get(reverse("admin:index")).content.decode()
    assert "1 feilet" in html and "1 forsinket" in html


def test_the_secretariat_sees_failed_rows_on_its_status_page(client, sekretar, saksbehandler):
    [varsel] = skriv("a@example.no")
    Varsel.objects.filter(pk=varsel.pk).update(status=Status.FEILET, feilmelding="550 finnes ikke")
    client.force_login(sekretar)
    html = client.get(reverse("varsler:status")).content.decode()
    assert "1 feilet for godt" in html and "550 finnes ikke" in html
    client.force_login(saksbehandler)
    assert client.get(reverse("varsler:status")).status_code == 403


def test_health_answers_without_login_and_reveals_nothing_else(client, settings):
    settings.VARSEL_FEIER_VENT_SEKUNDER = 3600
    skriv("a@example.no")
    services.send_ventende(fra_beat=True)
    svar = client.get("/helse/")
    assert svar.status_code == 200
    data = json.loads(svar.content)
    assert set(data) == {"database", "broker", "eldste_ventende_sekunder", "feier", "feier_sekunder_siden",
                         "beat", "beat_sekunder_siden"}
    assert (data["database"], data["broker"], data["feier"], data["beat"]) == ("ok", "ikke i bruk", "ok", "ok")
    assert 0 <= data["eldste_ventende_sekunder"] < 60


def test_health_shows_beat_gone_and_fails_when_no_sweeper_runs(client, settings):
    Feiing.objects.update_or_create(pk=1, defaults={
        "sist_feiet": timezone.now(), "sist_fra_beat": timezone.now() - datetime.timedelta(hours=1)})
    data = client.get("/helse/").json()
    assert (data["feier"], data["beat"]) == ("ok", "borte")
    Feiing.objects.filter(pk=1).update(sist_feiet=timezone.now() - datetime.timedelta(hours=1))
    assert client.get("/helse/").status_code == 503


def test_health_reports_a_broker_that_does_not_answer(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:9/0"
    svar = client.get("/helse/")
    assert (svar.status_code, svar.json()["broker"]) == (503, "feil")


def test_a_worker_sweeps_only_when_no_sweep_ran_for_two_intervals(settings):
    settings.VARSEL_FEIER_VENT_SEKUNDER = 0
    skriv("a@example.no")
    services.send_ventende(fra_beat=True)
    assert len(mail.outbox) == 1
    skriv("b@example.no")
    assert services.send_ventende(bare_om_ingen_har=True) == 0, "beat swept just now"
    Feiing.objects.filter(pk=1).update(sist_feiet=timezone.now() - datetime.timedelta(
        seconds=2 * settings.VARSEL_FEIE_SEKUNDER + 1))
    assert services.send_ventende(bare_om_ingen_har=True) == 1
    assert len(mail.outbox) == 2
