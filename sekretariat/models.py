from django.conf import settings
from django.db import models
from django.utils import timezone

from overgang.organisasjon.models import Mote, Utvalg
from saker.models import Behandling, Sak


class Registrering(models.Model):
    """The case's numbers in the new P360, registered by the secretariat when it creates the saksframlegg there."""

    sak = models.OneToOneField(Sak, on_delete=models.CASCADE, related_name="registrering")
    p360_saksnr = models.CharField("P360 saksnummer", max_length=20, help_text="F.eks. 20/00123.")
    p360_dokumentnr = models.CharField("P360 dokumentnummer", max_length=30, help_text="F.eks. 20/00123-4.")
    registrert_av = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="registrert av",
                                      on_delete=models.PROTECT, related_name="+")
    registrert = models.DateTimeField("registrert", default=timezone.now)

    class Meta:
        verbose_name = "registrering i P360"
        verbose_name_plural = "registreringer i P360"
        constraints = [
            models.UniqueConstraint(fields=["p360_dokumentnr"], name="registrering_unikt_dokumentnr"),
        ]

    def __str__(self) -> str:
        return f"{self.p360_saksnr} ({self.p360_dokumentnr})"


class Sakstype(models.TextChoices):
    PS = "PS", "Politisk sak"
    RS = "RS", "Referatsak"


class Nummerserie(models.Model):
    """The last utvalgssaksnummer given per committee, year and type. Locked while a number is drawn,
    so two placements at the same moment never get the same number."""

    utvalg = models.ForeignKey(Utvalg, on_delete=models.PROTECT, related_name="+")
    aar = models.PositiveSmallIntegerField("år")
    type = models.CharField("type", max_length=2, choices=Sakstype, default=Sakstype.PS)
    siste = models.PositiveIntegerField("siste nummer", default=0)

    class Meta:
        verbose_name = "nummerserie"
        verbose_name_plural = "nummerserier"
        constraints = [
            models.UniqueConstraint(fields=["utvalg", "aar", "type"], name="nummerserie_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.utvalg.kode} {self.aar}: {self.siste}"


class Sakslistepunkt(models.Model):
    """A case on a meeting's agenda (saksliste): one handling of the case by that committee."""

    mote = models.ForeignKey(Mote, verbose_name="møte", on_delete=models.PROTECT, related_name="sakslistepunkter")
    sak = models.ForeignKey(Sak, verbose_name="sak", on_delete=models.PROTECT, related_name="sakslistepunkter")
    behandling = models.ForeignKey(Behandling, verbose_name="behandling", on_delete=models.SET_NULL, null=True,
                                   blank=True, related_name="sakslistepunkter")
    utvalg = models.ForeignKey(Utvalg, on_delete=models.PROTECT, related_name="+",
                               help_text="Møtets utvalg; lagret her så nummeret kan være unikt i databasen.")
    type = models.CharField("type", max_length=2, choices=Sakstype, default=Sakstype.PS)
    aar = models.PositiveSmallIntegerField("år")
    nummer = models.PositiveIntegerField("nummer")
    rekkefolge = models.PositiveIntegerField("rekkefølge")
    lagt_til_av = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="lagt til av", on_delete=models.PROTECT,
                                    related_name="+")
    lagt_til = models.DateTimeField("lagt til", default=timezone.now)

    class Meta:
        verbose_name = "sak på saksliste"
        verbose_name_plural = "sakslister"
        ordering = ["mote", "rekkefolge"]
        constraints = [
            models.UniqueConstraint(fields=["utvalg", "aar", "type", "nummer"], name="sakslistepunkt_unikt_nummer"),
            models.UniqueConstraint(fields=["mote", "sak"], name="sakslistepunkt_en_gang_per_mote"),
        ]

    def __str__(self) -> str:
        return f"{self.utvalgssaksnr} {self.sak.tittel}"

    @property
    def utvalgssaksnr(self) -> str:
        """E.g. PS 12/19: type, number within the committee's year, two-digit year."""
        return f"{self.type} {self.nummer}/{self.aar % 100:02d}"
