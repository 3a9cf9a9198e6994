from django.shortcuts import render

from overgang.organisasjon.models import Rolle
from overgang.organisasjon.tilgang import krever_rolle


@krever_rolle(Rolle.SAKSBEHANDLER)
def mine_saker(request):
    return render(request, "saker/sak_list.html", {"saker": []})
