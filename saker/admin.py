from django.contrib import admin

from .models import Behandling, Dokument, Hendelse, Sak


class BehandlingInline(admin.TabularInline):
    model = Behandling
    extra = 0


class DokumentInline(admin.TabularInline):
    model = Dokument
    extra = 0
    fields = ["rolle", "filnavn", "mime", "storrelse", "versjon", "gjeldende", "lastet_opp_av", "lastet_opp"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class HendelseInline(admin.TabularInline):
    """The history is the audit trail: read-only, even for administrators."""

    model = Hendelse
    extra = 0
    fields = ["tidspunkt", "fra_status", "til_status", "utfort_av", "kommentar", "dokument"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Sak)
class SakAdmin(admin.ModelAdmin):
    list_display = ["arkivsaksnr", "tittel", "status", "saksbehandler", "kommunalomrade", "status_endret"]
    list_filter = ["status", "kommunalomrade", "kommune", "arkivsystem", "unntatt_offentlighet"]
    list_select_related = ["saksbehandler", "kommunalomrade"]
    search_fields = ["tittel", "arkivsaksnr", "saksbehandler__username", "saksbehandler__last_name"]
    date_hierarchy = "status_endret"
    readonly_fields = ["status", "status_endret", "opprettet"]
    raw_id_fields = ["saksbehandler", "godkjenner", "onsket_mote"]
    inlines = [BehandlingInline, DokumentInline, HendelseInline]


@admin.register(Hendelse)
class HendelseAdmin(admin.ModelAdmin):
    list_display = ["tidspunkt", "sak", "fra_status", "til_status", "utfort_av"]
    list_filter = ["til_status"]
    list_select_related = ["sak", "utfort_av"]
    search_fields = ["sak__tittel", "sak__arkivsaksnr", "kommentar"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
