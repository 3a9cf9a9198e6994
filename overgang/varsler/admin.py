from django.contrib import admin, messages

from .models import Varsel
from .services import legg_i_ko


@admin.register(Varsel)
class VarselAdmin(admin.ModelAdmin):
    list_display = ["opprettet", "hendelse", "epost", "status", "forsok", "sendt"]
    list_filter = ["status", "hendelse"]
    search_fields = ["epost", "nokkel"]
    readonly_fields = [f.name for f in Varsel._meta.fields]
    actions = ["send_pa_nytt"]

    def has_add_permission(self, request) -> bool:
        return False

    @admin.action(description="Send valgte varsler på nytt")
    def send_pa_nytt(self, request, queryset):
        ids = list(queryset.exclude(status=Varsel.Status.SENDT).values_list("pk", flat=True))
        Varsel.objects.filter(pk__in=ids).update(status=Varsel.Status.VENTER, forsok=0)
        for pk in ids:
            legg_i_ko(pk)
        self.message_user(request, f"{len(ids)} varsler er lagt i kø for sending.", messages.SUCCESS)
