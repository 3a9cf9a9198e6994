"""Benchmark: PDF/A with the real LibreOffice.

    make bench-pdf                  # 100 cases, SQLite in a temporary file
    BENCH_SAKER=20 make bench-pdf

Prints the seconds to convert one generated vedtaksbrev to PDF/A (first run in a fresh LibreOffice profile,
then warm), and to build the møtebok of an agenda of BENCH_SAKER cases, each with a generated saksframlegg
(.docx) and every third with a PDF vedlegg, every tenth exempt: once with nothing converted, and once more after
one vedlegg changed (the other documents' PDF/A are reused). Runs the worker's job in this process, as the
worker does, against its own throwaway database and media directory.
"""

import io
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overgang.settings.test")
_tmp = tempfile.TemporaryDirectory()
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp.name}/bench.sqlite3")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test.runner import DiscoverRunner  # noqa: E402

ANTALL_SAKER = int(os.environ.get("BENCH_SAKER", "100"))


def tom_pdf(sider: int) -> bytes:
    from pypdf import PdfWriter

    skriver, ut = PdfWriter(), io.BytesIO()
    for _ in range(sider):
        skriver.add_blank_page(595, 842)
    skriver.write(ut)
    return ut.getvalue()


def lag_agenda():
    from django.core.files.base import ContentFile

    from saker.models import Dokument
    from tests.factories import BrukerFactory, MoteFactory, SakFactory, SakslistepunktFactory, UtvalgFactory, dag

    siri = BrukerFactory.sekretariat(username="siri")
    mote = MoteFactory(utvalg=UtvalgFactory(navn="Kommunestyret", kode="KST"), tidspunkt=dag(14))
    vedlegg = tom_pdf(2)
    for i in range(1, ANTALL_SAKER + 1):
        unntatt = {"unntatt_offentlighet": True, "hjemmel": "offl. § 13", "offentlig_tittel": f"Personalsak {i}"} \
            if i % 10 == 0 else {}
        sak = SakFactory(status="sendt_sekretariat", rute=[mote.utvalg], tittel=f"Sak {i} om skolestruktur på Fet",
                         **unntatt)
        if i % 3 == 0:
            dokument = Dokument(sak=sak, rolle=Dokument.Rolle.VEDLEGG, filnavn="kart.pdf", mime="application/pdf",
                                storrelse=len(vedlegg), lastet_opp_av=sak.saksbehandler)
            dokument.fil.save("kart.pdf", ContentFile(vedlegg), save=False)
            dokument.save()
        SakslistepunktFactory(mote=mote, sak=sak, nummer=i, rekkefolge=i, lagt_til_av=siri)
    return mote, siri


def bygg(mote, siri) -> tuple[float, int]:
    from django.test.utils import override_settings

    from sekretariat import motebok

    start = time.perf_counter()
    # The task would run after commit; here the job is run directly, as the worker runs it.
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        rad = motebok.motepdf_bestill(mote=mote, slag="motebok", av=siri)
    rad = motebok.motepdf_lag(rad_id=rad.pk, avtrykk=rad.fingeravtrykk)
    assert rad is not None and rad.status == "ferdig", rad and rad.feilmelding
    return time.perf_counter() - start, rad.storrelse


def main() -> None:
    from saker.filer import pdfa
    from tests.factories import lag_docx

    if not pdfa.tilgjengelig():
        sys.exit(f"LibreOffice finnes ikke ({settings.LIBREOFFICE}); Debian: apt-get install libreoffice-writer-nogui")
    media = tempfile.mkdtemp(prefix="bench-pdf-")
    settings.MEDIA_ROOT = media
    settings.PDFA_PROFILMAPPE = Path(media) / "libreoffice"
    runner = DiscoverRunner(verbosity=0)
    old = runner.setup_databases()
    try:
        brev = vedtaksbrev()
        kald = _tid(lambda: pdfa.til_pdfa(brev, "brev.docx"))
        varm = min(_tid(lambda: pdfa.til_pdfa(brev, "brev.docx")) for _ in range(3))
        print(f"Ett vedtaksbrev til PDF/A: {kald:.2f} s første gang (ny LibreOffice-profil), {varm:.2f} s deretter")
        print(f"  (saksframlegg til sammenligning: {_tid(lambda: pdfa.til_pdfa(lag_docx(), 'a.docx')):.2f} s)")

        mote, siri = lag_agenda()
        sekunder, storrelse = bygg(mote, siri)
        print(f"Møtebok for {ANTALL_SAKER} saker: {sekunder:.1f} s ({storrelse / 1e6:.1f} MB)")
        from saker.models import Dokument

        endret = Dokument.objects.filter(filnavn="kart.pdf").first()
        endret.pk = None
        endret.filnavn = "kart2.pdf"
        endret.save()
        sekunder, _ = bygg(mote, siri)
        print(f"Møtebok på nytt etter ett nytt vedlegg (PDF/A av de andre gjenbrukt): {sekunder:.1f} s")
    finally:
        runner.teardown_databases(old)
        shutil.rmtree(media, ignore_errors=True)


def vedtaksbrev() -> bytes:
    import datetime

    from saker import vedtaksbrev_docx as v

    return v.bygg_vedtaksbrev(v.VedtaksbrevData(
        avsender=v.avsender_for("skedsmo"), mottaker=v.Part(navn="Åse Ødegård", adresse="Bjørkeveien 5",
                                                         postnummer="2013", poststed="Skjetten"),
        dato=datetime.date(2026, 11, 26), var_ref="19/01234", p360_ref="20/00123-4",
        tittel="Søknad om skyss for elev på Fjellhamar skole", utvalg_navn="Hovedutvalg for oppvekst",
        motedato=datetime.date(2026, 11, 19), utvalgssaksnr="PS 12/26",
        vedtakstekst="Søknaden innvilges.\nSkyss gis fra 1. januar.", saksbehandler_navn="Sara Saksbehandler",
        saksbehandler_telefon="12345678", saksbehandler_epost="sara@lillestrom.kommune.no",
        klageinstans=settings.VEDTAKSBREV_KLAGEINSTANS, vedlegg=["Saksutskrift PS 12/26"]))


def _tid(funksjon) -> float:
    start = time.perf_counter()
    funksjon()
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
