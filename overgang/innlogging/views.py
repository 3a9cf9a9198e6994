import logging
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.contrib import auth, messages
from django.contrib.auth.views import LoginView
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.views import View
from django.views.decorators.http import require_POST, require_safe
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from .leverandor import LeverandorUtilgjengelig, er_aktiv, oppdagelse
from .services import IngenRolle

logger = logging.getLogger(__name__)

SVARER_IKKE = ("Kommunens innlogging svarer ikke akkurat nå. Prøv igjen om litt. Hvis det haster, kontakt "
               "IT-brukerstøtte.")
IKKE_FULLFORT = "Innloggingen kunne ikke fullføres. Start innloggingen på nytt."


def mislyktes(request: HttpRequest, melding: str, status: int) -> HttpResponse:
    return render(request, "innlogging/mislyktes.html", {"melding": melding}, status=status)


class InnloggingView(LoginView):
    """The login page: the button to the municipality's account when it is set up, and the password form while
    local sign-in is on. The break-glass page (`nodinngang`) always has the form; with LOKAL_INNLOGGING off the
    password backend then takes only a superuser."""

    redirect_authenticated_user = True
    nodinngang = False

    def lokal(self) -> bool:
        return settings.LOKAL_INNLOGGING or self.nodinngang

    def post(self, request, *args, **kwargs):
        if not self.lokal():
            return mislyktes(request, "Innlogging med passord er slått av. Logg inn med kommunens konto.", 403)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, oidc=er_aktiv(), lokal=self.lokal(), nodinngang=self.nodinngang)


class StartView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider with state, nonce and a PKCE challenge (kept in the session)."""

    def __init__(self, **kwargs):
        # The library's constructor reads the endpoint from settings; ours comes from discovery in get().
        View.__init__(self, **kwargs)

    def get(self, request):
        if not er_aktiv():
            return redirect("login")
        try:
            self.OIDC_OP_AUTH_ENDPOINT = oppdagelse()["authorization_endpoint"]
        except LeverandorUtilgjengelig as feil:
            logger.error("OIDC: %s", feil)
            return mislyktes(request, SVARER_IKKE, 502)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        return super().get(request)

    def get_extra_params(self, request) -> dict:
        # A session ended for inactivity (overgang.sikkerhet) may have been left on a shared PC: the provider must
        # ask for the password again instead of signing the next person in on the old session.
        if request.session.pop("utlogget_inaktiv", False):
            return {"prompt": "login"}
        return {}


class CallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back. The library checks the state against the session, sends the
    code with the PKCE verifier, and hands the ID token to OidcBackend; every refusal here gets a Norwegian page."""

    def get(self, request):
        if not er_aktiv():
            return redirect("login")
        try:
            return super().get(request)
        except SuspiciousOperation as feil:  # an unknown state, a bad signature, a wrong nonce, an expired token
            logger.warning("OIDC sign-in refused: %s", feil)
            return mislyktes(request, IKKE_FULLFORT, 400)
        except requests.HTTPError as feil:  # the provider refused the code (used, expired, wrong verifier)
            logger.warning("OIDC token request refused: %s", feil)
            return mislyktes(request, IKKE_FULLFORT, 400)
        except (requests.RequestException, LeverandorUtilgjengelig) as feil:
            logger.error("OIDC provider unreachable: %s", feil)
            return mislyktes(request, SVARER_IKKE, 502)

    def login_failure(self):
        avvist = getattr(self.request, "innlogging_avvist", None)
        if isinstance(avvist, IngenRolle):
            self.request.session["ingen_rolle_navn"] = avvist.navn
            return redirect("innlogging:ingen_rolle")
        if avvist is not None:
            return mislyktes(self.request, str(avvist), 403)
        if self.request.GET.get("error") == "access_denied":
            return mislyktes(self.request, "Innloggingen ble avbrutt.", 400)
        return mislyktes(self.request, IKKE_FULLFORT, 400)


@require_safe
def ingen_rolle(request):
    return render(request, "innlogging/ingen_rolle.html", {"navn": request.session.get("ingen_rolle_navn", "")})


def utloggings_url(request: HttpRequest) -> str:
    """Where the browser goes after signing out here: to the provider's end_session_endpoint (RP-initiated
    logout) when the session came from it, so the provider's session ends too and the next sign-in asks for the
    password; back to the login page otherwise."""
    tilbake = resolve_url(settings.LOGOUT_REDIRECT_URL)
    id_token = request.session.get("oidc_id_token")
    if not (id_token and er_aktiv()):
        return tilbake
    try:
        endepunkt = oppdagelse().get("end_session_endpoint")
    except LeverandorUtilgjengelig as feil:
        logger.error("OIDC: %s", feil)
        endepunkt = None
    if not endepunkt:
        messages.warning(request, "Du er logget ut av Overgang, men ikke fra kommunens innlogging. Lukk nettleseren "
                                  "hvis andre bruker maskinen.")
        return tilbake
    return f"{endepunkt}?" + urlencode({
        "id_token_hint": id_token,
        "post_logout_redirect_uri": request.build_absolute_uri(reverse("login")),
        "client_id": settings.OIDC_RP_CLIENT_ID,
    })


@require_POST
def logg_ut(request):
    url = utloggings_url(request)  # before logout() empties the session that holds the ID token
    auth.logout(request)
    return redirect(url)
