"""Who may see which case: the one place views load cases through, so an outsider gets 404."""

from django.db.models import Prefetch, Q, QuerySet, prefetch_related_objects
from django.shortcuts import get_object_or_404

from overgang.organisasjon.models import Bruker, Rolle

from .models import MOTTATTE, Sak


def synlige_saker(bruker: Bruker) -> QuerySet[Sak]:
    """The cases `bruker` may see: their own as case officer; every case sent for approval in a sector
    they approve for (all sectors for the rådmann), never a draft nobody has sent them; and for the
    secretariat, every case sent to it or approved (an approved case may be on a director's list before
    it arrives, and the secretariat must see it to chase it)."""
    if not bruker.is_authenticated or not bruker.is_active:
        return Sak.objects.none()
    vilkar = Q()
    if bruker.har_rolle(Rolle.SAKSBEHANDLER):
        vilkar |= egne_saker(bruker)
    if bruker.har_rolle(Rolle.GODKJENNER):
        sendt = ~Q(status=Sak.Status.UTKAST)
        if bruker.er_radmann:
            vilkar |= sendt
        else:
            vilkar |= sendt & (Q(godkjenner=bruker) | Q(kommunalomrade__godkjennere=bruker))
    if bruker.har_rolle(Rolle.SEKRETARIAT):
        vilkar |= Q(status__in=MOTTATTE | {Sak.Status.GODKJENT})
    if not vilkar:
        return Sak.objects.none()
    # The sector join can repeat a case when a sector has several approvers; a subquery keeps rows unique.
    return Sak.objects.filter(pk__in=Sak.objects.filter(vilkar).values("pk"))


def kan_godkjenne(bruker: Bruker, sak: Sak) -> bool:
    """Any current approver of the case's sector, or the rådmann. Being the chosen approver is not enough:
    someone who has left the sector must not approve what was sent to them before."""
    if not bruker.har_rolle(Rolle.GODKJENNER):
        return False
    return bruker.er_radmann or sak.kommunalomrade.godkjennere.filter(pk=bruker.pk).exists()


def egne_saker(bruker: Bruker) -> Q:
    """A case officer's own cases and those of the colleagues they stand in for (a subquery, so a colleague
    with several stand-ins does not repeat a case)."""
    return Q(saksbehandler=bruker) | Q(saksbehandler__in=bruker.stedfortreder_for.values("pk"))


def saksbehandlerne(sak: Sak) -> list[Bruker]:
    """Who is told of what happens to a case: its officer and the colleagues standing in for them, so a
    returned or decided case is not left in the inbox of someone on holiday."""
    return [sak.saksbehandler, *sak.saksbehandler.stedfortredere.filter(is_active=True)]


def er_saksbehandler_for(bruker: Bruker, sak: Sak) -> bool:
    """May act as the case's officer: the officer, or a colleague standing in for them."""
    if not bruker.har_rolle(Rolle.SAKSBEHANDLER):
        return False
    return sak.saksbehandler_id == bruker.pk or bruker.stedfortreder_for.filter(pk=sak.saksbehandler_id).exists()


def godkjennere_for(sak_omrade_id: int) -> QuerySet[Bruker]:
    """Whom a case officer may send a case to: the sector's approvers, then the rådmann."""
    return (Bruker.objects.filter(is_active=True, groups__name=Rolle.GODKJENNER)
            .filter(Q(godkjenner_for=sak_omrade_id) | Q(er_radmann=True))
            .distinct().order_by("er_radmann", "first_name", "last_name"))


def hent_sak(bruker: Bruker, pk: int) -> Sak:
    """Load a case through what the user may see: anyone else gets 404 and learns nothing of it."""
    return get_object_or_404(
        synlige_saker(bruker).select_related("kommune", "arkivsystem", "saksbehandler", "godkjenner",
                                             "kommunalomrade", "onsket_mote__utvalg", "registrering"),
        pk=pk,
    )


def saksgang_prefetch() -> Prefetch:
    """The case's handlings at meetings, oldest first. The agenda model belongs to the secretariat, which this
    app must not import, so it is reached through the reverse relation instead."""
    punkt = Sak._meta.get_field("sakslistepunkter").related_model
    return Prefetch("sakslistepunkter", queryset=punkt.objects.select_related(
        "mote__utvalg", "neste_mote__utvalg", "saksutskrift", "utfall_registrert_av").order_by("mote__tidspunkt", "pk"))


def sak_detaljer(sak: Sak) -> dict:
    """What every case page shows: documents (current and earlier versions), route, history and its whole road
    through the political bodies."""
    prefetch_related_objects([sak], saksgang_prefetch())
    dokumenter = list(sak.dokumenter.select_related("lastet_opp_av"))
    return {
        "sak": sak,
        "gjeldende": [d for d in dokumenter if d.gjeldende],
        "tidligere": [d for d in dokumenter if not d.gjeldende],
        "hendelser": list(sak.hendelser.select_related("utfort_av", "dokument")),
        "behandlinger": list(sak.behandlinger.select_related("utvalg")),
    }


def venter_pa(bruker: Bruker) -> QuerySet[Sak]:
    """Cases waiting for this approver: sent to them by name, or from a sector they approve for."""
    mine = Sak.objects.filter(Q(godkjenner=bruker) | Q(kommunalomrade__godkjennere=bruker)).values("pk")
    return Sak.objects.filter(status=Sak.Status.TIL_GODKJENNING, pk__in=mine)
