"""The case's whole road (templates/saker/_saksgang.html with sekretariat.selectors.saksgang_prefetch)."""


import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from overgang.organisasjon.models import Mote
from saker.forms import sjekk_fil
from saker.models import Sak
from sekretariat import motebok
from sekretariat.models import Utfall
from sekretariat.motebok_modell import MotePdf
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


# The møtebok, linked from the case's handlings

def ferdig_motebok(mote: Mote, status: str = MotePdf.Status.FERDIG, slag: str = MotePdf.Slag.MOTEBOK) -> MotePdf:
    """A book made from the agenda as it is now (the fingerprint the download checks)."""
    rad = MotePdf(mote=mote, slag=slag, status=status, fingeravtrykk=motebok.fingeravtrykk(mote, slag))
    if status == MotePdf.Status.FERDIG:  # only a finished row has its file (motepdf_ferdig_har_fil)
        rad.fil.save("motebok.pdf", ContentFile(PDF_BYTES), save=False)
        rad.ferdig = timezone.now()
    rad.save()
    return rad


@pytest.fixture
def behandlet(saksbehandler, sekretar, fsk):
    """A case on the agenda of meetings whose books are in every state: made, only the saksliste made, being
    made, made for a meeting later cancelled, and none."""
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.SENDT_SEKRETARIAT, rute=[fsk],
                     hoveddokument=False)
    moter = {}
    for navn, dager, status in [("ferdig", -20, Mote.Status.AVHOLDT), ("saksliste", -13, Mote.Status.AVHOLDT),
                                ("lager", -6, Mote.Status.AVHOLDT), ("avlyst", 1, Mote.Status.AVLYST),
                                ("ingen", 8, Mote.Status.PLANLAGT)]:
        moter[navn] = MoteFactory(utvalg=fsk, tidspunkt=dag(dager), status=status)
        SakslistepunktFactory(mote=moter[navn], sak=sak, behandling=sak.behandlinger.get(), lagt_til_av=sekretar)
    ferdig_motebok(moter["ferdig"])
    ferdig_motebok(moter["saksliste"], slag=MotePdf.Slag.SAKSLISTE)
    ferdig_motebok(moter["lager"], status=MotePdf.Status.LAGER)
    ferdig_motebok(moter["avlyst"])
    return sak, moter


@pytest.mark.parametrize("hvem", ["saksbehandler", "godkjenner", "sekretar"])
def test_the_case_page_links_the_motebok_of_each_meeting_where_one_is_made(client, behandlet, hvem, request):
    sak, moter = behandlet
    client.force_login(request.getfixturevalue(hvem))
    html = client.get(sak.get_absolute_url()).content.decode()

    lenker = [mote for mote in moter.values() if reverse("sekretariat:motebok_pdf", args=[mote.pk]) in html]
    assert lenker == [moter["ferdig"]]
    assert html.count("Møtebok (PDF)") == 1
    # Everyone who reads the case may download the book of a meeting it is on.
    response = client.get(reverse("sekretariat:motebok_pdf", args=[moter["ferdig"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"


def test_the_motebok_links_cost_no_query_per_meeting(client, saksbehandler, sekretar, fsk):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.SENDT_SEKRETARIAT, rute=[fsk],
                     hoveddokument=False)
    client.force_login(saksbehandler)
    antall = []
    for dager in (-30, -20, -10, 0):
        with CaptureQueriesContext(connection) as sporringer:
            assert client.get(sak.get_absolute_url()).status_code == 200
        antall.append(len(sporringer))
        mote = MoteFactory(utvalg=fsk, tidspunkt=dag(dager), status=Mote.Status.AVHOLDT)
        SakslistepunktFactory(mote=mote, sak=sak, behandling=sak.behandlinger.get(), lagt_til_av=sekretar)
        ferdig_motebok(mote)
    with CaptureQueriesContext(connection) as sporringer:
        html = client.get(sak.get_absolute_url()).content.decode()
    assert html.count("Møtebok (PDF)") == 4
    # No agenda item, one, and four, each with its book: the same queries.
    assert antall + [len(sporringer)] == [antall[0]] * 5
