"""The political secretariat's pages: intake and P360 registration, meetings and their agendas, the meeting's
state and the outcome of each case, the exports."""

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST, require_safe

from overgang.feil import Feil
from overgang.organisasjon.models import Mote, Rolle
from overgang.organisasjon.tilgang import krever_rolle
from saker.models import Sak
from saker.selectors import hent_sak, synlige_saker

from . import kontroll, motebok, selectors, services
from .forms import MoteFilterForm, RegistreringForm, SakslistepunktForm, UtfallForm
from .models import Sakslistepunkt, Utfall

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV_KOLONNER = ["Saksnr", "Tittel", "Saksbehandler", "Arkivsaksnr", "P360 saksnr", "Unntatt offentlighet", "Hjemmel"]


@require_safe
@krever_rolle(Rolle.SEKRETARIAT)
def kommende_moter(request: HttpRequest) -> HttpResponse:
    """The secretariat's start page, the work first: received cases to register, past meetings waiting for
    outcomes, received cases without a meeting, other unfinished past meetings; then the coming meetings, each
    with how ready its cases are and its control result."""
    side = selectors.startside(side=request.GET.get("side"))
    return render(request, "sekretariat/mote_list.html", {
        "fanetall": side.fanetall, "venter_pa_utfall": side.venter_pa_utfall,
        "uten_mote": side.uten_mote, "antall_uten_mote": side.antall_uten_mote,
        "andre_uferdige": side.andre_uferdige,
        "moter": side.kommende.object_list, "side": side.kommende,
        "avholdte_dager": selectors.AVHOLDTE_DAGER,
    })


@require_safe
@krever_rolle(Rolle.SEKRETARIAT)
def mote_kontroll(request: HttpRequest, pk: int) -> HttpResponse:
    """Check that no case falls out: every discrepancy between the directors' lists, intake, P360 and agenda."""
    mote = get_object_or_404(Mote.objects.select_related("utvalg"), pk=pk)
    resultat = kontroll.kontroller([mote])[mote.pk]
    return render(request, "sekretariat/kontroll.html", {"mote": mote, "kontroll": resultat,
                                                         "fanetall": selectors.fanetall()})


TIDLIGERE_MOTER_PER_SIDE = 25


@require_POST
@krever_rolle(Rolle.SEKRETARIAT)
def paminn(request: HttpRequest, pk: int, sak_pk: int) -> HttpResponse:
    """Send a reminder about one discrepancy on the control page."""
    mote = _hent_mote(pk)
    sak = hent_sak(request.user, sak_pk)
    try:
        sendt = services.paminn(mote=mote, sak=sak, regel=request.POST.get("regel", ""), av=request.user)
    except Feil as feil:
        messages.error(request, str(feil))
    else:
        if sendt:
            messages.success(request, f"Påminnelse om «{sak.tittel}» er sendt til "
                                      f"{', '.join(sorted({str(v.mottaker or v.epost) for v in sendt}))}.")
        else:
            messages.info(request, f"Det er allerede sendt en påminnelse om «{sak.tittel}» i dag.")
    return redirect("sekretariat:kontroll", mote.pk)


@require_safe
@krever_rolle(Rolle.SEKRETARIAT)
def moter(request: HttpRequest) -> HttpResponse:
    filter_ = MoteFilterForm(request.GET or None)
    moter = selectors.med_antall_saker(Mote.objects.select_related("utvalg"))
    if filter_.is_valid() and (utvalg := filter_.cleaned_data["utvalg"]):
        moter = moter.filter(utvalg=utvalg)
    na = timezone.now()
    # The calendar ahead is short; the past grows every year, so it comes a page at a time, newest first.
    tidligere = Paginator(moter.filter(tidspunkt__lt=na).order_by("-tidspunkt", "-pk"), TIDLIGERE_MOTER_PER_SIDE)
    side = tidligere.get_page(request.GET.get("side"))
    return render(request, "sekretariat/moter.html", {
        "filter": filter_,
        "kommende": moter.filter(tidspunkt__gte=na).order_by("tidspunkt"),
        "tidligere": side.object_list,
        "side": side,
        "fanetall": selectors.fanetall(naa=na),
    })


# Intake

def _registrer_prefiks(sak: Sak) -> str:
    # One form per case on the page: the prefix keeps field names and ids apart.
    return f"sak-{sak.pk}"


INNKOMNE_PER_SIDE = 20


def _vis_innkomne(request: HttpRequest, bundet: RegistreringForm | None = None, status: int = 200) -> HttpResponse:
    """The oldest received cases first, a page at a time (a refused form posts its page back, so it is shown
    where it was filled in)."""
    sok = request.GET.get("sok", "").strip()[:100]
    side = Paginator(selectors.innkomne(request.user, sok=sok), INNKOMNE_PER_SIDE).get_page(
        request.POST.get("side") or request.GET.get("side"))
    for sak in side.object_list:
        prefiks = _registrer_prefiks(sak)
        sak.registrer_form = bundet if bundet is not None and bundet.prefix == prefiks else RegistreringForm(
            prefix=prefiks)
    return render(request, "sekretariat/innkomne.html", {"saker": side.object_list, "side": side, "sok": sok,
                                                         "fanetall": selectors.fanetall()}, status=status)


@require_safe
@krever_rolle(Rolle.SEKRETARIAT)
def innkomne(request: HttpRequest) -> HttpResponse:
    return _vis_innkomne(request)


@require_POST
@krever_rolle(Rolle.SEKRETARIAT)
def registrer(request: HttpRequest, pk: int) -> HttpResponse:
    sak = hent_sak(request.user, pk)
    form = RegistreringForm(request.POST, prefix=_registrer_prefiks(sak))
    if not form.is_valid():
        return _vis_innkomne(request, bundet=form, status=400)
    try:
        registrering = services.registrer_i_p360(sak=sak, av=request.user, **form.cleaned_data)
    except Feil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, f"«{sak.tittel}» er registrert i P360 som {registrering.p360_saksnr} "
                                  f"(dokument {registrering.p360_dokumentnr}).")
    return redirect("sekretariat:innkomne")


# Meetings and agendas

def _hent_mote(pk: int) -> Mote:
    return get_object_or_404(Mote.objects.select_related("utvalg"), pk=pk)


def _hent_punkt(request: HttpRequest, mote_pk: int, pk: int) -> Sakslistepunkt:
    return get_object_or_404(
        Sakslistepunkt.objects.filter(mote_id=mote_pk, sak__in=synlige_saker(request.user)).select_related("sak"),
        pk=pk,
    )


def _utfall_prefiks(punkt: Sakslistepunkt) -> str:
    return f"punkt-{punkt.pk}"


KANDIDATER = 30


def _vis_mote(request: HttpRequest, mote: Mote, bundet: UtfallForm | None = None,
              status: int = 200) -> HttpResponse:
    kan_endre = mote.status == Mote.Status.PLANLAGT
    sok = request.GET.get("sok", "").strip()[:100]
    kandidater = selectors.kandidater(request.user, mote, sok=sok)
    # The first candidates only (directors' list first), and whether there are more for a search to find.
    tilbudte = list(kandidater[:KANDIDATER + 1]) if kan_endre else []
    flere, tilbudte = len(tilbudte) > KANDIDATER, tilbudte[:KANDIDATER]
    punkter = selectors.saksliste(mote)
    apne = [p for p in punkter if not p.utfall] if mote.status == Mote.Status.AVHOLDT else []
    if apne:
        valg = selectors.motevalg(mote, apne)
        for punkt in apne:
            prefiks = _utfall_prefiks(punkt)
            punkt.utfall_form = bundet if bundet is not None and bundet.prefix == prefiks else UtfallForm(
                prefix=prefiks, motevalg=valg[punkt.pk])
    return render(request, "sekretariat/mote_detail.html", {
        "mote": mote,
        "punkter": punkter,
        "apne": apne,
        "kan_endre": kan_endre,
        "kan_avholdes": kan_endre and timezone.localdate(mote.tidspunkt) <= timezone.localdate(),
        "sok": sok,
        "flere_kandidater": flere,
        "legg_til_form": SakslistepunktForm(kandidater=kandidater, tilbudte=tilbudte) if kan_endre else None,
        "fanetall": selectors.fanetall(),
    }, status=status)


@require_safe
@krever_rolle(Rolle.SEKRETARIAT)
def mote(request: HttpRequest, pk: int) -> HttpResponse:
    return _vis_mote(request, _hent_mote(pk))


@require_POST
@krever_rolle(Rolle.SEKRETARIAT)
def saksliste_legg_til(request: HttpRequest, pk: int) -> HttpResponse:
    mote = _hent_mote(pk)
    sak_pk = request.POST.get("sak", "")
    if not sak_pk.isdigit():
        messages.error(request, "Velg en sak å sette på sakslisten.")
        return redirect(mote)
    sak = hent_sak(request.user, int(sak_pk))
    form = SakslistepunktForm(request.POST, kandidater=Sak.objects.filter(pk=sak.pk))
    if not form.is_valid():
        messages.error(request, "Velg om saken er en politisk sak (PS) eller en referatsak (RS).")
        return redirect(mote)
    try:
        punkt = services.saksliste_legg_til(mote=mote, sak=sak, av=request.user, type=form.cleaned_data["type"])
    except Feil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, f"«{sak.tittel}» er satt på sakslisten som {punkt.utvalgssaksnr}. "
                                  "Saksbehandleren er varslet.")
    return redirect(mote)


@require_POST
@krever_rolle(Rolle.SEKRETARIAT)
def saksliste_flytt(request: HttpRequest, mote_pk: int, pk: int) -> HttpResponse:
    punkt = _hent_punkt(request, mote_pk, pk)
    retning = request.POST.get("retning", "")
    try:
        services.saksliste_flytt(punkt=punkt, av=request.user, retning=retning)
    except Feil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, f"{punkt.utvalgssaksnr} er flyttet {retning}.")
    return redirect("sekretariat:mote", mote_pk)


@require_POST
@krever_rolle(Rolle.SEKRETARIAT)
def saksliste_fjern(request: HttpRequest, mote_pk: int, pk: int) -> HttpResponse:
    punkt = _hent_punkt(request, mote_pk, pk)
    try:
        services.saksliste_fjern(punkt=punkt, av=request.user)
    except Feil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, f"{punkt.utvalgssaksnr} «{punkt.sak.tittel}» er fjernet fra sakslisten. "
                                  "Nummeret brukes ikke om igjen.")
    return redirect("sekretariat:mote", mote_pk)


@require_POST
@krever_rolle(Rolle.SEKRETARIAT)
def mote_avhold(request: HttpRequest, pk: int) -> HttpResponse:
    mote = _hent_mote(pk)
    try:
        services.mote_avhold(mote=mote, av=request.user)
    except Feil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, "Møtet er markert som avholdt. Registrer utfallet for hver sak på sakslisten.")
    return redirect(mote)


@require_POST
@krever_rolle(Rolle.SEKRETARIAT)
def mote_avlys(request: HttpRequest, pk: int) -> HttpResponse:
    mote = _hent_mote(pk)
    try:
        services.mote_avlys(mote=mote, av=request.user)
    except Feil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, "Møtet er avlyst.")
    return redirect(mote)


def _utfall_melding(resultat: services.Utfallsregistrering) -> str:
    punkt, videre = resultat.punkt, resultat.videre
    nr = punkt.utvalgssaksnr
    if punkt.utfall == Utfall.VEDTAK:
        return f"Vedtaket i {nr} er registrert, og saken er vedtatt. Saksbehandleren er varslet."
    if punkt.utfall == Utfall.TRUKKET:
        return f"{nr} er registrert som trukket. Saksbehandleren er varslet."
    if punkt.utfall == Utfall.INNSTILLING:
        return (f"Innstillingen i {nr} er registrert. Saken er satt på sakslisten til "
                f"{videre.mote.med_klokkeslett} som "
                f"{videre.utvalgssaksnr}, og saksbehandleren er varslet.")
    if videre is not None:
        return (f"{nr} er registrert som utsatt og satt på sakslisten til {videre.mote.med_klokkeslett} som "
                f"{videre.utvalgssaksnr}. Saksbehandleren er varslet.")
    return (f"{nr} er registrert som utsatt. Sett saken på sakslisten til et senere møte; til da vises den i "
            "kontrollen. Saksbehandleren er varslet.")


@require_POST
@krever_rolle(Rolle.SEKRETARIAT)
def utfall_registrer(request: HttpRequest, mote_pk: int, pk: int) -> HttpResponse:
    mote = _hent_mote(mote_pk)
    punkt = _hent_punkt(request, mote_pk, pk)
    punkt.mote = mote
    try:
        # A meeting not held, or an outcome already recorded: the page shows no form to correct, so say why.
        services.sjekk_utfall_apent(punkt)
    except Feil as feil:
        messages.error(request, str(feil))
        return redirect(mote)
    form = UtfallForm(request.POST, request.FILES, prefix=_utfall_prefiks(punkt),
                      motevalg=selectors.motevalg(mote, [punkt])[punkt.pk])
    if not form.is_valid():
        return _vis_mote(request, mote, bundet=form, status=400)
    data = form.cleaned_data
    neste_mote = (Mote.objects.select_related("utvalg").filter(pk=data["neste_mote"]).first()
                  if data["neste_mote"] else None)
    try:
        resultat = services.utfall_registrer(punkt=punkt, av=request.user, utfall=data["utfall"], tekst=data["tekst"],
                                             neste_mote=neste_mote, saksutskrift=data["saksutskrift"])
    except Feil as feil:
        form.add_error(None, str(feil))
        return _vis_mote(request, mote, bundet=form, status=400)
    messages.success(request, _utfall_melding(resultat))
    return redirect(mote)


# Exports

def _filnavn(mote: Mote, endelse: str) -> str:
    return f"saksliste-{mote.utvalg.kode}-{timezone.localtime(mote.tidspunkt):%Y-%m-%d}.{endelse}"


def _vedlegg(innhold: bytes | str, content_type: str, filnavn: str) -> HttpResponse:
    response = HttpResponse(innhold, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filnavn)
    return response


@require_safe
@krever_rolle(Rolle.SEKRETARIAT)
def saksliste_docx(request: HttpRequest, pk: int) -> HttpResponse:
    mote = _hent_mote(pk)
    # The one builder the saksliste PDF is made from, so the Word file and the PDF cannot differ.
    return _vedlegg(motebok.saksliste_docx(mote), DOCX_MIME, _filnavn(mote, "docx"))


def _celle(verdi: str) -> str:
    """A cell Excel will not run: text starting with = + - @ (or a tab or CR) would be read as a formula."""
    return f"'{verdi}" if verdi[:1] in {"=", "+", "-", "@", "\t", "\r"} else verdi


@require_safe
@krever_rolle(Rolle.SEKRETARIAT)
def saksliste_csv(request: HttpRequest, pk: int) -> HttpResponse:
    mote = _hent_mote(pk)
    # The byte order mark tells Excel the file is UTF-8, so æøå survive a double-click; Norwegian Excel
    # splits columns on semicolons.
    response = _vedlegg("\ufeff", "text/csv; charset=utf-8", _filnavn(mote, "csv"))
    skriver = csv.writer(response, delimiter=";")
    skriver.writerow(CSV_KOLONNER)
    for p in selectors.saksliste(mote):
        sak = p.sak
        registrering = getattr(sak, "registrering", None)
        skriver.writerow([_celle(v) for v in (
            p.utvalgssaksnr, sak.tittel_ut, str(sak.saksbehandler), sak.arkivsaksnr,
            registrering.p360_saksnr if registrering else "",
            "Ja" if sak.unntatt_offentlighet else "Nei",
            sak.hjemmel if sak.unntatt_offentlighet else "",
        )])
    return response
