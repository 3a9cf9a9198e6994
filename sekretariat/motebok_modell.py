"""A meeting's PDFs (imported by sekretariat.models, so Django sees the model): the saksliste as PDF/A, and the
møtebok (sakskart) for the politicians, each kept until what it was made from changes."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from overgang.organisasjon.models import Mote
from saker.tilstander import PdfStatus


def motepdf_sti(rad: "MotePdf", filnavn: str) -> str:
    return f"moter/{rad.mote_id}/{uuid.uuid4().hex}.pdf"


class MotePdf(models.Model):
    """One per meeting and kind. `fingeravtrykk` is the hash of what the file is made of (the agenda, the
    cases' public titles and exemption, and for the møtebok the ids of their current documents, which never
    change): a file whose fingerprint differs from today's is stale and is made again when ordered.

    venter → lager → ferdig | feilet | uten_lo; any state → venter when ordered with a new fingerprint, or
    after a failure. A claim (lager) whose `livstegn` is older than its lease may be taken by another worker.
    """

    class Slag(models.TextChoices):
        SAKSLISTE = "saksliste", "Saksliste"
        MOTEBOK = "motebok", "Møtebok"

    Status = PdfStatus

    mote = models.ForeignKey(Mote, verbose_name="møte", on_delete=models.CASCADE, related_name="+")
    slag = models.CharField("slag", max_length=10, choices=Slag)
    status = models.CharField("status", max_length=10, choices=Status, default=Status.VENTER)
    fingeravtrykk = models.CharField("fingeravtrykk", max_length=64)
    fil = models.FileField("PDF", upload_to=motepdf_sti, max_length=200, blank=True)
    storrelse = models.PositiveBigIntegerField("størrelse (byte)", default=0)
    deler_ferdig = models.PositiveIntegerField("deler ferdig", default=0)
    deler_totalt = models.PositiveIntegerField("deler i alt", default=0)
    feilmelding = models.TextField("feilmelding", blank=True)
    bestilt_av = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="bestilt av", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    bestilt = models.DateTimeField("bestilt", default=timezone.now)
    livstegn = models.DateTimeField("sist livstegn", null=True, blank=True)
    ferdig = models.DateTimeField("ferdig", null=True, blank=True)

    class Meta:
        verbose_name = "PDF for møte"
        verbose_name_plural = "PDF-er for møter"
        constraints = [
            models.UniqueConstraint(fields=["mote", "slag"], name="motepdf_en_per_mote_og_slag"),
            models.CheckConstraint(condition=models.Q(slag__in=["saksliste", "motebok"]), name="motepdf_slag_gyldig"),
            models.CheckConstraint(condition=models.Q(status__in=PdfStatus.values),
                                   name="motepdf_status_gyldig"),
            models.CheckConstraint(
                condition=(models.Q(status="ferdig") & ~models.Q(fil="") & models.Q(ferdig__isnull=False))
                | (~models.Q(status="ferdig") & models.Q(fil="")),
                name="motepdf_ferdig_har_fil",
            ),
            models.CheckConstraint(condition=models.Q(deler_ferdig__lte=models.F("deler_totalt")),
                                   name="motepdf_deler_ferdig_innenfor_totalt"),
        ]

    def __str__(self) -> str:
        return f"{self.get_slag_display()} for {self.mote} ({self.get_status_display().lower()})"

    @property
    def er_under_arbeid(self) -> bool:
        return self.status in (self.Status.VENTER, self.Status.LAGER)

    @property
    def prosent(self) -> int:
        return round(100 * self.deler_ferdig / self.deler_totalt) if self.deler_totalt else 0
