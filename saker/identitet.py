"""Validation of Norwegian organisation numbers and national identity numbers.

The check-digit and birth-date rules come from python-stdnum (``stdnum.no.orgnr`` and
``stdnum.no.fodselsnummer``); this module adds Norwegian error messages for the UI and a
masking helper, so that a national identity number never needs to be shown or logged in full.

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
