"""Absence with a stand-in (Fravaer): every change goes through here, from a person's own page or (through
`sjekk_fravaer`) the admin's form, and is written to the endringslogg.

The rules: the stand-in is someone else, active, holds every role the absent person holds, and belongs to the
same sector (for an approver: works in or approves one of the sectors they approve; the rådmann's stand-in may
be any approver). A period has a start, may be open-ended, and is not over before it is set; the same stand-in
is not set twice for overlapping days, and nobody stands in while away themselves (nor goes away while
standing in)."""

import datetime

from django.db import transaction
from django.utils import timezone

from overgang.endringslogg.models import Handling
from overgang.endringslogg.services import bilde, logg, logg_felter
from overgang.feil import Feil

from .models import Bruker, Fravaer, Kommunalomrade, Rolle
from .selectors import ansvar, er_radmann, sektorer


class FravaerFeil(Feil):
    """An absence or stand-in that is not allowed (Norwegian, shown as it is)."""


ROLLENAVN = {
    Rolle.SAKSBEHANDLER: "saksbehandler",
    Rolle.GODKJENNER: "godkjenner",
    Rolle.SEKRETARIAT: "i politisk sekretariat",
}


def sjekk_stedfortreder(person: Bruker, stedfortreder: Bruker) -> None:
    if stedfortreder.pk == person.pk:
        raise FravaerFeil("Stedfortrederen må være en annen enn den som er borte.")
    if not stedfortreder.is_active:
        raise FravaerFeil(f"{stedfortreder} er ikke lenger aktiv bruker og kan ikke være stedfortreder.")
    if not person.roller:
        raise FravaerFeil(f"{person} har ingen rolle i Overgang som noen kan stå inn for.")
    for rolle in Rolle:
        if rolle in person.roller and rolle not in stedfortreder.roller:
            raise FravaerFeil(f"{stedfortreder} er ikke {ROLLENAVN[rolle]} slik {person} er, og kan ikke være "
                              "stedfortreder. Velg en med samme rolle.")
    if er_radmann(person):
        return  # the rådmann's sector is the whole municipality
    egne = ansvar(person)
    if egne and not egne & sektorer(stedfortreder):
        navn = " og ".join(str(k) for k in Kommunalomrade.objects.filter(pk__in=egne))
        raise FravaerFeil(f"{stedfortreder} hører ikke til {navn}. Stedfortrederen må være fra samme "
                          "kommunalområde.")


def sjekk_periode(fra: datetime.date, til: datetime.date | None, idag: datetime.date) -> None:
    if til is not None and til < fra:
        raise FravaerFeil("Til-datoen kan ikke være før fra-datoen.")
    if til is not None and til < idag:
        raise FravaerFeil("Perioden er allerede over. Velg en til-dato fra og med i dag.")


def sjekk_fravaer(*, person: Bruker, stedfortreder: Bruker, fra: datetime.date, til: datetime.date | None,
                  unntatt: int | None = None, idag: datetime.date | None = None) -> None:
    """Every rule of a period, for the service and for the admin's form (`unntatt`: the period being changed)."""
    idag = idag or timezone.localdate()
    sjekk_periode(fra, til, idag)
    sjekk_stedfortreder(person, stedfortreder)
    samme = (Fravaer.objects.filter(person=person, stedfortreder=stedfortreder).overlapper(fra, til)
             .exclude(pk=unntatt).first())
    if samme is not None:
        raise FravaerFeil(f"{stedfortreder} står allerede inn for {person} {samme.periode}.")
    borte = Fravaer.objects.filter(person=stedfortreder).overlapper(fra, til).exclude(pk=unntatt).first()
    if borte is not None:
        raise FravaerFeil(f"{stedfortreder} er selv borte {borte.periode} og kan ikke stå inn i den perioden.")
    # The other way round: someone who stands in goes away in those days. Standing in is not passed on, so the
    # cases of the one they stand in for would be seen by nobody.
    star_inn = (Fravaer.objects.filter(stedfortreder=person).overlapper(fra, til).exclude(pk=unntatt)
                .select_related("person").first())
    if star_inn is not None:
        raise FravaerFeil(f"{person} står inn for {star_inn.person} {star_inn.periode} og kan ikke være borte "
                          f"samtidig. Få en annen stedfortreder for {star_inn.person} i de dagene først.")


def _sjekk_hvem(av: Bruker, person_id: int, handling: str) -> None:
    if av.pk != person_id and not av.is_staff:
        raise FravaerFeil(f"Du kan bare {handling} ditt eget fravær.")


def fravaer_opprett(*, person: Bruker, stedfortreder: Bruker, fra: datetime.date, til: datetime.date | None,
                    av: Bruker, idag: datetime.date | None = None) -> Fravaer:
    """Record that `person` is away from `fra` to `til` (both included; None: until ended) and who stands in."""
    _sjekk_hvem(av, person.pk, "registrere")
    with transaction.atomic():
        # The absent person's row is the lock: two periods set at once for the same person are checked in turn.
        person = Bruker.objects.select_for_update().get(pk=person.pk)
        stedfortreder = Bruker.objects.get(pk=stedfortreder.pk)
        sjekk_fravaer(person=person, stedfortreder=stedfortreder, fra=fra, til=til, idag=idag)
        fravaer = Fravaer.objects.create(person=person, stedfortreder=stedfortreder, fra=fra, til=til,
                                         opprettet_av=av)
        logg(av=av, handling=Handling.OPPRETTET, objekt=fravaer)
    return fravaer


def fravaer_avslutt(*, fravaer: Fravaer, av: Bruker, idag: datetime.date | None = None) -> Fravaer | None:
    """End a period now: one running ends yesterday (the person is back today), one not yet begun is removed.
    Returns the ended period, or None when it was removed."""
    idag = idag or timezone.localdate()
    _sjekk_hvem(av, fravaer.person_id, "avslutte")
    with transaction.atomic():
        fravaer = Fravaer.objects.select_for_update().filter(pk=fravaer.pk).first()
        if fravaer is None or (fravaer.til is not None and fravaer.til < idag):
            raise FravaerFeil("Perioden er allerede over.")
        if fravaer.fra >= idag:
            logg(av=av, handling=Handling.SLETTET, objekt=fravaer, kommentar="Avsluttet før perioden begynte.")
            fravaer.delete()
            return None
        for_ = bilde(fravaer, ["til"])
        fravaer.til = idag - datetime.timedelta(days=1)
        fravaer.save(update_fields=["til"])
        logg_felter(av=av, objekt=fravaer, for_=for_, etter=bilde(fravaer, ["til"]))
    return fravaer
