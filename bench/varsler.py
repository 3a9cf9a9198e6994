"""Benchmark: how long from a hand-off's commit until its e-mail reaches the SMTP server, through a real
Redis, a real Celery worker process and PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/overgang .venv/bin/python bench/varsler.py

It builds a throwaway database (<name>_bench_varsler), starts its own redis-server on a free loopback port, an
SMTP server on loopback in this process and one worker (threads pool, production settings), then makes
BENCH_VARSLER_ANTALL hand-offs (default 200), one every BENCH_VARSLER_PAUSE_MS (default 50), each `notify`
in a transaction to one recipient. Prints p50/p95/max of hand-off → delivered, and of the hand-off itself.
"""

import logging
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overgang.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402

ANTALL = int(os.environ.get("BENCH_VARSLER_ANTALL", "200"))
PAUSE = int(os.environ.get("BENCH_VARSLER_PAUSE_MS", "50")) / 1000


def persentil(tider: list[float], p: float) -> float:
    tider = sorted(tider)
    k = (len(tider) - 1) * p / 100
    f = int(k)
    return tider[f] if f + 1 >= len(tider) else tider[f] + (tider[f + 1] - tider[f]) * (k - f)


def main() -> None:
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO
    if connection.vendor != "postgresql":
        sys.exit("Sett DATABASE_URL til en PostgreSQL-server: arbeideren må dele databasen.")
    from tests.conftest import database_url
    from tests.feil.rigg import EgenRedis, Rigg
    from tests.tjenester import celery_broker
    from tests.varsler.smtp import start_smtp

    settings.DATABASES["default"]["TEST"]["NAME"] = settings.DATABASES["default"]["NAME"] + "_bench_varsler"
    runner = DiscoverRunner(verbosity=0)
    gamle = runner.setup_databases()
    mappe = tempfile.TemporaryDirectory()
    redis = EgenRedis(Path(mappe.name))
    redis.start()
    controller, postkasse = start_smtp()
    rigg = Rigg(mappe=Path(mappe.name), database_url=database_url(), broker_url=redis.url, smtp_port=controller.port)
    # Production's timing, not the fault tests' compressed clock.
    for navn in ("VARSEL_LEASE_SEKUNDER", "VARSEL_FEIE_SEKUNDER", "VARSEL_FEIER_VENT_SEKUNDER",
                 "VARSEL_BACKOFF_SEKUNDER", "VARSEL_BACKOFF_MAKS_SEKUNDER", "EMAIL_TIMEOUT"):
        rigg.env.pop(navn, None)
    try:
        from overgang.varsler.models import Varsel
        from overgang.varsler.services import notify
        from tests.factories import MoteFactory

        mote = MoteFactory()
        rigg.arbeider("bench", trader=8)
        with celery_broker(redis.url):
            # Warm up: the worker is ready when its first e-mail arrives.
            with transaction.atomic():
                notify("test", mote, ["oppvarming@example.no"], nokkel="oppvarming")
            frist = time.monotonic() + 60
            while not postkasse.meldinger:
                if time.monotonic() > frist:
                    sys.exit("Arbeideren leverte ikke innen 60 s:\n" + rigg.logg())
                time.sleep(0.05)
            commit: dict[str, float] = {}
            overlevering: list[float] = []
            for i in range(ANTALL):
                start = time.monotonic()
                with transaction.atomic():
                    [varsel] = notify("test", mote, [f"m{i}@example.no"], nokkel=f"bench-{i}")
                    # The moment of commit is when the hand-off is done; on_commit queues after it.
                    transaction.on_commit(lambda v=varsel: commit.__setitem__(v.message_id, time.monotonic()))
                overlevering.append(time.monotonic() - start)
                time.sleep(PAUSE)
            frist = time.monotonic() + 120
            while len(postkasse.meldinger) < ANTALL + 1 and time.monotonic() < frist:
                time.sleep(0.05)
        mottatt = {m.message_id: m.tid for m in postkasse.meldinger}
        tider = [mottatt[mid] - t for mid, t in commit.items() if mid in mottatt]
        tapt = ANTALL - len(tider)
        sendt = Varsel.objects.filter(status=Varsel.Status.SENDT).count()
        print(f"varsler: {ANTALL} hand-offs, one every {PAUSE * 1000:.0f} ms, 1 worker (threads, 8), own Redis, "
              f"PostgreSQL, SMTP on loopback")
        print(f"  hand-off → delivered: p50 {persentil(tider, 50) * 1000:.0f} ms, "
              f"p95 {persentil(tider, 95) * 1000:.0f} ms, max {max(tider) * 1000:.0f} ms "
              f"(mean {statistics.mean(tider) * 1000:.0f} ms)")
        print(f"  the hand-off itself (notify + commit + queueing): p50 {persentil(overlevering, 50) * 1000:.1f} ms, "
              f"p95 {persentil(overlevering, 95) * 1000:.1f} ms")
        print(f"  delivered {len(tider)}, not delivered in 120 s {tapt}, rows marked sent {sendt - 1}")
    finally:
        rigg.stopp_alle()
        controller.stop()
        redis.stopp()
        connection.close()
        runner.teardown_databases(gamle)


if __name__ == "__main__":
    main()
