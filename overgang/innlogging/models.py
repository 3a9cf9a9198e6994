"""Who a person is at the municipality's identity provider, and which Overgang user that is."""

from django.conf import settings
from django.db import models


class Identitet(models.Model):
    """One person at one identity provider: the provider (`iss`) and its stable id for the person (Entra's `oid`,
    otherwise `sub`). A user is found by this row at every sign-in, never by e-mail address, which can change
    hands. An administrator may add a row by hand to give an existing local user their sign-in."""

    bruker = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="bruker", on_delete=models.CASCADE,
                               related_name="identiteter")
    utsteder = models.CharField("utsteder (iss)", max_length=300)
    subjekt = models.CharField("fast id (oid/sub)", max_length=255)
    opprettet = models.DateTimeField("opprettet", auto_now_add=True)
    sist_innlogget = models.DateTimeField("sist innlogget", null=True, blank=True)

    class Meta:
        verbose_name = "identitet hos kommunens innlogging"
        verbose_name_plural = "identiteter hos kommunens innlogging"
        ordering = ["bruker__username"]
        constraints = [
            models.UniqueConstraint(fields=["utsteder", "subjekt"], name="identitet_unik_per_utsteder"),
            models.CheckConstraint(condition=~models.Q(subjekt="") & ~models.Q(utsteder=""),
                                   name="identitet_har_utsteder_og_subjekt"),
        ]

    def __str__(self) -> str:
        return f"{self.bruker} ({self.subjekt})"
