"""Benchmark: what checking and reading one upload costs the web process, in peak memory and time.

    .venv/bin/python bench/opplasting.py            # 50 MB uploads (MAKS_FILSTORRELSE_MB's default)
    BENCH_OPPLASTING_MB=20 .venv/bin/python bench/opplasting.py

Makes each file on disk (as Django keeps an upload over 5 MB), then measures it in a fresh Python process:
its resident memory before, and its high-water mark (VmHWM) after the upload policy (saker.filer.valider_fil)
and, for a .docx saksframlegg, reading the title and innstilling and the preview text, as the new-case form
and the saving of the document do. RSS, not tracemalloc, so lxml's and zlib's C allocations count. The
issue's limit: a 50 MB upload must not raise the web process by more than 100 MB. Exits 1 if one does.
"""

import io
import json
import os
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "overgang.settings.test")

MB = 1024 * 1024
STORRELSE = int(os.environ.get("BENCH_OPPLASTING_MB", "50")) * MB
GRENSE_MB = 100
ORD = ("kommunestyret vedtar skolebehovsplanen for Lillestrøm Skedsmo Fet Sørum barnehage tomt kostnadsramme "
       "innstilling saksframlegg vurdering bakgrunn økonomi formannskapet utvalg møte vedtak").split()


def _docx(deler: dict[str, bytes], tekst_xml: bytes | None = None) -> bytes:
    from saker.saksframlegg_demo import lag_saksframlegg

    framlegg = lag_saksframlegg("Skolebehovsplan for Lillestrøm 2020–2030", "Kommunestyret vedtar skolebehovsplanen.")
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(framlegg), "r") as inn, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as ut:
        for info in inn.infolist():
            data = inn.read(info)
            if tekst_xml is not None and info.filename == "word/document.xml":
                data = data.replace(b"</w:body>", tekst_xml + b"</w:body>", 1)
            ut.writestr(info, data)
        for navn, data in deler.items():
            ut.writestr(navn, data, zipfile.ZIP_STORED)
    return buffer.getvalue()


def docx_med_bilder() -> bytes:
    """A saksframlegg with photos: a small document and incompressible media up to the size."""
    bilder = {f"word/media/bilde{i}.jpeg": random.randbytes((STORRELSE - MB) // 12) for i in range(12)}
    return _docx(bilder)


def docx_med_mye_tekst() -> bytes:
    """A long document: about 90 MB of document.xml (under the 100 MB a part may unpack to), media to the size."""
    rng = random.Random(3030)
    avsnitt = []
    lengde = 0
    while lengde < 90 * MB:
        tekst = " ".join(rng.choice(ORD) for _ in range(40))
        biten = f"<w:p><w:r><w:t>{tekst}</w:t></w:r></w:p>"
        avsnitt.append(biten)
        lengde += len(biten.encode())
    tekst_xml = "".join(avsnitt).encode()
    data = _docx({}, tekst_xml)
    fyll = max(STORRELSE - len(data) - MB, 0)
    return _docx({"word/media/fyll.bin": random.randbytes(fyll)}, tekst_xml) if fyll else data


def zip_bombe() -> bytes:
    """The issue's case: a small .docx whose document.xml unpacks to 190 MB."""
    avsnitt = b"<w:p><w:r><w:t>Lillestr\xc3\xb8m</w:t></w:r></w:p>" * (190 * MB // 44)
    return _docx({}, avsnitt)


def pdf_med_bilder() -> bytes:
    """A scanned document: 200 pages, each with an incompressible image, up to the size."""
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject, NumberObject

    skriver = PdfWriter()
    per_side = STORRELSE // 200 - 4096
    for _ in range(200):
        side = skriver.add_blank_page(595, 842)
        bilde = DecodedStreamObject()
        bilde.set_data(random.randbytes(per_side))
        bilde.update({NameObject("/Type"): NameObject("/XObject"), NameObject("/Subtype"): NameObject("/Image"),
                      NameObject("/Width"): NumberObject(1), NameObject("/Height"): NumberObject(per_side),
                      NameObject("/ColorSpace"): NameObject("/DeviceGray"),
                      NameObject("/BitsPerComponent"): NumberObject(8)})
        side[NameObject("/Resources")] = DictionaryObject({NameObject("/XObject"): DictionaryObject({
            NameObject("/Im0"): skriver._add_object(bilde)})})
    buffer = io.BytesIO()
    skriver.write(buffer)
    return buffer.getvalue()


FILER = {
    "docx med bilder": ("Saksframlegg.docx", docx_med_bilder),
    "docx med 90 MB document.xml": ("Lang rapport.docx", docx_med_mye_tekst),
    "docx som pakkes ut til 190 MB": ("Bombe.docx", zip_bombe),
    "pdf, 200 sider med bilder": ("Skannet.pdf", pdf_med_bilder),
}


def _status() -> dict[str, int]:
    felt = {}
    for linje in Path("/proc/self/status").read_text().splitlines():
        navn, _, verdi = linje.partition(":")
        if navn in ("VmRSS", "VmHWM"):
            felt[navn] = int(verdi.split()[0]) * 1024
    return felt


def mal(sti: str, navn: str) -> None:
    """In the child: check and read one file, print the figures as JSON."""
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files import File

    from saker import filer

    for_ = _status()["VmRSS"]
    start = time.perf_counter()
    utfall = "godtatt"
    with open(sti, "rb") as fil:
        opplasting = File(fil, name=navn)
        try:
            info = filer.valider_fil(opplasting, rolle="hoveddokument", maks_bytes=STORRELSE + MB)
            if info.filendelse == ".docx":
                innhold = filer.les_saksframlegg(opplasting)
                tekst = filer.forhandsvisning_som_tekst(opplasting)
                utfall = f"godtatt, tittel «{innhold.tittel[:30]}», {len(tekst)} tegn forhåndsvisning"
        except ValidationError as feil:
            utfall = "avvist: " + feil.messages[0][:70]
    sekunder = time.perf_counter() - start
    etter = _status()
    print(json.dumps({"for": for_, "topp": etter["VmHWM"], "sekunder": sekunder, "utfall": utfall}))


def main() -> int:
    print(f"Sjekk og lesing av én opplasting, målt i en egen prosess (grense: +{GRENSE_MB} MB)\n")
    print(f"{'fil':32} {'størrelse':>10} {'tid':>7} {'RSS før':>9} {'topp':>9} {'økning':>8}  utfall")
    verste = 0.0
    with tempfile.TemporaryDirectory() as mappe:
        for etikett, (navn, lag) in FILER.items():
            sti = Path(mappe) / navn
            sti.write_bytes(lag())
            ut = subprocess.run([sys.executable, __file__, "--mal", str(sti), navn], capture_output=True, text=True,
                                cwd=ROOT, check=True)
            tall = json.loads(ut.stdout.strip().splitlines()[-1])
            okning = (tall["topp"] - tall["for"]) / MB
            verste = max(verste, okning)
            print(f"{etikett:32} {sti.stat().st_size / MB:>8.1f} MB {tall['sekunder']:>6.2f}s "
                  f"{tall['for'] / MB:>7.0f} MB {tall['topp'] / MB:>7.0f} MB {okning:>+6.0f} MB  {tall['utfall']}")
            sti.unlink()
    print(f"\nStørste økning: {verste:+.0f} MB (grense +{GRENSE_MB} MB)")
    return 0 if verste <= GRENSE_MB else 1


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--mal":
        mal(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
