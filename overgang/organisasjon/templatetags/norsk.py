"""Small Norwegian phrasings for templates."""

import datetime

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def siden(tidspunkt: datetime.datetime | None) -> str:
    """"for 3 dager siden", or "nå nettopp" for the last minute (not "0 minutter siden")."""
    if tidspunkt is None:
        return ""
    if timezone.now() - tidspunkt < datetime.timedelta(minutes=1):
        return "nå nettopp"
    return f"{timesince(tidspunkt)} siden"


@register.filter
def dager_til(dato: datetime.date | None) -> int | None:
    """Whole days from today to `dato` (negative once it has passed), for a template to choose a colour."""
    return None if dato is None else (dato - timezone.localdate()).days


@register.filter
def frist(dato: datetime.date | None) -> str:
    """Days left to a saksfrist, in words: "6 dager til saksfrist", "saksfrist i dag", "frist passert"."""
    dager = dager_til(dato)
    if dager is None:
        return ""
    if dager < 0:
        return "frist passert"
    if dager == 0:
        return "saksfrist i dag"
    return f"{dager} dag{'er' if dager != 1 else ''} til saksfrist"
