"""The case (sak), its documents and their versions, its route through the political bodies, and its history."""

import re
import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from overgang.organisasjon.models import Arkivsystem, Kommunalomrade, Kommune, Mote, Utvalg

from .identitet import masker_fnr
from .tilstander import (  # noqa: F401  (the state sets are also read as saker.models.X)
    GODKJENTE,
    LAST_FORSENDELSE,
    MOTTATTE,
    REDIGERBAR,
    STATUS_TAG,
    UNDER_BEHANDLING,
    DokumentRolle,
    ForsendelseKanal,
    ForsendelseStatus,
    SakStatus,
)

# Year/sequence, loosely: every old system writes 19/01234 or 2019/1234; some add a document number (-3).
ARKIVSAKSNR_RE = re.compile(r"^(\d{2}|\d{4})/\d{1,6}(-\d{1,4})?$")


class SakQuerySet(models.QuerySet):
    def med_rute(self) -> "SakQuerySet":
        """Fetch each case's route with its committees in one query, for lists."""
        return self.prefetch_related(
            models.Prefetch("behandlinger", queryset=Behandling.objects.select_related("utvalg"))
        )


class Sak(models.Model):
    """A case to be handled by one or more political bodies.

    Transitions (all made by saker.services, each writing one Hendelse):
        utkast → til_godkjenning          the case officer sends it to an approver
        til_godkjenning → returnert       the approver sends it back with a comment
        returnert → til_godkjenning       the case officer resubmits, usually with a corrected document
        til_godkjenning → godkjent        the approver approves, confirming the route and wished meeting
        godkjent → sendt_sekretariat      the case officer sends it with its final documents (frozen from then)
        sendt_sekretariat → vedtatt       the secretariat records the final vedtak (saker.vedtak)
        sendt_sekretariat → trukket       the case is withdrawn at a meeting
        vedtatt → avsluttet               every party has been sent the vedtaksbrev
    Outcomes that are not final (innstilling to the next body, utsatt) leave the case with the secretariat.
    """

    Status = SakStatus

    tittel = models.CharField("tittel", max_length=300)
    kommune = models.ForeignKey(Kommune, verbose_name="kommune", on_delete=models.PROTECT,
                                help_text="Den gamle kommunen saken er skrevet i.")
    arkivsystem = models.ForeignKey(Arkivsystem, verbose_name="arkivsystem", on_delete=models.PROTECT)
    arkivsaksnr = models.CharField("arkivsaksnummer", max_length=20, help_text="Saksnummer i det gamle systemet, "
                                   "f.eks. 19/01234.")
    saksbehandler = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="saksbehandler",
                                      on_delete=models.PROTECT, related_name="saker")
    kommunalomrade = models.ForeignKey(Kommunalomrade, verbose_name="kommunalområde", on_delete=models.PROTECT,
                                       related_name="saker")
    godkjenner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="godkjenner", on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="saker_til_godkjenning")
    onsket_mote = models.ForeignKey(Mote, verbose_name="ønsket første møte", on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    unntatt_offentlighet = models.BooleanField("unntatt offentlighet", default=False)
    hjemmel = models.CharField("hjemmel", max_length=200, blank=True,
                               help_text="Lovhjemmel for unntak, f.eks. «offl. § 13 jf. fvl. § 13».")
    offentlig_tittel = models.CharField(
        "offentlig tittel", max_length=300, blank=True,
        help_text="For en unntatt sak: tittelen med de beskyttede ordene byttet ut, f.eks. «Søknad om ***** – "
                  "Fetsund». Den brukes i e-post, eksport av saksliste og logger.")
    unntatt_til = models.DateField(
        "unntatt til", null=True, blank=True,
        help_text="Når unntaket opphører, om det er kjent (offl. § 13 kan være tidsbegrenset).")
    innstilling = models.TextField("forslag til vedtak / innstilling", blank=True)
    status = models.CharField("status", max_length=20, choices=Status, default=Status.UTKAST)
    status_endret = models.DateTimeField("status endret", default=timezone.now)
    sendt_sekretariat = models.DateTimeField("sendt til sekretariatet", null=True, blank=True)
    opprettet = models.DateTimeField("opprettet", auto_now_add=True)

    objects = SakQuerySet.as_manager()

    class Meta:
        verbose_name = "sak"
        verbose_name_plural = "saker"
        ordering = ["-status_endret"]
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=SakStatus.values), name="sak_status_gyldig"),
            models.CheckConstraint(
                condition=models.Q(unntatt_offentlighet=False) | ~models.Q(hjemmel=""),
                name="sak_unntatt_krever_hjemmel",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "status_endret"], name="sak_status_idx"),
            # Mine saker: the officer's cases, newest change first.
            models.Index(fields=["saksbehandler", "-status_endret"], name="sak_saksbehandler_idx"),
            # The admin's list: ordering by status_endret, then id.
            models.Index(fields=["-status_endret", "-id"], name="sak_endret_idx"),
        ]

    def __str__(self) -> str:
        # The public form: a case turned into text without thought (e-mails, logs, the admin's lists) never
        # carries an exempt case's full title. Pages of people who may see the case use `tittel` itself.
        return f"{self.arkivsaksnr} {self.tittel_ut}"

    def get_absolute_url(self) -> str:
        return reverse("saker:sak", args=[self.pk])

    @property
    def status_tag(self) -> str:
        """The colour of the state's tag (designsystemet's Tag, on Bootstrap): who holds the case can be seen."""
        return STATUS_TAG[self.status]

    @property
    def tittel_ut(self) -> str:
        """The title as it may leave the app for people who need not know (eInnsyn's offentligTittel beside
        offentligTittelSensitiv): the public title of an exempt case, otherwise the title."""
        if not self.unntatt_offentlighet:
            return self.tittel
        return self.offentlig_tittel or f"Sak unntatt offentlighet ({self.hjemmel})"

    @property
    def er_godkjent(self) -> bool:
        """Approved, whether or not it has reached the secretariat yet."""
        return self.status in GODKJENTE

    @property
    def er_mottatt(self) -> bool:
        """Received by the secretariat."""
        return self.status in MOTTATTE


class Behandling(models.Model):
    """One body on the case's route (saksgang), in order: e.g. hovedutvalg, then formannskapet, then kommunestyret."""

    sak = models.ForeignKey(Sak, on_delete=models.CASCADE, related_name="behandlinger")
    utvalg = models.ForeignKey(Utvalg, verbose_name="utvalg", on_delete=models.PROTECT, related_name="behandlinger")
    rekkefolge = models.PositiveSmallIntegerField("rekkefølge")

    class Meta:
        verbose_name = "behandling"
        verbose_name_plural = "saksgang"
        ordering = ["sak", "rekkefolge"]
        constraints = [
            models.UniqueConstraint(fields=["sak", "rekkefolge"], name="behandling_unik_rekkefolge"),
            models.UniqueConstraint(fields=["sak", "utvalg"], name="behandling_unikt_utvalg"),
        ]

    def __str__(self) -> str:
        return f"{self.rekkefolge}. {self.utvalg}"


def dokument_sti(dokument: "Dokument", filnavn: str) -> str:
    # A random name on disk: the user's file name is kept in the row, never trusted as a path.
    return f"saker/{dokument.sak_id}/{uuid.uuid4().hex}"


class Dokument(models.Model):
    """An uploaded file. Never changed or deleted: a corrected main document is a new row with the next
    version, and the old row stops being current, so the version history shows who uploaded what, when."""

    Rolle = DokumentRolle

    sak = models.ForeignKey(Sak, on_delete=models.CASCADE, related_name="dokumenter")
    rolle = models.CharField("type", max_length=15, choices=Rolle)
    fil = models.FileField("fil", upload_to=dokument_sti, max_length=200)
    filnavn = models.CharField("filnavn", max_length=200)
    mime = models.CharField("filtype", max_length=120)
    storrelse = models.PositiveBigIntegerField("størrelse (byte)")
    part = models.ForeignKey("Part", verbose_name="part", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="brev", help_text="Mottakeren, for et vedtaksbrev.")
    versjon = models.PositiveSmallIntegerField("versjon", default=1)
    gjeldende = models.BooleanField("gjeldende", default=True)
    lastet_opp_av = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="lastet opp av",
                                      on_delete=models.PROTECT, related_name="+")
    lastet_opp = models.DateTimeField("lastet opp", default=timezone.now)
    # Read once when the document is saved, so a preview never parses the file again; blank for other types
    # and for rows made before it was stored (the preview then reads the file).
    tekst = models.TextField("tekst til forhåndsvisning", blank=True, editable=False)

    class Meta:
        verbose_name = "dokument"
        verbose_name_plural = "dokumenter"
        ordering = ["sak", "-rolle", "filnavn", "-versjon"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rolle__in=DokumentRolle.values), name="dokument_rolle_gyldig"),
            # Only a vedtaksbrev is addressed to a party.
            models.CheckConstraint(condition=models.Q(part__isnull=True) | models.Q(rolle="vedtaksbrev"),
                                   name="dokument_part_bare_for_vedtaksbrev"),
            models.CheckConstraint(condition=models.Q(versjon__gte=1), name="dokument_versjon_fra_1"),
            models.UniqueConstraint(fields=["sak"], condition=models.Q(rolle="hoveddokument", gjeldende=True),
                                    name="dokument_ett_gjeldende_hoveddokument"),
            models.UniqueConstraint(fields=["part"], condition=models.Q(rolle="vedtaksbrev", gjeldende=True),
                                    name="dokument_ett_gjeldende_vedtaksbrev_per_part"),
        ]

    def __str__(self) -> str:
        return f"{self.filnavn} (v{self.versjon})"

    @property
    def er_docx(self) -> bool:
        return self.mime == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class Hendelse(models.Model):
    """One row per transition of a case: the history users read and the audit trail. A case with history
    cannot be deleted (PROTECT): its story must outlive any clean-up."""

    sak = models.ForeignKey(Sak, on_delete=models.PROTECT, related_name="hendelser")
    fra_status = models.CharField("fra", max_length=20, choices=Sak.Status, blank=True)
    til_status = models.CharField("til", max_length=20, choices=Sak.Status)
    utfort_av = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="utført av", on_delete=models.PROTECT,
                                  related_name="+")
    # Set when the actor could act only as stand-in for an absent person (overgang.organisasjon.models.Fravaer).
    pa_vegne_av = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="på vegne av", on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="+")
    tidspunkt = models.DateTimeField("tidspunkt", default=timezone.now)
    kommentar = models.TextField("kommentar", blank=True)
    dokument = models.ForeignKey(Dokument, verbose_name="saksframlegg (versjon)", on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "hendelse"
        verbose_name_plural = "historikk"
        ordering = ["sak", "tidspunkt", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(til_status__in=SakStatus.values),
                                   name="hendelse_til_status_gyldig"),
            models.CheckConstraint(condition=models.Q(fra_status__in=SakStatus.values) | models.Q(fra_status=""),
                                   name="hendelse_fra_status_gyldig"),
            # A history row records a change of state.
            models.CheckConstraint(condition=~models.Q(fra_status=models.F("til_status")),
                                   name="hendelse_endrer_status"),
            models.CheckConstraint(condition=~models.Q(pa_vegne_av=models.F("utfort_av")),
                                   name="hendelse_pa_vegne_av_en_annen"),
        ]

    def __str__(self) -> str:
        return f"{self.get_fra_status_display() or '–'} → {self.get_til_status_display()}"

    @property
    def hvem(self) -> str:
        """Who did it, as the history and e-mails say it: "Per Hansen på vegne av Kari Berg"."""
        return f"{self.utfort_av} på vegne av {self.pa_vegne_av}" if self.pa_vegne_av_id else str(self.utfort_av)


class Vedtak(models.Model):
    """The final decision on the case, recorded by the secretariat after the meeting and returned to the
    case officer's old archive system, where the vedtaksbrev is made."""

    sak = models.OneToOneField(Sak, on_delete=models.CASCADE, related_name="vedtak")
    behandling = models.ForeignKey(Behandling, verbose_name="behandling", on_delete=models.PROTECT,
                                   related_name="+")
    mote = models.ForeignKey(Mote, verbose_name="møte", on_delete=models.PROTECT, related_name="+")
    utvalgssaksnr = models.CharField("utvalgssaksnummer", max_length=20)
    tekst = models.TextField("vedtak")
    saksutskrift = models.ForeignKey(Dokument, verbose_name="saksutskrift", on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    registrert_av = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="registrert av",
                                      on_delete=models.PROTECT, related_name="+")
    registrert = models.DateTimeField("registrert", default=timezone.now)
    returnert_arkiv = models.DateTimeField(
        "returnert til gammelt arkiv", null=True, blank=True,
        help_text="Når vedtaket ble overført tilbake til saksbehandlerens gamle arkivsystem.")

    class Meta:
        verbose_name = "vedtak"
        verbose_name_plural = "vedtak"

    def __str__(self) -> str:
        return f"{self.utvalgssaksnr}: {self.sak.tittel_ut}"


class Part(models.Model):
    """An affected party who shall have the vedtaksbrev. The identity number is needed for digital delivery
    through SvarUt; it is shown masked and never put in e-mails or logs."""

    sak = models.ForeignKey(Sak, on_delete=models.CASCADE, related_name="parter")
    navn = models.CharField("navn", max_length=200)
    adresse = models.CharField("adresse", max_length=300,
                               help_text="Gate/postboks; flere linjer skilles med linjeskift.")
    postnummer = models.CharField("postnummer", max_length=4)
    poststed = models.CharField("poststed", max_length=100)
    orgnr = models.CharField("organisasjonsnummer", max_length=9, blank=True)
    fnr = models.CharField("fødselsnummer", max_length=11, blank=True)
    opprettet = models.DateTimeField("opprettet", auto_now_add=True)

    class Meta:
        verbose_name = "part"
        verbose_name_plural = "parter"
        ordering = ["sak", "navn"]
        constraints = [
            models.CheckConstraint(condition=models.Q(orgnr="") | models.Q(fnr=""), name="part_ikke_orgnr_og_fnr"),
        ]

    def __str__(self) -> str:
        return self.navn

    @property
    def identitet(self) -> str:
        """The number for digital delivery as it may be shown: an identity number only masked."""
        if self.orgnr:
            return f"Org.nr. {self.orgnr}"
        if self.fnr:
            return f"Fødselsnr. {masker_fnr(self.fnr)}"
        return ""


class Forsendelse(models.Model):
    """The dispatch of the vedtaksbrev (with the saksutskrift) to one party.

    States: ikke_sendt → sendt (manual record)
            ikke_sendt → sender → sendt | feilet (SvarUt); feilet → sender (retry)
    `sender` is the claim taken before the call to SvarUt, so two presses never send twice; a claim older
    than `sist_forsokt` + a timeout may be taken again (the same external reference keeps that safe).
    """

    Status = ForsendelseStatus
    Kanal = ForsendelseKanal

    part = models.OneToOneField(Part, on_delete=models.CASCADE, related_name="forsendelse")
    brev = models.ForeignKey(Dokument, verbose_name="brev", on_delete=models.PROTECT, null=True, blank=True,
                             related_name="+")
    status = models.CharField("status", max_length=12, choices=Status, default=Status.IKKE_SENDT)
    kanal = models.CharField("kanal", max_length=10, choices=Kanal, blank=True)
    ekstern_referanse = models.UUIDField(
        "ekstern referanse", default=uuid.uuid4, unique=True,
        help_text="Sendes til SvarUt, så et nytt forsøk aldri sender brevet to ganger.")
    forsendelse_id = models.CharField("forsendelses-id", max_length=100, blank=True)
    svarut_status = models.CharField("status i SvarUt", max_length=30, blank=True)
    sendt = models.DateTimeField("sendt", null=True, blank=True)
    sendt_av = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="sendt av", on_delete=models.PROTECT,
                                 null=True, blank=True, related_name="+")
    forsok = models.PositiveSmallIntegerField("forsøk", default=0)
    sist_forsokt = models.DateTimeField("sist forsøkt", null=True, blank=True)
    feilmelding = models.TextField("siste feil", blank=True)

    class Meta:
        verbose_name = "forsendelse"
        verbose_name_plural = "forsendelser"
        constraints = [
            models.CheckConstraint(condition=models.Q(status__in=ForsendelseStatus.values),
                                   name="forsendelse_status_gyldig"),
            models.CheckConstraint(condition=models.Q(kanal__in=ForsendelseKanal.values) | models.Q(kanal=""),
                                   name="forsendelse_kanal_gyldig"),
            # A sent letter says when, how, and under which shipment id (SvarUt's, or the one recorded by hand).
            models.CheckConstraint(
                condition=~models.Q(status="sendt")
                | (models.Q(sendt__isnull=False) & ~models.Q(forsendelse_id="") & ~models.Q(kanal="")),
                name="forsendelse_sendt_har_tid_id_og_kanal",
            ),
            # A claim being sent carries its time, so a claim left by a dead request can be recognised.
            models.CheckConstraint(condition=~models.Q(status="sender") | models.Q(sist_forsokt__isnull=False),
                                   name="forsendelse_sender_har_tidspunkt"),
        ]

    def __str__(self) -> str:
        return f"{self.part}: {self.get_status_display()}"

    @property
    def er_last(self) -> bool:
        """In flight or sent: the party and its letter may no longer change."""
        return self.status in LAST_FORSENDELSE


class Registrering(models.Model):
    """The case's numbers in the new P360, registered by the secretariat when it creates the saksframlegg there
    (sekretariat.services.registrer_i_p360). A one-to-one attribute of the case, so it lives with the case."""

    sak = models.OneToOneField(Sak, on_delete=models.CASCADE, related_name="registrering")
    p360_saksnr = models.CharField("P360 saksnummer", max_length=20, help_text="F.eks. 20/00123.")
    p360_dokumentnr = models.CharField("P360 dokumentnummer", max_length=30, help_text="F.eks. 20/00123-4.")
    registrert_av = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="registrert av",
                                      on_delete=models.PROTECT, related_name="+")
    registrert = models.DateTimeField("registrert", default=timezone.now)

    class Meta:
        verbose_name = "registrering i P360"
        verbose_name_plural = "registreringer i P360"
        constraints = [
            models.UniqueConstraint(fields=["p360_dokumentnr"], name="registrering_unikt_dokumentnr"),
        ]

    def __str__(self) -> str:
        return f"{self.p360_saksnr} ({self.p360_dokumentnr})"


def mellomlagring_sti(rad: "Mellomlagring", filnavn: str) -> str:
    return f"mellomlagring/{rad.bruker_id}/{uuid.uuid4().hex}"


class Mellomlagring(models.Model):
    """A checked file kept for its uploader when the rest of the form was refused: the browser will not send
    a chosen file twice, so without this the case officer would lose it. Used by the next attempt, or removed
    by the sweeper after a day."""

    bruker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    rolle = models.CharField("type", max_length=15, choices=Dokument.Rolle)
    fil = models.FileField("fil", upload_to=mellomlagring_sti, max_length=200)
    filnavn = models.CharField("filnavn", max_length=200)
    mime = models.CharField("filtype", max_length=120)
    filendelse = models.CharField("filendelse", max_length=10)
    storrelse = models.PositiveBigIntegerField("størrelse (byte)")
    opprettet = models.DateTimeField("opprettet", default=timezone.now)

    class Meta:
        verbose_name = "mellomlagret fil"
        verbose_name_plural = "mellomlagrede filer"
        ordering = ["-rolle", "opprettet"]
        constraints = [
            models.CheckConstraint(condition=models.Q(rolle__in=DokumentRolle.values),
                                   name="mellomlagring_rolle_gyldig"),
        ]

    def __str__(self) -> str:
        return self.filnavn


# Models kept in modules of their own, imported here so Django registers them with the app.
from .dokument_pdf import DokumentPdf  # noqa: E402,F401
from .statusendring import Statusendring  # noqa: E402,F401  (a shipment's status history)
