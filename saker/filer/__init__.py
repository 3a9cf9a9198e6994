"""Uploaded case files, one module per noun.

- ``navn``: cleaning the file name a browser sent.
- ``typer``: recognising a file's type by its content, never by its name.
- ``regler``: the upload policy per slot (saksframlegg, vedlegg, saksutskrift, vedtaksbrev) and its messages:
  ``valider_fil`` is the one check every upload form calls.
- ``pakke``: Office packages (ZIP of XML) checked whole: zip bombs, entry names, DTDs, external links.
- ``pdf``: PDFs parsed with pypdf: broken files, polyglots, JavaScript, launch actions, embedded files.
- ``virus``: the optional clamd scan (setting CLAMD_SOCKET).
- ``docx_lesing``: a .docx as paragraphs (headings, Word's list numbers beside the text) and tables, bounded.
- ``nummerering``: Word's automatic list numbers and bullets.
- ``saksframlegg``: reading a saksframlegg for its title, innstilling, arkivsaksnr, municipality and system.
- ``forhandsvisning``: the stored preview of a Word document, with headings and tables.

Pure Python, no models: forms and views call these functions and show the ValidationError to the user.
The names the rest of the code uses are re-exported here, so ``from saker import filer`` keeps working.
"""

from .docx_lesing import Avsnitt, Tabell
from .forhandsvisning import (
    Forhandsvisning,
    forhandsvisning_fra_tekst,
    forhandsvisning_som_tekst,
    tekst_forhandsvisning,
)
from .navn import rens_filnavn
from .regler import SPOR, FilInfo, Spor, sjekk_filtype, valider_fil
from .saksframlegg import Saksframlegginnhold, les_saksframlegg

__all__ = [
    "SPOR",
    "Avsnitt",
    "FilInfo",
    "Forhandsvisning",
    "Saksframlegginnhold",
    "Spor",
    "Tabell",
    "forhandsvisning_fra_tekst",
    "forhandsvisning_som_tekst",
    "les_saksframlegg",
    "rens_filnavn",
    "sjekk_filtype",
    "tekst_forhandsvisning",
    "valider_fil",
]
