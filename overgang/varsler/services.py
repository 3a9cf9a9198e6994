"""Notifications: `notify` writes the outbox rows of a hand-off; `send_varsel` delivers one row; the sweeper
(`send_ventende`) queues what is due, takes back claims of dead workers and tells the administrators.

The promise: an e-mail is never lost (the row is written with the hand-off and swept until it is sent or
has failed for a reason a person must see), never doubled (a row is claimed with a token before sending,
and a claim is only taken over once its lease ran out before the message was handed over), and never late
because of a person's request (queueing is one short attempt after commit; the sweeper does the rest).
"""

import datetime
import logging
import random
import re
import smtplib
import threading
import time
import uuid
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db import models, transaction
from django.template.loader import render_to_string, select_template
from django.urls import reverse
from django.utils import timezone

from .hendelser import ALLTID_STRAKS, HENDELSER
from .models import Feiing, Varsel, Varslingsvalg

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
    recipients = list(recipients)
    samles = _vil_ha_sammendrag(event, recipients)
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
                          "mottaker": bruker, "kontekst": kontekst or {},
                          "status": Status.SAMLES if bruker and bruker.pk in samles else Status.VENTER},
            )
            if opprettet and varsel.status == Status.VENTER:
                nye.append(varsel)
        if nye:
            # One callback for all the rows of this call: one connection to the broker, one short attempt.
            transaction.on_commit(partial(legg_i_ko, [v.pk for v in nye]))
    return nye


def _vil_ha_sammendrag(event: str, recipients: list) -> set[int]:
    """The users among the recipients who chose the daily digest (one query, none without users)."""
    if event in ALLTID_STRAKS:
        return set()
    ids = [m.pk for m in recipients if isinstance(m, get_user_model())]
    if not ids:
        return set()
    return set(Varslingsvalg.objects.filter(bruker_id__in=ids, sammendrag=True).values_list("bruker_id", flat=True))


# When an attempt to reach the broker failed, the process stops trying for a little while, so a request that
# notifies several times, or the next requests, do not each wait out the timeout; the sweeper queues the rows.
_PAUSE_ETTER_BROKERFEIL = 5.0
_broker_nede_til: dict[str, float] = {}  # broker URL → monotonic time until which it is not tried
_broker_las = threading.Lock()


def legg_i_ko(varsel_ids: Iterable[int] | int) -> int:
    """Hand rows to the broker, in one attempt bounded by VARSEL_KO_TIDSGRENSE. Never raises: with the broker
    down or frozen the rows stay pending and the sweeper queues them. Returns how many were queued.

    Queueing a row twice is harmless (the claim decides who sends), so a lost or doubled message here only
    costs time, never an e-mail.
    """
    from overgang.celery import app

    from .tasks import send_varsel

    ids = [varsel_ids] if isinstance(varsel_ids, int) else list(varsel_ids)
    if not ids:
        return 0
    if app.conf.task_always_eager:
        for pk in ids:
            send_varsel.apply_async(args=[pk])
        return len(ids)
    url = app.conf.broker_url or ""
    if time.monotonic() < _broker_nede_til.get(url, 0.0):
        return 0
    frist = settings.VARSEL_KO_TIDSGRENSE
    sendt = 0
    try:
        with app.connection_for_write(
            connect_timeout=frist,
            transport_options={"socket_timeout": frist, "socket_connect_timeout": frist, "max_retries": 0,
                               "retry_on_timeout": False},
        ) as conn:
            for pk in ids:
                send_varsel.apply_async(args=[pk], connection=conn, retry=False)
                sendt += 1
    except Exception:  # the broker may fail in many ways (refused, timeout, auth); none may reach the user
        with _broker_las:
            _broker_nede_til[url] = time.monotonic() + _PAUSE_ETTER_BROKERFEIL
        logger.warning("Kunne ikke legge %s av %s varsler i køen; feieren sender dem senere",
                       len(ids) - sendt, len(ids), exc_info=True)
    return sendt


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


# ---------------------------------------------------------------------------------------------------------
# The sweeper


def _feiing() -> Feiing:
    feiing, _ = Feiing.objects.get_or_create(pk=1)
    return feiing


def forfalne() -> models.QuerySet:
    """Pending rows that are due: a retry whose wait is over, or a new row that was not queued on commit."""
    now = timezone.now()
    grense = now - datetime.timedelta(seconds=settings.VARSEL_FEIER_VENT_SEKUNDER)
    return Varsel.objects.filter(status=Status.VENTER).filter(
        models.Q(neste_forsok__lte=now) | models.Q(neste_forsok__isnull=True, opprettet__lt=grense)
    )


def send_ventende(*, fra_beat: bool = False, bare_om_ingen_har: bool = False) -> int:
    """The sweeper: take back dead claims, queue due rows, probe a waiting server, tell administrators.

    Any number of sweepers may run at once (beat, and each worker when no sweep has run for a while): every
    step is a conditional update or a queueing that the claim makes harmless. With `bare_om_ingen_har` it
    runs only if no sweep ran for two intervals, so several workers do not all sweep when beat is alive.
    """
    _feiing()
    now = timezone.now()
    if bare_om_ingen_har:
        siden = now - datetime.timedelta(seconds=2 * settings.VARSEL_FEIE_SEKUNDER)
        tatt = Feiing.objects.filter(pk=1).filter(
            models.Q(sist_feiet__lt=siden) | models.Q(sist_feiet__isnull=True)).update(sist_feiet=now)
        if not tatt:
            return 0
    else:
        felter = {"sist_feiet": now, **({"sist_fra_beat": now} if fra_beat else {})}
        Feiing.objects.filter(pk=1).update(**felter)

    frigi_utlopte()
    ids = list(forfalne().order_by("opprettet").values_list("pk", flat=True)[:500])
    if not ids:
        # Nothing due but rows waiting out a backoff: try the oldest one now, as a probe. If the server is
        # back, its success pulls the others forward; if not, it costs one connection per sweep.
        probe = Varsel.objects.filter(status=Status.VENTER, neste_forsok__gt=now).order_by("neste_forsok").first()
        if probe and Varsel.objects.filter(pk=probe.pk, status=Status.VENTER).update(neste_forsok=now):
            ids = [probe.pk]
    koet = legg_i_ko(ids)
    varsle_administratorer()
    send_sammendrag()
    return koet


def forsinket_grense() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(minutes=settings.VARSEL_FORSINKET_MINUTTER)


def tilstand() -> dict:
    """Counts for the admin index and the secretariat's page: rows failed for good, and rows late."""
    return {
        "feilet": Varsel.objects.filter(status=Status.FEILET).count(),
        "forsinket": Varsel.objects.filter(status__in=[Status.VENTER, Status.SENDER],
                                           opprettet__lt=forsinket_grense()).count(),
    }


def administratorer() -> list[str]:
    brukere = get_user_model().objects.filter(is_active=True, is_superuser=True).exclude(email="")
    return sorted({*(b.email.lower() for b in brukere), *(a.lower() for a in settings.VARSEL_ADMIN_EPOST)})


def varsle_administratorer() -> int:
    """One e-mail to the administrators about rows that failed for good since the last one, not one per row.

    The rows are claimed (`admin_varslet`) before sending, so two sweepers do not both send; if the e-mail
    cannot go out (the server refuses everything), the claim is undone and the next sweep tries again. It is
    sent directly, not through the outbox: an outbox row about failing outbox rows could fail the same way.
    """
    mottakere = administratorer()
    if not mottakere:
        return 0
    now = timezone.now()
    ids = list(Varsel.objects.filter(status=Status.FEILET, admin_varslet__isnull=True)
               .values_list("pk", flat=True)[:1000])
    if not ids or not Varsel.objects.filter(pk__in=ids, admin_varslet__isnull=True).update(admin_varslet=now):
        return 0
    rader = list(Varsel.objects.filter(pk__in=ids, admin_varslet=now).order_by("opprettet"))
    if not rader:
        return 0
    ctx = {"rader": rader[:50], "antall": len(rader),
           "lenke": settings.SITE_URL + reverse("admin:varsler_varsel_changelist") + "?status__exact=feilet"}
    melding = EmailMultiAlternatives(
        " ".join(render_to_string("emails/varsler_feilet_subject.txt", ctx).split()),
        render_to_string("emails/varsler_feilet_body.txt", ctx), settings.DEFAULT_FROM_EMAIL, mottakere)
    melding.attach_alternative(render_to_string("emails/varsler_feilet_body.html", ctx), "text/html")
    try:
        melding.send()
    except Exception:
        logger.exception("Kunne ikke varsle administratorene om %s feilede varsler; prøver ved neste feiing",
                         len(rader))
        Varsel.objects.filter(pk__in=[r.pk for r in rader], admin_varslet=now).update(admin_varslet=None)
        return 0
    return len(rader)


def send_pa_nytt(varsel_ids: Iterable[int]) -> int:
    """An administrator's resend: failed or pending rows go back to pending with a fresh budget and are queued.
    A row being sent is left alone (resending it could send it twice); a sent row is not sent again."""
    ids = list(Varsel.objects.filter(pk__in=list(varsel_ids), status__in=[Status.FEILET, Status.VENTER])
               .values_list("pk", flat=True))
    now = timezone.now()
    antall = Varsel.objects.filter(pk__in=ids, status__in=[Status.FEILET, Status.VENTER]).update(
        status=Status.VENTER, forsok_fra=now, neste_forsok=None, admin_varslet=None)
    transaction.on_commit(partial(legg_i_ko, ids))
    return antall


# ---------------------------------------------------------------------------------------------------------
# Preferences and the daily digest


def lagre_varslingsvalg(*, bruker, sammendrag: bool, klokkeslett: int) -> Varslingsvalg:
    """Save a person's choice. Going back to immediate e-mail sends what was held for the digest now."""
    with transaction.atomic():
        valg, _ = Varslingsvalg.objects.update_or_create(
            bruker=bruker, defaults={"sammendrag": sammendrag, "klokkeslett": klokkeslett})
        if not sammendrag:
            ids = list(Varsel.objects.select_for_update().filter(mottaker=bruker, status=Status.SAMLES)
                       .values_list("pk", flat=True))
            Varsel.objects.filter(pk__in=ids, status=Status.SAMLES).update(status=Status.VENTER)
            if ids:
                transaction.on_commit(partial(legg_i_ko, ids))
    return valg


def send_sammendrag(*, na: datetime.datetime | None = None) -> int:
    """Write today's digest for everyone whose hour has come and who has something held. Run by every sweep."""
    na = timezone.localtime(na)
    venter = Varsel.objects.filter(status=Status.SAMLES).values("mottaker_id")
    valg = (Varslingsvalg.objects.filter(sammendrag=True, klokkeslett__lte=na.hour, bruker__is_active=True,
                                         bruker_id__in=venter).select_related("bruker"))
    return sum(1 for v in valg if lag_sammendrag(bruker=v.bruker, dag=na.date()))


def lag_sammendrag(*, bruker, dag: datetime.date) -> Varsel | None:
    """One digest row for one person and day, listing each held row with its link; the held rows are marked
    sent in it. Two workers doing this at once make one digest: the rows are locked before they are taken,
    and the digest's key (person and day) is unique. The digest is then delivered like any other row."""
    with transaction.atomic():
        punkter = list(Varsel.objects.select_for_update().filter(mottaker=bruker, status=Status.SAMLES)
                       .select_related("content_type").order_by("opprettet"))
        if not punkter or not bruker.email:
            return None
        innhold = []
        for p in punkter:
            obj = p.objekt
            innhold.append({
                "melding": HENDELSER.get(p.hendelse, p.hendelse), "objekt": str(obj) if obj else "",
                "lenke": settings.SITE_URL + (obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else "/"),
                "kommentar": p.kontekst.get("kommentar", ""),
                "tid": timezone.localtime(p.opprettet).strftime("%d.%m.%Y %H:%M"),
            })
        sammendrag, opprettet = Varsel.objects.get_or_create(
            nokkel=f"sammendrag:{bruker.pk}:{dag.isoformat()}", epost=bruker.email.strip().lower(),
            defaults={"hendelse": "sammendrag", "content_type": ContentType.objects.get_for_model(bruker),
                      "object_id": bruker.pk, "mottaker": bruker, "kontekst": {"punkter": innhold}},
        )
        if not opprettet:
            return None  # today's digest is made; what came after it waits for tomorrow's
        Varsel.objects.filter(pk__in=[p.pk for p in punkter], status=Status.SAMLES).update(
            status=Status.SENDT, sendt=timezone.now(), sammendrag=sammendrag)
        transaction.on_commit(partial(legg_i_ko, [sammendrag.pk]))
    return sammendrag
