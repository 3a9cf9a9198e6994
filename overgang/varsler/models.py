import hashlib

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from .hendelser import HENDELSER


class Varsel(models.Model):
    """One e-mail to one recipient about one hand-off: the outbox row.

    Written in the same transaction as the hand-off, so a hand-off that rolls back leaves no e-mail,
    and a hand-off that commits leaves a row that is sent later even if the broker is down now.

    States and transitions (services.py owns every one of them):
    - venter → sender: a worker claims the row with a fresh token and a lease (`krav`, `krav_utloper`).
    - sender → sendt: the SMTP server answered 250 to the message.
    - sender → venter: a temporary failure (4xx, refused, timeout before the message was handed over), with
      `neste_forsok` moved out by backoff; or the lease ran out (the worker died) and the sweeper took it back.
    - sender → feilet: a permanent refusal (5xx), a rendering error, or the retry budget is spent.
    - feilet/venter → venter: an administrator's resend (never from `sender`).
    - samles → sendt: held for the recipient's daily digest, then listed in it (`sammendrag`, itself a row);
      samles → venter when the recipient goes back to immediate e-mail.
    The one undecidable case, the server took the message and its answer never came (`data_startet` set when
    the attempt ended), is retried once (`uvisst`), with the same Message-ID, and then taken as sent.
    """

    class Status(models.TextChoices):
        VENTER = "venter", "Venter"
        SENDER = "sender", "Sendes nå"
        SENDT = "sendt", "Sendt"
        FEILET = "feilet", "Feilet"
        SAMLES = "samles", "Venter på sammendrag"

    hendelse = models.CharField("hendelse", max_length=60)
    nokkel = models.CharField("nøkkel", max_length=200, help_text="Hendelsens identitet; ett varsel per mottaker.")
    content_type = models.ForeignKey(ContentType, verbose_name="gjelder type", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField("gjelder nr.")
    objekt = GenericForeignKey("content_type", "object_id")
    mottaker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="mottaker", on_delete=models.SET_NULL,
                                 null=True, blank=True, related_name="+")
    epost = models.EmailField("e-postadresse")
    kontekst = models.JSONField("innhold", default=dict, blank=True)
    status = models.CharField("status", max_length=10, choices=Status, default=Status.VENTER)
    forsok = models.PositiveSmallIntegerField("forsøk", default=0)
    feilmelding = models.TextField("siste feil", blank=True)
    opprettet = models.DateTimeField("opprettet", auto_now_add=True)
    sist_forsokt = models.DateTimeField("sist forsøkt", null=True, blank=True)
    sendt = models.DateTimeField("sendt", null=True, blank=True)
    # The claim: who is sending now, and until when that holds unless renewed. A worker that dies leaves a
    # lease that runs out; whoever takes the row over gets a new token, so the dead worker's writes miss.
    krav = models.UUIDField("krav", null=True, blank=True, editable=False)
    krav_utloper = models.DateTimeField("krav utløper", null=True, blank=True)
    neste_forsok = models.DateTimeField("neste forsøk", null=True, blank=True,
                                        help_text="Ikke før: ventetid etter en midlertidig feil.")
    forsok_fra = models.DateTimeField("forsøkt fra", default=timezone.now,
                                      help_text="Starten på tidsbudsjettet for nye forsøk.")
    data_startet = models.DateTimeField("meldingen overlevert", null=True, blank=True,
                                        help_text="Satt idet meldingen gis til e-posttjeneren, før svaret.")
    uvisst = models.BooleanField("uvisst om levert", default=False,
                                 help_text="Tjeneren tok imot meldingen, men svaret kom aldri; sendt på nytt én gang.")
    admin_varslet = models.DateTimeField("administrator varslet", null=True, blank=True)
    sammendrag = models.ForeignKey("self", verbose_name="sendt i sammendrag", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="punkter")

    class Meta:
        verbose_name = "varsel"
        verbose_name_plural = "varsler"
        ordering = ["-opprettet"]
        constraints = [
            models.UniqueConstraint(fields=["nokkel", "epost"], name="varsel_unikt_per_hendelse_og_mottaker"),
            # A row is being sent exactly when someone holds a claim on it.
            models.CheckConstraint(
                condition=(models.Q(status="sender", krav__isnull=False, krav_utloper__isnull=False)
                           | (~models.Q(status="sender") & models.Q(krav__isnull=True))),
                name="varsel_sender_har_krav",
            ),
        ]
        indexes = [models.Index(fields=["status", "opprettet"], name="varsel_status_idx")]

    def __str__(self) -> str:
        return f"{self.hendelse_tekst} → {self.epost}"

    @property
    def hendelse_tekst(self) -> str:
        """The event as the recipient reads it, not its code name."""
        return HENDELSER.get(self.hendelse, self.hendelse)

    @property
    def message_id(self) -> str:
        """The same on every attempt, so a copy sent twice is collapsed by mail clients."""
        domene = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >") or "overgang.local"
        merke = hashlib.sha256(f"{self.nokkel}|{self.epost}".encode()).hexdigest()[:12]
        return f"<varsel-{self.pk}-{merke}@{domene}>"


class Feiing(models.Model):
    """When the sweeper last ran, and when beat last started it: one row, read by /helse/.

    Every worker sweeps on its own when no sweep has run for a while, so this row is also how the workers
    agree that one of them does it (a conditional update on `sist_feiet`)."""

    sist_feiet = models.DateTimeField("sist feiet", null=True, blank=True)
    sist_fra_beat = models.DateTimeField("sist startet av beat", null=True, blank=True)

    class Meta:
        verbose_name = "feiing"
        verbose_name_plural = "feiinger"

    def __str__(self) -> str:
        return f"Feiing {self.sist_feiet}"


class Varslingsvalg(models.Model):
    """How a person wants what is addressed to them: at once, or in one daily digest at a chosen hour.

    Reminders and e-mail to plain addresses (the secretariat's shared mailbox) are always sent at once."""

    bruker = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="bruker", on_delete=models.CASCADE,
                                  related_name="varslingsvalg")
    sammendrag = models.BooleanField("daglig sammendrag", default=False)
    klokkeslett = models.PositiveSmallIntegerField("klokkeslett", default=7,
                                                   help_text="Timen sammendraget sendes (0–23, norsk tid).")

    class Meta:
        verbose_name = "varslingsvalg"
        verbose_name_plural = "varslingsvalg"
        constraints = [
            models.CheckConstraint(condition=models.Q(klokkeslett__lte=23), name="varslingsvalg_gyldig_time"),
        ]

    def __str__(self) -> str:
        return f"{self.bruker}: " + (f"sammendrag kl. {self.klokkeslett:02d}" if self.sammendrag else "straks")
