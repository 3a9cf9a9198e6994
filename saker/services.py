"""The life of a case. Every change of state goes through a function here: it locks the case row,
checks the state and the actor, writes one Hendelse and calls notify, all in one transaction."""

import contextlib
import datetime
import logging
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max, Q
from django.utils import timezone

from overgang.organisasjon.models import Arkivsystem, Bruker, Kommunalomrade, Kommune, Mote, Rolle, Utvalg
from overgang.organisasjon.selectors import sekretariatet
from overgang.varsler.services import notify

from . import brev as brevmal
from . import utsending
from .filer import FilInfo
from .identitet import valider_fnr, valider_orgnr
from .models import Behandling, Dokument, Forsendelse, Hendelse, Mellomlagring, Part, Sak, Vedtak
from .selectors import er_saksbehandler_for, kan_godkjenne, saksbehandlerne

logger = logging.getLogger(__name__)

REDIGERBAR = {Sak.Status.UTKAST, Sak.Status.RETURNERT}


class SakFeil(Exception):
    """An action that is not allowed now; the message is Norwegian and shown to the user as it is."""


@dataclass(frozen=True)
class Opplasting:
    """A file the form has already checked (type by content, size, name)."""

    fil: UploadedFile
    info: FilInfo


@dataclass(frozen=True)
class SakData:
    tittel: str
    kommune: Kommune
    arkivsystem: Arkivsystem
    arkivsaksnr: str
    kommunalomrade: Kommunalomrade
    unntatt_offentlighet: bool
    hjemmel: str
    innstilling: str
    rute: Sequence[Utvalg]
    onsket_mote: Mote | None


def _last(sak: Sak) -> Sak:
    """Re-read the case under a row lock: two approvers pressing at once are served one after the other,
    and the second sees the state the first left."""
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the approver.
    return (Sak.objects.select_for_update(of=("self",)).select_related("saksbehandler", "godkjenner")
            .get(pk=sak.pk))


def _overgang(sak: Sak, til: str, av: Bruker, *, kommentar: str = "") -> Hendelse:
    hendelse = Hendelse.objects.create(
        sak=sak, fra_status=sak.status, til_status=til, utfort_av=av, kommentar=kommentar,
        dokument=Dokument.objects.filter(sak=sak, rolle=Dokument.Rolle.HOVEDDOKUMENT, gjeldende=True).first(),
    )
    sak.status = til
    sak.status_endret = hendelse.tidspunkt
    sak.save(update_fields=["status", "status_endret"])
    return hendelse


def _sjekk_data(data: SakData) -> None:
    _sjekk_rute(data.rute, data.onsket_mote)
    if data.unntatt_offentlighet and not data.hjemmel.strip():
        raise SakFeil("Oppgi hjemmel når saken er unntatt offentlighet.")


def _sjekk_rute(rute: Sequence[Utvalg], onsket_mote: Mote | None) -> None:
    if not rute:
        raise SakFeil("Saksgangen må ha minst ett utvalg.")
    if len({u.pk for u in rute}) != len(rute):
        raise SakFeil("Et utvalg kan bare stå én gang i saksgangen.")
    if onsket_mote is not None:
        if onsket_mote.utvalg_id != rute[0].pk:
            raise SakFeil(f"Ønsket møte må være et møte i {rute[0]}, det første utvalget i saksgangen.")
        if onsket_mote.status != Mote.Status.PLANLAGT or onsket_mote.tidspunkt < timezone.now():
            raise SakFeil("Ønsket møte må være et kommende, planlagt møte.")


def _lagre_rute(sak: Sak, rute: Sequence[Utvalg]) -> None:
    sak.behandlinger.all().delete()
    Behandling.objects.bulk_create(
        Behandling(sak=sak, utvalg=utvalg, rekkefolge=i) for i, utvalg in enumerate(rute, start=1)
    )


@contextlib.contextmanager
def _rydd_filer_ved_feil() -> Iterator[list[Dokument]]:
    """Files are written to disk before the transaction commits; if it rolls back, remove them again,
    so a refused upload leaves neither a row nor an orphan file."""
    lagret: list[Dokument] = []
    try:
        yield lagret
    except BaseException:
        for dokument in lagret:
            dokument.fil.delete(save=False)
        raise


def _sjekk_sakstorrelse(sak: Sak, nye: Iterable[Opplasting], erstattes: int = 0) -> None:
    grense = settings.MAKS_SAKSTORRELSE_MB * 1024 * 1024
    eksisterende = sum(Dokument.objects.filter(sak=sak, gjeldende=True).values_list("storrelse", flat=True))
    total = eksisterende - erstattes + sum(o.info.storrelse for o in nye)
    if total > grense:
        mb = f"{total / 1024 / 1024:.1f}".replace(".", ",")
        grense_mb = settings.MAKS_SAKSTORRELSE_MB
        raise SakFeil(f"Sakens dokumenter blir til sammen {mb} MB; grensen er {grense_mb} MB per sak.")


def _lagre_dokument(sak: Sak, opplasting: Opplasting, rolle: str, av: Bruker, versjon: int,
                    lagret: list[Dokument]) -> Dokument:
    dokument = Dokument(sak=sak, rolle=rolle, filnavn=opplasting.info.navn, mime=opplasting.info.mime,
                        storrelse=opplasting.info.storrelse, versjon=versjon, lastet_opp_av=av)
    opplasting.fil.seek(0)
    dokument.fil.save(opplasting.info.navn, opplasting.fil, save=False)
    lagret.append(dokument)
    dokument.save()
    return dokument


def sak_opprett(*, av: Bruker, data: SakData, hoveddokument: Opplasting, vedlegg: Sequence[Opplasting] = ()) -> Sak:
    if not av.har_rolle(Rolle.SAKSBEHANDLER):
        raise SakFeil("Bare saksbehandlere kan opprette saker.")
    _sjekk_data(data)
    with _rydd_filer_ved_feil() as lagret, transaction.atomic():
        sak = Sak.objects.create(
            saksbehandler=av, tittel=data.tittel, kommune=data.kommune, arkivsystem=data.arkivsystem,
            arkivsaksnr=data.arkivsaksnr, kommunalomrade=data.kommunalomrade,
            unntatt_offentlighet=data.unntatt_offentlighet,
            hjemmel=data.hjemmel if data.unntatt_offentlighet else "",
            innstilling=data.innstilling, onsket_mote=data.onsket_mote,
        )
        _sjekk_sakstorrelse(sak, [hoveddokument, *vedlegg])
        _lagre_rute(sak, data.rute)
        _lagre_dokument(sak, hoveddokument, Dokument.Rolle.HOVEDDOKUMENT, av, 1, lagret)
        for v in vedlegg:
            _lagre_dokument(sak, v, Dokument.Rolle.VEDLEGG, av, 1, lagret)
        Hendelse.objects.create(sak=sak, til_status=Sak.Status.UTKAST, utfort_av=av,
                                dokument=sak.dokumenter.get(rolle=Dokument.Rolle.HOVEDDOKUMENT))
    return sak


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


def _sjekk_saksbehandler(sak: Sak, av: Bruker, handling: str) -> None:
    if not er_saksbehandler_for(av, sak):
        raise SakFeil(f"Bare saksbehandleren for saken kan {handling}.")
    if sak.status not in REDIGERBAR:
        raise SakFeil(f"Saken er {sak.get_status_display().lower()} og kan ikke endres nå.")


def sak_oppdater(*, sak: Sak, av: Bruker, data: SakData) -> Sak:
    _sjekk_data(data)
    with transaction.atomic():
        sak = _last(sak)
        _sjekk_saksbehandler(sak, av, "endre den")
        for felt in ["tittel", "kommune", "arkivsystem", "arkivsaksnr", "kommunalomrade",
                     "unntatt_offentlighet", "innstilling", "onsket_mote"]:
            setattr(sak, felt, getattr(data, felt))
        sak.hjemmel = data.hjemmel if data.unntatt_offentlighet else ""
        sak.save()
        _lagre_rute(sak, data.rute)
    return sak


def sak_last_opp(*, sak: Sak, av: Bruker, hoveddokument: Opplasting | None = None,
                 vedlegg: Sequence[Opplasting] = (), fjern_vedlegg: Iterable[int] = ()) -> list[Dokument]:
    """Upload a corrected main document (a new version; the old one is kept), add vedlegg, or take
    vedlegg out of the current set (they stay in the history)."""
    fjern = set(fjern_vedlegg)
    if hoveddokument is None and not vedlegg and not fjern:
        raise SakFeil("Velg en fil å laste opp eller et vedlegg å fjerne.")
    with _rydd_filer_ved_feil() as lagret, transaction.atomic():
        sak = _last(sak)
        _sjekk_saksbehandler(sak, av, "laste opp dokumenter")
        gjeldende = {d.pk: d for d in sak.dokumenter.filter(gjeldende=True)}
        if not fjern <= {pk for pk, d in gjeldende.items() if d.rolle == Dokument.Rolle.VEDLEGG}:
            raise SakFeil("Vedlegget finnes ikke i saken.")
        forrige = next((d for d in gjeldende.values() if d.rolle == Dokument.Rolle.HOVEDDOKUMENT), None)
        erstattes = sum(gjeldende[pk].storrelse for pk in fjern)
        if hoveddokument and forrige:
            erstattes += forrige.storrelse
        _sjekk_sakstorrelse(sak, [*([hoveddokument] if hoveddokument else []), *vedlegg], erstattes)
        Dokument.objects.filter(pk__in=fjern).update(gjeldende=False)
        if hoveddokument:
            if forrige:
                Dokument.objects.filter(pk=forrige.pk).update(gjeldende=False)
            _lagre_dokument(sak, hoveddokument, Dokument.Rolle.HOVEDDOKUMENT, av,
                            (forrige.versjon + 1) if forrige else 1, lagret)
        for v in vedlegg:
            _lagre_dokument(sak, v, Dokument.Rolle.VEDLEGG, av, 1, lagret)
    return lagret


def sak_send_til_godkjenning(*, sak: Sak, av: Bruker, godkjenner: Bruker) -> Sak:
    with transaction.atomic():
        sak = _last(sak)
        _sjekk_saksbehandler(sak, av, "sende den til godkjenning")
        if not sak.dokumenter.filter(rolle=Dokument.Rolle.HOVEDDOKUMENT, gjeldende=True).exists():
            raise SakFeil("Last opp saksframlegget før saken sendes til godkjenning.")
        if godkjenner.pk == av.pk:
            raise SakFeil("Du kan ikke sende din egen sak til deg selv for godkjenning.")
        if not godkjenner.is_active or not kan_godkjenne(godkjenner, sak):
            raise SakFeil(f"{godkjenner} kan ikke godkjenne saker fra {sak.kommunalomrade}.")
        sak.godkjenner = godkjenner
        sak.save(update_fields=["godkjenner"])
        hendelse = _overgang(sak, Sak.Status.TIL_GODKJENNING, av)
        notify("sak_til_godkjenning", sak, [godkjenner], nokkel=f"hendelse:{hendelse.pk}")
    return sak


def _sjekk_godkjenner(sak: Sak, av: Bruker) -> None:
    if not kan_godkjenne(av, sak):
        raise SakFeil("Du kan ikke godkjenne saker fra dette kommunalområdet.")
    if sak.saksbehandler_id == av.pk:
        raise SakFeil("Du kan ikke godkjenne eller returnere din egen sak.")
    if sak.status == Sak.Status.GODKJENT:
        siste = sak.hendelser.filter(til_status=Sak.Status.GODKJENT).select_related("utfort_av").last()
        raise SakFeil(f"Saken er allerede godkjent av {siste.utfort_av if siste else 'en annen'}.")
    if sak.status != Sak.Status.TIL_GODKJENNING:
        raise SakFeil(f"Saken er {sak.get_status_display().lower()} og venter ikke på godkjenning.")


def sak_returner(*, sak: Sak, av: Bruker, kommentar: str) -> Sak:
    kommentar = kommentar.strip()
    if not kommentar:
        raise SakFeil("Skriv en kommentar som forteller saksbehandleren hva som må rettes.")
    with transaction.atomic():
        sak = _last(sak)
        _sjekk_godkjenner(sak, av)
        hendelse = _overgang(sak, Sak.Status.RETURNERT, av, kommentar=kommentar)
        notify("sak_returnert", sak, saksbehandlerne(sak), nokkel=f"hendelse:{hendelse.pk}",
               kontekst={"kommentar": kommentar, "av": str(av)})
    return sak


def sak_godkjenn(*, sak: Sak, av: Bruker, rute: Sequence[Utvalg], onsket_mote: Mote | None,
                 kommentar: str = "") -> Sak:
    _sjekk_rute(rute, onsket_mote)
    with transaction.atomic():
        sak = _last(sak)
        _sjekk_godkjenner(sak, av)
        _lagre_rute(sak, rute)
        sak.onsket_mote = onsket_mote
        sak.save(update_fields=["onsket_mote"])
        hendelse = _overgang(sak, Sak.Status.GODKJENT, av, kommentar=kommentar.strip())
        notify("sak_godkjent", sak, saksbehandlerne(sak), nokkel=f"hendelse:{hendelse.pk}",
               kontekst={"kommentar": kommentar.strip(), "av": str(av)})
    return sak


def sak_send_til_sekretariat(*, sak: Sak, av: Bruker) -> Sak:
    """Hand the approved case with its final documents to the political secretariat. From now on the
    documents are frozen: uploads are only allowed in draft and returned states."""
    with transaction.atomic():
        sak = _last(sak)
        if not er_saksbehandler_for(av, sak):
            raise SakFeil("Bare saksbehandleren for saken kan sende den til sekretariatet.")
        if sak.status == Sak.Status.SENDT_SEKRETARIAT:
            raise SakFeil("Saken er allerede sendt til sekretariatet.")
        if sak.status != Sak.Status.GODKJENT:
            raise SakFeil("Saken må være godkjent før den sendes til sekretariatet.")
        hendelse = _overgang(sak, Sak.Status.SENDT_SEKRETARIAT, av)
        sak.sendt_sekretariat = hendelse.tidspunkt
        sak.save(update_fields=["sendt_sekretariat"])
        notify("sak_til_sekretariat", sak, sekretariatet(), nokkel=f"hendelse:{hendelse.pk}")
    return sak


# --- After the meeting: the parties, the vedtaksbrev, its dispatch, and closing the case ---------------------
#
# Every function locks the case row first (`_last`): the parties, their letters and shipments of one case
# change one request at a time, and the last shipment closes the case exactly once.

POSTNUMMER_RE = re.compile(r"^\d{4}$")
# A shipment in flight or done: its party and letter may no longer change.
LAST_FORSENDELSE = {Forsendelse.Status.SENDER, Forsendelse.Status.SENDT}


@dataclass(frozen=True)
class PartData:
    navn: str
    adresse: str
    postnummer: str
    poststed: str
    orgnr: str = ""
    fnr: str = ""


def _sjekk_vedtatt(sak: Sak, av: Bruker, handling: str) -> Vedtak:
    if not er_saksbehandler_for(av, sak):
        raise SakFeil(f"Bare saksbehandleren for saken kan {handling}.")
    if sak.status == Sak.Status.AVSLUTTET:
        raise SakFeil("Saken er avsluttet: vedtaksbrevet er sendt til alle partene.")
    if sak.status != Sak.Status.VEDTATT:
        raise SakFeil(f"Saken er {sak.get_status_display().lower()}. Parter og vedtaksbrev hører til et "
                      "registrert vedtak.")
    vedtak = Vedtak.objects.select_related("mote__utvalg", "saksutskrift").filter(sak=sak).first()
    if vedtak is None:
        raise SakFeil("Vedtaket er ikke registrert ennå.")
    return vedtak


def _part_i_sak(sak: Sak, part: Part) -> Part:
    """The party re-read after the case is locked, with its shipment (made with the party)."""
    try:
        part = Part.objects.select_related("forsendelse").get(pk=part.pk, sak=sak)
    except Part.DoesNotExist:
        raise SakFeil("Parten finnes ikke i saken.") from None
    if not hasattr(part, "forsendelse"):  # a party made outside part_opprett (admin, data import)
        part.forsendelse = Forsendelse.objects.create(part=part)
    return part


def _sjekk_ikke_sendt(part: Part, handling: str) -> None:
    status = part.forsendelse.status
    if status == Forsendelse.Status.SENDT:
        raise SakFeil(f"Vedtaksbrevet er sendt til {part.navn}, så du kan ikke {handling}.")
    if status == Forsendelse.Status.SENDER:
        raise SakFeil(f"Vedtaksbrevet til {part.navn} sendes nå, så du kan ikke {handling}.")


def _rens_part(data: PartData) -> PartData:
    """The form checks each field for the user; the service keeps the rules whoever calls it."""
    navn, adresse, poststed = data.navn.strip(), data.adresse.strip(), data.poststed.strip()
    postnummer = data.postnummer.strip()
    if not (navn and adresse and poststed):
        raise SakFeil("Oppgi navn, adresse og poststed.")
    if not POSTNUMMER_RE.match(postnummer):
        raise SakFeil("Postnummeret må ha fire siffer.")
    if data.orgnr.strip() and data.fnr.strip():
        raise SakFeil("Oppgi enten organisasjonsnummer eller fødselsnummer, ikke begge.")
    try:
        orgnr = valider_orgnr(data.orgnr) if data.orgnr.strip() else ""
        fnr = valider_fnr(data.fnr) if data.fnr.strip() else ""
    except ValidationError as feil:  # the messages never contain the number
        raise SakFeil(" ".join(feil.messages)) from None
    return PartData(navn=navn, adresse=adresse, postnummer=postnummer, poststed=poststed, orgnr=orgnr, fnr=fnr)


def part_opprett(*, sak: Sak, av: Bruker, data: PartData) -> Part:
    data = _rens_part(data)
    with transaction.atomic():
        sak = _last(sak)
        _sjekk_vedtatt(sak, av, "legge til parter")
        part = Part.objects.create(sak=sak, navn=data.navn, adresse=data.adresse, postnummer=data.postnummer,
                                   poststed=data.poststed, orgnr=data.orgnr, fnr=data.fnr)
        # Made with the party, so its external reference is fixed before anything is sent.
        Forsendelse.objects.create(part=part)
    return part


def part_oppdater(*, part: Part, av: Bruker, data: PartData) -> Part:
    data = _rens_part(data)
    with transaction.atomic():
        sak = _last(part.sak)
        _sjekk_vedtatt(sak, av, "endre parter")
        part = _part_i_sak(sak, part)
        _sjekk_ikke_sendt(part, "endre parten")
        for felt in ["navn", "adresse", "postnummer", "poststed", "orgnr", "fnr"]:
            setattr(part, felt, getattr(data, felt))
        part.save()
    return part


def part_fjern(*, part: Part, av: Bruker) -> None:
    """Remove a party that has not been sent the letter. Its letters stay in the case's history (documents are
    never deleted), no longer current and no longer tied to a party."""
    with transaction.atomic():
        sak = _last(part.sak)
        _sjekk_vedtatt(sak, av, "fjerne parter")
        part = _part_i_sak(sak, part)
        _sjekk_ikke_sendt(part, "fjerne parten")
        Dokument.objects.filter(part=part).update(part=None, gjeldende=False)
        part.delete()


def _gjeldende_brev(part: Part) -> Dokument | None:
    return Dokument.objects.filter(part=part, rolle=Dokument.Rolle.VEDTAKSBREV, gjeldende=True).first()


def _lagre_vedtaksbrev(sak: Sak, part: Part, opplasting: Opplasting, av: Bruker,
                       lagret: list[Dokument]) -> Dokument:
    """The next version of the party's letter; the earlier ones are kept, no longer current."""
    forrige = (Dokument.objects.filter(sak=sak, rolle=Dokument.Rolle.VEDTAKSBREV, part=part)
               .aggregate(siste=Max("versjon"))["siste"] or 0)
    Dokument.objects.filter(sak=sak, rolle=Dokument.Rolle.VEDTAKSBREV, part=part, gjeldende=True).update(
        gjeldende=False)
    dokument = Dokument(sak=sak, rolle=Dokument.Rolle.VEDTAKSBREV, part=part, filnavn=opplasting.info.navn,
                        mime=opplasting.info.mime, storrelse=opplasting.info.storrelse, versjon=forrige + 1,
                        lastet_opp_av=av)
    opplasting.fil.seek(0)
    dokument.fil.save(opplasting.info.navn, opplasting.fil, save=False)
    lagret.append(dokument)
    dokument.save()
    return dokument


def vedtaksbrev_lag(*, sak: Sak, av: Bruker, part: Part | None = None) -> list[Dokument]:
    """Generate the vedtaksbrev (.docx) for every party not yet sent it, or for one party. Each becomes that
    party's current letter; an earlier version (also one the case officer uploaded) is kept in the history."""
    with _rydd_filer_ved_feil() as lagret, transaction.atomic():
        sak = _last(sak)
        vedtak = _sjekk_vedtatt(sak, av, "lage vedtaksbrev")
        if part is not None:
            parter = [_part_i_sak(sak, part)]
            _sjekk_ikke_sendt(parter[0], "lage brevet på nytt")
        else:
            alle = list(sak.parter.select_related("forsendelse"))
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
            _lagre_vedtaksbrev(sak, p, Opplasting(ContentFile(laget.innhold), laget.info), av, lagret)
    return lagret


def vedtaksbrev_last_opp(*, part: Part, av: Bruker, brev: Opplasting) -> Dokument:
    """The case officer's corrected, final letter to one party (.docx or .pdf): it becomes the current one."""
    if brev.info.filendelse not in {".docx", ".pdf"}:
        raise SakFeil("Vedtaksbrevet må være et Word-dokument (.docx) eller en PDF-fil.")
    with _rydd_filer_ved_feil() as lagret, transaction.atomic():
        sak = _last(part.sak)
        _sjekk_vedtatt(sak, av, "laste opp vedtaksbrev")
        part = _part_i_sak(sak, part)
        _sjekk_ikke_sendt(part, "bytte brevet")
        forrige = _gjeldende_brev(part)
        _sjekk_sakstorrelse(sak, [brev], forrige.storrelse if forrige else 0)
        return _lagre_vedtaksbrev(sak, part, brev, av, lagret)


def _avslutt_hvis_alle_har_fatt_brev(sak: Sak, av: Bruker) -> bool:
    """Close the case once every party has been sent the letter, and tell the secretariat. Called with the
    case locked, so two last shipments finishing at once close it once."""
    if sak.status != Sak.Status.VEDTATT:
        return False
    parter = sak.parter.count()
    if not parter or Forsendelse.objects.filter(part__sak=sak, status=Forsendelse.Status.SENDT).count() != parter:
        return False
    hendelse = _overgang(sak, Sak.Status.AVSLUTTET, av, kommentar=f"Vedtaksbrev sendt til {parter} "
                         f"part{'er' if parter > 1 else ''}.")
    notify("sak_avsluttet", sak, sekretariatet(), nokkel=f"hendelse:{hendelse.pk}")
    return True


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
        sak = _last(part.sak)
        vedtak = _sjekk_vedtatt(sak, av, "registrere forsendelser")
        part = _part_i_sak(sak, part)
        _sjekk_ikke_sendt(part, "registrere den på nytt")
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
        _avslutt_hvis_alle_har_fatt_brev(sak, av)
    return forsendelse


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
    with transaction.atomic():
        sak = _last(part.sak)
        vedtak = _sjekk_vedtatt(sak, av, "sende vedtaksbrevet")
        part = _part_i_sak(sak, part)
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
            _sjekk_ikke_sendt(part, "sende det på nytt")
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
        sak = _last(sak)
        mine = Forsendelse.objects.filter(pk=forsendelse.pk, status=Forsendelse.Status.SENDER)
        if resultat is None:
            mine.update(status=Forsendelse.Status.FEILET, feilmelding=feilmelding)
            logger.warning("Vedtaksbrev til part %s i sak %s ble ikke sendt (forsøk %s)", part.pk, sak.pk,
                           forsendelse.forsok)
        elif mine.update(status=Forsendelse.Status.SENDT, forsendelse_id=resultat.forsendelse_id,
                         svarut_status=resultat.svarut_status, sendt=resultat.sendt, feilmelding=""):
            logger.info("Vedtaksbrev til part %s i sak %s sendt med SvarUt-forsendelse %s", part.pk, sak.pk,
                        resultat.forsendelse_id)
            _avslutt_hvis_alle_har_fatt_brev(sak, av)
    forsendelse.refresh_from_db()
    return forsendelse
