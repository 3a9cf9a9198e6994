from datetime import UTC, date, datetime

import pytest

from overgang.datoer import NORSK_TIDSSONE, norsk_dato, norsk_dato_med_ukedag


def test_it_writes_the_day_month_name_and_year():
    assert norsk_dato(date(2026, 12, 3)) == "3. desember 2026"


@pytest.mark.parametrize(
    ("maned", "navn"),
    [(1, "januar"), (2, "februar"), (3, "mars"), (5, "mai"), (6, "juni"), (10, "oktober")],
)
def test_it_spells_the_months_in_bokmal(maned, navn):
    assert norsk_dato(date(2019, maned, 15)) == f"15. {navn} 2019"


def test_it_writes_weekday_date_and_time():
    assert norsk_dato_med_ukedag(datetime(2026, 12, 3, 18, 0)) == "torsdag 3. desember 2026 kl. 18:00"


def test_it_names_the_weekend_days_with_norwegian_letters():
    assert norsk_dato_med_ukedag(datetime(2019, 11, 16, 9, 5)).startswith("lørdag 16. november 2019")
    assert norsk_dato_med_ukedag(datetime(2019, 11, 17, 9, 5)) == "søndag 17. november 2019 kl. 09:05"


def test_it_shows_an_aware_time_in_norwegian_local_time():
    # Django keeps aware datetimes in UTC; 17:00 UTC in December is 18:00 in Lillestrøm (CET).
    assert norsk_dato_med_ukedag(datetime(2026, 12, 3, 17, 0, tzinfo=UTC)) == (
        "torsdag 3. desember 2026 kl. 18:00"
    )
    # Summer time (CEST) is two hours ahead.
    assert norsk_dato_med_ukedag(datetime(2026, 6, 4, 16, 30, tzinfo=UTC)).endswith("kl. 18:30")


def test_it_dates_a_late_utc_time_by_the_local_day():
    assert norsk_dato(datetime(2019, 12, 31, 23, 30, tzinfo=UTC)) == "1. januar 2020"


def test_it_leaves_a_local_aware_time_as_it_is():
    moetet = datetime(2019, 10, 24, 18, 0, tzinfo=NORSK_TIDSSONE)
    assert norsk_dato_med_ukedag(moetet) == "torsdag 24. oktober 2019 kl. 18:00"
