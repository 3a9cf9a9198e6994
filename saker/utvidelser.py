"""Extension points of the case: what the apps above saker add to the case page, registered from their
AppConfig.ready(), so saker never names them (dependencies run one way: godkjenning and sekretariat use saker).

A part of the case's road ("Sakens vei") — sekretariat adds the handlings at meetings; a part is a template
rendered with the page's context, and a prefetch that loads what it needs for one or many cases. The meeting
whose agenda the case stands on (sekretariat), for the lists' "Møte" and "Hos" columns. The next step on the
case for a person of another app's role (godkjenning for approvers, sekretariat for the secretariat), so each
app names its own pages.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Expression, Prefetch


@dataclass(frozen=True)
class SaksgangDel:
    mal: str
    prefetch: Callable[[], Prefetch]


_SAKSGANG: list[SaksgangDel] = []


def registrer_saksgang(*, mal: str, prefetch: Callable[[], Prefetch]) -> None:
    if all(d.mal != mal for d in _SAKSGANG):
        _SAKSGANG.append(SaksgangDel(mal=mal, prefetch=prefetch))


def saksgang_deler() -> list[SaksgangDel]:
    return list(_SAKSGANG)


def saksgang_prefetcher() -> list[Prefetch]:
    """What the road's parts need, to pass to prefetch_related (one query per part for any number of cases)."""
    return [d.prefetch() for d in _SAKSGANG]


# --- The case's current meeting and the next step for other roles ---------------------------------------------
# Two more points, for the lists and the "neste steg" card: which meeting's agenda the case stands on now (an
# expression over Sak, e.g. a Subquery, that gives a meeting id or NULL), and what a person of another app's role
# does next on the case (a function (sak, bruker) → saker.neste_steg.NesteSteg or None when it has nothing to say).

_SAKSLISTE_MOTE: list[Callable[[], Expression]] = []
_NESTE_STEG: list[Callable[..., object]] = []


def registrer_saksliste_mote(uttrykk: Callable[[], Expression]) -> None:
    if uttrykk not in _SAKSLISTE_MOTE:
        _SAKSLISTE_MOTE.append(uttrykk)


def saksliste_mote_uttrykk() -> list[Expression]:
    return [u() for u in _SAKSLISTE_MOTE]


def registrer_neste_steg(funksjon: Callable[..., object]) -> None:
    if funksjon not in _NESTE_STEG:
        _NESTE_STEG.append(funksjon)


def neste_steg_funksjoner() -> list[Callable[..., object]]:
    return list(_NESTE_STEG)
