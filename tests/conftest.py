import pytest

from tests.factories import BrukerFactory, KommunalomradeFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def omrade(db):
    return KommunalomradeFactory(navn="Oppvekst og utdanning")


@pytest.fixture
def annet_omrade(db):
    return KommunalomradeFactory(navn="Helse og omsorg")


@pytest.fixture
def saksbehandler(omrade):
    return BrukerFactory.saksbehandler(username="sara", kommunalomrade=omrade)


@pytest.fixture
def godkjenner(omrade):
    return BrukerFactory.godkjenner(username="kari", kommunalomrade=omrade)


@pytest.fixture
def sekretar(db):
    return BrukerFactory.sekretariat(username="siri")


@pytest.fixture
def utenforstaende(annet_omrade):
    """A case officer from another sector: the outsider of most access tests."""
    return BrukerFactory.saksbehandler(username="ola", kommunalomrade=annet_omrade)
