"""Notifications: `notify` writes the outbox rows of a hand-off; `send_varsel` delivers one row; the sweeper
(`send_ventende`) queues what is due, takes back claims of dead workers and tells the administrators.

The promise: an e-mail is never lost (the row is written with the hand-off and swept until it is sent or
has failed for a reason a person must see), never doubled (a row is claimed with a token before sending,
and a claim is only taken over once its lease ran out before the message was handed over), and never late
because of a person's request (queueing is one short attempt after commit; the sweeper does the rest).
"""

import datetime
import logging
import threading
import time
from collections.abc import Iterable
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from overgang.organisasjon.selectors import aktive_stedfortredere

from .hendelser import ALLTID_STRAKS, HENDELSER, UTEN_STEDFORTREDER
from .levering import frigi_utlopte
from .models import Feiing, Varsel, Varslingsvalg

logger = logging.getLogger(__name__)

Status = Varsel.Status


def notify(event: str, obj: models.Model, recipients: Iterable, *, nokkel: str | None = None,
           kontekst: dict | None = None) -> list[Varsel]:
    """Write one outbox row per recipient and queue their sending once the surrounding transaction commits.

    `recipients` holds users and/or plain e-mail addresses (such as the secretariat's shared mailbox).
    `nokkel` names this occurrence of the event; a hand-off that can happen more than once on the same
    object (a resubmission) passes the id of its history row. Calling twice with the same key adds nothing.
    `kontekst` is stored as JSON and given to the templates: never put a national identity number in it.
    A user who is away that day (overgang.organisasjon.models.Fravaer) is written to as usual, and whoever
    stands in for them gets a row too, saying for whom (`stedfortreder_for` in its context).
    """
    if event not in HENDELSER:
        raise ValueError(f"Ukjent hendelse: {event}")
    content_type = ContentType.objects.get_for_model(obj)
    nokkel = nokkel or f"{event}:{content_type.pk}:{obj.pk}"
    mottakere = _med_stedfortredere(event, list(recipients))
    samles = _vil_ha_sammendrag(event, [m for m, _ in mottakere])
    nye: list[Varsel] = []
    sett: set[str] = set()
    with transaction.atomic():
        for mottaker, ekstra in mottakere:
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
                          "mottaker": bruker, "kontekst": {**(kontekst or {}), **ekstra},
                          "status": Status.SAMLES if bruker and bruker.pk in samles else Status.VENTER},
            )
            if opprettet and varsel.status == Status.VENTER:
                nye.append(varsel)
        if nye:
            # One callback for all the rows of this call: one connection to the broker, one short attempt.
            transaction.on_commit(partial(legg_i_ko, [v.pk for v in nye]))
    return nye


def _med_stedfortredere(event: str, recipients: list) -> list[tuple[object, dict]]:
    """The recipients, then the stand-ins of those away today, each with what its row's context adds. The
    direct recipients come first, so someone who is both keeps the plain row (rows are one per address)."""
    mottakere: list[tuple[object, dict]] = [(m, {}) for m in recipients]
    if event in UTEN_STEDFORTREDER:
        return mottakere
    brukere = [m for m in recipients if isinstance(m, get_user_model())]
    mottakere += [(f.stedfortreder, {"stedfortreder_for": str(f.person)}) for f in aktive_stedfortredere(brukere)]
    return mottakere


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
                "stedfortreder_for": p.kontekst.get("stedfortreder_for", ""),
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
