"""Norwegian (bokmål) date formatting for letters and agendas.

The names are spelled out here rather than taken from the C locale: the servers run with whatever locale the
image has (often C.UTF-8), and a document must not change language with the machine that built it.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

# Lillestrøm's local time. Django stores aware datetimes in UTC; a meeting at 18:00 must print as 18:00.
NORSK_TIDSSONE = ZoneInfo("Europe/Oslo")

MANEDER = (
    "januar",
    "februar",
    "mars",
    "april",
    "mai",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "desember",
)

# Indexed by date.weekday(): Monday is 0.
UKEDAGER = ("mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag")


def _lokal(dt: datetime) -> datetime:
    """An aware datetime in Norwegian local time; a naive one is taken to be local already."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        return dt
    return dt.astimezone(NORSK_TIDSSONE)


def norsk_dato(d: date) -> str:
    """'3. desember 2026'. A datetime is first moved to Norwegian time, so its date is the local one."""
    if isinstance(d, datetime):
        d = _lokal(d)
    return f"{d.day}. {MANEDER[d.month - 1]} {d.year}"


def norsk_dato_med_ukedag(dt: datetime) -> str:
    """'torsdag 3. desember 2026 kl. 18:00', in Norwegian local time."""
    dt = _lokal(dt)
    return f"{UKEDAGER[dt.weekday()]} {norsk_dato(dt)} kl. {dt:%H:%M}"
