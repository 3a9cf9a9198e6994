"""Validation of Norwegian organisation numbers and national identity numbers.

The one home of identity numbers. Validating a number a user typed: the check-digit and
birth-date rules come from python-stdnum (``stdnum.no.orgnr`` and ``stdnum.no.fodselsnummer``);
this module adds Norwegian error messages for the UI. Finding and hiding a fødselsnummer written
inside a text (a decision, a server's error message), so that a national identity number never
needs to be shown, printed or logged in full.

Validation messages never contain the number itself.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_feil
from stdnum.no import fodselsnummer, orgnr

_SKILLETEGN = re.compile(r"[\s\-]")


def _kompakt(verdi: object) -> str:
    """Remove whitespace (including non-breaking spaces) and hyphens."""
    if verdi is None:
        return ""
    return _SKILLETEGN.sub("", str(verdi))


def valider_orgnr(verdi: str) -> str:
    """Validate a Norwegian organisation number and return it as 9 digits.

    Spaces are allowed as separators ("974 760 673"). Raises ``ValidationError``.
    """
    nummer = _kompakt(verdi)
    if not nummer:
        raise ValidationError("Organisasjonsnummeret mangler.", code="orgnr_mangler")
    if not nummer.isascii() or not nummer.isdigit():
        raise ValidationError("Organisasjonsnummeret kan bare inneholde siffer.", code="orgnr_format")
    if len(nummer) != 9:
        raise ValidationError("Organisasjonsnummeret må ha 9 siffer.", code="orgnr_lengde")
    try:
        return orgnr.validate(nummer)
    except stdnum_feil.ValidationError:
        raise ValidationError(
            "Organisasjonsnummeret har feil kontrollsiffer.", code="orgnr_kontrollsiffer"
        ) from None


def valider_fnr(verdi: str) -> str:
    """Validate a fødselsnummer (also D-number and H-number) and return it as 11 digits.

    Checks both mod-11 check digits and that the number holds a real birth date that is not
    in the future. Raises ``ValidationError``; the message never contains the number.
    """
    nummer = _kompakt(verdi)
    if not nummer:
        raise ValidationError("Fødselsnummeret mangler.", code="fnr_mangler")
    if not nummer.isascii() or not nummer.isdigit():
        raise ValidationError("Fødselsnummeret kan bare inneholde siffer.", code="fnr_format")
    if len(nummer) != 11:
        raise ValidationError("Fødselsnummeret må ha 11 siffer.", code="fnr_lengde")
    try:
        return fodselsnummer.validate(nummer)
    except stdnum_feil.InvalidChecksum:
        raise ValidationError("Fødselsnummeret har feil kontrollsiffer.", code="fnr_kontrollsiffer") from None
    except stdnum_feil.ValidationError:
        # InvalidComponent: impossible date, date in the future, unknown century, FH-number.
        raise ValidationError(
            "Fødselsnummeret inneholder ikke en gyldig fødselsdato.", code="fnr_dato"
        ) from None


def masker_fnr(verdi: str) -> str:
    """Show only the birth-date part of a fødselsnummer: "010190*****".

    Anything that is not 11 digits is masked completely, so nothing leaks by mistake.
    """
    nummer = _kompakt(verdi)
    if len(nummer) == 11 and nummer.isascii() and nummer.isdigit():
        return nummer[:6] + "*****"
    return "*" * len(nummer)


# --- fødselsnummer inside a text ------------------------------------------------------------------

# Eleven digits, optionally written as six and five ("010190 12345", "010190.12345"), not part of a
# longer number.
_ELLEVE_SIFFER = re.compile(r"(?<!\d)(\d{6})[\s.]?(\d{5})(?!\d)")
_FNR_VEKTER_1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_FNR_VEKTER_2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _kontrollsiffer(sifre: list[int], vekter: tuple[int, ...]) -> int | None:
    rest = 11 - sum(s * v for s, v in zip(sifre, vekter, strict=False)) % 11
    if rest == 11:
        return 0
    return None if rest == 10 else rest


def ser_ut_som_fodselsnummer(tekst: str) -> bool:
    """True if `tekst` holds an eleven-digit number with a plausible birth date and valid check digits.

    Covers fødselsnummer, D-numbers (day + 40), H-numbers (month + 40) and synthetic test numbers
    (month + 80), which python-stdnum refuses; unlike ``valider_fnr`` it does not look at the century,
    since a number found in a text is refused however old its owner would be.
    The two check digits keep account numbers and other long numbers from tripping it in practice.
    """
    for treff in _ELLEVE_SIFFER.finditer(tekst):
        sifre = [int(c) for c in treff.group(1) + treff.group(2)]
        dag, maned = sifre[0] * 10 + sifre[1], sifre[2] * 10 + sifre[3]
        if not (1 <= dag % 40 <= 31 and 1 <= maned % 40 <= 12):
            continue
        if _kontrollsiffer(sifre[:9], _FNR_VEKTER_1) != sifre[9]:
            continue
        if _kontrollsiffer(sifre[:10], _FNR_VEKTER_2) == sifre[10]:
            return True
    return False


def skjul_fnr(tekst: str) -> str:
    """Mask every eleven-digit number in `tekst` the way ``masker_fnr`` masks one: "010190*****".

    Deliberately wider than ``ser_ut_som_fodselsnummer``: it does not ask for valid check digits,
    since a mistyped fødselsnummer is still personal data.
    """
    return _ELLEVE_SIFFER.sub(lambda m: m.group(1) + "*****", tekst)
