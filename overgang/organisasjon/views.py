import functools
import tomllib

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from .models import Rolle

# The start page each role lands on, in order of precedence for users with several roles.
STARTSIDER = [
    (Rolle.SEKRETARIAT, "sekretariat:start"),
    (Rolle.GODKJENNER, "godkjenning:start"),
    (Rolle.SAKSBEHANDLER, "saker:start"),
]


@require_safe
@login_required
def start(request):
    for rolle, url in STARTSIDER:
        if request.user.har_rolle(rolle):
            return redirect(url)
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "organisasjon/ingen_rolle.html", status=403)


@functools.cache
def versjon() -> str:
    """The version in pyproject.toml, read once per process."""
    try:
        with open(settings.BASE_DIR / "pyproject.toml", "rb") as fil:
            return tomllib.load(fil)["project"]["version"]
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "ukjent"


@require_safe
@login_required
def om(request):
    """What Overgang is, its version and whom to ask: open to every signed-in user, whatever the role.
    Also the bench's floor page: the lightest page that renders the base template."""
    return render(request, "organisasjon/om.html", {
        "versjon": versjon(),
        "sekretariat_epost": settings.SEKRETARIAT_EPOST,
    })
