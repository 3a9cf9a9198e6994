"""The letters' delivery on the case page: SvarUt's status in Norwegian, its colour, and the letters followed."""

from django import template

from saker import levering

register = template.Library()


@register.filter
def svarut_tekst(status: str) -> str:
    return levering.tekst(status)


@register.filter
def svarut_tag(status: str) -> str:
    """Delivered green, not delivered red, on its way blue (designsystemet's Tag, on Bootstrap)."""
    if status in levering.LEVERT:
        return "text-bg-success"
    if status in levering.IKKE_LEVERT:
        return "text-bg-danger"
    return "text-bg-info"


@register.simple_tag
def fulgte_brev(parter) -> list[levering.Fulgt]:
    """The letters among the page's party rows (saker.selectors.PartRad) that went through SvarUt, with their
    history (one query)."""
    return levering.fulgte(rad.forsendelse for rad in parter or ())


@register.filter
def noen_underveis(brevene: list[levering.Fulgt]) -> bool:
    """A letter is still on its way: the page's script keeps asking."""
    return any(not levering.er_endelig(b.forsendelse.svarut_status) for b in brevene)
