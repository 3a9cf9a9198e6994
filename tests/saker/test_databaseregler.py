"""The database itself refuses states no code may write: a status outside its values, a shipment marked sent
without when and with what id, a history row that changes nothing."""

import pytest
from django.db import IntegrityError, transaction

from godkjenning.models import Motelistepunkt
from overgang.organisasjon.models import Mote
from saker.models import Forsendelse, Hendelse, Part, Sak
from sekretariat.models import Sakslistepunkt
from tests.factories import MoteFactory, MotelistepunktFactory, SakFactory, SakslistepunktFactory

pytestmark = pytest.mark.django_db


def refuses(queryset, **felter) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        queryset.update(**felter)


@pytest.mark.parametrize("modell", ["sak", "mote", "motelistepunkt", "sakslistepunkt"])
def test_no_status_column_takes_a_value_outside_its_states(modell):
    rader = {
        "sak": lambda: Sak.objects.filter(pk=SakFactory().pk),
        "mote": lambda: Mote.objects.filter(pk=MoteFactory().pk),
        "motelistepunkt": lambda: Motelistepunkt.objects.filter(pk=MotelistepunktFactory().pk),
        "sakslistepunkt": lambda: Sakslistepunkt.objects.filter(pk=SakslistepunktFactory().pk),
    }
    felt = "utfall" if modell == "sakslistepunkt" else "status"
    refuses(rader[modell](), **{felt: "tull"})


def test_a_shipment_cannot_be_sent_without_its_time_id_and_channel(saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler, status=Sak.Status.VEDTATT)
    part = Part.objects.create(sak=sak, navn="Fet idrettslag", adresse="Gate 1", postnummer="1900", poststed="Fetsund")
    forsendelse = Forsendelse.objects.create(part=part)
    rad = Forsendelse.objects.filter(pk=forsendelse.pk)
    refuses(rad, status=Forsendelse.Status.SENDT)
    refuses(rad, status=Forsendelse.Status.SENDER)
    refuses(rad, status=Forsendelse.Status.SENDT, kanal=Forsendelse.Kanal.MANUELL, forsendelse_id="abc")


def test_a_removed_list_entry_says_who_removed_it():
    punkt = MotelistepunktFactory()
    refuses(Motelistepunkt.objects.filter(pk=punkt.pk), status=Motelistepunkt.Status.FJERNET, grunn="Trekkes")


def test_a_history_row_records_a_change_of_state(saksbehandler):
    sak = SakFactory(saksbehandler=saksbehandler)
    with pytest.raises(IntegrityError), transaction.atomic():
        Hendelse.objects.create(sak=sak, fra_status=Sak.Status.UTKAST, til_status=Sak.Status.UTKAST,
                                utfort_av=saksbehandler)
