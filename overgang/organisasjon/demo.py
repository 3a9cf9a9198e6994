"""Demo organisation: the three old municipalities and the new, archive systems, sectors, committees,
coming meetings and one user per role. Every function is idempotent: run twice, nothing is made twice."""

import datetime

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .models import Arkivsystem, Bruker, Kommunalomrade, Kommune, Mote, Rolle, Utvalg

KOMMUNER = [
    ("Skedsmo kommune", "skedsmo", "0231", False),
    ("Fet kommune", "fet", "0227", False),
    ("Sørum kommune", "sorum", "0226", False),
    ("Lillestrøm kommune", "lillestrom", "3030", True),
]
ARKIVSYSTEMER = ["ePhorte", "Elements", "P360"]
KOMMUNALOMRADER = ["Oppvekst og utdanning", "Helse og omsorg", "Samfunnsutvikling", "Organisasjon og økonomi"]
# (navn, kode, saksfrist in days, weekday of meetings (0 = Monday), first meeting in weeks from now)
UTVALG = [
    ("Kommunestyret", "KST", 14, 2, 3),
    ("Formannskapet", "FSK", 10, 2, 2),
    ("Hovedutvalg for oppvekst og utdanning", "HOU", 10, 1, 1),
    ("Hovedutvalg for helse og omsorg", "HHO", 10, 3, 1),
    ("Hovedutvalg for samfunnsutvikling", "HSU", 10, 0, 2),
]
MOTER_PER_UTVALG = 4
DEMO_PASSORD = "overgang-demo"
# (username, first, last, role, municipality code, archive system, sector index or None, er_radmann)
BRUKERE = [
    ("sara", "Sara", "Saksbehandler", Rolle.SAKSBEHANDLER, "skedsmo", "ePhorte", 0, False),
    ("tore", "Tore", "Teknisk", Rolle.SAKSBEHANDLER, "fet", "Elements", 2, False),
    ("kari", "Kari", "Kommunaldirektør", Rolle.GODKJENNER, "lillestrom", "P360", 0, False),
    ("rolf", "Rolf", "Rådmann", Rolle.GODKJENNER, "lillestrom", "P360", None, True),
    ("siri", "Siri", "Sekretariat", Rolle.SEKRETARIAT, "lillestrom", "P360", None, False),
]


@transaction.atomic
def lag_organisasjon(*, passord: str = DEMO_PASSORD) -> list[Bruker]:
    kommuner = {}
    for navn, kode, nummer, er_ny in KOMMUNER:
        kommuner[kode], _ = Kommune.objects.get_or_create(
            kode=kode, defaults={"navn": navn, "kommunenummer": nummer, "er_ny": er_ny}
        )
    systemer = {navn: Arkivsystem.objects.get_or_create(navn=navn)[0] for navn in ARKIVSYSTEMER}
    omrader = [Kommunalomrade.objects.get_or_create(navn=navn)[0] for navn in KOMMUNALOMRADER]
    for navn, kode, frist, _, _ in UTVALG:
        Utvalg.objects.get_or_create(kode=kode, defaults={"navn": navn, "saksfrist_dager": frist})
    lag_moter()

    brukere = []
    for username, first, last, rolle, kommune, system, omrade, radmann in BRUKERE:
        bruker, _ = Bruker.objects.get_or_create(username=username, defaults={
            "first_name": first, "last_name": last, "email": f"{username}@lillestrom.kommune.no",
            "kommune": kommuner[kommune], "arkivsystem": systemer[system],
            "kommunalomrade": omrader[omrade] if omrade is not None else None, "er_radmann": radmann,
        })
        bruker.set_password(passord)
        bruker.save(update_fields=["password"])
        bruker.groups.add(Group.objects.get_or_create(name=rolle)[0])
        if rolle == Rolle.GODKJENNER and omrade is not None:
            omrader[omrade].godkjennere.add(bruker)
        brukere.append(bruker)
    admin, _ = Bruker.objects.get_or_create(username="admin", defaults={
        "first_name": "Ada", "last_name": "Administrator", "email": "admin@lillestrom.kommune.no",
        "is_staff": True, "is_superuser": True,
    })
    admin.set_password(passord)
    admin.save(update_fields=["password"])
    brukere.append(admin)
    return brukere


def lag_moter(*, antall: int = MOTER_PER_UTVALG) -> None:
    """Top up each committee to `antall` coming meetings, every four weeks at 18:00 on its weekday."""
    idag = timezone.localdate()
    for _, kode, _, ukedag, forste_uke in UTVALG:
        utvalg = Utvalg.objects.get(kode=kode)
        kommende = list(Mote.objects.filter(utvalg=utvalg, tidspunkt__gte=timezone.now()).order_by("tidspunkt"))
        if kommende:
            dato = timezone.localtime(kommende[-1].tidspunkt).date() + datetime.timedelta(weeks=4)
        else:
            dato = idag + datetime.timedelta(weeks=forste_uke)
            dato += datetime.timedelta(days=(ukedag - dato.weekday()) % 7)
        for _ in range(antall - len(kommende)):
            tidspunkt = timezone.make_aware(datetime.datetime.combine(dato, datetime.time(18, 0)))
            Mote.objects.get_or_create(utvalg=utvalg, tidspunkt=tidspunkt, defaults={
                "sted": "Lillestrøm rådhus, kommunestyresalen",
                "saksfrist": Mote.standard_saksfrist(utvalg, tidspunkt),
            })
            dato += datetime.timedelta(weeks=4)
