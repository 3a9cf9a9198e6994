"""The bench at scale: `make bench` (or `python bench/run.py [N ...]`).

For each N (default 1,000, 10,000 and 100,000; or BENCH_N="1000 10000"):
1. seeds its own PostgreSQL database overgang_bench_<N> in bulk (bench/seed.py; reused when unchanged),
2. measures each page once alone in-process: queries per request, time, size (bench/probe.py), the time to
   build a vedtaksbrev and a 100-case agenda .docx, and what JIT costs on the two slowest page queries,
3. serves the app with gunicorn (production settings, 3 sync workers, on a loopback port) and, page by page,
   drives it with locust headless: 20 users at once, each signed in through /logg-inn/ as the page's role,
   for BENCH_SEKUNDER seconds (default 30). Gunicorn is restarted before each page, so a slow page's queue
   never spills into the next one's figures.
Then prints and writes var/bench/resultater.json, var/bench/resultater.md and var/bench/p95.png: per page and N
the requests, p50, p95, p99, requests per second, p95 ÷ the floor page's p95 in the same run, queries per
request, and each page's growth of p95 from the smallest N to the largest.

Everything runs on 127.0.0.1. PostgreSQL must answer on 127.0.0.1:5432 as postgres with trust auth
(BENCH_PGHOST, BENCH_PGPORT, BENCH_PGUSER to change).
"""

import datetime
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.felles import PASSORD, PY, ROOT, VAR, database_url, db_navn, django_env  # noqa: E402

BIN = Path(PY).parent
SEKUNDER = int(os.environ.get("BENCH_SEKUNDER", "30"))
BRUKERE = int(os.environ.get("BENCH_BRUKERE", "20"))
ARBEIDERE = 3
# Issue 10's targets, printed beside the figures.
MAL_GULV = 4.0
MAL_VEKST = 1.5


def logg(tekst: str) -> None:
    print(f"[{datetime.datetime.now():%H:%M:%S}] {tekst}", flush=True)


def ledig_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def kjor(args: list[str], env: dict, **kwargs) -> None:
    subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


class Gunicorn:
    """One gunicorn with production settings on a loopback port, started in its own process group."""

    def __init__(self, n: int, port: int):
        self.n, self.port = n, port
        self.logg = open(VAR / f"gunicorn-{n}.log", "a")  # noqa: SIM115
        self.prosess = subprocess.Popen(
            [str(BIN / "gunicorn"), "overgang.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(ARBEIDERE),
             "--worker-class", "sync", "--timeout", "600", "--graceful-timeout", "2", "--log-level", "warning"],
            env=django_env(n), cwd=ROOT, stdout=self.logg, stderr=self.logg, start_new_session=True,
        )
        self.url = f"http://127.0.0.1:{port}"
        import requests

        for _ in range(300):
            try:
                requests.get(f"{self.url}/logg-inn/", timeout=5)
                return
            except requests.ConnectionError:
                if self.prosess.poll() is not None:
                    self.logg.close()
                    raise RuntimeError(f"gunicorn stoppet; se {self.logg.name}") from None
                time.sleep(0.1)
        raise RuntimeError("gunicorn svarte ikke")

    def stopp(self) -> None:
        """Stop it at once (its own process group only), and cancel what its workers left running in the database."""
        try:
            os.killpg(self.prosess.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.prosess.wait()
        self.logg.close()
        import psycopg

        with psycopg.connect(database_url(navn="postgres"), autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s "
                         "AND pid <> pg_backend_pid()", [db_navn(self.n)])


def start_gunicorn(n: int) -> Gunicorn:
    """Start gunicorn, trying again for a while: other engineers edit the working tree while the bench runs,
    and a file caught half-written stops the workers from booting."""
    for forsok in range(6):
        try:
            return Gunicorn(n, ledig_port())
        except RuntimeError as feil:
            logg(f"  gunicorn startet ikke ({feil}); forsøk {forsok + 1} av 6")
            time.sleep(10)
    raise RuntimeError("gunicorn startet ikke etter seks forsøk")


def logg_inn(url: str, username: str) -> str:
    """Sign in through the login form, as a browser would; return the Cookie header of the session."""
    import requests

    s = requests.Session()
    side = s.get(f"{url}/logg-inn/", timeout=60)
    csrf = side.cookies.get("csrftoken")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', side.text).group(1)
    svar = s.post(f"{url}/logg-inn/", data={"username": username, "password": PASSORD, "csrfmiddlewaretoken": token},
                  headers={"Cookie": f"csrftoken={csrf}", "Referer": f"{url}/logg-inn/"},
                  allow_redirects=False, timeout=60)
    sesjon = svar.cookies.get("sessionid")
    if svar.status_code != 302 or not sesjon:
        raise RuntimeError(f"innlogging for {username} feilet: HTTP {svar.status_code}")
    return f"sessionid={sesjon}; csrftoken={csrf}"


def persentil(tider: list[float], p: float) -> float:
    if not tider:
        return float("nan")
    tider = sorted(tider)
    k = (len(tider) - 1) * p / 100
    f = int(k)
    return tider[f] if f + 1 >= len(tider) else tider[f] + (tider[f + 1] - tider[f]) * (k - f)


def last(n: int, side: dict, sesjoner: dict[str, str]) -> dict:
    """Drive one page with BRUKERE users for SEKUNDER seconds on a fresh gunicorn; return its figures."""
    navn = re.sub(r"[^a-z0-9]+", "-", side["navn"].lower()).strip("-")
    sesjonsfil = VAR / f"sesjoner-{n}-{navn}.json"
    raafil = VAR / f"raadata-{n}-{navn}.json"
    sesjonsfil.write_text(json.dumps([{"cookie": sesjoner[b["username"]], "url": b["url"]} for b in side["brukere"]]))
    raafil.unlink(missing_ok=True)
    gunicorn = start_gunicorn(n)
    try:
        import requests

        # Warm every worker: imports, URLconf and templates load on a worker's first request.
        forste = side["brukere"][0]
        kake = {"Cookie": sesjoner[forste["username"]]}
        with ThreadPoolExecutor(ARBEIDERE * 2) as pool:
            list(pool.map(lambda _: requests.get(f"{gunicorn.url}/om/", headers=kake, timeout=60),
                          range(ARBEIDERE * 2)))
        if not side["alene"]["alene_ms"] >= 3000:  # also when the in-process request failed (NaN)
            with ThreadPoolExecutor(ARBEIDERE) as pool:
                list(pool.map(lambda _: requests.get(gunicorn.url + forste["url"], headers=kake, timeout=600),
                              range(ARBEIDERE)))
        env = {**os.environ, "BENCH_SESJONER": str(sesjonsfil), "BENCH_RAADATA": str(raafil)}
        last_for = os.getloadavg()[0]
        start = time.perf_counter()
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(BRUKERE),
             "-r", str(BRUKERE), "-t", f"{SEKUNDER}s", "--host", gunicorn.url, "--only-summary",
             "--loglevel", "ERROR", "--stop-timeout", "0", "--exit-code-on-error", "0"],
            env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        varighet = time.perf_counter() - start
        last_etter = os.getloadavg()[0]
    finally:
        gunicorn.stopp()
    raa = json.loads(raafil.read_text())
    tider, avbrutt = raa["tider_ms"], raa.get("avbrutt_ms", [])
    # A request still waiting at the stop took at least as long as it had waited. When more than 5 % of all
    # requests waited longer than the finished ones' p95 (a page that cannot serve its users in the time), count
    # them in, and mark the percentiles as lower bounds ("≥"). Otherwise they are the usual tail of a stop.
    p95_ferdige = persentil(tider, 95)
    lange = sum(1 for t in avbrutt if not tider or t > p95_ferdige)
    nedre_grense = lange > 0.05 * (len(tider) + len(avbrutt))
    alle = tider + avbrutt if nedre_grense else tider
    return {
        "forespørsler": len(tider), "feil": len(raa["feil"]), "feileksempel": raa["feil"][:3],
        "avbrutt": len(avbrutt), "lengste_avbrutt_ms": max(avbrutt, default=0.0), "nedre_grense": nedre_grense,
        "p50": persentil(alle, 50), "p95": persentil(alle, 95), "p99": persentil(alle, 99),
        "rps": len(tider) / SEKUNDER, "sekunder": SEKUNDER, "locust_s": varighet,
        "spørringer": side["alene"]["sporringer"], "alene_ms": side["alene"]["alene_ms"],
        "kib": side["alene"]["bytes"] / 1024, "status_alene": side["alene"]["status"],
        # The 1-minute load average before and after: above ~2 others were busy too (this bench adds ~2-3).
        "last": [round(last_for, 1), round(last_etter, 1)],
    }


def en_n(n: int) -> dict:
    logg(f"N={n}: sår databasen")
    kjor([PY, str(ROOT / "bench" / "seed.py"), str(n)], env=os.environ.copy())
    logg(f"N={n}: én forespørsel alene per side, dokumenter og JIT (i prosess)")
    probefil = VAR / f"probe-{n}.json"
    kjor([PY, str(ROOT / "bench" / "probe.py"), str(n), str(probefil)], env=os.environ.copy())
    probe = json.loads(probefil.read_text())
    # Sign every user in once through the login form (PBKDF2 is slow by design: a few at a time).
    gunicorn = start_gunicorn(n)
    try:
        brukere = sorted({b["username"] for side in probe["sider"] for b in side["brukere"]})
        with ThreadPoolExecutor(ARBEIDERE) as pool:
            sesjoner = dict(zip(brukere, pool.map(lambda u: logg_inn(gunicorn.url, u), brukere), strict=True))
    finally:
        gunicorn.stopp()
    logg(f"N={n}: {len(sesjoner)} brukere logget inn; {BRUKERE} samtidige brukere i {SEKUNDER} s per side")
    sider = {}
    for side in probe["sider"]:
        try:
            r = last(n, side, sesjoner)
        except Exception as feil:  # noqa: BLE001 (one page's failure must not lose the others' figures)
            logg(f"  {side['navn']}: FEILET: {type(feil).__name__}: {feil}")
            continue
        sider[side["navn"]] = r
        logg(f"  {side['navn']:<38} {r['forespørsler']:>6} forespørsler  p50 {r['p50']:>8.0f}  p95 {r['p95']:>8.0f}  "
             f"p99 {r['p99']:>8.0f} ms  {r['rps']:>6.1f}/s  {r['spørringer']:>3} spørringer  {r['feil']} feil"
             + (f"  ({r['avbrutt']} ventet ved stopp, lengst {r['lengste_avbrutt_ms']:.0f} ms: nedre grense)"
                if r["nedre_grense"] else ""))
    gulv = sider.get(probe["sider"][0]["navn"], {}).get("p95", float("nan"))
    for r in sider.values():
        r["p95_over_gulv"] = r["p95"] / gulv if gulv else float("nan")
    return {"n": n, "sider": sider, "dokumenter": probe["dokumenter"], "jit": probe["jit"]}


def maskin() -> str:
    try:
        with open("/proc/cpuinfo") as fil:
            modell = next(linje.split(":", 1)[1].strip() for linje in fil if linje.startswith("model name"))
    except (OSError, StopIteration):
        modell = platform.processor()
    try:
        import psycopg

        with psycopg.connect(database_url(navn="postgres")) as conn:
            pg = conn.execute("SHOW server_version").fetchone()[0]
    except Exception:  # noqa: BLE001 (only a label)
        pg = "?"
    return f"{os.cpu_count()} cores ({modell}), Python {platform.python_version()}, PostgreSQL {pg}"


def kilde() -> str:
    """Which code was measured: the commit, and whether the working tree had uncommitted changes."""
    if os.environ.get("BENCH_KILDE"):
        return os.environ["BENCH_KILDE"]
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                                check=True).stdout.strip()
        endret = [linje for linje in subprocess.run(["git", "status", "--porcelain"], cwd=ROOT, capture_output=True,
                                                    text=True).stdout.splitlines() if not linje[3:].startswith("var/")]
    except (OSError, subprocess.CalledProcessError):
        return "unknown (no git)"
    return f"commit {commit}" + (f" with {len(endret)} uncommitted files in the working tree" if endret else "")


def fmt(x: float, desimaler: int = 0, nedre: bool = False) -> str:
    return "–" if x != x else ("≥ " if nedre else "") + f"{x:,.{desimaler}f}".replace(",", " ")


def markdown(resultat: dict) -> str:
    kjoringer = resultat["kjoringer"]
    ns = [k["n"] for k in kjoringer]
    linjer = [f"Command: `{resultat['kommando']}`  ", f"Machine: {resultat['maskin']}  ",
              f"Code: {resultat['kilde']}  ",
              f"Run: {resultat['start']}, {BRUKERE} concurrent users per page for {SEKUNDER} s, gunicorn "
              f"{ARBEIDERE} sync workers, production settings. Times in ms. Other work ran on the machine at the "
              "same time, so the figures are noisy.", ""]
    for k in kjoringer:
        linjer += [f"### N = {k['n']:,}".replace(",", " "), "",
                   "| page | requests | errors | p50 | p95 | p99 | req/s | p95 ÷ floor | queries | one alone | KiB "
                   "| load before → after |",
                   "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |"]
        for navn, r in k["sider"].items():
            g = r.get("nedre_grense", False)
            linjer.append(f"| {navn} | {r['forespørsler']} | {r['feil']} | {fmt(r['p50'], 0, g)} | "
                          f"{fmt(r['p95'], 0, g)} | {fmt(r['p99'], 0, g)} | {fmt(r['rps'], 1)} | "
                          f"{fmt(r['p95_over_gulv'], 1, g)} | {r['spørringer']} | "
                          f"{fmt(r['alene_ms'])} | {fmt(r['kib'])} | {r['last'][0]} → {r['last'][1]} |")
        linjer.append("")
    if len(ns) > 1:
        linjer += [f"### p95 from N = {ns[0]:,} to N = {ns[-1]:,}".replace(",", " "), "",
                   "| page | " + " | ".join(f"p95 at {n:,}".replace(",", " ") for n in ns)
                   + f" | growth | p95 ÷ floor at {ns[-1]:,} ".replace(",", " ")
                   + f"| targets (÷ floor ≤ {MAL_GULV:g}, growth < {MAL_VEKST:g}) |",
                   "| --- | " + " | ".join("---:" for _ in ns) + " | ---: | ---: | --- |"]
        for navn, vekst in resultat["vekst"].items():
            siste = kjoringer[-1]["sider"].get(navn, {})
            ok = siste.get("p95_over_gulv", float("nan")) <= MAL_GULV and vekst < MAL_VEKST
            g = siste.get("nedre_grense", False)
            linjer.append(f"| {navn} | " + " | ".join(fmt(k["sider"].get(navn, {}).get("p95", float("nan")), 0,
                                                          k["sider"].get(navn, {}).get("nedre_grense", False))
                                                      for k in kjoringer)
                          + f" | {fmt(vekst, 1, g)}× | {fmt(siste.get('p95_over_gulv', float('nan')), 1, g)} | "
                          f"{'met' if ok else 'not met'} |")
        linjer.append("")
    linjer += ["### Documents (in-process, time per build)", "",
               "| N | vedtaksbrev, median (max) | 100-case agenda .docx, median (max) | agenda through its view |",
               "| ---: | ---: | ---: | ---: |"]
    for k in kjoringer:
        d = k["dokumenter"]

        def celle(nokkel, d=d):
            v = d.get(nokkel, {})
            nan = float("nan")
            return v.get("feil") or f"{fmt(v.get('median_ms', nan))} ({fmt(v.get('maks_ms', nan))}) ms"

        linjer.append(f"| {k['n']:,} | {celle('vedtaksbrev')} | {celle('saksliste_docx')} | "
                      f"{celle('saksliste_docx_side')} |".replace(",", " "))
    linjer += ["", "Targets: a vedtaksbrev under 100 ms, a 100-case agenda under 1 s.", "",
               "### PostgreSQL JIT on the two slowest page queries (EXPLAIN ANALYZE, best of three)", "",
               "| N | page | jit on | jit off | JIT compile time | JIT costs |",
               "| ---: | --- | ---: | ---: | ---: | ---: |"]
    for k in kjoringer:
        for q in k["jit"]["sporringer"]:
            if "feil" in q:
                linjer.append(f"| {k['n']} | {q['side']} | {q['feil']} | | | |")
                continue
            linjer.append(f"| {k['n']:,} | {q['side']} | {fmt(q['jit_on_ms'], 1)} ms | {fmt(q['jit_off_ms'], 1)} ms | "
                          f"{fmt(q['jit_kompilering_ms'], 1)} ms | {fmt(q['jit_koster_ms'], 1)} ms |".replace(",", " "))
    jit = kjoringer[-1]["jit"]
    linjer += ["", f"Server setting: jit = {jit['jit']}, jit_above_cost = {jit['jit_above_cost']} (measured only, "
               "not changed).", ""]
    return "\n".join(linjer)


def tegn(resultat: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    kjoringer = resultat["kjoringer"]
    ns = [k["n"] for k in kjoringer]
    fig, ax = plt.subplots(figsize=(9, 6))
    farger = plt.get_cmap("tab20").colors
    for i, navn in enumerate(resultat["vekst"]):
        p95 = [k["sider"].get(navn, {}).get("p95", float("nan")) for k in kjoringer]
        ax.plot(ns, p95, marker="o", label=navn, color="black" if i == 0 else farger[(i * 2) % 20],
                linestyle="-" if i % 2 else "--", linewidth=2.5 if i == 0 else 1.5)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("saker (N)")
    ax.set_ylabel("p95, ms")
    ax.set_title(f"p95 per side, {BRUKERE} samtidige brukere, gunicorn {ARBEIDERE} arbeidere")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(VAR / "p95.png", dpi=110)


def main() -> None:
    ns = [int(x) for x in (sys.argv[1:] or os.environ.get("BENCH_N", "1000 10000 100000").split())]
    VAR.mkdir(parents=True, exist_ok=True)
    start = datetime.datetime.now()
    logg(f"Benk: N = {ns}, {BRUKERE} brukere, {SEKUNDER} s per side. Samler statiske filer.")
    kjor([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env=django_env(ns[0]))
    kjoringer = []
    for n in ns:
        try:
            kjoringer.append(en_n(n))
        except (subprocess.CalledProcessError, RuntimeError) as feil:
            logg(f"N={n}: FEILET ({feil}); går videre med de andre")
    if not kjoringer:
        raise SystemExit("Ingen N ble målt.")
    vekst = {}
    for navn in dict.fromkeys(navn for k in kjoringer for navn in k["sider"]):
        forst, sist = kjoringer[0]["sider"].get(navn, {}).get("p95"), kjoringer[-1]["sider"].get(navn, {}).get("p95")
        vekst[navn] = sist / forst if forst and sist else float("nan")
    resultat = {
        "kommando": os.environ.get("BENCH_KOMMANDO", "make bench"), "maskin": maskin(), "kilde": kilde(),
        "start": f"{start:%Y-%m-%d %H:%M}", "sekunder": SEKUNDER, "brukere": BRUKERE, "arbeidere": ARBEIDERE,
        "kjoringer": kjoringer, "vekst": vekst,
    }
    (VAR / "resultater.json").write_text(json.dumps(resultat, indent=2, ensure_ascii=False))
    md = markdown(resultat)
    (VAR / "resultater.md").write_text(md)
    tegn(resultat)
    print()
    print(md)
    logg(f"Skrevet: {VAR / 'resultater.json'}, {VAR / 'resultater.md'}, {VAR / 'p95.png'} "
         f"(på {datetime.datetime.now() - start})")


if __name__ == "__main__":
    main()
