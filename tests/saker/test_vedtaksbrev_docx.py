import dataclasses
from datetime import date

import pytest
from docx.oxml.ns import qn

from saker.vedtaksbrev_docx import (
    MALER,
    Part,
    VedtaksbrevData,
    avsender_for,
    bygg_vedtaksbrev,
)
from tests.docx_tekst import all_tekst, apne, tekstlinjer

# A synthetic test identity number (month + 80): valid check digits, belongs to no one.
SYNTETISK_FNR = "15819040017"


def brev(**kwargs) -> VedtaksbrevData:
    verdier = {
        "avsender": avsender_for("skedsmo", enhet="Plan- og byggesak"),
        "mottaker": Part(
            navn="Åse Ødegård", adresse="Storgata 12 B", postnummer="2000", poststed="Lillestrøm"
        ),
        "dato": date(2019, 11, 20),
        "var_ref": "19/04567-12",
        "p360_ref": "20/00123-4",
        "tittel": "Dispensasjon for garasje i Fjellveien 3",
        "utvalg_navn": "Formannskapet",
        "motedato": date(2019, 11, 14),
        "utvalgssaksnr": "PS 12/19",
        "vedtakstekst": (
            "1. Søknaden om dispensasjon innvilges.\n\n2. Vilkår: garasjen plasseres minst 4 m fra vei."
        ),
        "saksbehandler_navn": "Kari Nordmann",
        "saksbehandler_telefon": "66 93 81 23",
        "saksbehandler_epost": "kari.nordmann@skedsmo.kommune.no",
        "klageinstans": "Fylkesmannen i Oslo og Viken",
        "vedlegg": ["Saksutskrift PS 12/19", "Situasjonskart"],
    }
    return VedtaksbrevData(**(verdier | kwargs))


def bunntekst(data: bytes) -> str:
    return "\n".join(p.text for p in apne(data).sections[0].footer.paragraphs)


def test_it_carries_each_paragraph_of_the_decision_as_its_own_paragraph():
    linjer = tekstlinjer(bygg_vedtaksbrev(brev()))

    forste = linjer.index("1. Søknaden om dispensasjon innvilges.")
    assert linjer[forste + 1] == "2. Vilkår: garasjen plasseres minst 4 m fra vei."


def test_it_indents_the_decision():
    doc = apne(bygg_vedtaksbrev(brev()))

    vedtak = next(p for p in doc.paragraphs if p.text.startswith("1. Søknaden"))
    assert vedtak.paragraph_format.left_indent is not None and vedtak.paragraph_format.left_indent > 0


def test_it_introduces_the_decision_with_body_date_and_case_number():
    tekst = all_tekst(bygg_vedtaksbrev(brev()))

    assert "Melding om vedtak – Dispensasjon for garasje i Fjellveien 3" in tekst
    assert (
        "Formannskapet behandlet saken i møte 14. november 2019 som sak PS 12/19 og fattet følgende vedtak:"
        in tekst
    )


def test_it_gives_both_references_and_the_date_in_the_reference_line():
    doc = apne(bygg_vedtaksbrev(brev()))

    celler = [cell.text for cell in doc.tables[0].rows[0].cells]
    assert celler == ["Vår ref.: 19/04567-12", "P360-ref.: 20/00123-4", "Dato: 20.11.2019"]


def test_it_addresses_the_recipient():
    linjer = tekstlinjer(bygg_vedtaksbrev(brev()))

    assert "Åse Ødegård\nStorgata 12 B\n2000 Lillestrøm" in linjer


def test_it_tells_the_party_how_to_appeal():
    tekst = all_tekst(bygg_vedtaksbrev(brev()))

    assert "Klageadgang" in tekstlinjer(bygg_vedtaksbrev(brev()))
    assert "Klagefristen er tre uker fra den dagen dette brevet kom fram til deg" in tekst
    assert "forvaltningsloven § 29" in tekst
    assert "Klagen skal rettes til Fylkesmannen i Oslo og Viken" in tekst
    assert "sendes til Skedsmo kommune, Postboks 313, 2001 Lillestrøm" in tekst
    assert "hvilket vedtak du klager over, og hvilken endring du ønsker" in tekst
    assert "rett til å se dokumentene i saken" in tekst
    assert "§§ 18 og 19" in tekst


def test_it_signs_off_with_the_case_officer_and_lists_the_enclosures():
    linjer = tekstlinjer(bygg_vedtaksbrev(brev()))

    assert linjer.index("Med hilsen") < linjer.index("Kari Nordmann")
    assert "Telefon: 66 93 81 23, E-post: kari.nordmann@skedsmo.kommune.no" in linjer
    vedlegg = linjer.index("Vedlegg:")
    assert linjer[vedlegg + 1 : vedlegg + 3] == ["Saksutskrift PS 12/19", "Situasjonskart"]


def test_it_leaves_out_the_enclosure_heading_when_there_are_none():
    assert "Vedlegg:" not in tekstlinjer(bygg_vedtaksbrev(brev(vedlegg=[])))


def test_it_puts_the_sender_contact_details_in_the_footer():
    fot = bunntekst(bygg_vedtaksbrev(brev()))

    assert "Postadresse: Postboks 313, 2001 Lillestrøm" in fot
    assert "Besøksadresse: Skedsmo rådhus" in fot
    assert "Telefon: 66 93 80 00" in fot
    assert "E-post: postmottak@skedsmo.kommune.no" in fot
    assert "Nettside: www.skedsmo.kommune.no" in fot


def test_it_mentions_the_merger_in_the_tense_that_fits_the_date():
    assert "Fra 1. januar 2020 blir Skedsmo kommune en del av Lillestrøm kommune." in bunntekst(
        bygg_vedtaksbrev(brev(dato=date(2019, 12, 2)))
    )
    assert "Fra 1. januar 2020 er Skedsmo kommune en del av Lillestrøm kommune." in bunntekst(
        bygg_vedtaksbrev(brev(dato=date(2020, 1, 15)))
    )


@pytest.mark.parametrize(
    ("kode", "kommune", "postadresse"),
    [
        ("skedsmo", "Skedsmo kommune", "Postboks 313, 2001 Lillestrøm"),
        ("fet", "Fet kommune", "Postboks 54, 1901 Fetsund"),
        ("sorum", "Sørum kommune", "Postboks 53, 1921 Sørumsand"),
    ],
)
def test_each_municipality_template_gives_its_own_letterhead(kode, kommune, postadresse):
    data = bygg_vedtaksbrev(brev(avsender=avsender_for(kode)))

    linjer = tekstlinjer(data)
    assert linjer[0] == kommune
    assert linjer[1] == "Rådmannen"
    assert f"Postadresse: {postadresse}" in bunntekst(data)
    andre = {a.kommune_navn for k, a in MALER.items() if k != kode}
    assert not any(navn in all_tekst(data) for navn in andre)


def test_the_letterhead_shows_the_unit_it_was_asked_for():
    assert tekstlinjer(bygg_vedtaksbrev(brev()))[:2] == ["Skedsmo kommune", "Plan- og byggesak"]


def test_it_finds_a_template_by_its_norwegian_spelling_too():
    assert avsender_for(" Sørum ") == MALER["sorum"]


def test_it_refuses_an_unknown_municipality():
    with pytest.raises(ValueError, match="Ukjent kommune"):
        avsender_for("oslo")


def test_it_keeps_norwegian_letters():
    tekst = all_tekst(
        bygg_vedtaksbrev(
            brev(
                avsender=avsender_for("sorum"),
                tittel="Tilskudd til Blaker skanse – vedlikehold av fløtningsmuseet",
                vedtakstekst="Sørum kommune gir tilskudd på kr 25 000 til vedlikehold av Æsøya bru.",
            )
        )
    )

    assert "Sørum kommune" in tekst
    assert "Melding om vedtak – Tilskudd til Blaker skanse – vedlikehold av fløtningsmuseet" in tekst
    assert "Sørum kommune gir tilskudd på kr 25 000 til vedlikehold av Æsøya bru." in tekst
    assert "Åse Ødegård" in tekst


def test_it_sets_title_and_norwegian_language():
    doc = apne(bygg_vedtaksbrev(brev()))

    assert doc.core_properties.title == "Melding om vedtak – Dispensasjon for garasje i Fjellveien 3"
    assert doc.core_properties.language == "nb-NO"
    lang = doc.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert lang.get(qn("w:val")) == "nb-NO"


def test_the_letter_data_has_no_field_for_a_national_identity_number():
    for klasse in (VedtaksbrevData, Part):
        navn = {f.name for f in dataclasses.fields(klasse)}
        assert not navn & {"fodselsnummer", "fnr", "personnummer", "foedselsnummer"}


@pytest.mark.parametrize("skrevet", [SYNTETISK_FNR, "158190 40017", "158190.40017"])
def test_it_refuses_a_decision_text_with_a_national_identity_number(skrevet):
    with pytest.raises(ValueError, match="fødselsnummer"):
        bygg_vedtaksbrev(brev(vedtakstekst=f"Søker (fnr. {skrevet}) innvilges dispensasjon."))


def test_it_refuses_an_identity_number_in_the_recipient_address():
    mottaker = Part(
        navn=f"Ola Hansen {SYNTETISK_FNR}", adresse="Storgata 1", postnummer="2000", poststed="Lillestrøm"
    )

    with pytest.raises(ValueError, match="fødselsnummer"):
        bygg_vedtaksbrev(brev(mottaker=mottaker))


def test_it_refuses_a_letter_without_a_decision_or_an_appeal_body():
    with pytest.raises(ValueError, match="vedtakstekst"):
        bygg_vedtaksbrev(brev(vedtakstekst=" \n \n"))
    with pytest.raises(ValueError, match="klageinstans"):
        bygg_vedtaksbrev(brev(klageinstans=""))
