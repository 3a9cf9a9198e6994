"""Reads for the health endpoint and the status page."""

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from .models import Feiing, Varsel
from .services import forsinket_grense


def _sekunder_siden(tid: datetime.datetime | None) -> int | None:
    return None if tid is None else max(int((timezone.now() - tid).total_seconds()), 0)


def helse() -> dict:
    """What monitoring needs and nothing more: no counts of cases, no addresses, no versions."""
    eldste = (Varsel.objects.filter(status__in=[Varsel.Status.VENTER, Varsel.Status.SENDER])
              .order_by("opprettet").values_list("opprettet", flat=True).first())
    feiing = Feiing.objects.filter(pk=1).first()
    grense = 3 * settings.VARSEL_FEIE_SEKUNDER
    feier = _sekunder_siden(feiing.sist_feiet if feiing else None)
    beat = _sekunder_siden(feiing.sist_fra_beat if feiing else None)
    return {
        "eldste_ventende_sekunder": _sekunder_siden(eldste),
        "feier": "ok" if feier is not None and feier <= grense else "borte",
        "feier_sekunder_siden": feier,
        "beat": "ok" if beat is not None and beat <= grense else "borte",
        "beat_sekunder_siden": beat,
    }


def problemrader() -> QuerySet:
    """Rows a person should look at: failed for good, or pending past the threshold."""
    from django.db.models import Q

    return (Varsel.objects.filter(Q(status=Varsel.Status.FEILET)
                                  | Q(status__in=[Varsel.Status.VENTER, Varsel.Status.SENDER],
                                      opprettet__lt=forsinket_grense()))
            .select_related("mottaker").order_by("-opprettet"))
