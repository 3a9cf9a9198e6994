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
def frist(dato: datetime.date | None) -> str:
    """Days left to a deadline, in words: "6 dager igjen", "i dag", "frist passert"."""
    if dato is None:
        return ""
    dager = (dato - timezone.localdate()).days
    if dager < 0:
        return "frist passert"
    if dager == 0:
        return "frist i dag"
    return f"{dager} dag{'er' if dager != 1 else ''} igjen"
