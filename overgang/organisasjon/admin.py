from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from overgang.endringslogg.admin import LoggetAdmin

from .models import Arkivsystem, Bruker, Kommunalomrade, Kommune, Mote, Utvalg


@admin.register(Kommune)
class KommuneAdmin(admin.ModelAdmin):
    list_display = ["navn", "kode", "kommunenummer", "er_ny"]
    search_fields = ["navn"]


@admin.register(Arkivsystem)
class ArkivsystemAdmin(admin.ModelAdmin):
    search_fields = ["navn"]


@admin.register(Kommunalomrade)
class KommunalomradeAdmin(admin.ModelAdmin):
    list_display = ["navn"]
    search_fields = ["navn"]
    filter_horizontal = ["godkjennere"]


@admin.register(Bruker)
class BrukerAdmin(UserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "kommune", "kommunalomrade", "is_active"]
    list_filter = ["groups", "kommune", "arkivsystem", "kommunalomrade", "er_radmann", "is_staff", "is_active"]
    list_select_related = ["kommune", "kommunalomrade"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Arbeidssted", {"fields": ["kommune", "arkivsystem", "kommunalomrade", "er_radmann", "telefon",
                                    "stedfortreder_for"]}),
    ]
    filter_horizontal = [*UserAdmin.filter_horizontal, "stedfortreder_for"]


@admin.register(Utvalg)
class UtvalgAdmin(admin.ModelAdmin):
    list_display = ["navn", "kode", "saksfrist_dager", "rekkefolge", "aktiv"]
    list_editable = ["rekkefolge", "aktiv"]
    search_fields = ["navn", "kode"]


@admin.register(Mote)
class MoteAdmin(LoggetAdmin):
    loggede_felter = ("utvalg", "tidspunkt", "sted", "saksfrist", "status")

    list_display = ["__str__", "utvalg", "tidspunkt", "sted", "saksfrist", "status"]
    list_filter = ["status", "utvalg"]
    list_select_related = ["utvalg"]
    search_fields = ["utvalg__navn", "utvalg__kode", "sted"]
    date_hierarchy = "tidspunkt"
