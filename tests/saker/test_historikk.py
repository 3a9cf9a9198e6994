"""The case's whole story: every change to its fields, route, documents, parties, agenda placement and
registration, by the app or in the admin, is recorded (who, when, field, old and new value) and shown on the
case page in plain Norwegian; reading an exempt case's document is recorded too; the record cannot be
rewritten."""

import dataclasses

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from overgang.endringslogg.models import Endring, Handling, Kilde
from overgang.endringslogg.services import logg
from overgang.organisasjon.models import Mote
from saker import services
from saker.forms import sjekk_fil
from saker.models import Dokument, Registrering, Sak
from sekretariat.services import mote_avhold, registrer_i_p360, saksliste_fjern, saksliste_flytt, saksliste_legg_til
from tests.factories import PDF_BYTES, BrukerFactory, MoteFactory, SakFactory, UtvalgFactory, VedtakFactory, dag
from tests.saker.test_workflow import sakdata
from tests.tjenester import krev_postgresql

pytestmark = pytest.mark.django_db


def historie(client, sak: Sak) -> str:
    return client.get(reverse("saker:sak", args=[sak.pk])).content.decode()


def test_editing_the_case_records_each_changed_field_and_the_route(client, saksbehandler, omrade):
    fsk, kst = UtvalgFactory(navn="Formannskapet", kode="FSK"), UtvalgFactory(navn="Kommunestyret", kode="KST")
    data = sakdata(omrade, rute=[fsk])
    sak = services.sak_opprett(av=saksbehandler, data=data, hoveddokument=sjekk_fil(
        SimpleUploadedFile("framlegg.pdf", PDF_BYTES), "hoveddokument"))
    services.sak_oppdater(sak=sak, av=saksbehandler, data=dataclasses.replace(
        data, tittel="Ny skolebehovsplan", unntatt_offentlighet=True, hjemmel="offl. § 13", rute=[fsk, kst]))

    felt = {e.felt: (e.gammel_verdi, e.ny_verdi) for e in Endring.objects.filter(sak_id=sak.pk)}
    assert felt == {
        "tittel": ("Skolebehovsplan for Lillestrøm 2020–2030", "Ny skolebehovsplan"),
        "unntatt offentlighet": ("nei", "ja"),
        "hjemmel": ("", "offl. § 13"),
        "saksgang": ("FSK", "FSK → KST"),
    }
    client.force_login(saksbehandler)
    html = historie(client, sak)
    assert "Endret tittel fra «Skolebehovsplan for Lillestrøm 2020–2030» til «Ny skolebehovsplan»." in html
    assert "Endret saksgang fra «FSK» til «FSK → KST»." in html


def test_removing_a_vedlegg_and_uploading_a_version_are_recorded(client, saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler)
    [vedlegg] = services.sak_last_opp(sak=sak, av=saksbehandler, vedlegg=[
        sjekk_fil(SimpleUploadedFile("kart.pdf", PDF_BYTES), "vedlegg")])
    services.sak_last_opp(sak=sak, av=saksbehandler, fjern_vedlegg=[vedlegg.pk])
    client.force_login(saksbehandler)
    html = historie(client, sak)
    assert "La til dokument «kart.pdf (v1)»." in html
    assert "Fjernet dokument «kart.pdf (v1)»." in html and "filen beholdes i historikken" in html


def test_parties_are_recorded_with_the_identity_number_masked(client, saksbehandler):
    from tests.saker.test_parter import FNR, MASKERT

    sak = VedtakFactory(sak__saksbehandler=saksbehandler).sak
    data = services.PartData(navn="Kari Nordmann", adresse="Storgata 1", postnummer="2000", poststed="Lillestrøm")
    part = services.part_opprett(sak=sak, av=saksbehandler, data=data)
    services.part_oppdater(part=part, av=saksbehandler, data=dataclasses.replace(data, fnr=FNR))
    services.part_fjern(part=part, av=saksbehandler)

    rader = Endring.objects.filter(sak_id=sak.pk).order_by("pk")
    assert [r.handling for r in rader] == [Handling.OPPRETTET, Handling.ENDRET, Handling.SLETTET]
    assert all(FNR not in f"{r.gammel_verdi}{r.ny_verdi}{r.kommentar}" for r in rader)
    assert rader[1].felt == "fødselsnummer" and rader[1].ny_verdi == MASKERT
    client.force_login(saksbehandler)
    html = historie(client, sak)
    assert "La til part «Kari Nordmann»." in html and "Fjernet part «Kari Nordmann»." in html
    assert FNR not in html


def test_the_agenda_the_registration_and_the_meeting_are_recorded(client, saksbehandler, sekretar):
    fsk = UtvalgFactory(navn="Formannskapet", kode="FSK")
    mote = MoteFactory(utvalg=fsk, tidspunkt=dag(0))
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.SENDT_SEKRETARIAT, rute=[fsk])
    annen = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.SENDT_SEKRETARIAT, rute=[fsk])
    registrer_i_p360(sak=sak, av=sekretar, p360_saksnr="20/00123", p360_dokumentnr="20/00123-4")
    punkt = saksliste_legg_til(mote=mote, sak=sak, av=sekretar)
    saksliste_legg_til(mote=mote, sak=annen, av=sekretar)
    saksliste_flytt(punkt=punkt, av=sekretar, retning="ned")
    saksliste_fjern(punkt=punkt, av=sekretar)
    mote_avhold(mote=mote, av=sekretar)

    client.force_login(saksbehandler)
    html = historie(client, sak)
    assert "La til registrering i P360 «20/00123 (20/00123-4)»." in html
    assert "La til sak på saksliste" in html
    assert "Endret rekkefølge på sak på saksliste" in html and "fra «1» til «2»" in html
    assert "Fjernet sak på saksliste" in html and "nummeret brukes ikke om igjen" in html
    assert Endring.objects.filter(content_type__model="mote", objekt_id=mote.pk, felt="status",
                                  gammel_verdi="Planlagt", ny_verdi="Avholdt", utfort_av=sekretar).exists()


def test_admin_changes_are_recorded_field_by_field(admin_client, admin_user, saksbehandler, sekretar):
    sak = SakFactory(saksbehandler=saksbehandler, unntatt_offentlighet=True, hjemmel="offl. § 13")
    annen = BrukerFactory.saksbehandler(username="tore")
    registrering = Registrering.objects.create(sak=sak, p360_saksnr="20/00123", p360_dokumentnr="20/00123-4",
                                               registrert_av=sekretar)
    mote = MoteFactory(status=Mote.Status.AVHOLDT)

    url = reverse("admin:saker_sak_change", args=[sak.pk])
    skjema = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in skjema.initial.items() if v is not None}
    data.update({"saksbehandler": annen.pk, "unntatt_offentlighet": "", "hjemmel": "", "kommune": sak.kommune_id,
                 "arkivsystem": sak.arkivsystem_id, "kommunalomrade": sak.kommunalomrade_id,
                 **{f"{p}-TOTAL_FORMS": "0" for p in ("behandlinger", "dokumenter", "hendelser")},
                 **{f"{p}-INITIAL_FORMS": "0" for p in ("behandlinger", "dokumenter", "hendelser")}})
    data.pop("godkjenner", None)
    data.pop("onsket_mote", None)
    svar = admin_client.post(url, data)
    assert svar.status_code == 302, svar.context["adminform"].form.errors if svar.context else svar
    admin_client.post(reverse("admin:saker_registrering_delete", args=[registrering.pk]), {"post": "yes"})
    mote_url = reverse("admin:organisasjon_mote_change", args=[mote.pk])
    tid = timezone.localtime(mote.tidspunkt)
    admin_client.post(mote_url, {"utvalg": mote.utvalg_id, "tidspunkt_0": f"{tid:%d.%m.%Y}",
                                 "tidspunkt_1": f"{tid:%H:%M}", "sted": mote.sted,
                                 "saksfrist": mote.saksfrist.strftime("%d.%m.%Y"), "status": "planlagt"})

    fra_admin = Endring.objects.filter(kilde=Kilde.ADMIN, utfort_av=admin_user)
    felt = {(e.content_type.model, e.felt or e.handling): (e.gammel_verdi, e.ny_verdi) for e in fra_admin}
    assert ('mote', 'dato og tid') not in felt  # an unchanged time is not a change
    assert felt[("sak", "saksbehandler")] == (str(saksbehandler), str(annen))
    assert felt[("sak", "unntatt offentlighet")] == ("ja", "nei")
    assert ("registrering", "slettet") in felt
    assert felt[("mote", "status")] == ("Avholdt", "Planlagt")


def test_downloading_an_exempt_document_is_recorded_and_a_public_one_is_not(client, saksbehandler):
    unntatt = SakFactory(saksbehandler=saksbehandler, unntatt_offentlighet=True, hjemmel="offl. § 13")
    apen = SakFactory(saksbehandler=saksbehandler)
    client.force_login(saksbehandler)
    for sak in (unntatt, apen):
        dokument = Dokument.objects.get(sak=sak)
        assert client.get(reverse("saker:dokument", args=[sak.pk, dokument.pk])).status_code == 200
    [lest] = Endring.objects.filter(handling=Handling.LASTET_NED)
    assert (lest.sak_id, lest.utfort_av) == (unntatt.pk, saksbehandler)
    assert "Lastet ned dokument «saksframlegg.docx (v1)»." in historie(client, unntatt)
    dokument = Dokument.objects.get(sak=unntatt)
    assert client.get(reverse("saker:forhandsvisning", args=[unntatt.pk, dokument.pk])).status_code == 200
    assert Endring.objects.filter(handling=Handling.LASTET_NED, kommentar__contains="forhåndsvist").count() == 1


def test_a_case_with_history_cannot_be_deleted(saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler)
    sak.hendelser.create(til_status=Sak.Status.UTKAST, utfort_av=saksbehandler)
    with pytest.raises(ProtectedError):
        sak.delete()


@pytest.mark.services
def test_the_database_refuses_to_change_or_delete_a_log_row(saksbehandler):
    krev_postgresql()
    sak = SakFactory(saksbehandler=saksbehandler)
    rad = logg(av=saksbehandler, handling=Handling.ENDRET, objekt=sak, sak_id=sak.pk, felt="tittel", gammel="a",
               ny="b")
    forsok = [
        lambda: Endring.objects.filter(pk=rad.pk).update(ny_verdi="c"),
        lambda: Endring.objects.filter(pk=rad.pk).delete(),
        lambda: rad.delete(),
    ]
    for sql in ("UPDATE endringslogg_endring SET ny_verdi = 'c' WHERE id = %s",
                "DELETE FROM endringslogg_endring WHERE id = %s"):
        forsok.append(lambda sql=sql: connection.cursor().execute(sql, [rad.pk]))
    for handling in forsok:
        with pytest.raises(Exception, match="pgtrigger"), transaction.atomic():
            handling()
    rad.refresh_from_db()
    assert rad.ny_verdi == "b"
