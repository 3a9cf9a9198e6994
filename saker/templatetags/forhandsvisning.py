"""The stored preview of a Word document rendered as HTML: headings, paragraphs with Word's list numbers,
and tables (saker.filer.forhandsvisning)."""

from dataclasses import dataclass

from django import template

from saker.filer import Avsnitt, Forhandsvisning, forhandsvisning_fra_tekst

register = template.Library()


@dataclass(frozen=True)
class _Vist:
    avsnitt: Avsnitt | None
    rader: tuple[tuple[str, ...], ...]
    h: int  # the HTML heading level, 0 for a paragraph
    innrykk: int  # Bootstrap's ps-* step for a list item's level


@register.filter
def lagret_forhandsvisning(dokument) -> Forhandsvisning | None:
    """The preview stored with a document when it was saved; None if there is none in today's shape."""
    return forhandsvisning_fra_tekst(getattr(dokument, "tekst", "") or "")


@register.inclusion_tag("saker/_forhandsvisning.html")
def forhandsvisning(visning: Forhandsvisning | None, dokument=None, forste_overskrift: int = 2) -> dict:
    """The preview's blocks; the document's headings start at <h{forste_overskrift}>, below the page's own."""
    blokker = []
    for blokk in visning.blokker if visning else ():
        if isinstance(blokk, Avsnitt):
            h = min(forste_overskrift + blokk.overskrift - 1, 6) if blokk.overskrift else 0
            blokker.append(_Vist(blokk, (), h, min(blokk.niva + 1, 5) if blokk.nummer else 0))
        else:
            blokker.append(_Vist(None, blokk.rader, 0, 0))
    return {"blokker": blokker, "visning": visning, "dokument": dokument,
            "maks_tegn": f"{visning.maks_tegn:,}".replace(",", "\u00a0") if visning else ""}


@register.filter
def hoveddokumentet(dokumenter):
    """The saksframlegg among a case's current documents (the page has loaded them already)."""
    return next((d for d in dokumenter if d.rolle == "hoveddokument"), None)
