"""The life of a case through saker.services: every allowed transition, every refusal, and the e-mails
each hand-off sends. A refused action must change nothing: no state, no history row, no outbox row,
no e-mail and no file on disk."""

import contextlib
import dataclasses
import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from overgang.organisasjon.models import Bruker, Mote
from overgang.varsler.models import Varsel
from saker.filer import valider_fil
from saker.models import Behandling, Dokument, Hendelse, Sak
from saker.services import (
    Opplasting,
    SakData,
    SakFeil,
    sak_godkjenn,
    sak_last_opp,
    sak_oppdater,
    sak_opprett,
    sak_returner,
    sak_send_til_godkjenning,
)
from tests.factories import (
    PDF_BYTES,
    ArkivsystemFactory,
    BrukerFactory,
    KommuneFactory,
    MoteFactory,
    SakFactory,
    UtvalgFactory,
    lag_docx,
)

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
KOMMENTAR = "Innstillingen mangler punkt 2 om finansiering. Rett og send på nytt."


# --- personas and data ------------------------------------------------------------------------


@pytest.fixture
def kollega(omrade):
    """Another case officer in sara's own sector."""
    return BrukerFactory.saksbehandler(username="per", kommunalomrade=omrade)


@pytest.fixture
def annen_godkjenner(omrade):
    """A second approver of sara's sector, who is not the one she sends her case to."""
    return BrukerFactory.godkjenner(username="kjell", kommunalomrade=omrade)


@pytest.fixture
def fremmed_godkjenner(annet_omrade):
    return BrukerFactory.godkjenner(username="hilde", kommunalomrade=annet_omrade)


@pytest.fixture
def radmann(db):
    return BrukerFactory.godkjenner(username="rune", er_radmann=True)


@pytest.fixture
def hovedutvalg(db):
    return UtvalgFactory(navn="Hovedutvalg for oppvekst og kultur", kode="HOK")


@pytest.fixture
def formannskapet(db):
    return UtvalgFactory(navn="Formannskapet", kode="FSK")


@pytest.fixture
def kommunestyret(db):
    return UtvalgFactory(navn="Kommunestyret", kode="KST")


def opplasting(innhold: bytes | None = None, *, navn: str = "saksframlegg.docx",
               rolle: str = "hoveddokument") -> Opplasting:
    """An upload as the form hands it to the service: already checked by saker.filer."""
    fil = SimpleUploadedFile(navn, lag_docx() if innhold is None else innhold)
    return Opplasting(fil=fil, info=valider_fil(fil, rolle=rolle, maks_bytes=50 * MB))


def pdf(storrelse: int) -> bytes:
    """A PDF of about `storrelse` bytes: a valid header, then a comment as padding."""
    return PDF_BYTES + b"%" + b"0" * max(storrelse - len(PDF_BYTES) - 2, 0) + b"\n"


def sakdata(omrade, **endringer) -> SakData:
    data = SakData(
        tittel="Skolebehovsplan for Lillestrøm 2020–2030", kommune=KommuneFactory(), arkivsystem=ArkivsystemFactory(),
        arkivsaksnr="19/01234", kommunalomrade=omrade, unntatt_offentlighet=False, hjemmel="",
        innstilling="Kommunestyret vedtar skolebehovsplanen.", rute=[UtvalgFactory()], onsket_mote=None,
    )
    return dataclasses.replace(data, **endringer)


def filer_pa_disk() -> list[Path]:
    rot = Path(settings.MEDIA_ROOT)
    return sorted(p for p in rot.rglob("*") if p.is_file()) if rot.exists() else []


def rute(sak: Sak) -> list[tuple[int, str]]:
    return list(Behandling.objects.filter(sak=sak).order_by("rekkefolge").values_list("rekkefolge", "utvalg__kode"))


def gjeldende_hoveddokument(sak: Sak) -> Dokument:
    return Dokument.objects.get(sak=sak, rolle=Dokument.Rolle.HOVEDDOKUMENT, gjeldende=True)


def tilstand(sak: Sak) -> dict:
    """Everything a transition may touch, to compare before and after a refusal."""
    sak = Sak.objects.get(pk=sak.pk)
    return {
        "status": sak.status, "status_endret": sak.status_endret, "godkjenner": sak.godkjenner_id,
        "onsket_mote": sak.onsket_mote_id, "rute": rute(sak),
        "dokumenter": list(Dokument.objects.filter(sak=sak).order_by("pk").values_list("pk", "versjon", "gjeldende")),
        "hendelser": list(Hendelse.objects.filter(sak=sak).values_list("pk", flat=True)),
        "filer": filer_pa_disk(),
    }


@pytest.fixture
def avvises(django_capture_on_commit_callbacks):
    """`with avvises(sak, "phrase"):` the action raises SakFeil naming the phrase, and changes nothing."""

    @contextlib.contextmanager
    def sjekk(sak: Sak, melding: str):
        for_ = tilstand(sak)
        varsler, eposter = Varsel.objects.count(), len(mail.outbox)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            with pytest.raises(SakFeil, match=melding) as feil:
                yield feil
        assert tilstand(sak) == for_
        assert Varsel.objects.count() == varsler
        assert callbacks == []
        assert len(mail.outbox) == eposter

    return sjekk


def ingen_sak_er_opprettet() -> None:
    assert Sak.objects.count() == 0
    assert Dokument.objects.count() == 0
    assert Hendelse.objects.count() == 0
    assert filer_pa_disk() == []


# --- sak_opprett ------------------------------------------------------------------------------


def test_a_case_officer_creates_a_draft_with_its_documents_route_and_first_history_row(
        saksbehandler, omrade, hovedutvalg, kommunestyret):
    mote = MoteFactory(utvalg=hovedutvalg)
    data = sakdata(omrade, rute=[hovedutvalg, kommunestyret], onsket_mote=mote)

    sak = sak_opprett(av=saksbehandler, data=data, hoveddokument=opplasting(),
                      vedlegg=[opplasting(pdf(2000), navn="Kart over skolekretser.pdf", rolle="vedlegg")])

    sak.refresh_from_db()
    assert sak.status == Sak.Status.UTKAST
    assert sak.saksbehandler == saksbehandler
    assert sak.kommunalomrade == omrade
    assert sak.onsket_mote == mote
    assert sak.godkjenner is None
    assert rute(sak) == [(1, "HOK"), (2, "KST")]
    hoved = gjeldende_hoveddokument(sak)
    assert (hoved.filnavn, hoved.versjon, hoved.lastet_opp_av) == ("saksframlegg.docx", 1, saksbehandler)
    vedlegg = Dokument.objects.get(sak=sak, rolle=Dokument.Rolle.VEDLEGG)
    assert (vedlegg.filnavn, vedlegg.mime, vedlegg.storrelse) == ("Kart over skolekretser.pdf", "application/pdf", 2000)
    assert vedlegg.fil.read() == pdf(2000)
    assert len(filer_pa_disk()) == 2
    [hendelse] = Hendelse.objects.filter(sak=sak)
    assert (hendelse.fra_status, hendelse.til_status, hendelse.utfort_av) == ("", Sak.Status.UTKAST, saksbehandler)
    assert hendelse.dokument == hoved


def test_a_new_case_sends_no_email(django_capture_on_commit_callbacks, saksbehandler, omrade):
    with django_capture_on_commit_callbacks(execute=True):
        sak_opprett(av=saksbehandler, data=sakdata(omrade), hoveddokument=opplasting())
    assert Varsel.objects.count() == 0
    assert mail.outbox == []


def test_it_keeps_the_legal_basis_only_of_an_exempt_case(saksbehandler, omrade):
    hjemmel = "offl. § 13 jf. fvl. § 13"
    unntatt = sak_opprett(av=saksbehandler, data=sakdata(omrade, unntatt_offentlighet=True, hjemmel=hjemmel),
                          hoveddokument=opplasting())
    offentlig = sak_opprett(av=saksbehandler, data=sakdata(omrade, hjemmel=hjemmel), hoveddokument=opplasting())
    assert Sak.objects.get(pk=unntatt.pk).hjemmel == hjemmel
    assert Sak.objects.get(pk=offentlig.pk).hjemmel == ""


def test_it_refuses_a_case_created_by_someone_who_is_not_a_case_officer(godkjenner, omrade):
    with pytest.raises(SakFeil, match="Bare saksbehandlere kan opprette saker"):
        sak_opprett(av=godkjenner, data=sakdata(omrade), hoveddokument=opplasting())
    ingen_sak_er_opprettet()


def test_it_refuses_a_wished_meeting_that_is_not_in_the_first_committee_of_the_route(
        saksbehandler, omrade, hovedutvalg, kommunestyret):
    data = sakdata(omrade, rute=[hovedutvalg, kommunestyret], onsket_mote=MoteFactory(utvalg=kommunestyret))
    with pytest.raises(SakFeil, match="det første utvalget i saksgangen"):
        sak_opprett(av=saksbehandler, data=data, hoveddokument=opplasting())
    ingen_sak_er_opprettet()


def test_it_refuses_a_wished_meeting_in_the_past(saksbehandler, omrade, hovedutvalg):
    mote = MoteFactory(utvalg=hovedutvalg, tidspunkt=timezone.now() - datetime.timedelta(days=1))
    with pytest.raises(SakFeil, match="kommende, planlagt møte"):
        sak_opprett(av=saksbehandler, data=sakdata(omrade, rute=[hovedutvalg], onsket_mote=mote),
                    hoveddokument=opplasting())
    ingen_sak_er_opprettet()


def test_it_refuses_a_wished_meeting_that_is_cancelled(saksbehandler, omrade, hovedutvalg):
    mote = MoteFactory(utvalg=hovedutvalg, status=Mote.Status.AVLYST)
    with pytest.raises(SakFeil, match="kommende, planlagt møte"):
        sak_opprett(av=saksbehandler, data=sakdata(omrade, rute=[hovedutvalg], onsket_mote=mote),
                    hoveddokument=opplasting())
    ingen_sak_er_opprettet()


def test_it_refuses_a_route_with_the_same_committee_twice(saksbehandler, omrade, hovedutvalg, kommunestyret):
    with pytest.raises(SakFeil, match="bare stå én gang i saksgangen"):
        sak_opprett(av=saksbehandler, data=sakdata(omrade, rute=[hovedutvalg, kommunestyret, hovedutvalg]),
                    hoveddokument=opplasting())
    ingen_sak_er_opprettet()


def test_it_refuses_an_empty_route(saksbehandler, omrade):
    with pytest.raises(SakFeil, match="minst ett utvalg"):
        sak_opprett(av=saksbehandler, data=sakdata(omrade, rute=[]), hoveddokument=opplasting())
    ingen_sak_er_opprettet()


def test_it_refuses_a_new_case_larger_than_the_case_size_limit(settings, saksbehandler, omrade):
    settings.MAKS_SAKSTORRELSE_MB = 1
    with pytest.raises(SakFeil, match="grensen er 1 MB per sak"):
        sak_opprett(av=saksbehandler, data=sakdata(omrade), hoveddokument=opplasting(),
                    vedlegg=[opplasting(pdf(MB), navn="Tegninger.pdf", rolle="vedlegg")])
    ingen_sak_er_opprettet()


# --- the allowed transitions ------------------------------------------------------------------


def test_a_case_officer_sends_a_draft_to_an_approver_of_the_sector(saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler)

    sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=godkjenner)

    sak.refresh_from_db()
    assert sak.status == Sak.Status.TIL_GODKJENNING
    assert sak.godkjenner == godkjenner
    [hendelse] = Hendelse.objects.filter(sak=sak)
    assert (hendelse.fra_status, hendelse.til_status) == (Sak.Status.UTKAST, Sak.Status.TIL_GODKJENNING)
    assert (hendelse.utfort_av, hendelse.kommentar) == (saksbehandler, "")
    assert hendelse.dokument == gjeldende_hoveddokument(sak)
    assert sak.status_endret == hendelse.tidspunkt


def test_an_approver_returns_a_case_with_a_comment(saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)

    sak_returner(sak=sak, av=godkjenner, kommentar=f"  {KOMMENTAR}\n")

    sak.refresh_from_db()
    assert sak.status == Sak.Status.RETURNERT
    [hendelse] = Hendelse.objects.filter(sak=sak)
    assert (hendelse.fra_status, hendelse.til_status) == (Sak.Status.TIL_GODKJENNING, Sak.Status.RETURNERT)
    assert (hendelse.utfort_av, hendelse.kommentar) == (godkjenner, KOMMENTAR)
    assert hendelse.dokument == gjeldende_hoveddokument(sak)


def test_a_returned_case_is_resubmitted_with_a_corrected_main_document(saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.RETURNERT, godkjenner=godkjenner)
    forste = gjeldende_hoveddokument(sak)

    [rettet] = sak_last_opp(sak=sak, av=saksbehandler,
                            hoveddokument=opplasting(lag_docx(innstilling="Kommunestyret vedtar planen med "
                                                                          "finansiering i punkt 2."),
                                                     navn="skolebehovsplan rettet.docx"))
    sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=godkjenner)

    sak.refresh_from_db()
    assert sak.status == Sak.Status.TIL_GODKJENNING
    assert gjeldende_hoveddokument(sak) == rettet
    assert (rettet.versjon, rettet.filnavn, rettet.lastet_opp_av) == (2, "skolebehovsplan rettet.docx", saksbehandler)
    forste.refresh_from_db()
    assert (forste.versjon, forste.gjeldende) == (1, False)
    assert Path(forste.fil.path).is_file(), "the old version is kept, on disk as in the database"
    [hendelse] = Hendelse.objects.filter(sak=sak)
    assert (hendelse.fra_status, hendelse.til_status) == (Sak.Status.RETURNERT, Sak.Status.TIL_GODKJENNING)
    assert hendelse.utfort_av == saksbehandler
    assert hendelse.dokument == rettet


def test_an_approver_approves_confirming_the_route_and_wished_meeting(
        saksbehandler, godkjenner, hovedutvalg, formannskapet, kommunestyret):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner,
                     rute=[formannskapet])
    mote = MoteFactory(utvalg=hovedutvalg)

    sak_godkjenn(sak=sak, av=godkjenner, rute=[hovedutvalg, formannskapet, kommunestyret], onsket_mote=mote,
                 kommentar=" Settes opp i HOK først. ")

    sak.refresh_from_db()
    assert sak.status == Sak.Status.GODKJENT
    assert sak.onsket_mote == mote
    assert rute(sak) == [(1, "HOK"), (2, "FSK"), (3, "KST")]
    [hendelse] = Hendelse.objects.filter(sak=sak)
    assert (hendelse.fra_status, hendelse.til_status) == (Sak.Status.TIL_GODKJENNING, Sak.Status.GODKJENT)
    assert (hendelse.utfort_av, hendelse.kommentar) == (godkjenner, "Settes opp i HOK først.")
    assert hendelse.dokument == gjeldende_hoveddokument(sak)


def test_another_approver_of_the_sector_may_approve_a_case_sent_to_a_colleague(
        saksbehandler, godkjenner, annen_godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)
    sak_godkjenn(sak=sak, av=annen_godkjenner, rute=[UtvalgFactory()], onsket_mote=None)
    assert Sak.objects.get(pk=sak.pk).status == Sak.Status.GODKJENT


def test_the_history_reads_as_the_case_went(saksbehandler, godkjenner, omrade):
    sak = sak_opprett(av=saksbehandler, data=sakdata(omrade), hoveddokument=opplasting())
    sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=godkjenner)
    sak_returner(sak=sak, av=godkjenner, kommentar=KOMMENTAR)
    sak_last_opp(sak=sak, av=saksbehandler, hoveddokument=opplasting())
    sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=godkjenner)
    sak_godkjenn(sak=sak, av=godkjenner, rute=[UtvalgFactory()], onsket_mote=None)

    historikk = [(h.fra_status, h.til_status, h.utfort_av.username, h.kommentar, h.dokument.versjon)
                 for h in Hendelse.objects.filter(sak=sak).select_related("utfort_av", "dokument")]
    assert historikk == [
        ("", "utkast", "sara", "", 1),
        ("utkast", "til_godkjenning", "sara", "", 1),
        ("til_godkjenning", "returnert", "kari", KOMMENTAR, 1),
        ("returnert", "til_godkjenning", "sara", "", 2),
        ("til_godkjenning", "godkjent", "kari", "", 2),
    ]


# --- the rådmann ------------------------------------------------------------------------------


def test_the_radmann_approves_a_case_from_any_sector(utenforstaende, radmann):
    sak = SakFactory(saksbehandler=utenforstaende, status=Sak.Status.TIL_GODKJENNING)
    sak_godkjenn(sak=sak, av=radmann, rute=[UtvalgFactory()], onsket_mote=None)
    sak.refresh_from_db()
    assert sak.status == Sak.Status.GODKJENT
    assert Hendelse.objects.get(sak=sak).utfort_av == radmann


def test_the_radmann_returns_a_case_from_any_sector(utenforstaende, radmann):
    sak = SakFactory(saksbehandler=utenforstaende, status=Sak.Status.TIL_GODKJENNING)
    sak_returner(sak=sak, av=radmann, kommentar=KOMMENTAR)
    assert Sak.objects.get(pk=sak.pk).status == Sak.Status.RETURNERT


def test_a_case_officer_may_send_a_case_to_the_radmann(saksbehandler, radmann):
    sak = SakFactory(saksbehandler=saksbehandler)
    sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=radmann)
    assert Sak.objects.get(pk=sak.pk).godkjenner == radmann


def test_the_radmann_flag_without_the_approver_role_approves_nothing(avvises, saksbehandler, omrade):
    uten_rolle = BrukerFactory.saksbehandler(username="rolf", kommunalomrade=omrade, er_radmann=True)
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING)
    with avvises(sak, "Du kan ikke godkjenne saker fra dette kommunalområdet"):
        sak_godkjenn(sak=sak, av=uten_rolle, rute=[UtvalgFactory()], onsket_mote=None)


# --- refusals: wrong state --------------------------------------------------------------------


def test_it_refuses_approval_of_a_draft(avvises, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler)
    with avvises(sak, "Saken er utkast og venter ikke på godkjenning"):
        sak_godkjenn(sak=sak, av=godkjenner, rute=[UtvalgFactory()], onsket_mote=None)


def test_it_refuses_approval_of_a_returned_case(avvises, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.RETURNERT, godkjenner=godkjenner)
    with avvises(sak, "returnert for retting og venter ikke på godkjenning"):
        sak_godkjenn(sak=sak, av=godkjenner, rute=[UtvalgFactory()], onsket_mote=None)


def test_it_refuses_approval_of_an_approved_case_and_names_who_approved(
        avvises, saksbehandler, godkjenner, annen_godkjenner, kommunestyret):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)
    sak_godkjenn(sak=sak, av=godkjenner, rute=[UtvalgFactory()], onsket_mote=None)

    with avvises(sak, f"Saken er allerede godkjent av {godkjenner}"):
        sak_godkjenn(sak=sak, av=annen_godkjenner, rute=[kommunestyret], onsket_mote=None)


def test_it_refuses_to_return_an_approved_case(avvises, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)
    sak_godkjenn(sak=sak, av=godkjenner, rute=[UtvalgFactory()], onsket_mote=None)

    with avvises(sak, f"allerede godkjent av {godkjenner}"):
        sak_returner(sak=sak, av=godkjenner, kommentar=KOMMENTAR)


def test_it_refuses_to_return_a_draft(avvises, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler)
    with avvises(sak, "Saken er utkast og venter ikke på godkjenning"):
        sak_returner(sak=sak, av=godkjenner, kommentar=KOMMENTAR)


def test_it_refuses_to_send_a_case_that_is_already_sent(avvises, saksbehandler, godkjenner, annen_godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)
    with avvises(sak, "Saken er til godkjenning og kan ikke endres nå"):
        sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=annen_godkjenner)


def test_it_refuses_to_send_an_approved_case_again(avvises, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT, godkjenner=godkjenner)
    with avvises(sak, "Saken er godkjent og kan ikke endres nå"):
        sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=godkjenner)


def test_it_refuses_an_upload_while_the_case_waits_for_approval(avvises, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)
    with avvises(sak, "Saken er til godkjenning og kan ikke endres nå"):
        sak_last_opp(sak=sak, av=saksbehandler, hoveddokument=opplasting(),
                     vedlegg=[opplasting(pdf(2000), navn="Kart.pdf", rolle="vedlegg")])


def test_it_refuses_to_edit_an_approved_case(avvises, saksbehandler, godkjenner, omrade, kommunestyret):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.GODKJENT, godkjenner=godkjenner)
    with avvises(sak, "Saken er godkjent og kan ikke endres nå"):
        sak_oppdater(sak=sak, av=saksbehandler, data=sakdata(omrade, rute=[kommunestyret]))


# --- refusals: wrong user or role -------------------------------------------------------------


def test_it_refuses_a_case_sent_by_a_colleague_of_the_case_officer(avvises, saksbehandler, kollega, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler)
    with avvises(sak, "Bare saksbehandleren for saken kan sende den til godkjenning"):
        sak_send_til_godkjenning(sak=sak, av=kollega, godkjenner=godkjenner)


def test_it_refuses_a_case_sent_by_a_case_officer_of_another_sector(avvises, saksbehandler, utenforstaende,
                                                                    godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler)
    with avvises(sak, "Bare saksbehandleren for saken"):
        sak_send_til_godkjenning(sak=sak, av=utenforstaende, godkjenner=godkjenner)


def test_it_refuses_an_upload_by_a_colleague_of_the_case_officer(avvises, saksbehandler, kollega):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.RETURNERT)
    with avvises(sak, "Bare saksbehandleren for saken kan laste opp dokumenter"):
        sak_last_opp(sak=sak, av=kollega, hoveddokument=opplasting())


def test_it_refuses_approval_by_an_approver_of_another_sector(avvises, saksbehandler, godkjenner, fremmed_godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)
    with avvises(sak, "Du kan ikke godkjenne saker fra dette kommunalområdet"):
        sak_godkjenn(sak=sak, av=fremmed_godkjenner, rute=[UtvalgFactory()], onsket_mote=None)


def test_it_refuses_a_return_by_an_approver_of_another_sector(avvises, saksbehandler, godkjenner,
                                                              fremmed_godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)
    with avvises(sak, "Du kan ikke godkjenne saker fra dette kommunalområdet"):
        sak_returner(sak=sak, av=fremmed_godkjenner, kommentar=KOMMENTAR)


def test_it_refuses_approval_by_the_case_officer_of_the_case(avvises, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)
    with avvises(sak, "Du kan ikke godkjenne saker"):
        sak_godkjenn(sak=sak, av=saksbehandler, rute=[UtvalgFactory()], onsket_mote=None)


def test_it_refuses_approval_by_the_secretariat(avvises, saksbehandler, godkjenner, sekretar):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)
    with avvises(sak, "Du kan ikke godkjenne saker"):
        sak_godkjenn(sak=sak, av=sekretar, rute=[UtvalgFactory()], onsket_mote=None)


def test_it_refuses_approval_by_an_approver_who_has_left(avvises, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)
    godkjenner.is_active = False
    godkjenner.save()
    with avvises(sak, "Du kan ikke godkjenne saker"):
        sak_godkjenn(sak=sak, av=Bruker.objects.get(pk=godkjenner.pk), rute=[UtvalgFactory()], onsket_mote=None)


# --- refusals: missing input ------------------------------------------------------------------


@pytest.mark.parametrize("kommentar", ["", "   \n\t "])
def test_it_refuses_to_return_a_case_without_a_comment(avvises, saksbehandler, godkjenner, kommentar):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)
    with avvises(sak, "Skriv en kommentar"):
        sak_returner(sak=sak, av=godkjenner, kommentar=kommentar)


def test_it_refuses_to_send_a_case_without_a_main_document(avvises, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, hoveddokument=False)
    with avvises(sak, "Last opp saksframlegget"):
        sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=godkjenner)


@pytest.mark.parametrize("mottaker", ["fremmed_godkjenner", "kollega", "sekretar"])
def test_it_refuses_to_send_a_case_to_someone_who_cannot_approve_for_the_sector(
        request, avvises, saksbehandler, mottaker):
    sak = SakFactory(saksbehandler=saksbehandler)
    mottaker = request.getfixturevalue(mottaker)
    with avvises(sak, f"{mottaker} kan ikke godkjenne saker fra {sak.kommunalomrade}"):
        sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=mottaker)


def test_it_refuses_to_send_a_case_to_its_own_case_officer_even_with_the_approver_role(avvises, saksbehandler):
    from django.contrib.auth.models import Group

    saksbehandler.groups.add(Group.objects.get(name="godkjenner"))
    saksbehandler.kommunalomrade.godkjennere.add(saksbehandler)
    sak = SakFactory(saksbehandler=saksbehandler)
    with avvises(sak, "din egen sak"):
        sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=saksbehandler)


def test_it_refuses_approval_of_ones_own_case(avvises, saksbehandler, godkjenner):
    from django.contrib.auth.models import Group

    saksbehandler.groups.add(Group.objects.get(name="godkjenner"))
    saksbehandler.kommunalomrade.godkjennere.add(saksbehandler)
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)
    with avvises(sak, "din egen sak"):
        sak_godkjenn(sak=sak, av=saksbehandler, rute=[b.utvalg for b in sak.behandlinger.all()], onsket_mote=None)


def test_it_refuses_to_send_a_case_to_an_approver_who_has_left(avvises, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler)
    godkjenner.is_active = False
    godkjenner.save()
    with avvises(sak, "kan ikke godkjenne saker fra"):
        sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=godkjenner)


def test_it_refuses_approval_with_a_wished_meeting_outside_the_first_committee(
        avvises, saksbehandler, godkjenner, hovedutvalg, kommunestyret):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)
    with avvises(sak, "det første utvalget i saksgangen"):
        sak_godkjenn(sak=sak, av=godkjenner, rute=[hovedutvalg, kommunestyret],
                     onsket_mote=MoteFactory(utvalg=kommunestyret))


def test_it_refuses_approval_with_an_empty_route(avvises, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)
    with avvises(sak, "minst ett utvalg"):
        sak_godkjenn(sak=sak, av=godkjenner, rute=[], onsket_mote=None)


# --- documents and the case size limit ---------------------------------------------------------


def test_it_refuses_an_upload_that_makes_the_case_larger_than_the_limit(avvises, settings, saksbehandler):
    settings.MAKS_SAKSTORRELSE_MB = 0
    sak = SakFactory(saksbehandler=saksbehandler)
    with avvises(sak, "grensen er 0 MB per sak"):
        sak_last_opp(sak=sak, av=saksbehandler, vedlegg=[opplasting(pdf(2000), navn="Kart.pdf", rolle="vedlegg")])


def test_a_corrected_main_document_counts_instead_of_the_one_it_replaces(avvises, settings, saksbehandler):
    settings.MAKS_SAKSTORRELSE_MB = 1
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.RETURNERT, hoveddokument=pdf(600_000))

    with avvises(sak, "grensen er 1 MB per sak"):
        sak_last_opp(sak=sak, av=saksbehandler, vedlegg=[opplasting(pdf(600_000), navn="Kart.pdf", rolle="vedlegg")])
    [rettet] = sak_last_opp(sak=sak, av=saksbehandler, hoveddokument=opplasting(pdf(600_000), navn="Rettet.pdf"))

    assert gjeldende_hoveddokument(sak) == rettet
    assert len(filer_pa_disk()) == 2


def test_a_removed_attachment_leaves_the_current_set_but_stays_in_the_history(saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler)
    [vedlegg] = sak_last_opp(sak=sak, av=saksbehandler, vedlegg=[opplasting(pdf(2000), navn="Kart.pdf",
                                                                            rolle="vedlegg")])

    sak_last_opp(sak=sak, av=saksbehandler, fjern_vedlegg=[vedlegg.pk])

    vedlegg.refresh_from_db()
    assert vedlegg.gjeldende is False
    assert Path(vedlegg.fil.path).is_file()


def test_it_refuses_to_remove_a_document_that_is_not_a_current_attachment_of_the_case(avvises, saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler)
    annen_sak = SakFactory(saksbehandler=saksbehandler)
    with avvises(sak, "Vedlegget finnes ikke i saken"):
        sak_last_opp(sak=sak, av=saksbehandler, fjern_vedlegg=[gjeldende_hoveddokument(sak).pk])
    with avvises(sak, "Vedlegget finnes ikke i saken"):
        sak_last_opp(sak=sak, av=saksbehandler, fjern_vedlegg=[gjeldende_hoveddokument(annen_sak).pk])
    assert Dokument.objects.filter(gjeldende=True).count() == 2


def test_it_refuses_an_upload_with_nothing_in_it(avvises, saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler)
    with avvises(sak, "Velg en fil å laste opp"):
        sak_last_opp(sak=sak, av=saksbehandler)


# --- notifications ----------------------------------------------------------------------------


def lenke(sak: Sak) -> str:
    return f"https://overgang.example.no/saker/{sak.pk}/"


def test_a_submitted_case_notifies_only_the_chosen_approver(
        django_capture_on_commit_callbacks, saksbehandler, godkjenner, annen_godkjenner, radmann):
    sak = SakFactory(saksbehandler=saksbehandler)

    with django_capture_on_commit_callbacks(execute=True):
        sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=godkjenner)

    [varsel] = Varsel.objects.all()
    assert (varsel.hendelse, varsel.mottaker, varsel.status) == ("sak_til_godkjenning", godkjenner, Varsel.Status.SENDT)
    [epost] = mail.outbox
    assert epost.to == ["kari@lillestrom.kommune.no"]
    assert "sendt til deg for godkjenning" in epost.body
    assert sak.tittel in epost.subject
    assert lenke(sak) in epost.body
    assert f'href="{lenke(sak)}"' in epost.alternatives[0][0]


def test_a_returned_case_notifies_only_the_case_officer_with_the_comment(
        django_capture_on_commit_callbacks, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)

    with django_capture_on_commit_callbacks(execute=True):
        sak_returner(sak=sak, av=godkjenner, kommentar=KOMMENTAR)

    [varsel] = Varsel.objects.all()
    assert (varsel.hendelse, varsel.mottaker) == ("sak_returnert", saksbehandler)
    [epost] = mail.outbox
    assert epost.to == ["sara@lillestrom.kommune.no"]
    assert "sendt tilbake til deg for retting" in epost.body
    assert KOMMENTAR in epost.body
    assert lenke(sak) in epost.body


def test_an_approved_case_tells_only_the_case_officer_to_send_it_to_the_secretariat(
        django_capture_on_commit_callbacks, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner)

    with django_capture_on_commit_callbacks(execute=True):
        sak_godkjenn(sak=sak, av=godkjenner, rute=[UtvalgFactory()], onsket_mote=None)

    [varsel] = Varsel.objects.all()
    assert (varsel.hendelse, varsel.mottaker) == ("sak_godkjent", saksbehandler)
    [epost] = mail.outbox
    assert epost.to == ["sara@lillestrom.kommune.no"]
    assert "godkjent" in epost.body
    assert "sekretariat" in epost.body
    assert lenke(sak) in epost.body


def test_a_resubmission_notifies_the_approver_again(django_capture_on_commit_callbacks, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler)

    with django_capture_on_commit_callbacks(execute=True):
        sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=godkjenner)
        sak_returner(sak=sak, av=godkjenner, kommentar=KOMMENTAR)
        sak_last_opp(sak=sak, av=saksbehandler, hoveddokument=opplasting())
        sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=godkjenner)

    innsendinger = Varsel.objects.filter(hendelse="sak_til_godkjenning")
    assert innsendinger.count() == 2
    assert len(set(innsendinger.values_list("nokkel", flat=True))) == 2
    assert [m.to for m in mail.outbox] == [["kari@lillestrom.kommune.no"], ["sara@lillestrom.kommune.no"],
                                           ["kari@lillestrom.kommune.no"]]
    assert all(lenke(sak) in m.body for m in mail.outbox)


def test_a_refused_transition_sends_nothing(django_capture_on_commit_callbacks, saksbehandler, fremmed_godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(SakFeil):
            sak_godkjenn(sak=sak, av=fremmed_godkjenner, rute=[UtvalgFactory()], onsket_mote=None)
        with pytest.raises(SakFeil):
            sak_returner(sak=sak, av=fremmed_godkjenner, kommentar=KOMMENTAR)

    assert callbacks == []
    assert Varsel.objects.count() == 0
    assert mail.outbox == []


# --- files on disk when something fails halfway ------------------------------------------------


def avbrutt_opplasting(navn: str) -> Opplasting:
    """An upload whose stream breaks when the service writes it (a client gone, a temp file removed)."""
    brutt = opplasting(pdf(2000), navn=navn, rolle="vedlegg")
    brutt.fil.close()
    return brutt


def test_a_new_case_that_fails_halfway_leaves_no_orphan_file(saksbehandler, omrade):
    with pytest.raises(ValueError):
        sak_opprett(av=saksbehandler, data=sakdata(omrade), hoveddokument=opplasting(),
                    vedlegg=[opplasting(pdf(2000), navn="Kart.pdf", rolle="vedlegg"), avbrutt_opplasting("Brutt.pdf")])
    ingen_sak_er_opprettet()


def test_an_upload_that_fails_halfway_leaves_the_documents_as_they_were(saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.RETURNERT)
    for_ = tilstand(sak)
    with pytest.raises(ValueError):
        sak_last_opp(sak=sak, av=saksbehandler, hoveddokument=opplasting(), vedlegg=[avbrutt_opplasting("Brutt.pdf")])
    assert tilstand(sak) == for_
