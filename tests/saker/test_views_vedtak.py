"""The case page after the vedtak: the officer's next steps lead it, every letter is listed once, dispatch is a
table with one open action per party, a save returns to that party's row, and the page says how many days are
left to the saksfrist before the case reaches the secretariat."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from saker.models import Dokument, Forsendelse, Part, Sak
from tests.factories import MoteFactory, SakFactory, VedtakFactory

pytestmark = pytest.mark.django_db


def lag_part(sak, navn: str, *, brev: bool = True) -> Part:
    part = Part.objects.create(sak=sak, navn=navn, adresse="Gate 1", postnummer="2000", poststed="Lillestrøm")
    Forsendelse.objects.create(part=part)
    if brev:
        dokument = Dokument(sak=sak, rolle=Dokument.Rolle.VEDTAKSBREV, part=part, filnavn=f"Vedtaksbrev {navn}.pdf",
                            mime="application/pdf", storrelse=3, lastet_opp_av=sak.saksbehandler)
        dokument.fil.save("brev.pdf", ContentFile(b"%PD"), save=False)
        dokument.save()
    return part


@pytest.fixture
def vedtatt(saksbehandler, settings):
    settings.UTSENDING_BACKEND = "manuell"
    return VedtakFactory(sak__saksbehandler=saksbehandler).sak


def test_every_letter_is_listed_once(client, saksbehandler, vedtatt):
    for navn in ("Kari Nordmann", "Fet IL", "Sørum AS"):
        lag_part(vedtatt, navn)
    client.force_login(saksbehandler)
    html = client.get(vedtatt.get_absolute_url()).content.decode()
    for navn in ("Kari Nordmann", "Fet IL", "Sørum AS"):
        assert html.count(f"Vedtaksbrev {navn}.pdf") == 1


def test_dispatch_is_a_table_with_an_open_form_per_party_not_a_collapsed_details(client, saksbehandler, vedtatt):
    parter = [lag_part(vedtatt, navn) for navn in ("Kari Nordmann", "Fet IL")]
    uten_brev = lag_part(vedtatt, "Uten brev AS", brev=False)
    client.force_login(saksbehandler)
    html = client.get(vedtatt.get_absolute_url()).content.decode()
    start = html.index("data-utsending")
    tabell = html[start:html.index("</table>", start)]

    def rad(part):
        rad = tabell[tabell.index(f'id="part-{part.pk}"'):]
        return rad[:rad.index("</tr>")]

    for part in parter:
        skjema = rad(part)[rad(part).index(reverse("saker:forsendelse_registrer", args=[vedtatt.pk, part.pk])):]
        # The dispatch form stands open in the party's row, not in a <details> that closes after each save.
        assert "<details" not in rad(part)[rad(part).rindex("</details>"):]
        assert "Registrer som sendt" in skjema
    assert ">Lag brevet<" in rad(uten_brev)
    assert reverse("saker:forsendelse_registrer", args=[vedtatt.pk, uten_brev.pk]) not in tabell


def test_after_a_recorded_dispatch_the_officer_returns_to_that_partys_row(client, saksbehandler, vedtatt):
    part = lag_part(vedtatt, "Kari Nordmann")
    lag_part(vedtatt, "Fet IL")
    client.force_login(saksbehandler)
    svar = client.post(reverse("saker:forsendelse_registrer", args=[vedtatt.pk, part.pk]),
                       {"forsendelse_id": "a-1", "dato": timezone.localdate().isoformat()})
    assert svar["Location"] == f"{vedtatt.get_absolute_url()}#part-{part.pk}"
    html = client.get(svar["Location"]).content.decode()
    assert "1 av 2 sendt" in html
    # A refused form returns to the row too, with its message, and records nothing.
    svar = client.post(reverse("saker:forsendelse_registrer", args=[vedtatt.pk, part.pk]), {"forsendelse_id": ""})
    assert svar["Location"].endswith(f"#part-{part.pk}")


def test_the_case_page_is_shorter_after_the_vedtak(client, saksbehandler, vedtatt):
    """Issue 13 measured 2,800 px for a case after the vedtak; the page is now one table row per party and
    action, with no repeated letters: it stays under a fixed number of elements for three parties."""
    for navn in ("Kari Nordmann", "Fet IL", "Sørum AS"):
        lag_part(vedtatt, navn)
    client.force_login(saksbehandler)
    html = client.get(vedtatt.get_absolute_url()).content.decode()
    hoved = html[html.index("<main"):html.index("</main>")]
    assert hoved.count("<details") <= 3 + 2  # per party "Endre brevet"; "Om saken" and earlier documents
    assert hoved.count("<table") == 1  # one row per party: its letter, its dispatch and what to do


@pytest.mark.parametrize("dager, tekst", [(6, "6 dager til saksfrist"), (0, "saksfrist i dag"),
                                          (-1, "frist passert")])
def test_the_case_page_says_the_days_to_the_saksfrist(client, saksbehandler, dager, tekst):
    mote = MoteFactory(tidspunkt=timezone.now() + datetime.timedelta(days=20),
                       saksfrist=timezone.localdate() + datetime.timedelta(days=dager))
    sak = SakFactory(saksbehandler=saksbehandler, onsket_mote=mote, status=Sak.Status.GODKJENT)
    client.force_login(saksbehandler)
    html = client.get(sak.get_absolute_url()).content.decode()
    start = html.index("data-status-linje")
    linje = html[start:html.index("</p>", start)]
    assert tekst in linje and str(mote) in linje and "Hos: <strong>Deg</strong>" in linje


def test_the_adding_of_parties_leads_on_to_the_letters(client, saksbehandler, vedtatt):
    lag_part(vedtatt, "Kari Nordmann", brev=False)
    client.force_login(saksbehandler)
    html = client.get(reverse("saker:parter", args=[vedtatt.pk])).content.decode()
    # no letter yet: "Ferdig" makes them (tests/saker/test_parter.py follows the press)
    assert f'action="{reverse("saker:vedtaksbrev_lag", args=[vedtatt.pk])}"' in html
    assert "Ferdig: lag vedtaksbrevene" in html
