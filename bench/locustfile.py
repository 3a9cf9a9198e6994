"""Locust users for one page: each simulated user has its own signed-in session and GETs its URL again and
again without pause. Run by bench/run.py, which passes:

    BENCH_SESJONER  a JSON file: [{"cookie": "sessionid=...", "url": "/saker/"}, ...], one per user
    BENCH_RAADATA   where to write every response time (ms) and the failures, for exact percentiles

The session cookie is sent as a plain header: production sets it Secure, and the bench talks plain HTTP on
loopback, so a cookie jar would not send it.
"""

import itertools
import json
import os
import time

from gevent import GreenletExit
from locust import FastHttpUser, constant, events, task

SESJONER = json.loads(open(os.environ["BENCH_SESJONER"], encoding="utf-8").read())  # noqa: SIM115
_neste = itertools.count()
TIDER: list[float] = []
FEIL: list[str] = []
# Requests still waiting when the run stopped, with how long they had waited (ms): a lower bound of their time.
AVBRUTT: list[float] = []


@events.request.add_listener
def _registrer(response_time, exception, response=None, **kwargs):
    if exception is None:
        TIDER.append(response_time)
    else:
        FEIL.append(f"{type(exception).__name__}: {str(exception)[:200]}")


@events.quitting.add_listener
def _skriv(environment, **kwargs):
    with open(os.environ["BENCH_RAADATA"], "w", encoding="utf-8") as fil:
        json.dump({"tider_ms": TIDER, "feil": FEIL, "avbrutt_ms": AVBRUTT}, fil)


class Bruker(FastHttpUser):
    wait_time = constant(0)
    # A slow page queues behind three workers: wait for it rather than count a timeout as its time.
    network_timeout = 300.0
    connection_timeout = 300.0

    def on_start(self):
        sesjon = SESJONER[next(_neste) % len(SESJONER)]
        self.url = sesjon["url"]
        self.headers = {"Cookie": sesjon["cookie"]}

    @task
    def side(self):
        start = time.perf_counter()
        try:
            with self.client.get(self.url, headers=self.headers, name="side", allow_redirects=False,
                                 catch_response=True) as svar:
                if svar.status_code != 200:
                    svar.failure(f"HTTP {svar.status_code}")
        except GreenletExit:
            AVBRUTT.append((time.perf_counter() - start) * 1000)
            raise
