"""The control after the meeting: held meetings with cases without an outcome, vedtak whose letter is not sent
after N days, postponed cases not yet placed; continuations are no first placements; the start page."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from overgang.datoer import norsk_dato
from overgang.organisasjon.models import Mote
from saker.forms import sjekk_fil
from saker.models import Sak
from sekretariat.kontroll import REGLER, kontroller
from sekretariat.kontroll_telling import telling
from sekretariat.models import Sakslistepunkt, Utfall
from sekretariat.services import saksliste_fjern, saksliste_legg_til, utfall_registrer
from sekretariat.uplasserte import saker_uten_mote
from tests.factories import (
    PDF_BYTES,
    MoteFactory,
    MotelistepunktFactory,
    RegistreringFactory,
    SakFactory,
    SakslistepunktFactory,
    VedtakFactory,
    dag,
)

pytestmark = pytest.mark.django_db





@pytest.fixture
def avholdt(fsk):
    return MoteFactory(utvalg=fsk, tidspunkt=dag(-3), status=Mote.Status.AVHOLDT)


@pytest.fixture
def ny_sak(saksbehandler, fsk):
    def lag(*rute, status=Sak.Status.SENDT_SEKRETARIAT, **kwargs) -> Sak:
        return SakFactory(saksbehandler=saksbehandler, status=status, rute=list(rute) or [fsk], hoveddokument=False,
                          **kwargs)

    return lag


@pytest.fixture
def pa_agenda(sekretar):
    def lag(mote: Mote, sak: Sak):
        return SakslistepunktFactory(mote=mote, sak=sak, behandling=sak.behandlinger.get(utvalg=mote.utvalg),
                                     lagt_til_av=sekretar)

    return lag


@pytest.fixture
def ferdig(sekretar, godkjenner):
    """Everything before the meeting in order, so only the rules after it can flag the case."""
    def lag(sak: Sak, mote: Mote) -> Sak:
        MotelistepunktFactory(sak=sak, mote=mote, lagt_til_av=godkjenner)
        RegistreringFactory(sak=sak, registrert_av=sekretar)
        return sak

    return lag


def pdf():
    return sjekk_fil(SimpleUploadedFile("Saksutskrift.pdf", PDF_BYTES), "hoveddokument")


def regler(mote: Mote, sak: Sak, idag: datetime.date | None = None) -> list[str]:
    return [a.regel for a in kontroller([mote], idag=idag)[mote.pk].avvik if a.sak == sak]


# uten_utfall

def test_a_held_meeting_flags_each_case_without_an_outcome_until_it_is_recorded(
        avholdt, ny_sak, pa_agenda, ferdig, sekretar):
    sak = ferdig(ny_sak(), avholdt)
    punkt = pa_agenda(avholdt, sak)
    avvik = [a for a in kontroller([avholdt])[avholdt.pk].avvik if a.sak == sak]
    assert [(a.regel, a.melding) for a in avvik] == [
        ("uten_utfall", "Møtet er avholdt, men utfallet for saken er ikke registrert.")]

    utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.TRUKKET)
    assert kontroller([avholdt])[avholdt.pk].klar


def test_a_planned_meeting_has_no_outcomes_to_miss(fsk, ny_sak, pa_agenda, ferdig):
    mote = MoteFactory(utvalg=fsk, tidspunkt=dag(5))
    pa_agenda(mote, ferdig(ny_sak(), mote))
    assert kontroller([mote])[mote.pk].klar


# brev_ikke_sendt

def test_a_vedtak_is_flagged_when_the_letter_is_not_sent_after_n_days(
        avholdt, ny_sak, pa_agenda, ferdig, sekretar, settings):
    settings.KONTROLL_BREVFRIST_DAGER = 14
    sak = ferdig(ny_sak(), avholdt)
    punkt = pa_agenda(avholdt, sak)
    utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.VEDTAK, tekst="Vedtatt.", saksutskrift=pdf())
    registrert = timezone.localdate()

    assert regler(avholdt, sak, idag=registrert + datetime.timedelta(days=14)) == []
    avvik = kontroller([avholdt], idag=registrert + datetime.timedelta(days=15))[avholdt.pk].avvik
    assert [(a.regel, a.sak) for a in avvik] == [("brev_ikke_sendt", sak)]
    assert avvik[0].melding == (f"Vedtaket ble registrert {norsk_dato(registrert)}, men vedtaksbrevet er ikke sendt "
                                "til alle partene etter 15 dager.")

    # The last letter sent closes the case (saker.services); then nothing is missing.
    Sak.objects.filter(pk=sak.pk).update(status=Sak.Status.AVSLUTTET)
    assert kontroller([avholdt], idag=registrert + datetime.timedelta(days=15))[avholdt.pk].klar


def test_the_letter_deadline_is_a_setting(avholdt, ny_sak, pa_agenda, ferdig, sekretar, settings):
    settings.KONTROLL_BREVFRIST_DAGER = 2
    sak = ferdig(ny_sak(status=Sak.Status.VEDTATT), avholdt)
    punkt = pa_agenda(avholdt, sak)
    VedtakFactory(sak=sak, behandling=punkt.behandling, mote=avholdt, registrert_av=sekretar,
                  registrert=timezone.now() - datetime.timedelta(days=3))
    punkt.utfall, punkt.utfall_registrert_av, punkt.utfall_registrert = Utfall.VEDTAK, sekretar, timezone.now()
    punkt.utfall_tekst, punkt.saksutskrift = "Vedtatt.", sak.vedtak.saksutskrift
    punkt.save()
    assert regler(avholdt, sak) == ["brev_ikke_sendt"]


def test_a_vedtak_at_another_meeting_is_not_this_meetings_concern(avholdt, fsk, ny_sak, pa_agenda, sekretar):
    sak = ny_sak(status=Sak.Status.VEDTATT)
    pa_agenda(avholdt, sak)
    annet = MoteFactory(utvalg=fsk, tidspunkt=dag(-40), status=Mote.Status.AVHOLDT)
    VedtakFactory(sak=sak, behandling=sak.behandlinger.get(), mote=annet, registrert_av=sekretar,
                  registrert=timezone.now() - datetime.timedelta(days=30))
    assert "brev_ikke_sendt" not in regler(avholdt, sak)


# utsatt_ikke_plassert

def test_a_postponed_case_is_flagged_until_it_is_placed_on_a_later_meeting_of_the_committee(
        avholdt, fsk, kst, ny_sak, pa_agenda, ferdig, sekretar):
    sak = ferdig(ny_sak(fsk, kst), avholdt)
    punkt = pa_agenda(avholdt, sak)
    utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.UTSATT, tekst="Utsatt for befaring.")
    avvik = kontroller([avholdt])[avholdt.pk].avvik
    assert [(a.regel, a.sak, a.melding) for a in avvik] == [
        ("utsatt_ikke_plassert", sak, "Utsatt i møtet, men ikke satt på sakslisten til et senere møte i utvalget.")]

    # A meeting of another committee is not where the postponed handling takes place.
    saksliste_legg_til(mote=MoteFactory(utvalg=kst, tidspunkt=dag(8)), sak=sak, av=sekretar)
    assert regler(avholdt, sak) == ["utsatt_ikke_plassert"]

    senere = MoteFactory(utvalg=fsk, tidspunkt=dag(10))
    saksliste_legg_til(mote=senere, sak=sak, av=sekretar)
    assert kontroller([avholdt])[avholdt.pk].klar


def test_a_case_postponed_and_placed_at_once_is_not_flagged(avholdt, fsk, ny_sak, pa_agenda, ferdig, sekretar):
    sak = ferdig(ny_sak(), avholdt)
    utfall_registrer(punkt=pa_agenda(avholdt, sak), av=sekretar, utfall=Utfall.UTSATT,
                     neste_mote=MoteFactory(utvalg=fsk, tidspunkt=dag(10)))
    assert kontroller([avholdt])[avholdt.pk].klar


# Continuations are not first placements (ikke_pa_liste)

def test_a_case_sent_on_by_an_innstilling_is_not_missing_from_the_directors_list(
        avholdt, fsk, kst, ny_sak, pa_agenda, ferdig, sekretar):
    kst_mote = MoteFactory(utvalg=kst, tidspunkt=dag(12))
    videreført = ferdig(ny_sak(fsk, kst), avholdt)
    utfall_registrer(punkt=pa_agenda(avholdt, videreført), av=sekretar, utfall=Utfall.INNSTILLING,
                     tekst="Kommunestyret vedtar planen.", neste_mote=kst_mote, saksutskrift=pdf())
    forste_gang = ny_sak(kst)
    RegistreringFactory(sak=forste_gang, registrert_av=sekretar)
    saksliste_legg_til(mote=kst_mote, sak=forste_gang, av=sekretar)

    assert regler(kst_mote, videreført) == []
    assert regler(kst_mote, forste_gang) == ["ikke_pa_liste"]


def test_a_postponed_case_placed_later_is_not_missing_from_the_directors_list(
        avholdt, fsk, ny_sak, pa_agenda, ferdig, sekretar):
    sak = ferdig(ny_sak(), avholdt)
    utfall_registrer(punkt=pa_agenda(avholdt, sak), av=sekretar, utfall=Utfall.UTSATT)
    senere = MoteFactory(utvalg=fsk, tidspunkt=dag(10))
    saksliste_legg_til(mote=senere, sak=sak, av=sekretar)
    assert regler(senere, sak) == []


def test_a_case_handled_earlier_without_continuing_is_still_a_first_placement(
        avholdt, fsk, ny_sak, pa_agenda, ferdig, sekretar):
    # An earlier item still without an outcome sends the case nowhere: a new placement is a first one.
    sak = ferdig(ny_sak(), avholdt)
    pa_agenda(avholdt, sak)
    senere = MoteFactory(utvalg=fsk, tidspunkt=dag(10))
    saksliste_legg_til(mote=senere, sak=sak, av=sekretar)
    assert regler(senere, sak) == ["ikke_pa_liste"]


# No rule nobody can act on

def test_a_held_meeting_whose_cases_are_all_closed_is_ready_though_none_was_on_the_directors_list(
        client, sekretar, avholdt, ny_sak, pa_agenda):
    # Received late, never listed by a director, never registered, then decided and closed, or withdrawn: the
    # directors' list offers only coming meetings and never a closed case, the intake page registers only cases
    # still waiting, and the lateness was decided on when the case was placed. Nobody could mend any of it.
    sent = timezone.make_aware(datetime.datetime.combine(avholdt.saksfrist + datetime.timedelta(days=1),
                                                         datetime.time(12)))
    vedtatt, trukket = ny_sak(sendt_sekretariat=sent), ny_sak(sendt_sekretariat=sent)
    utfall_registrer(punkt=pa_agenda(avholdt, vedtatt), av=sekretar, utfall=Utfall.VEDTAK, tekst="Vedtatt.",
                     saksutskrift=pdf())
    Sak.objects.filter(pk=vedtatt.pk).update(status=Sak.Status.AVSLUTTET)  # the letters are sent
    utfall_registrer(punkt=pa_agenda(avholdt, trukket), av=sekretar, utfall=Utfall.TRUKKET)

    kontroll = kontroller([avholdt])[avholdt.pk]
    assert (kontroll.klar, kontroll.tom, len(kontroll.saker)) == (True, False, 2)
    assert telling([avholdt])[avholdt.pk].klar
    client.force_login(sekretar)
    html = client.get(reverse("sekretariat:kontroll", args=[avholdt.pk])).content.decode()
    assert "Klar – ingen avvik" in html
    assert REGLER["ikke_pa_liste"] not in html


def test_after_the_meeting_only_what_can_still_be_done_is_asked(avholdt, fsk, ny_sak, pa_agenda, godkjenner,
                                                                sekretar, settings):
    settings.KONTROLL_SENDEFRIST_DAGER = 30
    listet_ikke_sendt = ny_sak(status=Sak.Status.GODKJENT)
    MotelistepunktFactory(sak=listet_ikke_sendt, mote=avholdt, lagt_til_av=godkjenner)
    utsatt_og_plassert = ny_sak()
    punkt = pa_agenda(avholdt, utsatt_og_plassert)
    Sakslistepunkt.objects.filter(pk=punkt.pk).update(utfall=Utfall.UTSATT, utfall_registrert_av=sekretar,
                                                      utfall_registrert=timezone.now())
    pa_agenda(MoteFactory(utvalg=fsk, tidspunkt=dag(10)), utsatt_og_plassert)

    # The meeting is past: not sending, not placing and not listing are no longer this meeting's to ask (the
    # directors' page shows the listed case among those without a meeting). Registering in P360 still can be.
    assert regler(avholdt, listet_ikke_sendt) == []
    assert regler(avholdt, utsatt_og_plassert) == ["ikke_registrert"]
    # Before the meeting the same facts were discrepancies.
    Mote.objects.filter(pk=avholdt.pk).update(status=Mote.Status.PLANLAGT, tidspunkt=dag(3))
    avholdt.refresh_from_db()
    assert regler(avholdt, listet_ikke_sendt) == ["ikke_mottatt", "ikke_sendt", "ikke_pa_saksliste"]


# Received cases no meeting will take

def test_a_postponed_case_not_placed_has_no_meeting(avholdt, fsk, ny_sak, pa_agenda, sekretar):
    sak = ny_sak()
    punkt = pa_agenda(avholdt, sak)
    assert sak not in saker_uten_mote()  # handled there; its outcome is missing, which uten_utfall flags

    utfall_registrer(punkt=punkt, av=sekretar, utfall=Utfall.UTSATT)
    assert sak in saker_uten_mote()

    saksliste_legg_til(mote=MoteFactory(utvalg=fsk, tidspunkt=dag(10)), sak=sak, av=sekretar)
    assert sak not in saker_uten_mote()


def test_a_case_whose_next_placement_is_removed_has_no_meeting(avholdt, fsk, kst, ny_sak, pa_agenda, sekretar):
    sak = ny_sak(fsk, kst)
    resultat = utfall_registrer(punkt=pa_agenda(avholdt, sak), av=sekretar, utfall=Utfall.INNSTILLING,
                                tekst="Til kommunestyret.", neste_mote=MoteFactory(utvalg=kst, tidspunkt=dag(12)),
                                saksutskrift=pdf())
    assert sak not in saker_uten_mote()

    saksliste_fjern(punkt=resultat.videre, av=sekretar)
    assert sak in saker_uten_mote()


def test_a_decided_case_needs_no_meeting(avholdt, ny_sak, pa_agenda, sekretar):
    sak = ny_sak()
    utfall_registrer(punkt=pa_agenda(avholdt, sak), av=sekretar, utfall=Utfall.VEDTAK, tekst="Vedtatt.",
                     saksutskrift=pdf())
    assert saker_uten_mote() == []


# Fixed number of queries

@pytest.mark.parametrize("antall", [5, 100])
def test_the_check_of_held_meetings_runs_a_fixed_number_of_queries(
        antall, fsk, kst, saksbehandler, godkjenner, sekretar, django_assert_num_queries):
    moter = [MoteFactory(utvalg=fsk, tidspunkt=dag(-20 + 7 * i), status=Mote.Status.AVHOLDT) for i in range(2)]
    senere = MoteFactory(utvalg=fsk, tidspunkt=dag(10))
    kst_mote = MoteFactory(utvalg=kst, tidspunkt=dag(12))
    moter += [senere, kst_mote]
    naa = timezone.now()
    for i in range(antall):
        mote = moter[i % 2]
        sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.SENDT_SEKRETARIAT, rute=[fsk, kst],
                         hoveddokument=False)
        if i % 3:
            MotelistepunktFactory(sak=sak, mote=mote, lagt_til_av=godkjenner)
        punkt = SakslistepunktFactory(mote=mote, sak=sak, behandling=sak.behandlinger.get(utvalg=fsk),
                                      lagt_til_av=sekretar)
        utfall = [Utfall.UTSATT, Utfall.INNSTILLING, Utfall.VEDTAK, ""][i % 4]
        if utfall:
            punkt.utfall, punkt.utfall_registrert_av, punkt.utfall_registrert = utfall, sekretar, naa
        if utfall == Utfall.INNSTILLING:
            punkt.utfall_tekst, punkt.neste_mote = "Til KST.", kst_mote
            punkt.saksutskrift = sak.dokumenter.create(rolle="saksutskrift", fil="x.pdf", filnavn="x.pdf",
                                                       mime="application/pdf", storrelse=1, lastet_opp_av=sekretar)
            SakslistepunktFactory(mote=kst_mote, sak=sak, behandling=sak.behandlinger.get(utvalg=kst),
                                  lagt_til_av=sekretar)
        if utfall == Utfall.VEDTAK:
            vedtak = VedtakFactory(sak=sak, behandling=punkt.behandling, mote=mote, registrert_av=sekretar,
                                   registrert=naa - datetime.timedelta(days=30))
            Sak.objects.filter(pk=sak.pk).update(status=Sak.Status.VEDTATT)
            punkt.utfall_tekst, punkt.saksutskrift = "Vedtatt.", vedtak.saksutskrift
        if utfall == Utfall.UTSATT and i % 8 == 0:
            SakslistepunktFactory(mote=senere, sak=sak, behandling=punkt.behandling, lagt_til_av=sekretar)
        punkt.save()

    with django_assert_num_queries(3):
        resultat = kontroller(moter)

    per_regel = {kode: sum(len(k.per_regel()[kode]) for k in resultat.values()) for kode in REGLER}
    assert per_regel["uten_utfall"] == len(range(3, antall, 4))
    assert per_regel["brev_ikke_sendt"] == len(range(2, antall, 4))
    assert per_regel["utsatt_ikke_plassert"] == len([i for i in range(0, antall, 4) if i % 8])
    with django_assert_num_queries(0):
        for kontroll in resultat.values():
            render_to_string("sekretariat/_kontroll.html", {"kontroll": kontroll})


# The start page

def test_the_start_page_leads_with_held_meetings_waiting_for_outcomes_then_other_unfinished_ones(
        client, sekretar, fsk, ny_sak, pa_agenda, ferdig, settings):
    settings.KONTROLL_BREVFRIST_DAGER = 2
    uten_utfall = MoteFactory(utvalg=fsk, tidspunkt=dag(-5), status=Mote.Status.AVHOLDT)
    pa_agenda(uten_utfall, ferdig(ny_sak(tittel="Sak uten utfall"), uten_utfall))
    ikke_markert_med_saker = MoteFactory(utvalg=fsk, tidspunkt=dag(-2))
    pa_agenda(ikke_markert_med_saker, ferdig(ny_sak(), ikke_markert_med_saker))
    ikke_markert = MoteFactory(utvalg=fsk, tidspunkt=dag(-1))
    brev_mangler = MoteFactory(utvalg=fsk, tidspunkt=dag(-9), status=Mote.Status.AVHOLDT)
    vedtatt = ferdig(ny_sak(status=Sak.Status.VEDTATT), brev_mangler)
    punkt = pa_agenda(brev_mangler, vedtatt)
    VedtakFactory(sak=vedtatt, behandling=punkt.behandling, mote=brev_mangler, registrert_av=sekretar,
                  registrert=timezone.now() - datetime.timedelta(days=5))
    punkt.utfall, punkt.utfall_registrert_av, punkt.utfall_registrert = Utfall.VEDTAK, sekretar, timezone.now()
    punkt.utfall_tekst, punkt.saksutskrift = "Vedtatt.", vedtatt.vedtak.saksutskrift
    punkt.save()
    ferdig_mote = MoteFactory(utvalg=fsk, tidspunkt=dag(-8), status=Mote.Status.AVHOLDT)
    gammelt = MoteFactory(utvalg=fsk, tidspunkt=dag(-90), status=Mote.Status.AVHOLDT)
    pa_agenda(gammelt, ferdig(ny_sak(), gammelt))
    kommende = MoteFactory(utvalg=fsk, tidspunkt=dag(6))
    client.force_login(sekretar)

    html = client.get(reverse("sekretariat:start")).content.decode()

    # Outcomes first, oldest first, and counted on the tab; then the other loose ends; the coming meetings last.
    assert "2 møter venter på utfall" in html and "Møter som venter på utfall (2)" in html
    assert 'data-fanetall="venter_pa_utfall">2<' in html
    assert html.index(f'data-venter="{uten_utfall.pk}"') < html.index(f'data-venter="{ikke_markert_med_saker.pk}"')
    assert "1 av 1 sak uten utfall" in html
    assert "Andre avholdte møter som ikke er ferdige (2)" in html
    for mote in (brev_mangler, ikke_markert):
        assert f'data-uferdig="{mote.pk}"' in html
    for mote in (ferdig_mote, gammelt, kommende):
        assert f'data-uferdig="{mote.pk}"' not in html and f'data-venter="{mote.pk}"' not in html
    assert f'data-uferdig="{uten_utfall.pk}"' not in html  # listed once, where its work is
    assert html.index('id="utfall"') < html.index('id="uferdige"') < html.index(f'data-kommende="{kommende.pk}"')
    seksjon = html[html.index('id="uferdige"'):html.index('id="kommende"')]
    assert "Ikke markert som avholdt" in seksjon and "1 avvik" in seksjon


def test_the_control_page_of_a_held_meeting_shows_the_rules_after_it(client, sekretar, avholdt, ny_sak, pa_agenda,
                                                                      ferdig):
    pa_agenda(avholdt, ferdig(ny_sak(tittel="Barnehagebehov på Fetsund"), avholdt))
    client.force_login(sekretar)
    html = client.get(reverse("sekretariat:kontroll", args=[avholdt.pk])).content.decode()
    assert REGLER["uten_utfall"] in html
    assert "Barnehagebehov på Fetsund" in html
    assert "Etter møtet kontrolleres også" in html


@pytest.mark.parametrize("antall", [5, 100])
def test_the_start_page_with_held_meetings_runs_a_fixed_number_of_queries(
        client, sekretar, fsk, ny_sak, pa_agenda, django_assert_num_queries, antall):
    moter = [MoteFactory(utvalg=fsk, tidspunkt=dag(-10)), MoteFactory(utvalg=fsk, tidspunkt=dag(-5),
                                                                      status=Mote.Status.AVHOLDT),
             MoteFactory(utvalg=fsk, tidspunkt=dag(5))]
    for i in range(antall):
        pa_agenda(moter[i % 3], ny_sak())
    client.force_login(sekretar)
    # session, user, groups, coming meetings (count, page), past meetings, three counting queries, cases without
    # a meeting (the first, and the count), the tabs' counts
    with django_assert_num_queries(12):
        assert client.get(reverse("sekretariat:start")).status_code == 200
