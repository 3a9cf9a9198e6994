import pytest

from tests.factories import UtvalgFactory


@pytest.fixture
def fsk(db):
    return UtvalgFactory(navn="Formannskapet", kode="FSK")


@pytest.fixture
def kst(db):
    return UtvalgFactory(navn="Kommunestyret", kode="KST")
