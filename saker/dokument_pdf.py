"""The PDF/A rendering of one stored document (imported by saker.models, so Django sees the model).

A document is never changed (a correction is a new row), so its PDF is made once and kept: the vedtaksbrev
that goes through SvarUt as PDF, the saksutskrift beside it, and each saksframlegg and vedlegg in a meeting's
møtebok. The row is written by `saker.services.pdf` only.
"""

import uuid

from django.db import models
from django.utils import timezone

from .models import Dokument
from .tilstander import PdfStatus


def pdf_sti(rad: "DokumentPdf", filnavn: str) -> str:
    return f"saker/{rad.dokument.sak_id}/pdf/{uuid.uuid4().hex}.pdf"


class DokumentPdf(models.Model):
    """venter → lager → ferdig | feilet | uten_libreoffice; feilet and uten_libreoffice may be ordered again
    (→ venter), and a claim (lager) older than its lease may be taken again by another worker."""

    Status = PdfStatus

    dokument = models.OneToOneField(Dokument, on_delete=models.CASCADE, related_name="pdfa")
    status = models.CharField("status", max_length=10, choices=Status, default=Status.VENTER)
    fil = models.FileField("PDF/A", upload_to=pdf_sti, max_length=200, blank=True)
    storrelse = models.PositiveBigIntegerField("størrelse (byte)", default=0)
    feilmelding = models.TextField("feilmelding", blank=True)
    bestilt = models.DateTimeField("bestilt", default=timezone.now)
    startet = models.DateTimeField("startet", null=True, blank=True)
    ferdig = models.DateTimeField("ferdig", null=True, blank=True)

    class Meta:
        verbose_name = "PDF/A av dokument"
        verbose_name_plural = "PDF/A av dokumenter"
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=PdfStatus.values),
                                   name="dokumentpdf_status_gyldig"),
            # A finished rendering has its file; nothing else has one.
            models.CheckConstraint(
                condition=(models.Q(status="ferdig") & ~models.Q(fil="") & models.Q(ferdig__isnull=False))
                | (~models.Q(status="ferdig") & models.Q(fil="")),
                name="dokumentpdf_ferdig_har_fil",
            ),
        ]

    def __str__(self) -> str:
        return f"PDF/A av {self.dokument} ({self.get_status_display().lower()})"

    @property
    def filnavn(self) -> str:
        """The document's name with .pdf: «Vedtaksbrev 19-01234 Kari Nordmann.pdf»."""
        stamme, punktum, _ = self.dokument.filnavn.rpartition(".")
        return f"{stamme if punktum else self.dokument.filnavn}.pdf"

    @property
    def er_under_arbeid(self) -> bool:
        return self.status in (self.Status.VENTER, self.Status.LAGER)
