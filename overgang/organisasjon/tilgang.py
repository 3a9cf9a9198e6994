"""Role checks for views. Object-level checks live with each object's selector (e.g. saker.selectors)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from overgang.feil import Feil

from .models import Bruker, Rolle


def krever_rolle(*roller: str) -> Callable:
    """Signed-in users without one of the roles get 403; anonymous users are sent to the login page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if not any(request.user.har_rolle(r) for r in roller):
                raise PermissionDenied("Du har ikke tilgang til denne siden.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# How a refusal names the people who hold a role: "Bare politisk sekretariat kan …".
_HVEM = {
    Rolle.SAKSBEHANDLER: "saksbehandlere",
    Rolle.GODKJENNER: "godkjennere",
    Rolle.SEKRETARIAT: "politisk sekretariat",
}


def sjekk_rolle(bruker: Bruker, rolle: str, handling: str, feil: type[Feil] = Feil) -> None:
    """The role check of a service (the view checked it too, but a service keeps its rules whoever calls it)."""
    if not bruker.har_rolle(rolle):
        raise feil(f"Bare {_HVEM[rolle]} kan {handling}.")
