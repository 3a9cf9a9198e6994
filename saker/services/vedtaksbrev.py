"""The vedtaksbrev to each party and its dispatch (recorded by hand, or sent through SvarUt), after which the
last shipment closes the case. Every function locks the case row first."""

import datetime
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from overgang.organisasjon.models import Bruker

from .. import brev as brevmal
from .. import utsending
from ..models import LAST_FORSENDELSE, Dokument, Forsendelse, Part, Sak
from .felles import Opplasting, SakFeil, lagre_dokument, last_sak, rydd_filer_ved_feil, sjekk_sakstorrelse, sjekk_spor
from .parter import part_i_sak, sjekk_ikke_sendt, sjekk_vedtatt
from .pdf import pdf_bestill, pdf_for_utsending
from .workflow import avslutt_hvis_alle_har_fatt_brev

logger = logging.getLogger(__name__)


def _gjeldende_brev(part: Part) -> Dokument | None:
    return Dokument.objects.filter(part=part, rolle=Dokument.Rolle.VEDTAKSBREV, gjeldende=True).first()


def _lagre_vedtaksbrev(sak: Sak, part: Part, opplasting: Opplasting, av: Bruker,
                       lagret: list[Dokument]) -> Dokument:
    """The next version of the party's letter; the earlier ones are kept, no longer current."""
    mine = Dokument.objects.filter(sak=sak, rolle=Dokument.Rolle.VEDTAKSBREV, part=part)
    forrige = mine.aggregate(siste=Max("versjon"))["siste"] or 0
    mine.filter(gjeldende=True).update(gjeldende=False)
    return lagre_dokument(sak, opplasting, Dokument.Rolle.VEDTAKSBREV, av, versjon=forrige + 1, lagret=lagret,
                          part=part)


def _bestill_pdf(brev: Dokument, saksutskrift: Dokument | None) -> None:
    """The letter goes out as PDF/A with the saksutskrift as its own document: order both from a worker now,
    so they are ready when the officer sends (the .docx stays for editing)."""
    pdf_bestill(dokument=brev)
    if saksutskrift is not None:
        pdf_bestill(dokument=saksutskrift)


def vedtaksbrev_lag(*, sak: Sak, av: Bruker, part: Part | None = None) -> list[Dokument]:
    """Generate the vedtaksbrev (.docx) for every party not yet sent it, or for one party. Each becomes that
    party's current letter; an earlier version (also one the case officer uploaded) is kept in the history.
    Its PDF/A is made by a worker after commit."""
    with rydd_filer_ved_feil() as lagret, transaction.atomic():
        sak = last_sak(sak)
        vedtak = sjekk_vedtatt(sak, av, "lage vedtaksbrev")
        if part is not None:
            parter = [part_i_sak(sak, part)]
            sjekk_ikke_sendt(parter[0], "lage brevet på nytt")
        else:
            alle = list(sak.parter.select_related("forsendelse"))
            for p in alle:
                if not hasattr(p, "forsendelse"):  # a party made outside part_opprett (admin, data import)
                    p.forsendelse = Forsendelse.objects.create(part=p)
            if not alle:
                raise SakFeil("Legg til partene før vedtaksbrevet lages.")
            parter = [p for p in alle if p.forsendelse.status not in LAST_FORSENDELSE]
            if not parter:
                raise SakFeil("Vedtaksbrevet er allerede sendt til alle partene.")
        dato = timezone.localdate()
        for p in parter:
            try:
                laget = brevmal.lag_vedtaksbrev(sak=sak, vedtak=vedtak, part=p, dato=dato)
            except brevmal.BrevFeil as feil:
                raise SakFeil(str(feil)) from None
            brev = _lagre_vedtaksbrev(sak, p, Opplasting(ContentFile(laget.innhold), laget.info), av, lagret)
            _bestill_pdf(brev, vedtak.saksutskrift)
    return lagret


def vedtaksbrev_last_opp(*, part: Part, av: Bruker, brev: Opplasting) -> Dokument:
    """The case officer's corrected, final letter to one party (.docx or .pdf): it becomes the current one. An
    edited .docx is converted to PDF/A again."""
    sjekk_spor(brev, Dokument.Rolle.VEDTAKSBREV)
    with rydd_filer_ved_feil() as lagret, transaction.atomic():
        sak = last_sak(part.sak_id)
        vedtak = sjekk_vedtatt(sak, av, "laste opp vedtaksbrev")
        part = part_i_sak(sak, part)
        sjekk_ikke_sendt(part, "bytte brevet")
        forrige = _gjeldende_brev(part)
        sjekk_sakstorrelse(sak, [brev], forrige.storrelse if forrige else 0)
        dokument = _lagre_vedtaksbrev(sak, part, brev, av, lagret)
        _bestill_pdf(dokument, vedtak.saksutskrift)
        return dokument


def _tidspunkt(dato: datetime.date) -> datetime.datetime:
    """A sending date as a moment: now if it is today, else noon that day (the hour is not known)."""
    if dato == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(dato, datetime.time(12)))


def forsendelse_registrer_manuelt(*, part: Part, av: Bruker, forsendelse_id: str,
                                  dato: datetime.date) -> Forsendelse:
    """Record that the case officer sent the letter and the saksutskrift to the party in SvarUt's own pages."""
    backend = utsending.backend()
    if backend.kanal != Forsendelse.Kanal.MANUELL:
        raise SakFeil("Vedtaksbrev sendes gjennom SvarUt herfra; manuell registrering er slått av.")
    with transaction.atomic():
        sak = last_sak(part.sak_id)
        vedtak = sjekk_vedtatt(sak, av, "registrere forsendelser")
        part = part_i_sak(sak, part)
        sjekk_ikke_sendt(part, "registrere den på nytt")
        if dato < timezone.localtime(vedtak.mote.tidspunkt).date():
            raise SakFeil("Brevet kan ikke være sendt før møtet der vedtaket ble fattet.")
        brev = _gjeldende_brev(part)
        if brev is None:
            raise SakFeil(f"Lag eller last opp vedtaksbrevet til {part.navn} før forsendelsen registreres.")
        forsendelse = part.forsendelse
        forsendelse.forsendelse_id, forsendelse.sendt = forsendelse_id, _tidspunkt(dato)
        try:
            resultat = backend.send(forsendelse)
        except utsending.UtsendingFeil as feil:
            raise SakFeil(str(feil)) from None
        forsendelse.status, forsendelse.kanal, forsendelse.brev = Forsendelse.Status.SENDT, backend.kanal, brev
        forsendelse.forsendelse_id, forsendelse.sendt = resultat.forsendelse_id, resultat.sendt
        forsendelse.sendt_av, forsendelse.feilmelding = av, ""
        forsendelse.forsok += 1
        forsendelse.save()
        avslutt_hvis_alle_har_fatt_brev(sak, av)
    return forsendelse


def _sorg_for_pdf(part: Part, av: Bruker) -> None:
    """SvarUt prints only PDF: the letter and the saksutskrift go as PDF/A. Normally a worker made them when
    the letter was made; if not yet, they are made here, before the claim and outside any transaction, so a
    refusal leaves the shipment as it was. The claim below checks everything again under the lock; this
    first look only keeps an outsider, or a letter already sent, from starting LibreOffice."""
    sak = Sak.objects.get(pk=part.sak_id)
    vedtak = sjekk_vedtatt(sak, av, "sende vedtaksbrevet")
    part = part_i_sak(sak, part)
    if part.forsendelse.status == Forsendelse.Status.SENDT:  # a stale claim (sender) may still be taken over
        return
    for dokument in (_gjeldende_brev(part), vedtak.saksutskrift):
        if dokument is not None:
            pdf_for_utsending(dokument=dokument)


def forsendelse_send_svarut(*, part: Part, av: Bruker) -> Forsendelse:
    """Send the party's current letter with the saksutskrift through SvarUt, or try a failed shipment again.

    Three steps, so the HTTP call holds no lock and no transaction: claim the row (a conditional update, so a
    second press finds nothing to claim), call SvarUt, record the result. A failure is recorded on the row
    (status feilet, with SvarUt's message) and returned, not raised: it is shown on the case and can be retried.
    The retry sends with the same external reference, and SvarUt answers with a shipment it already has.
    """
    backend = utsending.backend()
    if backend.kanal != Forsendelse.Kanal.SVARUT:
        raise SakFeil("SvarUt-integrasjonen er ikke slått på. Send brevet i SvarUt og registrer forsendelsen.")
    _sorg_for_pdf(part, av)
    with transaction.atomic():
        sak = last_sak(part.sak_id)
        vedtak = sjekk_vedtatt(sak, av, "sende vedtaksbrevet")
        part = part_i_sak(sak, part)
        brev = _gjeldende_brev(part)
        if brev is None:
            raise SakFeil(f"Lag eller last opp vedtaksbrevet til {part.navn} før det sendes.")
        if vedtak.saksutskrift is None:
            raise SakFeil("Saksutskriften mangler. Sekretariatet må laste den opp før brevet sendes.")
        naa = timezone.now()
        ledig = (Q(status__in=[Forsendelse.Status.IKKE_SENDT, Forsendelse.Status.FEILET])
                 | Q(status=Forsendelse.Status.SENDER, sist_forsokt__lt=naa - utsending.hengt_etter()))
        tatt = Forsendelse.objects.filter(ledig, part=part).update(
            status=Forsendelse.Status.SENDER, kanal=backend.kanal, brev=brev, forsok=F("forsok") + 1,
            sist_forsokt=naa, sendt_av=av, feilmelding="",
        )
        if tatt != 1:
            sjekk_ikke_sendt(part, "sende det på nytt")
            raise SakFeil(f"Vedtaksbrevet til {part.navn} kan ikke sendes nå.")

    forsendelse = Forsendelse.objects.select_related("part__sak__saksbehandler", "brev").get(part=part)
    try:
        resultat, feilmelding = backend.send(forsendelse), ""
    except utsending.UtsendingFeil as feil:
        resultat, feilmelding = None, str(feil)
    except Exception:
        # Never leave the claim behind on an unexpected error: it would block a retry until it grows stale.
        Forsendelse.objects.filter(pk=forsendelse.pk, status=Forsendelse.Status.SENDER).update(
            status=Forsendelse.Status.FEILET, feilmelding="Uventet feil under sendingen. Prøv igjen.")
        raise

    with transaction.atomic():
        sak = last_sak(sak)
        mine = Forsendelse.objects.filter(pk=forsendelse.pk, status=Forsendelse.Status.SENDER)
        if resultat is None:
            mine.update(status=Forsendelse.Status.FEILET, feilmelding=feilmelding)
            logger.warning("Vedtaksbrev til part %s i sak %s ble ikke sendt (forsøk %s)", part.pk, sak.pk,
                           forsendelse.forsok)
        elif mine.update(status=Forsendelse.Status.SENDT, forsendelse_id=resultat.forsendelse_id,
                         svarut_status=resultat.svarut_status, sendt=resultat.sendt, feilmelding=""):
            logger.info("Vedtaksbrev til part %s i sak %s sendt med SvarUt-forsendelse %s", part.pk, sak.pk,
                        resultat.forsendelse_id)
            avslutt_hvis_alle_har_fatt_brev(sak, av)
    forsendelse.refresh_from_db()
    return forsendelse
