"""Signing in with the municipality's account: find the user by their stable identity, create them at their first
sign-in, and bring their roles, sector and old municipality in line with their groups at every sign-in."""

import logging
import re
from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from overgang.endringslogg.models import Handling
from overgang.endringslogg.services import logg, logg_felter
from overgang.feil import Feil
from overgang.organisasjon.models import Arkivsystem, Bruker, Kommunalomrade, Kommune, Rolle

from . import kobling
from .models import Identitet

logger = logging.getLogger(__name__)


class InnloggingFeil(Feil):
    """A sign-in that was verified at the provider but cannot go on here; the message is shown as it is."""


class IngenRolle(InnloggingFeil):
    def __init__(self, navn: str):
        super().__init__("Ingen av gruppene dine hos kommunen gir en rolle i Overgang.")
        self.navn = navn


def subjekt_for(claims: Mapping[str, object]) -> str:
    """The person's stable id at the provider: Entra's `oid` (the same in every app of the tenant, and never
    reused), otherwise the standard `sub`."""
    return str(claims.get("oid") or claims.get("sub") or "")


def logg_inn(*, utsteder: str, claims: Mapping[str, object]) -> Bruker:
    """The user for verified ID token claims, their roles synchronised with their groups. Refuses (IngenRolle) a
    person whose groups give no role, unless they are staff: such a person gets no user, and an existing user
    loses the roles the groups no longer give before being refused."""
    subjekt = subjekt_for(claims)
    if not subjekt:
        raise InnloggingFeil("Kommunens innlogging sendte ingen fast identitet for deg (oid eller sub).")
    if kobling.har_for_mange_grupper(claims):
        logger.warning("OIDC: the token of %s leaves out the groups (overage); assign groups to the app", subjekt)
    maal = kobling.maal_for(claims, settings.OIDC_GRUPPER, settings.OIDC_GRUPPE_CLAIMS)
    for forsok in range(2):
        try:
            bruker = _logg_inn(utsteder=utsteder, subjekt=subjekt, claims=claims, maal=maal)
            break
        except IntegrityError:
            # The same person's first sign-in in two tabs at once: the other one created the identity; use it.
            if forsok:
                raise
    if not maal.roller and not bruker.is_staff:
        raise IngenRolle(bruker.get_full_name() or bruker.username)
    return bruker


@transaction.atomic
def _logg_inn(*, utsteder: str, subjekt: str, claims: Mapping[str, object], maal: kobling.Maal) -> Bruker:
    identitet = (Identitet.objects.select_for_update().select_related("bruker")
                 .filter(utsteder=utsteder, subjekt=subjekt).first())
    if identitet is None:
        if not maal.roller:
            raise IngenRolle(_navn(claims) or _brukernavn_fra(claims))
        bruker = Bruker(username=_ledig_brukernavn(_brukernavn_fra(claims)))
        bruker.set_unusable_password()
        bruker.save()
        identitet = Identitet.objects.create(bruker=bruker, utsteder=utsteder, subjekt=subjekt)
        logg(av=bruker, handling=Handling.OPPRETTET, objekt=bruker,
             kommentar="Opprettet ved første innlogging med kommunens konto.")
    bruker = identitet.bruker
    if not bruker.is_active:
        raise InnloggingFeil("Brukeren din i Overgang er deaktivert. Kontakt en administrator.")
    _synkroniser(bruker, maal, claims)
    identitet.sist_innlogget = timezone.now()
    identitet.save(update_fields=["sist_innlogget"])
    return bruker


def _synkroniser(bruker: Bruker, maal: kobling.Maal, claims: Mapping[str, object]) -> None:
    """The provider is the source of truth for the person's name, roles and where they work: a changed group
    claim changes the role at the next sign-in. Every change is written to the endringslogg."""
    for_ = _bilde(bruker)
    bruker.first_name = str(claims.get("given_name") or bruker.first_name)[:150]
    bruker.last_name = str(claims.get("family_name") or bruker.last_name)[:150]
    if not claims.get("given_name") and not claims.get("family_name") and _navn(claims):
        bruker.first_name, _, bruker.last_name = _navn(claims).rpartition(" ")
        if not bruker.first_name:
            bruker.first_name, bruker.last_name = bruker.last_name, ""
    bruker.email = str(claims.get("email") or bruker.email)[:254]
    bruker.kommunalomrade = _finn(Kommunalomrade, navn=maal.kommunalomrade)
    bruker.kommune = _finn(Kommune, kode=maal.kommune)
    bruker.arkivsystem = _finn(Arkivsystem, navn=maal.arkivsystem)
    bruker.er_radmann = maal.radmann
    bruker.save()
    rollegrupper = Group.objects.filter(name__in=Rolle.values)
    bruker.groups.remove(*[g for g in rollegrupper if g.name not in maal.roller])
    bruker.groups.add(*[g for g in rollegrupper if g.name in maal.roller])
    bruker.godkjenner_for.set([_finn(Kommunalomrade, navn=navn) for navn in maal.godkjenner_for])
    bruker.__dict__.pop("_roller", None)
    logg_felter(av=bruker, objekt=bruker, for_=for_, etter=_bilde(bruker))


def _bilde(bruker: Bruker) -> dict[str, object]:
    return {
        "roller": ", ".join(sorted(bruker.groups.filter(name__in=Rolle.values).values_list("name", flat=True))),
        "kommunalområde": bruker.kommunalomrade,
        "kommune": bruker.kommune,
        "arkivsystem": bruker.arkivsystem,
        "rådmann": bruker.er_radmann,
        "godkjenner for": ", ".join(sorted(bruker.godkjenner_for.values_list("navn", flat=True))),
        "navn": bruker.get_full_name(),
        "e-post": bruker.email,
    }


def _finn(modell, **hvor):
    (felt, verdi), = hvor.items()
    if not verdi:
        return None
    try:
        return modell.objects.get(**hvor)
    except modell.DoesNotExist:
        logger.error("OIDC_GRUPPER names %s %s=%r, which does not exist", modell.__name__, felt, verdi)
        raise InnloggingFeil(f"Oppsettet av grupper (OIDC_GRUPPER) peker på {modell._meta.verbose_name} «{verdi}», "
                             f"som ikke finnes i Overgang. Kontakt en administrator.") from None


def _navn(claims: Mapping[str, object]) -> str:
    return str(claims.get("name") or "").strip()


def _brukernavn_fra(claims: Mapping[str, object]) -> str:
    """Entra's `preferred_username` is the sign-in name (ola.nordmann@kommune.no): what people know themselves by.
    Only a name: the user is found by their identity, never by this."""
    kandidat = str(claims.get("preferred_username") or claims.get("email") or subjekt_for(claims))
    return re.sub(r"[^\w.@+-]", "", kandidat)[:140] or "bruker"


def _ledig_brukernavn(onsket: str) -> str:
    navn, nummer = onsket, 1
    while Bruker.objects.filter(username__iexact=navn).exists():
        nummer += 1
        navn = f"{onsket}-{nummer}"
    return navn
