"""Who holds a role, and who stands in for whom, as the rest of the app asks it."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Exists, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from .models import Bruker, Fravaer, Kommunalomrade, Rolle


def sekretariatet() -> list:
    """The political secretariat as recipients: its shared mailbox and every active member."""
    medlemmer = Bruker.objects.filter(is_active=True, groups__name=Rolle.SEKRETARIAT).distinct()
    return [settings.SEKRETARIAT_EPOST, *medlemmer]


# --- Absence and stand-ins (Fravaer) ---------------------------------------------------------------------------
#
# Everything a stand-in may do follows from these, computed for a day (today by default): nothing is copied
# when a period starts, so nothing needs undoing when it ends.

def star_inn_for(bruker: Bruker, dag: datetime.date | None = None) -> QuerySet[Bruker]:
    """The people `bruker` stands in for on `dag` (a subquery for the callers' filters)."""
    return Bruker.objects.filter(pk__in=Fravaer.objects.aktive(dag).filter(stedfortreder=bruker.pk).values("person"))


def godkjenner_sektorer(bruker: Bruker, dag: datetime.date | None = None) -> QuerySet[Kommunalomrade]:
    """The sectors whose cases `bruker` approves on `dag`: those they approve for themselves, those of the
    active approvers they stand in for, and every sector while they stand in for the rådmann. The caller checks
    that `bruker` holds the approver's role (saker.selectors.godkjenner_omfang)."""
    fravaerende = star_inn_for(bruker, dag).filter(is_active=True, groups__name=Rolle.GODKJENNER)
    return Kommunalomrade.objects.filter(
        Q(godkjennere=bruker.pk) | Q(godkjennere__in=fravaerende.values("pk"))
        | Q(Exists(fravaerende.filter(er_radmann=True)))
    )


def godkjenner_i_egen_rett(bruker: Bruker, omrade_id: int | None) -> bool:
    """Approves the sector's cases without standing in for anyone (the rådmann approves every sector)."""
    return bruker.er_radmann or bruker.godkjenner_for.filter(pk=omrade_id).exists()


def aktive_stedfortredere(personer: Iterable[Bruker | int], dag: datetime.date | None = None) -> list[Fravaer]:
    """The running periods of these people, with their stand-ins loaded (one query): who else is told of
    what is sent to them (overgang.varsler.services.notify)."""
    ider = [p if isinstance(p, int) else p.pk for p in personer]
    if not ider:
        return []
    return list(Fravaer.objects.aktive(dag).filter(person__in=ider).select_related("person", "stedfortreder")
                .order_by("person_id", "fra", "pk"))


def star_inn_na(bruker: Bruker, dag: datetime.date | None = None) -> list[Fravaer]:
    """The periods in which `bruker` stands in for someone on `dag`: the stand-in's banner on their work pages."""
    return list(Fravaer.objects.aktive(dag).filter(stedfortreder=bruker.pk).select_related("person"))


def fravaer_oversikt(bruker: Bruker, dag: datetime.date | None = None) -> tuple[list[Fravaer], list[Fravaer]]:
    """The page "Fravær og stedfortreder": the user's own periods not yet over, and those in which they stand
    in for someone, both current and coming."""
    dag = dag or timezone.localdate()
    ikke_over = Fravaer.objects.filter(Q(til__isnull=True) | Q(til__gte=dag))
    egne = list(ikke_over.filter(person=bruker).select_related("stedfortreder", "opprettet_av"))
    for_andre = list(ikke_over.filter(stedfortreder=bruker).select_related("person"))
    return egne, for_andre


def hent_eget_fravaer(bruker: Bruker, pk: int) -> Fravaer:
    """Load one of the user's own periods; anyone else's is a 404."""
    return get_object_or_404(Fravaer.objects.select_related("person", "stedfortreder"), pk=pk, person=bruker)


def sektorer(bruker: Bruker) -> set[int]:
    """A person's sectors: the one they work in, and for an approver those they approve for."""
    ider = {bruker.kommunalomrade_id} - {None}
    if bruker.har_rolle(Rolle.GODKJENNER):
        ider |= set(bruker.godkjenner_for.values_list("pk", flat=True))
    return ider


def ansvar(bruker: Bruker) -> set[int]:
    """The sectors a stand-in for `bruker` must share: for an approver those they approve for (their cases are
    what waits), else the one they work in."""
    if bruker.har_rolle(Rolle.GODKJENNER):
        godkjenner = set(bruker.godkjenner_for.values_list("pk", flat=True))
        if godkjenner:
            return godkjenner
    return {bruker.kommunalomrade_id} - {None}


def er_radmann(bruker: Bruker) -> bool:
    return bruker.er_radmann and bruker.har_rolle(Rolle.GODKJENNER)


def mulige_stedfortredere(person: Bruker) -> QuerySet[Bruker]:
    """Whom `person` may choose as stand-in (the choices of the form; the service checks the same rules,
    overgang.organisasjon.services.sjekk_stedfortreder): active, someone else, holding every role the person
    holds, and sharing a sector the person is responsible for (`ansvar`; anyone who approves, for the rådmann)."""
    kandidater = Bruker.objects.filter(is_active=True).exclude(pk=person.pk)
    if not person.roller:
        return kandidater.none()
    for rolle in person.roller:
        kandidater = kandidater.filter(pk__in=Bruker.objects.filter(groups__name=rolle).values("pk"))
    egne = ansvar(person)
    if egne and not er_radmann(person):
        kandidater = kandidater.filter(
            Q(kommunalomrade__in=egne)
            | Q(pk__in=Bruker.objects.filter(groups__name=Rolle.GODKJENNER, godkjenner_for__in=egne).values("pk"))
        )
    return kandidater.order_by("first_name", "last_name", "username")
