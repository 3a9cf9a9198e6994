import pytest

from tests.conftest import database_url
from tests.feil.rigg import EgenRedis, Rigg
from tests.tjenester import celery_broker, krev_postgresql

RESULTATER: list[str] = []


@pytest.fixture
def egen_redis(tmp_path):
    r = EgenRedis(tmp_path)
    r.start()
    yield r
    r.stopp()


@pytest.fixture
def rigg(transactional_db, egen_redis, styrbar_smtp, tmp_path):
    """Workers and beat against the test database, our own Redis and the controllable SMTP server; this
    process publishes to the same Redis. Torn down before the database is flushed."""
    krev_postgresql()
    controller, _ = styrbar_smtp
    r = Rigg(mappe=tmp_path, database_url=database_url(), broker_url=egen_redis.url, smtp_port=controller.port)
    with celery_broker(egen_redis.url):
        try:
            yield r
        finally:
            r.stopp_alle()
            print(r.logg())


def pytest_terminal_summary(terminalreporter):
    if RESULTATER:
        terminalreporter.section("levering under feil")
        terminalreporter.write_line("fault | sent, delivered once, lost, doubled, seconds to recover")
        for linje in RESULTATER:
            terminalreporter.write_line(linje)
