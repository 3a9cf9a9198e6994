"""Refuse an upload that is too large before its body is read.

Django streams uploads to disk, but it only learns that a case's files are over the limit after all of them
have arrived. A request that declares a Content-Length over the case's limit (plus a margin for the form's
other fields and the multipart boundaries) is answered at once with 413, so the worker is not tied up reading
hundreds of megabytes it will throw away. The proxy in front should cap it too (nginx: client_max_body_size).
"""

from django.conf import settings
from django.http import HttpResponse

# Room for the form's text fields and the multipart headers around each file.
MARGIN_BYTE = 2 * 1024 * 1024

SIDE_413 = """<!doctype html>
<html lang="nb">
<head><meta charset="utf-8"><title>For stor forespørsel – Overgang</title></head>
<body>
<h1>For stor forespørsel</h1>
<p>Filene er til sammen større enn {grense} MB, som er det største en sak kan ha. Forespørselen ble avvist
før den ble lest. Gå tilbake, fjern eller komprimer noen filer, og prøv igjen.</p>
</body>
</html>
"""


def maks_byte() -> int:
    return settings.MAKS_SAKSTORRELSE_MB * 1024 * 1024 + MARGIN_BYTE


class MaksStorrelseMiddleware:
    """Answer 413 to a request whose declared body is over the limit, without reading the body."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            lengde = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            lengde = 0  # Django treats a malformed length as an empty body; nothing to refuse here
        if lengde > maks_byte():
            response = HttpResponse(SIDE_413.format(grense=settings.MAKS_SAKSTORRELSE_MB), status=413,
                                    content_type="text/html; charset=utf-8")
            # No "Connection: close" here: it is a hop-by-hop header WSGI forbids. Gunicorn's sync workers
            # close the connection after every response, so the unread body is never read.
            return response
        return self.get_response(request)
