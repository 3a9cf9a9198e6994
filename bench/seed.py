"""Seed the bench database of N cases in bulk: `python bench/seed.py N`.

Creates (or reuses) the PostgreSQL database overgang_bench_<N>, migrates it, and fills it with a realistic
organisation (4 municipalities, 8 sectors, 15 committees, 300 meetings past and coming, 300 users across the
roles) and N cases in every state, each with what that state implies: documents, history, route, directors'
list entries, P360 registration, agenda items with unique numbers, vedtak, parties, shipments and outbox rows.

A database already seeded with the same N, the same migrations, the same seeder and on the same day is
reused: the key is kept as the database's comment. BENCH_RESEED=1 seeds anew.
"""

import datetime
import os
import random
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.database import (  # noqa: E402
    cache_nokkel,
    eksisterende_nokkel,
    lag_database,
    lag_filer,
    sett_nokkel,
)
from bench.felles import PASSORD, database_url, db_navn, django_env  # noqa: E402
from bench.organisasjon import bygg_organisasjon  # noqa: E402
from bench.parter import fnr, orgnr  # noqa: E402

BATCH = 5000
BIT = 5000  # cases per chunk: built, inserted and dropped before the next

# Share of the N cases in each state. The open work keeps a minimum so that every page has something to show at
# N = 1,000 (the 100-case agenda needs 100 registered cases in one sector); the rest is closed history.
ANDELER = [
    ("utkast", 0.05, 20),
    ("til_godkjenning", 0.06, 30),
    ("returnert", 0.02, 10),
    ("godkjent", 0.06, 30),
    ("sendt_uregistrert", 0.02, 20),  # received, not yet registered in P360: the Innkomne page
    ("sendt_registrert", 0.04, 130),  # registered and on a coming meeting's agenda
    ("vedtatt", 0.10, 30),
    ("trukket", 0.03, 10),
]
STOR_SAKSLISTE = 100  # the agenda the bench measures: the first coming meeting of the first sector's committee

# The sectors' committees first (index = sector), then the joint ones.
FSK, KST = 8, 9
MOTER_FOR, MOTER_ETTER = 14, 6  # per committee: 14 past, 6 coming = 20; 15 committees = 300 meetings

TEMA = ["Reguleringsplan for", "Budsjettjustering for", "Skolebehovsplan for", "Rehabilitering av",
        "Tilskudd til", "Høring om", "Kjøp av tomt ved", "Trafikksikkerhetsplan for", "Salg av eiendom i",
        "Utredning av barnehagedekning i", "Vann- og avløpsplan for", "Kommunal planstrategi for",
        "Navneendring for", "Organisering av helsetjenester i", "Søknad om skjenkebevilling i"]
STEDER = ["Lillestrøm sentrum", "Strømmen", "Kjeller", "Skedsmokorset", "Fetsund", "Sørumsand", "Frogner",
          "Blaker", "Lindeberg", "Leirsund", "Nittedal grense", "Rælingen grense", "Åros", "Hvam", "Tuen"]
FORNAVN = ["Anne", "Per", "Kari", "Ola", "Ingrid", "Lars", "Hanne", "Nils", "Marit", "Jon", "Siri", "Tore",
           "Eva", "Knut", "Liv", "Arne", "Randi", "Geir", "Tone", "Bjørn"]
ETTERNAVN = ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
             "Jensen", "Karlsen", "Berg", "Haugen", "Hagen", "Eriksen", "Bakken"]
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Seeder:
    def __init__(self, n: int):
        from django.contrib.auth.hashers import make_password
        from django.contrib.contenttypes.models import ContentType
        from django.utils import timezone

        from saker.models import Sak

        self.n = n
        self.rng = random.Random(n)
        self.naa = timezone.now()
        self.passord_hash = make_password(PASSORD)
        self.filer = lag_filer()
        self.sak_ct = ContentType.objects.get_for_model(Sak)
        self.nummer = defaultdict(int)  # (utvalg_id, aar, type) -> last number
        self.rekkefolge = defaultdict(int)  # mote_id -> last position
        self.p360 = 0
        self.varsel_nr = 0

    # The organisation

    def organisasjon(self) -> None:
        bygg_organisasjon(self)

    def statuser(self) -> list[str]:
        antall = {navn: max(int(self.n * andel), minimum) for navn, andel, minimum in ANDELER}
        resten = self.n - sum(antall.values())
        if resten < 0:
            raise SystemExit(f"N={self.n} er for lite: de åpne sakene alene krever {sum(antall.values())}.")
        antall["avsluttet"] = resten
        # The first 100 registered cases build the big agenda; they come first so they share a chunk.
        liste = ["stor_saksliste"] * STOR_SAKSLISTE
        antall["sendt_registrert"] -= STOR_SAKSLISTE
        resten = [navn for navn, k in antall.items() for _ in range(k)]
        self.rng.shuffle(resten)
        return liste + resten

    def mote(self, u: int, k: int):
        return self.moter[u][k + MOTER_FOR]

    def tid(self, mote, dager: float) -> datetime.datetime:
        return mote.tidspunkt + datetime.timedelta(days=dager, minutes=self.rng.randint(0, 600))

    def saker(self) -> None:
        statuser = self.statuser()
        for start in range(0, len(statuser), BIT):
            t = time.perf_counter()
            self.bit(statuser[start:start + BIT], start)
            print(f"  saker {min(start + BIT, self.n):>7}/{self.n}: {time.perf_counter() - t:.1f} s", flush=True)

    def bit(self, statuser: list[str], start: int) -> None:  # noqa: C901 (one case's life, step by step)
        from django.db import transaction

        from godkjenning.models import Motelistepunkt
        from overgang.varsler.models import Varsel
        from saker.models import Behandling, Dokument, Forsendelse, Hendelse, Part, Registrering, Sak, Vedtak
        from sekretariat.models import Sakslistepunkt, Utfall

        rng = self.rng
        rad: dict[str, list] = defaultdict(list)

        def dok(sak, rolle, filnokkel, filnavn, mime, av, tid, versjon=1, gjeldende=True, part=None):
            sti, storrelse = self.filer[filnokkel]
            d = Dokument(sak=sak, rolle=rolle, fil=sti, filnavn=filnavn, mime=mime, storrelse=storrelse,
                         versjon=versjon, gjeldende=gjeldende, lastet_opp_av=av, lastet_opp=tid, part=part)
            rad["dokument_brev" if part else "dokument"].append(d)
            return d

        def hendelse(sak, fra, til, av, tid, kommentar="", dokument=None):
            rad["hendelse"].append(Hendelse(sak=sak, fra_status=fra, til_status=til, utfort_av=av, tidspunkt=tid,
                                            kommentar=kommentar, dokument=dokument))

        maks_forsok = getattr(Varsel, "MAKS_FORSOK", 6)

        def varsel(sak, navn, mottaker, tid, epost=None):
            self.varsel_nr += 1
            nyere = (self.naa - tid).days < 1
            status = (Varsel.Status.VENTER if nyere else
                      Varsel.Status.FEILET if self.varsel_nr % 97 == 0 else Varsel.Status.SENDT)
            rad["varsel"].append(Varsel(
                hendelse=navn, nokkel=f"{navn}:{self.sak_ct.pk}:{self.varsel_nr}", content_type=self.sak_ct,
                object_id=0, mottaker=mottaker, epost=epost or mottaker.email, kontekst={"tittel": sak.tittel},
                status=status, forsok=maks_forsok if status == Varsel.Status.FEILET else int(not nyere),
                feilmelding="SMTP 451: midlertidig feil" if status == Varsel.Status.FEILET else "",
                sist_forsokt=None if nyere else tid, sendt=tid if status == Varsel.Status.SENDT else None,
            ))
            rad["varsel_sak"].append(sak)

        def punkt(sak, mote, behandling, av, tid, **felt):
            aar = mote.tidspunkt.year
            nokkel = (mote.utvalg_id, aar, "PS")
            self.nummer[nokkel] += 1
            self.rekkefolge[mote.pk] += 1
            p = Sakslistepunkt(sak=sak, mote=mote, behandling=behandling, utvalg_id=mote.utvalg_id, type="PS",
                               aar=aar, nummer=self.nummer[nokkel], rekkefolge=self.rekkefolge[mote.pk],
                               lagt_til_av=av, lagt_til=tid, **felt)
            rad["sakslistepunkt"].append(p)
            return p

        for i, navn in enumerate(statuser):
            nr = start + i
            stor = navn == "stor_saksliste"
            status = "sendt_sekretariat" if navn.startswith("sendt") or stor else navn
            o = 0 if stor else rng.randrange(len(self.omrader))
            sb = rng.choice(self.per_omrade[o])
            dirr = rng.choice(self.godkjennere[o])
            sek = rng.choice(self.sekretariat)
            # The route: the sector's committee, then perhaps the executive board, then perhaps the council.
            rute = [o]
            if not stor and rng.random() < 0.4:
                rute.append(FSK)
                if rng.random() < 0.5:
                    rute.append(KST)
            avgjort = status in ("vedtatt", "trukket", "avsluttet")
            # The meetings: decided cases went through past meetings in order; open ones look to a coming one.
            if avgjort:
                k0 = rng.randint(-MOTER_FOR, -2 - (len(rute) - 1))
                moter = [self.mote(u, k0 + j) for j, u in enumerate(rute)]
                utsatt = rng.random() < 0.05 and k0 > -MOTER_FOR
            else:
                k = 0 if stor else (rng.choice([0, 0, 1, 1, 2, 3, 4, 5]) if o else rng.randint(1, 5))
                moter = [self.mote(o, k)]
                utsatt = False
            forste = moter[0]
            t0 = self.tid(forste, -rng.randint(30, 60)) if avgjort else min(
                self.naa - datetime.timedelta(days=rng.randint(2, 40)), self.tid(forste, -12))
            aar = t0.year % 100
            unntatt = rng.random() < 0.03
            sak = Sak(
                tittel=f"{rng.choice(TEMA)} {rng.choice(STEDER)} ({nr + 1})",
                kommune=sb.kommune, arkivsystem=sb.arkivsystem, arkivsaksnr=f"{aar:02d}/{nr + 1:05d}",
                saksbehandler=sb, kommunalomrade=self.omrader[o],
                godkjenner=None if status == "utkast" else dirr,
                onsket_mote=None if status in ("utkast", "returnert") else forste,
                unntatt_offentlighet=unntatt, hjemmel="offl. § 13 jf. fvl. § 13" if unntatt else "",
                innstilling="Kommunedirektørens innstilling:\nSaken tas til orientering.",
                status=status, status_endret=t0,
            )
            rad["sak"].append(sak)
            behandlinger = [Behandling(sak=sak, utvalg=self.utvalg[u], rekkefolge=j + 1) for j, u in enumerate(rute)]
            rad["behandling"].extend(behandlinger)

            # Documents and the first steps of the history.
            tid = t0
            hoved = None
            if status != "utkast" or rng.random() < 0.8:
                returnert_forst = status == "returnert" or (status != "utkast" and rng.random() < 0.2)
                hoved = dok(sak, Dokument.Rolle.HOVEDDOKUMENT, "saksframlegg", "Saksframlegg.docx", DOCX, sb, tid,
                            gjeldende=not returnert_forst or status == "returnert")
                for v in range(rng.choice([0, 1, 1, 2, 3])):
                    dok(sak, Dokument.Rolle.VEDLEGG, "vedlegg", f"Vedlegg {v + 1}.pdf", "application/pdf", sb, tid)
            else:
                returnert_forst = False
            hendelse(sak, "", "utkast", sb, tid, dokument=hoved)
            if status == "utkast":
                sak.status_endret = tid
                continue
            tid += datetime.timedelta(days=rng.randint(1, 5))
            hendelse(sak, "utkast", "til_godkjenning", sb, tid, dokument=hoved)
            varsel(sak, "sak_til_godkjenning", dirr, tid)
            if returnert_forst:
                tid += datetime.timedelta(days=rng.randint(1, 4))
                hendelse(sak, "til_godkjenning", "returnert", dirr, tid,
                         kommentar="Innstillingen må begrunnes bedre, og vedlegg 2 mangler.")
                varsel(sak, "sak_returnert", sb, tid)
                if status == "returnert":
                    sak.status_endret = tid
                    continue
                tid += datetime.timedelta(days=rng.randint(1, 4))
                hoved = dok(sak, Dokument.Rolle.HOVEDDOKUMENT, "saksframlegg", "Saksframlegg.docx", DOCX, sb, tid,
                            versjon=2)
                hendelse(sak, "returnert", "til_godkjenning", sb, tid, dokument=hoved)
                varsel(sak, "sak_til_godkjenning", dirr, tid)
            if status == "til_godkjenning":
                sak.status_endret = tid
                continue
            tid += datetime.timedelta(days=rng.randint(1, 4))
            hendelse(sak, "til_godkjenning", "godkjent", dirr, tid)
            varsel(sak, "sak_godkjent", sb, tid)
            # The director's list: active on the first meeting, sometimes after a move or a removal.
            if avgjort or rng.random() < 0.85:
                aktiv = Motelistepunkt(sak=sak, mote=forste, lagt_til_av=dirr, lagt_til=tid)
                rad["motelistepunkt"].append(aktiv)
                if avgjort and rng.random() < 0.1 and k0 > -MOTER_FOR:
                    tidligere = self.mote(rute[0], k0 - 1)
                    rad["motelistepunkt_flyttet"].append((Motelistepunkt(
                        sak=sak, mote=tidligere, status=Motelistepunkt.Status.FLYTTET, lagt_til_av=dirr,
                        lagt_til=tid, grunn="Saken rakk ikke saksfristen.", endret_av=dirr, endret=tid), aktiv))
                if rng.random() < 0.03:
                    rad["motelistepunkt"].append(Motelistepunkt(
                        sak=sak, mote=self.mote(KST, 0 if not avgjort else k0), status=Motelistepunkt.Status.FJERNET,
                        lagt_til_av=dirr, lagt_til=tid, grunn="Feil utvalg.", endret_av=dirr, endret=tid))
            if status == "godkjent":
                sak.status_endret = tid
                continue
            tid += datetime.timedelta(days=rng.randint(1, 3))
            hendelse(sak, "godkjent", "sendt_sekretariat", sb, tid)
            varsel(sak, "sak_til_sekretariat", None, tid, epost="politikk@lillestrom.kommune.no")
            sak.sendt_sekretariat = tid
            sak.status_endret = tid
            if navn == "sendt_uregistrert":
                continue
            self.p360 += 1
            rad["registrering"].append(Registrering(
                sak=sak, p360_saksnr=f"{aar:02d}/{self.p360:05d}", p360_dokumentnr=f"{aar:02d}/{self.p360:05d}-1",
                registrert_av=sek, registrert=tid + datetime.timedelta(days=1)))
            if not avgjort:
                punkt(sak, forste, behandlinger[0], sek, tid + datetime.timedelta(days=1))
                varsel(sak, "sak_satt_pa_saksliste", sb, tid + datetime.timedelta(days=1))
                continue

            # The meetings: postponed once perhaps, then each committee on the route in turn.
            if utsatt:
                for_ = self.mote(rute[0], k0 - 1)
                punkt(sak, for_, behandlinger[0], sek, self.tid(for_, -8), utfall=Utfall.UTSATT,
                      utfall_tekst="Saken utsettes.", neste_mote=forste, utfall_registrert_av=sek,
                      utfall_registrert=self.tid(for_, 1))
                varsel(sak, "sak_utsatt", sb, self.tid(for_, 1))
            sluttpunkt = None
            for j, (mote, behandling) in enumerate(zip(moter, behandlinger, strict=True)):
                siste = j == len(moter) - 1
                registrert = self.tid(mote, rng.randint(1, 3))
                if siste and status == "trukket":
                    sluttpunkt = punkt(sak, mote, behandling, sek, self.tid(mote, -8), utfall=Utfall.TRUKKET,
                                       utfall_registrert_av=sek, utfall_registrert=registrert)
                    break
                utskrift = dok(sak, Dokument.Rolle.SAKSUTSKRIFT, "saksutskrift", f"Saksutskrift {j + 1}.pdf",
                               "application/pdf", sek, registrert)
                felt = dict(utfall_tekst="Kommunedirektørens innstilling vedtas.", saksutskrift=utskrift,
                            utfall_registrert_av=sek, utfall_registrert=registrert)
                if siste:
                    sluttpunkt = punkt(sak, mote, behandling, sek, self.tid(mote, -8), utfall=Utfall.VEDTAK, **felt)
                else:
                    punkt(sak, mote, behandling, sek, self.tid(mote, -8), utfall=Utfall.INNSTILLING,
                          neste_mote=moter[j + 1], **felt)
                    varsel(sak, "innstilling_videre", sb, registrert)
            tid = sluttpunkt.utfall_registrert
            if status == "trukket":
                hendelse(sak, "sendt_sekretariat", "trukket", sek, tid)
                varsel(sak, "sak_trukket", sb, tid)
                sak.status_endret = tid
                continue
            hendelse(sak, "sendt_sekretariat", "vedtatt", sek, tid)
            varsel(sak, "vedtak_fattet", sb, tid)
            sak.status_endret = tid
            rad["vedtak"].append((Vedtak(
                sak=sak, behandling=behandlinger[-1], mote=moter[-1], tekst="Kommunedirektørens innstilling vedtas.",
                saksutskrift=sluttpunkt.saksutskrift, registrert_av=sek, registrert=tid,
                returnert_arkiv=tid + datetime.timedelta(days=1) if rng.random() < 0.9 else None), sluttpunkt))
            # The parties, their letters and shipments.
            ferdig = status == "avsluttet"
            sendt_tid = tid + datetime.timedelta(days=rng.randint(2, 12))
            for p in range(1 + (rng.random() < 0.35)):
                hvem = rng.random()
                part = Part(sak=sak, navn=f"{rng.choice(FORNAVN)} {rng.choice(ETTERNAVN)}",
                            adresse=f"{rng.choice(STEDER)}veien {rng.randint(1, 120)}", postnummer="2000",
                            poststed="Lillestrøm", orgnr=orgnr(rng) if hvem < 0.3 else "",
                            fnr=fnr(rng) if 0.3 <= hvem < 0.8 else "")
                rad["part"].append(part)
                if not ferdig and rng.random() < 0.5:
                    continue  # no letter yet
                brev = dok(sak, Dokument.Rolle.VEDTAKSBREV, "vedtaksbrev", f"Vedtaksbrev {p + 1}.docx", DOCX, sb,
                           sendt_tid, part=part)
                if ferdig or rng.random() < 0.4:
                    svarut = rng.random() < 0.5
                    rad["forsendelse"].append(Forsendelse(
                        part=part, brev=brev, status=Forsendelse.Status.SENDT,
                        kanal=Forsendelse.Kanal.SVARUT if svarut else Forsendelse.Kanal.MANUELL,
                        forsendelse_id=f"{rng.getrandbits(64):016x}", svarut_status="LEST" if svarut else "",
                        sendt=sendt_tid, sendt_av=sb, forsok=1, sist_forsokt=sendt_tid))
                elif rng.random() < 0.3:
                    rad["forsendelse"].append(Forsendelse(
                        part=part, brev=brev, status=Forsendelse.Status.FEILET, kanal=Forsendelse.Kanal.SVARUT,
                        forsok=3, sist_forsokt=sendt_tid, feilmelding="SvarUt svarte 503: tjenesten er utilgjengelig."))
                else:
                    rad["forsendelse"].append(Forsendelse(part=part, brev=brev))
            if ferdig:
                hendelse(sak, "vedtatt", "avsluttet", sb, sendt_tid)
                varsel(sak, "sak_avsluttet", sb, sendt_tid)
                sak.status_endret = sendt_tid

        with transaction.atomic():
            Sak.objects.bulk_create(rad["sak"], batch_size=BATCH)
            Behandling.objects.bulk_create(rad["behandling"], batch_size=BATCH)
            Dokument.objects.bulk_create(rad["dokument"], batch_size=BATCH)
            Part.objects.bulk_create(rad["part"], batch_size=BATCH)
            Dokument.objects.bulk_create(rad["dokument_brev"], batch_size=BATCH)
            Forsendelse.objects.bulk_create(rad["forsendelse"], batch_size=BATCH)
            Hendelse.objects.bulk_create(rad["hendelse"], batch_size=BATCH)
            Registrering.objects.bulk_create(rad["registrering"], batch_size=BATCH)
            Motelistepunkt.objects.bulk_create(rad["motelistepunkt"], batch_size=BATCH)
            flyttet = []
            for rad_, aktiv in rad["motelistepunkt_flyttet"]:
                rad_.flyttet_til = aktiv
                flyttet.append(rad_)
            Motelistepunkt.objects.bulk_create(flyttet, batch_size=BATCH)
            Sakslistepunkt.objects.bulk_create(rad["sakslistepunkt"], batch_size=BATCH)
            vedtak = []
            for v, sluttpunkt in rad["vedtak"]:
                v.utvalgssaksnr = sluttpunkt.utvalgssaksnr
                vedtak.append(v)
            Vedtak.objects.bulk_create(vedtak, batch_size=BATCH)
            for v, sak in zip(rad["varsel"], rad["varsel_sak"], strict=True):
                v.object_id = sak.pk
            Varsel.objects.bulk_create(rad["varsel"], batch_size=BATCH)

    def avslutt(self) -> None:
        from django.db import connection

        from sekretariat.models import Nummerserie

        # The number series continue after the seeded agenda numbers, so a placement made in the app is unique.
        Nummerserie.objects.bulk_create([
            Nummerserie(utvalg_id=u, aar=aar, type=type_, siste=siste) for (u, aar, type_), siste in self.nummer.items()
        ])
        with connection.cursor() as c:
            # auto_now_add fields were set to now by bulk_create; give them their history's times.
            c.execute("UPDATE saker_sak SET opprettet = s.t FROM (SELECT sak_id, min(tidspunkt) AS t "
                      "FROM saker_hendelse GROUP BY sak_id) s WHERE s.sak_id = saker_sak.id")
            c.execute("UPDATE saker_part p SET opprettet = s.status_endret FROM saker_sak s WHERE s.id = p.sak_id")
            c.execute("UPDATE varsler_varsel SET opprettet = COALESCE(sendt, sist_forsokt, opprettet)")


def seed(n: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    t = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    print(f"  migrert: {time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    seeder = Seeder(n)
    seeder.organisasjon()
    seeder.saker()
    seeder.avslutt()
    print(f"  sådd: {time.perf_counter() - t:.1f} s", flush=True)
    t = time.perf_counter()
    connection.close()
    import psycopg

    with psycopg.connect(database_url(n), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    print(f"  VACUUM ANALYZE: {time.perf_counter() - t:.1f} s", flush=True)


def main() -> None:
    n = int(sys.argv[1])
    navn = db_navn(n)
    nokkel = cache_nokkel(n)
    if os.environ.get("BENCH_RESEED") != "1" and eksisterende_nokkel(navn) == nokkel:
        print(f"N={n}: {navn} er allerede sådd med samme skjema og seeder; gjenbrukes.", flush=True)
        return
    print(f"N={n}: lager {navn} ...", flush=True)
    start = time.perf_counter()
    lag_database(navn)
    os.environ.update(django_env(n))
    seed(n)
    sett_nokkel(navn, nokkel)
    print(f"N={n}: ferdig på {time.perf_counter() - start:.1f} s", flush=True)


if __name__ == "__main__":
    main()
