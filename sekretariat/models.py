from django.conf import settings
from django.db import models
from django.utils import timezone

from overgang.organisasjon.models import Mote, Utvalg
from saker.models import Behandling, Dokument, Sak


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
            models.CheckConstraint(condition=models.Q(type__in=Sakstype.values), name="nummerserie_type_gyldig"),
            models.UniqueConstraint(fields=["utvalg", "aar", "type"], name="nummerserie_unik"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.utvalg.kode} {self.aar}: {self.siste}"


class Utfall(models.TextChoices):
    """What the committee did with a case at a held meeting (eInnsyn's møtesak outcome, KS Fiks Politisk
    Behandling's "vedtak" that is final or goes on)."""

    VEDTAK = "vedtak", "Vedtak"
    INNSTILLING = "innstilling", "Innstilling til neste utvalg"
    UTSATT = "utsatt", "Utsatt"
    TRUKKET = "trukket", "Trukket"


# Outcomes after which the case is handled again at a later meeting: the agenda item there is a continuation,
# not a first placement.
VIDEREFORENDE = frozenset({Utfall.INNSTILLING, Utfall.UTSATT})


class Sakslistepunkt(models.Model):
    """A case on a meeting's agenda (saksliste): one handling of the case by that committee.

    Once the meeting is held the secretariat records its outcome (utfall) here, once: vedtak (the case is
    decided), innstilling (it goes on to `neste_mote` of the next committee on its route), utsatt (to
    `neste_mote` of the same committee, or to a meeting chosen later) or trukket (withdrawn).
    """

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
    utfall = models.CharField("utfall", max_length=12, choices=Utfall, blank=True)
    utfall_tekst = models.TextField("vedtak / innstilling", blank=True,
                                    help_text="Vedtaket eller innstillingen slik den står i møteprotokollen.")
    neste_mote = models.ForeignKey(Mote, verbose_name="neste møte", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+",
                                   help_text="Innstilling: møtet i neste utvalg. Utsatt: det senere møtet, om valgt.")
    saksutskrift = models.ForeignKey(Dokument, verbose_name="saksutskrift", on_delete=models.PROTECT, null=True,
                                     blank=True, related_name="+")
    utfall_registrert_av = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="utfall registrert av",
                                             on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    utfall_registrert = models.DateTimeField("utfall registrert", null=True, blank=True)

    class Meta:
        verbose_name = "sak på saksliste"
        verbose_name_plural = "sakslister"
        ordering = ["mote", "rekkefolge"]
        constraints = [
            models.CheckConstraint(condition=models.Q(type__in=Sakstype.values), name="sakslistepunkt_type_gyldig"),
            models.CheckConstraint(condition=models.Q(utfall__in=Utfall.values) | models.Q(utfall=""),
                                   name="sakslistepunkt_utfall_gyldig"),
            models.CheckConstraint(condition=models.Q(nummer__gte=1), name="sakslistepunkt_nummer_fra_1"),
            models.UniqueConstraint(fields=["utvalg", "aar", "type", "nummer"], name="sakslistepunkt_unikt_nummer"),
            models.UniqueConstraint(fields=["mote", "sak"], name="sakslistepunkt_en_gang_per_mote"),
            # A recorded outcome says who recorded it and when (the audit trail).
            models.CheckConstraint(
                condition=models.Q(utfall="")
                | models.Q(utfall_registrert_av__isnull=False, utfall_registrert__isnull=False),
                name="sakslistepunkt_utfall_har_registrering",
            ),
            # A vedtak or innstilling is text from the record, backed by the saksutskrift from P360.
            models.CheckConstraint(
                condition=~models.Q(utfall__in=["vedtak", "innstilling"])
                | (~models.Q(utfall_tekst="") & models.Q(saksutskrift__isnull=False)),
                name="sakslistepunkt_vedtak_har_tekst_og_saksutskrift",
            ),
            models.CheckConstraint(
                condition=~models.Q(utfall="innstilling") | models.Q(neste_mote__isnull=False),
                name="sakslistepunkt_innstilling_har_neste_mote",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.utvalgssaksnr} {self.sak.tittel_ut}"

    @property
    def utvalgssaksnr(self) -> str:
        """E.g. PS 12/19: type, number within the committee's year, two-digit year."""
        return f"{self.type} {self.nummer}/{self.aar % 100:02d}"


# Models kept in modules of their own, imported here so Django registers them with the app.
from .motebok_modell import MotePdf  # noqa: E402,F401
