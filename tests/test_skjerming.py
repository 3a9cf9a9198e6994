"""Skjerming: an exempt case's full title stays in the pages of people who may see the case. Everything that
leaves the app for others (e-mail subjects and bodies, the shared mailbox, reminders, the published agenda as
.docx and CSV, log lines, the endringslogg's object names) carries its public title; and its letter goes
through SvarUt with level-4 login and encryption."""

import logging

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from godkjenning.services import godkjenn_og_sett_pa_liste, liste_flytt
from overgang.endringslogg.models import Endring
from overgang.organisasjon.models import Mote
from overgang.varsler.paminnelser import send_paminnelser
from saker import services
from saker.forms import sjekk_fil
from saker.models import Forsendelse, Sak
from saker.tasks import folg_opp_forsendelser
from sekretariat.services import mote_avhold, registrer_i_p360, saksliste_legg_til, utfall_registrer
from tests.factories import PDF_BYTES, MoteFactory, SakFactory, UtvalgFactory, dag
from tests.saker.fake_svarut import fake_svarut  # noqa: F401  (the fixture)
from tests.saker.test_utsending import svarut  # noqa: F401  (the fake SvarUt server, configured)
from tests.saker.test_workflow import sakdata

pytestmark = pytest.mark.django_db

HEMMELIG = "Nordmann-ansettelsen"
FULL = f"Ansettelse av kommunedirektør – {HEMMELIG}"
OFFENTLIG = "Ansettelse av kommunedirektør – *****"


def test_no_email_export_or_log_line_carries_an_exempt_cases_full_title(
        client, saksbehandler, godkjenner, sekretar, omrade, caplog, settings, svarut,  # noqa: F811
        django_capture_on_commit_callbacks):
    settings.UTSENDING_BACKEND = "svarut"
    caplog.set_level(logging.DEBUG)
    fsk = UtvalgFactory(navn="Formannskapet", kode="FSK")
    mote, senere = MoteFactory(utvalg=fsk, tidspunkt=dag(0)), MoteFactory(utvalg=fsk, tidspunkt=dag(30))
    with django_capture_on_commit_callbacks(execute=True):
        sak = services.sak_opprett(av=saksbehandler, hoveddokument=sjekk_fil(
            SimpleUploadedFile("framlegg.pdf", PDF_BYTES), "hoveddokument"), data=sakdata(
            omrade, tittel=FULL, unntatt_offentlighet=True, hjemmel="offl. § 25", offentlig_tittel=OFFENTLIG,
            rute=[fsk]))
        services.sak_send_til_godkjenning(sak=sak, av=saksbehandler, godkjenner=godkjenner)
        Mote.objects.filter(pk=mote.pk).update(tidspunkt=dag(10))
        mote.refresh_from_db()
        punkt = godkjenn_og_sett_pa_liste(sak=sak, av=godkjenner, rute=[fsk], onsket_mote=mote)
        punkt = liste_flytt(punkt=punkt, til_mote=senere, av=godkjenner, grunn="Trenger mer tid")
        send_paminnelser(timezone.localdate() + timezone.timedelta(days=40))
        services.sak_send_til_sekretariat(sak=sak, av=saksbehandler)
        registrer_i_p360(sak=sak, av=sekretar, p360_saksnr="20/00123", p360_dokumentnr="20/00123-4")
        Mote.objects.filter(pk=senere.pk).update(tidspunkt=timezone.now() - timezone.timedelta(hours=1))
        senere.refresh_from_db()
        agenda = saksliste_legg_til(mote=senere, sak=sak, av=sekretar)
        mote_avhold(mote=senere, av=sekretar)
        utfall_registrer(punkt=agenda, av=sekretar, utfall="vedtak", tekst="Kommunestyret tilsetter.",
                         saksutskrift=sjekk_fil(SimpleUploadedFile("utskrift.pdf", PDF_BYTES), "saksutskrift"))
        part = services.part_opprett(sak=sak, av=saksbehandler, data=services.PartData(
            navn="Kari Nordmann", adresse="Storgata 1", postnummer="2000", poststed="Lillestrøm"))
        services.vedtaksbrev_lag(sak=sak, av=saksbehandler)
        forsendelse = services.forsendelse_send_svarut(part=part, av=saksbehandler)
        # SvarUt reports the letter read; the poll closes the case, and the closing e-mail is screened too.
        svarut.skript(forsendelse.forsendelse_id, "LEST", per_kall=True)
        folg_opp_forsendelser.delay().get()

    client.force_login(sekretar)
    docx = client.get(reverse("sekretariat:saksliste_docx", args=[senere.pk])).content
    csv = client.get(reverse("sekretariat:saksliste_csv", args=[senere.pk])).content.decode("utf-8-sig")

    assert len(mail.outbox) >= 6
    eposter = "\n".join(m.subject + m.body + "".join(str(a[0]) for a in m.alternatives) for m in mail.outbox)
    assert HEMMELIG not in eposter and OFFENTLIG in eposter
    assert any(settings.SEKRETARIAT_EPOST in m.to for m in mail.outbox)
    assert HEMMELIG.encode() not in docx and "*****" in csv and HEMMELIG not in csv
    assert HEMMELIG not in caplog.text
    assert not Endring.objects.filter(objekt__contains=HEMMELIG).exists()
    # The people who may see the case see its full title.
    assert FULL in client.get(reverse("saker:sak", args=[sak.pk])).content.decode()
    # The letter: level-4 login and encryption in SvarUt, and the public title as the shipment's title.
    assert forsendelse.status == Forsendelse.Status.SENDT
    sendt = svarut.hent(forsendelse.forsendelse_id).json
    assert (sendt["krevNiva4Innlogging"], sendt["kryptert"]) == (True, True)
    assert HEMMELIG not in sendt["tittel"] and Sak.objects.get(pk=sak.pk).status == Sak.Status.AVSLUTTET


def test_a_public_case_goes_out_as_it_is(saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler, tittel="Budsjett 2027")
    assert (sak.tittel_ut, str(sak)) == ("Budsjett 2027", f"{sak.arkivsaksnr} Budsjett 2027")


def test_an_exempt_case_needs_a_public_title_that_differs_from_the_full_one(client, saksbehandler):
    from saker.forms import SakForm

    form = SakForm({"tittel": FULL, "unntatt_offentlighet": "on", "hjemmel": "offl. § 25"}, med_filer=False)
    form.is_valid()
    assert "Skriv en offentlig tittel" in str(form.errors["offentlig_tittel"])
    form = SakForm({"tittel": FULL, "unntatt_offentlighet": "on", "hjemmel": "offl. § 25", "offentlig_tittel": FULL},
                   med_filer=False)
    form.is_valid()
    assert "lik den fulle tittelen" in str(form.errors["offentlig_tittel"])
