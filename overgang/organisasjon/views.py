import functools
import tomllib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from . import selectors, services
from .forms import FravaerForm
from .models import Rolle
from .tilgang import krever_rolle

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


@require_http_methods(["GET", "HEAD", "POST"])
@krever_rolle(*Rolle.values)
def fravaer(request: HttpRequest) -> HttpResponse:
    """Fravær og stedfortreder: the user's own periods and whom they stand in for; POST sets a new period."""
    form = FravaerForm(request.POST if request.method == "POST" else None, person=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            periode = services.fravaer_opprett(person=request.user, av=request.user, **form.cleaned_data)
        except services.FravaerFeil as feil:
            form.add_error(None, str(feil))
        else:
            messages.success(request, f"Fraværet er registrert: {periode.stedfortreder} står inn for deg "
                                      f"{periode.periode}.")
            return redirect("fravaer")
    egne, for_andre = selectors.fravaer_oversikt(request.user)
    return render(request, "organisasjon/fravaer.html", {"form": form, "egne": egne, "for_andre": for_andre},
                  status=400 if form.errors else 200)


@require_POST
@krever_rolle(*Rolle.values)
def fravaer_avslutt(request: HttpRequest) -> HttpResponse:
    pk = request.POST.get("fravaer", "")
    if not pk.isdigit():
        return HttpResponseBadRequest("Oppgi hvilket fravær som skal avsluttes.")
    periode = selectors.hent_eget_fravaer(request.user, int(pk))
    try:
        avsluttet = services.fravaer_avslutt(fravaer=periode, av=request.user)
    except services.FravaerFeil as feil:
        messages.error(request, str(feil))
    else:
        slutt = "er fjernet" if avsluttet is None else f"sluttet {avsluttet.til:%d.%m.%Y}"
        messages.success(request, f"Fraværet {slutt}. {periode.stedfortreder} står ikke lenger inn for deg.")
    return redirect("fravaer")
