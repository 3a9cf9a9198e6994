"""The case's side of a held meeting: the final vedtak, a withdrawal (trukket), and the saksutskrift from P360.

The secretariat records each agenda item's outcome through sekretariat.services.utfall_registrer, which calls
these functions inside its own transaction. They own what happens to the case: each locks the case row
(`_last`), checks its state and the actor, writes one Hendelse for a change of state and notifies the case
officer. saker imports neither godkjenning nor sekretariat, so the agenda item is unknown here: the caller
passes the handling, the meeting and the utvalgssaksnummer.

Files are written before the transaction commits. Each function removes its own files if it fails; a caller
that wraps them in a larger transaction keeps the returned documents in its own `_rydd_filer_ved_feil` list,
so a later refusal in the same transaction removes them too.
"""

from django.db import transaction
from django.utils import timezone

from overgang.datoer import norsk_dato
from overgang.organisasjon.models import Bruker, Mote, Rolle
from overgang.varsler.services import notify

from .models import Behandling, Dokument, Sak, Vedtak
from .selectors import saksbehandlerne
from .services import Opplasting, SakFeil, _lagre_dokument, _last, _overgang, _rydd_filer_ved_feil

# The saksutskrift is the extract from P360's record; P360 gives it as PDF, or as Word when edited first.
SAKSUTSKRIFT_ENDELSER = frozenset({".pdf", ".docx"})

# A case on its way through the bodies: approved (it may sit on an agenda before it arrives) or with the
# secretariat. Only these may be postponed or get a saksutskrift without being decided.
UNDER_BEHANDLING = frozenset({Sak.Status.GODKJENT, Sak.Status.SENDT_SEKRETARIAT})


def _sjekk_sekretariat(av: Bruker, handling: str) -> None:
    if not av.har_rolle(Rolle.SEKRETARIAT):
        raise SakFeil(f"Bare politisk sekretariat kan {handling}.")


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


def sjekk_saksutskrift(saksutskrift: Opplasting) -> None:
    if saksutskrift.info.filendelse not in SAKSUTSKRIFT_ENDELSER:
        raise SakFeil("Saksutskriften må være en PDF-fil eller et Word-dokument (.docx).")


def _moteinfo(mote: Mote, utvalgssaksnr: str) -> str:
    return f"{mote.utvalg.navn}, møte {norsk_dato(mote.tidspunkt)}, sak {utvalgssaksnr}."


def saksutskrift_legg_til(*, sak: Sak, av: Bruker, saksutskrift: Opplasting) -> Dokument:
    """File the saksutskrift of a handling that did not decide the case (innstilling, utsatt, or before a
    withdrawal). The case's state does not change, so no Hendelse is written; the agenda item links it."""
    _sjekk_sekretariat(av, "laste opp saksutskrifter")
    sjekk_saksutskrift(saksutskrift)
    with _rydd_filer_ved_feil() as lagret, transaction.atomic():
        sak = _last(sak)
        if sak.status not in UNDER_BEHANDLING:
            raise SakFeil(f"Saken er {sak.get_status_display().lower()}; saksutskriften kan ikke legges til nå.")
        return _lagre_dokument(sak, saksutskrift, Dokument.Rolle.SAKSUTSKRIFT, av, 1, lagret)


def sak_registrer_vedtak(*, sak: Sak, av: Bruker, behandling: Behandling, mote: Mote, utvalgssaksnr: str,
                         tekst: str, saksutskrift: Opplasting | None) -> Vedtak:
    """Record the body's final decision: the case goes from sendt_sekretariat to vedtatt, the vedtak is marked
    as returned to the case officer's old archive system, and the case officer is told to make the vedtaksbrev.
    """
    _sjekk_sekretariat(av, "registrere vedtak")
    tekst = tekst.strip()
    if not tekst:
        raise SakFeil("Skriv vedtaket slik det står i møteprotokollen.")
    if saksutskrift is None:
        raise SakFeil("Last opp saksutskriften fra P360 (PDF eller Word) sammen med vedtaket.")
    sjekk_saksutskrift(saksutskrift)
    if behandling.sak_id != sak.pk:
        raise SakFeil("Behandlingen hører ikke til saken.")
    if mote.utvalg_id != behandling.utvalg_id:
        raise SakFeil("Møtet må være et møte i utvalget som behandlet saken.")
    if mote.status != Mote.Status.AVHOLDT:
        raise SakFeil("Et vedtak kan bare registreres fra et avholdt møte.")
    with _rydd_filer_ved_feil() as lagret, transaction.atomic():
        sak = _last(sak)
        sjekk_hos_sekretariatet(sak, "registrere vedtak")
        dokument = _lagre_dokument(sak, saksutskrift, Dokument.Rolle.SAKSUTSKRIFT, av, 1, lagret)
        naa = timezone.now()
        # Recording it here is the return to the old system: the case officer takes it from the case page.
        vedtak = Vedtak.objects.create(
            sak=sak, behandling=behandling, mote=mote, utvalgssaksnr=utvalgssaksnr, tekst=tekst,
            saksutskrift=dokument, registrert_av=av, registrert=naa, returnert_arkiv=naa,
        )
        hendelse = _overgang(sak, Sak.Status.VEDTATT, av, kommentar=f"Vedtak i {_moteinfo(mote, utvalgssaksnr)}")
        notify("vedtak_fattet", sak, saksbehandlerne(sak), nokkel=f"hendelse:{hendelse.pk}",
               kontekst={"kommentar": _moteinfo(mote, utvalgssaksnr)})
    return vedtak


def sak_trekk(*, sak: Sak, av: Bruker, kommentar: str = "") -> Sak:
    """The case is withdrawn at a meeting: sendt_sekretariat to trukket, and the case officer is told."""
    _sjekk_sekretariat(av, "trekke saker")
    kommentar = kommentar.strip()
    with transaction.atomic():
        sak = _last(sak)
        sjekk_hos_sekretariatet(sak, "trekke den")
        hendelse = _overgang(sak, Sak.Status.TRUKKET, av, kommentar=kommentar)
        notify("sak_trukket", sak, saksbehandlerne(sak), nokkel=f"hendelse:{hendelse.pk}",
               kontekst={"kommentar": kommentar})
    return sak
