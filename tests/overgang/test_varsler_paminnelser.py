"""Working days, reminders, the daily digest and the "Varslinger" page."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from overgang.varsler import paminnelser, services
from overgang.varsler.arbeidsdager import arbeidsdager_etter, er_arbeidsdag, legg_til_arbeidsdager
from overgang.varsler.models import Varsel, Varslingsvalg
from overgang.varsler.paminnelser import Paminnelse
from overgang.varsler.services import notify
from tests.factories import MoteFactory

Status = Varsel.Status
D = datetime.date


def test_weekends_and_norwegian_public_holidays_are_not_working_days():
    assert er_arbeidsdag(D(2026, 4, 1))  # Wednesday before Easter
    for fri in [D(2026, 4, 2), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 1), D(2026, 5, 14), D(2026, 5, 17),
                D(2026, 5, 25), D(2026, 12, 25), D(2026, 12, 26), D(2026, 4, 4)]:
        assert not er_arbeidsdag(fri), fri


def test_a_case_sent_the_day_before_easter_has_waited_one_working_day_on_the_tuesday_after():
    # Wednesday 1 April 2026; Maundy Thursday to Easter Monday are holidays.
    assert arbeidsdager_etter(D(2026, 4, 1), D(2026, 4, 6)) == 0
    assert arbeidsdager_etter(D(2026, 4, 1), D(2026, 4, 7)) == 1
    assert legg_til_arbeidsdager(D(2026, 4, 1), 1) == D(2026, 4, 7)


def test_counting_back_skips_weekends():
    assert legg_til_arbeidsdager(D(2026, 11, 30), -1) == D(2026, 11, 27)  # Monday → Friday
    assert arbeidsdager_etter(D(2026, 11, 27), D(2026, 11, 30)) == 1


@pytest.fixture
def regel(saksbehandler):
    mote = MoteFactory()
    funn = [Paminnelse(objekt=mote, mottakere=[saksbehandler], grunn="Saken har ventet i 6 arbeidsdager.",
                       hva="Godkjenn saken eller send den tilbake.")]
    with mock.patch.dict(paminnelser.REGLER, {"proveregel": lambda idag: funn}, clear=True):
        yield mote


@pytest.mark.django_db
def test_a_reminder_says_why_and_what_to_do_with_the_link_and_comes_once_a_day(
        regel, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert paminnelser.send_paminnelser(D(2026, 11, 26)) == 1
        assert paminnelser.send_paminnelser(D(2026, 11, 26)) == 0, "the same cause, the same day"
    [epost] = mail.outbox
    assert epost.subject.startswith("[Overgang] Påminnelse")
    assert "Hvorfor: Saken har ventet i 6 arbeidsdager." in epost.body
    assert "Hva du gjør: Godkjenn saken eller send den tilbake." in epost.body
    assert f"https://overgang.example.no/sekretariat/moter/{regel.pk}/" in epost.body
    with django_capture_on_commit_callbacks(execute=True):
        assert paminnelser.send_paminnelser(D(2026, 11, 27)) == 1, "the next day it reminds again"


@pytest.mark.django_db
def test_nobody_is_reminded_on_a_holiday(regel):
    assert paminnelser.send_paminnelser(D(2026, 5, 17)) == 0
    assert paminnelser.send_paminnelser(D(2026, 11, 28)) == 0  # Saturday
    assert Varsel.objects.count() == 0


@pytest.mark.django_db
def test_a_broken_rule_does_not_silence_the_others(regel, django_capture_on_commit_callbacks):
    def feiler(idag):
        raise RuntimeError("regelen feiler")

    with mock.patch.dict(paminnelser.REGLER, {"feiler": feiler}):
        with django_capture_on_commit_callbacks(execute=True):
            assert paminnelser.send_paminnelser(D(2026, 11, 26)) == 1


@pytest.mark.django_db
def test_a_reminder_is_sent_at_once_even_to_someone_who_chose_the_digest(regel, saksbehandler):
    Varslingsvalg.objects.create(bruker=saksbehandler, sammendrag=True, klokkeslett=7)
    paminnelser.send_paminnelser(D(2026, 11, 26))
    assert Varsel.objects.get().status == Status.VENTER


def lag_sammendragsvarsler(bruker, antall=2):
    Varslingsvalg.objects.create(bruker=bruker, sammendrag=True, klokkeslett=7)
    for i in range(antall):
        with transaction.atomic():
            notify("sak_til_godkjenning", MoteFactory(), [bruker, "politikk@lillestrom.kommune.no"],
                   kontekst={"kommentar": f"kommentar {i}"})


def klokka(time: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(2026, 11, 26, time, 30))


@pytest.mark.django_db
def test_the_digest_holds_a_persons_emails_and_sends_one_listing_each_with_its_link(
        godkjenner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        lag_sammendragsvarsler(godkjenner)
    assert [m.to for m in mail.outbox] == [["politikk@lillestrom.kommune.no"]] * 2, "the shared mailbox at once"
    assert Varsel.objects.filter(status=Status.SAMLES).count() == 2
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_sammendrag(na=klokka(6)) == 0, "before the chosen hour"
        assert services.send_sammendrag(na=klokka(7)) == 1
        assert services.send_sammendrag(na=klokka(8)) == 0, "once a day"
    [epost] = mail.outbox
    assert epost.to == ["kari@lillestrom.kommune.no"]
    assert epost.subject == "[Overgang] Dagens sammendrag: 2 varsler"
    assert epost.body.count("En sak er sendt til deg for godkjenning.") == 2
    assert "kommentar 1" in epost.body and "https://overgang.example.no/sekretariat/moter/" in epost.body
    assert not Varsel.objects.filter(status=Status.SAMLES).exists()


@pytest.mark.django_db
def test_two_runs_of_the_digest_at_once_make_one(godkjenner):
    lag_sammendragsvarsler(godkjenner)
    with mock.patch.object(services, "legg_i_ko"):
        assert services.lag_sammendrag(bruker=godkjenner, dag=D(2026, 11, 26)) is not None
        assert services.lag_sammendrag(bruker=godkjenner, dag=D(2026, 11, 26)) is None
    assert Varsel.objects.filter(hendelse="sammendrag").count() == 1


@pytest.mark.django_db
def test_the_preference_page_saves_the_choice_and_going_back_to_immediate_sends_what_was_held(
        client, godkjenner, django_capture_on_commit_callbacks):
    client.force_login(godkjenner)
    assert "Varslinger" in client.get(reverse("varsler:valg")).content.decode()
    svar = client.post(reverse("varsler:valg"), {"sammendrag": "ja", "klokkeslett": "15"}, follow=True)
    assert "Valget ditt er lagret." in svar.content.decode()
    valg = Varslingsvalg.objects.get(bruker=godkjenner)
    assert (valg.sammendrag, valg.klokkeslett) == (True, 15)
    with django_capture_on_commit_callbacks(execute=True):
        notify("sak_til_godkjenning", MoteFactory(), [godkjenner])
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("varsler:valg"), {"sammendrag": "nei", "klokkeslett": "15"})
    assert [m.to for m in mail.outbox] == [["kari@lillestrom.kommune.no"]]


@pytest.mark.django_db
def test_the_preference_page_needs_a_login(client):
    assert client.get(reverse("varsler:valg")).status_code == 302


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_two_workers_making_the_digest_at_the_same_moment_make_one(godkjenner):
    import threading

    from django.db import connection

    from tests.tjenester import krev_postgresql

    krev_postgresql()
    lag_sammendragsvarsler(godkjenner, antall=5)
    resultater = []
    start = threading.Barrier(2)

    def arbeider():
        try:
            start.wait()
            resultater.append(services.lag_sammendrag(bruker=godkjenner, dag=D(2026, 11, 26)))
        finally:
            connection.close()

    traader = [threading.Thread(target=arbeider) for _ in range(2)]
    with mock.patch.object(services, "legg_i_ko"):
        for t in traader:
            t.start()
        for t in traader:
            t.join()
    assert sum(r is not None for r in resultater) == 1
    [sammendrag] = Varsel.objects.filter(hendelse="sammendrag")
    assert len(sammendrag.kontekst["punkter"]) == 5
    assert Varsel.objects.filter(sammendrag=sammendrag).count() == 5
