"""The audit trail (endringslogg, in the shape of Noark 5's): who changed which field of which object, when,
from what to what, and who downloaded an exempt document. Written by the services (and the admin) in the
same transaction as the change; never changed or deleted afterwards. On PostgreSQL a trigger refuses UPDATE
and DELETE of its rows, whatever the code or the SQL."""

import pgtrigger
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class Handling(models.TextChoices):
    OPPRETTET = "opprettet", "Opprettet"
    ENDRET = "endret", "Endret"
    SLETTET = "slettet", "Slettet"
    LASTET_NED = "lastet_ned", "Lastet ned"


class Kilde(models.TextChoices):
    APP = "app", "Overgang"
    ADMIN = "admin", "Administrasjon"


class Endring(models.Model):
    tidspunkt = models.DateTimeField("tidspunkt", default=timezone.now, db_index=True)
    utfort_av = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="utført av", on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    handling = models.CharField("handling", max_length=12, choices=Handling)
    kilde = models.CharField("kilde", max_length=6, choices=Kilde, default=Kilde.APP)
    content_type = models.ForeignKey(ContentType, verbose_name="objekttype", on_delete=models.PROTECT,
                                     related_name="+")
    objekt_id = models.PositiveBigIntegerField("objekt-id")
    objekt = models.CharField("objekt", max_length=300, help_text="Objektet slik det het da endringen ble gjort.")
    # The case the change belongs to, for its story. A plain number, not a foreign key: this app sits below saker,
    # and the row must outlive anything it describes.
    sak_id = models.PositiveBigIntegerField("sak", null=True, blank=True, db_index=True)
    felt = models.CharField("felt", max_length=100, blank=True)
    gammel_verdi = models.TextField("gammel verdi", blank=True)
    ny_verdi = models.TextField("ny verdi", blank=True)
    kommentar = models.CharField("kommentar", max_length=300, blank=True)

    class Meta:
        verbose_name = "endring"
        verbose_name_plural = "endringslogg"
        ordering = ["-tidspunkt", "-pk"]
        indexes = [models.Index(fields=["content_type", "objekt_id"], name="endring_objekt_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(handling__in=Handling.values), name="endring_handling_gyldig"),
            models.CheckConstraint(condition=models.Q(kilde__in=Kilde.values), name="endring_kilde_gyldig"),
        ]
        triggers = [
            pgtrigger.Protect(name="endring_kan_ikke_endres", operation=pgtrigger.Update | pgtrigger.Delete),
        ]

    def __str__(self) -> str:
        return f"{self.get_handling_display()} {self.objekt}" + (f": {self.felt}" if self.felt else "")

    def setning(self) -> str:
        """The change in plain Norwegian, for the case's story ("Endret tittel fra «…» til «…»")."""
        hva = self.content_type.name
        om = "" if self.content_type.model == "sak" else f" på {hva} «{self.objekt}»"
        if self.handling == Handling.ENDRET:
            fra = f"«{self.gammel_verdi}»" if self.gammel_verdi else "(tomt)"
            til = f"«{self.ny_verdi}»" if self.ny_verdi else "(tomt)"
            return f"Endret {self.felt}{om} fra {fra} til {til}."
        verb = {Handling.OPPRETTET: "La til", Handling.SLETTET: "Fjernet", Handling.LASTET_NED: "Lastet ned"}
        return f"{verb[self.handling]} {hva} «{self.objekt}»."
