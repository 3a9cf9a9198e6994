"""Delivering one outbox row: render it, claim it with a token and a lease, hand it to the SMTP server, and
record the outcome (sent; retry after a temporary failure within the time budget; failed at once on a
permanent one; sent once more, with the same Message-ID, when the server's answer never came). The sweeper in
overgang.varsler.services queues the rows and takes back claims whose lease ran out."""

import datetime
import logging
import random
import re
import smtplib
import time
import uuid

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db import models
from django.template.loader import select_template
from django.utils import timezone

from .hendelser import HENDELSER
from .models import Varsel

logger = logging.getLogger(__name__)

Status = Varsel.Status


class MidlertidigFeil(Exception):
    """Delivery failed in a way that may pass (4xx, refused, timeout before the message was handed over)."""


class PermanentFeil(Exception):
    """The server refused for good (5xx): retrying will not help; a person must look."""


class UvissFeil(Exception):
    """The server took the whole message, and its answer never came: it may or may not have been delivered."""


class MistetKrav(Exception):
    """Another worker took the row over (our lease ran out): stop before handing the message over."""


def gjengi(varsel: Varsel) -> EmailMultiAlternatives:
    """Render a row's Norwegian e-mail (text and HTML) with an absolute link to its object."""
    obj = varsel.objekt
    lenke = settings.SITE_URL + (obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "/")
    ctx = {
        "varsel": varsel, "mottaker": varsel.mottaker, "objekt": obj, "lenke": lenke,
        "melding": HENDELSER[varsel.hendelse], "k": varsel.kontekst, "site_url": settings.SITE_URL,
    }

    def render(del_: str) -> str:
        mal = select_template([f"emails/{varsel.hendelse}_{del_}", f"emails/standard_{del_}"])
        return mal.render(ctx)

    emne = " ".join(render("subject.txt").split())
    melding = EmailMultiAlternatives(emne, render("body.txt"), settings.DEFAULT_FROM_EMAIL, [varsel.epost],
                                     headers={"Message-ID": varsel.message_id})
    melding.attach_alternative(render("body.html"), "text/html")
    return melding


# ---------------------------------------------------------------------------------------------------------
# Sending one row


def _lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.VARSEL_LEASE_SEKUNDER)


def _krev(varsel_id: int) -> uuid.UUID | None:
    """Claim a pending, due row with a fresh token; None if someone else has it, or it is done or not due."""
    now = timezone.now()
    token = uuid.uuid4()
    claimed = Varsel.objects.filter(
        models.Q(neste_forsok__isnull=True) | models.Q(neste_forsok__lte=now), pk=varsel_id, status=Status.VENTER,
    ).update(status=Status.SENDER, krav=token, krav_utloper=now + _lease(), forsok=models.F("forsok") + 1,
             sist_forsokt=now, data_startet=None)
    return token if claimed == 1 else None


def _forny(varsel_id: int, token: uuid.UUID, *, data: bool = False) -> None:
    """Renew the lease; with `data`, also record that the message is about to be handed over. Raises
    MistetKrav when the row is no longer ours, so a worker that was presumed dead never sends."""
    now = timezone.now()
    felter = {"krav_utloper": now + _lease()}
    if data:
        felter["data_startet"] = now
    if Varsel.objects.filter(pk=varsel_id, krav=token, status=Status.SENDER).update(**felter) != 1:
        raise MistetKrav(f"Varsel {varsel_id} er tatt over av en annen arbeider")


class _Fornyer:
    """Renews the lease between the steps of a conversation, writing only when a third of it has passed; the
    check just before the handover always goes to the database, since that one decides who may send."""

    def __init__(self, varsel_id: int, token: uuid.UUID):
        self.varsel_id, self.token, self.sist = varsel_id, token, time.monotonic()

    def __call__(self, *, data: bool = False) -> None:
        if data or time.monotonic() - self.sist > settings.VARSEL_LEASE_SEKUNDER / 3:
            _forny(self.varsel_id, self.token, data=data)
            self.sist = time.monotonic()


def _er_permanent(kode: int) -> bool:
    return 500 <= kode < 600


def _lever_smtp(backend: SmtpBackend, melding: EmailMultiAlternatives, fornyer) -> None:
    """smtplib's sendmail, one step at a time, so that we know whether the server may hold the message.

    Everything before the final dot of DATA is safe to retry; after it, a missing answer is undecidable.
    The lease is renewed before each step, each of which is bounded by EMAIL_TIMEOUT.
    """
    encoding = melding.encoding or settings.DEFAULT_CHARSET
    fra = sanitize_address(melding.from_email, encoding)
    til = [sanitize_address(a, encoding) for a in melding.recipients()]
    innhold = melding.message().as_bytes(linesep="\r\n")

    def avvis(steg: str, kode: int, svar: bytes) -> Exception:
        feil = PermanentFeil if _er_permanent(kode) else MidlertidigFeil
        return feil(f"{steg}: {kode} {svar.decode(errors='replace')}")

    fornyer()
    try:
        try:
            backend.open()
            conn = backend.connection
            fornyer()
            conn.ehlo_or_helo_if_needed()
            kode, svar = conn.mail(fra)
            if kode != 250:
                raise avvis("MAIL FROM", kode, svar)
            for adresse in til:
                kode, svar = conn.rcpt(adresse)
                if kode not in (250, 251):
                    raise avvis(f"RCPT TO {adresse}", kode, svar)
            fornyer()
            conn.putcmd("data")
            kode, svar = conn.getreply()
            if kode != 354:
                raise avvis("DATA", kode, svar)
            data = re.sub(rb"(?m)^\.", b"..", innhold)
            if not data.endswith(b"\r\n"):
                data += b"\r\n"
            fornyer(data=True)  # from here on the server may hold the message
            conn.send(data + b".\r\n")
        except (smtplib.SMTPException, OSError) as exc:
            if isinstance(exc, smtplib.SMTPResponseException) and _er_permanent(exc.smtp_code):
                raise PermanentFeil(f"{exc.smtp_code} {exc.smtp_error!r}") from exc
            raise MidlertidigFeil(str(exc) or exc.__class__.__name__) from exc
        try:
            kode, svar = conn.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            raise UvissFeil(f"Ingen svar etter at meldingen var overlevert: {exc or exc.__class__.__name__}") from exc
        if kode != 250:
            raise avvis("Etter DATA", kode, svar)
    except BaseException:
        _lukk(backend, hoflig=False)
        raise
    _lukk(backend, hoflig=True)


def _lukk(backend: SmtpBackend, *, hoflig: bool) -> None:
    """Close the connection; politely (QUIT) only when the server is answering, so a stalled server does not
    hold the worker for one more timeout."""
    conn, backend.connection = backend.connection, None
    if conn is None:
        return
    try:
        if hoflig:
            conn.quit()
        else:
            conn.close()
    except (smtplib.SMTPException, OSError):
        conn.close()


def _lever(melding: EmailMultiAlternatives, fornyer) -> None:
    backend = get_connection()
    if isinstance(backend, SmtpBackend):
        _lever_smtp(backend, melding, fornyer)
        return
    # The file and memory backends of development and tests cannot fail halfway.
    fornyer(data=True)
    try:
        backend.send_messages([melding])
    except (smtplib.SMTPException, OSError) as exc:
        raise MidlertidigFeil(str(exc)) from exc


def _ventetid(forsok: int) -> datetime.timedelta:
    """Exponential backoff with jitter, so a recovering server is not hit by every row at once."""
    grunn = settings.VARSEL_BACKOFF_SEKUNDER * 2 ** max(forsok - 1, 0)
    sekunder = min(grunn, settings.VARSEL_BACKOFF_MAKS_SEKUNDER) * random.uniform(0.8, 1.2)
    return datetime.timedelta(seconds=sekunder)


def _avslutt(varsel_id: int, token: uuid.UUID, **felter) -> bool:
    felter.setdefault("krav", None)
    felter.setdefault("krav_utloper", None)
    felter.setdefault("data_startet", None)
    return Varsel.objects.filter(pk=varsel_id, krav=token, status=Status.SENDER).update(**felter) == 1


def send_varsel(varsel_id: int) -> bool:
    """Send one row, at most once per claim. Returns True when this call delivered it.

    A second delivery of the task (acks_late redelivery, the sweeper racing the commit hook) finds the row
    claimed or done and does nothing. A claim left by a dead worker is taken back first (`frigi_utlopte`).
    """
    token = _krev(varsel_id)
    if token is None and frigi_utlopte(varsel_ids=[varsel_id]):
        token = _krev(varsel_id)
    if token is None:
        return False
    varsel = Varsel.objects.select_related("mottaker", "content_type").get(pk=varsel_id)
    try:
        melding = gjengi(varsel)
    except Exception as exc:
        # A rendering bug will not pass by retrying: mark it failed so it shows in the admin, not loop forever.
        logger.exception("Varsel %s kunne ikke lages", varsel_id)
        _avslutt(varsel_id, token, status=Status.FEILET, feilmelding=f"Kunne ikke lages: {exc!r}"[:2000])
        return False
    try:
        _lever(melding, _Fornyer(varsel_id, token))
    except MistetKrav:
        logger.warning("Varsel %s: kravet gikk ut før meldingen ble overlevert; en annen arbeider sender", varsel_id)
        return False
    except PermanentFeil as exc:
        logger.error("Varsel %s avvist for godt: %s", varsel_id, exc)
        _avslutt(varsel_id, token, status=Status.FEILET, feilmelding=f"Avvist: {exc}"[:2000])
        return False
    except UvissFeil as exc:
        _uvisst(varsel, token, str(exc))
        return False
    except MidlertidigFeil as exc:
        now = timezone.now()
        neste = now + _ventetid(varsel.forsok)
        budsjett = varsel.forsok_fra + datetime.timedelta(hours=settings.VARSEL_BUDSJETT_TIMER)
        if neste > budsjett:
            logger.error("Varsel %s ga opp etter %s forsøk: %s", varsel_id, varsel.forsok, exc)
            _avslutt(varsel_id, token, status=Status.FEILET,
                     feilmelding=f"Ga opp etter {varsel.forsok} forsøk: {exc}"[:2000])
        else:
            _avslutt(varsel_id, token, status=Status.VENTER, neste_forsok=neste, feilmelding=str(exc)[:2000])
        return False
    if not _avslutt(varsel_id, token, status=Status.SENDT, sendt=timezone.now(), feilmelding=""):
        logger.warning("Varsel %s ble sendt, men kravet var tatt over", varsel_id)
    if varsel.forsok > 1:
        # The server is back: the rows waiting out a backoff need not wait any longer.
        Varsel.objects.filter(status=Status.VENTER, neste_forsok__gt=timezone.now()).update(
            neste_forsok=timezone.now())
    return True


def _uvisst(varsel: Varsel, token: uuid.UUID, feil: str) -> None:
    """The server may have the message. Send it once more (same Message-ID, so clients collapse the two), and
    after a second such silence take it as sent: a third copy would be worse than the doubt."""
    if varsel.uvisst:
        logger.error("Varsel %s: svaret kom aldri, for andre gang; regnes som sendt", varsel.pk)
        _avslutt(varsel.pk, token, status=Status.SENDT, sendt=timezone.now(),
                 feilmelding=f"Trolig levert (svaret kom aldri to ganger): {feil}"[:2000])
    else:
        logger.warning("Varsel %s: svaret kom aldri; sendes én gang til med samme Message-ID", varsel.pk)
        _avslutt(varsel.pk, token, status=Status.VENTER, uvisst=True, neste_forsok=timezone.now(),
                 feilmelding=feil[:2000])


def frigi_utlopte(*, varsel_ids: list[int] | None = None) -> int:
    """Take back rows whose claim ran out (the worker died or hung): pending again, or, if the dead worker
    had handed the message over, the undecidable case (retried once, then taken as sent)."""
    now = timezone.now()
    utlopt = Varsel.objects.filter(status=Status.SENDER, krav_utloper__lt=now)
    if varsel_ids is not None:
        utlopt = utlopt.filter(pk__in=varsel_ids)
    frigitt = utlopt.filter(data_startet__isnull=True).update(
        status=Status.VENTER, krav=None, krav_utloper=None, neste_forsok=now,
        feilmelding="Arbeideren stoppet før meldingen var overlevert; sendes på nytt.")
    frigitt += utlopt.filter(data_startet__isnull=False, uvisst=False).update(
        status=Status.VENTER, krav=None, krav_utloper=None, data_startet=None, uvisst=True, neste_forsok=now,
        feilmelding="Arbeideren stoppet etter at meldingen var overlevert; sendes én gang til med samme Message-ID.")
    frigitt += utlopt.filter(data_startet__isnull=False, uvisst=True).update(
        status=Status.SENDT, krav=None, krav_utloper=None, data_startet=None, sendt=now,
        feilmelding="Trolig levert (arbeideren stoppet etter overlevering, for andre gang).")
    if frigitt:
        logger.warning("Tok tilbake %s varsler med utløpt krav", frigitt)
    return frigitt
