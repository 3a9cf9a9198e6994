"""Sign-in and response hardening that no library does for us: the idle timeout and the working-day session,
and the headers that keep case content out of caches and switch off browser features the app never uses.
(Lockout after failed sign-ins is django-axes; the Content-Security-Policy is django-csp: see settings.)"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Browser features Overgang never uses; a page cannot switch them on, even if someone slips content in.
PERMISSIONS_POLICY = ", ".join(f"{f}=()" for f in (
    "accelerometer", "camera", "geolocation", "gyroscope", "magnetometer", "microphone", "payment", "usb",
    "interest-cohort", "browsing-topics"))


class OktMiddleware:
    """Sign a user out after `SESSION_INAKTIV_MINUTTER` without a request, and after `SESSION_MAKS_TIMER`
    whatever they do (a working day), so a forgotten session on a shared office PC does not stay open."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            naa = time.time()
            sist = request.session.get("sist_aktiv", 0)
            start = request.session.get("innlogget", 0)
            if naa - sist > settings.SESSION_INAKTIV_MINUTTER * 60 or naa - start > settings.SESSION_MAKS_TIMER * 3600:
                logout(request)
                # Read by the sign-in with the municipality's account (overgang.innlogging), which then asks the
                # provider for the password again rather than reusing the provider's session on this PC.
                request.session["utlogget_inaktiv"] = True
                messages.info(request, "Du ble logget ut fordi du ikke hadde vært aktiv på en stund. Logg inn igjen.")
                return redirect_to_login(request.get_full_path())
            # Written at most once a minute, so a page does not pay for a session write on every request.
            if naa - sist > 60:
                request.session["sist_aktiv"] = naa
        return self.get_response(request)


@receiver(user_logged_in)
def _start_okt(sender, request: HttpRequest, user, **kwargs) -> None:
    """A new session starts its working day and its idle clock at sign-in."""
    if request is not None and hasattr(request, "session"):
        request.session["innlogget"] = request.session["sist_aktiv"] = time.time()


class IkkeTillattMiddleware:
    """Django answers a GET on a POST-only address with a blank 405; people get a Norwegian page that says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and not response.content and request.method != "HEAD":
            side = render(request, "405.html", status=405)
            side["Allow"] = response.get("Allow", "")
            return side
        return response


class HoderMiddleware:
    """Case content is never stored by a browser or a proxy (`Cache-Control: no-store` on every response to a
    signed-in user: pages and downloads), and browser features are switched off (Permissions-Policy)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response["Cache-Control"] = "no-store, private"
        return response
