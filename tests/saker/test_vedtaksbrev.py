"""The vedtaksbrev: generated per party on the old municipality's letterhead, downloaded, corrected and uploaded
again by the case's officer; read by the secretariat."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from saker import services
from saker.models import Dokument, Forsendelse
from tests.docx_tekst import all_tekst, tekstlinjer
from tests.factories import PDF_BYTES, KommuneFactory, RegistreringFactory, VedtakFactory, lag_docx
from tests.saker.test_identitet import forste_gyldige_fnr

pytestmark = pytest.mark.django_db

FNR = forste_gyldige_fnr("010190")


@pytest.fixture
def vedtak(saksbehandler):
    saksbehandler.telefon = "66 93 80 12"
    saksbehandler.save()
    return VedtakFactory(sak__saksbehandler=saksbehandler, sak__arkivsaksnr="19/01234",
                         sak__tittel="Skolebehovsplan 2020–2030")


@pytest.fixture
def sak(vedtak):
    return vedtak.sak


def lag_part(sak, navn="Kari Nordmann", **felt):
    data = services.PartData(navn=navn, adresse="Storgata 1", postnummer="2000", poststed="Lillestrøm", **felt)
    return services.part_opprett(sak=sak, av=sak.saksbehandler, data=data)


def innhold(dokument: Dokument) -> bytes:
    with dokument.fil.open("rb") as f:
        return f.read()


def test_the_letter_carries_the_decision_both_references_the_appeal_and_the_enclosure_but_no_identity_number(
        client, saksbehandler, sak):
    RegistreringFactory(sak=sak, p360_saksnr="20/00123", p360_dokumentnr="20/00123-4")
    part = lag_part(sak, fnr=FNR)
    client.force_login(saksbehandler)
    response = client.post(reverse("saker:vedtaksbrev_lag", args=[sak.pk]))
    assert response.status_code == 302
    brev = sak.dokumenter.get(rolle=Dokument.Rolle.VEDTAKSBREV)
    assert (brev.part, brev.versjon, brev.gjeldende, brev.er_docx) == (part, 1, True, True)
    assert brev.filnavn == "Vedtaksbrev 19-01234 Kari Nordmann.docx"

    tekst = all_tekst(innhold(brev))
    assert "Kommunestyret vedtar skolebehovsplanen for 2020–2030." in tekst
    assert "Rådmannen bes legge fram en sak om Fetsund skole." in tekst
    assert "Vår ref.: 19/01234" in tekst
    assert "P360-ref.: 20/00123-4" in tekst
    assert "tre uker" in tekst
    assert "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus" in tekst
    assert "Saksutskrift PS 12/26" in tekst
    assert "Skedsmo kommune" in tekst
    assert "Kari Nordmann" in tekst and "2000 Lillestrøm" in tekst
    assert "66 93 80 12" in tekst and saksbehandler.email in tekst
    assert FNR not in tekst
    assert FNR[:6] + " " + FNR[6:] not in tekst


def test_without_a_p360_registration_the_second_reference_is_empty(sak, saksbehandler, settings):
    settings.VEDTAKSBREV_KLAGEINSTANS = "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus"
    lag_part(sak)
    linjer = tekstlinjer(innhold(services.vedtaksbrev_lag(sak=sak, av=saksbehandler)[0]))
    tekst = "\n".join(linjer)
    assert "P360-ref.: " in linjer
    assert "Vår ref.: 19/01234" in linjer
    assert "Statsforvalteren i Østfold, Buskerud, Oslo og Akershus" in tekst


def test_each_old_municipality_has_its_own_letterhead(saksbehandler):
    fet = KommuneFactory(navn="Fet kommune", kode="fet", kommunenummer="0227")
    sak = VedtakFactory(sak__saksbehandler=saksbehandler, sak__kommune=fet).sak
    lag_part(sak)
    tekst = all_tekst(innhold(services.vedtaksbrev_lag(sak=sak, av=saksbehandler)[0]))
    assert "Fet kommune" in tekst and "Postboks 54, 1901 Fetsund" in tekst


def test_a_municipality_without_a_letterhead_is_refused_with_a_message(saksbehandler):
    ny = KommuneFactory(navn="Lillestrøm kommune", kode="lillestrom", kommunenummer="3030")
    sak = VedtakFactory(sak__saksbehandler=saksbehandler, sak__kommune=ny).sak
    lag_part(sak)
    with pytest.raises(services.SakFeil, match="ingen brevmal for Lillestrøm kommune"):
        services.vedtaksbrev_lag(sak=sak, av=saksbehandler)
    assert not sak.dokumenter.filter(rolle=Dokument.Rolle.VEDTAKSBREV).exists()


def test_a_vedtak_text_holding_an_identity_number_is_refused(saksbehandler):
    sak = VedtakFactory(sak__saksbehandler=saksbehandler, tekst=f"Søknaden fra {FNR} innvilges.").sak
    lag_part(sak)
    with pytest.raises(services.SakFeil, match="fødselsnummer") as feil:
        services.vedtaksbrev_lag(sak=sak, av=saksbehandler)
    assert FNR not in str(feil.value)


def test_letters_are_made_for_every_party_not_yet_sent_one_and_earlier_versions_are_kept(sak, saksbehandler):
    sendt, venter = lag_part(sak, navn="Sendt AS"), lag_part(sak, navn="Venter AS")
    services.vedtaksbrev_lag(sak=sak, av=saksbehandler)
    services.forsendelse_registrer_manuelt(part=sendt, av=saksbehandler, forsendelse_id="1",
                                           dato=timezone.localdate())
    nye = services.vedtaksbrev_lag(sak=sak, av=saksbehandler)
    assert [d.part for d in nye] == [venter]
    assert list(venter.brev.values_list("versjon", "gjeldende")) == [(2, True), (1, False)]
    assert list(sendt.brev.values_list("versjon", "gjeldende")) == [(1, True)]
    with pytest.raises(services.SakFeil, match="sendt til Sendt AS"):
        services.vedtaksbrev_lag(sak=sak, av=saksbehandler, part=sendt)


def test_no_letter_without_parties(sak, saksbehandler):
    with pytest.raises(services.SakFeil, match="Legg til partene"):
        services.vedtaksbrev_lag(sak=sak, av=saksbehandler)


@pytest.mark.parametrize(("navn", "innhold_", "mime"), [
    ("Vedtaksbrev endelig.pdf", PDF_BYTES, "application/pdf"),
    ("Vedtaksbrev rettet.docx", lag_docx("Rettet vedtaksbrev"),
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
])
def test_the_case_officer_uploads_a_corrected_letter_that_becomes_the_current_one(
        client, saksbehandler, sak, navn, innhold_, mime):
    part = lag_part(sak)
    services.vedtaksbrev_lag(sak=sak, av=saksbehandler)
    client.force_login(saksbehandler)
    response = client.post(reverse("saker:vedtaksbrev_last_opp", args=[sak.pk, part.pk]),
                           {"brev": SimpleUploadedFile(navn, innhold_)})
    assert response.status_code == 302 and response.url.endswith(f"#part-{part.pk}")
    gjeldende = part.brev.get(gjeldende=True)
    assert (gjeldende.filnavn, gjeldende.mime, gjeldende.versjon) == (navn, mime, 2)
    assert part.brev.get(versjon=1).gjeldende is False
    html = client.get(sak.get_absolute_url()).content.decode()
    assert navn in html and "Tidligere versjoner (1)" in html


def test_a_letter_that_is_not_docx_or_pdf_is_refused(client, saksbehandler, sak):
    part = lag_part(sak)
    client.force_login(saksbehandler)
    response = client.post(reverse("saker:vedtaksbrev_last_opp", args=[sak.pk, part.pk]),
                           {"brev": SimpleUploadedFile("brev.txt", b"Hei, her er vedtaket.\n")}, follow=True)
    assert "kan ikke brukes som vedtaksbrev" in response.content.decode()
    assert not part.brev.exists()


def test_the_case_page_shows_the_vedtak_the_parties_and_their_letters(client, saksbehandler, sak):
    part = lag_part(sak, fnr=FNR)
    services.vedtaksbrev_lag(sak=sak, av=saksbehandler)
    client.force_login(saksbehandler)
    html = client.get(sak.get_absolute_url()).content.decode()
    assert "Vedtak" in html and "PS 12/26" in html and "Saksutskrift PS 12-26.pdf" in html
    assert "Kommunestyret vedtar skolebehovsplanen" in html
    assert part.brev.get().filnavn in html
    assert reverse("saker:vedtaksbrev_last_opp", args=[sak.pk, part.pk]) in html
    assert "010190*****" in html and FNR not in html


def test_the_secretariat_reads_the_vedtak_and_letters_but_cannot_make_them(client, sak, saksbehandler, sekretar):
    part = lag_part(sak)
    brev = services.vedtaksbrev_lag(sak=sak, av=saksbehandler)[0]
    client.force_login(sekretar)
    html = client.get(sak.get_absolute_url()).content.decode()
    assert brev.filnavn in html
    assert reverse("saker:vedtaksbrev_lag", args=[sak.pk]) not in html
    assert client.get(reverse("saker:dokument", args=[sak.pk, brev.pk])).status_code == 200
    assert client.post(reverse("saker:vedtaksbrev_lag", args=[sak.pk])).status_code == 403
    assert client.post(reverse("saker:vedtaksbrev_last_opp", args=[sak.pk, part.pk]),
                       {"brev": SimpleUploadedFile("b.pdf", PDF_BYTES)}).status_code == 403
    assert part.brev.count() == 1


def test_another_case_officer_cannot_see_or_make_the_letters(client, sak, saksbehandler, utenforstaende):
    part = lag_part(sak)
    brev = services.vedtaksbrev_lag(sak=sak, av=saksbehandler)[0]
    client.force_login(utenforstaende)
    assert client.get(reverse("saker:dokument", args=[sak.pk, brev.pk])).status_code == 404
    assert client.post(reverse("saker:vedtaksbrev_lag", args=[sak.pk])).status_code == 404
    assert client.post(reverse("saker:vedtaksbrev_last_opp", args=[sak.pk, part.pk]),
                       {"brev": SimpleUploadedFile("b.pdf", PDF_BYTES)}).status_code == 404
    with pytest.raises(services.SakFeil, match="Bare saksbehandleren"):
        services.vedtaksbrev_lag(sak=sak, av=utenforstaende)
    assert part.brev.count() == 1
    assert Forsendelse.objects.get(part=part).status == Forsendelse.Status.IKKE_SENDT
