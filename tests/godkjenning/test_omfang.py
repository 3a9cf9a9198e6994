"""The approver's scope is defined once (saker.selectors.godkjenner_omfang): who sees a case in the inbox, who
may open it, approve it and keep its lists all agree."""

import pytest
from django.urls import reverse

from godkjenning.selectors import listesaker
from saker.models import Sak
from saker.selectors import kan_godkjenne, synlige_saker, venter_pa
from tests.factories import BrukerFactory, SakFactory, UtvalgFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sendt_sak(saksbehandler, godkjenner):
    return SakFactory(saksbehandler=saksbehandler, status=Sak.Status.TIL_GODKJENNING, godkjenner=godkjenner,
                      tittel="Skolestruktur på Fet")


def test_a_director_who_left_the_sector_neither_sees_the_case_in_the_inbox_nor_may_act_on_it(
        client, godkjenner, sendt_sak, omrade):
    # The case was sent to her by name; then she moved to another sector.
    omrade.godkjennere.remove(godkjenner)
    client.force_login(godkjenner)

    assert "Skolestruktur på Fet" not in client.get(reverse("godkjenning:start")).content.decode()
    assert client.get(reverse("godkjenning:sak", args=[sendt_sak.pk])).status_code == 404
    assert client.get(reverse("saker:sak", args=[sendt_sak.pk])).status_code == 404
    response = client.post(reverse("godkjenning:godkjenn", args=[sendt_sak.pk]),
                           {"utvalg_1": UtvalgFactory().pk})
    assert response.status_code == 404
    sendt_sak.refresh_from_db()
    assert sendt_sak.status == Sak.Status.TIL_GODKJENNING


def test_inbox_visibility_lists_and_approval_agree_for_every_approver(godkjenner, sendt_sak, omrade, annet_omrade):
    radmann = BrukerFactory.godkjenner(username="rolf", er_radmann=True)
    annen = BrukerFactory.godkjenner(username="anne", kommunalomrade=annet_omrade)
    tidligere = BrukerFactory.godkjenner(username="tor", kommunalomrade=omrade)
    omrade.godkjennere.remove(tidligere)
    for bruker, forventet in ((godkjenner, True), (radmann, True), (annen, False), (tidligere, False)):
        svar = {
            "innboks": venter_pa(bruker).filter(pk=sendt_sak.pk).exists(),
            "synlig": synlige_saker(bruker).filter(pk=sendt_sak.pk).exists(),
            "lister": listesaker(bruker).filter(pk=sendt_sak.pk).exists(),
            "godkjenne": kan_godkjenne(bruker, sendt_sak),
        }
        assert svar == dict.fromkeys(svar, forventet), bruker.username
