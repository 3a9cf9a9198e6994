"""The approver's next step on a case, for saker's "neste steg" card (registered in godkjenning.apps through
saker.utvidelser, so saker never names the approver's pages)."""

from django.urls import reverse

from overgang.organisasjon.models import Bruker
from saker.models import Sak
from saker.neste_steg import NesteSteg
from saker.selectors import kan_godkjenne


def neste_steg(*, sak: Sak, bruker: Bruker) -> NesteSteg | None:
    """Decide a case waiting in the approver's scope; keep the meeting list of one approved. Otherwise None:
    saker says who holds the case."""
    if sak.status not in (Sak.Status.TIL_GODKJENNING, Sak.Status.GODKJENT) or not kan_godkjenne(bruker, sak):
        return None
    if sak.status == Sak.Status.TIL_GODKJENNING:
        return NesteSteg("Godkjenn eller returner", "Saken venter på din godkjenning. Les saksframlegget, og "
                         "godkjenn saken eller send den tilbake med en kommentar.",
                         reverse("godkjenning:sak", args=[sak.pk]), "Godkjenn eller returner")
    return NesteSteg("Hold møtelisten oppdatert", f"Saken er godkjent og venter på at {sak.saksbehandler} sender "
                     "den til politisk sekretariat. Sørg for at den står på listen til riktig møte.",
                     reverse("godkjenning:motelister"), "Til møtelistene")
