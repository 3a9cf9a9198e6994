"""The case's whole road (templates/saker/_saksgang.html with sekretariat.selectors.saksgang_prefetch)."""


import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from overgang.organisasjon.models import Mote
from saker.forms import sjekk_fil
from saker.models import Sak
from sekretariat.models import Utfall
from sekretariat.selectors import saksgang_prefetch
from sekretariat.services import utfall_registrer
from tests.factories import (
    PDF_BYTES,
    ArkivsystemFactory,
    MoteFactory,
    RegistreringFactory,
    SakFactory,
    SakslistepunktFactory,
    UtvalgFactory,
    dag,
)

pytestmark = pytest.mark.django_db



def lastet(sak: Sak) -> Sak:
    return (Sak.objects.select_related("registrering", "arkivsystem", "kommune")
            .prefetch_related(saksgang_prefetch()).get(pk=sak.pk))


def test_the_road_shows_old_and_new_numbers_and_every_handling_in_meeting_order(
        sekretar, saksbehandler, django_assert_num_queries):
    fsk = UtvalgFactory(navn="Formannskapet", kode="FSK")
    kst = UtvalgFactory(navn="Kommunestyret", kode="KST")
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.SENDT_SEKRETARIAT, rute=[fsk, kst],
                     arkivsaksnr="19/04321", arkivsystem=ArkivsystemFactory(navn="Elements"), hoveddokument=False)
    RegistreringFactory(sak=sak, p360_saksnr="20/00123", p360_dokumentnr="20/00123-4", registrert_av=sekretar)
    # The meetings and items are made out of time order, so the page's order is the meetings' times, not ids.
    kst_mote = MoteFactory(utvalg=kst, tidspunkt=dag(9))
    fsk_mote = MoteFactory(utvalg=fsk, tidspunkt=dag(-2), status=Mote.Status.AVHOLDT)
    utsatt_mote = MoteFactory(utvalg=fsk, tidspunkt=dag(-9), status=Mote.Status.AVHOLDT)
    andre = SakslistepunktFactory(mote=fsk_mote, sak=sak, behandling=sak.behandlinger.get(utvalg=fsk))
    forste = SakslistepunktFactory(mote=utsatt_mote, sak=sak, behandling=sak.behandlinger.get(utvalg=fsk))
    utfall_registrer(punkt=forste, av=sekretar, utfall=Utfall.UTSATT, tekst="Utsatt for befaring.")
    utskrift = sjekk_fil(SimpleUploadedFile("Saksutskrift FSK.pdf", PDF_BYTES), "hoveddokument")
    resultat = utfall_registrer(punkt=andre, av=sekretar, utfall=Utfall.INNSTILLING,
                                tekst="Kommunestyret vedtar planen.", neste_mote=kst_mote, saksutskrift=utskrift)

    sak = lastet(sak)
    with django_assert_num_queries(0):
        html = render_to_string("saker/_saksgang.html", {"sak": sak})

    assert "19/04321 (Elements, " in html
    assert "Saksnummer 20/00123, dokumentnummer 20/00123-4" in html
    posisjoner = [html.index(f'id="behandling-{p.pk}"') for p in (forste, andre, resultat.videre)]
    assert posisjoner == sorted(posisjoner)
    assert "Utsatt</span>" in html and "Utsatt for befaring." in html
    assert "Innstilling til neste utvalg</span>" in html and "Kommunestyret vedtar planen." in html
    assert f"til Kommunestyret {timezone.localtime(kst_mote.tidspunkt).day}. " in html
    saksutskrift = next(p for p in sak.sakslistepunkter.all() if p.pk == andre.pk).saksutskrift
    assert f'href="{reverse("saker:dokument", args=[sak.pk, saksutskrift.pk])}"' in html
    assert "Satt opp på sakslisten, ikke behandlet ennå." in html
    # Only the case page's readers see it, and nothing links to the secretariat's own pages.
    assert "/sekretariat/" not in html


def test_a_case_not_yet_registered_or_placed_says_so():
    sak = lastet(SakFactory(status=Sak.Status.GODKJENT, hoveddokument=False))
    html = render_to_string("saker/_saksgang.html", {"sak": sak})
    assert "Ikke registrert i P360 ennå" in html
    assert "Saken er ikke satt opp på sakslisten til noe møte ennå." in html


def test_the_prefetch_loads_the_road_of_many_cases_in_one_query(sekretar, django_assert_num_queries):
    fsk = UtvalgFactory(navn="Formannskapet", kode="FSK")
    mote = MoteFactory(utvalg=fsk, tidspunkt=dag(-2), status=Mote.Status.AVHOLDT)
    for _ in range(5):
        sak = SakFactory(status=Sak.Status.SENDT_SEKRETARIAT, rute=[fsk], hoveddokument=False)
        utfall_registrer(punkt=SakslistepunktFactory(mote=mote, sak=sak, behandling=sak.behandlinger.get()),
                         av=sekretar, utfall=Utfall.TRUKKET)
    with django_assert_num_queries(2):
        saker = list(Sak.objects.select_related("registrering", "arkivsystem", "kommune")
                     .prefetch_related(saksgang_prefetch()))
    with django_assert_num_queries(0):
        for sak in saker:
            assert "Trukket</span>" in render_to_string("saker/_saksgang.html", {"sak": sak})
