from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from overgang.organisasjon.models import Rolle
from overgang.organisasjon.tilgang import krever_rolle
from saker import services
from saker.models import Sak
from saker.selectors import hent_sak, kan_godkjenne, sak_detaljer, venter_pa

from .forms import GodkjennForm, ReturnerForm


@krever_rolle(Rolle.GODKJENNER)
def innboks(request):
    saker = (venter_pa(request.user).select_related("saksbehandler", "kommunalomrade", "godkjenner")
             .med_rute().order_by("status_endret"))
    return render(request, "godkjenning/innboks.html", {"saker": saker})


def _hent_sak_til_godkjenning(request, pk: int) -> Sak:
    sak = hent_sak(request.user, pk)
    if not kan_godkjenne(request.user, sak):
        raise PermissionDenied("Du kan ikke godkjenne saker fra dette kommunalområdet.")
    return sak


def _vis(request, sak: Sak, godkjenn_form=None, returner_form=None, status: int = 200):
    return render(request, "godkjenning/sak.html", {
        **sak_detaljer(sak),
        "venter": sak.status == Sak.Status.TIL_GODKJENNING,
        "godkjenn_form": godkjenn_form or GodkjennForm.for_sak(sak),
        "returner_form": returner_form or ReturnerForm(),
    }, status=status)


@krever_rolle(Rolle.GODKJENNER)
def sak(request, pk: int):
    return _vis(request, _hent_sak_til_godkjenning(request, pk))


@require_POST
@krever_rolle(Rolle.GODKJENNER)
def godkjenn(request, pk: int):
    sak = _hent_sak_til_godkjenning(request, pk)
    form = GodkjennForm(request.POST)
    if form.is_valid():
        try:
            services.sak_godkjenn(sak=sak, av=request.user, rute=form.cleaned_data["rute"],
                                  onsket_mote=form.cleaned_data["onsket_mote"],
                                  kommentar=form.cleaned_data["kommentar"])
        except services.SakFeil as feil:
            messages.error(request, str(feil))
        else:
            messages.success(request, f"«{sak.tittel}» er godkjent. Saksbehandleren er varslet.")
            return redirect("godkjenning:start")
    return _vis(request, sak, godkjenn_form=form, status=400 if form.errors else 409)


@require_POST
@krever_rolle(Rolle.GODKJENNER)
def returner(request, pk: int):
    sak = _hent_sak_til_godkjenning(request, pk)
    form = ReturnerForm(request.POST)
    if form.is_valid():
        try:
            services.sak_returner(sak=sak, av=request.user, kommentar=form.cleaned_data["kommentar"])
        except services.SakFeil as feil:
            messages.error(request, str(feil))
        else:
            messages.success(request, f"«{sak.tittel}» er sendt tilbake til {sak.saksbehandler}.")
            return redirect("godkjenning:start")
    return _vis(request, sak, returner_form=form, status=400 if form.errors else 409)
