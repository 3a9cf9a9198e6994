import datetime

import factory
from django.contrib.auth.models import Group
from django.utils import timezone

from overgang.organisasjon.models import Arkivsystem, Bruker, Kommunalomrade, Kommune, Mote, Rolle, Utvalg


class KommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kommune
        django_get_or_create = ["kode"]

    navn = "Skedsmo kommune"
    kode = "skedsmo"
    kommunenummer = "0231"


class ArkivsystemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Arkivsystem
        django_get_or_create = ["navn"]

    navn = "ePhorte"


class KommunalomradeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Kommunalomrade
        django_get_or_create = ["navn"]

    navn = factory.Sequence(lambda n: f"Kommunalområde {n}")


class BrukerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bruker
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruker{n}")
    first_name = factory.Sequence(lambda n: f"Fornavn{n}")
    last_name = "Etternavn"
    email = factory.LazyAttribute(lambda o: f"{o.username}@lillestrom.kommune.no")
    kommune = factory.SubFactory(KommuneFactory)
    arkivsystem = factory.SubFactory(ArkivsystemFactory)
    password = factory.PostGenerationMethodCall("set_password", "passord")

    @factory.post_generation
    def rolle(self, create, extracted, **kwargs):
        if extracted:
            self.groups.add(Group.objects.get(name=extracted))
        self.save()

    @classmethod
    def saksbehandler(cls, **kwargs):
        return cls(rolle=Rolle.SAKSBEHANDLER, **kwargs)

    @classmethod
    def godkjenner(cls, kommunalomrade=None, **kwargs):
        bruker = cls(rolle=Rolle.GODKJENNER, **kwargs)
        if kommunalomrade is not None:
            kommunalomrade.godkjennere.add(bruker)
        return bruker

    @classmethod
    def sekretariat(cls, **kwargs):
        return cls(rolle=Rolle.SEKRETARIAT, **kwargs)


class UtvalgFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Utvalg
        django_get_or_create = ["kode"]

    navn = "Formannskapet"
    kode = "FSK"
    saksfrist_dager = 10


class MoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mote

    utvalg = factory.SubFactory(UtvalgFactory)
    tidspunkt = factory.Sequence(
        lambda n: timezone.now().replace(hour=17, minute=0, second=0, microsecond=0) + datetime.timedelta(days=20 + n)
    )
    sted = "Lillestrøm rådhus"
    saksfrist = factory.LazyAttribute(lambda o: Mote.standard_saksfrist(o.utvalg, o.tidspunkt))
