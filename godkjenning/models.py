from django.conf import settings
from django.db import models
from django.utils import timezone

from overgang.organisasjon.models import Mote
from saker.models import Sak


class MotelistepunktStatus(models.TextChoices):
    AKTIV = "aktiv", "På listen"
    FLYTTET = "flyttet", "Flyttet til senere møte"
    FJERNET = "fjernet", "Fjernet"


class Motelistepunkt(models.Model):
    """A case on a director's list for a coming meeting: step 4 of the routine, the list the secretariat
    checks so that no approved case falls out.

    States: aktiv → flyttet (moved to a later meeting; a new aktiv row is made there, see flyttet_til)
            aktiv → fjernet (taken off the list with a reason)
    """

    Status = MotelistepunktStatus

    mote = models.ForeignKey(Mote, verbose_name="møte", on_delete=models.PROTECT, related_name="motelistepunkter")
    sak = models.ForeignKey(Sak, verbose_name="sak", on_delete=models.CASCADE, related_name="motelistepunkter")
    status = models.CharField("status", max_length=10, choices=Status, default=Status.AKTIV)
    grunn = models.TextField("grunn", blank=True, help_text="Hvorfor saken ble flyttet eller fjernet.")
    flyttet_til = models.ForeignKey("self", verbose_name="flyttet til", on_delete=models.SET_NULL, null=True,
                                    blank=True, related_name="+")
    lagt_til_av = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="lagt til av", on_delete=models.PROTECT,
                                    related_name="+")
    lagt_til = models.DateTimeField("lagt til", default=timezone.now)
    endret_av = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="endret av", on_delete=models.PROTECT,
                                  null=True, blank=True, related_name="+")
    endret = models.DateTimeField("endret", null=True, blank=True)

    class Meta:
        verbose_name = "sak på direktørliste"
        verbose_name_plural = "direktørlister"
        ordering = ["mote__tidspunkt", "lagt_til"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=MotelistepunktStatus.values),
                                   name="motelistepunkt_status_gyldig"),
            # A moved or removed entry says who changed it and when.
            models.CheckConstraint(
                condition=models.Q(status="aktiv") | models.Q(endret_av__isnull=False, endret__isnull=False),
                name="motelistepunkt_endring_har_hvem_og_naar",
            ),
            models.UniqueConstraint(fields=["sak", "mote"], condition=models.Q(status="aktiv"),
                                    name="motelistepunkt_en_aktiv_per_sak_og_mote"),
            models.CheckConstraint(condition=models.Q(status="aktiv") | ~models.Q(grunn=""),
                                   name="motelistepunkt_endring_krever_grunn"),
        ]

    def __str__(self) -> str:
        return f"{self.sak} → {self.mote}"
