from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from overgang.organisasjon.models import Bruker, Rolle
from overgang.organisasjon.tilgang import krever_rolle

from . import brev, filer, selectors, services, utsending
from .forms import (
    DokumentForm,
    ManuellForsendelseForm,
    PartForm,
    SakFilterForm,
    SakForm,
    SendTilGodkjenningForm,
    VedtaksbrevForm,
    VedtaksbrevLagForm,
)
from .models import Dokument, Forsendelse, Part, Sak
from .neste_steg import frist_gjelder, hos, merk_rader, neste_steg, plass, prosess
from .selectors import er_saksbehandler_for, hent_sak, sak_detaljer

SIDESTORRELSE = 50


def hent_egen_sak(bruker: Bruker, pk: int) -> Sak:
    """The case officer's own case: others who may read it get 403."""
    sak = hent_sak(bruker, pk)
    if not er_saksbehandler_for(bruker, sak):
        raise PermissionDenied("Bare saksbehandleren for saken kan gjøre dette.")
    return sak


@require_safe
@krever_rolle(Rolle.SAKSBEHANDLER)
def mine_saker(request: HttpRequest) -> HttpResponse:
    filter_ = SakFilterForm(request.GET or None)
    q = status = ""
    avsluttede = False
    if filter_.is_valid():
        q, status = filter_.cleaned_data["q"].strip(), filter_.cleaned_data["status"]
        avsluttede = filter_.cleaned_data["vis"] == "avsluttede"
    saker, antall = selectors.mine_saker(request.user, q=q, status=status, avsluttede=avsluttede)
    side = Paginator(saker, SIDESTORRELSE).get_page(request.GET.get("side"))
    rader = list(side.object_list)
    merk_rader(rader, request.user, selectors.saksliste_moter(rader))
    return render(request, "saker/sak_list.html", {
        "saker": rader, "side": side, "filter": filter_, "antall": antall, "statuser": Sak.Status,
        "avsluttede": avsluttede and not status, "q": q,
    })


def _ta_vare_pa_filer(request: HttpRequest, form: SakForm) -> SakForm:
    """The form was refused: keep the files that passed their checks, so the user need not choose them again,
    and show the form again with them ticked (and its errors)."""
    nye = services.mellomlagre(bruker=request.user, opplastinger=form.gyldige_opplastinger())
    if not nye and request.FILES:
        messages.warning(request, "Ingen av filene kunne brukes. Rett feilene og velg filene på nytt.")
    if not nye and form.lesing is None:
        return form
    data = request.POST.copy()
    data.setlist("mellomlagret", [*data.getlist("mellomlagret"), *(str(r.pk) for r in nye)])
    # What the saksframlegg says stands in the fields left empty, so the officer sees what will be saved.
    for felt, verdi in (form.lesing.felter if form.lesing else {}).items():
        if felt in ("tittel", "innstilling", "arkivsaksnr") and not data.get(felt, "").strip():
            data[felt] = verdi
    gammel, form = form, SakForm(data, bruker=request.user)
    form.is_valid()
    for felt in ("hoveddokument", "vedlegg"):
        # A refused file is not kept: its message must still show where it was chosen.
        if felt in gammel.errors:
            form.errors[felt] = gammel.errors[felt]
    if nye:
        messages.info(request, "Filene du valgte er tatt vare på: " + ", ".join(r.filnavn for r in nye)
                      + ". Rett feilene og lagre igjen.")
    return form


def _les_saksframlegg(request: HttpRequest, form: SakForm) -> SakForm:
    """"Les saksframlegget": keep the files chosen and show the form again with what the saksframlegg says
    filled in, for the officer to check before saving. Nothing is saved, and no field is marked as missing."""
    form.is_valid()
    nye = services.mellomlagre(bruker=request.user, opplastinger=form.gyldige_opplastinger())
    beholdt = list(form.cleaned_data.get("mellomlagret") or [])
    if any(r.rolle == Dokument.Rolle.HOVEDDOKUMENT for r in nye):
        # The saksframlegg read now replaces one kept from before.
        erstattet = [r for r in beholdt if r.rolle == Dokument.Rolle.HOVEDDOKUMENT]
        services.mellomlagring_fjern(erstattet)
        beholdt = [r for r in beholdt if r not in erstattet]
    return form.etter_lesing(mellomlagret=[r.pk for r in [*beholdt, *nye]], bruker=request.user)


@krever_rolle(Rolle.SAKSBEHANDLER)
def sak_ny(request: HttpRequest) -> HttpResponse:
    form = SakForm(request.POST or None, request.FILES or None, bruker=request.user)
    if request.method == "POST" and "les" in request.POST:
        return render(request, "saker/sak_form.html", {"form": _les_saksframlegg(request, form), "ny": True})
    if form.is_valid():
        try:
            sak = services.sak_opprett(av=request.user, data=form.sak_data(),
                                       hoveddokument=form.cleaned_data["hoveddokument"],
                                       vedlegg=form.cleaned_data["vedlegg"])
        except services.SakFeil as feil:
            form = _ta_vare_pa_filer(request, form)
            form.add_error(None, str(feil))
        else:
            services.mellomlagring_fjern(form.cleaned_data.get("mellomlagret") or [])
            messages.success(request, "Saken er lagret som utkast. Send den til godkjenning når den er klar.")
            if not sak.innstilling:
                messages.warning(request, "Saken har ikke noe forslag til vedtak: det ble ikke funnet i "
                                          "saksframlegget. Skriv det inn under «Rediger opplysninger» før du "
                                          "sender saken.")
            return redirect(sak)
    elif form.is_bound:
        form = _ta_vare_pa_filer(request, form)
    return render(request, "saker/sak_form.html", {"form": form, "ny": True})


@require_safe
@login_required
def sak(request: HttpRequest, pk: int) -> HttpResponse:
    sak = hent_sak(request.user, pk)
    kan = selectors.handlinger(request.user, sak)
    context = {**sak_detaljer(sak), "kan": kan, "siste_retur": selectors.siste_retur(sak)}
    if kan.kan_endre:
        context["send_form"] = SendTilGodkjenningForm(sak=sak)
        context["dokument_form"] = DokumentForm(sak=sak)
    context.update(_vedtak_kontekst(sak, kan))
    vedtak = context.get("vedtak")
    if vedtak is not None:
        # Every letter is listed once, with its party in the vedtak section, not again among the documents.
        for noekkel in ("gjeldende", "tidligere"):
            context[noekkel] = [d for d in context[noekkel] if d.rolle != Dokument.Rolle.VEDTAKSBREV]
    sted = plass(sak, vedtak=vedtak, saksliste_mote=None if vedtak else selectors.saksliste_mote(sak))
    context.update({
        "plass": sted, "hos": hos(sak, request.user, sted), "frist_gjelder": frist_gjelder(sak),
        "neste": neste_steg(sak, request.user, kan, parter=context.get("parter") or (), sted=sted),
        "prosess": prosess(sak, [p.hendelse for p in context["historikk"] if p.hendelse]),
    })
    return render(request, "saker/sak_detail.html", context)


@krever_rolle(Rolle.SAKSBEHANDLER)
def sak_rediger(request: HttpRequest, pk: int) -> HttpResponse:
    sak = hent_egen_sak(request.user, pk)
    if not selectors.handlinger(request.user, sak).kan_endre:
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
def sak_dokumenter(request: HttpRequest, pk: int) -> HttpResponse:
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
            filer_ = f"{len(nye)} fil{'er' if len(nye) != 1 else ''} lastet opp"
            messages.success(request, filer_ + (f", {fjernet} vedlegg fjernet." if fjernet else "."))
    else:
        for feil in form.errors.values():
            for melding in feil:
                messages.error(request, melding)
    return redirect(sak)


@require_POST
@krever_rolle(Rolle.SAKSBEHANDLER)
def sak_send_til_godkjenning(request: HttpRequest, pk: int) -> HttpResponse:
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


def _hent_dokument(request: HttpRequest, pk: int, dokument_pk: int) -> Dokument:
    sak = hent_sak(request.user, pk)
    dokument = get_object_or_404(Dokument, sak=sak, pk=dokument_pk)
    dokument.sak = sak
    return dokument


@require_safe
@login_required
def dokument_last_ned(request: HttpRequest, pk: int, dokument_pk: int) -> HttpResponse:
    dokument = _hent_dokument(request, pk, dokument_pk)
    try:
        fil = dokument.fil.open("rb")
    except FileNotFoundError as e:
        raise Http404("Filen finnes ikke lenger.") from e
    services.dokument_lest(dokument=dokument, av=request.user)
    return FileResponse(fil, as_attachment=True, filename=dokument.filnavn, content_type=dokument.mime)


@require_safe
@login_required
def dokument_forhandsvis(request: HttpRequest, pk: int, dokument_pk: int) -> HttpResponse:
    dokument = _hent_dokument(request, pk, dokument_pk)
    if not dokument.er_docx:
        raise Http404("Forhåndsvisning finnes bare for Word-dokumenter.")
    visning, feil = filer.forhandsvisning_fra_tekst(dokument.tekst), ""
    if visning is None:
        # Stored when the document was saved; rows from before that (or from before the preview kept
        # headings and tables) are read from the file.
        try:
            with dokument.fil.open("rb") as fil:
                visning = filer.tekst_forhandsvisning(fil)
        except ValidationError as e:
            feil = e.messages[0]
    if not feil:
        services.dokument_lest(dokument=dokument, av=request.user, hvordan="forhåndsvist")
    return render(request, "saker/dokument_forhandsvis.html", {
        "sak": dokument.sak, "dokument": dokument, "visning": visning, "feil": feil,
    })


@require_POST
@krever_rolle(Rolle.SAKSBEHANDLER)
def sak_send_til_sekretariat(request: HttpRequest, pk: int) -> HttpResponse:
    sak = hent_egen_sak(request.user, pk)
    try:
        services.sak_send_til_sekretariat(sak=sak, av=request.user)
    except services.SakFeil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, "Saken er sendt til politisk sekretariat. Dokumentene kan ikke endres lenger.")
    return redirect(sak)


# --- After the meeting: parties, vedtaksbrev and dispatch ----------------------------------------------------


def _vedtak_kontekst(sak: Sak, kan: selectors.Handlinger) -> dict:
    """The vedtak section of the case page; only the case's officer gets the forms, while the case is open."""
    vedtak, rader = selectors.vedtak_og_parter(sak)
    if vedtak is None:
        return {}
    for rad in rader:
        if kan.kan_handle_vedtak and rad.kan_endres:
            # Several forms of one kind on the page: ids per party, names shared so one view reads them all.
            rad.brev_form = VedtaksbrevForm(auto_id=f"id_%s_{rad.part.pk}")
            rad.manuell_form = ManuellForsendelseForm(auto_id=f"id_%s_{rad.part.pk}")
    return {
        "vedtak": vedtak,
        "p360_ref": brev.p360_ref(sak),
        "parter": rader,
        "kan_handle_vedtak": kan.kan_handle_vedtak,
        "utsending_kanal": utsending.kanal(),
        "har_brev": any(r.brev for r in rader if r.kan_endres),
    }


def _hent_egen_part(request: HttpRequest, pk: int, part_pk: int) -> tuple[Sak, Part]:
    sak = hent_egen_sak(request.user, pk)
    return sak, get_object_or_404(Part.objects.select_related("sak"), sak=sak, pk=part_pk)


def _til_part(sak: Sak, part_pk: int | None = None) -> HttpResponseRedirect:
    """Back to the party's row (its letter and dispatch), so the officer goes on where they were."""
    return redirect(f"{sak.get_absolute_url()}#{f'part-{part_pk}' if part_pk else 'vedtaksbrev'}")


def _skjemafeil(request: HttpRequest, form: Form) -> None:
    for feil in form.errors.values():
        for melding in feil:
            messages.error(request, melding)


@krever_rolle(Rolle.SAKSBEHANDLER)
def parter(request: HttpRequest, pk: int) -> HttpResponse:
    """The case's parties, and a form to add one."""
    sak = hent_egen_sak(request.user, pk)
    form = PartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            part = services.part_opprett(sak=sak, av=request.user, data=form.part_data())
        except services.SakFeil as feil:
            form.add_error(None, str(feil))
        else:
            messages.success(request, f"{part.navn} er lagt til som part.")
            return redirect("saker:parter", sak.pk)
    return render(request, "saker/parter.html", {
        "sak": sak, "parter": sak.parter.select_related("forsendelse"), "form": form,
        "kan_endre": selectors.handlinger(request.user, sak).kan_handle_vedtak,
        # Before any letter exists, "Ferdig" makes them all; once one does, remaking (which replaces a letter the
        # officer uploaded) is asked for on the case page, with a confirmation.
        "lag_brev": not sak.dokumenter.filter(rolle=Dokument.Rolle.VEDTAKSBREV).exists(),
    })


@krever_rolle(Rolle.SAKSBEHANDLER)
def part_rediger(request: HttpRequest, pk: int, part_pk: int) -> HttpResponse:
    sak, part = _hent_egen_part(request, pk, part_pk)
    form = PartForm(request.POST or None, part=part)
    if request.method == "POST" and form.is_valid():
        try:
            part = services.part_oppdater(part=part, av=request.user, data=form.part_data())
        except services.SakFeil as feil:
            form.add_error(None, str(feil))
        else:
            messages.success(request, f"Opplysningene om {part.navn} er lagret.")
            if part.brev.filter(gjeldende=True).exists():
                messages.warning(request, f"Lag brevet til {part.navn} på nytt, så navn og adresse i brevet "
                                          "stemmer med endringen.")
            return redirect("saker:parter", sak.pk)
    return render(request, "saker/parter.html", {
        "sak": sak, "parter": sak.parter.select_related("forsendelse"), "form": form, "redigerer": part,
        "kan_endre": selectors.handlinger(request.user, sak).kan_handle_vedtak,
    })


@require_POST
@krever_rolle(Rolle.SAKSBEHANDLER)
def part_fjern(request: HttpRequest, pk: int, part_pk: int) -> HttpResponse:
    sak, part = _hent_egen_part(request, pk, part_pk)
    try:
        services.part_fjern(part=part, av=request.user)
    except services.SakFeil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, f"{part.navn} er fjernet som part.")
    return redirect("saker:parter", sak.pk)


@require_POST
@krever_rolle(Rolle.SAKSBEHANDLER)
def vedtaksbrev_lag(request: HttpRequest, pk: int) -> HttpResponse:
    sak = hent_egen_sak(request.user, pk)
    form = VedtaksbrevLagForm(request.POST, sak=sak)
    if not form.is_valid():
        messages.error(request, "Parten finnes ikke i saken.")
        return _til_part(sak)
    part = form.cleaned_data["part"]
    try:
        nye = services.vedtaksbrev_lag(sak=sak, av=request.user, part=part)
    except services.SakFeil as feil:
        messages.error(request, str(feil))
    else:
        messages.success(request, f"Vedtaksbrev laget for {len(nye)} part{'er' if len(nye) != 1 else ''}. "
                                  "Last det ned, les det, og last opp en rettet versjon om det trengs.")
    return _til_part(sak, part.pk if part else None)


@require_POST
@krever_rolle(Rolle.SAKSBEHANDLER)
def vedtaksbrev_last_opp(request: HttpRequest, pk: int, part_pk: int) -> HttpResponse:
    sak, part = _hent_egen_part(request, pk, part_pk)
    form = VedtaksbrevForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            dokument = services.vedtaksbrev_last_opp(part=part, av=request.user, brev=form.cleaned_data["brev"])
        except services.SakFeil as feil:
            messages.error(request, str(feil))
        else:
            messages.success(request, f"{dokument.filnavn} er nå vedtaksbrevet til {part.navn} "
                                      f"(versjon {dokument.versjon}).")
    else:
        _skjemafeil(request, form)
    return _til_part(sak, part.pk)


@require_POST
@krever_rolle(Rolle.SAKSBEHANDLER)
def forsendelse_registrer(request: HttpRequest, pk: int, part_pk: int) -> HttpResponse:
    sak, part = _hent_egen_part(request, pk, part_pk)
    form = ManuellForsendelseForm(request.POST)
    if form.is_valid():
        try:
            services.forsendelse_registrer_manuelt(part=part, av=request.user, **form.cleaned_data)
        except services.SakFeil as feil:
            messages.error(request, str(feil))
        else:
            _melding_sendt(request, sak, part)
    else:
        _skjemafeil(request, form)
    return _til_part(sak, part.pk)


@require_POST
@krever_rolle(Rolle.SAKSBEHANDLER)
def forsendelse_send(request: HttpRequest, pk: int, part_pk: int) -> HttpResponse:
    """Send through SvarUt, or retry a failed shipment; the form asks for confirmation first."""
    sak, part = _hent_egen_part(request, pk, part_pk)
    try:
        forsendelse = services.forsendelse_send_svarut(part=part, av=request.user)
    except services.SakFeil as feil:
        messages.error(request, str(feil))
    else:
        if forsendelse.status == Forsendelse.Status.SENDT:
            _melding_sendt(request, sak, part)
        else:
            messages.error(request, f"Vedtaksbrevet til {part.navn} ble ikke sendt: {forsendelse.feilmelding} "
                                    "Du kan prøve igjen.")
    return _til_part(sak, part.pk)


def _melding_sendt(request: HttpRequest, sak: Sak, part: Part) -> None:
    sak.refresh_from_db(fields=["status"])
    if sak.status == Sak.Status.AVSLUTTET:
        messages.success(request, "Vedtaksbrevet er sendt til alle partene. Saken er avsluttet, og politisk "
                                  "sekretariat har fått beskjed.")
    else:
        messages.success(request, f"Vedtaksbrevet til {part.navn} er registrert som sendt.")
