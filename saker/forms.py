"""Forms turn the case officer's input into domain values; the services persist them."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone

from overgang.organisasjon.models import Arkivsystem, Bruker, Kommunalomrade, Kommune, Mote, Utvalg

from . import filer, services
from .filfelt import FlereFilerFelt, SaksframleggFelt, VedleggFeil, maks_bytes, sjekk_fil, sjekk_vedlegg
from .identitet import masker_fnr, valider_fnr, valider_orgnr
from .lesing import Lesing, lesing
from .models import ARKIVSAKSNR_RE, Dokument, Mellomlagring, Part, Sak
from .selectors import godkjennere_for
from .services import POSTNUMMER_RE, Opplasting, PartData, SakData

RUTE_LENGDE = 4
# The upload fields and checks live in saker.filfelt; other apps and the tests import them from here too.
__all__ = ["FlereFilerFelt", "VedleggFeil", "maks_bytes", "sjekk_fil", "sjekk_vedlegg"]


class MoteValg(forms.ModelChoiceField):
    def label_from_instance(self, mote: Mote) -> str:
        if mote.saksfrist < timezone.localdate():
            return f"{mote.med_saksfrist} – saksfristen er passert"
        return mote.med_saksfrist


class RuteFelter(forms.Form):
    """The proposed route (saksgang) of up to four committees in order, and the wished first meeting.

    With `bare_innen_saksfrist`, only meetings whose saksfrist has not passed are offered (a case sent
    after it will not reach that meeting), besides the case's own wished meeting, so editing a case never
    fails on a choice made earlier."""

    bare_innen_saksfrist = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        utvalg = Utvalg.objects.filter(aktiv=True)
        for i in range(1, RUTE_LENGDE + 1):
            self.fields[f"utvalg_{i}"] = forms.ModelChoiceField(
                utvalg, required=i == 1, label=f"{i}. utvalg i saksgangen",
                empty_label="(velg utvalg)" if i == 1 else "(ingen)",
            )
        moter = Mote.objects.kommende().select_related("utvalg")
        if self.bare_innen_saksfrist:
            valgt = self.initial.get("onsket_mote")
            moter = moter.filter(Q(saksfrist__gte=timezone.localdate()) | Q(pk=valgt or None))
        self.fields["onsket_mote"] = MoteValg(
            moter, required=False, label="Ønsket første møte", empty_label="(første ledige møte)",
            help_text="Må være et møte i det første utvalget i saksgangen."
                      + (" Møter der saksfristen er passert, er ikke med." if self.bare_innen_saksfrist else ""),
        )

    def sett_rute(self, rute: list[Utvalg]) -> None:
        for i, utvalg in enumerate(rute[:RUTE_LENGDE], start=1):
            self.initial[f"utvalg_{i}"] = utvalg.pk

    def clean(self):
        data = super().clean()
        rute = [data[f"utvalg_{i}"] for i in range(1, RUTE_LENGDE + 1) if data.get(f"utvalg_{i}")]
        if len({u.pk for u in rute}) != len(rute):
            raise ValidationError("Et utvalg kan bare stå én gang i saksgangen.")
        mote = data.get("onsket_mote")
        if mote and rute and mote.utvalg_id != rute[0].pk:
            self.add_error("onsket_mote", f"Velg et møte i {rute[0]}, det første utvalget i saksgangen.")
        data["rute"] = rute
        return data


FILFELT = ("hoveddokument", "mellomlagret", "vedlegg")


class LesesFraDokumentet(forms.CharField):
    """Required, and marked so; but it may be left empty for the form's clean() to read from the saksframlegg
    (or to say it is missing)."""

    def validate(self, value) -> None:
        if value not in self.empty_values:
            super().validate(value)


class SakForm(RuteFelter):
    """Create (with documents) or edit (without) a case. Creating, "Les saksframlegget" (`etter_lesing`) keeps
    the files chosen and fills in what the saksframlegg says for the officer to check before saving."""

    bare_innen_saksfrist = True
    tittel = forms.CharField(label="Tittel", max_length=300, required=False,
                             help_text="Leses fra saksframlegget (.docx) hvis du lar feltet stå tomt.")
    kommune = forms.ModelChoiceField(Kommune.objects.filter(er_ny=False), label="Kommune (gammel)")
    arkivsystem = forms.ModelChoiceField(Arkivsystem.objects.all(), label="Arkivsystem")
    arkivsaksnr = LesesFraDokumentet(
        label="Arkivsaksnummer", max_length=20,
        help_text="Saksnummeret i det gamle arkivsystemet, f.eks. 19/01234. Leses fra saksframlegget (.docx) hvis "
                  "du lar feltet stå tomt og det står der.")
    kommunalomrade = forms.ModelChoiceField(Kommunalomrade.objects.all(), label="Kommunalområde")
    unntatt_offentlighet = forms.BooleanField(label="Unntatt offentlighet", required=False)
    hjemmel = forms.CharField(label="Hjemmel for unntak", max_length=200, required=False,
                              help_text="F.eks. «offl. § 13 jf. fvl. § 13».")
    offentlig_tittel = forms.CharField(
        label="Offentlig tittel", max_length=300, required=False,
        help_text="For en unntatt sak: tittelen med de beskyttede ordene byttet ut med *****. Den brukes i e-post "
                  "og i sakslisten som publiseres.")
    unntatt_til = forms.DateField(label="Unntatt til (valgfritt)", required=False,
                                  widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    innstilling = forms.CharField(label="Forslag til vedtak / innstilling", required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="Leses fra saksframlegget (.docx) hvis du lar feltet stå tomt.")
    # The saksframlegg first: the fields below it are read from it.
    field_order = ["hoveddokument", "mellomlagret", "tittel", "innstilling", "arkivsaksnr", "kommune",
                   "arkivsystem", "kommunalomrade"]

    def __init__(self, *args, med_filer: bool = True, bruker: Bruker | None = None,
                 mellomlagret: list[int] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.innhold: filer.Saksframlegginnhold | None = None
        self.lesing: Lesing | None = None  # what was read from the saksframlegg, shown for checking
        self.gyldige_vedlegg: list[Opplasting] = []
        self.nytt_hoveddokument: Opplasting | None = None
        if med_filer:
            self.fields["hoveddokument"] = SaksframleggFelt(
                label="Saksframlegg", allow_empty_file=True,
                help_text=f"Word (.docx) eller PDF, høyst {settings.MAKS_FILSTORRELSE_MB} MB. Fra et Word-dokument "
                          "leses tittel, forslag til vedtak, arkivsaksnummer, kommune og arkivsystem.")
            self.fields["vedlegg"] = FlereFilerFelt(
                label="Vedlegg", required=False,
                help_text="Du kan velge flere filer: PDF, Office, OpenDocument, bilder eller tekst.")
            # Files kept from a refused attempt come back as ticked boxes; only the user's own, only those named.
            ider = self.data.getlist("mellomlagret") if self.is_bound else [str(i) for i in mellomlagret or []]
            if ider and bruker is not None:
                self.fields["mellomlagret"] = forms.ModelMultipleChoiceField(
                    Mellomlagring.objects.filter(bruker=bruker, pk__in=[i for i in ider if str(i).isdigit()]),
                    required=False, widget=forms.CheckboxSelectMultiple, label="Filer du allerede har valgt",
                    help_text="Disse filene tas med. Fjern haken for å la en fil ligge igjen.")
                self.initial.setdefault("mellomlagret", ider)
        self.order_fields(self.field_order)
        if bruker is not None and not self.is_bound and not self.initial.get("kommune"):
            self.initial.update(kommune=bruker.kommune_id, arkivsystem=bruker.arkivsystem_id,
                                kommunalomrade=bruker.kommunalomrade_id)

    def clean_arkivsaksnr(self) -> str:
        verdi = self.cleaned_data["arkivsaksnr"].strip().replace(" ", "")
        if verdi and not ARKIVSAKSNR_RE.match(verdi):
            raise ValidationError("Skriv arkivsaksnummeret som år/nummer, f.eks. 19/01234.")
        return verdi

    def clean_hoveddokument(self) -> Opplasting | None:
        fil = self.cleaned_data["hoveddokument"]
        self.nytt_hoveddokument = sjekk_fil(fil, Dokument.Rolle.HOVEDDOKUMENT) if fil else None
        return self.nytt_hoveddokument

    def clean_vedlegg(self) -> list[Opplasting]:
        try:
            self.gyldige_vedlegg = sjekk_vedlegg(self.cleaned_data["vedlegg"])
        except VedleggFeil as feil:
            self.gyldige_vedlegg = feil.gyldige
            raise
        return self.gyldige_vedlegg

    def _ta_med_mellomlagrede(self, data: dict) -> None:
        """A newly chosen file wins over a kept one of the same kind; kept vedlegg join the new ones."""
        beholdt = list(data.get("mellomlagret") or [])
        if "hoveddokument" in data and data["hoveddokument"] is None:
            forrige = next((r for r in beholdt if r.rolle == Dokument.Rolle.HOVEDDOKUMENT), None)
            if forrige is not None:
                data["hoveddokument"] = services.som_opplasting(forrige)
            elif "hoveddokument" not in self.errors:
                self.add_error("hoveddokument", "Velg saksframlegget (.docx eller .pdf).")
        if "vedlegg" in data:
            data["vedlegg"] = [*data["vedlegg"], *(services.som_opplasting(r) for r in beholdt
                                                   if r.rolle == Dokument.Rolle.VEDLEGG)]
        hoveddokument = data.get("hoveddokument")
        if hoveddokument is not None:
            if hoveddokument.info.filendelse == ".docx":
                try:
                    self.innhold = filer.les_saksframlegg(hoveddokument.fil)
                except ValidationError as feil:
                    self.add_error("hoveddokument", feil)
                    return
            self.lesing = lesing(hoveddokument.info.navn, self.innhold,
                                 kommuner=list(self.fields["kommune"].queryset),
                                 arkivsystemer=list(self.fields["arkivsystem"].queryset))

    def gyldige_opplastinger(self) -> list[tuple[str, Opplasting]]:
        """The files chosen in this attempt that passed every check: kept if the form is refused. A main
        document that passed the upload policy but could not be read for its title is refused too, and so
        is not kept."""
        nye = [(Dokument.Rolle.HOVEDDOKUMENT, self.nytt_hoveddokument)] \
            if self.nytt_hoveddokument and "hoveddokument" not in self.errors else []
        return nye + [(Dokument.Rolle.VEDLEGG, v) for v in self.gyldige_vedlegg]

    def clean(self):
        data = super().clean()
        if "hoveddokument" in self.fields:
            self._ta_med_mellomlagrede(data)
        innhold = self.innhold or filer.Saksframlegginnhold("", "")
        data["tittel"] = (data.get("tittel") or "").strip() or innhold.tittel[:300]
        if not data["tittel"] and "hoveddokument" not in self.errors:
            self.add_error("tittel", "Skriv en tittel. Den kunne ikke leses fra saksframlegget.")
        data["innstilling"] = (data.get("innstilling") or "").strip() or innhold.innstilling
        if "arkivsaksnr" in data and not data["arkivsaksnr"]:
            data["arkivsaksnr"] = innhold.arkivsaksnr
            if not data["arkivsaksnr"]:
                self.add_error("arkivsaksnr", "Skriv arkivsaksnummeret, f.eks. 19/01234."
                               + (" Det står ikke i saksframlegget." if self.innhold else ""))
        if data.get("unntatt_offentlighet") and not (data.get("hjemmel") or "").strip():
            self.add_error("hjemmel", "Oppgi hjemmel når saken er unntatt offentlighet.")
        offentlig = (data.get("offentlig_tittel") or "").strip()
        if data.get("unntatt_offentlighet") and not offentlig:
            self.add_error("offentlig_tittel", "Skriv en offentlig tittel, der de beskyttede ordene er byttet ut, "
                                               "når saken er unntatt offentlighet.")
        elif data.get("unntatt_offentlighet") and offentlig == data.get("tittel"):
            self.add_error("offentlig_tittel", "Den offentlige tittelen er lik den fulle tittelen. Bytt ut ordene "
                                               "som skal skjermes.")
        data["offentlig_tittel"] = offentlig
        return data

    def sak_data(self) -> SakData:
        d = self.cleaned_data
        return SakData(
            tittel=d["tittel"], kommune=d["kommune"], arkivsystem=d["arkivsystem"], arkivsaksnr=d["arkivsaksnr"],
            kommunalomrade=d["kommunalomrade"], unntatt_offentlighet=d["unntatt_offentlighet"],
            hjemmel=d["hjemmel"].strip(), innstilling=d["innstilling"], rute=d["rute"], onsket_mote=d["onsket_mote"],
            offentlig_tittel=d.get("offentlig_tittel", ""), unntatt_til=d.get("unntatt_til"),
        )

    def saksfelter(self) -> list:
        """The fields about the case itself, shown below the saksframlegg they are read from."""
        return [self[navn] for navn in self.fields if navn not in FILFELT]

    def etter_lesing(self, *, mellomlagret: list[int], bruker: Bruker) -> "SakForm":
        """The form shown again after "Les saksframlegget" (this form bound to that request and checked):
        unbound, so the fields not yet filled in are not marked as errors; what was typed stays, the files
        are kept (ticked), and what the saksframlegg says fills in its fields: all of them for a file chosen
        just now, only the empty ones when the file was read before (a second press changes nothing typed)."""
        typed = {navn: self.data.get(navn) for navn in self.fields if navn not in FILFELT and self.data.get(navn)}
        lest = self.lesing.felter if self.lesing else {}
        if self.nytt_hoveddokument is None:
            lest = {navn: verdi for navn, verdi in lest.items() if navn not in typed}
        ny = SakForm(bruker=bruker, mellomlagret=mellomlagret, initial={**typed, **lest})
        ny.lesing = self.lesing
        ny.cleaned_data = {}  # an unbound form takes errors only this way
        for felt in ("hoveddokument", "vedlegg"):
            for feil in self.errors.get(felt, []):
                ny.add_error(felt, feil)
        return ny

    @classmethod
    def for_sak(cls, sak: Sak, *args, **kwargs) -> "SakForm":
        initial = {f: getattr(sak, f) for f in ["tittel", "arkivsaksnr", "unntatt_offentlighet", "hjemmel",
                                                 "offentlig_tittel", "unntatt_til", "innstilling"]}
        initial.update(kommune=sak.kommune_id, arkivsystem=sak.arkivsystem_id,
                       kommunalomrade=sak.kommunalomrade_id, onsket_mote=sak.onsket_mote_id)
        form = cls(*args, med_filer=False, initial=initial, **kwargs)
        form.sett_rute([b.utvalg for b in sak.behandlinger.select_related("utvalg")])
        return form


class DokumentForm(forms.Form):
    # Empty files are refused by saker.filer, whose message names the file.
    hoveddokument = forms.FileField(label="Rettet saksframlegg", required=False, allow_empty_file=True,
                                    help_text="Blir ny versjon; den forrige beholdes i historikken.")
    vedlegg = FlereFilerFelt(label="Nye vedlegg", required=False)
    fjern_vedlegg = forms.ModelMultipleChoiceField(Dokument.objects.none(), required=False,
                                                   label="Fjern vedlegg", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, sak: Sak, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fjern_vedlegg"].queryset = sak.dokumenter.filter(gjeldende=True, rolle=Dokument.Rolle.VEDLEGG)

    def clean_hoveddokument(self) -> Opplasting | None:
        fil = self.cleaned_data["hoveddokument"]
        self.nytt_hoveddokument = sjekk_fil(fil, Dokument.Rolle.HOVEDDOKUMENT) if fil else None
        return self.nytt_hoveddokument

    def clean_vedlegg(self) -> list[Opplasting]:
        return sjekk_vedlegg(self.cleaned_data["vedlegg"])

    def clean(self):
        data = super().clean()
        if not self.errors and not (data.get("hoveddokument") or data.get("vedlegg") or data.get("fjern_vedlegg")):
            raise ValidationError("Velg en fil å laste opp eller et vedlegg å fjerne.")
        return data


class SendTilGodkjenningForm(forms.Form):
    godkjenner = forms.ModelChoiceField(Bruker.objects.none(), label="Send til", empty_label=None)

    def __init__(self, *args, sak: Sak, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["godkjenner"].queryset = godkjennere_for(sak.kommunalomrade_id)
        if sak.godkjenner_id:
            self.initial.setdefault("godkjenner", sak.godkjenner_id)


class SakFilterForm(forms.Form):
    q = forms.CharField(label="Søk", required=False,
                        widget=forms.TextInput(attrs={"placeholder": "Tittel eller arkivsaksnummer"}))
    status = forms.ChoiceField(label="Status", required=False,
                               choices=[("", "Alle aktive")] + list(Sak.Status.choices))
    # Mine saker shows the active cases; the closed ones (trukket, avsluttet) are one link away.
    vis = forms.ChoiceField(required=False, choices=[("", "Aktive"), ("avsluttede", "Avsluttede")],
                            widget=forms.HiddenInput)


class UtenVerdiInput(forms.TextInput):
    """A text input that never sends its value back to the browser: an identity number is shown in full
    nowhere in HTML, not even in a form returned with errors."""

    def format_value(self, value):
        return None


class PartForm(forms.Form):
    """A party to the decision. For digital delivery through SvarUt: an organisation number or an identity
    number, both checked by their check digits. On editing, the stored identity number is never put in the
    form: an empty field keeps it."""

    navn = forms.CharField(label="Navn", max_length=200)
    adresse = forms.CharField(label="Adresse", max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="Gate eller postboks. Flere linjer skrives på hver sin linje.")
    postnummer = forms.CharField(label="Postnummer", max_length=4,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    poststed = forms.CharField(label="Poststed", max_length=100)
    orgnr = forms.CharField(label="Organisasjonsnummer", max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                            help_text="For digital levering til en virksomhet (9 siffer).")
    fnr = forms.CharField(label="Fødselsnummer", max_length=20, required=False,
                          widget=UtenVerdiInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
                          help_text="For digital levering til en person (11 siffer). Av personvernhensyn vises "
                                    "det aldri i sin helhet; skriv det på nytt hvis skjemaet kommer tilbake med feil.")
    fjern_fnr = forms.BooleanField(label="Fjern det registrerte fødselsnummeret", required=False)

    def __init__(self, *args, part: Part | None = None, **kwargs):
        if part is not None:
            kwargs.setdefault("initial", {f: getattr(part, f) for f in ["navn", "adresse", "postnummer",
                                                                        "poststed", "orgnr"]})
        super().__init__(*args, **kwargs)
        self.part = part
        if part is not None and part.fnr:
            self.fields["fnr"].help_text = (f"Registrert: {masker_fnr(part.fnr)}. La feltet stå tomt for å "
                                            "beholde det, eller skriv et nytt.")
        else:
            del self.fields["fjern_fnr"]

    def clean_postnummer(self) -> str:
        verdi = self.cleaned_data["postnummer"].strip()
        if not POSTNUMMER_RE.match(verdi):
            raise ValidationError("Postnummeret må ha fire siffer.")
        return verdi

    def clean_orgnr(self) -> str:
        verdi = self.cleaned_data["orgnr"]
        return valider_orgnr(verdi) if verdi.strip() else ""

    def clean_fnr(self) -> str:
        verdi = self.cleaned_data["fnr"]
        return valider_fnr(verdi) if verdi.strip() else ""

    def clean(self):
        data = super().clean()
        fnr = data.get("fnr", "")
        if not fnr and self.part is not None and not data.get("fjern_fnr"):
            fnr = self.part.fnr
        data["fnr"] = fnr
        if data.get("orgnr") and fnr:
            melding = "Oppgi enten organisasjonsnummer eller fødselsnummer, ikke begge."
            if fnr == getattr(self.part, "fnr", None):
                melding += " Kryss av for å fjerne det registrerte fødselsnummeret."
            raise ValidationError(melding)
        return data

    def part_data(self) -> PartData:
        d = self.cleaned_data
        return PartData(navn=d["navn"], adresse=d["adresse"], postnummer=d["postnummer"], poststed=d["poststed"],
                        orgnr=d["orgnr"], fnr=d["fnr"])


class VedtaksbrevLagForm(forms.Form):
    """Generate the letters: for every party not yet sent one, or for one party."""

    part = forms.ModelChoiceField(Part.objects.none(), required=False, widget=forms.HiddenInput)

    def __init__(self, *args, sak: Sak, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].queryset = sak.parter.all()


class VedtaksbrevForm(forms.Form):
    brev = forms.FileField(label="Rettet vedtaksbrev", allow_empty_file=True,
                           help_text=".docx eller .pdf. Blir brevet som sendes; det forrige beholdes i historikken.")

    def clean_brev(self) -> Opplasting:
        return sjekk_fil(self.cleaned_data["brev"], Dokument.Rolle.VEDTAKSBREV)


class ManuellForsendelseForm(forms.Form):
    forsendelse_id = forms.CharField(label="Forsendelses-id i SvarUt", max_length=100,
                                     widget=forms.TextInput(attrs={"autocomplete": "off"}),
                                     error_messages={"required": "Skriv inn forsendelses-id-en fra SvarUt."})
    dato = forms.DateField(label="Sendt dato", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           error_messages={"required": "Skriv inn datoen brevet ble sendt."})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("dato", timezone.localdate())

    def clean_forsendelse_id(self) -> str:
        return self.cleaned_data["forsendelse_id"].strip()

    def clean_dato(self):
        dato = self.cleaned_data["dato"]
        if dato > timezone.localdate():
            raise ValidationError("Datoen kan ikke være fram i tid.")
        return dato
