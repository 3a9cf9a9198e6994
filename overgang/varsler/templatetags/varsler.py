from django import template

from overgang.varsler.services import tilstand

register = template.Library()


@register.simple_tag
def varsel_tilstand() -> dict:
    """Failed and late e-mails, for the admin index."""
    return tilstand()
