from django.shortcuts import render

from overgang.organisasjon.models import Rolle
from overgang.organisasjon.tilgang import krever_rolle


@krever_rolle(Rolle.GODKJENNER)
def innboks(request):
    return render(request, "godkjenning/innboks.html", {"saker": []})
