"""A meeting's PDFs: the saksliste as PDF/A and the møtebok (sakskart), ordered by the secretariat, made by a
worker with its progress on the row, and kept until the agenda or a document changes (the fingerprint).

Who may download: the secretariat, and whoever may see at least one case on the agenda. The book holds only
what is public for an elected body (offentleglova § 16): exempt cases are there by public title and legal
basis, their documents left out.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from overgang.organisasjon.models import Bruker, Mote, Rolle
from overgang.organisasjon.tilgang import sjekk_rolle
from saker import services as saker_services
from saker.filer import pdfa
from saker.models import Dokument, Sak
from saker.selectors import synlige_saker

from .models import Sakslistepunkt
from .motebok_modell import MotePdf
from .motebok_pdf import BokDokument, BokSak, bygg_motebok
from .saksliste_docx import MoteInfo, SakslistePunkt, bygg_saksliste
from .services import SekretariatFeil

logger = logging.getLogger(__name__)
Status, Slag = MotePdf.Status, MotePdf.Slag
# Documents converted per LibreOffice run: few enough that the progress moves, many enough to save starts.
PARTI = 10
_DOKUMENTROLLER = (Dokument.Rolle.HOVEDDOKUMENT, Dokument.Rolle.VEDLEGG)


def kan_se(bruker: Bruker, mote: Mote) -> bool:
    if bruker.har_rolle(Rolle.SEKRETARIAT):
        return True
    return synlige_saker(bruker).filter(sakslistepunkter__mote=mote).exists()


def _punkter(mote: Mote) -> list[Sakslistepunkt]:
    # The agenda's order, as its page shows it (sekretariat.selectors.saksliste).
    return list(Sakslistepunkt.objects.filter(mote=mote).order_by("rekkefolge", "pk")
                .select_related("sak__saksbehandler"))


def _dokumenter(punkter: list[Sakslistepunkt]) -> dict[int, list[Dokument]]:
    """Each case's current saksframlegg first, then its vedlegg in the order they were added."""
    per_sak: dict[int, list[Dokument]] = {p.sak_id: [] for p in punkter}
    for dokument in (Dokument.objects.filter(sak_id__in=per_sak, rolle__in=_DOKUMENTROLLER, gjeldende=True)
                     .order_by("sak_id", "rolle", "lastet_opp", "pk")):
        per_sak[dokument.sak_id].append(dokument)
    return per_sak


def fingeravtrykk(mote: Mote, slag: str, punkter: list[Sakslistepunkt] | None = None,
                  dokumenter: dict[int, list[Dokument]] | None = None) -> str:
    """What the file is made of, hashed: a change to any of it makes the file stale."""
    punkter = _punkter(mote) if punkter is None else punkter
    grunnlag: list = [slag, mote.utvalg.navn, mote.utvalg.kode, int(mote.tidspunkt.timestamp()), mote.sted]
    for p in punkter:
        sak = p.sak
        grunnlag.append([p.utvalgssaksnr, sak.pk, sak.tittel_ut, sak.unntatt_offentlighet, sak.hjemmel,
                         str(sak.saksbehandler), sak.arkivsaksnr])
    if slag == Slag.MOTEBOK:
        dokumenter = _dokumenter(punkter) if dokumenter is None else dokumenter
        grunnlag.append({str(k): [d.pk for d in v] for k, v in dokumenter.items()})
    return hashlib.sha256(json.dumps(grunnlag, ensure_ascii=False).encode()).hexdigest()


def saksliste_docx(mote: Mote, punkter: list[Sakslistepunkt] | None = None) -> bytes:
    """The agenda as .docx, for the download and the PDF alike. The agenda is published: an exempt case stays on
    it by its public title, and the builder adds the exempt mark with its legal basis (offentleglova § 16); the
    full title stays in the app."""
    info = MoteInfo(utvalg_navn=mote.utvalg.navn, utvalg_kode=mote.utvalg.kode, tidspunkt=mote.tidspunkt,
                    sted=mote.sted)
    return bygg_saksliste(info, [
        SakslistePunkt(utvalgssaksnr=p.utvalgssaksnr, tittel=p.sak.tittel_ut, saksbehandler=str(p.sak.saksbehandler),
                       arkivsaksnr=p.sak.arkivsaksnr, unntatt_offentlighet=p.sak.unntatt_offentlighet,
                       hjemmel=p.sak.hjemmel)
        for p in (_punkter(mote) if punkter is None else punkter)
    ])


def filnavn(mote: Mote, slag: str) -> str:
    return f"{'saksliste' if slag == Slag.SAKSLISTE else 'motebok'}-{mote.utvalg.kode}-" \
           f"{timezone.localtime(mote.tidspunkt):%Y-%m-%d}.pdf"


def tilstand(mote: Mote) -> dict[str, tuple[MotePdf | None, bool]]:
    """Per kind: its row (or None) and whether the row is made from today's agenda and documents."""
    rader = {r.slag: r for r in MotePdf.objects.filter(mote=mote)}
    punkter = _punkter(mote)
    dokumenter = _dokumenter(punkter)
    return {slag: (rader.get(slag), bool(rader.get(slag)) and rader[slag].fingeravtrykk == fingeravtrykk(
        mote, slag, punkter, dokumenter)) for slag in Slag.values}


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=2 * settings.PDFA_TIDSGRENSE + 30)


def motepdf_bestill(*, mote: Mote, slag: str, av: Bruker) -> MotePdf:
    """Order the saksliste or the møtebok. Nothing new when the file for today's agenda is made or being made;
    otherwise the row starts again with today's fingerprint and a worker makes it after commit."""
    sjekk_rolle(av, Rolle.SEKRETARIAT, "lage møtebok og saksliste som PDF", SekretariatFeil)
    if slag not in Slag.values:
        raise SekretariatFeil("Velg saksliste eller møtebok.")
    with transaction.atomic():
        mote = Mote.objects.select_for_update().select_related("utvalg").get(pk=mote.pk)
        avtrykk = fingeravtrykk(mote, slag)
        rad, _ = MotePdf.objects.get_or_create(mote=mote, slag=slag, defaults={"fingeravtrykk": avtrykk,
                                                                               "bestilt_av": av})
        fersk = rad.status == Status.FERDIG or (rad.er_under_arbeid and (
            rad.livstegn is None or rad.livstegn > timezone.now() - _lease()))
        if rad.fingeravtrykk == avtrykk and fersk and rad.status != Status.VENTER:
            return rad
        gammel_fil = rad.fil.name
        MotePdf.objects.filter(pk=rad.pk).update(
            status=Status.VENTER, fingeravtrykk=avtrykk, fil="", storrelse=0, deler_ferdig=0, deler_totalt=0,
            feilmelding="", bestilt_av=av, bestilt=timezone.now(), livstegn=None, ferdig=None)
        rad.refresh_from_db()
        if gammel_fil:  # a stale file is only a cache
            transaction.on_commit(lambda: rad.fil.storage.delete(gammel_fil))
        transaction.on_commit(lambda: _koe(rad.pk, avtrykk))
    return rad


def _koe(rad_id: int, avtrykk: str) -> None:
    from .tasks import lag_motepdf

    try:
        lag_motepdf.delay(rad_id, avtrykk)
    except Exception:
        logger.warning("Fikk ikke lagt møte-PDF %s i køen", rad_id, exc_info=True)


class _Foreldet(Exception):
    """The row was ordered again with another fingerprint while this worker built the old one."""


def motepdf_lag(*, rad_id: int, avtrykk: str) -> MotePdf | None:
    """The worker's job: claim the row for this fingerprint, build, store; None if there was nothing to do."""
    naa = timezone.now()
    ledig = Q(status=Status.VENTER) | Q(status=Status.LAGER, livstegn__lt=naa - _lease())
    if not MotePdf.objects.filter(ledig, pk=rad_id, fingeravtrykk=avtrykk).update(status=Status.LAGER,
                                                                                   livstegn=naa):
        return None
    rad = MotePdf.objects.select_related("mote__utvalg").get(pk=rad_id)
    mine = MotePdf.objects.filter(pk=rad_id, fingeravtrykk=avtrykk, status=Status.LAGER)
    try:
        innhold = _bygg(rad, mine)
    except _Foreldet:
        return None
    except pdfa.LibreOfficeMangler as feil:
        mine.update(status=Status.UTEN_LIBREOFFICE, feilmelding=str(feil))
        return MotePdf.objects.get(pk=rad_id)
    except pdfa.PdfFeil as feil:
        mine.update(status=Status.FEILET, feilmelding=str(feil))
        return MotePdf.objects.get(pk=rad_id)
    navn = rad.fil.storage.save(rad.fil.field.generate_filename(rad, "x.pdf"), ContentFile(innhold))
    if not mine.update(status=Status.FERDIG, fil=navn, storrelse=len(innhold), ferdig=timezone.now(),
                       deler_ferdig=rad.deler_totalt, livstegn=timezone.now()):
        rad.fil.storage.delete(navn)
        return None
    logger.info("%s for møte %s laget (%s byte)", rad.get_slag_display(), rad.mote_id, len(innhold))
    return MotePdf.objects.get(pk=rad_id)


def _bygg(rad: MotePdf, mine) -> bytes:
    mote = rad.mote
    punkter = _punkter(mote)
    dokumenter = _dokumenter(punkter) if rad.slag == Slag.MOTEBOK else {}
    # An exempt case's documents are left out of the book, so they are not converted either.
    alle = [d for p in punkter if not p.sak.unntatt_offentlighet for d in dokumenter.get(p.sak_id, [])]
    partier = [alle[i:i + PARTI] for i in range(0, len(alle), PARTI)]
    # Parts: the agenda, each batch of documents, each case put in the book.
    rad.deler_totalt = 1 + len(partier) + (len(punkter) if rad.slag == Slag.MOTEBOK else 0)
    ferdig = 0

    def steg() -> None:
        nonlocal ferdig
        ferdig += 1
        if not mine.update(deler_ferdig=ferdig, deler_totalt=rad.deler_totalt, livstegn=timezone.now()):
            raise _Foreldet()

    saksliste = pdfa.til_pdfa(saksliste_docx(mote, punkter), "saksliste.docx")
    steg()
    if rad.slag == Slag.SAKSLISTE:
        return saksliste
    pdfer: dict[int, bytes | pdfa.PdfFeil] = {}
    for parti in partier:
        pdfer.update(saker_services.pdf_lag_mange(dokumenter=parti))
        steg()
    saker = [_boksak(p.sak, dokumenter.get(p.sak_id, []), pdfer, p.utvalgssaksnr) for p in punkter]
    return bygg_motebok(saksliste, saker, tittel=f"Møtebok – {mote.utvalg.navn} "
                                                 f"{timezone.localtime(mote.tidspunkt):%d.%m.%Y}", underveis=steg)


def _boksak(sak: Sak, dokumenter: list[Dokument], pdfer: dict, utvalgssaksnr: str) -> BokSak:
    bok = []
    for d in dokumenter:
        pdf = pdfer.get(d.pk)
        bok.append(BokDokument(tittel=f"{d.get_rolle_display()}: {d.filnavn}",
                               pdf=pdf if isinstance(pdf, bytes) else None,
                               feil=str(pdf) if isinstance(pdf, pdfa.PdfFeil) else ""))
    return BokSak(utvalgssaksnr=utvalgssaksnr, tittel=sak.tittel_ut, unntatt_offentlighet=sak.unntatt_offentlighet,
                  hjemmel=sak.hjemmel, dokumenter=bok)
