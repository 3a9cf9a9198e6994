"""Extension points of the case: what the apps above saker add to the case page, registered from their
AppConfig.ready(), so saker never names them (dependencies run one way: godkjenning and sekretariat use saker).

Today one: a part of the case's road ("Sakens vei") — sekretariat adds the handlings at meetings. A part is a
template rendered with the page's context, and a prefetch that loads what it needs for one or many cases.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Prefetch


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
