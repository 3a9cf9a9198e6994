"""In-process measurements on a seeded bench database: `python bench/probe.py N OUT.json`.

For every page the bench loads: which users open it and at which URL, and one request alone through Django's
test client (its time, status, size and query count, with CaptureQueriesContext). Then the time to build one
vedtaksbrev and a 100-case agenda .docx, and what PostgreSQL's JIT costs on the two slowest page queries
(EXPLAIN ANALYZE with jit on and off; the setting is changed only in this session, never in the server).
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.felles import django_env  # noqa: E402

BRUKERE_PER_SIDE = 20


def sider() -> list[dict]:
    """The pages, the floor first. Each has a role and, per simulated user, a username and a URL."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone

    from overgang.organisasjon.models import Bruker, Mote
    from saker.models import Sak

    def brukere(prefiks: str) -> list[str]:
        navn = list(Bruker.objects.filter(username__startswith=prefiks).order_by("username")
                    .values_list("username", flat=True)[:BRUKERE_PER_SIDE])
        return [navn[i % len(navn)] for i in range(BRUKERE_PER_SIDE)]

    sb, dirr, sek, adm = brukere("sb"), brukere("dir"), brukere("sek"), brukere("admin")
    # The case page: for each case officer, their latest decided case (documents, route, history, parties).
    saker = {}
    for navn in sb:
        sak = (Sak.objects.filter(saksbehandler__username=navn, status__in=[Sak.Status.VEDTATT, Sak.Status.AVSLUTTET])
               .order_by("-status_endret").first()
               or Sak.objects.filter(saksbehandler__username=navn).order_by("-status_endret").first())
        saker[navn] = sak.pk
    # The 100-case agenda: the seeder puts exactly 100 cases on the first coming meeting of HOU.
    stor = (Mote.objects.filter(status=Mote.Status.PLANLAGT, tidspunkt__gt=timezone.now(), utvalg__kode="HOU")
            .annotate(n=Count("sakslistepunkter")).order_by("tidspunkt").first())

    def side(navn, rolle, folk, url):
        return {"navn": navn, "rolle": rolle,
                "brukere": [{"username": u, "url": url(u) if callable(url) else url} for u in folk]}

    return [
        side("Om Overgang (gulv)", "saksbehandler", sb, reverse("om")),
        side("Mine saker", "saksbehandler", sb, reverse("saker:start")),
        side("Sakside", "saksbehandler", sb, lambda u: reverse("saker:sak", args=[saker[u]])),
        side("Til godkjenning", "godkjenner", dirr, reverse("godkjenning:start")),
        side("Møtelister", "godkjenner", dirr, reverse("godkjenning:motelister")),
        side("Sekretariat start", "sekretariat", sek, reverse("sekretariat:start")),
        side("Innkomne", "sekretariat", sek, reverse("sekretariat:innkomne")),
        side(f"Saksliste ({stor.n} saker) med legg til", "sekretariat", sek,
             reverse("sekretariat:mote", args=[stor.pk])),
        side("Kontroll", "sekretariat", sek, reverse("sekretariat:kontroll", args=[stor.pk])),
        side("Alle møter", "sekretariat", sek, reverse("sekretariat:moter")),
        side("Admin: saker", "admin", adm, reverse("admin:saker_sak_changelist")),
    ]


def en_forespørsel(side: dict, sporringer: list) -> dict:
    """One request alone, in-process: time (median of up to three after a warm-up), status, bytes, queries."""
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from overgang.organisasjon.models import Bruker

    forste = side["brukere"][0]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(Bruker.objects.get(username=forste["username"]))
    start = time.perf_counter()
    svar = client.get(forste["url"])
    kald = time.perf_counter() - start
    tider = []
    reset_queries()  # a request clears the log when it starts: begin the capture from an empty log
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        svar = client.get(forste["url"])
        tider.append(time.perf_counter() - start)
    fanget = list(queries.captured_queries)  # read from the log, which the next request clears
    if kald < 2:
        for _ in range(2):
            start = time.perf_counter()
            client.get(forste["url"])
            tider.append(time.perf_counter() - start)
    for q in fanget:
        sporringer.append({"side": side["navn"], "sql": q["sql"], "tid": float(q["time"])})
    return {"status": svar.status_code, "bytes": len(svar.content), "sporringer": len(fanget),
            "alene_ms": statistics.median(tider) * 1000}


def tid_ms(f, ganger: int) -> dict:
    f()  # warm-up: imports, templates
    tider = []
    for _ in range(ganger):
        start = time.perf_counter()
        f()
        tider.append((time.perf_counter() - start) * 1000)
    tider.sort()
    return {"ganger": ganger, "median_ms": statistics.median(tider), "maks_ms": tider[-1]}


def dokumenter(sider_: list[dict]) -> dict:
    from django.test import Client
    from django.utils import timezone

    from overgang.organisasjon.models import Bruker, Mote
    from saker.models import Part, Vedtak
    from sekretariat.models import Sakslistepunkt
    from sekretariat.saksliste_docx import MoteInfo, SakslistePunkt, bygg_saksliste

    resultat = {}
    try:
        from saker import brev

        vedtak = Vedtak.objects.select_related("sak__kommune", "sak__saksbehandler", "sak__registrering",
                                               "mote__utvalg").filter(sak__parter__isnull=False).first()
        part = Part.objects.filter(sak=vedtak.sak).first()
        idag = timezone.localdate()
        resultat["vedtaksbrev"] = tid_ms(
            lambda: brev.lag_vedtaksbrev(sak=vedtak.sak, vedtak=vedtak, part=part, dato=idag), 20)
    except Exception as feil:  # noqa: BLE001 (report, do not stop the bench)
        resultat["vedtaksbrev"] = {"feil": f"{type(feil).__name__}: {feil}"}
    try:
        mote_url = next(s for s in sider_ if s["navn"].startswith("Saksliste"))["brukere"][0]["url"]
        mote_pk = int(mote_url.rstrip("/").rsplit("/", 1)[1])
        mote = Mote.objects.select_related("utvalg").get(pk=mote_pk)
        punkter = list(Sakslistepunkt.objects.filter(mote=mote).select_related("sak__saksbehandler")
                       .order_by("rekkefolge", "pk"))
        info = MoteInfo(utvalg_navn=mote.utvalg.navn, utvalg_kode=mote.utvalg.kode, tidspunkt=mote.tidspunkt,
                        sted=mote.sted)
        linjer = [SakslistePunkt(utvalgssaksnr=p.utvalgssaksnr, tittel=p.sak.tittel,
                                 saksbehandler=str(p.sak.saksbehandler), arkivsaksnr=p.sak.arkivsaksnr,
                                 unntatt_offentlighet=p.sak.unntatt_offentlighet, hjemmel=p.sak.hjemmel)
                  for p in punkter]
        resultat["saksliste_docx"] = {"saker": len(linjer), **tid_ms(lambda: bygg_saksliste(info, linjer), 5)}
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(Bruker.objects.filter(username__startswith="sek").first())
        resultat["saksliste_docx_side"] = {"saker": len(linjer), **tid_ms(
            lambda: client.get(f"{mote_url}saksliste.docx"), 3)}
    except Exception as feil:  # noqa: BLE001
        resultat["saksliste_docx"] = {"feil": f"{type(feil).__name__}: {feil}"}
    return resultat


def jit(sporringer: list) -> dict:
    """EXPLAIN ANALYZE of the two slowest SELECTs the pages ran, with jit on and off (best of three each)."""
    from django.db import connection

    with connection.cursor() as c:
        c.execute("SHOW jit")
        jit_paa = c.fetchone()[0]
        c.execute("SHOW jit_above_cost")
        terskel = c.fetchone()[0]
    tyngste = sorted((q for q in sporringer if q["sql"].lstrip().upper().startswith("SELECT")),
                     key=lambda q: -q["tid"])[:2]
    resultat = {"jit": jit_paa, "jit_above_cost": terskel, "sporringer": []}
    for q in tyngste:
        rad = {"side": q["side"], "sql": q["sql"][:300], "tid_i_siden_ms": q["tid"] * 1000}
        try:
            for verdi in ["on", "off"]:
                beste, jit_ms = None, 0.0
                for _ in range(3):
                    with connection.cursor() as c:
                        c.execute(f"SET jit = {verdi}")
                        c.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + q["sql"])
                        plan = c.fetchone()[0]
                        plan = json.loads(plan) if isinstance(plan, str) else plan
                        c.execute("RESET jit")
                    total = plan[0]["Execution Time"] + plan[0].get("Planning Time", 0)
                    if beste is None or total < beste:
                        beste = total
                        jit_ms = plan[0].get("JIT", {}).get("Timing", {}).get("Total", 0.0)
                rad[f"jit_{verdi}_ms"] = beste
                if verdi == "on":
                    rad["jit_kompilering_ms"] = jit_ms
            rad["jit_koster_ms"] = rad["jit_on_ms"] - rad["jit_off_ms"]
        except Exception as feil:  # noqa: BLE001
            rad["feil"] = f"{type(feil).__name__}: {feil}"
        resultat["sporringer"].append(rad)
    return resultat


def main() -> None:
    n, ut = int(sys.argv[1]), Path(sys.argv[2])
    os.environ.update(django_env(n))
    import django

    django.setup()
    sider_ = sider()
    sporringer: list = []
    for side in sider_:
        try:
            side["alene"] = en_forespørsel(side, sporringer)
        except Exception as feil:  # noqa: BLE001 (a broken page is reported, the others still measured)
            side["alene"] = {"status": f"{type(feil).__name__}: {str(feil)[:200]}", "bytes": 0, "sporringer": 0,
                             "alene_ms": float("nan")}
        a = side["alene"]
        print(f"  {side['navn']:<38} {str(a['status'])[:60]} {a['alene_ms']:>9.1f} ms alene "
              f"{a['sporringer']:>4} spørringer {a['bytes'] / 1024:>8.0f} KiB", flush=True)
    resultat = {"n": n, "sider": sider_, "dokumenter": dokumenter(sider_), "jit": jit(sporringer)}
    ut.write_text(json.dumps(resultat, indent=2, ensure_ascii=False, default=str))


if __name__ == "__main__":
    main()
