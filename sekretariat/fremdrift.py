"""How ready a coming meeting's cases are, for the readiness bar on the secretariat's start page.

Each case relevant to the meeting (on its directors' list, on its agenda, or wishing for it) stands in exactly one
step, the first it has not passed: not yet sent to the secretariat, received but not registered in P360,
registered but not placed on the agenda, or ready. `kontroll.Kontroll.fremdrift` counts them in Python from the
cases it loaded, `kontroll_telling` in the database; a test proves both agree.
"""

from __future__ import annotations

from dataclasses import dataclass

# The steps in the order a case passes them: (key, label for one case, label for several, Bootstrap colour).
# The bar shows them left to right from done to not started, and the text under it names each with its count,
# so the colour is never the only sign.
STEG: tuple[tuple[str, str, str, str], ...] = (
    ("klar", "klar", "klare", "success"),
    ("ikke_plassert", "ikke på sakslisten", "ikke på sakslisten", "primary"),
    ("ikke_registrert", "ikke registrert i P360", "ikke registrert i P360", "warning"),
    ("ikke_sendt", "ikke sendt til sekretariatet", "ikke sendt til sekretariatet", "secondary"),
)


def steg(*, mottatt: bool, registrert: bool, pa_sakslisten: bool) -> str:
    """The step a case stands in; the database states the same conditions in kontroll_telling."""
    if not mottatt:
        return "ikke_sendt"
    if not registrert:
        return "ikke_registrert"
    if not pa_sakslisten:
        return "ikke_plassert"
    return "klar"


@dataclass(frozen=True)
class Del:
    """One step's share of the bar: its count, text, and where its segment starts and how wide it is, in percent
    written with a point (an SVG attribute; a template would localise a float to "12,5")."""

    steg: str
    antall: int
    tekst: str
    farge: str
    start: str
    bredde: str


@dataclass(frozen=True)
class Fremdrift:
    klar: int = 0
    ikke_plassert: int = 0
    ikke_registrert: int = 0
    ikke_sendt: int = 0

    @property
    def antall(self) -> int:
        return self.klar + self.ikke_plassert + self.ikke_registrert + self.ikke_sendt

    def deler(self) -> list[Del]:
        """The non-empty steps, with their segments laid end to end over the whole bar."""
        total = self.antall
        deler, start = [], 0.0
        for kode, en, flere, farge in STEG:
            antall = getattr(self, kode)
            if not antall:
                continue
            bredde = 100 * antall / total
            deler.append(Del(kode, antall, f"{antall} {en if antall == 1 else flere}", farge, f"{start:.2f}",
                             f"{bredde:.2f}"))
            start += bredde
        return deler

    @property
    def tekst(self) -> str:
        """The bar in words: "4 saker: 2 klare, 1 ikke registrert i P360, 1 ikke sendt til sekretariatet"."""
        return f"{self.antall} sak{'er' if self.antall != 1 else ''}: " + ", ".join(d.tekst for d in self.deler())
