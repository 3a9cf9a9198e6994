"""The app's one family of dates (FORMAT_MODULE_PATH points here; Django's nb formats fill in the rest).

Short, in tables, lists, history and labels:   26.11.2026        26.11.2026 kl. 14:30
Long, in headings and sentences:               26. november 2026  26. november 2026 kl. 14:30
A meeting's time, where the weekday matters:   torsdag 26. november 2026 kl. 18:00  (MOTETID in templates:
                                               "l j. F Y \\k\\l. H:i", the long form with the weekday)

Templates name them ({{ d|date:"SHORT_DATE_FORMAT" }}); Python code uses overgang.datoer, which writes the same.
tests/overgang/test_datoformater.py holds every template to the family.
"""

DATE_FORMAT = "j. F Y"
DATETIME_FORMAT = r"j. F Y \k\l. H:i"
SHORT_DATE_FORMAT = "d.m.Y"
SHORT_DATETIME_FORMAT = r"d.m.Y \k\l. H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j. F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
# Input formats, numbers and the rest come from Django's nb formats (ISO first, which <input type="date"> needs).
