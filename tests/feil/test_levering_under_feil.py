"""Never lost, never doubled, never late: N hand-offs under each fault, through a real Redis, real Celery
worker processes and beat, PostgreSQL and an SMTP server on loopback that refuses or stalls on command.

Each test prints `sent, delivered once, lost, doubled, seconds to recover` (collected at the end of the run).
A hand-off is `notify` in a transaction on an existing meeting, as every app's services call it. An e-mail
is counted by its Message-ID at the SMTP server: once, never (lost) or more than once (doubled).
"""

import random
import time

import pytest
from django.db import transaction
from django.urls import reverse

from overgang.varsler import services
from overgang.varsler.models import Feiing, Varsel
from overgang.varsler.services import notify
from tests.factories import BrukerFactory, MoteFactory
from tests.feil.conftest import RESULTATER

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

N = 50
Status = Varsel.Status


def overlever(mote, i: int, mottakere: int = 1) -> float:
    """One hand-off: the outbox rows commit with it and are queued on commit. Returns its seconds."""
    start = time.monotonic()
    with transaction.atomic():
        notify("test", mote, [f"h{i}-m{j}@example.no" for j in range(mottakere)], nokkel=f"overlevering-{i}")
    return time.monotonic() - start


def vent_til(betingelse, *, sekunder: float, hva: str, rigg=None) -> None:
    frist = time.monotonic() + sekunder
    while not betingelse():
        if time.monotonic() > frist:
            raise AssertionError(f"{hva} innen {sekunder} s" + (f"\n{rigg.logg()}" if rigg else ""))
        time.sleep(0.1)


def ferdige() -> bool:
    return not Varsel.objects.filter(status__in=[Status.VENTER, Status.SENDER]).exists()


def alle_levert(postkasse, antall: int):
    return lambda: ferdige() and sum(1 for n in postkasse.per_message_id().values() if n) >= antall


def regnskap(navn: str, postkasse, slutt_paa_feilen: float, *, merknad: str = "") -> dict:
    rader = list(Varsel.objects.exclude(hendelse="varsler_feilet"))
    tellinger = postkasse.per_message_id()
    per_rad = [tellinger.get(v.message_id, 0) for v in rader]
    siste = max((m.tid for m in postkasse.meldinger), default=slutt_paa_feilen)
    r = {"sent": len(rader), "once": per_rad.count(1), "lost": per_rad.count(0),
         "doubled": sum(1 for n in per_rad if n > 1), "recover": max(siste - slutt_paa_feilen, 0.0),
         "max_copies": max(per_rad, default=0)}
    linje = (f"{navn}: sent {r['sent']}, delivered once {r['once']}, lost {r['lost']}, doubled {r['doubled']}, "
             f"seconds to recover {r['recover']:.1f}" + (f"  ({merknad})" if merknad else ""))
    RESULTATER.append(linje)
    print(linje)
    return r


def test_broker_stopped_while_hand_offs_commit_then_restarted(rigg, egen_redis, styrbar_smtp):
    _, postkasse = styrbar_smtp
    rigg.arbeider()
    rigg.beat()
    mote = MoteFactory()
    egen_redis.stopp()
    tider = [overlever(mote, i) for i in range(N)]
    assert max(tider) < 1, f"a hand-off waited {max(tider):.2f} s for a stopped broker"
    assert postkasse.meldinger == []
    egen_redis.start()
    slutt = time.monotonic()
    vent_til(alle_levert(postkasse, N), sekunder=120, hva="alt levert etter omstart", rigg=rigg)
    r = regnskap("broker stopped, then restarted", postkasse, slutt,
                 merknad=f"slowest hand-off {max(tider):.2f} s")
    assert (r["once"], r["lost"], r["doubled"]) == (N, 0, 0)
    assert r["recover"] < 120


def test_broker_frozen_a_hand_off_to_ten_answers_within_a_second(rigg, egen_redis, styrbar_smtp):
    _, postkasse = styrbar_smtp
    rigg.arbeider()
    rigg.beat()
    mote = MoteFactory()
    overlever(mote, -1)  # the worker is up and the path is warm before the freeze
    vent_til(lambda: len(postkasse.meldinger) == 1, sekunder=60, hva="første e-post", rigg=rigg)
    egen_redis.frys()
    try:
        tider = [overlever(mote, i, mottakere=10) for i in range(N)]
    finally:
        egen_redis.tin()
    slutt = time.monotonic()
    vent_til(alle_levert(postkasse, 10 * N + 1), sekunder=120, hva="alt levert etter tining", rigg=rigg)
    r = regnskap("broker frozen (10 recipients per hand-off)", postkasse, slutt,
                 merknad=f"slowest hand-off {max(tider):.2f} s, median {sorted(tider)[N // 2]:.2f} s")
    assert max(tider) < 1, f"a hand-off waited {max(tider):.2f} s for a frozen broker"
    assert (r["once"], r["lost"], r["doubled"]) == (10 * N + 1, 0, 0)
    assert r["recover"] < 120


def test_smtp_451_for_longer_than_the_old_attempts_lasted_then_recovering(rigg, styrbar_smtp):
    _, postkasse = styrbar_smtp
    postkasse.modus = "451"
    rigg.arbeider()
    rigg.beat()
    mote = MoteFactory()
    for i in range(N):
        overlever(mote, i)
    # The old code gave up after 6 attempts; with 0.5–2 s backoff the budget keeps trying well past that.
    vent_til(lambda: Varsel.objects.filter(forsok__gt=6).count() == N, sekunder=60, hva="mer enn 6 forsøk",
             rigg=rigg)
    assert not Varsel.objects.filter(status=Status.FEILET).exists()
    assert postkasse.meldinger == []
    postkasse.modus = "ok"
    slutt = time.monotonic()
    vent_til(alle_levert(postkasse, N), sekunder=120, hva="alt levert etter 451", rigg=rigg)
    forsok = max(Varsel.objects.values_list("forsok", flat=True))
    r = regnskap("SMTP 451, then recovering", postkasse, slutt, merknad=f"up to {forsok} attempts per row")
    assert (r["once"], r["lost"], r["doubled"]) == (N, 0, 0)
    assert r["recover"] < 120


def test_smtp_550_marks_each_row_failed_at_once_tells_the_admins_once_and_a_resend_delivers(
        rigg, styrbar_smtp, client):
    _, postkasse = styrbar_smtp
    admin = BrukerFactory(username="admin", email="admin@lillestrom.kommune.no", is_superuser=True, is_staff=True)
    postkasse.modus = "550"
    rigg.arbeider()
    rigg.beat()
    mote = MoteFactory()
    for i in range(N):
        overlever(mote, i)
    vent_til(lambda: Varsel.objects.filter(status=Status.FEILET).count() == N, sekunder=60, hva="alle feilet",
             rigg=rigg)
    assert set(Varsel.objects.values_list("forsok", flat=True)) == {1}, "a 550 is not retried"
    time.sleep(2)  # the fault lasts a while: sweeps come and go, the alert cannot go out yet
    postkasse.modus = "ok"
    slutt = time.monotonic()
    vent_til(lambda: postkasse.til("admin@lillestrom.kommune.no"), sekunder=30, hva="varsel til administrator",
             rigg=rigg)
    client.force_login(admin)
    svar = client.post(reverse("admin:varsler_varsel_changelist"), {
        "action": "send_pa_nytt", "_selected_action": list(Varsel.objects.values_list("pk", flat=True))})
    assert svar.status_code == 302
    vent_til(alle_levert(postkasse, N + 1), sekunder=120, hva="alt levert etter ny sending", rigg=rigg)
    time.sleep(2)  # a few more sweeps: still one alert
    assert len(postkasse.til("admin@lillestrom.kommune.no")) == 1
    r = regnskap("SMTP 550, resent from the admin", postkasse, slutt, merknad="1 alert to the administrators")
    # The alert is the one e-mail without a row of its own; every row was delivered once after the resend.
    assert (r["once"], r["lost"], r["doubled"]) == (N, 0, 0)


def test_smtp_answering_after_the_clients_timeout(rigg, styrbar_smtp):
    _, postkasse = styrbar_smtp
    postkasse.pause_svar = 3  # the server takes the message and answers after EMAIL_TIMEOUT (2 s)
    rigg.arbeider(trader=25)
    rigg.beat()
    mote = MoteFactory()
    for i in range(N):
        overlever(mote, i)
    vent_til(lambda: Varsel.objects.filter(uvisst=True).count() == N, sekunder=60, hva="alle uvisse", rigg=rigg)
    postkasse.pause_svar = 0
    slutt = time.monotonic()
    vent_til(alle_levert(postkasse, N), sekunder=120, hva="alt avgjort", rigg=rigg)
    r = regnskap("SMTP answering after the timeout", postkasse, slutt,
                 merknad=f"at most {r_max(postkasse)} copies of a Message-ID")
    assert r["lost"] == 0
    assert r["max_copies"] <= 2, "at most one resend"
    assert r["recover"] < 120


def r_max(postkasse) -> int:
    return max(postkasse.per_message_id().values(), default=0)


def test_worker_killed_mid_send_five_times(rigg, styrbar_smtp):
    _, postkasse = styrbar_smtp
    postkasse.pause_rcpt = 1.0  # each conversation is in the middle of RCPT for a second
    rigg.arbeider("a", trader=4)
    rigg.beat()
    mote = MoteFactory()
    for i in range(N):
        overlever(mote, i)
    for _ in range(5):
        vent_til(lambda: postkasse.i_rcpt > 0, sekunder=60, hva="en sending i gang", rigg=rigg)
        rigg.drep("a")  # SIGKILL while sending
        rigg.arbeider("a", trader=4)
    postkasse.pause_rcpt = 0
    slutt = time.monotonic()
    vent_til(alle_levert(postkasse, N), sekunder=120, hva="alt levert etter drap", rigg=rigg)
    r = regnskap("worker killed mid-send, 5 times", postkasse, slutt)
    assert (r["once"], r["lost"], r["doubled"]) == (N, 0, 0)
    assert r["recover"] < 120


def test_worker_killed_at_any_moment_of_the_conversation_five_times(rigg, styrbar_smtp):
    """As above, but the kill may also land after the message was handed over and before the server's answer:
    the undecidable case, where at most one more copy goes out, with the same Message-ID."""
    _, postkasse = styrbar_smtp
    # 0.2 s before the handover, and 20 ms between the final dot and the 250 (a server writing its queue file):
    # a kill in those 20 ms is the undecidable case.
    postkasse.pause_rcpt, postkasse.pause_svar = 0.2, 0.02
    rigg.arbeider("a", trader=4)
    rigg.beat()
    mote = MoteFactory()
    for i in range(N):
        overlever(mote, i)
    tilfeldig = random.Random(11)
    for _ in range(5):
        vent_til(lambda: postkasse.i_rcpt > 0, sekunder=60, hva="en sending i gang", rigg=rigg)
        time.sleep(tilfeldig.uniform(0, 0.4))
        rigg.drep("a")
        rigg.arbeider("a", trader=4)
    postkasse.pause_rcpt = postkasse.pause_svar = 0
    slutt = time.monotonic()
    vent_til(alle_levert(postkasse, N), sekunder=120, hva="alt levert etter drap", rigg=rigg)
    r = regnskap("worker killed at any moment, 5 times", postkasse, slutt,
                 merknad=f"at most {r_max(postkasse)} copies of a Message-ID")
    assert r["lost"] == 0
    assert r["max_copies"] <= 2, "at most one resend, with the same Message-ID"
    assert r["recover"] < 120


def test_two_workers_racing(rigg, styrbar_smtp):
    _, postkasse = styrbar_smtp
    rigg.arbeider("a")
    rigg.arbeider("b")
    rigg.beat()
    mote = MoteFactory()
    start = time.monotonic()
    for i in range(N):
        overlever(mote, i)
        # Every row is queued twice more, so both workers get each one: only the claim stands between them.
        services.legg_i_ko(list(Varsel.objects.filter(nokkel=f"overlevering-{i}").values_list("pk", flat=True)) * 2)
    vent_til(alle_levert(postkasse, N), sekunder=120, hva="alt levert", rigg=rigg)
    time.sleep(1)
    r = regnskap("two workers racing (each row queued 3 times)", postkasse, start)
    assert (r["once"], r["lost"], r["doubled"]) == (N, 0, 0)


def test_with_beat_down_the_workers_sweep_and_health_shows_it(rigg, styrbar_smtp, client, settings):
    _, postkasse = styrbar_smtp
    settings.VARSEL_FEIE_SEKUNDER = 1
    rigg.arbeider("a", pool="prefork", trader=2)  # production's pool: the sweep is asked for on its event loop
    mote = MoteFactory()
    # The worker is up and has swept at start; from now on only its timer can start a sweep.
    vent_til(lambda: Feiing.objects.filter(sist_feiet__isnull=False).exists(), sekunder=60, hva="oppstart",
             rigg=rigg)
    time.sleep(2)
    start = time.monotonic()
    for i in range(N):
        # Rows that were never queued (as if the broker lost them): only a sweeper can find them.
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(services, "legg_i_ko", lambda ids: 0)
            overlever(mote, i)
    vent_til(alle_levert(postkasse, N), sekunder=60, hva="alt levert uten beat", rigg=rigg)
    helse = client.get("/helse/").json()
    assert (helse["feier"], helse["beat"]) == ("ok", "borte")
    r = regnskap("beat down, rows never queued (a prefork worker sweeps)", postkasse, start)
    assert (r["once"], r["lost"], r["doubled"]) == (N, 0, 0)
