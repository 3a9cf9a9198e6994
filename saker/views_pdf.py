"""The PDF/A of a case's document: download it, and order it again when it failed or was never made."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST, require_safe

from overgang.organisasjon.models import Rolle
from overgang.organisasjon.tilgang import krever_rolle

from . import services
from .dokument_pdf import DokumentPdf
from .filer.pdfa import PDF_MIME
from .models import Dokument
from .selectors import er_saksbehandler_for, hent_sak


def _dokument(request: HttpRequest, pk: int, dokument_pk: int) -> Dokument:
    sak = hent_sak(request.user, pk)
    dokument = get_object_or_404(Dokument, sak=sak, pk=dokument_pk)
    dokument.sak = sak
    return dokument


def _tilbake(dokument: Dokument) -> HttpResponse:
    anker = f"part-{dokument.part_id}" if dokument.part_id else "vedtak"
    return redirect(f"{dokument.sak.get_absolute_url()}#{anker}")


@require_safe
@login_required
def dokument_pdf(request: HttpRequest, pk: int, dokument_pk: int) -> HttpResponse:
    """The document as PDF/A, for whoever may read the case; back to the case with a word if not made."""
    dokument = _dokument(request, pk, dokument_pk)
    rad = DokumentPdf.objects.filter(dokument=dokument, status=DokumentPdf.Status.FERDIG).first()
    if rad is None:
        messages.info(request, f"PDF-versjonen av «{dokument.filnavn}» er ikke laget. Last ned originalen.")
        return _tilbake(dokument)
    try:
        fil = rad.fil.open("rb")
    except FileNotFoundError:
        messages.error(request, f"PDF-versjonen av «{dokument.filnavn}» finnes ikke lenger.")
        return _tilbake(dokument)
    services.dokument_lest(dokument=dokument, av=request.user, hvordan="lastet ned som PDF")
    return FileResponse(fil, as_attachment=True, filename=rad.filnavn, content_type=PDF_MIME)


@require_POST
@krever_rolle(Rolle.SAKSBEHANDLER)
def dokument_pdf_bestill(request: HttpRequest, pk: int, dokument_pk: int) -> HttpResponse:
    """The case officer orders the PDF/A again (it failed, or LibreOffice was missing then)."""
    dokument = _dokument(request, pk, dokument_pk)
    if not er_saksbehandler_for(request.user, dokument.sak):
        raise PermissionDenied("Bare saksbehandleren for saken kan gjøre dette.")
    rad = services.pdf_bestill(dokument=dokument)
    if rad is None:
        messages.info(request, f"«{dokument.filnavn}» er allerede en PDF.")
    else:
        rad.refresh_from_db()  # under `make run` the task ran in this request, after commit
        if rad.status == DokumentPdf.Status.FERDIG:
            messages.success(request, f"PDF-versjonen av «{dokument.filnavn}» er klar.")
        elif rad.er_under_arbeid:
            messages.info(request, f"PDF-versjonen av «{dokument.filnavn}» lages. Last siden på nytt om litt.")
        else:
            messages.error(request, f"PDF-versjonen av «{dokument.filnavn}» ble ikke laget: {rad.feilmelding}")
    return _tilbake(dokument)
