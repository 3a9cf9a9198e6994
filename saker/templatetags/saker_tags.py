from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe

from saker import utvidelser

register = template.Library()


@register.simple_tag(takes_context=True)
def saksgang_deler(context: template.Context) -> SafeString:
    """The parts other apps add to the case's road (saker.utvidelser), rendered with the page's context."""
    verdier = context.flatten()
    return mark_safe("".join(get_template(d.mal).render(verdier) for d in utvidelser.saksgang_deler()))  # noqa: S308
