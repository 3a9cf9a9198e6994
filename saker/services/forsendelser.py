"""Following each letter after it left: the poll that asks SvarUt for the status of every shipment not yet final
and records each change, and the case officer's record of why a letter did not arrive. Which statuses are final
is saker.levering's; the case closes through workflow.avslutt_hvis_alle_har_fatt_brev, which asks it.

KS advises reading a shipment's status when it is shown rather than once at sending. The poll does that for
every open shipment at once (`POST /statuser`, in batches), so a page reads the stored status and SvarUt is asked
once per interval whatever the number of people looking.
"""

import datetime
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from overgang.organisasjon.models import Bruker
from overgang.varsler.services import notify

from .. import levering, svarut, utsending
from ..models import Forsendelse, Part, Sak
from ..selectors import er_saksbehandler_for, saksbehandlerne
from ..statusendring import Statusendring
from ..svarut_status import normaliser_status
from .felles import SakFeil, last_sak
from .parter import part_i_sak
from .workflow import avslutt_hvis_alle_har_fatt_brev

logger = logging.getLogger(__name__)


@dataclass
class Oppfolging:
    """What one poll did: shipments asked about, changes recorded, and the error that stopped it, if any."""

    spurt: int = 0
    endret: int = 0
    feil: str = ""


def forsendelser_folg_opp(*, klient: svarut.SvarUtKlient | None = None, batch: int | None = None,
                          tidsfrist: float | None = None) -> Oppfolging:
    """Ask SvarUt for the status of every shipment not yet final, `batch` ids per call, and record each change.

    A batch SvarUt does not answer (down, slow, refusing) writes nothing and ends the run: the same shipments are
    asked again at the next poll, so a failure loses nothing and doubles nothing. No new batch starts after
    `tidsfrist` seconds, so a run ends well inside the task's time limit; the rest waits for the next one.
    """
    batch = batch or settings.SVARUT_STATUS_BATCH
    tidsfrist = settings.SVARUT_STATUS_TIDSFRIST if tidsfrist is None else tidsfrist
    rader = list(levering.skal_folges().order_by("pk").values_list("pk", "forsendelse_id"))
    resultat = Oppfolging()
    if not rader:
        return resultat
    if klient is None:
        try:
            klient = utsending.svarut_klient()
        except ImproperlyConfigured as feil:
            logger.error("Kan ikke følge opp %d forsendelser i SvarUt: %s", len(rader), feil)
            resultat.feil = str(feil)
            return resultat
    start = time.monotonic()
    for n in range(0, len(rader), batch):
        if n and time.monotonic() - start > tidsfrist:
            logger.info("Statusoppfølgingen stopper etter %d av %d forsendelser; resten tas ved neste runde.",
                        n, len(rader))
            break
        del_ = rader[n:n + batch]
        per_id: dict[str, list[int]] = {}
        for pk, forsendelse_id in del_:
            per_id.setdefault(forsendelse_id, []).append(pk)
        try:
            statuser = klient.statuser(list(per_id))
        except svarut.SvarUtFeil as feil:
            logger.warning("SvarUt svarte ikke på statusene for %d forsendelser: %s", len(del_), feil.melding)
            resultat.feil = feil.melding
            break
        resultat.spurt += len(del_)
        for status in statuser:
            for pk in per_id.get(status.forsendelse_id, ()):
                if forsendelse_registrer_status(forsendelse=pk, status=status.status, endret=status.endret):
                    resultat.endret += 1
    return resultat


def forsendelse_registrer_status(*, forsendelse: Forsendelse | int, status: str,
                                 endret: datetime.datetime | None = None) -> Statusendring | None:
    """Record SvarUt's status for one shipment if it changed: one history row; for a letter not delivered an
    e-mail to the case officer; for the last letter delivered, the case closes. Returns the row, or None when
    nothing changed (the same status, or the shipment already final).

    The case row is locked first (the order every change of a case takes), and the new status is written by a
    conditional update on the old one: two polls that see the same change (a slow run overlapping the next)
    record it, and e-mail about it, once.
    """
    pk = forsendelse if isinstance(forsendelse, int) else forsendelse.pk
    status = normaliser_status(status)
    with transaction.atomic():
        sak_id = Forsendelse.objects.filter(pk=pk).values_list("part__sak_id", flat=True).first()
        if sak_id is None:
            return None
        sak = last_sak(sak_id)
        rad = Forsendelse.objects.select_related("part").get(pk=pk)
        gammel = rad.svarut_status
        if gammel == status or levering.er_endelig(gammel) or rad.status != Forsendelse.Status.SENDT:
            return None
        if not Forsendelse.objects.filter(pk=pk, svarut_status=gammel).update(svarut_status=status):
            return None
        endring = Statusendring.objects.create(forsendelse=rad, fra_status=gammel, til_status=status,
                                               tidspunkt=endret or timezone.now())
        logger.info("Forsendelse %s i sak %s: %s → %s", rad.forsendelse_id, sak.pk, gammel or "–", status)
        if status in levering.IKKE_LEVERT:
            _varsle_ikke_levert(sak, rad.part, endring)
        elif status in levering.LEVERT:
            avslutt_hvis_alle_har_fatt_brev(sak, sak.saksbehandler)
    return endring


def _varsle_ikke_levert(sak: Sak, part: Part, endring: Statusendring) -> None:
    # The key names this change, so the e-mail goes once per change however often it is seen. An exempt case's
    # party is not named in the e-mail: the officer reads who on the case page.
    notify("forsendelse_ikke_levert", sak, saksbehandlerne(sak), nokkel=f"statusendring:{endring.pk}", kontekst={
        "status": levering.tekst(endring.til_status),
        "part": "" if sak.unntatt_offentlighet else part.navn,
        "tidspunkt": timezone.localtime(endring.tidspunkt).strftime("%d.%m.%Y %H:%M"),
    })


def forsendelse_forklar(*, part: Part, av: Bruker, grunn: str) -> Statusendring:
    """The case officer records why the letter to `part` did not arrive, or what was done instead (sent by
    ordinary post, handed over in person). It counts as handled: the case closes if every other letter is too."""
    grunn = grunn.strip()
    if not grunn:
        raise SakFeil("Skriv hvorfor brevet ikke ble levert, eller hva du har gjort i stedet.")
    with transaction.atomic():
        sak = last_sak(part.sak_id)
        if not er_saksbehandler_for(av, sak):
            raise SakFeil("Bare saksbehandleren for saken kan registrere hvorfor brevet ikke ble levert.")
        part = part_i_sak(sak, part)
        forsendelse = part.forsendelse
        if not levering.kan_forklares(forsendelse):
            if forsendelse.svarut_status in levering.LEVERT:
                raise SakFeil(f"Brevet til {part.navn} er levert; det er ingenting å forklare.")
            raise SakFeil(f"Brevet til {part.navn} er ikke sendt gjennom SvarUt herfra.")
        if forsendelse.statusendringer.filter(type=Statusendring.Type.FORKLARING).exists():
            raise SakFeil(f"Det er allerede registrert hvorfor brevet til {part.navn} ikke ble levert.")
        endring = Statusendring.objects.create(
            forsendelse=forsendelse, type=Statusendring.Type.FORKLARING, fra_status=forsendelse.svarut_status,
            til_status=forsendelse.svarut_status, registrert_av=av, kommentar=grunn)
        avslutt_hvis_alle_har_fatt_brev(sak, av)
    return endring
