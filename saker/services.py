"""The life of a case. Every change of state goes through a function here: it locks the case row,
checks the state and the actor, writes one Hendelse and calls notify, all in one transaction."""

import contextlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from overgang.organisasjon.models import Arkivsystem, Bruker, Kommunalomrade, Kommune, Mote, Rolle, Utvalg
from overgang.varsler.services import notify

from .filer import FilInfo
from .models import Behandling, Dokument, Hendelse, Sak
from .selectors import er_saksbehandler_for, kan_godkjenne

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
        notify("sak_returnert", sak, [sak.saksbehandler], nokkel=f"hendelse:{hendelse.pk}",
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
        notify("sak_godkjent", sak, [sak.saksbehandler], nokkel=f"hendelse:{hendelse.pk}",
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
        sekretariat = Bruker.objects.filter(is_active=True, groups__name=Rolle.SEKRETARIAT)
        notify("sak_til_sekretariat", sak, [settings.SEKRETARIAT_EPOST, *sekretariat], nokkel=f"hendelse:{hendelse.pk}")
    return sak
