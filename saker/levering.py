"""Whether a letter has arrived: SvarUt's statuses in Norwegian, which of them are final, and the querysets the
poll, the closing of a case and the control page ask.

The statuses are KS's (ForsendelseRestServiceV1, forsendelseStatus.json). Final and delivered: LEST (the
recipient downloaded it), PRINTET (the print supplier's receipt: it went by post), LEVERT_SDP (the secure
digital mailbox confirmed delivery). Final and not delivered: IKKE_LEVERT, AVVIST (SvarUt could not validate or
build it) and MANUELT_HANDTERT (closed by hand in SvarUt, e.g. after an error: nobody tells us the party got
it). Every other status (MOTTATT, AKSEPTERT, VARSLET, SENDT_PRINT, SENDT_DIGITALT, …, and any status SvarUt adds
later) is on its way, and the poll keeps asking.

A letter recorded by hand (UTSENDING_BACKEND=manuell) has no status to follow: the officer who sent it in SvarUt's
own pages answers for it, so it counts as handled once recorded.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Forsendelse, Part, Sak
from .statusendring import Statusendring

LEVERT = frozenset({"LEST", "PRINTET", "LEVERT_SDP"})
IKKE_LEVERT = frozenset({"IKKE_LEVERT", "AVVIST", "MANUELT_HANDTERT"})
ENDELIGE = LEVERT | IKKE_LEVERT

TEKST = {
    "MOTTATT": "Mottatt av SvarUt",
    "AKSEPTERT": "Akseptert av SvarUt",
    "KLAR_FOR_MOTTAK": "Klar for mottak",
    "VARSLET": "Mottakeren er varslet",
    "SENDT_DIGITALT": "Sendt digitalt",
    "SENDT_SDP": "Sendt til digital postkasse",
    "SENDT_PRINT": "Sendt til utskrift",
    "LEST": "Lest av mottakeren",
    "LEVERT_SDP": "Levert i digital postkasse",
    "PRINTET": "Skrevet ut og sendt i posten",
    "IKKE_LEVERT": "Ikke levert",
    "AVVIST": "Avvist av SvarUt",
    "MANUELT_HANDTERT": "Manuelt håndtert i SvarUt",
}


def tekst(status: str) -> str:
    """The status as the case page and the e-mail say it; an unknown status as SvarUt wrote it."""
    return TEKST.get(status, status or "Ukjent")


def er_endelig(status: str) -> bool:
    return status in ENDELIGE


def _forklart() -> Exists:
    return Exists(Statusendring.objects.filter(forsendelse=OuterRef("pk"), type=Statusendring.Type.FORKLARING))


def skal_folges() -> QuerySet[Forsendelse]:
    """The shipments the poll asks SvarUt about: sent through the integration, and not yet final."""
    return (Forsendelse.objects.filter(status=Forsendelse.Status.SENDT, kanal=Forsendelse.Kanal.SVARUT)
            .exclude(forsendelse_id="").exclude(svarut_status__in=ENDELIGE))


def ferdig() -> Q:
    """A shipment that needs nothing more for the case to close: recorded by hand, delivered, or explained."""
    return Q(status=Forsendelse.Status.SENDT) & (
        Q(kanal=Forsendelse.Kanal.MANUELL) | Q(svarut_status__in=LEVERT) | _forklart())


def ikke_levert_uforklart() -> QuerySet[Forsendelse]:
    """Letters SvarUt could not deliver whose officer has not yet said why: a discrepancy on the control page.
    Filter it on `part__sak=OuterRef(...)` for an Exists."""
    return (Forsendelse.objects.filter(status=Forsendelse.Status.SENDT, svarut_status__in=IKKE_LEVERT)
            .exclude(_forklart()))


def kan_forklares(forsendelse: Forsendelse) -> bool:
    """The officer may record why a letter did not arrive once it went through SvarUt and was not delivered:
    refused or lost, or stuck on its way (a letter that never moves would otherwise keep the case open)."""
    return (forsendelse.status == Forsendelse.Status.SENDT and forsendelse.kanal == Forsendelse.Kanal.SVARUT
            and forsendelse.svarut_status not in LEVERT)


@dataclass(frozen=True)
class Fulgt:
    """One letter sent through SvarUt, as the case page shows it: its party, shipment and story."""

    part: Part
    forsendelse: Forsendelse
    endringer: tuple[Statusendring, ...]

    @property
    def forklaring(self) -> Statusendring | None:
        return next((e for e in self.endringer if e.type == Statusendring.Type.FORKLARING), None)

    @property
    def ikke_levert(self) -> bool:
        return self.forsendelse.svarut_status in IKKE_LEVERT

    @property
    def kan_forklares(self) -> bool:
        return self.forklaring is None and kan_forklares(self.forsendelse)


def fulgte(forsendelser: Iterable[Forsendelse]) -> list[Fulgt]:
    """The letters among `forsendelser` (with their parties loaded) that went through SvarUt, each with its
    status history: one query, whatever the number of parties."""
    sendt = [f for f in forsendelser if f.status == Forsendelse.Status.SENDT and f.kanal == Forsendelse.Kanal.SVARUT]
    if not sendt:
        return []
    per_forsendelse: dict[int, list[Statusendring]] = {f.pk: [] for f in sendt}
    for endring in Statusendring.objects.filter(forsendelse__in=sendt).select_related("registrert_av"):
        per_forsendelse[endring.forsendelse_id].append(endring)
    return [Fulgt(part=f.part, forsendelse=f, endringer=tuple(per_forsendelse[f.pk])) for f in sendt]


def statuser(sak: Sak) -> dict:
    """What the case page's script polls: the stored status of each letter sent through SvarUt (one query)."""
    rader = list(Forsendelse.objects.filter(part__sak=sak, status=Forsendelse.Status.SENDT,
                                            kanal=Forsendelse.Kanal.SVARUT).order_by("pk")
                 .values_list("pk", "svarut_status"))
    return {
        "forsendelser": [{"id": pk, "status": status, "tekst": tekst(status), "endelig": er_endelig(status),
                          "levert": status in LEVERT, "ikke_levert": status in IKKE_LEVERT}
                         for pk, status in rader],
        "alle_endelige": all(er_endelig(status) for _, status in rader),
    }
