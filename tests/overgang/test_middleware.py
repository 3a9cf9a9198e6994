import io

import pytest

from overgang.middleware import MARGIN_BYTE, MaksStorrelseMiddleware

pytestmark = pytest.mark.django_db


class UlesbarKropp(io.RawIOBase):
    """A request body that fails the test if anyone reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def test_an_upload_declared_over_the_case_limit_is_refused_before_its_body_is_read(client, saksbehandler,
                                                                                   settings):
    settings.MAKS_SAKSTORRELSE_MB = 1
    client.force_login(saksbehandler)
    for_stor = 1024 * 1024 + MARGIN_BYTE + 1
    response = client.generic(
        "POST", "/saker/ny/", b"", content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(for_stor), **{"wsgi.input": UlesbarKropp()},
    )
    assert response.status_code == 413
    html = response.content.decode()
    assert "For stor forespørsel" in html
    assert "1 MB" in html
    assert '<html lang="nb">' in html


def test_a_request_within_the_limit_passes(rf, settings):
    settings.MAKS_SAKSTORRELSE_MB = 1
    sett = []
    middleware = MaksStorrelseMiddleware(lambda request: sett.append(request) or "svar")
    request = rf.post("/saker/ny/", data=b"x" * 100, content_type="application/octet-stream")
    request.META["CONTENT_LENGTH"] = str(1024 * 1024 + MARGIN_BYTE)
    assert middleware(request) == "svar"
    assert sett == [request]


@pytest.mark.parametrize("lengde", ["", "abc"])
def test_a_missing_or_malformed_length_is_left_to_django(rf, lengde):
    middleware = MaksStorrelseMiddleware(lambda request: "svar")
    request = rf.get("/")
    request.META["CONTENT_LENGTH"] = lengde
    assert middleware(request) == "svar"


def test_the_middleware_runs_before_anything_reads_the_body(settings):
    middleware = list(settings.MIDDLEWARE)
    posisjon = middleware.index("overgang.middleware.MaksStorrelseMiddleware")
    for leser in ["django.middleware.csrf.CsrfViewMiddleware", "django.contrib.sessions.middleware.SessionMiddleware"]:
        assert posisjon < middleware.index(leser)
