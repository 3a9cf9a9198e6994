from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from overgang.feil import Feil
from overgang.organisasjon.models import Mote, Rolle
from overgang.organisasjon.selectors import star_inn_na
from overgang.organisasjon.tilgang import krever_rolle
from saker import services
from saker.models import Sak
from saker.selectors import handlinger, hent_sak, kan_godkjenne, sak_detaljer

from . import selectors
from . import services as liste_services
from .forms import GodkjennForm, ListeFjernForm, ListeFlyttForm, ListeLeggTilForm, ReturnerForm

SIDESTORRELSE = 50


@require_safe
@krever_rolle(Rolle.GODKJENNER)
def innboks(request: HttpRequest) -> HttpResponse:
    side = Paginator(selectors.innboks(request.user), SIDESTORRELSE).get_page(request.GET.get("side"))
    return render(request, "godkjenning/innboks.html", {"saker": side.object_list, "side": side,
                                                        "star_inn": star_inn_na(request.user)})


def _hent_sak_til_godkjenning(request: HttpRequest, pk: int) -> Sak:
    sak = hent_sak(request.user, pk)
    if not kan_godkjenne(request.user, sak):
        raise PermissionDenied("Du kan ikke godkjenne saker fra dette kommunalområdet.")
    return sak


def _vis(request: HttpRequest, sak: Sak, godkjenn_form: GodkjennForm | None = None,
         returner_form: ReturnerForm | None = None, status: int = 200) -> HttpResponse:
    return render(request, "godkjenning/sak.html", {
        **sak_detaljer(sak),
        "venter": handlinger(request.user, sak).venter_pa_godkjenning,
        "godkjenn_form": godkjenn_form or GodkjennForm.for_sak(sak),
        "returner_form": returner_form or ReturnerForm(),
    }, status=status)


@require_safe
@krever_rolle(Rolle.GODKJENNER)
def sak(request: HttpRequest, pk: int) -> HttpResponse:
    sak = _hent_sak_til_godkjenning(request, pk)
    if sak.unntatt_offentlighet and (hoved := sak.dokumenter.filter(rolle="hoveddokument", gjeldende=True).first()):
        # The page shows the saksframlegg's text beside the decision: a reading, recorded for an exempt case.
        hoved.sak = sak
        services.dokument_lest(dokument=hoved, av=request.user, hvordan="lest på godkjenningssiden")
    return _vis(request, sak)


@require_POST
@krever_rolle(Rolle.GODKJENNER)
def godkjenn(request: HttpRequest, pk: int) -> HttpResponse:
    sak = _hent_sak_til_godkjenning(request, pk)
    form = GodkjennForm(request.POST)
    if form.is_valid():
        mote = form.cleaned_data["onsket_mote"]
        try:
            liste_services.godkjenn_og_sett_pa_liste(sak=sak, av=request.user, rute=form.cleaned_data["rute"],
                                                     onsket_mote=mote, kommentar=form.cleaned_data["kommentar"])
        except Feil as feil:
            messages.error(request, str(feil))
        else:
            if mote is None:
                messages.success(request, f"«{sak.tittel}» er godkjent. Saksbehandleren er varslet.")
            else:
                messages.success(request, f"«{sak.tittel}» er godkjent og satt på listen til {mote}. "
                                          "Saksbehandleren og sekretariatet er varslet.")
            return redirect("godkjenning:start")
    return _vis(request, sak, godkjenn_form=form, status=400 if form.errors else 409)


@require_POST
@krever_rolle(Rolle.GODKJENNER)
def returner(request: HttpRequest, pk: int) -> HttpResponse:
    sak = _hent_sak_til_godkjenning(request, pk)
    form = ReturnerForm(request.POST)
    if form.is_valid():
        try:
            services.sak_returner(sak=sak, av=request.user, kommentar=form.cleaned_data["kommentar"])
        except Feil as feil:
            messages.error(request, str(feil))
        else:
            messages.success(request, f"«{sak.tittel}» er sendt tilbake til {sak.saksbehandler}.")
            return redirect("godkjenning:start")
    return _vis(request, sak, returner_form=form, status=400 if form.errors else 409)


# The directors' lists (step 4 of the routine)

def _tilbake(mote_id: int) -> HttpResponseRedirect:
    return redirect(reverse("godkjenning:motelister") + f"#mote-{mote_id}")


def _motelister_side(request: HttpRequest, *, feil: tuple[str, int, object] | None = None) -> HttpResponse:
    """The lists page. `feil` is (kind, id, bound form) of a refused POST: that form is shown with its errors
    in place of the empty one, and the page answers 400."""
    bytt = {feil[:2]: feil[2]} if feil else {}
    sok = request.GET.get("sok", "").strip()[:100]
    oversikt = selectors.motelister(request.user, side=request.GET.get("side"), sok=sok,
                                    uten_mote_side=request.GET.get("uside"))
    lister = [{
        "mote": liste.mote,
        "kandidater": liste.kandidater,
        "antall_kandidater": liste.antall_kandidater,
        "senere": liste.senere,
        "legg_til": bytt.get(("legg_til", liste.mote.pk))
        or ListeLeggTilForm(saker=liste.kandidater, auto_id=f"id_legg_til_{liste.mote.pk}_%s"),
        "punkter": [{
            "punkt": punkt,
            "flytt": bytt.get(("flytt", punkt.pk))
            or ListeFlyttForm(moter=liste.senere, auto_id=f"id_flytt_{punkt.pk}_%s"),
            "fjern": bytt.get(("fjern", punkt.pk)) or ListeFjernForm(auto_id=f"id_fjern_{punkt.pk}_%s"),
        } for punkt in liste.punkter],
    } for liste in oversikt.lister]
    # Meetings with the approver's cases are cards with their entries; the others one line each, with the form
    # to add a case folded in.
    return render(request, "godkjenning/motelister.html", {
        "lister": lister,
        "med_saker": [liste for liste in lister if liste["punkter"]],
        "uten_saker": [liste for liste in lister if not liste["punkter"]],
        "moter": oversikt.moter,
        "uten_mote": oversikt.uten_mote,
        "sok": sok,
        "kandidater_vist": selectors.KANDIDATER,
        "feil_anker": f"{feil[0]}-{feil[1]}" if feil else "",
        "feil_meldinger": [m for feltfeil in feil[2].errors.values() for m in feltfeil] if feil else [],
        "star_inn": star_inn_na(request.user),
    }, status=400 if feil else 200)


@require_safe
@krever_rolle(Rolle.GODKJENNER)
def motelister(request: HttpRequest) -> HttpResponse:
    return _motelister_side(request)


@require_POST
@krever_rolle(Rolle.GODKJENNER)
def liste_legg_til(request: HttpRequest, mote_pk: int) -> HttpResponse:
    mote = get_object_or_404(Mote.objects.select_related("utvalg"), pk=mote_pk)
    # Any approved case the user may list is a valid choice here (only the chosen one is loaded); the service
    # says why one does not fit.
    valgt = request.POST.get("sak", "")
    saker = selectors.godkjente_listesaker(request.user).filter(pk=int(valgt)) if valgt.isdigit() else []
    form = ListeLeggTilForm(request.POST, saker=saker,
                            auto_id=f"id_legg_til_{mote.pk}_%s")
    if not form.is_valid():
        return _motelister_side(request, feil=("legg_til", mote.pk, form))
    try:
        punkt = liste_services.liste_legg_til(sak=form.cleaned_data["sak"], mote=mote, av=request.user)
    except Feil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, f"«{punkt.sak.tittel}» er satt på listen til {mote}. Sekretariatet er varslet.")
    return _tilbake(mote.pk)


@require_POST
@krever_rolle(Rolle.GODKJENNER)
def liste_flytt(request: HttpRequest, pk: int) -> HttpResponse:
    punkt = selectors.hent_listepunkt(request.user, pk)
    form = ListeFlyttForm(request.POST, moter=selectors.senere_moter(punkt.mote), auto_id=f"id_flytt_{punkt.pk}_%s")
    if not form.is_valid():
        return _motelister_side(request, feil=("flytt", punkt.pk, form))
    try:
        ny = liste_services.liste_flytt(punkt=punkt, til_mote=form.cleaned_data["til_mote"], av=request.user,
                                        grunn=form.cleaned_data["grunn"])
    except Feil as feil:
        messages.error(request, str(feil))
        return _tilbake(punkt.mote_id)
    messages.success(request, f"«{punkt.sak.tittel}» er flyttet til {ny.mote}. Sekretariatet er varslet.")
    return _tilbake(ny.mote_id)


@require_POST
@krever_rolle(Rolle.GODKJENNER)
def liste_fjern(request: HttpRequest, pk: int) -> HttpResponse:
    punkt = selectors.hent_listepunkt(request.user, pk)
    form = ListeFjernForm(request.POST, auto_id=f"id_fjern_{punkt.pk}_%s")
    if not form.is_valid():
        return _motelister_side(request, feil=("fjern", punkt.pk, form))
    try:
        liste_services.liste_fjern(punkt=punkt, av=request.user, grunn=form.cleaned_data["grunn"])
    except Feil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, f"«{punkt.sak.tittel}» er fjernet fra listen til {punkt.mote}. "
                                  "Sekretariatet er varslet.")
    return _tilbake(punkt.mote_id)
