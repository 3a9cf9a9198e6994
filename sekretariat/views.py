"""The political secretariat's pages: intake and P360 registration, meetings and their agendas, the exports."""

import csv

from django.contrib import messages
from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from overgang.organisasjon.models import Bruker, Mote, Rolle
from overgang.organisasjon.tilgang import krever_rolle
from saker.models import Dokument, Sak
from saker.selectors import hent_sak, synlige_saker
from saker.services import SakFeil

from . import kontroll, services
from .forms import MoteFilterForm, RegistreringForm, SakslistepunktForm
from .models import Sakslistepunkt
from .saksliste_docx import MoteInfo, SakslistePunkt, bygg_saksliste

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CSV_KOLONNER = ["Saksnr", "Tittel", "Saksbehandler", "Arkivsaksnr", "P360 saksnr", "Unntatt offentlighet", "Hjemmel"]


@krever_rolle(Rolle.SEKRETARIAT)
def kommende_moter(request):
    """The secretariat's start page: every coming meeting with its agenda size and its control result."""
    moter = list(Mote.objects.kommende().select_related("utvalg").annotate(antall_saker=Count("sakslistepunkter")))
    kontroller = kontroll.kontroller(moter)
    for m in moter:
        m.kontroll = kontroller[m.pk]
    return render(request, "sekretariat/mote_list.html", {"moter": moter, "uten_mote": kontroll.saker_uten_mote()})


@krever_rolle(Rolle.SEKRETARIAT)
def mote_kontroll(request, pk: int):
    """Check that no case falls out: every discrepancy between the directors' lists, intake, P360 and agenda."""
    mote = get_object_or_404(Mote.objects.select_related("utvalg"), pk=pk)
    resultat = kontroll.kontroller([mote])[mote.pk]
    return render(request, "sekretariat/kontroll.html", {"mote": mote, "kontroll": resultat})


@krever_rolle(Rolle.SEKRETARIAT)
def moter(request):
    filter_ = MoteFilterForm(request.GET or None)
    moter = Mote.objects.select_related("utvalg").annotate(antall_saker=Count("sakslistepunkter"))
    if filter_.is_valid() and (utvalg := filter_.cleaned_data["utvalg"]):
        moter = moter.filter(utvalg=utvalg)
    na = timezone.now()
    return render(request, "sekretariat/moter.html", {
        "filter": filter_,
        "kommende": moter.filter(tidspunkt__gte=na).order_by("tidspunkt"),
        "tidligere": moter.filter(tidspunkt__lt=na).order_by("-tidspunkt"),
    })


# Intake

def _innkomne(bruker: Bruker) -> QuerySet[Sak]:
    """Received cases not yet registered in P360, oldest first: the ones the secretariat still owes work."""
    return (
        synlige_saker(bruker)
        .filter(status=Sak.Status.SENDT_SEKRETARIAT, registrering__isnull=True)
        .select_related("saksbehandler", "kommune", "arkivsystem", "onsket_mote__utvalg")
        .med_rute()
        .prefetch_related(Prefetch("dokumenter", Dokument.objects.filter(gjeldende=True).order_by("rolle", "filnavn"),
                                   to_attr="gjeldende_dokumenter"))
        # Cases from before the sending date was recorded fall back to their last change of status.
        .annotate(mottatt=Coalesce("sendt_sekretariat", "status_endret"))
        .order_by("mottatt", "pk")
    )


def _registrer_prefiks(sak: Sak) -> str:
    # One form per case on the page: the prefix keeps field names and ids apart.
    return f"sak-{sak.pk}"


def _vis_innkomne(request, bundet: RegistreringForm | None = None, status: int = 200):
    saker = list(_innkomne(request.user))
    for sak in saker:
        prefiks = _registrer_prefiks(sak)
        sak.registrer_form = bundet if bundet is not None and bundet.prefix == prefiks else RegistreringForm(
            prefix=prefiks)
    return render(request, "sekretariat/innkomne.html", {"saker": saker}, status=status)


@krever_rolle(Rolle.SEKRETARIAT)
def innkomne(request):
    return _vis_innkomne(request)


@require_POST
@krever_rolle(Rolle.SEKRETARIAT)
def registrer(request, pk: int):
    sak = hent_sak(request.user, pk)
    form = RegistreringForm(request.POST, prefix=_registrer_prefiks(sak))
    if not form.is_valid():
        return _vis_innkomne(request, bundet=form, status=400)
    try:
        registrering = services.registrer_i_p360(sak=sak, av=request.user, **form.cleaned_data)
    except SakFeil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, f"«{sak.tittel}» er registrert i P360 som {registrering.p360_saksnr} "
                                  f"(dokument {registrering.p360_dokumentnr}).")
    return redirect("sekretariat:innkomne")


# Meetings and agendas

def _hent_mote(pk: int) -> Mote:
    return get_object_or_404(Mote.objects.select_related("utvalg"), pk=pk)


def _punkter(mote: Mote) -> list[Sakslistepunkt]:
    """The agenda in order, with what the page and the exports show, in one query."""
    return list(mote.sakslistepunkter.select_related("sak__saksbehandler", "sak__registrering")
                .order_by("rekkefolge", "pk"))


def _kandidater(bruker: Bruker, mote: Mote) -> QuerySet[Sak]:
    """Cases the secretariat may put on this agenda: approved or received and not yet decided, with the
    meeting's committee on their route, and not already on it."""
    return (synlige_saker(bruker)
            .filter(status__in=services.KAN_SETTES_OPP, behandlinger__utvalg=mote.utvalg_id)
            .exclude(sakslistepunkter__mote=mote)
            .order_by("tittel", "pk"))


def _hent_punkt(request, mote_pk: int, pk: int) -> Sakslistepunkt:
    return get_object_or_404(
        Sakslistepunkt.objects.filter(mote_id=mote_pk, sak__in=synlige_saker(request.user)).select_related("sak"),
        pk=pk,
    )


@krever_rolle(Rolle.SEKRETARIAT)
def mote(request, pk: int):
    mote = _hent_mote(pk)
    kan_endre = mote.status == Mote.Status.PLANLAGT
    return render(request, "sekretariat/mote_detail.html", {
        "mote": mote,
        "punkter": _punkter(mote),
        "kan_endre": kan_endre,
        "legg_til_form": SakslistepunktForm(kandidater=_kandidater(request.user, mote)) if kan_endre else None,
    })


@require_POST
@krever_rolle(Rolle.SEKRETARIAT)
def saksliste_legg_til(request, pk: int):
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
    except SakFeil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, f"«{sak.tittel}» er satt på sakslisten som {punkt.utvalgssaksnr}. "
                                  "Saksbehandleren er varslet.")
    return redirect(mote)


@require_POST
@krever_rolle(Rolle.SEKRETARIAT)
def saksliste_flytt(request, mote_pk: int, pk: int):
    punkt = _hent_punkt(request, mote_pk, pk)
    retning = request.POST.get("retning", "")
    try:
        services.saksliste_flytt(punkt=punkt, av=request.user, retning=retning)
    except SakFeil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, f"{punkt.utvalgssaksnr} er flyttet {retning}.")
    return redirect("sekretariat:mote", mote_pk)


@require_POST
@krever_rolle(Rolle.SEKRETARIAT)
def saksliste_fjern(request, mote_pk: int, pk: int):
    punkt = _hent_punkt(request, mote_pk, pk)
    try:
        services.saksliste_fjern(punkt=punkt, av=request.user)
    except SakFeil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, f"{punkt.utvalgssaksnr} «{punkt.sak.tittel}» er fjernet fra sakslisten. "
                                  "Nummeret brukes ikke om igjen.")
    return redirect("sekretariat:mote", mote_pk)


# Exports

def _filnavn(mote: Mote, endelse: str) -> str:
    return f"saksliste-{mote.utvalg.kode}-{timezone.localtime(mote.tidspunkt):%Y-%m-%d}.{endelse}"


def _vedlegg(innhold: bytes | str, content_type: str, filnavn: str) -> HttpResponse:
    response = HttpResponse(innhold, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filnavn)
    return response


@krever_rolle(Rolle.SEKRETARIAT)
def saksliste_docx(request, pk: int):
    mote = _hent_mote(pk)
    info = MoteInfo(utvalg_navn=mote.utvalg.navn, utvalg_kode=mote.utvalg.kode, tidspunkt=mote.tidspunkt,
                    sted=mote.sted)
    # The title goes out as written: a case officer writes an exempt case's title fit for publication, and
    # the builder adds the exempt mark with its legal basis under it (offentleglova § 16).
    punkter = [
        SakslistePunkt(utvalgssaksnr=p.utvalgssaksnr, tittel=p.sak.tittel, saksbehandler=str(p.sak.saksbehandler),
                       arkivsaksnr=p.sak.arkivsaksnr, unntatt_offentlighet=p.sak.unntatt_offentlighet,
                       hjemmel=p.sak.hjemmel)
        for p in _punkter(mote)
    ]
    return _vedlegg(bygg_saksliste(info, punkter), DOCX_MIME, _filnavn(mote, "docx"))


def _celle(verdi: str) -> str:
    """A cell Excel will not run: text starting with = + - @ (or a tab or CR) would be read as a formula."""
    return f"'{verdi}" if verdi[:1] in {"=", "+", "-", "@", "\t", "\r"} else verdi


@krever_rolle(Rolle.SEKRETARIAT)
def saksliste_csv(request, pk: int):
    mote = _hent_mote(pk)
    # The byte order mark tells Excel the file is UTF-8, so æøå survive a double-click; Norwegian Excel
    # splits columns on semicolons.
    response = _vedlegg("\ufeff", "text/csv; charset=utf-8", _filnavn(mote, "csv"))
    skriver = csv.writer(response, delimiter=";")
    skriver.writerow(CSV_KOLONNER)
    for p in _punkter(mote):
        sak = p.sak
        registrering = getattr(sak, "registrering", None)
        skriver.writerow([_celle(v) for v in (
            p.utvalgssaksnr, sak.tittel, str(sak.saksbehandler), sak.arkivsaksnr,
            registrering.p360_saksnr if registrering else "",
            "Ja" if sak.unntatt_offentlighet else "Nei",
            sak.hjemmel if sak.unntatt_offentlighet else "",
        )])
    return response
