"""The case page's letters after they left: the statuses its script polls, and the officer's record of why a letter
did not arrive. Kept beside saker.views (which is full); the same rules: load through `hent_sak` (outsiders get
404), then check who may act (403), POST-only for changes."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST, require_safe

from overgang.organisasjon.models import Rolle
from overgang.organisasjon.tilgang import krever_rolle

from . import levering, services
from .models import Part, Sak
from .selectors import er_saksbehandler_for, hent_sak


class ForklaringForm(forms.Form):
    grunn = forms.CharField(
        label="Hvorfor ble brevet ikke levert, og hva har du gjort i stedet?", max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Skriv hvorfor brevet ikke ble levert, eller hva du har gjort i stedet.",
                        "max_length": "Skriv kortere: høyst 2000 tegn."},
    )


@require_safe
@login_required
def forsendelser_status(request: HttpRequest, pk: int) -> JsonResponse:
    """The stored status of each letter the case sent through SvarUt, for whoever may see the case."""
    sak = hent_sak(request.user, pk)
    return JsonResponse(levering.statuser(sak))


@require_POST
@krever_rolle(Rolle.SAKSBEHANDLER)
def forsendelse_forklar(request: HttpRequest, pk: int, part_pk: int) -> HttpResponse:
    sak: Sak = hent_sak(request.user, pk)
    if not er_saksbehandler_for(request.user, sak):
        raise PermissionDenied("Bare saksbehandleren for saken kan gjøre dette.")
    part = get_object_or_404(Part, sak=sak, pk=part_pk)
    form = ForklaringForm(request.POST)
    if not form.is_valid():
        for feil in form.errors.values():
            for melding in feil:
                messages.error(request, melding)
    else:
        try:
            services.forsendelse_forklar(part=part, av=request.user, grunn=form.cleaned_data["grunn"])
        except services.SakFeil as feil:
            messages.error(request, str(feil))
        else:
            sak.refresh_from_db(fields=["status"])
            if sak.status == Sak.Status.AVSLUTTET:
                messages.success(request, "Forklaringen er registrert. Alle brevene er levert eller forklart, så "
                                          "saken er avsluttet, og politisk sekretariat har fått beskjed.")
            else:
                messages.success(request, f"Forklaringen for brevet til {part.navn} er registrert.")
    return redirect(f"{sak.get_absolute_url()}#forsendelser")
