"""The vedtaksbrev from the models: maps a case, its vedtak and one party onto `VedtaksbrevData` and builds
the .docx with `saker.vedtaksbrev_docx`. Storing it as a new version is the service's job
(`saker.services.vedtaksbrev_lag`); this module changes nothing."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from . import vedtaksbrev_docx
from .filer import FilInfo, rens_filnavn
from .models import Part, Registrering, Sak, Vedtak

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class BrevFeil(Exception):
    """The letter cannot be made; the message is Norwegian and shown as it is."""


@dataclass(frozen=True)
class LagetBrev:
    innhold: bytes
    info: FilInfo


def p360_ref(sak: Sak) -> str:
    """The case's document number in P360, if the secretariat has registered it."""
    try:
        return sak.registrering.p360_dokumentnr
    except Registrering.DoesNotExist:
        return ""


def vedtaksbrev_data(*, sak: Sak, vedtak: Vedtak, part: Part, dato: datetime.date) -> vedtaksbrev_docx.VedtaksbrevData:
    try:
        avsender = vedtaksbrev_docx.avsender_for(sak.kommune.kode)
    except ValueError:
        raise BrevFeil(f"Det finnes ingen brevmal for {sak.kommune}. Vedtaksbrev lages på brevhodet til "
                       "den gamle kommunen saken er skrevet i.") from None
    saksbehandler = sak.saksbehandler
    return vedtaksbrev_docx.VedtaksbrevData(
        avsender=avsender,
        # Name and postal address only: the identity number is for SvarUt's routing, never for the letter.
        mottaker=vedtaksbrev_docx.Part(navn=part.navn, adresse=part.adresse, postnummer=part.postnummer,
                                       poststed=part.poststed),
        dato=dato,
        var_ref=sak.arkivsaksnr,
        p360_ref=p360_ref(sak),
        tittel=sak.tittel,
        utvalg_navn=vedtak.mote.utvalg.navn,
        motedato=timezone.localtime(vedtak.mote.tidspunkt).date(),
        utvalgssaksnr=vedtak.utvalgssaksnr,
        vedtakstekst=vedtak.tekst,
        saksbehandler_navn=saksbehandler.get_full_name() or saksbehandler.username,
        saksbehandler_telefon=saksbehandler.telefon,
        saksbehandler_epost=saksbehandler.email,
        klageinstans=settings.VEDTAKSBREV_KLAGEINSTANS,
        vedlegg=[f"Saksutskrift {vedtak.utvalgssaksnr}"],
    )


def brev_filnavn(sak: Sak, part: Part) -> str:
    # "/" in the case number would be cut as a path; SvarUt refuses it in file names too.
    return rens_filnavn(f"Vedtaksbrev {sak.arkivsaksnr.replace('/', '-')} {part.navn}.docx")


def lag_vedtaksbrev(*, sak: Sak, vedtak: Vedtak, part: Part, dato: datetime.date) -> LagetBrev:
    data = vedtaksbrev_data(sak=sak, vedtak=vedtak, part=part, dato=dato)
    try:
        innhold = vedtaksbrev_docx.bygg_vedtaksbrev(data)
    except ValueError as feil:
        # The builder's messages are Norwegian and never quote the text that tripped them.
        raise BrevFeil(str(feil)) from None
    return LagetBrev(innhold, FilInfo(brev_filnavn(sak, part), DOCX_MIME, ".docx", len(innhold)))
