"""Notifications: `notify` writes the outbox rows of a hand-off; `send_varsel` delivers one row."""

import datetime
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import select_template
from django.utils import timezone

from .hendelser import HENDELSER
from .models import Varsel

logger = logging.getLogger(__name__)


class MidlertidigFeil(Exception):
    """Delivery failed in a way that may pass (SMTP server down, timeout): try again later."""


def notify(event: str, obj: models.Model, recipients: Iterable, *, nokkel: str | None = None,
           kontekst: dict | None = None) -> list[Varsel]:
    """Write one outbox row per recipient and queue their sending once the surrounding transaction commits.

    `recipients` holds users and/or plain e-mail addresses (such as the secretariat's shared mailbox).
    `nokkel` names this occurrence of the event; a hand-off that can happen more than once on the same
    object (a resubmission) passes the id of its history row. Calling twice with the same key adds nothing.
    `kontekst` is stored as JSON and given to the templates: never put a national identity number in it.
    """
    if event not in HENDELSER:
        raise ValueError(f"Ukjent hendelse: {event}")
    content_type = ContentType.objects.get_for_model(obj)
    nokkel = nokkel or f"{event}:{content_type.pk}:{obj.pk}"
    nye: list[Varsel] = []
    sett: set[str] = set()
    with transaction.atomic():
        for mottaker in recipients:
            bruker = mottaker if isinstance(mottaker, get_user_model()) else None
            epost = (bruker.email if bruker else str(mottaker)).strip().lower()
            if not epost:
                logger.warning("Varsel %s: %s har ingen e-postadresse", event, mottaker)
                continue
            if epost in sett:
                continue
            sett.add(epost)
            varsel, opprettet = Varsel.objects.get_or_create(
                nokkel=nokkel, epost=epost,
                defaults={"hendelse": event, "content_type": content_type, "object_id": obj.pk,
                          "mottaker": bruker, "kontekst": kontekst or {}},
            )
            if opprettet:
                nye.append(varsel)
        for varsel in nye:
            transaction.on_commit(lambda pk=varsel.pk: legg_i_ko(pk))
    return nye


def legg_i_ko(varsel_id: int) -> bool:
    """Queue one row for sending. Never raises: with the broker down the row stays pending for the sweeper."""
    from .tasks import send_varsel

    try:
        send_varsel.apply_async(args=[varsel_id], retry=False)
    except Exception:  # the broker may fail in many ways (refused, timeout, auth); none may reach the user
        logger.warning("Kunne ikke legge varsel %s i køen; det sendes av feieren senere", varsel_id, exc_info=True)
        return False
    return True


def gjengi(varsel: Varsel) -> EmailMultiAlternatives:
    """Render a row's Norwegian e-mail (text and HTML) with an absolute link to its object."""
    obj = varsel.objekt
    lenke = settings.SITE_URL + obj.get_absolute_url() if obj is not None else settings.SITE_URL
    ctx = {
        "varsel": varsel, "mottaker": varsel.mottaker, "objekt": obj, "lenke": lenke,
        "melding": HENDELSER[varsel.hendelse], "k": varsel.kontekst, "site_url": settings.SITE_URL,
    }

    def render(del_: str) -> str:
        mal = select_template([f"emails/{varsel.hendelse}_{del_}", f"emails/standard_{del_}"])
        return mal.render(ctx)

    emne = " ".join(render("subject.txt").split())
    melding = EmailMultiAlternatives(emne, render("body.txt"), settings.DEFAULT_FROM_EMAIL, [varsel.epost])
    melding.attach_alternative(render("body.html"), "text/html")
    return melding


def send_varsel(varsel_id: int) -> bool:
    """Send one row, at most once: the conditional update claims it, so a second delivery of the task
    (acks_late redelivery, the sweeper racing a retry) finds nothing to do."""
    now = timezone.now()
    claimed = Varsel.objects.filter(pk=varsel_id, status=Varsel.Status.VENTER).update(
        status=Varsel.Status.SENDER, forsok=models.F("forsok") + 1, sist_forsokt=now
    )
    if claimed != 1:
        return False
    varsel = Varsel.objects.select_related("mottaker", "content_type").get(pk=varsel_id)
    try:
        gjengi(varsel).send()
    except (smtplib.SMTPException, OSError) as exc:
        status = Varsel.Status.FEILET if varsel.forsok >= Varsel.MAKS_FORSOK else Varsel.Status.VENTER
        Varsel.objects.filter(pk=varsel_id).update(status=status, feilmelding=str(exc)[:2000])
        if status == Varsel.Status.VENTER:
            raise MidlertidigFeil(str(exc)) from exc
        logger.error("Varsel %s ga opp etter %s forsøk: %s", varsel_id, varsel.forsok, exc)
        return False
    except Exception as exc:
        # A rendering bug will not pass by retrying: mark it failed so it shows in the admin, not loop forever.
        logger.exception("Varsel %s kunne ikke lages", varsel_id)
        Varsel.objects.filter(pk=varsel_id).update(status=Varsel.Status.FEILET, feilmelding=repr(exc)[:2000])
        return False
    Varsel.objects.filter(pk=varsel_id).update(status=Varsel.Status.SENDT, sendt=timezone.now(), feilmelding="")
    return True


def send_ventende(*, eldre_enn_sekunder: int = 60, hengt_minutter: int = 15) -> int:
    """The sweeper: queue rows still pending (the broker was down, or a retry was lost).

    A row claimed long ago by a worker that died (the task time limit is far shorter) goes back to pending;
    that is the one case where a recipient might get an e-mail twice, which beats losing it.
    """
    now = timezone.now()
    Varsel.objects.filter(
        status=Varsel.Status.SENDER, sist_forsokt__lt=now - datetime.timedelta(minutes=hengt_minutter)
    ).update(status=Varsel.Status.VENTER)
    grense = now - datetime.timedelta(seconds=eldre_enn_sekunder)
    ids = list(
        Varsel.objects.filter(status=Varsel.Status.VENTER)
        .filter(models.Q(sist_forsokt__lt=grense) | models.Q(sist_forsokt__isnull=True, opprettet__lt=grense))
        .values_list("pk", flat=True)[:500]
    )
    return sum(legg_i_ko(pk) for pk in ids)
