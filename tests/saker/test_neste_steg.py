"""Every page says what to do next: the case page's "neste steg" card names the next action in every state,
for the person looking; the status tags differ by state; a GET on a POST-only address gets a Norwegian page."""

import pytest
from django.urls import reverse

from overgang.organisasjon.models import Mote
from saker.models import STATUS_TAG, Forsendelse, Part, Sak
from tests.factories import BrukerFactory, SakFactory, VedtakFactory

pytestmark = pytest.mark.django_db

# The card's heading for each state and each person looking; None where that person may not see the case (404).
# The approver reads the later states as a reader: they hold nothing there, and the card says who does.
FORVENTET = {
    Sak.Status.UTKAST: ("Send saken til godkjenning", None, None),
    Sak.Status.TIL_GODKJENNING: ("Venter på godkjenning", "Godkjenn eller returner", None),
    Sak.Status.RETURNERT: ("Rett saken og send den på nytt", "Returnert for retting", None),
    Sak.Status.GODKJENT: ("Send saken til politisk sekretariat", "Hold møtelisten oppdatert",
                          "Venter på saksbehandleren"),
    Sak.Status.SENDT_SEKRETARIAT: ("Hos politisk sekretariat", "Hos politisk sekretariat", "Registrer saken i P360"),
    Sak.Status.VEDTATT: ("Legg til partene", "Vedtatt", "Vedtatt"),
    Sak.Status.TRUKKET: ("Trukket", "Trukket", "Trukket"),
    Sak.Status.AVSLUTTET: ("Avsluttet", "Avsluttet", "Avsluttet"),
}
ROLLER = ("saksbehandler", "godkjenner", "sekretar")


def kort(html: str) -> str:
    start = html.index("data-neste-steg")
    return html[start:html.index("</section>", start)]


def overskrift(html: str) -> str:
    start = html.index('id="neste-steg-tittel">') + len('id="neste-steg-tittel">')
    return html[start:html.index("</h2>", start)]


def lag_sak(status, saksbehandler, godkjenner, **kwargs):
    if status in (Sak.Status.VEDTATT, Sak.Status.AVSLUTTET):
        sak = VedtakFactory(sak__saksbehandler=saksbehandler, sak__godkjenner=godkjenner).sak
        Sak.objects.filter(pk=sak.pk).update(status=status)
        return sak
    return SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=status, **kwargs)


@pytest.mark.parametrize("rolle", ROLLER)
@pytest.mark.parametrize("status", list(Sak.Status))
def test_the_card_names_the_next_action_in_every_state_for_each_role(request, client, saksbehandler, godkjenner,
                                                                      sekretar, status, rolle):
    sak = lag_sak(status, saksbehandler, godkjenner)
    client.force_login(request.getfixturevalue(rolle))
    svar = client.get(reverse("saker:sak", args=[sak.pk]))
    forventet = FORVENTET[status][ROLLER.index(rolle)]
    if forventet is None:
        assert svar.status_code == 404
    else:
        assert overskrift(svar.content.decode()) == forventet


@pytest.mark.parametrize("status, lenke", [
    (Sak.Status.UTKAST, "#send-tittel"), (Sak.Status.RETURNERT, "#send-tittel"), (Sak.Status.GODKJENT, "#sekr-tittel"),
])
def test_the_officers_card_links_to_the_form_that_does_it(client, saksbehandler, godkjenner, status, lenke):
    sak = lag_sak(status, saksbehandler, godkjenner)
    client.force_login(saksbehandler)
    html = client.get(reverse("saker:sak", args=[sak.pk])).content.decode()
    assert f'href="{lenke}"' in kort(html)
    assert f'id="{lenke[1:]}"' in html


def test_the_approver_is_sent_to_decide_and_to_the_meeting_lists(client, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.TIL_GODKJENNING)
    client.force_login(godkjenner)
    assert reverse("godkjenning:sak", args=[sak.pk]) in kort(client.get(sak.get_absolute_url()).content.decode())
    Sak.objects.filter(pk=sak.pk).update(status=Sak.Status.GODKJENT)
    assert reverse("godkjenning:motelister") in kort(client.get(sak.get_absolute_url()).content.decode())


def test_an_approver_of_another_sector_in_scope_only_through_the_radmann_is_not_told_to_decide(
        client, saksbehandler, godkjenner):
    """The rådmann may decide any case; a director of another sector never sees it (404, as above)."""
    sak = SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.TIL_GODKJENNING)
    client.force_login(BrukerFactory.godkjenner(er_radmann=True))
    assert overskrift(client.get(sak.get_absolute_url()).content.decode()) == "Godkjenn eller returner"


def test_the_secretariat_is_led_from_registration_to_agenda_to_outcome(client, saksbehandler, godkjenner, sekretar):
    from tests.factories import MoteFactory, RegistreringFactory, SakslistepunktFactory

    sak = SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.SENDT_SEKRETARIAT)
    client.force_login(sekretar)

    def les():
        html = kort(client.get(sak.get_absolute_url()).content.decode())
        return overskrift(html), html

    tittel, html = les()
    assert tittel == "Registrer saken i P360" and reverse("sekretariat:innkomne") in html
    RegistreringFactory(sak=sak)
    assert les()[0] == "Sett saken på sakslisten"
    mote = MoteFactory(utvalg=sak.behandlinger.first().utvalg)
    SakslistepunktFactory(sak=sak, mote=mote)
    tittel, html = les()
    assert tittel == "Til politisk behandling" and reverse("sekretariat:mote", args=[mote.pk]) in html
    Mote.objects.filter(pk=mote.pk).update(status=Mote.Status.AVHOLDT)
    assert les()[0] == "Registrer utfallet"


def test_the_officer_sees_the_case_go_to_political_handling_once_on_an_agenda(client, saksbehandler, godkjenner):
    from tests.factories import SakslistepunktFactory

    sak = SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.SENDT_SEKRETARIAT)
    punkt = SakslistepunktFactory(sak=sak, mote__utvalg=sak.behandlinger.first().utvalg)
    client.force_login(saksbehandler)
    html = client.get(sak.get_absolute_url()).content.decode()
    assert overskrift(html) == "Til politisk behandling" and punkt.mote.tekst in kort(html)
    assert "Hos: <strong>Politisk behandling</strong>" in html


def lag_parter(sak, antall: int, *, med_brev: int = 0, sendt: int = 0) -> list[Part]:
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from saker.models import Dokument

    parter = []
    for i in range(antall):
        part = Part.objects.create(sak=sak, navn=f"Part {i}", adresse="Gate 1", postnummer="2000",
                                   poststed="Lillestrøm")
        forsendelse = Forsendelse.objects.create(part=part)
        if i < med_brev:
            brev = Dokument(sak=sak, rolle=Dokument.Rolle.VEDTAKSBREV, part=part, filnavn=f"Vedtaksbrev {i}.pdf",
                            mime="application/pdf", storrelse=3, lastet_opp_av=sak.saksbehandler)
            brev.fil.save("brev.pdf", ContentFile(b"%PD"), save=False)
            brev.save()
            if i < sendt:
                Forsendelse.objects.filter(pk=forsendelse.pk).update(
                    status=Forsendelse.Status.SENDT, kanal=Forsendelse.Kanal.MANUELL, forsendelse_id=f"id-{i}",
                    sendt=timezone.now(), brev=brev)
        parter.append(part)
    return parter


def test_after_the_vedtak_the_card_leads_with_a_primary_button_to_add_the_parties(client, saksbehandler):
    sak = VedtakFactory(sak__saksbehandler=saksbehandler).sak
    client.force_login(saksbehandler)
    html = client.get(sak.get_absolute_url()).content.decode()
    parter = reverse("saker:parter", args=[sak.pk])
    assert f'<a class="btn btn-primary" href="{parter}">Legg til partene</a>' in kort(html)
    # The card comes before the case's particulars: the next steps lead the page.
    assert html.index("data-neste-steg") < html.index('id="vedtak-tittel"') < html.index("Arkivsaksnummer")


def test_after_the_vedtak_the_steps_count_parties_letters_and_shipments(client, saksbehandler):
    sak = VedtakFactory(sak__saksbehandler=saksbehandler).sak
    lag_parter(sak, 3, med_brev=2, sendt=1)
    client.force_login(saksbehandler)
    html = kort(client.get(reverse("saker:sak", args=[sak.pk])).content.decode())
    assert overskrift(html) == "Lag vedtaksbrevet"
    assert "3 registrert" in html and "2 av 3 parter har brev" in html and "1 av 3 sendt" in html
    # The step the officer is on is marked for screen readers, and every step says in words how far it is.
    assert html.count('aria-current="step"') == 1 and "(ferdig)" in html and "(nå)" in html and "(gjenstår)" in html


def test_with_every_letter_made_the_card_sends_the_officer_to_the_dispatch(client, saksbehandler):
    sak = VedtakFactory(sak__saksbehandler=saksbehandler).sak
    lag_parter(sak, 3, med_brev=3, sendt=1)
    client.force_login(saksbehandler)
    html = kort(client.get(reverse("saker:sak", args=[sak.pk])).content.decode())
    assert overskrift(html) == "Send vedtaksbrevet"
    assert "2 av 3 parter har ikke fått brevet" in html and 'href="#utsending"' in html


def test_each_state_has_its_own_tag():
    assert set(STATUS_TAG) == set(Sak.Status)
    assert len(set(STATUS_TAG.values())) == len(Sak.Status)


def test_a_get_on_a_post_only_address_gets_a_norwegian_page(client, saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler)
    client.force_login(saksbehandler)
    svar = client.get(reverse("saker:send_til_sekretariat", args=[sak.pk]))
    assert svar.status_code == 405
    assert "Denne adressen kan ikke åpnes slik" in svar.content.decode() and svar["Allow"] == "POST"


def test_a_refused_form_opens_with_a_summary_linked_to_each_field(client, saksbehandler):
    client.force_login(saksbehandler)
    html = client.post(reverse("saker:ny"), {"tittel": ""}).content.decode()
    start = html.index("data-feiloppsummering")
    oppsummering = html[start:html.index("</div>", start)]
    assert "Skjemaet ble ikke lagret" in oppsummering
    assert 'href="#id_arkivsaksnr"' in oppsummering and 'href="#id_kommune"' in oppsummering
    # The saksframlegg comes first: the title and innstilling are read from it.
    assert html.index('id="id_hoveddokument"') < html.index('id="id_tittel"')


def test_the_inbox_shows_the_wished_meeting_and_the_days_to_its_saksfrist(client, saksbehandler, godkjenner):
    import datetime

    from django.utils import timezone

    from tests.factories import MoteFactory

    mote = MoteFactory(tidspunkt=timezone.now() + datetime.timedelta(days=20),
                       saksfrist=timezone.localdate() + datetime.timedelta(days=6))
    SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.TIL_GODKJENNING,
               onsket_mote=mote)
    client.force_login(godkjenner)
    html = client.get(reverse("godkjenning:start")).content.decode()
    assert str(mote) in html and "6 dager til saksfrist" in html


def test_a_change_a_moment_ago_reads_now_not_zero_minutes(client, saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler)
    client.force_login(saksbehandler)
    html = client.get(reverse("saker:sak", args=[sak.pk])).content.decode()
    assert "(nå nettopp)" in html and "0\xa0minutter" not in html
