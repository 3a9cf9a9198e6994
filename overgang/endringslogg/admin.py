import csv

from django.contrib import admin
from django.db import models, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from .models import Endring, Handling, Kilde
from .services import bilde, logg, logg_felter


@admin.register(Endring)
class EndringAdmin(admin.ModelAdmin):
    """Read-only for everyone: the log is written by the app, and only read here (filtered, or exported)."""

    list_display = ["tidspunkt", "utfort_av", "handling", "kilde", "objekt", "felt", "gammel_verdi", "ny_verdi"]
    list_filter = ["handling", "kilde", "content_type", "tidspunkt"]
    list_select_related = ["utfort_av", "content_type"]
    search_fields = ["objekt", "felt", "gammel_verdi", "ny_verdi", "=sak_id", "utfort_av__username"]
    show_full_result_count = False
    actions = ["eksporter_csv"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Endring | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Endring | None = None) -> bool:
        return False

    @admin.action(description="Eksporter valgte endringer som CSV")
    def eksporter_csv(self, request: HttpRequest, queryset) -> HttpResponse:
        response = HttpResponse("\ufeff", content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="endringslogg-{timezone.localdate():%Y-%m-%d}.csv"'
        skriver = csv.writer(response, delimiter=";")
        skriver.writerow(["Tidspunkt", "Utført av", "Handling", "Kilde", "Objekttype", "Objekt", "Sak", "Felt",
                          "Gammel verdi", "Ny verdi", "Kommentar"])
        for e in queryset.select_related("utfort_av", "content_type").order_by("tidspunkt", "pk"):
            rad = [f"{timezone.localtime(e.tidspunkt):%d.%m.%Y %H:%M:%S}", str(e.utfort_av or ""),
                   e.get_handling_display(), e.get_kilde_display(), str(e.content_type), e.objekt, e.sak_id or "",
                   e.felt, e.gammel_verdi, e.ny_verdi, e.kommentar]
            # Text starting with = + - @ would be read as a formula by Excel.
            skriver.writerow([f"'{v}" if str(v)[:1] in {"=", "+", "-", "@"} else v for v in rad])
        return response


class LoggetAdmin(admin.ModelAdmin):
    """An admin whose adds, changes and deletions are written to the endringslogg (source: the admin), field by
    field, in the same transaction. `loggede_felter` names the fields to compare; `sak_for` says which case a row
    belongs to, for the case's story."""

    loggede_felter: tuple[str, ...] = ()

    def sak_for(self, obj: models.Model) -> int | None:
        return getattr(obj, "sak_id", None)

    def save_model(self, request: HttpRequest, obj: models.Model, form, change: bool) -> None:
        with transaction.atomic():
            if change:
                for_ = bilde(type(obj).objects.get(pk=obj.pk), self.loggede_felter)
                super().save_model(request, obj, form, change)
                logg_felter(av=request.user, objekt=obj, for_=for_, etter=bilde(obj, self.loggede_felter),
                            sak_id=self.sak_for(obj), kilde=Kilde.ADMIN)
            else:
                super().save_model(request, obj, form, change)
                logg(av=request.user, handling=Handling.OPPRETTET, objekt=obj, sak_id=self.sak_for(obj),
                     kilde=Kilde.ADMIN)

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        with transaction.atomic():
            verdier = "; ".join(f"{k}: {v}" for k, v in bilde(obj, self.loggede_felter).items() if v not in ("", None))
            logg(av=request.user, handling=Handling.SLETTET, objekt=obj, sak_id=self.sak_for(obj), kilde=Kilde.ADMIN,
                 kommentar=verdier)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        # The bulk "delete selected" action: one row per object, as if deleted one by one.
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)
