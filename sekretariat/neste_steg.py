"""What the secretariat adds to saker's case pages and lists (registered in sekretariat.apps through
saker.utvidelser): the meeting whose agenda a case stands on, and the secretariat's next step on a case."""

from django.db.models import OuterRef, Subquery
from django.urls import reverse

from overgang.organisasjon.models import Bruker, Mote, Rolle
from saker.models import Sak
from saker.neste_steg import NesteSteg

from .models import Sakslistepunkt


def saksliste_mote() -> Subquery:
    """The meeting of the case's latest placement on an agenda, a cancelled meeting's aside: where it is
    handled now, or was last handled while it waits for the next placement."""
    return Subquery(Sakslistepunkt.objects.filter(sak=OuterRef("pk")).exclude(mote__status=Mote.Status.AVLYST)
                    .order_by("-mote__tidspunkt").values("mote")[:1])


def neste_steg(*, sak: Sak, bruker: Bruker) -> NesteSteg | None:
    """The secretariat's next action on a case it has (one query for its agenda placements), or None where it
    has none and saker says who holds the case."""
    if not bruker.har_rolle(Rolle.SEKRETARIAT):
        return None
    if sak.status == Sak.Status.GODKJENT:
        mote = sak.onsket_mote
        return NesteSteg("Venter på saksbehandleren", f"Saken er godkjent, men {sak.saksbehandler} har ikke sendt "
                         "den til sekretariatet ennå." + (f" Saksfristen for {mote} er {mote.saksfrist:%d.%m.%Y}."
                                                          if mote else ""),
                         reverse("sekretariat:kontroll", args=[mote.pk]) if mote else "",
                         "Til kontrollen for møtet" if mote else "")
    if sak.status != Sak.Status.SENDT_SEKRETARIAT:
        return None
    if getattr(sak, "registrering", None) is None:
        return NesteSteg("Registrer saken i P360", "Saken er mottatt. Opprett saksframlegget i P360 og registrer "
                         "saks- og dokumentnummeret her.", reverse("sekretariat:innkomne"), "Til innkomne saker")
    punkt = (Sakslistepunkt.objects.filter(sak=sak).exclude(mote__status=Mote.Status.AVLYST)
             .select_related("mote__utvalg", "neste_mote__utvalg").order_by("-mote__tidspunkt").first())
    if punkt is None or punkt.utfall:
        neste = (punkt.neste_mote if punkt else None) or sak.onsket_mote
        return NesteSteg("Sett saken på sakslisten",
                         (f"Saken skal videre til {neste.tekst}." if neste else "Saken står ikke på noe møte.")
                         + " Sett den på møtets saksliste.",
                         reverse("sekretariat:mote", args=[neste.pk]) if neste else reverse("sekretariat:start"),
                         "Til møtet" if neste else "Til kommende møter")
    lenke = reverse("sekretariat:mote", args=[punkt.mote_id])
    if punkt.mote.status == Mote.Status.AVHOLDT:
        return NesteSteg("Registrer utfallet", f"Møtet {punkt.mote.tekst} er avholdt. Registrer utfallet for sak "
                         f"{punkt.utvalgssaksnr}.", lenke, "Til møtet")
    return NesteSteg("Til politisk behandling", f"Saken står på sakslisten til {punkt.mote.tekst} som sak "
                     f"{punkt.utvalgssaksnr}. Registrer utfallet etter møtet.", lenke, "Til møtet")
