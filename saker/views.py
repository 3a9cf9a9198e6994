from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from overgang.organisasjon.models import Rolle
from overgang.organisasjon.tilgang import krever_rolle

from . import filer, services
from .forms import DokumentForm, SakFilterForm, SakForm, SendTilGodkjenningForm
from .models import Dokument, Sak
from .selectors import er_saksbehandler_for, hent_sak, kan_godkjenne, sak_detaljer


def hent_egen_sak(bruker, pk: int) -> Sak:
    """The case officer's own case: others who may read it get 403."""
    sak = hent_sak(bruker, pk)
    if not er_saksbehandler_for(bruker, sak):
        raise PermissionDenied("Bare saksbehandleren for saken kan gjøre dette.")
    return sak


@krever_rolle(Rolle.SAKSBEHANDLER)
def mine_saker(request):
    filter_ = SakFilterForm(request.GET or None)
    saker = Sak.objects.filter(saksbehandler=request.user)
    antall = saker.aggregate(
        alle=Count("pk"), **{s.value: Count("pk", filter=Q(status=s.value)) for s in Sak.Status}
    )
    if filter_.is_valid():
        if q := filter_.cleaned_data["q"].strip():
            saker = saker.filter(Q(tittel__icontains=q) | Q(arkivsaksnr__icontains=q))
        if status := filter_.cleaned_data["status"]:
            saker = saker.filter(status=status)
    saker = saker.select_related("godkjenner", "kommunalomrade").med_rute()
    return render(request, "saker/sak_list.html", {
        "saker": saker, "filter": filter_, "antall": antall, "statuser": Sak.Status,
    })


@krever_rolle(Rolle.SAKSBEHANDLER)
def sak_ny(request):
    form = SakForm(request.POST or None, request.FILES or None, bruker=request.user)
    if form.is_valid():
        try:
            sak = services.sak_opprett(av=request.user, data=form.sak_data(),
                                       hoveddokument=form.cleaned_data["hoveddokument"],
                                       vedlegg=form.cleaned_data["vedlegg"])
        except services.SakFeil as feil:
            form.add_error(None, str(feil))
        else:
            messages.success(request, "Saken er lagret som utkast. Send den til godkjenning når den er klar.")
            return redirect(sak)
    elif form.is_bound and request.FILES:
        messages.warning(request, "Skjemaet har feil. Rett dem og velg filene på nytt: nettleseren sender dem "
                                  "ikke to ganger.")
    return render(request, "saker/sak_form.html", {"form": form, "ny": True})


@login_required
def sak(request, pk: int):
    sak = hent_sak(request.user, pk)
    context = {
        **sak_detaljer(sak),
        "er_saksbehandler": er_saksbehandler_for(request.user, sak),
        "kan_godkjenne": sak.status == Sak.Status.TIL_GODKJENNING and kan_godkjenne(request.user, sak),
        "siste_retur": sak.hendelser.filter(til_status=Sak.Status.RETURNERT).select_related("utfort_av").last()
        if sak.status == Sak.Status.RETURNERT else None,
    }
    if context["er_saksbehandler"] and sak.status in services.REDIGERBAR:
        context["send_form"] = SendTilGodkjenningForm(sak=sak)
        context["dokument_form"] = DokumentForm(sak=sak)
    return render(request, "saker/sak_detail.html", context)


@krever_rolle(Rolle.SAKSBEHANDLER)
def sak_rediger(request, pk: int):
    sak = hent_egen_sak(request.user, pk)
    if sak.status not in services.REDIGERBAR:
        messages.error(request, f"Saken er {sak.get_status_display().lower()} og kan ikke endres nå.")
        return redirect(sak)
    form = SakForm.for_sak(sak, request.POST or None)
    if form.is_valid():
        try:
            services.sak_oppdater(sak=sak, av=request.user, data=form.sak_data())
        except services.SakFeil as feil:
            form.add_error(None, str(feil))
        else:
            messages.success(request, "Endringene er lagret.")
            return redirect(sak)
    return render(request, "saker/sak_form.html", {"form": form, "sak": sak})


@require_POST
@krever_rolle(Rolle.SAKSBEHANDLER)
def sak_dokumenter(request, pk: int):
    sak = hent_egen_sak(request.user, pk)
    form = DokumentForm(request.POST, request.FILES, sak=sak)
    if form.is_valid():
        try:
            nye = services.sak_last_opp(sak=sak, av=request.user, hoveddokument=form.cleaned_data["hoveddokument"],
                                        vedlegg=form.cleaned_data["vedlegg"],
                                        fjern_vedlegg=[d.pk for d in form.cleaned_data["fjern_vedlegg"]])
        except services.SakFeil as feil:
            messages.error(request, str(feil))
        else:
            fjernet = len(form.cleaned_data["fjern_vedlegg"])
            messages.success(request, f"{len(nye)} fil(er) lastet opp" + (f", {fjernet} vedlegg fjernet." if fjernet
                                                                            else "."))
    else:
        for feil in form.errors.values():
            for melding in feil:
                messages.error(request, melding)
    return redirect(sak)


@require_POST
@krever_rolle(Rolle.SAKSBEHANDLER)
def sak_send_til_godkjenning(request, pk: int):
    sak = hent_egen_sak(request.user, pk)
    form = SendTilGodkjenningForm(request.POST, sak=sak)
    if not form.is_valid():
        messages.error(request, "Velg hvem saken skal til.")
        return redirect(sak)
    try:
        services.sak_send_til_godkjenning(sak=sak, av=request.user, godkjenner=form.cleaned_data["godkjenner"])
    except services.SakFeil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, f"Saken er sendt til {form.cleaned_data['godkjenner']} for godkjenning.")
    return redirect(sak)


def _hent_dokument(request, pk: int, dokument_pk: int) -> Dokument:
    sak = hent_sak(request.user, pk)
    return get_object_or_404(Dokument, sak=sak, pk=dokument_pk)


@login_required
def dokument_last_ned(request, pk: int, dokument_pk: int):
    dokument = _hent_dokument(request, pk, dokument_pk)
    try:
        fil = dokument.fil.open("rb")
    except FileNotFoundError as e:
        raise Http404("Filen finnes ikke lenger.") from e
    return FileResponse(fil, as_attachment=True, filename=dokument.filnavn, content_type=dokument.mime)


@login_required
def dokument_forhandsvis(request, pk: int, dokument_pk: int):
    dokument = _hent_dokument(request, pk, dokument_pk)
    if not dokument.er_docx:
        raise Http404("Forhåndsvisning finnes bare for Word-dokumenter.")
    try:
        with dokument.fil.open("rb") as fil:
            linjer, feil = filer.tekst_forhandsvisning(fil), ""
    except ValidationError as e:
        linjer, feil = [], e.messages[0]
    return render(request, "saker/dokument_forhandsvis.html", {
        "sak": dokument.sak, "dokument": dokument, "linjer": linjer, "feil": feil,
    })




@require_POST
@krever_rolle(Rolle.SAKSBEHANDLER)
def sak_send_til_sekretariat(request, pk: int):
    sak = hent_egen_sak(request.user, pk)
    try:
        services.sak_send_til_sekretariat(sak=sak, av=request.user)
    except services.SakFeil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, "Saken er sendt til politisk sekretariat. Dokumentene kan ikke endres lenger.")
    return redirect(sak)
