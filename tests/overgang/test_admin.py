import pytest
from django.contrib import admin
from django.urls import reverse

from overgang.organisasjon.demo import lag_organisasjon

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    lag_organisasjon()
    from overgang.organisasjon.models import Bruker

    client.force_login(Bruker.objects.get(username="admin"))
    return client


def test_every_admin_page_loads(admin_client):
    sjekket = 0
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        changelist = admin_client.get(reverse("admin:{}_{}_changelist".format(*info)), {"q": "ø"})
        assert changelist.status_code == 200, info
        if model_admin.has_add_permission(changelist.wsgi_request):
            assert admin_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200, info
        obj = model.objects.first()
        if obj is not None:
            assert admin_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk])).status_code == 200, info
        sjekket += 1
    assert sjekket >= 7


def test_admin_uses_norwegian_names(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    for navn in ["Kommunalområder", "Møter", "Utvalg", "Varsler", "Brukere"]:
        assert navn in html


def test_case_workers_cannot_reach_the_admin(client, saksbehandler):
    client.force_login(saksbehandler)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
