"""Reminders: rules that find what is late, and one daily run that e-mails each finding once.

A rule reads cases, lists or meetings, which this package must not import (every app uses overgang.*, not
the other way round). So each app registers its rules from its AppConfig.ready():

    from overgang.varsler.paminnelser import Paminnelse, regel

    @regel("sak_venter_pa_godkjenning")
    def venter_pa_godkjenning(idag: datetime.date) -> Iterable[Paminnelse]:
        for sak in ...:
            if arbeidsdager_etter(sendt, idag) > settings.PAMINNELSE_GODKJENNING_ARBEIDSDAGER:
                yield Paminnelse(objekt=sak, mottakere=[godkjenner], grunn="…", hva="…")

`send_paminnelser` runs every rule on working days (beat, each morning); `send_paminnelse` is the one
reminder a person asks for (the control page's "Send påminnelse"). A reminder is always sent at once, never in
a digest, and never twice for the same cause on the same day: its key holds the rule, the object and the day.
"""

import datetime
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from .arbeidsdager import er_arbeidsdag
from .models import Varsel
from .services import notify

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Paminnelse:
    objekt: models.Model
    mottakere: list
    grunn: str  # why it came, in Norwegian: "Saken har ventet på godkjenning i 6 arbeidsdager."
    hva: str  # what to do: "Godkjenn saken eller send den tilbake."


Regel = Callable[[datetime.date], Iterable[Paminnelse]]
REGLER: dict[str, Regel] = {}


def regel(navn: str) -> Callable[[Regel], Regel]:
    def registrer(funksjon: Regel) -> Regel:
        REGLER[navn] = funksjon
        return funksjon

    return registrer


def send_paminnelse(*, regel: str, paminnelse: Paminnelse, idag: datetime.date | None = None) -> list[Varsel]:
    """Write one reminder's e-mails; a second call for the same cause the same day adds nothing."""
    idag = idag or timezone.localdate()
    ct = ContentType.objects.get_for_model(paminnelse.objekt)
    return notify("paminnelse", paminnelse.objekt, paminnelse.mottakere,
                  nokkel=f"paminnelse:{regel}:{ct.pk}:{paminnelse.objekt.pk}:{idag.isoformat()}",
                  kontekst={"grunn": paminnelse.grunn, "hva": paminnelse.hva})


def send_paminnelser(idag: datetime.date | None = None) -> int:
    """Run every registered rule once; on weekends and public holidays nobody is reminded."""
    idag = idag or timezone.localdate()
    if not er_arbeidsdag(idag):
        return 0
    antall = 0
    for navn, funksjon in REGLER.items():
        try:
            with transaction.atomic():
                for p in funksjon(idag):
                    antall += len(send_paminnelse(regel=navn, paminnelse=p, idag=idag))
        except Exception:
            # One broken rule must not silence the others.
            logger.exception("Påminnelsesregelen %s feilet", navn)
    return antall
