"""After the meeting: marking it held or cancelled, and recording each case's outcome (vedtak, innstilling to
the next committee, utsatt, trukket) with the saksutskrift, and what each outcome does to the case."""

from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from overgang.feil import Feil
from overgang.organisasjon.models import Mote
from overgang.varsler.models import Varsel
from saker.forms import sjekk_fil
from saker.models import Dokument, Hendelse, Sak, Vedtak
from sekretariat import services
from sekretariat.models import Sakslistepunkt, Utfall
from sekretariat.services import mote_avhold, mote_avlys, saksliste_legg_til, utfall_registrer
from tests.factories import (
    PDF_BYTES,
    BrukerFactory,
    MoteFactory,
    SakFactory,
    SakslistepunktFactory,
    dag,
    lag_docx,
)

pytestmark = pytest.mark.django_db

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"





@pytest.fixture
def avholdt(fsk):
    return MoteFactory(utvalg=fsk, tidspunkt=dag(-2), status=Mote.Status.AVHOLDT)


@pytest.fixture
def kst_mote(kst):
    return MoteFactory(utvalg=kst, tidspunkt=dag(10))


@pytest.fixture
def fsk_senere(fsk):
    return MoteFactory(utvalg=fsk, tidspunkt=dag(14))


@pytest.fixture
def sak(saksbehandler, fsk, kst):
    """A received case going from the formannskap to the kommunestyre."""
    return SakFactory(saksbehandler=saksbehandler, status=Sak.Status.SENDT_SEKRETARIAT, rute=[fsk, kst],
                      hoveddokument=False, tittel="Skolebehovsplan 2020–2030")


@pytest.fixture
def pa_agenda(sekretar):
    def lag(mote: Mote, sak: Sak) -> Sakslistepunkt:
        return SakslistepunktFactory(mote=mote, sak=sak, behandling=sak.behandlinger.get(utvalg=mote.utvalg),
                                     lagt_til_av=sekretar)

    return lag


@pytest.fixture
def punkt(avholdt, sak, pa_agenda):
    return pa_agenda(avholdt, sak)


def pdf(navn: str = "Saksutskrift.pdf"):
    return sjekk_fil(SimpleUploadedFile(navn, PDF_BYTES, content_type="application/pdf"), "hoveddokument")


def filer(settings) -> list:
    return [f for f in settings.MEDIA_ROOT.rglob("*") if f.is_file()] if settings.MEDIA_ROOT.exists() else []


def varsler(hendelse: str) -> list[Varsel]:
    return list(Varsel.objects.filter(hendelse=hendelse))


# vedtak

def test_a_vedtak_decides_the_case_and_returns_it_to_the_case_officer(
        punkt, sak, avholdt, sekretar, saksbehandler, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resultat = utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.VEDTAK,
                                    tekst="  Formannskapet vedtar skolebehovsplanen.  ", saksutskrift=pdf())

    sak.refresh_from_db()
    assert sak.status == Sak.Status.VEDTATT
    vedtak = Vedtak.objects.get(sak=sak)
    assert resultat.vedtak == vedtak
    assert (vedtak.behandling, vedtak.mote, vedtak.utvalgssaksnr) == (punkt.behandling, avholdt, punkt.utvalgssaksnr)
    assert vedtak.tekst == "Formannskapet vedtar skolebehovsplanen."
    assert vedtak.registrert_av == sekretar
    assert vedtak.returnert_arkiv is not None
    assert vedtak.saksutskrift.rolle == Dokument.Rolle.SAKSUTSKRIFT
    assert vedtak.saksutskrift.fil.read() == PDF_BYTES

    punkt.refresh_from_db()
    assert (punkt.utfall, punkt.utfall_tekst, punkt.saksutskrift) == (
        Utfall.VEDTAK, "Formannskapet vedtar skolebehovsplanen.", vedtak.saksutskrift)
    assert (punkt.utfall_registrert_av, punkt.neste_mote) == (sekretar, None)
    assert punkt.utfall_registrert is not None

    hendelse = Hendelse.objects.filter(sak=sak).last()
    assert (hendelse.fra_status, hendelse.til_status, hendelse.utfort_av) == (
        Sak.Status.SENDT_SEKRETARIAT, Sak.Status.VEDTATT, sekretar)
    [varsel] = varsler("vedtak_fattet")
    assert (varsel.mottaker, varsel.epost) == (saksbehandler, saksbehandler.email)
    assert punkt.utvalgssaksnr in varsel.kontekst["kommentar"]


def test_a_vedtak_needs_the_saksutskrift_and_the_text(punkt, sak, sekretar, settings):
    with pytest.raises(Feil, match="saksutskriften"):
        utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.VEDTAK, tekst="Vedtatt.")
    with pytest.raises(Feil, match="Skriv vedtaket"):
        utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.VEDTAK, tekst="  ", saksutskrift=pdf())

    sak.refresh_from_db()
    punkt.refresh_from_db()
    assert sak.status == Sak.Status.SENDT_SEKRETARIAT
    assert punkt.utfall == ""
    assert not Vedtak.objects.exists()
    assert not Dokument.objects.filter(rolle=Dokument.Rolle.SAKSUTSKRIFT).exists()
    assert filer(settings) == []


def test_the_saksutskrift_may_be_a_word_document(punkt, sekretar):
    docx = sjekk_fil(SimpleUploadedFile("Saksutskrift.docx", lag_docx(), content_type=DOCX_MIME), "hoveddokument")
    resultat = utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.VEDTAK, tekst="Vedtatt.", saksutskrift=docx)
    assert resultat.vedtak.saksutskrift.er_docx


# innstilling

def test_an_innstilling_places_the_case_on_the_next_committees_meeting_with_the_next_number(
        punkt, sak, sekretar, saksbehandler, kst, kst_mote, django_capture_on_commit_callbacks):
    allerede = saksliste_legg_til(mote=kst_mote, sak=SakFactory(status=Sak.Status.SENDT_SEKRETARIAT, rute=[kst],
                                                                hoveddokument=False), av=sekretar)

    with django_capture_on_commit_callbacks(execute=True):
        resultat = utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.INNSTILLING,
                                    tekst="Kommunestyret vedtar skolebehovsplanen.", neste_mote=kst_mote,
                                    saksutskrift=pdf())

    sak.refresh_from_db()
    assert sak.status == Sak.Status.SENDT_SEKRETARIAT
    assert not Vedtak.objects.exists()
    videre = resultat.videre
    assert (videre.mote, videre.sak, videre.utvalg) == (kst_mote, sak, kst)
    assert videre.behandling == sak.behandlinger.get(utvalg=kst)
    assert (videre.type, videre.nummer) == (punkt.type, allerede.nummer + 1)
    assert videre.rekkefolge == 2

    punkt.refresh_from_db()
    assert (punkt.utfall, punkt.neste_mote) == (Utfall.INNSTILLING, kst_mote)
    assert punkt.utfall_tekst == "Kommunestyret vedtar skolebehovsplanen."
    assert punkt.saksutskrift.rolle == Dokument.Rolle.SAKSUTSKRIFT

    # One e-mail tells where the case goes; the placement's own is not sent as well.
    [varsel] = varsler("innstilling_videre")
    assert varsel.mottaker == saksbehandler
    assert videre.utvalgssaksnr in varsel.kontekst["kommentar"]
    assert not Varsel.objects.filter(hendelse="sak_satt_pa_saksliste", object_id=sak.pk).exists()


def test_an_innstilling_is_refused_at_the_last_committee_on_the_route(avholdt, pa_agenda, fsk, sekretar, kst_mote):
    punkt = pa_agenda(avholdt, SakFactory(status=Sak.Status.SENDT_SEKRETARIAT, rute=[fsk], hoveddokument=False))
    with pytest.raises(Feil, match="Formannskapet er siste utvalg i sakens saksgang"):
        utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.INNSTILLING, tekst="Til KST.", neste_mote=kst_mote,
                         saksutskrift=pdf())
    punkt.refresh_from_db()
    assert punkt.utfall == ""


def test_an_innstilling_needs_a_coming_meeting_of_the_next_committee(punkt, sekretar, fsk_senere, kst):
    with pytest.raises(Feil, match="Velg møtet i Kommunestyret"):
        utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.INNSTILLING, tekst="Til KST.", saksutskrift=pdf())
    with pytest.raises(Feil, match="Innstillingen går til Kommunestyret"):
        utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.INNSTILLING, tekst="Til KST.",
                         neste_mote=fsk_senere, saksutskrift=pdf())
    holdt = MoteFactory(utvalg=kst, tidspunkt=dag(-1), status=Mote.Status.AVHOLDT)
    with pytest.raises(Feil, match="kommende, planlagt møte"):
        utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.INNSTILLING, tekst="Til KST.", neste_mote=holdt,
                         saksutskrift=pdf())
    assert not Sakslistepunkt.objects.exclude(pk=punkt.pk).exists()


def test_a_refusal_after_the_file_is_written_leaves_no_file_and_no_row(
        punkt, sak, sekretar, kst_mote, settings):
    # The placement is refused after the saksutskrift has been written to disk, inside the same transaction
    # (say, the number series is locked out by the database).
    with mock.patch.object(services, "saksliste_legg_til", side_effect=Feil("Sakslisten kan ikke endres nå.")), \
            pytest.raises(Feil, match="Sakslisten kan ikke endres nå."):
        utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.INNSTILLING, tekst="Til KST.",
                         neste_mote=kst_mote, saksutskrift=pdf())

    assert not Dokument.objects.filter(rolle=Dokument.Rolle.SAKSUTSKRIFT).exists()
    assert filer(settings) == []
    punkt.refresh_from_db()
    assert punkt.utfall == ""


def test_an_innstilling_to_a_meeting_where_the_case_already_stands_keeps_that_place(
        punkt, sak, sekretar, kst_mote):
    allerede = saksliste_legg_til(mote=kst_mote, sak=sak, av=sekretar)
    resultat = utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.INNSTILLING, tekst="Til KST.",
                                neste_mote=kst_mote, saksutskrift=pdf())
    assert resultat.videre == allerede
    assert Sakslistepunkt.objects.filter(mote=kst_mote, sak=sak).count() == 1


# utsatt

def test_a_postponed_case_may_be_placed_on_a_later_meeting_at_once(
        punkt, sak, sekretar, saksbehandler, fsk_senere, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        resultat = utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.UTSATT, tekst="Utsatt for befaring.",
                                    neste_mote=fsk_senere)

    sak.refresh_from_db()
    assert sak.status == Sak.Status.SENDT_SEKRETARIAT
    assert (resultat.videre.mote, resultat.videre.sak) == (fsk_senere, sak)
    punkt.refresh_from_db()
    assert (punkt.utfall, punkt.neste_mote, punkt.saksutskrift) == (Utfall.UTSATT, fsk_senere, None)
    [varsel] = varsler("sak_utsatt")
    assert varsel.mottaker == saksbehandler
    assert resultat.videre.utvalgssaksnr in varsel.kontekst["kommentar"]


def test_a_postponed_case_without_a_new_meeting_stays_with_the_secretariat(punkt, sak, sekretar):
    resultat = utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.UTSATT)

    sak.refresh_from_db()
    assert sak.status == Sak.Status.SENDT_SEKRETARIAT
    assert resultat.videre is None
    assert Sakslistepunkt.objects.filter(sak=sak).count() == 1
    [varsel] = varsler("sak_utsatt")
    assert "setter saken på et senere møte" in varsel.kontekst["kommentar"]


def test_a_postponed_case_goes_to_a_later_meeting_of_the_same_committee(punkt, sekretar, kst_mote):
    with pytest.raises(Feil, match="En utsatt sak behandles på nytt i Formannskapet"):
        utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.UTSATT, neste_mote=kst_mote)


def test_a_case_approved_but_not_received_may_be_postponed(avholdt, pa_agenda, fsk, sekretar):
    sak = SakFactory(status=Sak.Status.GODKJENT, rute=[fsk], hoveddokument=False)
    punkt = pa_agenda(avholdt, sak)
    utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.UTSATT, saksutskrift=pdf())
    punkt.refresh_from_db()
    assert punkt.utfall == Utfall.UTSATT
    with pytest.raises(Feil, match="ikke mottatt av sekretariatet"):
        utfall_registrer(punkt=pa_agenda(MoteFactory(utvalg=fsk, tidspunkt=dag(-1), status=Mote.Status.AVHOLDT),
                                         sak), av=sekretar, utfall=Utfall.TRUKKET)


# trukket

def test_a_withdrawn_case_is_trukket_and_the_case_officer_told(
        punkt, sak, sekretar, saksbehandler, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.TRUKKET, tekst="Trukket av kommunedirektøren.",
                         saksutskrift=pdf())

    sak.refresh_from_db()
    assert sak.status == Sak.Status.TRUKKET
    hendelse = Hendelse.objects.filter(sak=sak).last()
    assert (hendelse.til_status, hendelse.utfort_av) == (Sak.Status.TRUKKET, sekretar)
    assert hendelse.kommentar.startswith("Trukket i Formannskapet, møte ")
    assert hendelse.kommentar.endswith("Trukket av kommunedirektøren.")
    punkt.refresh_from_db()
    assert punkt.utfall == Utfall.TRUKKET
    assert punkt.saksutskrift.sak == sak
    [varsel] = varsler("sak_trukket")
    assert varsel.mottaker == saksbehandler


def test_a_withdrawal_needs_no_saksutskrift(punkt, sak, sekretar):
    utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.TRUKKET)
    sak.refresh_from_db()
    assert sak.status == Sak.Status.TRUKKET
    assert not Dokument.objects.filter(rolle=Dokument.Rolle.SAKSUTSKRIFT).exists()


# Refusals common to every outcome

@pytest.mark.parametrize("status", [Mote.Status.PLANLAGT, Mote.Status.AVLYST])
def test_no_outcome_is_recorded_for_a_meeting_not_held(sak, pa_agenda, fsk, sekretar, status):
    mote = MoteFactory(utvalg=fsk, tidspunkt=dag(-1))
    punkt = pa_agenda(mote, sak)
    Mote.objects.filter(pk=mote.pk).update(status=status)
    with pytest.raises(Feil, match="avholdt først" if status == Mote.Status.PLANLAGT else "avlyst"):
        utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.UTSATT)
    punkt.refresh_from_db()
    assert punkt.utfall == ""


def test_an_outcome_is_recorded_once(punkt, sak, sekretar, settings):
    utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.UTSATT)
    for utfall in Utfall.values:
        with pytest.raises(Feil, match=f"Utfallet for {punkt.utvalgssaksnr} er allerede registrert som «utsatt» "
                                          f"av {sekretar}"):
            utfall_registrer(punkt=punkt, av=sekretar, utfall=utfall, tekst="Vedtatt.", saksutskrift=pdf())
    sak.refresh_from_db()
    assert sak.status == Sak.Status.SENDT_SEKRETARIAT
    assert filer(settings) == []


@pytest.mark.parametrize("rolle", ["saksbehandler", "godkjenner"])
def test_only_the_secretariat_records_outcomes(punkt, request, rolle):
    with pytest.raises(Feil, match="Bare politisk sekretariat"):
        utfall_registrer(punkt=punkt, av=request.getfixturevalue(rolle), utfall=Utfall.UTSATT)


def test_an_unknown_outcome_is_refused(punkt, sekretar):
    with pytest.raises(Feil, match="Velg utfall"):
        utfall_registrer(punkt=punkt, av=sekretar, utfall="vedtatt")


def test_a_new_meeting_is_chosen_only_for_innstilling_or_utsatt(punkt, sekretar, fsk_senere):
    with pytest.raises(Feil, match="Et nytt møte velges bare"):
        utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.TRUKKET, neste_mote=fsk_senere)


# The meeting's state

def test_the_secretariat_marks_a_meeting_held_from_its_day(fsk, sekretar):
    mote = MoteFactory(utvalg=fsk, tidspunkt=dag(0))
    assert mote_avhold(mote=mote, av=sekretar).status == Mote.Status.AVHOLDT
    mote.refresh_from_db()
    assert mote.status == Mote.Status.AVHOLDT
    with pytest.raises(Feil, match="allerede markert som avholdt"):
        mote_avhold(mote=mote, av=sekretar)


def test_a_meeting_is_not_marked_held_before_its_day(fsk, sekretar):
    mote = MoteFactory(utvalg=fsk, tidspunkt=dag(1))
    with pytest.raises(Feil, match="før møtedagen"):
        mote_avhold(mote=mote, av=sekretar)


def test_a_held_meetings_agenda_is_closed(avholdt, fsk, sekretar):
    with pytest.raises(Feil, match="Møtet er avholdt, og sakslisten kan ikke endres"):
        saksliste_legg_til(mote=avholdt, sak=SakFactory(status=Sak.Status.SENDT_SEKRETARIAT, rute=[fsk],
                                                        hoveddokument=False), av=sekretar)


def test_cancelling_a_meeting_with_cases_is_refused_until_they_are_removed(fsk, sak, sekretar):
    mote = MoteFactory(utvalg=fsk, tidspunkt=dag(5))
    punkt = saksliste_legg_til(mote=mote, sak=sak, av=sekretar)
    with pytest.raises(Feil, match="Møtet har 1 sak på sakslisten. Fjern saken fra sakslisten før møtet avlyses"):
        mote_avlys(mote=mote, av=sekretar)
    mote.refresh_from_db()
    assert mote.status == Mote.Status.PLANLAGT

    punkt.delete()
    mote_avlys(mote=mote, av=sekretar)
    mote.refresh_from_db()
    assert mote.status == Mote.Status.AVLYST
    with pytest.raises(Feil, match="Møtet er avlyst"):
        mote_avhold(mote=mote, av=sekretar)


@pytest.mark.parametrize("rolle", ["saksbehandler", "godkjenner"])
def test_only_the_secretariat_changes_a_meetings_state(fsk, request, rolle):
    mote = MoteFactory(utvalg=fsk, tidspunkt=dag(0))
    bruker = request.getfixturevalue(rolle)
    with pytest.raises(Feil, match="Bare politisk sekretariat"):
        mote_avhold(mote=mote, av=bruker)
    with pytest.raises(Feil, match="Bare politisk sekretariat"):
        mote_avlys(mote=mote, av=bruker)


# The pages

def test_the_meeting_page_offers_held_and_cancelled_with_a_question_first(client, sekretar, fsk):
    mote = MoteFactory(utvalg=fsk, tidspunkt=dag(0))
    client.force_login(sekretar)
    html = client.get(reverse("sekretariat:mote", args=[mote.pk])).content.decode()
    assert f'action="{reverse("sekretariat:mote_avhold", args=[mote.pk])}"' in html
    assert f'action="{reverse("sekretariat:mote_avlys", args=[mote.pk])}"' in html
    assert 'data-bekreft="Markere møtet som avholdt?' in html
    assert 'data-bekreft="Avlyse møtet?' in html

    response = client.post(reverse("sekretariat:mote_avhold", args=[mote.pk]))
    assert response.status_code == 302
    mote.refresh_from_db()
    assert mote.status == Mote.Status.AVHOLDT
    html = client.get(reverse("sekretariat:mote", args=[mote.pk])).content.decode()
    assert "Møtet er markert som avholdt." in html
    assert "Marker som avholdt</button>" not in html


def test_cancelling_from_the_page_with_cases_shows_why_it_is_refused(client, sekretar, fsk, sak):
    mote = MoteFactory(utvalg=fsk, tidspunkt=dag(5))
    saksliste_legg_til(mote=mote, sak=sak, av=sekretar)
    client.force_login(sekretar)
    response = client.post(reverse("sekretariat:mote_avlys", args=[mote.pk]), follow=True)
    assert "Møtet har 1 sak på sakslisten." in response.content.decode()
    mote.refresh_from_db()
    assert mote.status == Mote.Status.PLANLAGT


def _skjema(punkt: Sakslistepunkt, **felter) -> dict:
    return {f"punkt-{punkt.pk}-{navn}": verdi for navn, verdi in felter.items()}


def test_the_held_meetings_page_has_a_form_per_case_without_an_outcome(client, sekretar, avholdt, punkt, kst_mote,
                                                                        fsk_senere):
    annen_sak = SakFactory(status=Sak.Status.SENDT_SEKRETARIAT, rute=[avholdt.utvalg], hoveddokument=False)
    annet = SakslistepunktFactory(mote=avholdt, sak=annen_sak)
    utfall_registrer(punkt=annet, av=sekretar, utfall=Utfall.UTSATT)
    client.force_login(sekretar)

    html = client.get(reverse("sekretariat:mote", args=[avholdt.pk])).content.decode()

    assert html.count("Registrer utfall<span") == 1
    assert f'id="utfall-{punkt.pk}"' in html and f'id="utfall-{annet.pk}"' not in html
    assert "Neste utvalg i saksgangen: Kommunestyret." in html
    assert 'enctype="multipart/form-data"' in html
    assert 'optgroup label="Innstilling til Kommunestyret"' in html
    assert 'optgroup label="Utsatt til et senere møte i Formannskapet"' in html
    assert f'<option value="{kst_mote.pk}">' in html and f'<option value="{fsk_senere.pk}">' in html
    assert "Utsatt</span>" in html  # the recorded outcome in the agenda table


def test_recording_a_vedtak_on_the_page(client, sekretar, saksbehandler, utenforstaende, avholdt, punkt, sak):
    client.force_login(sekretar)
    url = reverse("sekretariat:utfall_registrer", args=[avholdt.pk, punkt.pk])
    response = client.post(url, _skjema(punkt, utfall="vedtak", tekst="Formannskapet vedtar planen.", neste_mote="",
                                        saksutskrift=SimpleUploadedFile("utskrift.pdf", PDF_BYTES)), follow=True)

    assert response.redirect_chain[-1][0] == avholdt.get_absolute_url()
    assert f"Vedtaket i {punkt.utvalgssaksnr} er registrert" in response.content.decode()
    sak.refresh_from_db()
    assert sak.status == Sak.Status.VEDTATT
    saksutskrift = sak.vedtak.saksutskrift

    # The saksutskrift is private: the case's officer and the secretariat may fetch it, an outsider learns nothing.
    last_ned = reverse("saker:dokument", args=[sak.pk, saksutskrift.pk])
    assert client.get(last_ned).status_code == 200
    client.force_login(saksbehandler)
    response = client.get(last_ned)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    client.force_login(utenforstaende)
    assert client.get(last_ned).status_code == 404

    # A second attempt from a stale page is told that it is done.
    client.force_login(sekretar)
    response = client.post(url, _skjema(punkt, utfall="trukket"), follow=True)
    assert "allerede registrert som «vedtak»" in response.content.decode()
    sak.refresh_from_db()
    assert sak.status == Sak.Status.VEDTATT


def test_the_page_shows_the_services_refusal_in_the_form(client, sekretar, avholdt, punkt, sak):
    client.force_login(sekretar)
    response = client.post(reverse("sekretariat:utfall_registrer", args=[avholdt.pk, punkt.pk]),
                           _skjema(punkt, utfall="vedtak", tekst="Vedtatt."))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Last opp saksutskriften fra P360" in html
    assert "Vedtatt.</textarea>" in html  # the text typed is kept
    sak.refresh_from_db()
    assert sak.status == Sak.Status.SENDT_SEKRETARIAT


def test_a_saksutskrift_of_the_wrong_type_is_refused(client, sekretar, avholdt, punkt, sak, settings):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    client.force_login(sekretar)
    response = client.post(reverse("sekretariat:utfall_registrer", args=[avholdt.pk, punkt.pk]),
                           _skjema(punkt, utfall="vedtak", tekst="Vedtatt.",
                                   saksutskrift=SimpleUploadedFile("utskrift.png", png)))
    assert response.status_code == 400
    html = response.content.decode()
    assert "«utskrift.png» kan ikke brukes som saksutskrift (innholdet er PNG-bilde)." in html
    sak.refresh_from_db()
    assert sak.status == Sak.Status.SENDT_SEKRETARIAT
    assert filer(settings) == []


def test_an_outcome_for_a_meeting_not_held_is_refused_on_the_page(client, sekretar, fsk, sak, pa_agenda):
    mote = MoteFactory(utvalg=fsk, tidspunkt=dag(3))
    punkt = pa_agenda(mote, sak)
    client.force_login(sekretar)
    response = client.post(reverse("sekretariat:utfall_registrer", args=[mote.pk, punkt.pk]),
                           _skjema(punkt, utfall="utsatt"), follow=True)
    assert "Marker møtet som avholdt først." in response.content.decode()
    punkt.refresh_from_db()
    assert punkt.utfall == ""


@pytest.mark.parametrize("rolle", ["saksbehandler", "godkjenner"])
def test_others_than_the_secretariat_get_403(client, request, rolle, avholdt, punkt, fsk):
    mote = MoteFactory(utvalg=fsk, tidspunkt=dag(0))
    client.force_login(request.getfixturevalue(rolle))
    assert client.post(reverse("sekretariat:mote_avhold", args=[mote.pk])).status_code == 403
    assert client.post(reverse("sekretariat:mote_avlys", args=[mote.pk])).status_code == 403
    response = client.post(reverse("sekretariat:utfall_registrer", args=[avholdt.pk, punkt.pk]),
                           _skjema(punkt, utfall="utsatt"))
    assert response.status_code == 403
    punkt.refresh_from_db()
    mote.refresh_from_db()
    assert (punkt.utfall, mote.status) == ("", Mote.Status.PLANLAGT)


def test_the_outcome_views_take_only_post(client, sekretar, avholdt, punkt):
    client.force_login(sekretar)
    assert client.get(reverse("sekretariat:mote_avhold", args=[avholdt.pk])).status_code == 405
    assert client.get(reverse("sekretariat:utfall_registrer", args=[avholdt.pk, punkt.pk])).status_code == 405


@pytest.mark.parametrize("antall", [5, 100])
def test_the_held_meetings_page_runs_a_fixed_number_of_queries(client, sekretar, fsk, kst, avholdt, kst_mote,
                                                                fsk_senere, django_assert_num_queries, antall):
    saksbehandlere = [BrukerFactory.saksbehandler() for _ in range(3)]
    for i in range(antall):
        sak = SakFactory(saksbehandler=saksbehandlere[i % 3], status=Sak.Status.SENDT_SEKRETARIAT,
                         rute=[fsk, kst] if i % 2 else [fsk], hoveddokument=False)
        punkt = SakslistepunktFactory(mote=avholdt, sak=sak, behandling=sak.behandlinger.get(utvalg=fsk),
                                      lagt_til_av=sekretar)
        if i % 3 == 0:
            saksutskrift = Dokument.objects.create(sak=sak, rolle=Dokument.Rolle.SAKSUTSKRIFT, fil="x.pdf",
                                                   filnavn="x.pdf", mime="application/pdf", storrelse=1,
                                                   lastet_opp_av=sekretar)
            Sakslistepunkt.objects.filter(pk=punkt.pk).update(
                utfall=Utfall.UTSATT, neste_mote=fsk_senere, saksutskrift=saksutskrift, utfall_registrert_av=sekretar,
                utfall_registrert=timezone.now())
    client.force_login(sekretar)

    # session, user, groups, meeting, agenda (with cases, officers, registrations, outcomes), the open cases'
    # routes, the coming meetings they may go on to, the tabs' counts
    with django_assert_num_queries(8):
        response = client.get(reverse("sekretariat:mote", args=[avholdt.pk]))
    assert response.content.decode().count("Registrer utfall<span") == antall - len(range(0, antall, 3))
