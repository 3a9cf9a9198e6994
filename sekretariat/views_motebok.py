"""A meeting's saksliste and møtebok as PDF: their state (a page, and the part the meeting's page fetches while
a build runs), ordering them (the secretariat), and downloading them (whoever may see a case on the agenda)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from overgang.feil import Feil
from overgang.organisasjon.models import Mote, Rolle
from overgang.organisasjon.tilgang import krever_rolle

from . import motebok
from .motebok_modell import MotePdf


def _mote(request: HttpRequest, pk: int) -> Mote:
    """The meeting, for those who may see it; others learn nothing of it (404)."""
    mote = get_object_or_404(Mote.objects.select_related("utvalg"), pk=pk)
    if not motebok.kan_se(request.user, mote):
        raise Http404("Møtet finnes ikke.")
    return mote


@require_safe
@login_required
def motepdf_status(request: HttpRequest, pk: int) -> HttpResponse:
    """The state of both files; `?del=1` is the bare part the meeting's page polls while a build runs."""
    mote = _mote(request, pk)
    kontekst = {"mote": mote, "filer": _filer(mote), "kan_bestille": request.user.har_rolle(Rolle.SEKRETARIAT)}
    if request.GET.get("del"):
        return render(request, "sekretariat/_motebok_status.html", kontekst)
    return render(request, "sekretariat/motebok.html", kontekst)


def _filer(mote: Mote) -> list[dict]:
    tilstand = motebok.tilstand(mote)
    filer = []
    for slag, navn in MotePdf.Slag.choices:
        rad, gjeldende = tilstand[slag]
        # Made or being made from today's agenda: nothing to order. Otherwise (never, stale, failed): order it.
        klar = gjeldende and (rad.status == MotePdf.Status.FERDIG or rad.er_under_arbeid)
        filer.append({"slag": slag, "navn": navn, "rad": rad, "gjeldende": gjeldende, "kan_lages": not klar})
    return filer


@require_POST
@krever_rolle(Rolle.SEKRETARIAT)
def motepdf_bestill(request: HttpRequest, pk: int) -> HttpResponse:
    mote = get_object_or_404(Mote, pk=pk)
    try:
        rad = motebok.motepdf_bestill(mote=mote, slag=request.POST.get("slag", ""), av=request.user)
    except Feil as feil:
        messages.error(request, str(feil))
    else:
        rad.refresh_from_db()  # without a broker (make run) the worker's job ran in this request
        if rad.status == MotePdf.Status.FERDIG:
            messages.success(request, f"{rad.get_slag_display()} som PDF er klar.")
        elif rad.er_under_arbeid:
            messages.info(request, f"{rad.get_slag_display()} lages. Fremdriften vises under «Møtebok og "
                                   "saksliste som PDF».")
        else:
            messages.error(request, f"{rad.get_slag_display()} ble ikke laget: {rad.feilmelding}")
    neste = request.POST.get("neste", "")
    if neste == "status":
        return redirect("sekretariat:motepdf_status", mote.pk)
    return redirect(f"{reverse('sekretariat:mote', args=[mote.pk])}#motebok")


def _last_ned(request: HttpRequest, pk: int, slag: str) -> HttpResponse:
    mote = _mote(request, pk)
    rad = MotePdf.objects.filter(mote=mote, slag=slag, status=MotePdf.Status.FERDIG).first()
    # A stale file is never handed out: the agenda or a document changed after it was made.
    if rad is None or rad.fingeravtrykk != motebok.fingeravtrykk(mote, slag):
        messages.info(request, f"{MotePdf.Slag(slag).label} som PDF er ikke laget for møtets saksliste slik den "
                               "er nå. Politisk sekretariat lager den.")
        return redirect("sekretariat:motepdf_status", mote.pk)
    try:
        fil = rad.fil.open("rb")
    except FileNotFoundError:
        raise Http404("Filen finnes ikke lenger.") from None
    return FileResponse(fil, as_attachment=True, filename=motebok.filnavn(mote, slag), content_type="application/pdf")


@require_safe
@login_required
def saksliste_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _last_ned(request, pk, MotePdf.Slag.SAKSLISTE)


@require_safe
@login_required
def motebok_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    return _last_ned(request, pk, MotePdf.Slag.MOTEBOK)
