"""Norwegian working days: Monday to Friday, except public holidays (helligdager and 1 and 17 May), from the
`holidays` package, which follows the law (lov om helligdager og helligdagsfred, lov om 1. og 17. mai)."""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _helligdager(aar: int) -> frozenset[datetime.date]:
    return frozenset(holidays.country_holidays("NO", years=aar))


def er_arbeidsdag(dag: datetime.date) -> bool:
    return dag.weekday() < 5 and dag not in _helligdager(dag.year)


def arbeidsdager_etter(fra: datetime.date, til: datetime.date) -> int:
    """Working days after `fra`, up to and including `til`: a case sent on Wednesday has waited one working
    day on Thursday. Zero when `til` is not after `fra`."""
    antall, dag = 0, fra
    while dag < til:
        dag += datetime.timedelta(days=1)
        antall += er_arbeidsdag(dag)
    return antall


def legg_til_arbeidsdager(dag: datetime.date, antall: int) -> datetime.date:
    """The day `antall` working days after (or, negative, before) `dag`."""
    steg = datetime.timedelta(days=1 if antall >= 0 else -1)
    igjen = abs(antall)
    while igjen:
        dag += steg
        igjen -= er_arbeidsdag(dag)
    return dag
