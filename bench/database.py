"""The bench's own databases and files: one PostgreSQL database per N, reused while its key (N, the migrations,
the seeder, the day) is unchanged, and the few tiny real files every seeded document row shares."""

import datetime
import hashlib
from pathlib import Path

from bench.felles import ROOT, VAR, database_url

# The seeder's own files: a change to any of them seeds anew.
SEEDER = [Path(__file__).parent / navn for navn in ("seed.py", "organisasjon.py", "parter.py", "database.py")]

def sammendrag_av_filer(*stier: Path) -> str:
    h = hashlib.sha256()
    for sti in sorted(stier):
        h.update(str(sti.relative_to(ROOT)).encode())
        h.update(sti.read_bytes())
    return h.hexdigest()[:16]


def cache_nokkel(n: int) -> str:
    migrasjoner = [p for p in ROOT.glob("**/migrations/*.py") if ".venv" not in p.parts]
    return (f"overgang-bench n={n} seed={sammendrag_av_filer(*SEEDER)} "
            f"migrations={sammendrag_av_filer(*migrasjoner)} day={datetime.date.today().isoformat()}")


def pg_admin():
    import psycopg

    return psycopg.connect(database_url(navn="postgres"), autocommit=True)


def eksisterende_nokkel(navn: str) -> str | None:
    with pg_admin() as conn:
        rad = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [navn]
        ).fetchone()
    return None if rad is None else (rad[0] or "")


def lag_database(navn: str) -> None:
    from psycopg import sql

    assert navn.startswith("overgang_bench_"), navn
    with pg_admin() as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(navn)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(navn)))


def sett_nokkel(navn: str, nokkel: str) -> None:
    from psycopg import sql

    with pg_admin() as conn:
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(navn), sql.Literal(nokkel)))


def lag_filer() -> dict[str, tuple[str, int]]:
    """A few tiny real files every document row shares (the case page and the download views read them)."""
    import docx

    mappe = VAR / "media" / "bench"
    mappe.mkdir(parents=True, exist_ok=True)
    filer = {}
    d = docx.Document()
    d.add_heading("Saksframlegg", 1)
    d.add_paragraph("Forslag til vedtak: Saken tas til orientering.")
    d.save(mappe / "saksframlegg.docx")
    filer["saksframlegg"] = ("bench/saksframlegg.docx", (mappe / "saksframlegg.docx").stat().st_size)
    pdf = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
           b"endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
    for navn in ["vedlegg", "saksutskrift"]:
        (mappe / f"{navn}.pdf").write_bytes(pdf)
        filer[navn] = (f"bench/{navn}.pdf", len(pdf))
    d = docx.Document()
    d.add_paragraph("Vedtaksbrev")
    d.save(mappe / "vedtaksbrev.docx")
    filer["vedtaksbrev"] = ("bench/vedtaksbrev.docx", (mappe / "vedtaksbrev.docx").stat().st_size)
    return filer
