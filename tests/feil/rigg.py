"""Real processes for the fault tests: a Redis of our own (so it can be stopped and frozen without touching
anyone else's), Celery workers and beat, talking to the test database and a controllable SMTP server.

Time is compressed with settings: a 3 s lease, a sweep every second, backoff from 0.5 s to 2 s, a 2 s SMTP
timeout. The processes run the real code paths; only the clock's scale differs from production.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.tjenester import mangler

ROOT = Path(__file__).resolve().parents[2]

KOMPRIMERT_TID = {
    "VARSEL_LEASE_SEKUNDER": "3",
    "VARSEL_FEIE_SEKUNDER": "1",
    "VARSEL_FEIER_VENT_SEKUNDER": "1",
    "VARSEL_BACKOFF_SEKUNDER": "0.5",
    "VARSEL_BACKOFF_MAKS_SEKUNDER": "2",
    "EMAIL_TIMEOUT": "2",
}


def ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EgenRedis:
    """A redis-server on a free loopback port, without persistence: a restart loses every queued task,
    as a broker that crashed would."""

    def __init__(self, mappe: Path):
        if not shutil.which("redis-server"):
            mangler("redis-server finnes ikke (trengs for å stoppe og fryse megleren)")
        self.port = ledig_port()
        self.mappe = mappe
        self.prosess: subprocess.Popen | None = None
        self.url = f"redis://127.0.0.1:{self.port}/14"

    def start(self) -> None:
        self.prosess = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.mappe)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        frist = time.monotonic() + 10
        while time.monotonic() < frist:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server startet ikke")

    def stopp(self) -> None:
        if self.prosess and self.prosess.poll() is None:
            self.prosess.send_signal(signal.SIGCONT)
            self.prosess.terminate()
            self.prosess.wait(10)

    def frys(self) -> None:
        """Accepts connections (the kernel does) and never answers."""
        self.prosess.send_signal(signal.SIGSTOP)

    def tin(self) -> None:
        self.prosess.send_signal(signal.SIGCONT)


class Rigg:
    def __init__(self, *, mappe: Path, database_url: str, broker_url: str, smtp_port: int):
        self.mappe = mappe
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "overgang.settings.base",
            "DEBUG": "false",
            "SECRET_KEY": "feiltest-key",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
            "SITE_URL": "https://overgang.example.no",
            "LOG_LEVEL": "WARNING",
            **KOMPRIMERT_TID,
        }
        self.prosesser: dict[str, subprocess.Popen] = {}
        self.logger: list[Path] = []

    def _start(self, navn: str, argumenter: list[str]) -> subprocess.Popen:
        logg = self.mappe / f"{navn}-{len(self.logger)}.log"
        self.logger.append(logg)
        with logg.open("w") as ut:
            # The log goes to a file: a pipe nobody reads would block a chatty process.
            p = subprocess.Popen([sys.executable, "-m", "celery", "-A", "overgang", *argumenter], cwd=ROOT,
                                 env=self.env, stdout=ut, stderr=subprocess.STDOUT)
        self.prosesser[navn] = p
        return p

    def arbeider(self, navn: str = "a", *, trader: int = 8, pool: str = "threads") -> subprocess.Popen:
        return self._start(navn, ["worker", f"--pool={pool}", f"--concurrency={trader}", "-n", f"{navn}@%h",
                                  "--loglevel=WARNING", "--without-gossip", "--without-mingle",
                                  "--without-heartbeat"])

    def beat(self) -> subprocess.Popen:
        return self._start("beat", ["beat", "--loglevel=WARNING", "-s", str(self.mappe / "beat-schedule")])

    def drep(self, navn: str) -> None:
        p = self.prosesser.pop(navn)
        p.kill()
        p.wait(10)

    def stopp_alle(self) -> None:
        for p in self.prosesser.values():
            p.terminate()
        for p in self.prosesser.values():
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)
        self.prosesser.clear()

    def logg(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-4000:]}" for p in self.logger)
