import re

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


# The admin in Norwegian: Django 5.2's nb catalog lacks these, so locale/nb (LOCALE_PATHS, first) adds them.
ENGELSK = [
    "Show counts", "Hide counts", "Reset password", "Set password", "Add link", "Skip to main content",
    "Toggle theme", "Start typing to filter", "View selected", "Sidebar", "Select this object",
    "Password-based authentication", "Please correct the error", "After you’ve created a user", ">Enabled<",
    ">Disabled<", "Can add ", "Can change ", "Can delete ", "Can view ", "Legg til ny ",
]


@pytest.fixture
def admin_med_saker(admin_client):
    from saker.demo import lag_saker

    lag_saker()
    return admin_client


def sider_folk_bruker() -> list[str]:
    from django.contrib.auth.models import Group

    from overgang.organisasjon.models import Bruker, Kommunalomrade, Mote, Utvalg
    from overgang.varsler.models import Varsel
    from saker.models import Sak

    sara = Bruker.objects.get(username="sara")
    sider = [reverse("admin:index")]
    for model, obj in [(Mote, Mote.objects.first()), (Utvalg, Utvalg.objects.first()), (Bruker, sara),
                       (Group, Group.objects.first()), (Kommunalomrade, Kommunalomrade.objects.first()),
                       (Sak, Sak.objects.first()), (Varsel, Varsel.objects.first())]:
        info = model._meta.app_label, model._meta.model_name
        sider += [reverse("admin:{}_{}_changelist".format(*info)), reverse("admin:{}_{}_change".format(*info),
                                                                            args=[obj.pk])]
        if model not in (Sak, Varsel):
            sider.append(reverse("admin:{}_{}_add".format(*info)))
    return [*sider, reverse("admin:auth_user_password_change", args=[sara.pk])]


def test_the_admin_pages_people_use_show_no_english(admin_med_saker):
    for side in sider_folk_bruker():
        html = admin_med_saker.get(side).content.decode()
        funnet = [e for e in ENGELSK if e in html]
        assert not funnet, f"{side}: {funnet}"


def test_the_admin_says_it_in_norwegian(admin_med_saker):
    from overgang.organisasjon.models import Bruker

    moter = admin_med_saker.get(reverse("admin:organisasjon_mote_changelist")).content.decode()
    # "Legg til ny møte" was wrong (møte is neuter); one wording fits every model.
    assert "Legg til møte" in moter
    assert "Vis antall" in moter
    assert "Hopp til innholdet" in moter
    bruker = admin_med_saker.get(reverse("admin:organisasjon_bruker_change",
                                         args=[Bruker.objects.get(username="sara").pk])).content.decode()
    assert "Bytt passord" in bruker
    rolle = admin_med_saker.get(reverse("admin:auth_group_add")).content.decode()
    assert "Kan legge til møte" in rolle and "Kan se sak" in rolle


def test_the_two_list_chooser_speaks_norwegian(admin_client):
    katalog = admin_client.get(reverse("admin:jsi18n")).content.decode()
    # The catalog maps Django's English text (the key) to ours: "Choose grupper by selecting them" was shown.
    assert '"Velg %s ved \\u00e5 merke dem og trykke p\\u00e5 pilen \\u00abVelg\\u00bb."' in katalog


def test_a_saved_meeting_is_confirmed_without_a_wrong_gender(admin_client):
    from overgang.organisasjon.models import Utvalg

    utvalg = Utvalg.objects.get(kode="KST")
    svar = admin_client.post(reverse("admin:organisasjon_mote_add"), {
        "utvalg": utvalg.pk, "tidspunkt_0": "03.12.2030", "tidspunkt_1": "18:00", "sted": "Rådhuset",
        "saksfrist": "19.11.2030", "status": "planlagt"}, follow=True)
    tekst = re.sub(r"<[^>]+>", "", svar.content.decode())
    assert "Lagt til: møte «KST 03.12.2030»." in tekst


def test_the_compiled_catalog_matches_its_source(tmp_path):
    """The .mo files are committed (a fresh machine needs no gettext); `make locale` remakes them from the .po."""
    import gettext
    import subprocess
    from pathlib import Path

    from django.conf import settings

    from tests.tjenester import krev_msgfmt

    msgfmt = krev_msgfmt()
    mappe = Path(settings.BASE_DIR) / "locale" / "nb" / "LC_MESSAGES"
    for domene in ["django", "djangojs"]:
        ny = tmp_path / f"{domene}.mo"
        subprocess.run([msgfmt, "--check", "-o", ny, mappe / f"{domene}.po"], check=True, capture_output=True)
        with open(ny, "rb") as a, open(mappe / f"{domene}.mo", "rb") as b:
            assert gettext.GNUTranslations(a)._catalog == gettext.GNUTranslations(b)._catalog, (
                f"locale/nb/LC_MESSAGES/{domene}.mo er eldre enn .po-filen: kjør make locale")
