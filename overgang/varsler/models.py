from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class Varsel(models.Model):
    """One e-mail to one recipient about one hand-off: the outbox row.

    Written in the same transaction as the hand-off, so a hand-off that rolls back leaves no e-mail,
    and a hand-off that commits leaves a row that is sent later even if the broker is down now.

    States: venter → sender (claimed by a task) → sendt; sender → venter (temporary failure, retried)
    → feilet (gave up after MAKS_FORSOK).
    """

    class Status(models.TextChoices):
        VENTER = "venter", "Venter"
        SENDER = "sender", "Sendes nå"
        SENDT = "sendt", "Sendt"
        FEILET = "feilet", "Feilet"

    MAKS_FORSOK = 6

    hendelse = models.CharField("hendelse", max_length=60)
    nokkel = models.CharField("nøkkel", max_length=200, help_text="Hendelsens identitet; ett varsel per mottaker.")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
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

    class Meta:
        verbose_name = "varsel"
        verbose_name_plural = "varsler"
        ordering = ["-opprettet"]
        constraints = [
            models.UniqueConstraint(fields=["nokkel", "epost"], name="varsel_unikt_per_hendelse_og_mottaker"),
        ]
        indexes = [models.Index(fields=["status", "opprettet"], name="varsel_status_idx")]

    def __str__(self) -> str:
        return f"{self.hendelse} → {self.epost}"
