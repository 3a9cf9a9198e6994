"""The access matrix: every URL pattern the resolver knows, opened by an anonymous visitor and by each role, on
the case officer's own case, another sector's case and an exempt case, with GET and POST, is answered as one
declared table says. A URL with no row in the table fails the test, so a new view cannot go unchecked.

Each request runs in a savepoint that is rolled back, so a POST that is allowed changes nothing for the next
cell. A cell's answer is one of: ok (the view did its work or refused the input: 2xx, 400, 409, 413, 503, or a
redirect that is not to a login page), login (sent to log in), 403, 404 or 405.
"""

from dataclasses import dataclass

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from godkjenning.models import Motelistepunkt
from overgang.organisasjon.models import Bruker
from saker.models import Dokument, Part, Sak
from sekretariat.models import Sakslistepunkt
from tests.factories import BrukerFactory, KommunalomradeFactory, MoteFactory, UtvalgFactory, VedtakFactory, dag

pytestmark = pytest.mark.django_db

ROLLER = ("anonym", "saksbehandler", "annen_saksbehandler", "godkjenner", "annen_godkjenner", "sekretariat",
          "administrator")
OBJEKTER = ("egen", "annen", "unntatt")

# Who may open each kind of page:
#   offentlig      anyone, signed in or not
#   innlogget      any signed-in user
#   medarbeider    any signed-in user with a role (their own absence page); staff without a role get 403
#   leser          whoever may see the case (saker.selectors.synlige_saker); others get 404
#   saksbehandler  the case's officer: other case officers do not see it (404); other roles get 403
#   godkjenner     an approver whose scope holds the case (404 outside it); other roles get 403
#   godkjennerrolle  any approver (the object is a meeting or the approver's own list); other roles get 403
#   sekretariat    the political secretariat; other roles get 403
#   (the admin: see ADMIN_UTENFOR and forventet_admin below)
#   moteleser      a meeting's PDFs: the secretariat and whoever may see a case on its agenda; others 404
#   status         the e-mail status page: the secretariat and staff; other signed-in users get 403
#   utlogging      logging out: anyone, then sent to the login page
#   innlogging     to and back from the municipality's identity provider: with none set up (as here), everyone is
#                  sent to the login page (tests/oidc/ signs in through a real provider)
HVEM = {
    "start": ("innlogget", "GET"),
    "om": ("innlogget", "GET"),
    "fravaer": ("medarbeider", "GET POST"),
    "fravaer_avslutt": ("medarbeider", "POST"),
    "login": ("offentlig", "GET POST"),
    "logout": ("utlogging", "POST"),
    "innlogging:start": ("innlogging", "GET"),
    "innlogging:callback": ("innlogging", "GET"),
    "innlogging:ingen_rolle": ("offentlig", "GET"),
    "innlogging:nodinngang": ("offentlig", "GET POST"),
    "helse": ("offentlig", "GET"),
    "varsler:status": ("status", "GET"),
    "varsler:valg": ("innlogget", "GET POST"),
    "saker:start": ("saksbehandlerrolle", "GET"),
    "saker:ny": ("saksbehandlerrolle", "GET POST"),
    "saker:sak": ("leser", "GET"),
    "saker:dokument": ("leser", "GET"),
    "saker:forhandsvisning": ("leser", "GET"),
    "saker:rediger": ("saksbehandler", "GET POST"),
    "saker:dokumenter": ("saksbehandler", "POST"),
    "saker:send_til_godkjenning": ("saksbehandler", "POST"),
    "saker:send_til_sekretariat": ("saksbehandler", "POST"),
    "saker:parter": ("saksbehandler", "GET POST"),
    "saker:part_rediger": ("saksbehandler", "GET POST"),
    "saker:part_fjern": ("saksbehandler", "POST"),
    "saker:vedtaksbrev_lag": ("saksbehandler", "POST"),
    "saker:vedtaksbrev_last_opp": ("saksbehandler", "POST"),
    "saker:forsendelse_registrer": ("saksbehandler", "POST"),
    "saker:forsendelse_send": ("saksbehandler", "POST"),
    "saker:dokument_pdf": ("leser", "GET"),
    "saker:dokument_pdf_bestill": ("saksbehandler", "POST"),
    "saker:forsendelse_forklar": ("saksbehandler", "POST"),
    "saker:forsendelser_status": ("leser", "GET"),
    "godkjenning:start": ("godkjennerrolle", "GET"),
    "godkjenning:sak": ("godkjenner", "GET"),
    "godkjenning:godkjenn": ("godkjenner", "POST"),
    "godkjenning:returner": ("godkjenner", "POST"),
    "godkjenning:motelister": ("godkjennerrolle", "GET"),
    "godkjenning:liste_legg_til": ("godkjennerrolle", "POST"),
    "godkjenning:liste_flytt": ("godkjenner", "POST"),
    "godkjenning:liste_fjern": ("godkjenner", "POST"),
    "sekretariat:start": ("sekretariat", "GET"),
    "sekretariat:innkomne": ("sekretariat", "GET"),
    "sekretariat:registrer": ("sekretariat", "POST"),
    "sekretariat:moter": ("sekretariat", "GET"),
    "sekretariat:mote": ("sekretariat", "GET"),
    "sekretariat:kontroll": ("sekretariat", "GET"),
    "sekretariat:paminn": ("sekretariat", "POST"),
    "sekretariat:mote_avhold": ("sekretariat", "POST"),
    "sekretariat:mote_avlys": ("sekretariat", "POST"),
    "sekretariat:utfall_registrer": ("sekretariat", "POST"),
    "sekretariat:saksliste_legg_til": ("sekretariat", "POST"),
    "sekretariat:saksliste_flytt": ("sekretariat", "POST"),
    "sekretariat:saksliste_fjern": ("sekretariat", "POST"),
    "sekretariat:saksliste_docx": ("sekretariat", "GET"),
    "sekretariat:saksliste_csv": ("sekretariat", "GET"),
    "sekretariat:saksliste_pdf": ("moteleser", "GET"),
    "sekretariat:motebok_pdf": ("moteleser", "GET"),
    "sekretariat:motepdf_status": ("moteleser", "GET"),
    "sekretariat:motepdf_bestill": ("sekretariat", "POST"),
}
# The admin is for staff: anyone else is sent to its login page. What staff may do there is declared by each
# ModelAdmin's has_*_permission (read-only logs and outboxes refuse adding, changing or deleting with 403).
# Django's own sign-in and support pages of the admin are not about our data and are left out by name.
ADMIN_UTENFOR = {"admin:login", "admin:logout", "admin:password_change", "admin:password_change_done",
                 "admin:jsi18n", "admin:autocomplete"}


def forventet_admin(navn: str, rolle: str, metode: str, admin_bruker) -> str:
    if rolle != "administrator":
        return "login"
    from django.contrib import admin
    from django.test import RequestFactory

    handling = navn.rpartition("_")[2]
    modell = next((m for m in admin.site._registry if navn.startswith(f"admin:{m._meta.app_label}_"
                                                                      f"{m._meta.model_name}_")), None)
    if modell is None:
        return "ok"
    modelladmin = admin.site._registry[modell]
    request = RequestFactory().get("/")
    request.user = admin_bruker
    lov = {"add": modelladmin.has_add_permission(request),
           "delete": modelladmin.has_delete_permission(request),
           "change": modelladmin.has_change_permission(request) if metode == "POST"
           else modelladmin.has_view_or_change_permission(request)}
    return "ok" if lov.get(handling, True) else "403"


# Who sees each case (VEDTATT: with the secretariat, decided): its officer, the approvers of its sector and
# the secretariat.
SYNLIG = {
    "egen": {"saksbehandler", "godkjenner", "sekretariat"},
    "unntatt": {"saksbehandler", "godkjenner", "sekretariat"},
    "annen": {"annen_saksbehandler", "annen_godkjenner", "sekretariat"},
}
ROLLE_AV = {"saksbehandler": "saksbehandler", "annen_saksbehandler": "saksbehandler", "godkjenner": "godkjenner",
            "annen_godkjenner": "godkjenner", "sekretariat": "sekretariat", "administrator": ""}


def forventet(hvem: str, rolle: str, objekt: str | None, metode: str, metoder: str) -> str:
    if metode not in metoder.split():
        return "405"
    if hvem == "offentlig":
        return "ok"
    if hvem in ("utlogging", "innlogging"):  # signed out (or already out), and sent to log in
        return "login"
    if rolle == "anonym":
        return "login"
    if hvem == "innlogget":
        return "ok"
    if hvem == "medarbeider":
        return "ok" if ROLLE_AV[rolle] else "403"
    if hvem == "moteleser":  # the secretariat, and whoever sees a case on the agenda: here all but the admin
        return "404" if rolle == "administrator" else "ok"
    if hvem == "status":
        return "ok" if rolle in ("sekretariat", "administrator") else "403"
    synlig = objekt is None or rolle in SYNLIG[objekt]
    if hvem == "leser":
        return "ok" if synlig else "404"
    rollenavn = {"saksbehandler": "saksbehandler", "saksbehandlerrolle": "saksbehandler",
                 "godkjenner": "godkjenner", "godkjennerrolle": "godkjenner", "sekretariat": "sekretariat"}[hvem]
    if ROLLE_AV[rolle] != rollenavn:
        return "403"
    return "ok" if synlig else "404"


def svar(response) -> str:
    kode = response.status_code
    if kode in (403, 404, 405):
        return str(kode)
    if kode in (301, 302) and ("/logg-inn/" in response.url or "/admin/login/" in response.url):
        return "login"
    # 503: the health endpoint answered that something is down, which is not an access decision.
    if kode in (200, 201, 204, 301, 302, 400, 409, 413, 503):
        return "ok"
    return str(kode)


@dataclass
class Verden:
    brukere: dict[str, Bruker | None]
    saker: dict[str, Sak]
    mote_pk: int


@pytest.fixture
def verden() -> Verden:
    omrade, annet = KommunalomradeFactory(navn="Oppvekst"), KommunalomradeFactory(navn="Helse")
    brukere = {
        "anonym": None,
        "saksbehandler": BrukerFactory.saksbehandler(username="sara", kommunalomrade=omrade),
        "annen_saksbehandler": BrukerFactory.saksbehandler(username="ola", kommunalomrade=annet),
        "godkjenner": BrukerFactory.godkjenner(username="kari", kommunalomrade=omrade),
        "annen_godkjenner": BrukerFactory.godkjenner(username="anne", kommunalomrade=annet),
        "sekretariat": BrukerFactory.sekretariat(username="siri"),
        "administrator": BrukerFactory(username="admin", is_staff=True, is_superuser=True),
    }
    fsk = UtvalgFactory(navn="Formannskapet", kode="FSK")
    mote = MoteFactory(utvalg=fsk, tidspunkt=dag(20))
    saker = {}
    for navn, eier, ekstra in (("egen", "saksbehandler", {}), ("annen", "annen_saksbehandler", {}),
                               ("unntatt", "saksbehandler", {"unntatt_offentlighet": True, "hjemmel": "offl. § 13"})):
        sak = VedtakFactory(sak__saksbehandler=brukere[eier], sak__rute=[fsk], **{f"sak__{k}": v for k, v in
                                                                                 ekstra.items()}).sak
        Part.objects.create(sak=sak, navn="Kari Nordmann", adresse="Storgata 1", postnummer="2000",
                            poststed="Lillestrøm")
        Motelistepunkt.objects.create(sak=sak, mote=mote, lagt_til_av=brukere["godkjenner"])
        Sakslistepunkt.objects.create(mote=mote, sak=sak, utvalg=fsk, aar=timezone.localtime(mote.tidspunkt).year,
                                      nummer=len(saker) + 1, rekkefolge=len(saker) + 1,
                                      lagt_til_av=brukere["sekretariat"])
        saker[navn] = sak
    return Verden(brukere=brukere, saker=saker, mote_pk=mote.pk)


def monstre(resolver: URLResolver | None = None, prefiks: str = "") -> list[tuple[str, list[str]]]:
    """Every named URL pattern as (namespace:name, its keyword arguments)."""
    resolver = resolver or get_resolver()
    funnet = []
    for monster in resolver.url_patterns:
        if isinstance(monster, URLResolver):
            ns = f"{prefiks}{monster.namespace}:" if monster.namespace else prefiks
            funnet += monstre(monster, ns)
        elif isinstance(monster, URLPattern) and monster.name:
            funnet.append((prefiks + monster.name, list(monster.pattern.regex.groupindex)))
    return funnet


def kwargs_for(navn: str, argumenter: list[str], verden: Verden, objekt: str | None) -> dict | None:
    """The keyword arguments of a URL for one case (or None if the pattern is not about a case)."""
    sak = verden.saker[objekt] if objekt else None
    verdier = {}
    for arg in argumenter:
        if navn.startswith("admin:"):
            if arg == "app_label":
                verdier[arg] = "saker"
            elif arg == "object_id" and navn == "admin:view_on_site":
                verdier[arg] = str(verden.saker["egen"].pk)
            elif arg == "object_id":
                app, _, modell = navn.removeprefix("admin:").rpartition("_")[0].partition("_")
                ct = ContentType.objects.get(app_label=app, model=modell)
                forste = ct.model_class()._default_manager.order_by("pk").first()
                verdier[arg] = str(forste.pk) if forste else "1"
            elif arg == "content_type_id":
                verdier[arg] = ContentType.objects.get_for_model(Sak).pk
            elif arg == "id":
                verdier[arg] = verden.brukere["administrator"].pk
            else:
                raise AssertionError(f"{navn}: ukjent argument {arg} i adminens URL")
        elif arg == "pk" and navn in ("godkjenning:liste_flytt", "godkjenning:liste_fjern"):
            verdier[arg] = Motelistepunkt.objects.get(sak=sak).pk
        elif arg == "pk" and navn in ("sekretariat:utfall_registrer", "sekretariat:saksliste_flytt",
                                      "sekretariat:saksliste_fjern"):
            verdier[arg] = Sakslistepunkt.objects.get(sak=sak).pk
        elif arg == "pk" and navn.startswith("sekretariat:") and navn != "sekretariat:registrer":
            verdier[arg] = verden.mote_pk
        elif arg == "sak_pk":
            verdier[arg] = sak.pk
        elif arg == "mote_pk":
            verdier[arg] = verden.mote_pk
        elif arg == "pk":
            verdier[arg] = sak.pk
        elif arg == "dokument_pk":
            verdier[arg] = Dokument.objects.get(sak=sak, rolle=Dokument.Rolle.HOVEDDOKUMENT).pk
        elif arg == "part_pk":
            verdier[arg] = Part.objects.get(sak=sak).pk
        else:
            raise AssertionError(f"{navn}: ukjent argument {arg}")
    return verdier


SAKSARGUMENTER = {"pk", "dokument_pk", "part_pk"}


def test_every_url_answers_every_role_as_the_table_says(client, verden, settings):
    settings.UTSENDING_BACKEND = "manuell"
    celler, galt = 0, []
    for navn, argumenter in monstre():
        if navn in ADMIN_UTENFOR:
            continue
        if navn.startswith("admin:"):
            hvem, metoder = "stab", "GET POST"
        else:
            assert navn in HVEM, f"{navn} har ingen rad i tilgangstabellen (tests/test_tilgang.py)"
            hvem, metoder = HVEM[navn]
        om_sak = "sak_pk" in argumenter or (
            not navn.startswith("admin:") and bool(SAKSARGUMENTER & set(argumenter))
            and not (navn.startswith("sekretariat:") and navn != "sekretariat:registrer"))
        om_punkt = navn in ("godkjenning:liste_flytt", "godkjenning:liste_fjern", "sekretariat:utfall_registrer",
                            "sekretariat:saksliste_flytt", "sekretariat:saksliste_fjern")
        objekter = OBJEKTER if (om_sak or om_punkt) else (None,)
        for objekt in objekter:
            url = reverse(navn, kwargs=kwargs_for(navn, argumenter, verden, objekt))
            for rolle in ROLLER:
                for metode in ("GET", "POST"):
                    client.logout()
                    if verden.brukere[rolle] is not None:
                        client.force_login(verden.brukere[rolle])
                    with transaction.atomic():
                        response = client.get(url) if metode == "GET" else client.post(url, {})
                        transaction.set_rollback(True)
                    celler += 1
                    vent = (forventet_admin(navn, rolle, metode, verden.brukere["administrator"]) if hvem == "stab"
                            else forventet(hvem, rolle, objekt if om_sak else None, metode, metoder))
                    if svar(response) != vent:
                        galt.append(f"{metode} {url} ({navn}) som {rolle} på {objekt}: {response.status_code}, "
                                    f"ventet {vent}")
    print(f"\nTilgangsmatrisen: {celler} celler (URL × rolle × objekt × metode) sjekket, {len(galt)} feil.")
    assert not galt, "\n".join(galt[:40]) + f"\n… {len(galt)} i alt"
