"""Every change to a case, one module per noun:

- felles: the domain error, the row lock, the history row, storing files (used by every app);
- workflow: the case's states, from draft to closed (the transitions on saker.models.Sak);
- dokumenter: versions, vedlegg, saksutskrift, files kept for a refused form;
- parter: the affected parties;
- vedtaksbrev: the letters and their dispatch;
- pdf: the PDF/A of stored documents (letters, saksutskrift, the møtebok's documents);
- forsendelser: following each letter after it left (SvarUt's statuses, why a letter did not arrive).

Views, tasks and other apps call the names exported here.
"""

from .dokumenter import (
    dokument_lest,
    mellomlagre,
    mellomlagring_fjern,
    mellomlagring_rydd,
    sak_last_opp,
    saksutskrift_legg_til,
    som_opplasting,
)
from .felles import Opplasting, SakFeil, lagre_dokument, last_sak, rydd_filer_ved_feil, sjekk_spor, skriv_hendelse
from .forsendelser import forsendelse_forklar, forsendelse_registrer_status, forsendelser_folg_opp
from .parter import POSTNUMMER_RE, PartData, part_fjern, part_oppdater, part_opprett
from .pdf import pdf_bestill, pdf_lag, pdf_lag_mange
from .vedtaksbrev import forsendelse_registrer_manuelt, forsendelse_send_svarut, vedtaksbrev_lag, vedtaksbrev_last_opp
from .workflow import (
    SakData,
    avslutt_hvis_alle_har_fatt_brev,
    sak_godkjenn,
    sak_oppdater,
    sak_opprett,
    sak_registrer_vedtak,
    sak_returner,
    sak_send_til_godkjenning,
    sak_send_til_sekretariat,
    sak_trekk,
    sjekk_hos_sekretariatet,
)

__all__ = [
    "dokument_lest",
    "avslutt_hvis_alle_har_fatt_brev",
    "POSTNUMMER_RE", "Opplasting", "PartData", "SakData", "SakFeil",
    "forsendelse_forklar", "forsendelse_registrer_status", "forsendelser_folg_opp",
    "forsendelse_registrer_manuelt", "forsendelse_send_svarut", "lagre_dokument", "last_sak", "mellomlagre",
    "mellomlagring_fjern", "mellomlagring_rydd", "part_fjern", "part_oppdater", "part_opprett", "rydd_filer_ved_feil",
    "pdf_bestill", "pdf_lag", "pdf_lag_mange",
    "sak_godkjenn", "sak_last_opp", "sak_oppdater", "sak_opprett", "sak_registrer_vedtak", "sak_returner",
    "sak_send_til_godkjenning", "sak_send_til_sekretariat", "sak_trekk", "saksutskrift_legg_til",
    "sjekk_hos_sekretariatet", "sjekk_spor", "skriv_hendelse", "som_opplasting", "vedtaksbrev_lag",
    "vedtaksbrev_last_opp",
]
