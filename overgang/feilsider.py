"""Error pages Django would otherwise answer in English. 403, 404 and 500 are templates (templates/403.html …);
405 comes from overgang.sikkerhet; a refused CSRF check lands here (CSRF_FAILURE_VIEW)."""

import logging

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

logger = logging.getLogger(__name__)


def csrf_feil(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The form was sent without a valid security token: most often a page left open past the session, or
    opened in another tab before signing in again. Nothing was saved; the person goes back and sends it again."""
    logger.warning("CSRF avvist for %s: %s", request.path, reason)
    return render(request, "403_csrf.html", status=403)
