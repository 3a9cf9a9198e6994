"""The case's side of a held meeting (saker.services.workflow): the final vedtak returned to the old archive system, a
withdrawal, and the saksutskrift filed on the case; each guarded by state and actor."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from overgang.organisasjon.models import Mote
from overgang.varsler.models import Varsel
from saker.forms import sjekk_fil
from saker.models import Dokument, Hendelse, Sak, Vedtak
from saker.services import SakFeil, sak_registrer_vedtak, sak_trekk, saksutskrift_legg_til
from tests.factories import PDF_BYTES, MoteFactory, SakFactory, UtvalgFactory, VedtakFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def hou(db):
    return UtvalgFactory(navn="Hovedutvalg for oppvekst", kode="HOU")


@pytest.fixture
def mote(hou):
    tid = timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0) - datetime.timedelta(days=1)
    return MoteFactory(utvalg=hou, tidspunkt=tid, status=Mote.Status.AVHOLDT)


@pytest.fixture
def sak(saksbehandler, hou):
    return SakFactory(saksbehandler=saksbehandler, status=Sak.Status.SENDT_SEKRETARIAT, rute=[hou])


def pdf(navn: str = "Saksutskrift PS 3-26.pdf"):
    return sjekk_fil(SimpleUploadedFile(navn, PDF_BYTES), "hoveddokument")


def filer(settings) -> set:
    return {f for f in settings.MEDIA_ROOT.rglob("*") if f.is_file()} if settings.MEDIA_ROOT.exists() else set()


def registrer(sak: Sak, mote: Mote, av, **kwargs) -> Vedtak:
    data = {"behandling": sak.behandlinger.get(), "mote": mote, "utvalgssaksnr": "PS 3/26",
            "tekst": "Hovedutvalget vedtar planen.", "saksutskrift": pdf(), **kwargs}
    return sak_registrer_vedtak(sak=sak, av=av, **data)


# The vedtak

def test_the_vedtak_is_recorded_returned_to_the_old_archive_and_the_case_officer_told(
        sak, mote, sekretar, saksbehandler, django_capture_on_commit_callbacks):
    for_ = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        vedtak = registrer(sak, mote, sekretar)

    sak.refresh_from_db()
    assert sak.status == Sak.Status.VEDTATT
    assert (vedtak.sak, vedtak.mote, vedtak.utvalgssaksnr, vedtak.registrert_av) == (sak, mote, "PS 3/26", sekretar)
    assert vedtak.returnert_arkiv is not None and vedtak.returnert_arkiv >= for_
    assert (vedtak.saksutskrift.rolle, vedtak.saksutskrift.filnavn, vedtak.saksutskrift.lastet_opp_av) == (
        Dokument.Rolle.SAKSUTSKRIFT, "Saksutskrift PS 3-26.pdf", sekretar)

    [hendelse] = Hendelse.objects.filter(sak=sak, til_status=Sak.Status.VEDTATT)
    assert (hendelse.fra_status, hendelse.utfort_av) == (Sak.Status.SENDT_SEKRETARIAT, sekretar)
    assert "PS 3/26" in hendelse.kommentar
    [varsel] = Varsel.objects.filter(hendelse="vedtak_fattet")
    assert (varsel.mottaker, varsel.nokkel) == (saksbehandler, f"hendelse:{hendelse.pk}")


@pytest.mark.parametrize("status", [Sak.Status.GODKJENT, Sak.Status.VEDTATT, Sak.Status.TRUKKET,
                                    Sak.Status.AVSLUTTET])
def test_only_a_case_with_the_secretariat_can_be_decided(sak, mote, sekretar, status, settings):
    Sak.objects.filter(pk=sak.pk).update(status=status)
    for_ = filer(settings)
    with pytest.raises(SakFeil):
        registrer(sak, mote, sekretar)
    assert not Vedtak.objects.exists()
    assert filer(settings) == for_


def test_only_the_secretariat_records_a_vedtak(sak, mote, saksbehandler, godkjenner):
    for bruker in (saksbehandler, godkjenner):
        with pytest.raises(SakFeil, match="Bare politisk sekretariat kan registrere vedtak"):
            registrer(sak, mote, bruker)
    sak.refresh_from_db()
    assert sak.status == Sak.Status.SENDT_SEKRETARIAT


def test_a_vedtak_needs_text_and_saksutskrift(sak, mote, sekretar):
    with pytest.raises(SakFeil, match="Skriv vedtaket"):
        registrer(sak, mote, sekretar, tekst=" \n ")
    with pytest.raises(SakFeil, match="Last opp saksutskriften"):
        registrer(sak, mote, sekretar, saksutskrift=None)


def test_the_saksutskrift_is_pdf_or_word(sak, mote, sekretar):
    bilde = sjekk_fil(SimpleUploadedFile("utskrift.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64), "vedlegg")
    # The service refuses in the slot's words, the same the secretariat's form shows (saker.filer.regler).
    with pytest.raises(SakFeil, match=r"kan ikke brukes som saksutskrift .* Word-dokument \(\.docx\) eller en PDF-fil"):
        registrer(sak, mote, sekretar, saksutskrift=bilde)


def test_the_vedtak_comes_from_a_held_meeting_of_the_committee_that_handled_it(sak, mote, hou, sekretar):
    planlagt = MoteFactory(utvalg=hou)
    with pytest.raises(SakFeil, match="avholdt møte"):
        registrer(sak, planlagt, sekretar)
    annet_utvalg = MoteFactory(utvalg=UtvalgFactory(navn="Formannskapet", kode="FSK"),
                               tidspunkt=mote.tidspunkt, status=Mote.Status.AVHOLDT)
    with pytest.raises(SakFeil, match="utvalget som behandlet saken"):
        registrer(sak, annet_utvalg, sekretar)
    annen_sak = SakFactory(status=Sak.Status.SENDT_SEKRETARIAT, rute=[hou], hoveddokument=False)
    with pytest.raises(SakFeil, match="hører ikke til saken"):
        registrer(sak, mote, sekretar, behandling=annen_sak.behandlinger.get())


def test_a_refused_vedtak_leaves_no_file(sak, mote, sekretar, settings):
    # A vedtak row already there (made in the admin, say) while the case still waits: the insert fails after
    # the saksutskrift was written, and the file goes with the rolled-back row.
    VedtakFactory(sak=sak, mote=mote, saksutskrift=None)
    for_ = filer(settings)
    with pytest.raises(Exception):  # noqa: B017 (the database's own refusal, whichever class the backend raises)
        registrer(sak, mote, sekretar)
    assert filer(settings) == for_
    assert not Dokument.objects.filter(sak=sak, rolle=Dokument.Rolle.SAKSUTSKRIFT).exists()


# Withdrawal

def test_a_withdrawn_case_is_trukket_with_one_history_row(sak, sekretar, saksbehandler,
                                                          django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sak_trekk(sak=sak, av=sekretar, kommentar="  Trukket av rådmannen. ")

    sak.refresh_from_db()
    assert sak.status == Sak.Status.TRUKKET
    [hendelse] = Hendelse.objects.filter(sak=sak, til_status=Sak.Status.TRUKKET)
    assert (hendelse.fra_status, hendelse.kommentar) == (Sak.Status.SENDT_SEKRETARIAT, "Trukket av rådmannen.")
    [varsel] = Varsel.objects.filter(hendelse="sak_trukket")
    assert varsel.mottaker == saksbehandler
    assert varsel.kontekst == {"kommentar": "Trukket av rådmannen."}


def test_a_case_is_withdrawn_once_and_only_by_the_secretariat(sak, sekretar, saksbehandler):
    with pytest.raises(SakFeil, match="Bare politisk sekretariat"):
        sak_trekk(sak=sak, av=saksbehandler)
    sak_trekk(sak=sak, av=sekretar)
    with pytest.raises(SakFeil, match="allerede trukket"):
        sak_trekk(sak=sak, av=sekretar)


def test_a_decided_case_cannot_be_withdrawn(sak, mote, sekretar):
    registrer(sak, mote, sekretar)
    with pytest.raises(SakFeil, match="Vedtaket i saken er allerede registrert"):
        sak_trekk(sak=sak, av=sekretar)


# The saksutskrift of a handling that did not decide the case

def test_a_saksutskrift_is_filed_without_changing_the_case(sak, sekretar):
    dokument = saksutskrift_legg_til(sak=sak, av=sekretar, saksutskrift=pdf())
    sak.refresh_from_db()
    assert sak.status == Sak.Status.SENDT_SEKRETARIAT
    assert (dokument.sak, dokument.rolle, dokument.gjeldende) == (sak, Dokument.Rolle.SAKSUTSKRIFT, True)
    assert not Hendelse.objects.filter(sak=sak).exclude(til_status=Sak.Status.UTKAST).exists()


def test_a_saksutskrift_is_not_filed_on_a_closed_case_or_by_others(sak, sekretar, saksbehandler):
    with pytest.raises(SakFeil, match="Bare politisk sekretariat"):
        saksutskrift_legg_til(sak=sak, av=saksbehandler, saksutskrift=pdf())
    Sak.objects.filter(pk=sak.pk).update(status=Sak.Status.AVSLUTTET)
    with pytest.raises(SakFeil, match="avsluttet"):
        saksutskrift_legg_til(sak=sak, av=sekretar, saksutskrift=pdf())
