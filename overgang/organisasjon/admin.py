from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.contrib.auth.admin import UserAdmin
from django.db import models

from overgang.endringslogg.admin import LoggetAdmin

from .models import Arkivsystem, Bruker, Fravaer, Kommunalomrade, Kommune, Mote, Utvalg
from .services import FravaerFeil, sjekk_fravaer


class DatoOgTid(AdminSplitDateTime):
    """Django's date and time boxes carry "Dato:" and "Tid:" as bare text; name each box for assistive technology
    (WCAG 1.3.1 / 4.1.2) with the same words."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.widgets[0].attrs["aria-label"] = "Dato"
        self.widgets[1].attrs["aria-label"] = "Tid"


class RadMedNavn(forms.ModelForm):
    """A list row's editable boxes, named with the row's object: "Rekkefølge – Formannskapet"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for felt in self.fields.values():
            felt.widget.attrs["aria-label"] = f"{felt.label} – {self.instance}"


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
    readonly_fields = ["last_login", "date_joined"]  # kept by Django, not by people
    list_select_related = ["kommune", "kommunalomrade"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("Arbeidssted", {"fields": ["kommune", "arkivsystem", "kommunalomrade", "er_radmann", "telefon"]}),
    ]


@admin.register(Utvalg)
class UtvalgAdmin(admin.ModelAdmin):
    list_display = ["navn", "kode", "saksfrist_dager", "rekkefolge", "aktiv"]
    list_editable = ["rekkefolge", "aktiv"]

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=RadMedNavn, **kwargs)
    search_fields = ["navn", "kode"]


@admin.register(Mote)
class MoteAdmin(LoggetAdmin):
    loggede_felter = ("utvalg", "tidspunkt", "sted", "saksfrist", "status")

    list_display = ["__str__", "utvalg", "tidspunkt", "sted", "saksfrist", "status"]
    list_filter = ["status", "utvalg"]
    list_select_related = ["utvalg"]
    search_fields = ["utvalg__navn", "utvalg__kode", "sted"]
    date_hierarchy = "tidspunkt"
    formfield_overrides = {models.DateTimeField: {"widget": DatoOgTid}}


class FravaerAdminForm(forms.ModelForm):
    class Meta:
        model = Fravaer
        fields = ["person", "stedfortreder", "fra", "til"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            # The same rules as the person's own page (overgang.organisasjon.services).
            try:
                sjekk_fravaer(person=data["person"], stedfortreder=data["stedfortreder"], fra=data["fra"],
                              til=data.get("til"), unntatt=self.instance.pk)
            except FravaerFeil as feil:
                raise forms.ValidationError(str(feil)) from None
        return data


@admin.register(Fravaer)
class FravaerAdmin(LoggetAdmin):
    """An administrator sets or ends a period for someone who cannot (ill, say); every change is logged."""

    form = FravaerAdminForm
    loggede_felter = ("person", "stedfortreder", "fra", "til")
    list_display = ["person", "stedfortreder", "fra", "til", "opprettet_av", "opprettet"]
    list_select_related = ["person", "stedfortreder", "opprettet_av"]
    search_fields = ["person__username", "person__first_name", "person__last_name", "stedfortreder__username",
                     "stedfortreder__first_name", "stedfortreder__last_name"]
    autocomplete_fields = ["person", "stedfortreder"]
    date_hierarchy = "fra"
    readonly_fields = ["opprettet_av", "opprettet"]

    def save_model(self, request, obj: Fravaer, form, change: bool) -> None:
        if not change:
            obj.opprettet_av = request.user
        super().save_model(request, obj, form, change)
