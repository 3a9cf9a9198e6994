"""The case's road through its states on the case page: what it passed (with dates), where it is, what is left,
said in words and not by colour alone."""

import re

import pytest
from django.urls import reverse

from saker.models import Hendelse, Sak
from saker.neste_steg import prosess
from tests.factories import SakFactory, VedtakFactory

pytestmark = pytest.mark.django_db


def steg(sak):
    return [(s.navn, s.tilstand) for s in prosess(sak, list(sak.hendelser.all()))]


def test_a_draft_has_everything_left(saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler)
    assert steg(sak) == [("Utkast", "naa"), ("Godkjenning", "igjen"), ("Godkjent", "igjen"),
                         ("Hos politisk sekretariat", "igjen"), ("Vedtatt", "igjen"),
                         ("Vedtaksbrev sendt, saken avsluttet", "igjen")]


def test_a_returned_case_is_on_the_approval_step_with_its_returns_counted(saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.RETURNERT)
    for fra, til in [("utkast", "til_godkjenning"), ("til_godkjenning", "returnert"),
                     ("returnert", "til_godkjenning"), ("til_godkjenning", "returnert")]:
        Hendelse.objects.create(sak=sak, fra_status=fra, til_status=til, utfort_av=godkjenner)
    veien = prosess(sak, list(sak.hendelser.all()))
    assert [(s.navn, s.tilstand) for s in veien[:3]] == [("Utkast", "ferdig"), ("Returnert for retting", "naa"),
                                                         ("Godkjent", "igjen")]
    assert veien[1].merknad == "returnert for retting 2 ganger"


def test_a_closed_case_has_every_step_done_and_a_withdrawn_one_ends_withdrawn(saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.AVSLUTTET)
    assert {t for _, t in steg(sak)} == {"ferdig"}
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TRUKKET)
    assert steg(sak)[-1] == ("Trukket", "ferdig") and len(steg(sak)) == 5


def test_the_case_page_shows_the_road_with_dates_and_words(client, saksbehandler, godkjenner):
    sak = VedtakFactory(sak__saksbehandler=saksbehandler).sak
    Hendelse.objects.create(sak=sak, fra_status="sendt_sekretariat", til_status="vedtatt", utfort_av=godkjenner)
    client.force_login(saksbehandler)
    html = client.get(reverse("saker:sak", args=[sak.pk])).content.decode()
    start = html.index("data-prosess")
    veien = html[start:html.index("</section>", start)]
    assert veien.count('aria-current="step"') == 1
    naa = veien[veien.index('aria-current="step"'):]
    assert "<strong>Vedtatt</strong>" in naa[:600] and "– nå" in naa[:600]
    assert re.search(r"Utkast\s*<span[^>]*>– ferdig, <time", veien)
    assert "– gjenstår" in veien
