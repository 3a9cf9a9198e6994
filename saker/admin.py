from django.contrib import admin

from overgang.endringslogg.admin import LoggetAdmin

from .models import Behandling, Dokument, Forsendelse, Hendelse, Part, Sak, Vedtak


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
    fields = ["tidspunkt", "fra_status", "til_status", "utfort_av", "pa_vegne_av", "kommentar", "dokument"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Sak)
class SakAdmin(LoggetAdmin):
    loggede_felter = ("tittel", "saksbehandler", "godkjenner", "kommunalomrade", "kommune", "arkivsystem",
                      "arkivsaksnr", "unntatt_offentlighet", "hjemmel", "innstilling", "onsket_mote")

    def sak_for(self, obj: Sak) -> int:
        return obj.pk

    list_display = ["arkivsaksnr", "tittel", "status", "saksbehandler", "kommunalomrade", "status_endret"]
    list_filter = ["status", "kommunalomrade", "kommune", "arkivsystem", "unntatt_offentlighet"]
    list_select_related = ["saksbehandler", "kommunalomrade"]
    search_fields = ["tittel", "arkivsaksnr", "saksbehandler__username", "saksbehandler__last_name"]
    # No date_hierarchy: its year links cost a scan of every case on each page (59 ms at 100,000 cases). The
    # full count under a filter is one more scan; "vis alle" shows it on demand.
    show_full_result_count = False
    readonly_fields = ["status", "status_endret", "opprettet"]
    raw_id_fields = ["saksbehandler", "godkjenner", "onsket_mote"]
    inlines = [BehandlingInline, DokumentInline, HendelseInline]


@admin.register(Hendelse)
class HendelseAdmin(admin.ModelAdmin):
    list_display = ["tidspunkt", "sak", "fra_status", "til_status", "utfort_av", "pa_vegne_av"]
    list_filter = ["til_status"]
    list_select_related = ["sak", "utfort_av", "pa_vegne_av"]
    search_fields = ["sak__tittel", "sak__arkivsaksnr", "kommentar"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class KunLese:
    """Parties, shipments and decisions change only through the services, which keep their rules (a sent
    party stays, a shipment is claimed before it is sent); the admin shows them."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Vedtak)
class VedtakAdmin(KunLese, admin.ModelAdmin):
    list_display = ["utvalgssaksnr", "sak", "mote", "registrert", "registrert_av", "returnert_arkiv"]
    list_select_related = ["sak", "mote__utvalg", "registrert_av"]
    search_fields = ["utvalgssaksnr", "sak__tittel", "sak__arkivsaksnr", "tekst"]
    date_hierarchy = "registrert"


@admin.register(Part)
class PartAdmin(KunLese, admin.ModelAdmin):
    """The identity number is shown masked here too: it is never needed in full outside the SvarUt call."""

    list_display = ["navn", "sak", "postnummer", "poststed", "digital_adresse"]
    list_select_related = ["sak"]
    # Not the identity number: a search box must not become a way to look people up by it.
    search_fields = ["navn", "orgnr", "sak__arkivsaksnr", "sak__tittel"]
    fields = ["sak", "navn", "adresse", "postnummer", "poststed", "digital_adresse", "opprettet"]
    readonly_fields = fields

    @admin.display(description="digital adresse")
    def digital_adresse(self, part: Part) -> str:
        return part.identitet or "–"


@admin.register(Forsendelse)
class ForsendelseAdmin(KunLese, admin.ModelAdmin):
    list_display = ["part", "sak", "status", "kanal", "forsendelse_id", "svarut_status", "sendt", "forsok"]
    list_filter = ["status", "kanal"]
    list_select_related = ["part__sak"]
    search_fields = ["part__navn", "part__sak__arkivsaksnr", "forsendelse_id", "ekstern_referanse"]
    fields = ["part", "brev", "status", "kanal", "ekstern_referanse", "forsendelse_id", "svarut_status", "sendt",
              "sendt_av", "forsok", "sist_forsokt", "feilmelding"]
    readonly_fields = fields

    @admin.display(description="sak")
    def sak(self, forsendelse: Forsendelse):
        return forsendelse.part.sak
