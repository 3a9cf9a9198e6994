"""The meeting's møtebok (sakskart) and saksliste as PDF: built by the worker from the agenda and the cases'
documents, with a bookmark per case, exempt documents left out, kept until something changes, and shown with
its progress on the meeting's page."""

import io

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from saker.dokument_pdf import DokumentPdf
from saker.filer import pdfa
from saker.models import Dokument
from sekretariat import motebok
from sekretariat.motebok_modell import MotePdf
from sekretariat.motebok_pdf import BokDokument, BokSak, bygg_motebok
from tests.docx_tekst import tekstlinjer
from tests.factories import MoteFactory, SakFactory, SakslistepunktFactory, dag
from tests.tjenester import krev_libreoffice

pytestmark = pytest.mark.django_db

HEMMELIG = "Oppsigelse av Ola Nordmann"


def tom_pdf(sider: int = 1) -> bytes:
    skriver = PdfWriter()
    for _ in range(sider):
        skriver.add_blank_page(595, 842)
    ut = io.BytesIO()
    skriver.write(ut)
    return ut.getvalue()


def legg_ved(sak, filnavn: str, innhold: bytes, mime: str) -> Dokument:
    dokument = Dokument(sak=sak, rolle=Dokument.Rolle.VEDLEGG, filnavn=filnavn, mime=mime, storrelse=len(innhold),
                        lastet_opp_av=sak.saksbehandler)
    dokument.fil.save(filnavn, ContentFile(innhold), save=False)
    dokument.save()
    return dokument


@pytest.fixture
def mote(fsk):
    return MoteFactory(utvalg=fsk, tidspunkt=dag(14))


def agenda(mote, sekretar, antall: int, unntatt: set[int] = frozenset()):
    """`antall` cases on the agenda, placed in the reverse order of their numbers, so agenda order is not id
    order; the cases numbered in `unntatt` are exempt, with a secret full title and a public one."""
    punkter = []
    for i in range(1, antall + 1):
        felt = {"tittel": f"Sak {i} om skolestruktur på Fet og Sørum"}
        if i in unntatt:
            felt = {"tittel": f"{HEMMELIG} {i}", "unntatt_offentlighet": True, "hjemmel": "offl. § 13 jf. fvl. § 13",
                    "offentlig_tittel": f"Personalsak {i} – *****"}
        sak = SakFactory(status="sendt_sekretariat", rute=[mote.utvalg], **felt)
        punkter.append(SakslistepunktFactory(mote=mote, sak=sak, nummer=i, rekkefolge=antall + 1 - i,
                                             lagt_til_av=sekretar))
    return sorted(punkter, key=lambda p: p.rekkefolge)


def lag(client, mote, slag, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(reverse("sekretariat:motepdf_bestill", args=[mote.pk]), {"slag": slag}, follow=True)


def hele_teksten(pdf: bytes) -> str:
    return "\n".join(side.extract_text() for side in PdfReader(io.BytesIO(pdf)).pages)


def bokmerker(pdf: bytes) -> list[str]:
    return [o.title for o in PdfReader(io.BytesIO(pdf)).outline if not isinstance(o, list)]


def test_the_motebok_of_a_20_case_agenda_has_20_bookmarks_in_order_and_leaves_exempt_documents_out(
        client, sekretar, mote, django_capture_on_commit_callbacks):
    krev_libreoffice()
    punkter = agenda(mote, sekretar, 20, unntatt={5, 12})
    vedlagt = legg_ved(punkter[0].sak, "kart.pdf", tom_pdf(3), pdfa.PDF_MIME)
    client.force_login(sekretar)

    html = lag(client, mote, "motebok", django_capture_on_commit_callbacks).content.decode()
    assert "Møtebok lages." in html  # the worker runs after commit
    assert MotePdf.objects.get(mote=mote, slag="motebok").status == MotePdf.Status.FERDIG
    svar = client.get(reverse("sekretariat:motebok_pdf", args=[mote.pk]))
    assert svar.status_code == 200 and svar["Content-Type"] == "application/pdf"
    pdf = b"".join(svar.streaming_content)

    # Agenda order, PS number and the public title; the first case's vedlegg is a child of its bookmark.
    assert bokmerker(pdf) == [f"{p.utvalgssaksnr} {p.sak.tittel_ut}" for p in punkter]
    leser = PdfReader(io.BytesIO(pdf))
    assert [o.title for o in leser.outline[1]] == ["Saksframlegg: saksframlegg.docx", "Vedlegg: kart.pdf"]
    tekst = hele_teksten(pdf)
    # Exempt: neither the full title nor the saksframlegg (which carries it), but a line that says so.
    assert HEMMELIG not in tekst
    assert tekst.count("Saken er unntatt offentlighet (offl. § 13 jf. fvl. § 13)") == 2
    # The other cases' saksframlegg, converted, and the PDF vedlegg merged as it is (3 pages).
    assert all(p.sak.tittel in tekst for p in punkter if not p.sak.unntatt_offentlighet)
    forste = leser.get_destination_page_number(leser.outline[0])
    neste = leser.get_destination_page_number(leser.outline[2])
    assert neste - forste == len(PdfReader(Dokument.objects.get(sak=punkter[0].sak, rolle="hoveddokument")
                                           .pdfa.fil.path).pages) + 3
    assert not DokumentPdf.objects.filter(dokument__sak__unntatt_offentlighet=True).exists()
    assert not DokumentPdf.objects.filter(dokument=vedlagt).exists()  # a PDF needs no rendering


def test_the_saksliste_as_pdf_is_pdfa_with_the_public_titles(client, sekretar, mote,
                                                             django_capture_on_commit_callbacks):
    krev_libreoffice()
    agenda(mote, sekretar, 3, unntatt={2})
    client.force_login(sekretar)
    lag(client, mote, "saksliste", django_capture_on_commit_callbacks)
    pdf = b"".join(client.get(reverse("sekretariat:saksliste_pdf", args=[mote.pk])).streaming_content)
    assert pdfa.pdfa_del(pdf) >= 2 and pdfa.fonter_uten_innbygging(pdf) == []
    tekst = hele_teksten(pdf)
    assert "Møtested" in tekst and "Sørum" in tekst and "Personalsak 2" in tekst and HEMMELIG not in tekst


def test_the_book_is_kept_until_the_agenda_or_a_document_changes(client, sekretar, mote,
                                                                  django_capture_on_commit_callbacks):
    krev_libreoffice()
    punkter = agenda(mote, sekretar, 2)
    client.force_login(sekretar)
    lag(client, mote, "motebok", django_capture_on_commit_callbacks)
    rad = MotePdf.objects.get(mote=mote, slag="motebok")
    status = reverse("sekretariat:motepdf_status", args=[mote.pk])
    assert "Last ned PDF" in client.get(status).content.decode()

    # Ordering again with nothing changed keeps the file.
    lag(client, mote, "motebok", django_capture_on_commit_callbacks)
    assert MotePdf.objects.get(pk=rad.pk).fil.name == rad.fil.name

    # A new vedlegg makes it stale: not handed out, and made again on order; converted documents are reused.
    legg_ved(punkter[1].sak, "modell.dwg", b"AC1032", "application/octet-stream")
    assert "er endret siden" in client.get(status).content.decode()
    svar = client.get(reverse("sekretariat:motebok_pdf", args=[mote.pk]))
    assert svar.status_code == 302 and svar.url == status
    ferdige = set(DokumentPdf.objects.filter(status="ferdig").values_list("pk", "ferdig"))
    lag(client, mote, "motebok", django_capture_on_commit_callbacks)
    ny = MotePdf.objects.get(pk=rad.pk)
    assert ny.status == "ferdig" and ny.fil.name != rad.fil.name and ny.fingeravtrykk != rad.fingeravtrykk
    assert ferdige <= set(DokumentPdf.objects.filter(status="ferdig").values_list("pk", "ferdig"))
    # A drawing cannot be converted: the book says which and why instead of leaving it out silently.
    tekst = hele_teksten(b"".join(client.get(reverse("sekretariat:motebok_pdf", args=[mote.pk])).streaming_content))
    assert "Vedlegg: modell.dwg kunne ikke tas med i møteboka" in tekst


def test_the_meetings_page_shows_the_progress_of_a_book_being_made(client, sekretar, mote,
                                                                   django_assert_num_queries):
    agenda(mote, sekretar, 2)
    MotePdf.objects.create(mote=mote, slag="motebok", status="lager", fingeravtrykk=motebok.fingeravtrykk(
        mote, "motebok"), deler_ferdig=3, deler_totalt=10)
    client.force_login(sekretar)
    side = client.get(reverse("sekretariat:mote", args=[mote.pk])).content.decode()
    url = reverse("sekretariat:motepdf_status", args=[mote.pk])
    assert f'data-motebok-url="{url}?del=1"' in side and "js/motebok.js" in side
    # session, user, groups, meeting, its rows, agenda, documents
    with django_assert_num_queries(7):
        del_ = client.get(url, {"del": "1"}).content.decode()
    assert "3 av 10 deler" in del_ and 'value="30"' in del_ and "data-motebok-arbeid" in del_
    assert "<html" not in del_


def test_a_case_officer_with_a_case_on_the_agenda_may_download_and_an_outsider_may_not(
        client, sekretar, mote, utenforstaende, django_capture_on_commit_callbacks):
    krev_libreoffice()
    [punkt] = agenda(mote, sekretar, 1)
    client.force_login(sekretar)
    lag(client, mote, "saksliste", django_capture_on_commit_callbacks)
    url = reverse("sekretariat:saksliste_pdf", args=[mote.pk])
    client.force_login(punkt.sak.saksbehandler)
    assert client.get(url).status_code == 200
    assert client.post(reverse("sekretariat:motepdf_bestill", args=[mote.pk]), {"slag": "saksliste"}).status_code == 403
    client.force_login(utenforstaende)
    assert client.get(url).status_code == 404


def test_without_libreoffice_the_meeting_says_so_and_offers_the_word_agenda(
        client, sekretar, mote, settings, django_capture_on_commit_callbacks):
    settings.LIBREOFFICE = "/finnes/ikke/soffice"
    agenda(mote, sekretar, 1)
    client.force_login(sekretar)
    lag(client, mote, "saksliste", django_capture_on_commit_callbacks)
    html = client.get(reverse("sekretariat:motepdf_status", args=[mote.pk])).content.decode()
    assert "PDF kan ikke lages her fordi LibreOffice ikke er installert på serveren." in html
    del_ = client.get(reverse("sekretariat:motepdf_status", args=[mote.pk]), {"del": "1"}).content.decode()
    assert "LibreOffice ikke er installert" in del_
    assert reverse("sekretariat:saksliste_docx", args=[mote.pk]) in del_
    assert MotePdf.objects.get(mote=mote).status == MotePdf.Status.UTEN_LIBREOFFICE


def test_the_word_agenda_is_made_by_the_builder_the_pdf_is_made_from(client, sekretar, mote, monkeypatch):
    agenda(mote, sekretar, 3, unntatt={2})
    client.force_login(sekretar)
    url = reverse("sekretariat:saksliste_docx", args=[mote.pk])
    # The same rows, public titles and order as the builder the saksliste PDF converts.
    assert tekstlinjer(client.get(url).content) == tekstlinjer(motebok.saksliste_docx(mote))

    bygget = []
    monkeypatch.setattr(motebok, "saksliste_docx", lambda m, punkter=None: bygget.append(m.pk) or b"agenda")
    assert client.get(url).content == b"agenda" and bygget == [mote.pk]


def test_the_book_builder_bookmarks_each_case_and_marks_what_is_missing():
    """Pure pypdf: runs without LibreOffice."""
    saker = [
        BokSak("PS 1/26", "Skolestruktur på Fet", dokumenter=[BokDokument("Saksframlegg: a.pdf", tom_pdf(2)),
                                                               BokDokument("Vedlegg: b.xlsx", None, "Ingen Calc.")]),
        BokSak("PS 2/26", "Personalsak – *****", unntatt_offentlighet=True, hjemmel="offl. § 25",
               dokumenter=[BokDokument("Saksframlegg: c.pdf", tom_pdf(5))]),
        BokSak("PS 3/26", "Orientering", dokumenter=[]),
    ]
    kall = []
    pdf = bygg_motebok(tom_pdf(1), saker, tittel="Møtebok", underveis=lambda: kall.append(1))
    leser = PdfReader(io.BytesIO(pdf))
    assert bokmerker(pdf) == ["PS 1/26 Skolestruktur på Fet", "PS 2/26 Personalsak – *****", "PS 3/26 Orientering"]
    # agenda 1 + case 1: 2 pages and a notice + case 2: one notice (not its 5 pages) + case 3: one notice
    assert len(leser.pages) == 1 + 3 + 1 + 1 and len(kall) == 3
    tekst = hele_teksten(pdf)
    assert "Vedlegg: b.xlsx kunne ikke tas med i møteboka:" in tekst and "Ingen Calc." in tekst
    assert "Saken er unntatt offentlighet (offl. § 25)." in tekst and "Saken har ingen dokumenter" in tekst
