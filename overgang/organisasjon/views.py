from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .models import Rolle

# The start page each role lands on, in order of precedence for users with several roles.
STARTSIDER = [
    (Rolle.SEKRETARIAT, "sekretariat:start"),
    (Rolle.GODKJENNER, "godkjenning:start"),
    (Rolle.SAKSBEHANDLER, "saker:start"),
]


@login_required
def start(request):
    for rolle, url in STARTSIDER:
        if request.user.har_rolle(rolle):
            return redirect(url)
    if request.user.is_staff:
        return redirect("admin:index")
    return render(request, "organisasjon/ingen_rolle.html", status=403)
