"""Tests for saker.identitet. Valid numbers are built by computing the check digits here."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from saker.identitet import masker_fnr, ser_ut_som_fodselsnummer, skjul_fnr, valider_fnr, valider_orgnr

ORGNR_VEKTER = (3, 2, 7, 6, 5, 4, 3, 2)
FNR_VEKTER_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
FNR_VEKTER_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _kontrollsiffer(siffer: str, vekter) -> int | None:
    rest = sum(int(s) * v for s, v in zip(siffer, vekter, strict=True)) % 11
    kontroll = (11 - rest) % 11
    return None if kontroll == 10 else kontroll


def lag_orgnr(forste_atte: str) -> str | None:
    kontroll = _kontrollsiffer(forste_atte, ORGNR_VEKTER)
    return None if kontroll is None else forste_atte + str(kontroll)


def lag_fnr(fodselsdato: str, individnummer: str) -> str | None:
    """fodselsdato as DDMMYY (D-/H-number offsets included), individnummer as 3 digits."""
    ni = fodselsdato + individnummer
    k1 = _kontrollsiffer(ni, FNR_VEKTER_1)
    if k1 is None:
        return None
    k2 = _kontrollsiffer(ni + str(k1), FNR_VEKTER_2)
    return None if k2 is None else ni + str(k1) + str(k2)


def forste_gyldige_fnr(fodselsdato: str, fra: int = 0, til: int = 499) -> str:
    for individ in range(fra, til + 1):
        fnr = lag_fnr(fodselsdato, f"{individ:03d}")
        if fnr:
            return fnr
    raise AssertionError("fant ikke noe gyldig individnummer")


def feil_siste_siffer(nummer: str) -> str:
    return nummer[:-1] + str((int(nummer[-1]) + 1) % 10)


def meldinger(exc_info) -> str:
    return " ".join(exc_info.value.messages)


# -- organisasjonsnummer ----------------------------------------------------------------------


@pytest.mark.parametrize("orgnr", ["974760673", "938801363", "988077917"])
def test_offentlige_eksempler_paa_orgnr_er_gyldige(orgnr):
    assert valider_orgnr(orgnr) == orgnr


@pytest.mark.parametrize("forste_atte", ["91234568", "81000000", "99999999", "81234567"])
def test_beregnede_orgnr_er_gyldige(forste_atte):
    orgnr = lag_orgnr(forste_atte)
    assert orgnr is not None
    assert valider_orgnr(orgnr) == orgnr


def test_orgnr_med_mellomrom_gir_kompakt_verdi():
    assert valider_orgnr(" 974 760 673 ") == "974760673"


def test_orgnr_med_feil_kontrollsiffer():
    with pytest.raises(ValidationError) as feil:
        valider_orgnr("974760674")
    assert meldinger(feil) == "Organisasjonsnummeret har feil kontrollsiffer."
    assert feil.value.code == "orgnr_kontrollsiffer"


def test_orgnr_der_kontrollsifferet_ville_blitt_10_er_alltid_ugyldig():
    prefiks = next(
        f"9{n:07d}" for n in range(10_000_000) if _kontrollsiffer(f"9{n:07d}", ORGNR_VEKTER) is None
    )
    for siste in "0123456789":
        with pytest.raises(ValidationError):
            valider_orgnr(prefiks + siste)


@pytest.mark.parametrize("verdi", ["97476067", "9747606731", "1"])
def test_orgnr_med_feil_lengde(verdi):
    with pytest.raises(ValidationError) as feil:
        valider_orgnr(verdi)
    assert meldinger(feil) == "Organisasjonsnummeret må ha 9 siffer."


@pytest.mark.parametrize("verdi", ["97476067A", "abcdefghi", "974.760.673", "٩٧٤٧٦٠٦٧٣"])
def test_orgnr_med_bokstaver_eller_andre_tegn(verdi):
    with pytest.raises(ValidationError) as feil:
        valider_orgnr(verdi)
    assert meldinger(feil) == "Organisasjonsnummeret kan bare inneholde siffer."


@pytest.mark.parametrize("verdi", ["", "   ", None])
def test_orgnr_mangler(verdi):
    with pytest.raises(ValidationError) as feil:
        valider_orgnr(verdi)
    assert meldinger(feil) == "Organisasjonsnummeret mangler."


# -- fødselsnummer ----------------------------------------------------------------------------


@pytest.mark.parametrize("fodselsdato", ["010190", "311299", "290296", "150585", "010101"])
def test_beregnede_fnr_er_gyldige(fodselsdato):
    fnr = forste_gyldige_fnr(fodselsdato)
    assert valider_fnr(fnr) == fnr


def test_fnr_fodt_etter_2000_med_individnummer_over_500():
    fnr = forste_gyldige_fnr("150310", fra=500, til=999)
    assert valider_fnr(fnr) == fnr


def test_29_februar_2000_er_gyldig_men_ikke_1900():
    aar_2000 = forste_gyldige_fnr("290200", fra=500, til=999)
    assert valider_fnr(aar_2000) == aar_2000
    aar_1900 = forste_gyldige_fnr("290200", fra=0, til=499)
    with pytest.raises(ValidationError):
        valider_fnr(aar_1900)


def test_d_nummer_er_gyldig():
    d_nummer = forste_gyldige_fnr("410190")  # day + 40
    assert valider_fnr(d_nummer) == d_nummer


def test_h_nummer_er_gyldig():
    h_nummer = forste_gyldige_fnr("015190")  # month + 40
    assert valider_fnr(h_nummer) == h_nummer


def test_fnr_med_mellomrom_gir_kompakt_verdi():
    fnr = forste_gyldige_fnr("010190")
    assert valider_fnr(f" {fnr[:6]} {fnr[6:]} ") == fnr


def test_fnr_med_feil_forste_kontrollsiffer():
    fnr = forste_gyldige_fnr("010190")
    ugyldig = fnr[:9] + str((int(fnr[9]) + 1) % 10) + fnr[10]
    with pytest.raises(ValidationError) as feil:
        valider_fnr(ugyldig)
    assert meldinger(feil) == "Fødselsnummeret har feil kontrollsiffer."
    assert fnr not in meldinger(feil)


def test_fnr_med_feil_andre_kontrollsiffer():
    fnr = forste_gyldige_fnr("010190")
    with pytest.raises(ValidationError) as feil:
        valider_fnr(feil_siste_siffer(fnr))
    assert meldinger(feil) == "Fødselsnummeret har feil kontrollsiffer."
    assert feil.value.code == "fnr_kontrollsiffer"


@pytest.mark.parametrize("fodselsdato", ["310290", "300290", "320190", "011390", "010090", "290201"])
def test_fnr_med_ugyldig_dato(fodselsdato):
    fnr = forste_gyldige_fnr(fodselsdato)  # correct check digits, impossible date
    with pytest.raises(ValidationError) as feil:
        valider_fnr(fnr)
    assert meldinger(feil) == "Fødselsnummeret inneholder ikke en gyldig fødselsdato."


def test_fnr_med_fodselsdato_fram_i_tid():
    aar = datetime.date.today().year + 1
    assert aar < 2040  # individual numbers 500-999 with a year below 40 mean the 2000s
    fnr = forste_gyldige_fnr(f"0101{aar % 100:02d}", fra=500, til=999)
    with pytest.raises(ValidationError) as feil:
        valider_fnr(fnr)
    assert meldinger(feil) == "Fødselsnummeret inneholder ikke en gyldig fødselsdato."


@pytest.mark.parametrize("verdi", ["0101901234", "010190123456", "123"])
def test_fnr_med_feil_lengde(verdi):
    with pytest.raises(ValidationError) as feil:
        valider_fnr(verdi)
    assert meldinger(feil) == "Fødselsnummeret må ha 11 siffer."


@pytest.mark.parametrize("verdi", ["0101901234A", "abcdefghijk", "010190.12345"])
def test_fnr_med_bokstaver(verdi):
    with pytest.raises(ValidationError) as feil:
        valider_fnr(verdi)
    assert meldinger(feil) == "Fødselsnummeret kan bare inneholde siffer."


def test_fnr_mangler():
    with pytest.raises(ValidationError) as feil:
        valider_fnr("")
    assert meldinger(feil) == "Fødselsnummeret mangler."


# -- maskering --------------------------------------------------------------------------------


def test_masker_fnr_viser_bare_fodselsdato():
    fnr = forste_gyldige_fnr("010190")
    assert masker_fnr(fnr) == "010190*****"
    assert masker_fnr(f"{fnr[:6]} {fnr[6:]}") == "010190*****"


@pytest.mark.parametrize("verdi", ["12345", "0101901234A", "010190123456"])
def test_masker_fnr_skjuler_alt_som_ikke_er_11_siffer(verdi):
    maskert = masker_fnr(verdi)
    assert set(maskert) == {"*"}


def test_masker_fnr_tom_verdi():
    assert masker_fnr("") == ""
    assert masker_fnr(None) == ""


# -- fødselsnummer i en tekst ----------------------------------------------------------------


@pytest.mark.parametrize(
    "tekst",
    [
        "Kontonummer 1503.12.34567 og 15031234567",  # invalid check digits
        "Org.nr. 964 949 204, tlf. 66 93 80 00, sak 19/04567-12",
        "Beløp kr 15819040018",  # last check digit wrong
        "Referanse 123456789012345",  # longer than eleven digits
    ],
)
def test_it_does_not_mistake_other_numbers_for_an_identity_number(tekst):
    assert not ser_ut_som_fodselsnummer(tekst)


def test_it_recognises_d_numbers():
    # A D-number adds 40 to the day of birth; check digits computed for 55819040000.
    assert ser_ut_som_fodselsnummer("D-nummer 55819040000")


def test_skjul_fnr_maskerer_alle_tall_med_elleve_siffer_i_en_tekst():
    fnr = forste_gyldige_fnr("010190")
    tekst = f"Mottaker {fnr} (også skrevet {fnr[:6]} {fnr[6:]}) finnes ikke; ring 66938000."
    assert skjul_fnr(tekst) == "Mottaker 010190***** (også skrevet 010190*****) finnes ikke; ring 66938000."


def test_skjul_fnr_lar_lengre_tall_vaere():
    assert skjul_fnr("Referanse 123456789012345") == "Referanse 123456789012345"
