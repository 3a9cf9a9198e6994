from django.shortcuts import get_object_or_404, render

from overgang.organisasjon.models import Mote, Rolle
from overgang.organisasjon.tilgang import krever_rolle


@krever_rolle(Rolle.SEKRETARIAT)
def kommende_moter(request):
    moter = Mote.objects.kommende().select_related("utvalg")
    return render(request, "sekretariat/mote_list.html", {"moter": moter})


@krever_rolle(Rolle.SEKRETARIAT)
def mote(request, pk: int):
    mote = get_object_or_404(Mote.objects.select_related("utvalg"), pk=pk)
    return render(request, "sekretariat/mote_detail.html", {"mote": mote})
