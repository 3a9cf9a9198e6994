"""Form fields for uploads and the one check every upload form makes (saker.filer's policy per slot)."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from . import filer
from .models import Dokument
from .services import Opplasting


class FlereFilerInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FlereFilerFelt(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", FlereFilerInput())
        # Empty files are refused by saker.filer, whose message names the file.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        enkelt = super().clean
        if isinstance(data, list | tuple):
            return [enkelt(d, initial) for d in data if d]
        return [enkelt(data, initial)] if data else []


class SaksframleggFelt(forms.FileField):
    """Required, and marked so; but a file kept from a refused attempt may stand in for it, which the form's
    clean() checks."""

    def validate(self, value) -> None:
        if value not in self.empty_values:
            super().validate(value)


def maks_bytes() -> int:
    return settings.MAKS_FILSTORRELSE_MB * 1024 * 1024


def sjekk_fil(fil, rolle: str) -> Opplasting:
    """Check an upload for its slot (a Dokument.Rolle) by the one upload policy, saker.filer.regler."""
    return Opplasting(fil=fil, info=filer.valider_fil(fil, rolle=rolle, maks_bytes=maks_bytes()))


class VedleggFeil(ValidationError):
    """Some vedlegg were refused; `gyldige` holds the ones that passed, so they need not be lost."""

    def __init__(self, meldinger: list[str], gyldige: list[Opplasting]):
        super().__init__(meldinger)
        self.gyldige = gyldige


def sjekk_vedlegg(filer_: list) -> list[Opplasting]:
    opplastinger, feil = [], []
    for fil in filer_:
        try:
            opplastinger.append(sjekk_fil(fil, Dokument.Rolle.VEDLEGG))
        except ValidationError as e:
            feil.extend(e.messages)
    if feil:
        raise VedleggFeil(feil, opplastinger)
    return opplastinger
