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
            # get_or_create: transactional tests flush the groups the migration made
            self.groups.add(Group.objects.get_or_create(name=extracted)[0])
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


def lag_docx(tittel: str = "Skolebehovsplan for Lillestrøm 2020–2030",
             innstilling: str = "Kommunestyret vedtar skolebehovsplanen.") -> bytes:
    """A small, real saksframlegg as .docx bytes."""
    from saker.saksframlegg_demo import lag_saksframlegg

    return lag_saksframlegg(tittel, innstilling)


PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n" \
    b"trailer<</Root 1 0 R>>\n%%EOF\n"


class SakFactory(factory.django.DjangoModelFactory):
    """A case with a current main document (.docx); pass status= to place it anywhere in the workflow."""

    class Meta:
        model = "saker.Sak"
        skip_postgeneration_save = True

    tittel = factory.Sequence(lambda n: f"Sak nummer {n} om skolestruktur på Fet")
    kommune = factory.SubFactory(KommuneFactory)
    arkivsystem = factory.SubFactory(ArkivsystemFactory)
    arkivsaksnr = factory.Sequence(lambda n: f"19/{n + 1000:05d}")
    saksbehandler = factory.SubFactory(BrukerFactory, rolle=Rolle.SAKSBEHANDLER)
    kommunalomrade = factory.LazyAttribute(lambda o: o.saksbehandler.kommunalomrade or KommunalomradeFactory())
    innstilling = "Kommunestyret vedtar planen."

    @factory.post_generation
    def hoveddokument(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        from django.core.files.base import ContentFile

        from saker.models import Dokument

        dokument = Dokument(sak=self, rolle=Dokument.Rolle.HOVEDDOKUMENT, filnavn="saksframlegg.docx",
                            mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                            storrelse=0, lastet_opp_av=self.saksbehandler)
        innhold = extracted if isinstance(extracted, bytes) else lag_docx(self.tittel, self.innstilling)
        dokument.storrelse = len(innhold)
        dokument.fil.save("saksframlegg.docx", ContentFile(innhold), save=False)
        dokument.save()

    @factory.post_generation
    def rute(self, create, extracted, **kwargs):
        from saker.models import Behandling

        if create:
            for i, utvalg in enumerate(extracted or [UtvalgFactory()], start=1):
                Behandling.objects.create(sak=self, utvalg=utvalg, rekkefolge=i)


class MotelistepunktFactory(factory.django.DjangoModelFactory):
    """An approved case on a director's list for a meeting."""

    class Meta:
        model = "godkjenning.Motelistepunkt"

    mote = factory.SubFactory(MoteFactory)
    sak = factory.SubFactory(SakFactory, status="godkjent")
    lagt_til_av = factory.SubFactory(BrukerFactory, rolle=Rolle.GODKJENNER)
    status = "aktiv"
    # A moved or removed entry says who changed it and when (a database rule).
    endret_av = factory.LazyAttribute(lambda o: None if o.status == "aktiv" else o.lagt_til_av)
    endret = factory.LazyAttribute(lambda o: None if o.status == "aktiv" else timezone.now())


class RegistreringFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "saker.Registrering"

    sak = factory.SubFactory(SakFactory, status="sendt_sekretariat")
    p360_saksnr = factory.Sequence(lambda n: f"20/{n + 100:05d}")
    p360_dokumentnr = factory.LazyAttributeSequence(lambda o, n: f"{o.p360_saksnr}-{n + 1}")
    registrert_av = factory.SubFactory(BrukerFactory, rolle=Rolle.SEKRETARIAT)


class SakslistepunktFactory(factory.django.DjangoModelFactory):
    """A case on a meeting's agenda, numbered PS n/yy in the meeting's committee and year."""

    class Meta:
        model = "sekretariat.Sakslistepunkt"

    mote = factory.SubFactory(MoteFactory)
    sak = factory.SubFactory(SakFactory, status="sendt_sekretariat")
    utvalg = factory.LazyAttribute(lambda o: o.mote.utvalg)
    aar = factory.LazyAttribute(lambda o: timezone.localtime(o.mote.tidspunkt).year)
    nummer = factory.Sequence(lambda n: n + 1)
    rekkefolge = factory.Sequence(lambda n: n + 1)
    lagt_til_av = factory.SubFactory(BrukerFactory, rolle=Rolle.SEKRETARIAT)


def _saksutskrift(sak, registrert_av, utvalgssaksnr: str):
    from django.core.files.base import ContentFile

    from saker.models import Dokument

    filnavn = f"Saksutskrift {utvalgssaksnr.replace('/', '-')}.pdf"
    dokument = Dokument(sak=sak, rolle=Dokument.Rolle.SAKSUTSKRIFT, filnavn=filnavn, mime="application/pdf",
                        storrelse=len(PDF_BYTES), lastet_opp_av=registrert_av)
    dokument.fil.save(filnavn, ContentFile(PDF_BYTES), save=False)
    dokument.save()
    return dokument


class VedtakFactory(factory.django.DjangoModelFactory):
    """A final vedtak as the secretariat records it: the case vedtatt at a held meeting of the first committee
    on its route, with the saksutskrift from P360 (a small PDF). Pass saksutskrift=None for a missing one."""

    class Meta:
        model = "saker.Vedtak"

    sak = factory.SubFactory(SakFactory, status="vedtatt")
    behandling = factory.LazyAttribute(lambda o: o.sak.behandlinger.first())
    mote = factory.LazyAttributeSequence(lambda o, n: MoteFactory(
        utvalg=o.behandling.utvalg, status=Mote.Status.AVHOLDT,
        tidspunkt=timezone.now().replace(hour=17, minute=0, second=0, microsecond=0)
        - datetime.timedelta(days=2, minutes=n)))
    utvalgssaksnr = "PS 12/26"
    tekst = "Kommunestyret vedtar skolebehovsplanen for 2020–2030.\nRådmannen bes legge fram en sak om Fetsund skole."
    registrert_av = factory.SubFactory(BrukerFactory, rolle=Rolle.SEKRETARIAT)
    saksutskrift = factory.LazyAttribute(lambda o: _saksutskrift(o.sak, o.registrert_av, o.utvalgssaksnr))


def dag(n: int) -> datetime.datetime:
    """18:00 local time, n days from today: meetings in tests sit at a realistic hour."""
    return timezone.localtime().replace(hour=18, minute=0, second=0, microsecond=0) + datetime.timedelta(days=n)
