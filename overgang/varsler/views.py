import logging

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe

from overgang.organisasjon.models import Rolle

from . import selectors
from .forms import VarslingsvalgForm
from .models import Varslingsvalg
from .services import lagre_varslingsvalg, tilstand

logger = logging.getLogger(__name__)


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:
        logger.exception("Helsesjekk: databasen svarer ikke")
        return "feil"


def _broker() -> str:
    url = settings.CELERY_BROKER_URL
    if not url:
        return "ikke i bruk"  # tasks run in-process (development)
    try:
        if url.startswith(("redis://", "rediss://")):
            redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1).ping()
        else:
            from overgang.celery import app

            with app.connection_for_write(connect_timeout=1) as conn:
                conn.ensure_connection(max_retries=1)
        return "ok"
    except Exception:
        logger.warning("Helsesjekk: megleren svarer ikke", exc_info=True)
        return "feil"


@never_cache
@require_GET
def helse(request):
    """For monitoring: no login, and nothing in the answer that tells an outsider about cases or people.
    503 when the database or the broker does not answer, or no sweeper has run for three intervals; beat's
    absence alone is shown but not an error, since the workers sweep without it."""
    database = _database()
    svar = {"database": database, "broker": _broker()}
    if database == "ok":
        svar.update(selectors.helse())
    frisk = database == "ok" and svar["broker"] != "feil" and svar.get("feier") == "ok"
    return JsonResponse(svar, status=200 if frisk else 503)


@require_safe
@login_required
def status(request):
    """The secretariat's and administrators' view of e-mail that failed or is late. Read-only: resending is
    done in the admin."""
    if not (request.user.is_staff or request.user.har_rolle(Rolle.SEKRETARIAT)):
        raise PermissionDenied("Du har ikke tilgang til denne siden.")
    return render(request, "varsler/status.html", {
        "tilstand": tilstand(), "rader": selectors.problemrader()[:100],
        "forsinket_minutter": settings.VARSEL_FORSINKET_MINUTTER,
    })


@login_required
def varslingsvalg(request):
    """Each person's own choice: immediate e-mail or a daily digest."""
    valg = Varslingsvalg.objects.filter(bruker=request.user).first()
    form = VarslingsvalgForm.fra(valg, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        lagre_varslingsvalg(bruker=request.user, **form.cleaned_data)
        messages.success(request, "Valget ditt er lagret.")
        return redirect("varsler:valg")
    return render(request, "varsler/varslingsvalg.html", {"form": form})
