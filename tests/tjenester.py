"""Tests that need a real service skip when it is absent, unless REQUIRE_SERVICES is set (as in CI):
then an absent service fails the test instead of hiding it."""

import contextlib
import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.db import connection

REQUIRE_SERVICES = bool(os.environ.get("REQUIRE_SERVICES"))


def mangler(grunn: str) -> None:
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES er satt, men {grunn}")
    pytest.skip(grunn)  # reached only when REQUIRE_SERVICES is unset


def svarer(url: str, standardport: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or standardport), timeout=1):
            return True
    except OSError:
        return False


def krev_redis(url: str) -> None:
    if not svarer(url, 6379):
        mangler(f"Redis svarer ikke på {url}")


def krev_postgresql() -> None:
    if connection.vendor != "postgresql":
        mangler("testene kjører ikke mot PostgreSQL (sett DATABASE_URL)")


def krev_chromium() -> str:
    sti = os.environ.get("CHROMIUM", "/usr/bin/chromium")
    if not shutil.which(sti):
        mangler(f"Chromium finnes ikke på {sti}")
    return sti


@contextlib.contextmanager
def celery_broker(url: str):
    """Make this process publish tasks to a real broker at `url` instead of running them in-process."""
    from overgang import celery_app

    def reset_pools():
        # Celery caches the connection and producer pools; drop both so the new URL is used.
        celery_app._pool = None
        celery_app.amqp._producer_pool = None

    gammel = celery_app.conf.task_always_eager, celery_app.conf.broker_url
    celery_app.conf.update(task_always_eager=False, broker_url=url)
    reset_pools()
    try:
        yield
    finally:
        celery_app.conf.update(task_always_eager=gammel[0], broker_url=gammel[1])
        reset_pools()


def krev_node() -> tuple[str, str]:
    """Debian's node and npm, for the OpenID Connect provider of tests/oidc/ (the npm package oidc-provider)."""
    node = os.environ.get("NODE", "/usr/bin/node")
    npm = shutil.which("npm")
    if not shutil.which(node) or not npm:
        mangler(f"node ({node}) eller npm finnes ikke (Debian: apt-get install nodejs npm)")
    return node, npm


def krev_clamd() -> str:
    sti = os.environ.get("CLAMD", "/usr/sbin/clamd")
    if not shutil.which(sti):
        mangler(f"clamd finnes ikke på {sti} (Debian: apt-get install clamav-daemon)")
    return sti


@contextlib.contextmanager
def clamd_prosess(mappe, signaturer: dict[str, str]):
    """A clamd of our own on a unix socket in `mappe`, with only the signature files given (name -> text),
    since no signature download is possible here. Yields the socket's path."""
    import subprocess
    import time
    from pathlib import Path

    mappe = Path(mappe)
    (mappe / "db").mkdir(parents=True, exist_ok=True)
    for navn, tekst in signaturer.items():
        (mappe / "db" / navn).write_text(tekst)
    sokkel = mappe / "clamd.sock"
    konfig = mappe / "clamd.conf"
    konfig.write_text(
        f"LocalSocket {sokkel}\nDatabaseDirectory {mappe / 'db'}\nForeground yes\nLogFile {mappe / 'clamd.log'}\n"
        f"TemporaryDirectory {mappe}\nStreamMaxLength 100M\nSelfCheck 0\n"
    )
    prosess = subprocess.Popen([krev_clamd(), "-c", str(konfig)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            if sokkel.exists() or prosess.poll() is not None:
                break
            time.sleep(0.1)
        if not sokkel.exists():
            logg = (mappe / "clamd.log").read_text() if (mappe / "clamd.log").exists() else ""
            pytest.fail(f"clamd startet ikke:\n{logg}")
        yield str(sokkel)
    finally:
        prosess.terminate()
        try:
            prosess.wait(timeout=10)
        except subprocess.TimeoutExpired:
            prosess.kill()


def krev_libreoffice() -> str:
    """LibreOffice's soffice, as the app finds it (setting LIBREOFFICE; Debian: libreoffice-writer-nogui)."""
    from django.conf import settings

    sti = shutil.which(settings.LIBREOFFICE)
    if not sti:
        mangler(f"LibreOffice finnes ikke ({settings.LIBREOFFICE}; Debian: apt-get install libreoffice-writer-nogui)")
    return sti


def krev_msgfmt() -> str:
    """GNU gettext's msgfmt, which compiles the project's catalog (locale/nb); Debian's package `gettext`."""
    sti = shutil.which("msgfmt")
    if not sti:
        mangler("msgfmt (gettext) finnes ikke")
    return sti
