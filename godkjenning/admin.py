from django.contrib import admin

from .models import Motelistepunkt


@admin.register(Motelistepunkt)
class MotelistepunktAdmin(admin.ModelAdmin):
    """Read-only: a change to a director's list must go through godkjenning.services, which checks who may
    make it and tells the secretariat. Rows are also the lists' history, so none is ever deleted."""

    list_display = ["sak", "arkivsaksnr", "mote", "utvalg", "status", "lagt_til_av", "lagt_til", "endret_av",
                    "endret"]
    list_filter = ["status", ("mote__utvalg", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["sak", "mote__utvalg", "lagt_til_av", "endret_av"]
    search_fields = ["sak__tittel", "sak__arkivsaksnr"]
    date_hierarchy = "lagt_til"
    fields = ["sak", "mote", "status", "grunn", "flyttet_til", "lagt_til_av", "lagt_til", "endret_av", "endret"]
    readonly_fields = fields

    @admin.display(description="arkivsaksnummer", ordering="sak__arkivsaksnr")
    def arkivsaksnr(self, obj: Motelistepunkt) -> str:
        return obj.sak.arkivsaksnr

    @admin.display(description="utvalg", ordering="mote__utvalg__navn")
    def utvalg(self, obj: Motelistepunkt) -> str:
        return str(obj.mote.utvalg)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
