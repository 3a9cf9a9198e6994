"""One family of dates across the app (overgang/formater/nb/formats.py), and every template held to it."""

import datetime
import re
from pathlib import Path

from django.conf import settings
from django.template import Context, Template
from django.utils import timezone

# The family's names, the weekday form for a meeting's time, and the machine-readable ISO form for <time datetime>.
TILLATT = {"SHORT_DATE_FORMAT", "SHORT_DATETIME_FORMAT", "DATE_FORMAT", "DATETIME_FORMAT", "MONTH_DAY_FORMAT",
           "TIME_FORMAT", r"l j. F Y \k\l. H:i", "c"}
DATO_FILTER = re.compile(r"""\|date:(["'])(.*?)\1""")


def test_every_template_writes_dates_in_the_family():
    avvik = []
    for fil in (Path(settings.BASE_DIR) / "templates").rglob("*"):
        if fil.is_file() and fil.suffix in {".html", ".txt"}:
            for _, format_ in DATO_FILTER.findall(fil.read_text(encoding="utf-8")):
                if format_ not in TILLATT:
                    avvik.append(f"{fil.relative_to(settings.BASE_DIR)}: {format_}")
    assert not avvik, "Bruk et navngitt format fra overgang/formater/nb/formats.py:\n" + "\n".join(avvik)


def test_the_family_reads_as_norwegian_dates_in_local_time():
    # 13:30 UTC in November is 14:30 in Lillestrøm.
    tidspunkt = datetime.datetime(2026, 11, 26, 13, 30, tzinfo=datetime.UTC)
    mal = Template('{{ t|date:"SHORT_DATE_FORMAT" }}|{{ t|date:"SHORT_DATETIME_FORMAT" }}|{{ t|date:"DATE_FORMAT" }}|'
                   r'{{ t|date:"DATETIME_FORMAT" }}|{{ t|date:"l j. F Y \k\l. H:i" }}')
    with timezone.override("Europe/Oslo"):
        tekst = mal.render(Context({"t": tidspunkt}))
    assert tekst.split("|") == ["26.11.2026", "26.11.2026 kl. 14:30", "26. november 2026",
                                "26. november 2026 kl. 14:30", "torsdag 26. november 2026 kl. 14:30"]
