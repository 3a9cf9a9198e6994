"""What the case officer's saksframlegg says, mapped onto the organisation: the title, innstilling and
arkivsaksnr read from it (saker.filer.saksframlegg), and the old municipality and archive system it names,
as the objects the new-case form offers. The form fills its fields from it and shows it for checking."""

from dataclasses import dataclass

from overgang.organisasjon.models import Arkivsystem, Kommune

from .filer import Saksframlegginnhold


@dataclass(frozen=True)
class Lesing:
    filnavn: str
    word: bool  # only a Word document is read; a PDF is kept as it is
    tittel: str = ""
    innstilling: str = ""
    arkivsaksnr: str = ""
    kommune: Kommune | None = None
    arkivsystem: Arkivsystem | None = None

    @property
    def felter(self) -> dict:
        """The form's fields this reading fills in: only what was found."""
        verdier = {"tittel": self.tittel, "innstilling": self.innstilling, "arkivsaksnr": self.arkivsaksnr,
                   "kommune": self.kommune.pk if self.kommune else None,
                   "arkivsystem": self.arkivsystem.pk if self.arkivsystem else None}
        return {felt: verdi for felt, verdi in verdier.items() if verdi}


def lesing(filnavn: str, innhold: Saksframlegginnhold | None, *, kommuner: list[Kommune],
           arkivsystemer: list[Arkivsystem]) -> Lesing:
    """`innhold` is None for a document that was not read (a PDF)."""
    if innhold is None:
        return Lesing(filnavn, word=False)
    kommune = innhold.kommune_blant([k.navn for k in kommuner])
    system = innhold.arkivsystem_blant([a.navn for a in arkivsystemer])
    return Lesing(
        filnavn, word=True, tittel=innhold.tittel, innstilling=innhold.innstilling, arkivsaksnr=innhold.arkivsaksnr,
        kommune=next((k for k in kommuner if k.navn == kommune), None),
        arkivsystem=next((a for a in arkivsystemer if a.navn == system), None),
    )
