from .models import Rolle


def roller(request) -> dict:
    """Which parts of the navigation the signed-in user may use."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "er_saksbehandler": user.har_rolle(Rolle.SAKSBEHANDLER),
        "er_godkjenner": user.har_rolle(Rolle.GODKJENNER),
        "er_sekretariat": user.har_rolle(Rolle.SEKRETARIAT),
    }
