from django.contrib import admin

from overgang.endringslogg.admin import LoggetAdmin
from saker.models import Registrering

from .models import Nummerserie, Sakslistepunkt


@admin.register(Registrering)
class RegistreringAdmin(LoggetAdmin):
    loggede_felter = ("p360_saksnr", "p360_dokumentnr")

    list_display = ["p360_saksnr", "p360_dokumentnr", "sak", "registrert_av", "registrert"]
    list_select_related = ["sak", "registrert_av"]
    search_fields = ["p360_saksnr", "p360_dokumentnr", "sak__tittel", "sak__arkivsaksnr"]
    date_hierarchy = "registrert"
    # The numbers may be corrected here; who registered the case, and when, is the audit trail.
    readonly_fields = ["sak", "registrert_av", "registrert"]

    def has_add_permission(self, request) -> bool:
        # Registering goes through the intake page, which checks that the case has been received.
        return False


@admin.register(Nummerserie)
class NummerserieAdmin(admin.ModelAdmin):
    """Read-only: a series only counts up, through sekretariat.services, so a number is never given twice."""

    list_display = ["utvalg", "aar", "type", "siste"]
    list_filter = ["utvalg", "aar", "type"]
    list_select_related = ["utvalg"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Sakslistepunkt)
class SakslistepunktAdmin(LoggetAdmin):
    loggede_felter = ("mote", "type", "nummer", "rekkefolge", "utfall", "utfall_tekst", "neste_mote")

    list_display = ["mote", "rekkefolge", "utvalgssaksnr", "sak", "utfall", "lagt_til_av", "lagt_til"]
    list_filter = ["utvalg", "aar", "type", "utfall"]
    list_select_related = ["mote__utvalg", "sak", "lagt_til_av"]
    search_fields = ["sak__tittel", "sak__arkivsaksnr"]
    ordering = ["-mote__tidspunkt", "rekkefolge"]
    raw_id_fields = ["behandling"]
    # The number is drawn from the series when the secretariat places the case, and the meeting fixes the
    # committee it counts in; changing either here could give one number to two cases, so they are shown only.
    # The outcome is recorded once through the meeting page, with what follows for the case (a vedtak, a
    # placement on the next committee's agenda): changing it here would leave those behind.
    readonly_fields = ["mote", "sak", "utvalg", "type", "aar", "nummer", "lagt_til_av", "lagt_til", "utfall",
                       "utfall_tekst", "neste_mote", "saksutskrift", "utfall_registrert_av", "utfall_registrert"]

    def has_add_permission(self, request) -> bool:
        # Adding goes through the agenda page, which draws the number and tells the case officer.
        return False

    @admin.display(description="saksnr.")
    def utvalgssaksnr(self, obj: Sakslistepunkt) -> str:
        return obj.utvalgssaksnr
