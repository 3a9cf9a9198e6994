from datetime import UTC, datetime

from docx.oxml.ns import qn

from sekretariat.saksliste_docx import INGEN_SAKER, MoteInfo, SakslistePunkt, bygg_saksliste
from tests.docx_tekst import all_tekst, apne, tekstlinjer

FORMANNSKAPET = MoteInfo(
    utvalg_navn="Formannskapet",
    utvalg_kode="FSK",
    tidspunkt=datetime(2026, 12, 3, 18, 0),
    sted="Lillestrøm rådhus, møterom Kjeller",
)


def punkt(nr: str, tittel: str, **kwargs) -> SakslistePunkt:
    verdier = {
        "utvalgssaksnr": nr,
        "tittel": tittel,
        "saksbehandler": "Kari Nordmann",
        "arkivsaksnr": "19/01234",
        "unntatt_offentlighet": False,
        "hjemmel": "",
    }
    return SakslistePunkt(**(verdier | kwargs))


def sakstabell(data: bytes) -> list[list[str]]:
    doc = apne(data)
    assert len(doc.tables) == 1
    return [[cell.text for cell in row.cells] for row in doc.tables[0].rows]


def test_it_opens_with_the_heading_and_the_committee():
    linjer = tekstlinjer(bygg_saksliste(FORMANNSKAPET, [punkt("PS 1/26", "Budsjett 2027")]))

    assert linjer[0] == "Saksliste"
    assert "Formannskapet (FSK)" in linjer[1]


def test_it_gives_the_meeting_place_and_time_in_norwegian():
    tekst = all_tekst(bygg_saksliste(FORMANNSKAPET, []))

    assert "Møtested: Lillestrøm rådhus, møterom Kjeller" in tekst
    assert "Møtetid: torsdag 3. desember 2026 kl. 18:00" in tekst


def test_it_shows_an_aware_meeting_time_in_local_time():
    mote = MoteInfo("Kommunestyret", "KST", datetime(2019, 10, 23, 16, 0, tzinfo=UTC), "Skedsmo rådhus")

    assert "Møtetid: onsdag 23. oktober 2019 kl. 18:00" in all_tekst(bygg_saksliste(mote, []))


def test_it_lists_the_cases_in_the_given_order_with_their_numbers():
    punkter = [
        punkt(
            "PS 12/26", "Reguleringsplan for Nitteberg", saksbehandler="Ola Hansen", arkivsaksnr="19/04567"
        ),
        punkt("PS 3/26", "Årsmelding for Fet bibliotek", saksbehandler="Åse Sørli", arkivsaksnr="19/00012"),
        punkt("RS 1/26", "Referat fra eldrerådet", arkivsaksnr="19/00999"),
    ]

    rader = sakstabell(bygg_saksliste(FORMANNSKAPET, punkter))

    assert rader[0] == ["Saksnr", "Tittel", "Saksbehandler", "Arkivsaksnr"]
    assert rader[1:] == [
        ["PS 12/26", "Reguleringsplan for Nitteberg", "Ola Hansen", "19/04567"],
        ["PS 3/26", "Årsmelding for Fet bibliotek", "Åse Sørli", "19/00012"],
        ["RS 1/26", "Referat fra eldrerådet", "Kari Nordmann", "19/00999"],
    ]


def test_it_marks_an_exempt_case_with_its_legal_basis_under_the_title():
    punkter = [
        punkt("PS 7/26", "Salg av kommunal eiendom"),
        punkt(
            "PS 8/26",
            "Ansettelse av kommunedirektør",
            unntatt_offentlighet=True,
            hjemmel="offl. § 13 jf. fvl. § 13",
        ),
    ]

    rader = sakstabell(bygg_saksliste(FORMANNSKAPET, punkter))

    assert rader[1][1] == "Salg av kommunal eiendom"
    assert rader[2][0] == "PS 8/26"
    assert rader[2][1] == "Ansettelse av kommunedirektør\nUnntatt offentlighet, offl. § 13 jf. fvl. § 13"


def test_it_marks_an_exempt_case_without_a_legal_basis_plainly():
    rader = sakstabell(
        bygg_saksliste(FORMANNSKAPET, [punkt("PS 9/26", "Personalsak", unntatt_offentlighet=True)])
    )

    assert rader[1][1] == "Personalsak\nUnntatt offentlighet"


def test_it_says_so_when_no_cases_are_on_the_agenda():
    data = bygg_saksliste(FORMANNSKAPET, [])

    assert INGEN_SAKER == "Ingen saker er satt opp."
    assert INGEN_SAKER in tekstlinjer(data)
    assert apne(data).tables == []


def test_it_repeats_the_header_row_on_every_page():
    doc = apne(bygg_saksliste(FORMANNSKAPET, [punkt("PS 1/26", "Budsjett 2027")]))

    header_tr = doc.tables[0].rows[0]._tr
    assert header_tr.trPr is not None
    assert header_tr.trPr.find(qn("w:tblHeader")) is not None


def test_it_sets_title_and_norwegian_language():
    doc = apne(bygg_saksliste(FORMANNSKAPET, []))

    assert doc.core_properties.title == "Saksliste – Formannskapet 3. desember 2026"
    assert doc.core_properties.language == "nb-NO"
    assert "python-docx" not in doc.core_properties.author + doc.core_properties.comments
    lang = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "nb-NO"


def test_it_keeps_norwegian_letters():
    mote = MoteInfo("Hovedutvalg for miljø og næring", "HMN", datetime(2019, 11, 14, 17, 0), "Sørumsand")
    punkter = [punkt("PS 4/19", "Søknad om støtte til Fetsund lenser – ærverdig kulturminne")]

    tekst = all_tekst(bygg_saksliste(mote, punkter))

    assert "Hovedutvalg for miljø og næring" in tekst
    assert "Søknad om støtte til Fetsund lenser – ærverdig kulturminne" in tekst
    assert "Møtested: Sørumsand" in tekst
