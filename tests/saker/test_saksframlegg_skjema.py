"""The new-case form and the saksframlegg (issue 13, points 5, 7 and 8): "Les saksframlegget" fills in what the
document says for the officer to check, the file is never lost, a missing innstilling is said out loud to the
officer and the approver, only meetings still open for cases are offered, and the approver reads the whole
saksframlegg beside the decision."""

import datetime
import io

import docx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from overgang.endringslogg.models import Endring
from saker.filer import forhandsvisning_som_tekst
from saker.models import Dokument, Mellomlagring, Sak
from tests.factories import ArkivsystemFactory, KommuneFactory, MoteFactory, SakFactory, UtvalgFactory
from tests.saker.test_saksframlegg_lesing import INNSTILLING, p360_framlegg

pytestmark = pytest.mark.django_db


def docx_fil(dokument: docx.Document, navn: str = "framlegg.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    dokument.save(buffer)
    return SimpleUploadedFile(navn, buffer.getvalue())


@pytest.fixture
def sorum_p360(db):
    return KommuneFactory(navn="Sørum kommune", kode="sorum"), ArkivsystemFactory(navn="P360")


@pytest.fixture
def skjema(saksbehandler):
    utvalg = UtvalgFactory()
    return {
        "tittel": "", "innstilling": "", "arkivsaksnr": "", "kommune": saksbehandler.kommune_id,
        "arkivsystem": saksbehandler.arkivsystem_id, "kommunalomrade": saksbehandler.kommunalomrade_id,
        "utvalg_1": utvalg.pk, "onsket_mote": "", "hjemmel": "",
    }


def valgt(html: str, verdi) -> bool:
    return f'value="{verdi}" selected' in html


def test_reading_the_saksframlegg_fills_in_the_form_for_checking_and_saves_nothing(
        client, saksbehandler, skjema, sorum_p360):
    sorum, p360 = sorum_p360
    client.force_login(saksbehandler)
    svar = client.post(reverse("saker:ny"), {**skjema, "les": "1", "hoveddokument": docx_fil(p360_framlegg())})
    html = svar.content.decode()
    assert svar.status_code == 200 and Sak.objects.count() == 0
    assert "Lest fra framlegg.docx" in html
    assert 'value="Ny flerbrukshall på Frogner"' in html
    assert 'value="19/04567"' in html
    assert INNSTILLING in html
    assert valgt(html, sorum.pk) and valgt(html, p360.pk)
    assert "Skjemaet ble ikke lagret" not in html  # nothing the officer has not filled in yet is an error
    [rad] = Mellomlagring.objects.filter(bruker=saksbehandler)
    assert f'value="{rad.pk}"' in html and rad.filnavn == "framlegg.docx"

    svar = client.post(reverse("saker:ny"), {
        **skjema, "tittel": "Ny flerbrukshall på Frogner", "innstilling": INNSTILLING, "arkivsaksnr": "19/04567",
        "kommune": sorum.pk, "arkivsystem": p360.pk, "mellomlagret": [rad.pk]})
    sak = Sak.objects.get()
    assert svar.status_code == 302
    assert (sak.tittel, sak.arkivsaksnr, sak.kommune, sak.arkivsystem, sak.innstilling) == (
        "Ny flerbrukshall på Frogner", "19/04567", sorum, p360, INNSTILLING)
    assert list(sak.dokumenter.values_list("filnavn", flat=True)) == ["framlegg.docx"]
    assert not Mellomlagring.objects.exists()


def test_reading_again_keeps_what_the_officer_typed_over_what_was_read(client, saksbehandler, skjema, sorum_p360):
    client.force_login(saksbehandler)
    client.post(reverse("saker:ny"), {**skjema, "les": "1", "hoveddokument": docx_fil(p360_framlegg())})
    rad = Mellomlagring.objects.get()
    html = client.post(reverse("saker:ny"), {**skjema, "les": "1", "mellomlagret": [rad.pk],
                                              "tittel": "Flerbrukshall, rettet tittel"}).content.decode()
    assert 'value="Flerbrukshall, rettet tittel"' in html
    assert 'value="19/04567"' in html


def test_a_form_error_keeps_the_file_and_shows_what_was_read(client, saksbehandler, skjema, sorum_p360):
    client.force_login(saksbehandler)
    html = client.post(reverse("saker:ny"), {
        **skjema, "utvalg_1": "", "hoveddokument": docx_fil(p360_framlegg()),
    }).content.decode()
    assert Sak.objects.count() == 0
    assert "Skjemaet ble ikke lagret" in html and "1. utvalg i saksgangen" in html
    rad = Mellomlagring.objects.get()
    assert f'value="{rad.pk}"' in html and "checked" in html
    assert 'value="Ny flerbrukshall på Frogner"' in html and 'value="19/04567"' in html

    svar = client.post(reverse("saker:ny"), {**skjema, "mellomlagret": [rad.pk]})
    assert svar.status_code == 302
    assert Sak.objects.get().arkivsaksnr == "19/04567"


def test_an_arkivsaksnr_neither_typed_nor_in_the_document_is_asked_for(client, saksbehandler, skjema):
    dokument = docx.Document()
    dokument.add_heading("Skolebuss til Blaker", level=1)
    dokument.add_paragraph("Forslag til vedtak: Skolebussen går fra august.")
    client.force_login(saksbehandler)
    html = client.post(reverse("saker:ny"), {**skjema, "hoveddokument": docx_fil(dokument)}).content.decode()
    assert "Skriv arkivsaksnummeret, f.eks. 19/01234. Det står ikke i saksframlegget." in html
    assert Sak.objects.count() == 0


def test_reading_without_a_file_asks_for_the_saksframlegg(client, saksbehandler, skjema):
    client.force_login(saksbehandler)
    html = client.post(reverse("saker:ny"), {**skjema, "les": "1"}).content.decode()
    assert "Velg saksframlegget (.docx eller .pdf)." in html
    assert "Lest fra" not in html
    assert "{#" not in html  # no template comment shows on the page (the error summary's did)


def test_a_pdf_is_kept_but_not_read_and_the_form_says_so(client, saksbehandler, skjema):
    from tests.factories import PDF_BYTES

    client.force_login(saksbehandler)
    html = client.post(reverse("saker:ny"), {
        **skjema, "les": "1", "hoveddokument": SimpleUploadedFile("framlegg.pdf", PDF_BYTES)}).content.decode()
    assert "framlegg.pdf er en PDF" in html
    assert Mellomlagring.objects.get().filnavn == "framlegg.pdf"


def test_a_missing_innstilling_is_said_to_the_officer_and_to_the_approver(
        client, saksbehandler, godkjenner, skjema, sorum_p360):
    client.force_login(saksbehandler)
    uten = docx_fil(p360_framlegg(innstilling=False))
    html = client.post(reverse("saker:ny"), {**skjema, "les": "1", "hoveddokument": uten}).content.decode()
    assert "Fant ikke forslag til vedtak (innstilling) i saksframlegget" in html

    rad = Mellomlagring.objects.get()
    svar = client.post(reverse("saker:ny"), {**skjema, "mellomlagret": [rad.pk]}, follow=True)
    sak = Sak.objects.get()
    assert sak.innstilling == ""
    html = svar.content.decode()
    assert "Saken har ikke noe forslag til vedtak: det ble ikke funnet i saksframlegget" in html  # the message
    assert "Forslag til vedtak mangler" in html and "Skriv inn forslaget til vedtak" in html  # the case page

    Sak.objects.filter(pk=sak.pk).update(status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)
    client.force_login(godkjenner)
    html = client.get(reverse("godkjenning:sak", args=[sak.pk])).content.decode()
    assert "Forslag til vedtak mangler" in html and "send saken tilbake hvis innstillingen mangler" in html


def test_a_case_with_an_innstilling_carries_no_notice(client, saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler)
    client.force_login(saksbehandler)
    html = client.get(sak.get_absolute_url()).content.decode()
    assert "Forslag til vedtak mangler" not in html
    assert "{#" not in html and "none was found" not in html  # the partial's comment stays a comment


def test_meetings_past_their_saksfrist_are_not_offered_for_a_new_case(client, saksbehandler, skjema):
    idag = timezone.localdate()
    utvalg = UtvalgFactory()
    for_sent = MoteFactory(utvalg=utvalg, saksfrist=idag - datetime.timedelta(days=1))
    apen = MoteFactory(utvalg=utvalg, saksfrist=idag)
    client.force_login(saksbehandler)
    html = client.get(reverse("saker:ny")).content.decode()
    assert f'<option value="{apen.pk}">{apen.med_saksfrist}</option>' in html
    assert for_sent.med_saksfrist not in html

    html = client.post(reverse("saker:ny"), {**skjema, "utvalg_1": utvalg.pk, "onsket_mote": for_sent.pk,
                                              "arkivsaksnr": "19/01234"}).content.decode()
    assert "Ønsket første møte" in html and "Skjemaet ble ikke lagret" in html
    assert Sak.objects.count() == 0


def test_editing_keeps_a_wished_meeting_whose_saksfrist_has_since_passed(client, saksbehandler):
    utvalg = UtvalgFactory()
    mote = MoteFactory(utvalg=utvalg, saksfrist=timezone.localdate() - datetime.timedelta(days=2))
    sak = SakFactory(saksbehandler=saksbehandler, rute=[utvalg], onsket_mote=mote)
    client.force_login(saksbehandler)
    html = client.get(reverse("saker:rediger", args=[sak.pk])).content.decode()
    assert f'value="{mote.pk}" selected' in html and "saksfristen er passert" in html


def test_the_approver_reads_the_whole_saksframlegg_with_headings_and_tables_beside_the_decision(
        client, saksbehandler, godkjenner):
    dokument = docx.Document()
    dokument.add_heading("Kommuneplanens samfunnsdel", level=1)
    tabell = dokument.add_table(rows=1, cols=2)
    tabell.cell(0, 0).text, tabell.cell(0, 1).text = "Innbyggere 2032", "95 000"
    for i in range(300):
        dokument.add_paragraph(f"Avsnitt {i}: Befolkningen i Skedsmo, Fet og Sørum vokser, og planen må følge med.")
    dokument.add_heading("Kommunedirektørens innstilling", level=2)
    dokument.add_paragraph("Kommuneplanens samfunnsdel vedtas.")
    sak = SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.TIL_GODKJENNING)
    hoved = sak.dokumenter.get(rolle=Dokument.Rolle.HOVEDDOKUMENT)
    Dokument.objects.filter(pk=hoved.pk).update(tekst=forhandsvisning_som_tekst(docx_fil(dokument)))
    client.force_login(godkjenner)
    html = client.get(reverse("godkjenning:sak", args=[sak.pk])).content.decode()
    assert '<h3 class="h5 mt-3">Kommuneplanens samfunnsdel</h3>' in html  # below the page's own h2
    assert '<h4 class="h6 mt-3">Kommunedirektørens innstilling</h4>' in html
    assert "<td>Innbyggere 2032</td><td>95 000</td>" in html
    assert html.index("Kommuneplanens samfunnsdel vedtas.") < html.index("Godkjenn saken")
    assert "viser bare de første" not in html


def test_a_preview_past_its_limit_says_so_and_offers_the_original(client, saksbehandler, monkeypatch):
    monkeypatch.setattr("saker.filer.forhandsvisning.MAKS_TEGN", 300)
    sak = SakFactory(saksbehandler=saksbehandler)
    client.force_login(saksbehandler)
    lang = docx.Document()
    for i in range(40):
        lang.add_paragraph(f"Avsnitt {i} om skolene i Fet og på Sørumsand.")
    client.post(reverse("saker:dokumenter", args=[sak.pk]), {"hoveddokument": docx_fil(lang, "Rettet.docx")})
    dokument = sak.dokumenter.get(gjeldende=True, rolle=Dokument.Rolle.HOVEDDOKUMENT)
    html = client.get(reverse("saker:forhandsvisning", args=[sak.pk, dokument.pk])).content.decode()
    assert "Forhåndsvisningen viser bare de første 300 tegnene av dokumentet." in html
    assert "for å lese resten" in html and "Avsnitt 39" not in html


def test_the_approvers_reading_of_an_exempt_saksframlegg_is_recorded(client, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.TIL_GODKJENNING,
                     unntatt_offentlighet=True, hjemmel="offl. § 13", offentlig_tittel="Ansettelse av *****")
    client.force_login(godkjenner)
    client.get(reverse("godkjenning:sak", args=[sak.pk]))
    assert Endring.objects.filter(sak_id=sak.pk, kommentar__contains="lest på godkjenningssiden").exists()
