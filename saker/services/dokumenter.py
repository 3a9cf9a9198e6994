"""A case's documents: corrected versions and vedlegg, the saksutskrift of a handling, and the files kept for
an uploader whose form was refused."""

import datetime
from collections.abc import Iterable, Sequence

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from overgang.endringslogg.models import Handling
from overgang.endringslogg.services import logg
from overgang.organisasjon.models import Bruker, Rolle
from overgang.organisasjon.tilgang import sjekk_rolle

from ..filer import FilInfo
from ..models import UNDER_BEHANDLING, Dokument, Mellomlagring, Sak
from .felles import Opplasting, SakFeil, lagre_dokument, last_sak, rydd_filer_ved_feil, sjekk_sakstorrelse, sjekk_spor
from .workflow import sjekk_saksbehandler


def sak_last_opp(*, sak: Sak, av: Bruker, hoveddokument: Opplasting | None = None,
                 vedlegg: Sequence[Opplasting] = (), fjern_vedlegg: Iterable[int] = ()) -> list[Dokument]:
    """Upload a corrected main document (a new version; the old one is kept), add vedlegg, or take
    vedlegg out of the current set (they stay in the history)."""
    fjern = set(fjern_vedlegg)
    if hoveddokument is None and not vedlegg and not fjern:
        raise SakFeil("Velg en fil å laste opp eller et vedlegg å fjerne.")
    with rydd_filer_ved_feil() as lagret, transaction.atomic():
        sak = last_sak(sak)
        sjekk_saksbehandler(sak, av, "laste opp dokumenter")
        gjeldende = {d.pk: d for d in sak.dokumenter.filter(gjeldende=True)}
        if not fjern <= {pk for pk, d in gjeldende.items() if d.rolle == Dokument.Rolle.VEDLEGG}:
            raise SakFeil("Vedlegget finnes ikke i saken.")
        forrige = next((d for d in gjeldende.values() if d.rolle == Dokument.Rolle.HOVEDDOKUMENT), None)
        erstattes = sum(gjeldende[pk].storrelse for pk in fjern)
        if hoveddokument and forrige:
            erstattes += forrige.storrelse
        sjekk_sakstorrelse(sak, [*([hoveddokument] if hoveddokument else []), *vedlegg], erstattes)
        Dokument.objects.filter(pk__in=fjern).update(gjeldende=False)
        for pk in sorted(fjern):
            logg(av=av, handling=Handling.SLETTET, objekt=gjeldende[pk], sak_id=sak.pk,
                 kommentar="Fjernet fra saken; filen beholdes i historikken.")
        if hoveddokument:
            if forrige:
                Dokument.objects.filter(pk=forrige.pk).update(gjeldende=False)
            lagre_dokument(sak, hoveddokument, Dokument.Rolle.HOVEDDOKUMENT, av,
                           versjon=(forrige.versjon + 1) if forrige else 1, lagret=lagret)
        for v in vedlegg:
            lagre_dokument(sak, v, Dokument.Rolle.VEDLEGG, av, versjon=1, lagret=lagret)
        for dokument in lagret:
            logg(av=av, handling=Handling.OPPRETTET, objekt=dokument, sak_id=sak.pk,
                 kommentar=f"{dokument.get_rolle_display()}, versjon {dokument.versjon}")
    return lagret


def saksutskrift_legg_til(*, sak: Sak, av: Bruker, saksutskrift: Opplasting) -> Dokument:
    """File the saksutskrift of a handling that did not decide the case (innstilling, utsatt, or before a
    withdrawal). The case's state does not change, so no Hendelse is written; the agenda item links it."""
    sjekk_rolle(av, Rolle.SEKRETARIAT, "laste opp saksutskrifter", SakFeil)
    sjekk_spor(saksutskrift, Dokument.Rolle.SAKSUTSKRIFT)
    with rydd_filer_ved_feil() as lagret, transaction.atomic():
        sak = last_sak(sak)
        if sak.status not in UNDER_BEHANDLING:
            raise SakFeil(f"Saken er {sak.get_status_display().lower()}; saksutskriften kan ikke legges til nå.")
        return lagre_dokument(sak, saksutskrift, Dokument.Rolle.SAKSUTSKRIFT, av, versjon=1, lagret=lagret)


def dokument_lest(*, dokument: Dokument, av: Bruker, hvordan: str = "lastet ned") -> None:
    """Record who read a document of an exempt case, and when (the case page shows it in the story). Other
    documents are public once the case reaches a political body, and are not logged."""
    if dokument.sak.unntatt_offentlighet:
        logg(av=av, handling=Handling.LASTET_NED, objekt=dokument, sak_id=dokument.sak_id,
             kommentar=f"Unntatt offentlighet ({dokument.sak.hjemmel}); {hvordan}.")


# --- Files kept for the next attempt ----------------------------------------------------------------------------

def mellomlagre(*, bruker: Bruker, opplastinger: Iterable[tuple[str, Opplasting]]) -> list[Mellomlagring]:
    """Keep checked files for the uploader's next attempt when the rest of the form was refused."""
    rader = []
    for rolle, opplasting in opplastinger:
        rad = Mellomlagring(bruker=bruker, rolle=rolle, filnavn=opplasting.info.navn, mime=opplasting.info.mime,
                            filendelse=opplasting.info.filendelse, storrelse=opplasting.info.storrelse)
        opplasting.fil.seek(0)
        rad.fil.save(opplasting.info.navn, opplasting.fil, save=True)
        rader.append(rad)
    return rader


def som_opplasting(rad: Mellomlagring) -> Opplasting:
    """A kept file, ready for the services as if it had just been uploaded (it was checked then)."""
    return Opplasting(fil=File(rad.fil.open("rb"), name=rad.filnavn),
                      info=FilInfo(navn=rad.filnavn, mime=rad.mime, filendelse=rad.filendelse,
                                   storrelse=rad.storrelse))


def mellomlagring_fjern(rader: Iterable[Mellomlagring]) -> None:
    for rad in rader:
        rad.fil.close()
        rad.fil.delete(save=False)
        rad.delete()


def mellomlagring_rydd(*, eldre_enn: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    """The sweeper: files kept for an attempt nobody came back to."""
    gamle = list(Mellomlagring.objects.filter(opprettet__lt=timezone.now() - eldre_enn))
    mellomlagring_fjern(gamle)
    return len(gamle)
