"""Uploaded case files, one module per noun.

- ``navn``: cleaning the file name a browser sent.
- ``typer``: recognising a file's type by its content, never by its name.
- ``regler``: the upload policy per slot (saksframlegg, vedlegg, saksutskrift, vedtaksbrev) and its messages:
  ``valider_fil`` is the one check every upload form calls.
- ``pakke``: Office packages (ZIP of XML) checked whole: zip bombs, entry names, DTDs, external links.
- ``pdf``: PDFs parsed with pypdf: broken files, polyglots, JavaScript, launch actions, embedded files.
- ``virus``: the optional clamd scan (setting CLAMD_SOCKET).
- ``saksframlegg``: reading a .docx saksframlegg for its title and innstilling, and the text preview.

Pure Python, no models: forms and views call these functions and show the ValidationError to the user.
The names the rest of the code uses are re-exported here, so ``from saker import filer`` keeps working.
"""

from .navn import rens_filnavn
from .regler import SPOR, FilInfo, Spor, sjekk_filtype, valider_fil
from .saksframlegg import (
    Saksframlegginnhold,
    forhandsvisning_fra_tekst,
    forhandsvisning_som_tekst,
    les_saksframlegg,
    tekst_forhandsvisning,
)

__all__ = [
    "SPOR",
    "FilInfo",
    "Saksframlegginnhold",
    "Spor",
    "forhandsvisning_fra_tekst",
    "forhandsvisning_som_tekst",
    "les_saksframlegg",
    "rens_filnavn",
    "sjekk_filtype",
    "tekst_forhandsvisning",
    "valider_fil",
]
