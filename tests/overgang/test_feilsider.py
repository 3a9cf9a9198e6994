"""Error pages in Norwegian, each with a way back."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_form_refused_by_the_csrf_check_says_so_in_norwegian(saksbehandler):
    client = Client(enforce_csrf_checks=True)
    client.force_login(saksbehandler)
    svar = client.post(reverse("logout"))
    html = svar.content.decode()
    assert svar.status_code == 403
    assert "Skjemaet ble ikke sendt" in html and "Ingenting er lagret" in html
    assert f'href="{reverse("start")}"' in html
    assert "CSRF verification failed" not in html


def test_an_unknown_address_gets_a_norwegian_page_with_a_way_back(client, saksbehandler):
    client.force_login(saksbehandler)
    svar = client.get("/finnes-ikke/")
    assert svar.status_code == 404
    assert "Siden finnes ikke" in svar.content.decode()
    assert "Til startsiden" in svar.content.decode()


def test_the_server_error_page_stands_alone_and_in_norwegian(client, settings):
    from django.template import loader

    html = loader.get_template("500.html").render({})
    assert "Noe gikk galt" in html and "Til startsiden" in html
    assert 'lang="nb"' in html
