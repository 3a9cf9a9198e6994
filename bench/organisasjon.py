"""The bench's organisation: municipalities, archive systems, sectors with their directors, committees and their
meetings past and coming, and the users of every role (bench/seed.py calls `bygg_organisasjon`)."""

import datetime
from collections import defaultdict

KOMMUNER = [
    ("Skedsmo kommune", "skedsmo", "0231", False, "ePhorte"),
    ("Fet kommune", "fet", "0227", False, "Elements"),
    ("Sørum kommune", "sorum", "0226", False, "P360"),
    ("Lillestrøm kommune", "lillestrom", "3030", True, "P360"),
]

OMRADER = ["Oppvekst og utdanning", "Helse og omsorg", "Samfunnsutvikling", "Organisasjon og økonomi",
           "Kultur og idrett", "Teknisk drift", "Næring og miljø", "Velferd og inkludering"]

UTVALG = [
    ("Hovedutvalg for oppvekst og utdanning", "HOU", 10),
    ("Hovedutvalg for helse og omsorg", "HHO", 10),
    ("Hovedutvalg for samfunnsutvikling", "HSU", 10),
    ("Administrasjonsutvalget", "ADM", 10),
    ("Hovedutvalg for kultur og idrett", "HKI", 10),
    ("Hovedutvalg for teknisk drift", "HTD", 10),
    ("Hovedutvalg for næring og miljø", "HNM", 10),
    ("Hovedutvalg for velferd", "HVE", 10),
    ("Formannskapet", "FSK", 10),
    ("Kommunestyret", "KST", 14),
    ("Kontrollutvalget", "KU", 10),
    ("Eldrerådet", "ELD", 7),
    ("Rådet for personer med funksjonsnedsettelse", "RPF", 7),
    ("Ungdomsrådet", "UNG", 7),
    ("Klagenemnda", "KLA", 10),
]

ANTALL = {"saksbehandler": 270, "godkjenner_per_omrade": 2, "sekretariat": 10, "admin": 3}


def bygg_organisasjon(s) -> None:
    """Fill the organisation into the seeder `s` (its lists of users, committees and meetings)."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from bench.seed import BATCH, ETTERNAVN, FORNAVN, MOTER_ETTER, MOTER_FOR
    from overgang.organisasjon.models import Arkivsystem, Bruker, Fravaer, Kommunalomrade, Kommune, Mote, Utvalg

    systemer = {navn: Arkivsystem.objects.create(navn=navn) for navn in ["ePhorte", "Elements", "P360"]}
    s.kommuner = [
        (Kommune.objects.create(navn=navn, kode=kode, kommunenummer=nr, er_ny=ny), systemer[system])
        for navn, kode, nr, ny, system in KOMMUNER
    ]
    s.omrader = Kommunalomrade.objects.bulk_create([Kommunalomrade(navn=navn) for navn in OMRADER])
    s.utvalg = Utvalg.objects.bulk_create([
        Utvalg(navn=navn, kode=kode, saksfrist_dager=frist, rekkefolge=i * 10)
        for i, (navn, kode, frist) in enumerate(UTVALG)
    ])
    # Meetings every four weeks per committee, each committee on its own weekday, at 18:00 local time.
    s.moter: dict[int, list] = {}
    moter = []
    idag = timezone.localdate()
    for u, utvalg in enumerate(s.utvalg):
        rad = []
        for k in range(-MOTER_FOR, MOTER_ETTER):
            dato = idag + datetime.timedelta(days=28 * k + 1 + u % 14)
            tidspunkt = timezone.make_aware(datetime.datetime.combine(dato, datetime.time(18, 0)))
            if k >= 0:
                status = Mote.Status.PLANLAGT
            elif u >= 10 and k == -7:
                status = Mote.Status.AVLYST
            elif u >= 10 and k == -1:
                status = Mote.Status.PLANLAGT  # held but not yet marked so: unfinished on the start page
            else:
                status = Mote.Status.AVHOLDT
            mote = Mote(utvalg=utvalg, tidspunkt=tidspunkt, saksfrist=Mote.standard_saksfrist(utvalg, tidspunkt),
                        status=status, sted="Lillestrøm rådhus" if u % 3 else "Kulturhuset, Lillestrøm")
            rad.append(mote)
            moter.append(mote)
        s.moter[u] = rad  # index k + MOTER_FOR
    Mote.objects.bulk_create(moter, batch_size=BATCH)

    grupper = {g.name: g for g in Group.objects.all()}
    brukere = []

    def bruker(username, rolle, **felt):
        b = Bruker(username=username, password=s.passord_hash, email=f"{username}@lillestrom.kommune.no",
                   first_name=s.rng.choice(FORNAVN), last_name=s.rng.choice(ETTERNAVN),
                   telefon=f"66 93 {s.rng.randint(10, 99)} {s.rng.randint(10, 99)}", **felt)
        b._rolle = rolle
        brukere.append(b)
        return b

    s.saksbehandlere = []
    for i in range(ANTALL["saksbehandler"]):
        kommune, system = s.kommuner[i % 3]
        b = bruker(f"sb{i + 1:03d}", "saksbehandler", kommune=kommune, arkivsystem=system,
                   kommunalomrade=s.omrader[i % len(s.omrader)])
        s.saksbehandlere.append(b)
    s.godkjennere: dict[int, list] = defaultdict(list)
    nr = 0
    for o, omrade in enumerate(s.omrader):
        for _ in range(ANTALL["godkjenner_per_omrade"]):
            nr += 1
            s.godkjennere[o].append(bruker(f"dir{nr:02d}", "godkjenner", kommunalomrade=omrade,
                                              kommune=s.kommuner[3][0], arkivsystem=s.kommuner[3][1]))
    s.radmann = bruker("radmann", "godkjenner", er_radmann=True, kommune=s.kommuner[3][0])
    s.sekretariat = [bruker(f"sek{i + 1:02d}", "sekretariat", kommune=s.kommuner[3][0])
                        for i in range(ANTALL["sekretariat"])]
    s.adminer = [bruker(f"admin{i + 1}", None, is_staff=True, is_superuser=True)
                    for i in range(ANTALL["admin"])]
    Bruker.objects.bulk_create(brukere, batch_size=BATCH)
    Bruker.groups.through.objects.bulk_create([
        Bruker.groups.through(bruker_id=b.pk, group_id=grupper[b._rolle].pk) for b in brukere if b._rolle
    ])
    Kommunalomrade.godkjennere.through.objects.bulk_create([
        Kommunalomrade.godkjennere.through(kommunalomrade_id=s.omrader[o].pk, bruker_id=b.pk)
        for o, liste in s.godkjennere.items() for b in liste
    ])
    # Every tenth case officer stands in for the next one of the same sector, who is away from today on.
    n = len(s.omrader)
    Fravaer.objects.bulk_create([
        Fravaer(person=s.saksbehandlere[i + n], stedfortreder=s.saksbehandlere[i], fra=timezone.localdate())
        for i in range(0, len(s.saksbehandlere) - n, 10)
    ])
    s.per_omrade = defaultdict(list)
    for b in s.saksbehandlere:
        s.per_omrade[s.omrader.index(b.kommunalomrade)].append(b)

# The cases
