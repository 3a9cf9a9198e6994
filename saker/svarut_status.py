"""SvarUt's shipment statuses as the client reads them: one spelling, and the rows of ``POST /statuser``.

Which statuses are final, good or bad, and what they are called in Norwegian is the case's business
(saker.levering); this module only reads what SvarUt says.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

# KS's JSON schema (forsendelseStatus.json) spells the first status MOTTAT, its Java enum and the server MOTTATT:
# both mean the same, and only the second is stored.
_STAVEMATER = {"MOTTAT": "MOTTATT"}


def normaliser_status(status: str) -> str:
    """SvarUt's status in the one spelling Overgang stores (upper case, MOTTAT → MOTTATT)."""
    status = str(status).strip().upper()
    return _STAVEMATER.get(status, status)


@dataclass(frozen=True)
class Status:
    """One shipment's status as SvarUt reported it; ``endret`` is its sisteStatusEndring, when given."""

    forsendelse_id: str
    status: str
    endret: datetime.datetime | None = None


def les_status(rad: object) -> Status | None:
    """One row of the answer, or None for a row without an id or a status (skipped, not fatal)."""
    if not isinstance(rad, dict):
        return None
    ident = rad.get("forsendelsesId")
    ident = ident.get("id") if isinstance(ident, dict) else ident
    if not ident or not isinstance(rad.get("status"), str) or not rad["status"].strip():
        return None
    endret = rad.get("sisteStatusEndring")
    tidspunkt = None
    if isinstance(endret, (int, float)) and not isinstance(endret, bool):
        tidspunkt = datetime.datetime.fromtimestamp(endret / 1000, tz=datetime.UTC)
    return Status(forsendelse_id=str(ident), status=normaliser_status(rad["status"]), endret=tidspunkt)
