"""The upload policy: which file types each slot takes, and what a refused upload is told.

A slot (spor) is a document's role, the values of saker.models.Dokument.Rolle: hoveddokument (the
saksframlegg), vedlegg, saksutskrift and vedtaksbrev. SPOR is the one table of them; a new slot is one
row. Forms check an upload with ``valider_fil``, which checks the whole content whatever the slot (an
Office package by saker.filer.pakke, a PDF by saker.filer.pdf, then clamd if configured); a service
handed a file that was checked already (a ``FilInfo``) checks its slot with ``sjekk_filtype``, so both
refuse with the same words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import File

from .navn import hevdet_familie, med_endelse, rens_filnavn
from .pakke import sjekk_pakke
from .pdf import sjekk_pdf
from .typer import TILLATTE_TYPER, Filtype, gjenkjenn, spol_tilbake, type_for
from .virus import skann

_MB = 1024 * 1024
# Types that are ZIP packages of XML parts, checked whole by saker.filer.pakke.
_PAKKER = frozenset({"docx", "xlsx", "pptx", "odt", "ods", "odp"})


@dataclass(frozen=True)
class FilInfo:
    navn: str  # cleaned, with the extension of the detected type
    mime: str
    filendelse: str  # with the dot, e.g. ".pdf"
    storrelse: int  # bytes


_IKKE_TILLATT = "«{navn}» har en filtype som ikke kan lastes opp (innholdet er {innhold}).{rad}"


@dataclass(frozen=True)
class Spor:
    """What one slot takes, and its refusals: format strings over {navn} (the file's cleaned name),
    {innhold} (what the content was recognised as) and {rad} (advice for that type, e.g. a newer format)."""

    typer: frozenset[str]  # codes in saker.filer.typer.TILLATTE_TYPER
    annen_type: str  # for a type that another slot takes
    ukjent_type: str = _IKKE_TILLATT  # for a type that no slot takes


_WORD_ELLER_PDF = frozenset({"docx", "pdf"})
_LAST_OPP_WORD_ELLER_PDF = " Last opp et Word-dokument (.docx) eller en PDF-fil."
_SOM_VEDTAKSBREV = "«{navn}» kan ikke brukes som vedtaksbrev." + _LAST_OPP_WORD_ELLER_PDF

SPOR: dict[str, Spor] = {
    "hoveddokument": Spor(
        _WORD_ELLER_PDF,
        "«{navn}» kan ikke brukes som saksframlegg (innholdet er {innhold})." + _LAST_OPP_WORD_ELLER_PDF,
    ),
    "vedlegg": Spor(frozenset(TILLATTE_TYPER), "«{navn}» kan ikke brukes som vedlegg (innholdet er {innhold})."),
    # The saksutskrift is exported from P360. Its refusal reads as the secretariat's form has always said it.
    "saksutskrift": Spor(
        _WORD_ELLER_PDF,
        "«{navn}» kan ikke brukes som saksutskrift (innholdet er {innhold})." + _LAST_OPP_WORD_ELLER_PDF,
    ),
    # The letter goes out as it is; one message for every type it cannot be.
    "vedtaksbrev": Spor(_WORD_ELLER_PDF, _SOM_VEDTAKSBREV, ukjent_type=_SOM_VEDTAKSBREV),
}

# For "«x.pdf» er ikke en PDF-fil": what a name's extension claims the file is.
_FAMILIENAVN = {
    "pdf": "en PDF-fil",
    "word": "et Word-dokument",
    "excel": "et Excel-regneark",
    "powerpoint": "en PowerPoint-presentasjon",
    "odt": "et OpenDocument-tekstdokument",
    "ods": "et OpenDocument-regneark",
    "odp": "en OpenDocument-presentasjon",
    "bilde": "et bilde",
    "tekst": "en tekstfil",
    "epost": "en e-post",
}


def valider_fil(f: File, *, rolle: str, maks_bytes: int) -> FilInfo:
    """Check an uploaded file for the slot `rolle` by its content; raise ValidationError if refused.

    The file is always left at position 0, so it can be saved afterwards.
    """
    spor = _spor(rolle)
    navn = rens_filnavn(getattr(f, "name", "") or "")
    try:
        storrelse = _storrelse(f)
        if storrelse == 0:
            raise ValidationError(f"«{navn}» er tom.", code="tom")
        if storrelse > maks_bytes:
            raise ValidationError(
                f"«{navn}» er {_som_mb(storrelse, opp=True)}; grensen er {_som_mb(maks_bytes)}.",
                code="for_stor",
            )
        type_ = gjenkjenn(f, navn)
        _sjekk_navn(navn, type_)
        _sjekk_spor(navn, type_, spor)
        # The whole content, not only what told its type: the same for every slot and every door.
        if type_.kode in _PAKKER:
            sjekk_pakke(f, navn)
        elif type_.kode == "pdf":
            sjekk_pdf(f, navn)
        skann(f, navn)
    finally:
        spol_tilbake(f)
    return FilInfo(med_endelse(navn, type_.endelse), type_.mime, type_.endelse, storrelse)


def sjekk_filtype(info: FilInfo, spor: str) -> None:
    """Refuse a checked file whose type the slot `spor` does not take, with the slot's message.

    For a service handed a FilInfo without a form in front (a form has said the same through
    valider_fil). Raises ValidationError with code "ikke_tillatt".
    """
    _sjekk_spor(info.navn, type_for(info.mime, info.filendelse), _spor(spor))


def _spor(rolle: str) -> Spor:
    if rolle not in SPOR:
        raise ValueError(f"Ukjent rolle: {rolle!r}")
    return SPOR[rolle]


def _sjekk_spor(navn: str, type_: Filtype, spor: Spor) -> None:
    if type_.kode not in TILLATTE_TYPER:
        mal = spor.ukjent_type
    elif type_.kode not in spor.typer:
        mal = spor.annen_type
    else:
        return
    raise ValidationError(mal.format(navn=navn, innhold=type_.beskrivelse, rad=type_.rad), code="ikke_tillatt")


def _sjekk_navn(navn: str, type_: Filtype) -> None:
    hevdet = hevdet_familie(navn)
    if hevdet is not None and hevdet != type_.familie:
        raise ValidationError(
            f"«{navn}» er ikke {_FAMILIENAVN[hevdet]} (innholdet er {type_.beskrivelse}).",
            code="feil_type",
        )


def _storrelse(f: File) -> int:
    storrelse = getattr(f, "size", None)
    if storrelse is None:
        f.seek(0, 2)
        storrelse = f.tell()
    return storrelse


def _som_mb(antall: int, *, opp: bool = False) -> str:
    """Megabytes with at most one decimal and a Norwegian decimal comma; file sizes are rounded up
    so a file just over the limit never reads as equal to it."""
    verdi = antall / _MB
    verdi = math.ceil(verdi * 10) / 10 if opp else round(verdi, 1)
    tekst = f"{verdi:.1f}".removesuffix(".0").replace(".", ",")
    return f"{tekst} MB"
