from django.contrib import admin, messages
from django.utils.text import Truncator

from .models import Varsel, Varslingsvalg
from .services import send_pa_nytt


@admin.register(Varsel)
class VarselAdmin(admin.ModelAdmin):
    """The outbox. Read-only: rows change only through the services (sending, the sweeper, resend)."""

    list_display = ["opprettet", "hva", "epost", "status", "forsok", "siste_feil", "neste_forsok", "sendt",
                    "uvisst"]
    list_filter = ["status", "hendelse", "uvisst"]
    search_fields = ["epost", "nokkel"]
    readonly_fields = [f.name for f in Varsel._meta.fields] + ["message_id"]
    actions = ["send_pa_nytt"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="hendelse", ordering="hendelse")
    def hva(self, obj: Varsel) -> str:
        """The event as the recipient reads it, not its code name."""
        return obj.hendelse_tekst

    @admin.display(description="siste feil")
    def siste_feil(self, obj: Varsel) -> str:
        return Truncator(obj.feilmelding).chars(80)

    @admin.display(description="Message-ID")
    def message_id(self, obj: Varsel) -> str:
        return obj.message_id

    @admin.action(description="Send valgte varsler på nytt")
    def send_pa_nytt(self, request, queryset):
        valgt = list(queryset.values_list("pk", "status"))
        antall = send_pa_nytt([pk for pk, _ in valgt])
        sendes = sum(1 for _, s in valgt if s == Varsel.Status.SENDER)
        self.message_user(request, f"{antall} varsler er lagt i kø for sending.", messages.SUCCESS)
        if sendes:
            self.message_user(request, f"{sendes} varsler sendes nå og ble ikke lagt i kø på nytt.", messages.WARNING)
        if len(valgt) - antall - sendes:
            self.message_user(request, f"{len(valgt) - antall - sendes} varsler er allerede sendt.", messages.INFO)


@admin.register(Varslingsvalg)
class VarslingsvalgAdmin(admin.ModelAdmin):
    list_display = ["bruker", "sammendrag", "klokkeslett"]
    list_filter = ["sammendrag"]
    search_fields = ["bruker__username", "bruker__email"]
    raw_id_fields = ["bruker"]
