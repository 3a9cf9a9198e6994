"""The life of a case, every change of its state (the transitions listed on saker.models.Sak).

Each function locks the case row (`last_sak`), checks the state and the actor, writes one Hendelse
(`skriv_hendelse`) and notifies, all in one transaction. To add a transition: a function here in the same
shape, an e-mail event in overgang/varsler/hendelser.py, and a line in `saker.selectors.handlinger` if a
person starts it from the case page.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from overgang.endringslogg.services import bilde, logg_felter
from overgang.organisasjon.models import Arkivsystem, Bruker, Kommunalomrade, Kommune, Mote, Rolle, Utvalg
from overgang.organisasjon.selectors import sekretariatet
from overgang.organisasjon.tilgang import sjekk_rolle
from overgang.varsler.services import notify

from ..levering import ferdig
from ..models import REDIGERBAR, Behandling, Dokument, Forsendelse, Hendelse, Sak, Vedtak
from ..selectors import er_saksbehandler_for, kan_godkjenne, pa_vegne_av, saksbehandlerne
from .felles import (
    Opplasting,
    SakFeil,
    lagre_dokument,
    last_sak,
    rydd_filer_ved_feil,
    sjekk_sakstorrelse,
    sjekk_spor,
    skriv_hendelse,
)


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
    offentlig_tittel: str = ""
    unntatt_til: datetime.date | None = None


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
        if not onsket_mote.er_kommende():
            raise SakFeil("Ønsket møte må være et kommende, planlagt møte.")


def _lagre_rute(sak: Sak, rute: Sequence[Utvalg]) -> None:
    sak.behandlinger.all().delete()
    Behandling.objects.bulk_create(
        Behandling(sak=sak, utvalg=utvalg, rekkefolge=i) for i, utvalg in enumerate(rute, start=1)
    )


def sjekk_saksbehandler(sak: Sak, av: Bruker, handling: str) -> None:
    """The case's officer (or a stand-in), and the case still in their hands."""
    if not er_saksbehandler_for(av, sak):
        raise SakFeil(f"Bare saksbehandleren for saken kan {handling}.")
    if sak.status not in REDIGERBAR:
        raise SakFeil(f"Saken er {sak.get_status_display().lower()} og kan ikke endres nå.")


def sak_opprett(*, av: Bruker, data: SakData, hoveddokument: Opplasting, vedlegg: Sequence[Opplasting] = ()) -> Sak:
    sjekk_rolle(av, Rolle.SAKSBEHANDLER, "opprette saker", SakFeil)
    _sjekk_data(data)
    with rydd_filer_ved_feil() as lagret, transaction.atomic():
        sak = Sak.objects.create(
            saksbehandler=av, tittel=data.tittel, kommune=data.kommune, arkivsystem=data.arkivsystem,
            arkivsaksnr=data.arkivsaksnr, kommunalomrade=data.kommunalomrade,
            unntatt_offentlighet=data.unntatt_offentlighet,
            hjemmel=data.hjemmel if data.unntatt_offentlighet else "",
            offentlig_tittel=data.offentlig_tittel if data.unntatt_offentlighet else "",
            unntatt_til=data.unntatt_til if data.unntatt_offentlighet else None,
            innstilling=data.innstilling, onsket_mote=data.onsket_mote,
        )
        sjekk_sakstorrelse(sak, [hoveddokument, *vedlegg])
        _lagre_rute(sak, data.rute)
        forste = lagre_dokument(sak, hoveddokument, Dokument.Rolle.HOVEDDOKUMENT, av, versjon=1, lagret=lagret)
        for v in vedlegg:
            lagre_dokument(sak, v, Dokument.Rolle.VEDLEGG, av, versjon=1, lagret=lagret)
        Hendelse.objects.create(sak=sak, til_status=Sak.Status.UTKAST, utfort_av=av, dokument=forste)
    return sak


# The case's own fields whose every change is written to the endringslogg.
LOGGEDE_FELTER = ("tittel", "kommune", "arkivsystem", "arkivsaksnr", "kommunalomrade", "unntatt_offentlighet",
                  "hjemmel", "offentlig_tittel", "unntatt_til", "innstilling", "onsket_mote")


def _saksgang(sak: Sak) -> str:
    return " → ".join(b.utvalg.kode for b in sak.behandlinger.select_related("utvalg").order_by("rekkefolge"))


def _logg_endringer(sak: Sak, av: Bruker, for_: dict[str, object], gang_for: str) -> None:
    logg_felter(av=av, objekt=sak, sak_id=sak.pk, for_={**for_, "saksgang": gang_for},
                etter={**bilde(sak, LOGGEDE_FELTER), "saksgang": _saksgang(sak)})


def sak_oppdater(*, sak: Sak, av: Bruker, data: SakData) -> Sak:
    _sjekk_data(data)
    with transaction.atomic():
        sak = last_sak(sak)
        sjekk_saksbehandler(sak, av, "endre den")
        for_, gang_for = bilde(sak, LOGGEDE_FELTER), _saksgang(sak)
        for felt in ["tittel", "kommune", "arkivsystem", "arkivsaksnr", "kommunalomrade",
                     "unntatt_offentlighet", "innstilling", "onsket_mote"]:
            setattr(sak, felt, getattr(data, felt))
        sak.hjemmel = data.hjemmel if data.unntatt_offentlighet else ""
        sak.offentlig_tittel = data.offentlig_tittel if data.unntatt_offentlighet else ""
        sak.unntatt_til = data.unntatt_til if data.unntatt_offentlighet else None
        sak.save()
        _lagre_rute(sak, data.rute)
        _logg_endringer(sak, av, for_, gang_for)
    return sak


def sak_send_til_godkjenning(*, sak: Sak, av: Bruker, godkjenner: Bruker) -> Sak:
    with transaction.atomic():
        sak = last_sak(sak)
        sjekk_saksbehandler(sak, av, "sende den til godkjenning")
        if not sak.dokumenter.filter(rolle=Dokument.Rolle.HOVEDDOKUMENT, gjeldende=True).exists():
            raise SakFeil("Last opp saksframlegget før saken sendes til godkjenning.")
        if godkjenner.pk == av.pk:
            raise SakFeil("Du kan ikke sende din egen sak til deg selv for godkjenning.")
        if not godkjenner.is_active or not kan_godkjenne(godkjenner, sak):
            raise SakFeil(f"{godkjenner} kan ikke godkjenne saker fra {sak.kommunalomrade}.")
        sak.godkjenner = godkjenner
        sak.save(update_fields=["godkjenner"])
        hendelse = skriv_hendelse(sak, Sak.Status.TIL_GODKJENNING, av)
        notify("sak_til_godkjenning", sak, [godkjenner], nokkel=f"hendelse:{hendelse.pk}")
    return sak


def _sjekk_godkjenner(sak: Sak, av: Bruker) -> None:
    if not kan_godkjenne(av, sak):
        raise SakFeil("Du kan ikke godkjenne saker fra dette kommunalområdet.")
    # Standing in for an absent approver lends their scope, never the right to approve one's own work: not the
    # stand-in's own case, nor one they carry as stand-in for its officer.
    if sak.saksbehandler_id == av.pk:
        stedfortreder = pa_vegne_av(av, sak, Sak.Status.GODKJENT)
        raise SakFeil("Du kan ikke godkjenne eller returnere din egen sak"
                      + (f", heller ikke som stedfortreder for {stedfortreder}." if stedfortreder else "."))
    if er_saksbehandler_for(av, sak):
        raise SakFeil(f"Du står inn for saksbehandleren {sak.saksbehandler} og kan derfor ikke godkjenne eller "
                      "returnere saken.")
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
        sak = last_sak(sak)
        _sjekk_godkjenner(sak, av)
        hendelse = skriv_hendelse(sak, Sak.Status.RETURNERT, av, kommentar=kommentar)
        notify("sak_returnert", sak, saksbehandlerne(sak), nokkel=f"hendelse:{hendelse.pk}",
               kontekst={"kommentar": kommentar, "av": hendelse.hvem})
    return sak


def sak_godkjenn(*, sak: Sak, av: Bruker, rute: Sequence[Utvalg], onsket_mote: Mote | None,
                 kommentar: str = "") -> Sak:
    """Approve, confirming (or changing) the route and the wished first meeting. Putting the case on that
    meeting's list too is godkjenning.services.godkjenn_og_sett_pa_liste."""
    _sjekk_rute(rute, onsket_mote)
    with transaction.atomic():
        sak = last_sak(sak)
        _sjekk_godkjenner(sak, av)
        for_, gang_for = bilde(sak, LOGGEDE_FELTER), _saksgang(sak)
        _lagre_rute(sak, rute)
        sak.onsket_mote = onsket_mote
        sak.save(update_fields=["onsket_mote"])
        # The approver may change the route and the wished meeting: the log says from what.
        _logg_endringer(sak, av, for_, gang_for)
        hendelse = skriv_hendelse(sak, Sak.Status.GODKJENT, av, kommentar=kommentar.strip())
        notify("sak_godkjent", sak, saksbehandlerne(sak), nokkel=f"hendelse:{hendelse.pk}",
               kontekst={"kommentar": kommentar.strip(), "av": hendelse.hvem})
    return sak


def sak_send_til_sekretariat(*, sak: Sak, av: Bruker) -> Sak:
    """Hand the approved case with its final documents to the political secretariat. From now on the
    documents are frozen: uploads are only allowed in draft and returned states."""
    with transaction.atomic():
        sak = last_sak(sak)
        if not er_saksbehandler_for(av, sak):
            raise SakFeil("Bare saksbehandleren for saken kan sende den til sekretariatet.")
        if sak.status == Sak.Status.SENDT_SEKRETARIAT:
            raise SakFeil("Saken er allerede sendt til sekretariatet.")
        if sak.status != Sak.Status.GODKJENT:
            raise SakFeil("Saken må være godkjent før den sendes til sekretariatet.")
        hendelse = skriv_hendelse(sak, Sak.Status.SENDT_SEKRETARIAT, av)
        sak.sendt_sekretariat = hendelse.tidspunkt
        sak.save(update_fields=["sendt_sekretariat"])
        notify("sak_til_sekretariat", sak, sekretariatet(), nokkel=f"hendelse:{hendelse.pk}")
    return sak


# --- The case's side of a held meeting ------------------------------------------------------------------------
#
# The secretariat records each agenda item's outcome through sekretariat.services.utfall_registrer, which calls
# these inside its own transaction. saker does not know the agenda item: the caller passes the handling, the
# meeting and the utvalgssaksnummer.

def sjekk_hos_sekretariatet(sak: Sak, handling: str) -> None:
    """The case is with the secretariat and not yet decided or withdrawn."""
    if sak.status == Sak.Status.SENDT_SEKRETARIAT:
        return
    if sak.status in (Sak.Status.VEDTATT, Sak.Status.AVSLUTTET):
        raise SakFeil("Vedtaket i saken er allerede registrert.")
    if sak.status == Sak.Status.TRUKKET:
        raise SakFeil("Saken er allerede trukket.")
    raise SakFeil(f"Saken er {sak.get_status_display().lower()} og ikke mottatt av sekretariatet, så du kan ikke "
                  f"{handling}.")


def sak_registrer_vedtak(*, sak: Sak, av: Bruker, behandling: Behandling, mote: Mote, utvalgssaksnr: str,
                         tekst: str, saksutskrift: Opplasting | None) -> Vedtak:
    """Record the body's final decision: the case goes from sendt_sekretariat to vedtatt, the vedtak is marked
    as returned to the case officer's old archive system, and the case officer is told to make the vedtaksbrev.
    """
    sjekk_rolle(av, Rolle.SEKRETARIAT, "registrere vedtak", SakFeil)
    tekst = tekst.strip()
    if not tekst:
        raise SakFeil("Skriv vedtaket slik det står i møteprotokollen.")
    if saksutskrift is None:
        raise SakFeil("Last opp saksutskriften fra P360 (PDF eller Word) sammen med vedtaket.")
    sjekk_spor(saksutskrift, Dokument.Rolle.SAKSUTSKRIFT)
    if behandling.sak_id != sak.pk:
        raise SakFeil("Behandlingen hører ikke til saken.")
    if mote.utvalg_id != behandling.utvalg_id:
        raise SakFeil("Møtet må være et møte i utvalget som behandlet saken.")
    if mote.status != Mote.Status.AVHOLDT:
        raise SakFeil("Et vedtak kan bare registreres fra et avholdt møte.")
    with rydd_filer_ved_feil() as lagret, transaction.atomic():
        sak = last_sak(sak)
        sjekk_hos_sekretariatet(sak, "registrere vedtak")
        dokument = lagre_dokument(sak, saksutskrift, Dokument.Rolle.SAKSUTSKRIFT, av, versjon=1, lagret=lagret)
        naa = timezone.now()
        # Recording it here is the return to the old system: the case officer takes it from the case page.
        vedtak = Vedtak.objects.create(
            sak=sak, behandling=behandling, mote=mote, utvalgssaksnr=utvalgssaksnr, tekst=tekst,
            saksutskrift=dokument, registrert_av=av, registrert=naa, returnert_arkiv=naa,
        )
        hendelse = skriv_hendelse(sak, Sak.Status.VEDTATT, av, kommentar=f"Vedtak i {mote.sak_tekst(utvalgssaksnr)}")
        notify("vedtak_fattet", sak, saksbehandlerne(sak), nokkel=f"hendelse:{hendelse.pk}",
               kontekst={"kommentar": mote.sak_tekst(utvalgssaksnr)})
    return vedtak


def sak_trekk(*, sak: Sak, av: Bruker, kommentar: str = "") -> Sak:
    """The case is withdrawn at a meeting: sendt_sekretariat to trukket, and the case officer is told."""
    sjekk_rolle(av, Rolle.SEKRETARIAT, "trekke saker", SakFeil)
    kommentar = kommentar.strip()
    with transaction.atomic():
        sak = last_sak(sak)
        sjekk_hos_sekretariatet(sak, "trekke den")
        hendelse = skriv_hendelse(sak, Sak.Status.TRUKKET, av, kommentar=kommentar)
        notify("sak_trukket", sak, saksbehandlerne(sak), nokkel=f"hendelse:{hendelse.pk}",
               kontekst={"kommentar": kommentar})
    return sak


def avslutt_hvis_alle_har_fatt_brev(sak: Sak, av: Bruker) -> bool:
    """Close the case once every party's letter is delivered or handled (saker.levering.ferdig: recorded by hand,
    delivered by SvarUt, or the officer said why not), and tell the secretariat. Called with the case locked, so
    two last letters finishing at once close it once."""
    if sak.status != Sak.Status.VEDTATT:
        return False
    parter = sak.parter.count()
    if not parter or Forsendelse.objects.filter(ferdig(), part__sak=sak).count() != parter:
        return False
    hendelse = skriv_hendelse(sak, Sak.Status.AVSLUTTET, av, kommentar=f"Vedtaksbrev sendt til {parter} "
                              f"part{'er' if parter > 1 else ''}.")
    notify("sak_avsluttet", sak, sekretariatet(), nokkel=f"hendelse:{hendelse.pk}")
    return True
