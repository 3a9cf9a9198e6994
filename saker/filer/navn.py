"""File names: cleaning the name a browser sent, and the type an extension claims.

The name is whatever the case officer's machine happened to send, so it is only ever cleaned and
compared with the content (saker.filer.typer), never trusted.
"""

from __future__ import annotations

import re
import unicodedata

MAKS_NAVNELENGDE = 120
RESERVENAVN = "dokument"

_RESERVERTE_TEGN = re.compile(r'[<>:"|?*]')
_WINDOWS_ENHETER = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                              *(f"LPT{i}" for i in range(1, 10))})

# The type family a file name claims. Only these extensions are compared with the content; any other
# extension is kept and the detected one appended, since "Referat 12.03.2019" has no real extension.
FAMILIE_AV_ENDELSE = {
    "pdf": "pdf",
    **dict.fromkeys(("doc", "docx", "docm", "dot", "dotx", "dotm"), "word"),
    **dict.fromkeys(("xls", "xlsx", "xlsm", "xlsb"), "excel"),
    **dict.fromkeys(("ppt", "pptx", "pptm", "pps", "ppsx"), "powerpoint"),
    "odt": "odt",
    "ods": "ods",
    "odp": "odp",
    **dict.fromkeys(("png", "jpg", "jpeg", "jpe", "gif", "tif", "tiff"), "bilde"),
    **dict.fromkeys(("txt", "csv"), "tekst"),
    **dict.fromkeys(("eml", "msg"), "epost"),
}


def del_navn(navn: str) -> tuple[str, str]:
    """Split into stem and extension (without dot); only a short alphanumeric tail counts as one."""
    stamme, punktum, endelse = navn.rpartition(".")
    if punktum and 1 <= len(endelse) <= 10 and endelse.isalnum():
        return stamme, endelse
    return navn, ""


def endelse(navn: str) -> str:
    """The extension in lower case, without the dot; "" if the name has none."""
    return del_navn(navn)[1].lower()


def hevdet_familie(navn: str) -> str | None:
    """The type family the name's extension claims ("word" for .doc and .docx), or None."""
    return FAMILIE_AV_ENDELSE.get(endelse(navn))


def rens_filnavn(navn: str) -> str:
    """A safe, readable file name: no directories, control or reserved characters, at most 120 chars."""
    # Tabs and line breaks become spaces; other control and invisible format characters go (the
    # right-to-left override, for one, is used to disguise an .exe).
    navn = "".join(
        " " if t.isspace() else t for t in navn or "" if t.isspace() or unicodedata.category(t)[0] != "C"
    )
    # macOS sends "å" decomposed; compose it so equal names compare equal.
    navn = unicodedata.normalize("NFC", navn)
    # Old browsers send the full client path; either separator may occur whatever our OS is.
    navn = navn.replace("\\", "/").rsplit("/", 1)[-1]
    navn = _RESERVERTE_TEGN.sub(" ", navn)
    navn = " ".join(navn.split())
    stamme, endelse_ = del_navn(navn)
    # Leading dots make hidden files and ".."; trailing dots and spaces are dropped by Windows.
    stamme = stamme.strip(" .")
    if stamme.upper() in _WINDOWS_ENHETER:
        stamme += "_"
    hale = f".{endelse_}" if endelse_ else ""
    stamme = stamme[: MAKS_NAVNELENGDE - len(hale)].rstrip(" .")
    return (stamme or RESERVENAVN) + hale


def med_endelse(navn: str, endelse_: str) -> str:
    """The cleaned name with `endelse_` (".pdf") in place of a known extension, or after an unknown one."""
    stamme, gammel = del_navn(navn)
    grunnlag = stamme if gammel.lower() in FAMILIE_AV_ENDELSE else navn
    return rens_filnavn(grunnlag + endelse_)
