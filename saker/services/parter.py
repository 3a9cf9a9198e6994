"""The affected parties of a decided case, who shall have the vedtaksbrev. Every function locks the case row
first: the parties, their letters and shipments of one case change one request at a time."""

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction

from overgang.endringslogg.models import Handling
from overgang.endringslogg.services import bilde, logg, logg_felter
from overgang.organisasjon.models import Bruker

from ..identitet import masker_fnr, valider_fnr, valider_orgnr
from ..models import Dokument, Forsendelse, Part, Sak, Vedtak
from ..selectors import er_saksbehandler_for
from .felles import SakFeil, last_sak

POSTNUMMER_RE = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class PartData:
    navn: str
    adresse: str
    postnummer: str
    poststed: str
    orgnr: str = ""
    fnr: str = ""


def sjekk_vedtatt(sak: Sak, av: Bruker, handling: str) -> Vedtak:
    """The case officer acting on a decided, open case: returns its vedtak."""
    if not er_saksbehandler_for(av, sak):
        raise SakFeil(f"Bare saksbehandleren for saken kan {handling}.")
    if sak.status == Sak.Status.AVSLUTTET:
        raise SakFeil("Saken er avsluttet: vedtaksbrevet er sendt til alle partene.")
    if sak.status != Sak.Status.VEDTATT:
        raise SakFeil(f"Saken er {sak.get_status_display().lower()}. Parter og vedtaksbrev hører til et "
                      "registrert vedtak.")
    vedtak = Vedtak.objects.select_related("mote__utvalg", "saksutskrift").filter(sak=sak).first()
    if vedtak is None:
        raise SakFeil("Vedtaket er ikke registrert ennå.")
    return vedtak


def part_i_sak(sak: Sak, part: Part) -> Part:
    """The party re-read after the case is locked, with its shipment (made with the party)."""
    try:
        part = Part.objects.select_related("forsendelse").get(pk=part.pk, sak=sak)
    except Part.DoesNotExist:
        raise SakFeil("Parten finnes ikke i saken.") from None
    if not hasattr(part, "forsendelse"):  # a party made outside part_opprett (admin, data import)
        part.forsendelse = Forsendelse.objects.create(part=part)
    return part


def sjekk_ikke_sendt(part: Part, handling: str) -> None:
    status = part.forsendelse.status
    if status == Forsendelse.Status.SENDT:
        raise SakFeil(f"Vedtaksbrevet er sendt til {part.navn}, så du kan ikke {handling}.")
    if status == Forsendelse.Status.SENDER:
        raise SakFeil(f"Vedtaksbrevet til {part.navn} sendes nå, så du kan ikke {handling}.")


def _rens_part(data: PartData) -> PartData:
    """The form checks each field for the user; the service keeps the rules whoever calls it."""
    navn, adresse, poststed = data.navn.strip(), data.adresse.strip(), data.poststed.strip()
    postnummer = data.postnummer.strip()
    if not (navn and adresse and poststed):
        raise SakFeil("Oppgi navn, adresse og poststed.")
    if not POSTNUMMER_RE.match(postnummer):
        raise SakFeil("Postnummeret må ha fire siffer.")
    if data.orgnr.strip() and data.fnr.strip():
        raise SakFeil("Oppgi enten organisasjonsnummer eller fødselsnummer, ikke begge.")
    try:
        orgnr = valider_orgnr(data.orgnr) if data.orgnr.strip() else ""
        fnr = valider_fnr(data.fnr) if data.fnr.strip() else ""
    except ValidationError as feil:  # the messages never contain the number
        raise SakFeil(" ".join(feil.messages)) from None
    return PartData(navn=navn, adresse=adresse, postnummer=postnummer, poststed=poststed, orgnr=orgnr, fnr=fnr)


def _bilde(part: Part) -> dict[str, object]:
    """The party as the log may show it: the identity number only masked (it never reaches a log)."""
    return {**bilde(part, ("navn", "adresse", "postnummer", "poststed", "orgnr")),
            "fødselsnummer": masker_fnr(part.fnr) if part.fnr else ""}


def part_opprett(*, sak: Sak, av: Bruker, data: PartData) -> Part:
    data = _rens_part(data)
    with transaction.atomic():
        sak = last_sak(sak)
        sjekk_vedtatt(sak, av, "legge til parter")
        part = Part.objects.create(sak=sak, navn=data.navn, adresse=data.adresse, postnummer=data.postnummer,
                                   poststed=data.poststed, orgnr=data.orgnr, fnr=data.fnr)
        # Made with the party, so its external reference is fixed before anything is sent.
        Forsendelse.objects.create(part=part)
        logg(av=av, handling=Handling.OPPRETTET, objekt=part, sak_id=sak.pk, kommentar=part.identitet)
    return part


def part_oppdater(*, part: Part, av: Bruker, data: PartData) -> Part:
    data = _rens_part(data)
    with transaction.atomic():
        sak = last_sak(part.sak_id)
        sjekk_vedtatt(sak, av, "endre parter")
        part = part_i_sak(sak, part)
        sjekk_ikke_sendt(part, "endre parten")
        for_ = _bilde(part)
        for felt in ["navn", "adresse", "postnummer", "poststed", "orgnr", "fnr"]:
            setattr(part, felt, getattr(data, felt))
        part.save()
        logg_felter(av=av, objekt=part, sak_id=sak.pk, for_=for_, etter=_bilde(part))
    return part


def part_fjern(*, part: Part, av: Bruker) -> None:
    """Remove a party that has not been sent the letter. Its letters stay in the case's history (documents are
    never deleted), no longer current and no longer tied to a party."""
    with transaction.atomic():
        sak = last_sak(part.sak_id)
        sjekk_vedtatt(sak, av, "fjerne parter")
        part = part_i_sak(sak, part)
        sjekk_ikke_sendt(part, "fjerne parten")
        logg(av=av, handling=Handling.SLETTET, objekt=part, sak_id=sak.pk, kommentar=part.identitet)
        Dokument.objects.filter(part=part).update(part=None, gjeldende=False)
        part.delete()
