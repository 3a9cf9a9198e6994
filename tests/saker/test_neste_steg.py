"""Every page says what to do next: the case page's "neste steg" card names the next action in every state,
for the person looking; the status tags differ by state; a GET on a POST-only address gets a Norwegian page."""

import pytest
from django.urls import reverse

from saker.models import STATUS_TAG, Forsendelse, Part, Sak
from tests.factories import SakFactory, VedtakFactory

pytestmark = pytest.mark.django_db

FOR_SAKSBEHANDLEREN = {
    Sak.Status.UTKAST: "Send saken til godkjenning",
    Sak.Status.TIL_GODKJENNING: "Venter på godkjenning",
    Sak.Status.RETURNERT: "Rett saken og send den på nytt",
    Sak.Status.GODKJENT: "Send saken til politisk sekretariat",
    Sak.Status.SENDT_SEKRETARIAT: "Hos politisk sekretariat",
    Sak.Status.VEDTATT: "Legg inn partene",
    Sak.Status.TRUKKET: "Trukket",
    Sak.Status.AVSLUTTET: "Avsluttet",
}


def kort(html: str) -> str:
    start = html.index("data-neste-steg")
    return html[start:html.index("</section>", start)]


@pytest.mark.parametrize("status", list(Sak.Status))
def test_the_card_names_the_next_action_in_every_state(client, saksbehandler, godkjenner, status):
    if status in (Sak.Status.VEDTATT, Sak.Status.AVSLUTTET):
        sak = VedtakFactory(sak__saksbehandler=saksbehandler, sak__godkjenner=godkjenner).sak
        Sak.objects.filter(pk=sak.pk).update(status=status)
    else:
        sak = SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=status)
    client.force_login(saksbehandler)
    assert FOR_SAKSBEHANDLEREN[status] in kort(client.get(reverse("saker:sak", args=[sak.pk])).content.decode())


def test_the_approver_is_told_to_decide(client, saksbehandler, godkjenner):
    sak = SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.TIL_GODKJENNING)
    client.force_login(godkjenner)
    html = kort(client.get(reverse("saker:sak", args=[sak.pk])).content.decode())
    assert "Godkjenn eller returner" in html and reverse("godkjenning:sak", args=[sak.pk]) in html


def test_after_the_vedtak_the_steps_count_parties_letters_and_shipments(client, saksbehandler):
    sak = VedtakFactory(sak__saksbehandler=saksbehandler).sak
    for navn in ("Kari Nordmann", "Fet IL"):
        part = Part.objects.create(sak=sak, navn=navn, adresse="Gate 1", postnummer="2000", poststed="Lillestrøm")
        Forsendelse.objects.create(part=part)
    client.force_login(saksbehandler)
    html = kort(client.get(reverse("saker:sak", args=[sak.pk])).content.decode())
    assert "Lag vedtaksbrevet" in html
    assert "2 registrert" in html and "0 av 2 laget" in html and "0 av 2 sendt" in html


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
    assert str(mote) in html and "6 dager igjen" in html


def test_a_change_a_moment_ago_reads_now_not_zero_minutes(client, saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler)
    client.force_login(saksbehandler)
    html = client.get(reverse("saker:sak", args=[sak.pk])).content.decode()
    assert "(nå nettopp)" in html and "0\xa0minutter" not in html
