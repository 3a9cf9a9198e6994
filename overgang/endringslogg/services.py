"""Writing the audit trail. Call inside the transaction of the change, so the log and the change stand or fall
together. Values are written as people read them (str of the value, a choice's label); identity numbers are
masked by the caller before they get here."""

import datetime
from collections.abc import Iterable, Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .models import Endring, Handling, Kilde


def _tekst(verdi: object) -> str:
    if verdi is None or verdi == "":
        return ""
    if isinstance(verdi, bool):
        return "ja" if verdi else "nei"
    if isinstance(verdi, datetime.datetime):
        return f"{timezone.localtime(verdi):%d.%m.%Y %H:%M}"
    if isinstance(verdi, datetime.date):
        return f"{verdi:%d.%m.%Y}"
    if isinstance(verdi, (list, tuple)):
        return " → ".join(_tekst(v) for v in verdi)
    return str(verdi)


def logg(*, av, handling: str, objekt: models.Model, sak_id: int | None = None, felt: str = "",
         gammel: object = "", ny: object = "", kommentar: str = "", kilde: str = Kilde.APP) -> Endring:
    return Endring.objects.create(
        utfort_av=av if getattr(av, "pk", None) else None, handling=handling, kilde=kilde,
        content_type=ContentType.objects.get_for_model(objekt), objekt_id=objekt.pk, objekt=str(objekt)[:300],
        sak_id=sak_id, felt=felt, gammel_verdi=_tekst(gammel), ny_verdi=_tekst(ny), kommentar=kommentar[:300],
    )


def logg_felter(*, av, objekt: models.Model, for_: Mapping[str, object], etter: Mapping[str, object],
                sak_id: int | None = None, kilde: str = Kilde.APP) -> list[Endring]:
    """One row per field whose value changed; `for_` and `etter` map a field's Norwegian name to its value."""
    return [
        logg(av=av, handling=Handling.ENDRET, objekt=objekt, sak_id=sak_id, felt=felt, gammel=for_.get(felt),
             ny=etter.get(felt), kilde=kilde)
        for felt in etter
        if _tekst(for_.get(felt)) != _tekst(etter.get(felt))
    ]


def bilde(objekt: models.Model, felter: Iterable[str]) -> dict[str, object]:
    """The fields' values as people read them, keyed by their verbose names (a choice by its label)."""
    verdier = {}
    for navn in felter:
        felt = objekt._meta.get_field(navn)
        verdi = getattr(objekt, navn)
        if getattr(felt, "choices", None):
            verdi = getattr(objekt, f"get_{navn}_display")()
        verdier[str(felt.verbose_name)] = verdi
    return verdier
