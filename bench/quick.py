"""Benchmark: how fast the busiest pages answer with realistic data volumes.

    make bench-quick                # SQLite in a temporary file
    DATABASE_URL=postgres://... make bench-quick

Prints, per page, the median and 95th percentile response time over repeated requests and the number of
queries per request. It builds its own database (a temporary SQLite file, or the test database of
DATABASE_URL), so it never touches real data.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overgang.settings.test")
_tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ANTALL_SAKER = int(os.environ.get("BENCH_SAKER", "1000"))
GJENTAKELSER = int(os.environ.get("BENCH_GJENTAKELSER", "30"))


def lag_data():
    from saker.models import Sak
    from tests.factories import (
        BrukerFactory,
        KommunalomradeFactory,
        MoteFactory,
        MotelistepunktFactory,
        RegistreringFactory,
        SakFactory,
        SakslistepunktFactory,
        UtvalgFactory,
    )

    # Five sectors share the cases, as in the municipality: a director sees one sector's, the secretariat all.
    omrader = [KommunalomradeFactory(navn=f"Kommunalområde {i}") for i in range(5)]
    saksbehandlere = [BrukerFactory.saksbehandler(kommunalomrade=o) for o in omrader]
    sara = saksbehandlere[0]
    kari = BrukerFactory.godkjenner(username="kari", kommunalomrade=omrader[0])
    siri = BrukerFactory.sekretariat(username="siri")
    utvalg = UtvalgFactory()
    moter = [MoteFactory(utvalg=utvalg) for _ in range(4)]
    statuser = [Sak.Status.UTKAST, Sak.Status.TIL_GODKJENNING, Sak.Status.GODKJENT, Sak.Status.SENDT_SEKRETARIAT]
    for i in range(ANTALL_SAKER):
        status = statuser[i % len(statuser)]
        sak = SakFactory(saksbehandler=saksbehandlere[i % 5], status=status, rute=[utvalg], hoveddokument=False)
        if status in {Sak.Status.GODKJENT, Sak.Status.SENDT_SEKRETARIAT}:
            mote = moter[i % len(moter)]
            MotelistepunktFactory(mote=mote, sak=sak, lagt_til_av=sara)
            if status == Sak.Status.SENDT_SEKRETARIAT:
                RegistreringFactory(sak=sak, registrert_av=siri)
                SakslistepunktFactory(mote=mote, sak=sak, lagt_til_av=siri)
    return {"sara": sara, "kari": kari, "siri": siri, "mote": moter[0]}


def mal(client, url: str) -> tuple[float, float, int]:
    client.get(url)  # warm caches and templates
    tider = []
    for _ in range(GJENTAKELSER):
        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        tider.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    tider.sort()
    return statistics.median(tider), tider[int(len(tider) * 0.95) - 1], len(queries)


def main() -> None:
    from django.test import Client
    from django.urls import reverse

    runner = DiscoverRunner(verbosity=0)
    old = runner.setup_databases()
    try:
        start = time.perf_counter()
        personer = lag_data()
        print(f"Database: {connection.vendor}; {ANTALL_SAKER} saker laget på {time.perf_counter() - start:.1f} s; "
              f"{GJENTAKELSER} forespørsler per side.")
        sider = [
            ("sara", "Mine saker", reverse("saker:start")),
            ("kari", "Til godkjenning", reverse("godkjenning:start")),
            ("kari", "Møtelister", reverse("godkjenning:motelister")),
            ("siri", "Kommende møter (med kontroll)", reverse("sekretariat:start")),
            ("siri", "Innkomne saker", reverse("sekretariat:innkomne")),
            ("siri", "Saksliste for ett møte", reverse("sekretariat:mote", args=[personer["mote"].pk])),
            ("siri", "Kontroll for ett møte", reverse("sekretariat:kontroll", args=[personer["mote"].pk])),
        ]
        print(f"{'side':<32}{'median ms':>11}{'p95 ms':>9}{'spørringer':>12}")
        for bruker, navn, url in sider:
            client = Client()
            client.force_login(personer[bruker])
            median, p95, antall = mal(client, url)
            print(f"{navn:<32}{median:>11.1f}{p95:>9.1f}{antall:>12}")
    finally:
        runner.teardown_databases(old)
        settings.DEBUG = False


if __name__ == "__main__":
    main()
