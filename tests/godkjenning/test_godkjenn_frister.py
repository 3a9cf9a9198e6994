"""The approver picks the case's first meeting among those it can still reach: a meeting whose saksfrist has
passed is not offered, unless the officer wished for it (then it stays, labelled as late)."""

import datetime

from django.urls import reverse
from django.utils import timezone

from saker.models import Sak
from tests.factories import MoteFactory, SakFactory, UtvalgFactory


def test_the_approver_is_not_offered_meetings_past_their_saksfrist(client, saksbehandler, godkjenner):
    idag = timezone.localdate()
    utvalg = UtvalgFactory()
    for_sent = MoteFactory(utvalg=utvalg, saksfrist=idag - datetime.timedelta(days=1))
    apen = MoteFactory(utvalg=utvalg, saksfrist=idag + datetime.timedelta(days=3))
    sak = SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.TIL_GODKJENNING,
                     rute=[utvalg])
    client.force_login(godkjenner)
    html = client.get(reverse("godkjenning:sak", args=[sak.pk])).content.decode()
    assert apen.med_saksfrist in html
    assert for_sent.med_saksfrist not in html


def test_the_officers_late_wish_stays_offered_to_the_approver(client, saksbehandler, godkjenner):
    utvalg = UtvalgFactory()
    for_sent = MoteFactory(utvalg=utvalg, saksfrist=timezone.localdate() - datetime.timedelta(days=1))
    sak = SakFactory(saksbehandler=saksbehandler, godkjenner=godkjenner, status=Sak.Status.TIL_GODKJENNING,
                     rute=[utvalg], onsket_mote=for_sent)
    client.force_login(godkjenner)
    html = client.get(reverse("godkjenning:sak", args=[sak.pk])).content.decode()
    assert f'value="{for_sent.pk}" selected' in html and "saksfristen er passert" in html
