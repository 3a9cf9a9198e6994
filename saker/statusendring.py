"""The story of one letter after it left: each change of its status in SvarUt, and the case officer's record of
why a letter did not arrive. A model of the saker app, kept beside saker.models (which imports it) because that
module is full; the rules that read it are in saker.levering, the changes in saker.services.forsendelser."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Statusendring(models.Model):
    """One row per change, never changed or deleted (the letter's history and its audit trail).

    svarut:      the poll saw the shipment's status move from `fra_status` to `til_status`; `tidspunkt` is when
                 SvarUt says it happened (sisteStatusEndring), `registrert` when Overgang saw it.
    forklaring:  the case officer recorded why the letter did not arrive (or what was done instead), at most once
                 per shipment; the status is the one it had then. It lets the case close without the delivery.
    """

    class Type(models.TextChoices):
        SVARUT = "svarut", "Status fra SvarUt"
        FORKLARING = "forklaring", "Forklart av saksbehandleren"

    forsendelse = models.ForeignKey("saker.Forsendelse", verbose_name="forsendelse", on_delete=models.PROTECT,
                                    related_name="statusendringer")
    type = models.CharField("type", max_length=10, choices=Type, default=Type.SVARUT)
    fra_status = models.CharField("fra", max_length=30, blank=True)
    til_status = models.CharField("til", max_length=30)
    tidspunkt = models.DateTimeField("tidspunkt", default=timezone.now)
    registrert = models.DateTimeField("registrert", default=timezone.now)
    registrert_av = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="registrert av", null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    kommentar = models.TextField("hvorfor brevet ikke ble levert", blank=True)

    class Meta:
        verbose_name = "statusendring"
        verbose_name_plural = "statusendringer"
        ordering = ["forsendelse", "tidspunkt", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(type__in=["svarut", "forklaring"]),
                                   name="statusendring_type_gyldig"),
            # SvarUt's rows record a change and come from no person; the officer's row says who and why.
            models.CheckConstraint(
                condition=(models.Q(type="svarut", registrert_av__isnull=True)
                           & ~models.Q(fra_status=models.F("til_status")))
                | (models.Q(type="forklaring", registrert_av__isnull=False) & ~models.Q(kommentar="")),
                name="statusendring_endrer_eller_forklarer",
            ),
            models.UniqueConstraint(fields=["forsendelse"], condition=models.Q(type="forklaring"),
                                    name="statusendring_en_forklaring_per_forsendelse"),
        ]

    def __str__(self) -> str:
        if self.type == self.Type.FORKLARING:
            return f"Forklart: {self.kommentar[:60]}"
        return f"{self.fra_status or '–'} → {self.til_status}"
