"""What every change of a case shares, whichever app makes it: the domain error, the row lock, the history
row, and storing uploaded files so that a rolled-back transaction leaves none behind.

Other apps (godkjenning, sekretariat) lock a case and write its history through `last_sak` and
`skriv_hendelse`, so there is one lock order and one shape of history row."""

import contextlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from overgang.feil import Feil
from overgang.organisasjon.models import Bruker

from ..filer import FilInfo, forhandsvisning_som_tekst, sjekk_filtype
from ..models import Dokument, Hendelse, Sak
from ..selectors import pa_vegne_av


class SakFeil(Feil):
    """A change to a case that is not allowed now; the message is Norwegian and shown to the user as it is."""


@dataclass(frozen=True)
class Opplasting:
    """A file the form has already checked (type by content, size, name)."""

    fil: UploadedFile
    info: FilInfo


def last_sak(sak: Sak | int) -> Sak:
    """Re-read the case under a row lock, inside the caller's transaction: two people acting on one case are
    served one after the other, and the second sees the state the first left. Every app takes this lock
    first (then the meeting, then the number series), so changes never deadlock."""
    pk = sak if isinstance(sak, int) else sak.pk
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the approver.
    return (Sak.objects.select_for_update(of=("self",)).select_related("saksbehandler", "godkjenner")
            .get(pk=pk))


def skriv_hendelse(sak: Sak, til: str, av: Bruker, *, kommentar: str = "") -> Hendelse:
    """Move the locked case to `til` and write its one history row (old, new, who, for whom when standing in
    for an absent colleague, when, comment, and the saksframlegg version it concerned)."""
    hendelse = Hendelse.objects.create(
        sak=sak, fra_status=sak.status, til_status=til, utfort_av=av, pa_vegne_av=pa_vegne_av(av, sak, til),
        kommentar=kommentar,
        dokument=Dokument.objects.filter(sak=sak, rolle=Dokument.Rolle.HOVEDDOKUMENT, gjeldende=True).first(),
    )
    sak.status = til
    sak.status_endret = hendelse.tidspunkt
    sak.save(update_fields=["status", "status_endret"])
    return hendelse


@contextlib.contextmanager
def rydd_filer_ved_feil() -> Iterator[list[Dokument]]:
    """Files are written to disk before the transaction commits; if it rolls back, remove them again,
    so a refused upload leaves neither a row nor an orphan file. Wrap it outside `transaction.atomic()`;
    a caller that nests services passes their returned documents into its own list."""
    lagret: list[Dokument] = []
    try:
        yield lagret
    except BaseException:
        for dokument in lagret:
            dokument.fil.delete(save=False)
        raise


def lagre_dokument(sak: Sak, opplasting: Opplasting, rolle: str, av: Bruker, *, versjon: int,
                   lagret: list[Dokument], **felter) -> Dokument:
    """Write a checked upload as a new document row (documents are never changed, only superseded)."""
    dokument = Dokument(sak=sak, rolle=rolle, filnavn=opplasting.info.navn, mime=opplasting.info.mime,
                        storrelse=opplasting.info.storrelse, versjon=versjon, lastet_opp_av=av, **felter)
    if dokument.er_docx and not dokument.tekst:
        # The preview's text is read once here, not on every view of it.
        try:
            dokument.tekst = forhandsvisning_som_tekst(opplasting.fil)
        except ValidationError:
            pass  # the preview reads the file and shows why it cannot
    opplasting.fil.seek(0)
    dokument.fil.save(opplasting.info.navn, opplasting.fil, save=False)
    lagret.append(dokument)
    dokument.save()
    return dokument


def sjekk_sakstorrelse(sak: Sak, nye: Iterable[Opplasting], erstattes: int = 0) -> None:
    grense = settings.MAKS_SAKSTORRELSE_MB * 1024 * 1024
    eksisterende = sum(Dokument.objects.filter(sak=sak, gjeldende=True).values_list("storrelse", flat=True))
    total = eksisterende - erstattes + sum(o.info.storrelse for o in nye)
    if total > grense:
        mb = f"{total / 1024 / 1024:.1f}".replace(".", ",")
        grense_mb = settings.MAKS_SAKSTORRELSE_MB
        raise SakFeil(f"Sakens dokumenter blir til sammen {mb} MB; grensen er {grense_mb} MB per sak.")


def sjekk_spor(opplasting: Opplasting, spor: str) -> None:
    """The upload policy of the slot (saker.filer.regler), for callers without a form: a form has checked the
    file already, but a service keeps its rules whoever calls it."""
    try:
        sjekk_filtype(opplasting.info, spor)
    except ValidationError as feil:
        raise SakFeil(" ".join(feil.messages)) from None
