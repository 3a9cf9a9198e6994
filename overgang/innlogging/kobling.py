"""The mapping from the identity provider's groups to Overgang's roles, sectors and old municipalities
(OIDC_GRUPPER), and what one person's claims come to. Pure: the settings read it before Django's apps are loaded,
so it imports no model."""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

# The values of overgang.organisasjon.models.Rolle (tests/oidc/test_kobling.py keeps them equal).
ROLLER = ("saksbehandler", "godkjenner", "sekretariat")
NOKLER = {"rolle", "kommunalomrade", "kommune", "arkivsystem", "radmann"}


@dataclass(frozen=True)
class Gruppe:
    """What membership of one group at the provider gives: a role, and optionally the sector (by name), the old
    municipality (by its kode) and the archive system (by name); `radmann` makes an approver approve for all."""

    rolle: str
    kommunalomrade: str = ""
    kommune: str = ""
    arkivsystem: str = ""
    radmann: bool = False


@dataclass(frozen=True)
class Maal:
    """What a person's groups come to. The first group (in OIDC_GRUPPER's order) that names a sector, a
    municipality or an archive system decides it; an approver approves for every sector their approver groups
    name."""

    roller: frozenset[str]
    kommunalomrade: str = ""
    kommune: str = ""
    arkivsystem: str = ""
    radmann: bool = False
    godkjenner_for: tuple[str, ...] = ()


def les_grupper(tekst: str) -> dict[str, Gruppe]:
    """OIDC_GRUPPER as JSON: {"<group id>": {"rolle": "saksbehandler", "kommunalomrade": "…", "kommune": "…"}}.
    A mistake stops the start with a message that names the group, rather than turning away people later."""
    if not tekst.strip():
        return {}
    try:
        data = json.loads(tekst)
    except ValueError as feil:
        raise ImproperlyConfigured(f"OIDC_GRUPPER er ikke gyldig JSON ({feil}).") from None
    if not isinstance(data, dict):
        raise ImproperlyConfigured('OIDC_GRUPPER må være et JSON-objekt: {"gruppe-id": {"rolle": "…"}, …}.')
    grupper = {}
    for gruppe_id, verdi in data.items():
        hvor = f"OIDC_GRUPPER[{gruppe_id!r}]"
        if not isinstance(verdi, dict):
            raise ImproperlyConfigured(f'{hvor} må være et objekt, f.eks. {{"rolle": "saksbehandler"}}.')
        if ukjente := set(verdi) - NOKLER:
            raise ImproperlyConfigured(f"{hvor} har ukjente nøkler: {', '.join(sorted(ukjente))} "
                                       f"(tillatt: {', '.join(sorted(NOKLER))}).")
        if verdi.get("rolle") not in ROLLER:
            raise ImproperlyConfigured(f"{hvor}: «rolle» må være en av {', '.join(ROLLER)} "
                                       f"(fikk {verdi.get('rolle')!r}).")
        for navn in ("kommunalomrade", "kommune", "arkivsystem"):
            if not isinstance(verdi.get(navn, ""), str):
                raise ImproperlyConfigured(f"{hvor}: «{navn}» må være tekst.")
        if not isinstance(verdi.get("radmann", False), bool):
            raise ImproperlyConfigured(f"{hvor}: «radmann» må være true eller false.")
        if verdi.get("radmann") and verdi["rolle"] != "godkjenner":
            raise ImproperlyConfigured(f"{hvor}: bare en godkjenner kan være rådmann.")
        grupper[str(gruppe_id)] = Gruppe(**verdi)
    return grupper


def gruppe_ider(claims: Mapping[str, object], claim_navn: Iterable[str]) -> set[str]:
    """The group (and app role) ids in the claims named, e.g. Entra's `groups` and `roles`."""
    ider: set[str] = set()
    for navn in claim_navn:
        verdi = claims.get(navn)
        if isinstance(verdi, str):
            ider.add(verdi)
        elif isinstance(verdi, list):
            ider.update(str(v) for v in verdi)
    return ider


def har_for_mange_grupper(claims: Mapping[str, object]) -> bool:
    """Entra leaves the groups out of the token when a person is in more than 200 (the "overage" claim) and
    points to Microsoft Graph instead. Overgang does not call Graph: the app must be set to send only the groups
    assigned to it (README)."""
    henvisning = claims.get("_claim_names")
    return bool(claims.get("hasgroups")) or (isinstance(henvisning, dict) and "groups" in henvisning)


def maal_for(claims: Mapping[str, object], grupper: Mapping[str, Gruppe], claim_navn: Iterable[str]) -> Maal:
    ider = gruppe_ider(claims, claim_navn)
    treff = [gruppe for gruppe_id, gruppe in grupper.items() if gruppe_id in ider]

    def forste(felt: str) -> str:
        return next((getattr(g, felt) for g in treff if getattr(g, felt)), "")

    return Maal(
        roller=frozenset(g.rolle for g in treff),
        kommunalomrade=forste("kommunalomrade"),
        kommune=forste("kommune"),
        arkivsystem=forste("arkivsystem"),
        radmann=any(g.radmann for g in treff),
        godkjenner_for=tuple(dict.fromkeys(g.kommunalomrade for g in treff
                                           if g.rolle == "godkjenner" and g.kommunalomrade)),
    )
