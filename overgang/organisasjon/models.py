"""The organisation around the cases: municipalities, archive systems, sectors, users and their roles,
and the political calendar (committees and their meetings) that every domain app refers to."""

import datetime

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from overgang.datoer import norsk_dato


class Rolle(models.TextChoices):
    """A role is a Django group of the same name; the groups are made by a migration."""

    SAKSBEHANDLER = "saksbehandler", "Saksbehandler"
    GODKJENNER = "godkjenner", "Godkjenner (kommunaldirektør/rådmann)"
    SEKRETARIAT = "sekretariat", "Politisk sekretariat"


class Kommune(models.Model):
    """An old municipality (Skedsmo, Fet, Sørum) or the new one (Lillestrøm)."""

    navn = models.CharField("navn", max_length=100, unique=True)
    kode = models.SlugField("kode", max_length=20, unique=True, help_text="Brukes for brevmal, f.eks. skedsmo.")
    kommunenummer = models.CharField("kommunenummer", max_length=4, blank=True)
    er_ny = models.BooleanField("ny kommune", default=False, help_text="Lillestrøm: den sammenslåtte kommunen.")

    class Meta:
        verbose_name = "kommune"
        verbose_name_plural = "kommuner"
        ordering = ["er_ny", "navn"]

    def __str__(self) -> str:
        return self.navn


class Arkivsystem(models.Model):
    navn = models.CharField("navn", max_length=50, unique=True)

    class Meta:
        verbose_name = "arkivsystem"
        verbose_name_plural = "arkivsystemer"
        ordering = ["navn"]

    def __str__(self) -> str:
        return self.navn


class Kommunalomrade(models.Model):
    """A sector led by a kommunaldirektør, who approves its cases."""

    navn = models.CharField("navn", max_length=100, unique=True)
    godkjennere = models.ManyToManyField(
        "Bruker", verbose_name="godkjennere", related_name="godkjenner_for", blank=True,
        help_text="Kommunaldirektør(er) som godkjenner områdets saker.",
    )

    class Meta:
        verbose_name = "kommunalområde"
        verbose_name_plural = "kommunalområder"
        ordering = ["navn"]

    def __str__(self) -> str:
        return self.navn


class Bruker(AbstractUser):
    kommune = models.ForeignKey(
        Kommune, verbose_name="kommune", on_delete=models.PROTECT, null=True, blank=True,
        help_text="Den gamle kommunen saksbehandleren arbeider i.",
    )
    arkivsystem = models.ForeignKey(Arkivsystem, verbose_name="arkivsystem", on_delete=models.PROTECT,
                                    null=True, blank=True)
    kommunalomrade = models.ForeignKey(Kommunalomrade, verbose_name="kommunalområde", on_delete=models.PROTECT,
                                       null=True, blank=True, related_name="ansatte")
    er_radmann = models.BooleanField("rådmann", default=False,
                                     help_text="Rådmannen kan godkjenne saker fra alle kommunalområder.")
    telefon = models.CharField("telefon", max_length=20, blank=True)

    class Meta:
        verbose_name = "bruker"
        verbose_name_plural = "brukere"
        ordering = ["first_name", "last_name", "username"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @property
    def roller(self) -> frozenset[str]:
        """The user's roles, read once per request object (group names are the role values)."""
        if not hasattr(self, "_roller"):
            self._roller = frozenset(self.groups.values_list("name", flat=True)) if self.is_active else frozenset()
        return self._roller

    def har_rolle(self, rolle: str) -> bool:
        return rolle in self.roller


class Utvalg(models.Model):
    """A political body. Its members live only in P360 and are not stored here."""

    navn = models.CharField("navn", max_length=100, unique=True)
    kode = models.CharField("kortnavn", max_length=10, unique=True, help_text="F.eks. KST, FSK, HOK.")
    saksfrist_dager = models.PositiveSmallIntegerField(
        "saksfrist (dager før møtet)", default=10,
        help_text="Lokal regel: hvor mange dager før møtet sakene må være hos sekretariatet.",
    )
    rekkefolge = models.PositiveSmallIntegerField("rekkefølge", default=100)
    aktiv = models.BooleanField("aktiv", default=True)

    class Meta:
        verbose_name = "utvalg"
        verbose_name_plural = "utvalg"
        ordering = ["rekkefolge", "navn"]

    def __str__(self) -> str:
        return self.navn


def _grense(etter: datetime.datetime | None) -> datetime.datetime:
    naa = timezone.now()
    return naa if etter is None else max(etter, naa)


class MoteQuerySet(models.QuerySet):
    def kommende(self, etter: datetime.datetime | None = None) -> "MoteQuerySet":
        """Meetings still to come: planned, and later than now (and than `etter`, if given). The one definition,
        as `Mote.er_kommende`."""
        return self.filter(status=Mote.Status.PLANLAGT, tidspunkt__gt=_grense(etter)).order_by("tidspunkt")


class MoteStatus(models.TextChoices):
    PLANLAGT = "planlagt", "Planlagt"
    AVHOLDT = "avholdt", "Avholdt"
    AVLYST = "avlyst", "Avlyst"


class Mote(models.Model):
    """A meeting of one utvalg.

    States: planlagt → avholdt, planlagt → avlyst.
    """

    Status = MoteStatus

    utvalg = models.ForeignKey(Utvalg, verbose_name="utvalg", on_delete=models.PROTECT, related_name="moter")
    tidspunkt = models.DateTimeField("dato og tid")
    sted = models.CharField("møtested", max_length=200, default="Lillestrøm rådhus")
    saksfrist = models.DateField("saksfrist", help_text="Siste dag for saker til møtet.")
    status = models.CharField("status", max_length=10, choices=Status, default=Status.PLANLAGT)

    objects = MoteQuerySet.as_manager()

    class Meta:
        verbose_name = "møte"
        verbose_name_plural = "møter"
        ordering = ["tidspunkt"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=MoteStatus.values), name="mote_status_gyldig"),
            models.UniqueConstraint(fields=["utvalg", "tidspunkt"], name="mote_unikt_per_utvalg_og_tid"),
        ]

    def __str__(self) -> str:
        """The short label in lists and messages: "KST 12.03.2026"."""
        lokal = timezone.localtime(self.tidspunkt)
        return f"{self.utvalg.kode} {lokal:%d.%m.%Y}"

    def er_kommende(self, etter: datetime.datetime | None = None) -> bool:
        """Planned and still to come (and later than `etter`, if given): only such a meeting takes cases on its
        lists and agenda."""
        return self.status == Mote.Status.PLANLAGT and self.tidspunkt > _grense(etter)

    @property
    def tekst(self) -> str:
        """The label in sentences: "Kommunestyret 12. mars 2026"."""
        return f"{self.utvalg.navn} {norsk_dato(self.tidspunkt)}"

    @property
    def med_klokkeslett(self) -> str:
        """The label where the hour matters (choosing a meeting): "KST 12.03.2026 kl. 18:00"."""
        return f"{self.utvalg.kode} {timezone.localtime(self.tidspunkt):%d.%m.%Y kl. %H:%M}"

    @property
    def med_saksfrist(self) -> str:
        """The label where the deadline matters (choosing a first meeting): "KST 12.03.2026 (saksfrist 02.03.2026)"."""
        return f"{self} (saksfrist {self.saksfrist:%d.%m.%Y})"

    def sak_tekst(self, utvalgssaksnr: str) -> str:
        """One case's handling at this meeting, for history and e-mails:
        "Kommunestyret, møte 12. mars 2026, sak PS 4/26."."""
        return f"{self.utvalg.navn}, møte {norsk_dato(self.tidspunkt)}, sak {utvalgssaksnr}."

    @staticmethod
    def standard_saksfrist(utvalg: Utvalg, tidspunkt: datetime.datetime) -> datetime.date:
        return timezone.localtime(tidspunkt).date() - datetime.timedelta(days=utvalg.saksfrist_dager)


class FravaerQuerySet(models.QuerySet):
    def aktive(self, dag: datetime.date | None = None) -> "FravaerQuerySet":
        """The periods running on `dag` (today by default), with a stand-in still active: the one definition of
        "standing in now". A period ends by itself: the day after `til` it is no longer found here."""
        dag = dag or timezone.localdate()
        return self.filter(models.Q(til__isnull=True) | models.Q(til__gte=dag), fra__lte=dag,
                           stedfortreder__is_active=True)

    def overlapper(self, fra: datetime.date, til: datetime.date | None) -> "FravaerQuerySet":
        """The periods sharing at least one day with [fra, til] (an open end runs on for ever)."""
        vilkar = models.Q(til__isnull=True) | models.Q(til__gte=fra)
        return self.filter(vilkar) if til is None else self.filter(vilkar, fra__lte=til)


class Fravaer(models.Model):
    """A period (both dates included) in which `person` is away and `stedfortreder`, of the same role and
    sector, sees and acts on what waits for them (overgang.organisasjon.services.fravaer_opprett holds the
    rules). An open end (`til` empty) runs until someone ends it."""

    person = models.ForeignKey(Bruker, verbose_name="borte", on_delete=models.CASCADE, related_name="fravaer")
    stedfortreder = models.ForeignKey(Bruker, verbose_name="stedfortreder", on_delete=models.CASCADE,
                                      related_name="star_inn_i")
    fra = models.DateField("fra og med")
    til = models.DateField("til og med", null=True, blank=True, help_text="Tom: inntil videre.")
    opprettet_av = models.ForeignKey(Bruker, verbose_name="registrert av", on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    opprettet = models.DateTimeField("registrert", default=timezone.now)

    objects = FravaerQuerySet.as_manager()

    class Meta:
        verbose_name = "fravær med stedfortreder"
        verbose_name_plural = "fravær med stedfortreder"
        ordering = ["fra", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(til__isnull=True) | models.Q(til__gte=models.F("fra")),
                                   name="fravaer_til_etter_fra"),
            models.CheckConstraint(condition=~models.Q(stedfortreder=models.F("person")),
                                   name="fravaer_stedfortreder_er_en_annen"),
        ]

    def __str__(self) -> str:
        return f"{self.person} borte {self.periode}, {self.stedfortreder} står inn"

    @property
    def periode(self) -> str:
        """"01.07.2026–14.07.2026", or "fra 01.07.2026" for an open end."""
        return f"fra {self.fra:%d.%m.%Y}" if self.til is None else f"{self.fra:%d.%m.%Y}–{self.til:%d.%m.%Y}"
