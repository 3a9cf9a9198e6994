from django.contrib import admin

from overgang.endringslogg.admin import LoggetAdmin

from .models import Identitet


@admin.register(Identitet)
class IdentitetAdmin(LoggetAdmin):
    """Made at a person's first sign-in. Add one by hand to give an existing user their sign-in with the
    municipality's account (the provider's issuer and the person's object id)."""

    list_display = ("bruker", "subjekt", "utsteder", "opprettet", "sist_innlogget")
    search_fields = ("bruker__username", "bruker__first_name", "bruker__last_name", "subjekt")
    list_select_related = ("bruker",)
    autocomplete_fields = ("bruker",)
    readonly_fields = ("opprettet", "sist_innlogget")
    loggede_felter = ("bruker", "utsteder", "subjekt")
