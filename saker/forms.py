"""Forms turn the case officer's input into domain values; the services persist them."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from overgang.organisasjon.models import Arkivsystem, Bruker, Kommunalomrade, Kommune, Mote, Utvalg

from . import filer
from .models import ARKIVSAKSNR_RE, Dokument, Sak
from .selectors import godkjennere_for
from .services import Opplasting, SakData

RUTE_LENGDE = 4


class FlereFilerInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class FlereFilerFelt(forms.FileField):
    """Several files in one input (Django's documented recipe)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", FlereFilerInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        enkelt = super().clean
        if isinstance(data, list | tuple):
            return [enkelt(d, initial) for d in data if d]
        return [enkelt(data, initial)] if data else []


def maks_bytes() -> int:
    return settings.MAKS_FILSTORRELSE_MB * 1024 * 1024


def sjekk_fil(fil, rolle: str) -> Opplasting:
    return Opplasting(fil=fil, info=filer.valider_fil(fil, rolle=rolle, maks_bytes=maks_bytes()))


def sjekk_vedlegg(filer_: list) -> list[Opplasting]:
    opplastinger, feil = [], []
    for fil in filer_:
        try:
            opplastinger.append(sjekk_fil(fil, "vedlegg"))
        except ValidationError as e:
            feil.extend(e.messages)
    if feil:
        raise ValidationError(feil)
    return opplastinger


class MoteValg(forms.ModelChoiceField):
    def label_from_instance(self, mote: Mote) -> str:
        tid = timezone.localtime(mote.tidspunkt)
        return f"{mote.utvalg.kode} {tid:%d.%m.%Y} (saksfrist {mote.saksfrist:%d.%m.%Y})"


class RuteFelter(forms.Form):
    """The proposed route (saksgang) of up to four committees in order, and the wished first meeting."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        utvalg = Utvalg.objects.filter(aktiv=True)
        for i in range(1, RUTE_LENGDE + 1):
            self.fields[f"utvalg_{i}"] = forms.ModelChoiceField(
                utvalg, required=i == 1, label=f"{i}. utvalg i saksgangen",
                empty_label="(velg utvalg)" if i == 1 else "(ingen)",
            )
        self.fields["onsket_mote"] = MoteValg(
            Mote.objects.kommende().select_related("utvalg"), required=False, label="Ønsket første møte",
            empty_label="(første ledige møte)", help_text="Må være et møte i det første utvalget i saksgangen.",
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


class SakForm(RuteFelter):
    """Create (with documents) or edit (without) a case."""

    tittel = forms.CharField(label="Tittel", max_length=300, required=False,
                             help_text="Hentes fra saksframlegget (.docx) hvis du lar feltet stå tomt.")
    kommune = forms.ModelChoiceField(Kommune.objects.filter(er_ny=False), label="Kommune (gammel)")
    arkivsystem = forms.ModelChoiceField(Arkivsystem.objects.all(), label="Arkivsystem")
    arkivsaksnr = forms.CharField(label="Arkivsaksnummer", max_length=20,
                                  help_text="Saksnummeret i det gamle arkivsystemet, f.eks. 19/01234.")
    kommunalomrade = forms.ModelChoiceField(Kommunalomrade.objects.all(), label="Kommunalområde")
    unntatt_offentlighet = forms.BooleanField(label="Unntatt offentlighet", required=False)
    hjemmel = forms.CharField(label="Hjemmel for unntak", max_length=200, required=False,
                              help_text="F.eks. «offl. § 13 jf. fvl. § 13».")
    innstilling = forms.CharField(label="Forslag til vedtak / innstilling", required=False,
                                  widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="Hentes fra saksframlegget (.docx) hvis du lar feltet stå tomt.")
    field_order = ["tittel", "kommune", "arkivsystem", "arkivsaksnr", "kommunalomrade", "hoveddokument", "vedlegg"]

    def __init__(self, *args, med_filer: bool = True, bruker: Bruker | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.innhold = filer.Saksframlegginnhold("", "")
        if med_filer:
            self.fields["hoveddokument"] = forms.FileField(
                label="Saksframlegg", help_text=f".docx eller .pdf, høyst {settings.MAKS_FILSTORRELSE_MB} MB.")
            self.fields["vedlegg"] = FlereFilerFelt(
                label="Vedlegg", required=False,
                help_text="Du kan velge flere filer: PDF, Office, OpenDocument, bilder eller tekst.")
        self.order_fields(self.field_order)
        if bruker is not None and not self.is_bound and not self.initial.get("kommune"):
            self.initial.update(kommune=bruker.kommune_id, arkivsystem=bruker.arkivsystem_id,
                                kommunalomrade=bruker.kommunalomrade_id)

    def clean_arkivsaksnr(self) -> str:
        verdi = self.cleaned_data["arkivsaksnr"].strip().replace(" ", "")
        if not ARKIVSAKSNR_RE.match(verdi):
            raise ValidationError("Skriv arkivsaksnummeret som år/nummer, f.eks. 19/01234.")
        return verdi

    def clean_hoveddokument(self) -> Opplasting:
        opplasting = sjekk_fil(self.cleaned_data["hoveddokument"], "hoveddokument")
        if opplasting.info.filendelse == ".docx":
            self.innhold = filer.les_saksframlegg(opplasting.fil)
        return opplasting

    def clean_vedlegg(self) -> list[Opplasting]:
        return sjekk_vedlegg(self.cleaned_data["vedlegg"])

    def clean(self):
        data = super().clean()
        data["tittel"] = (data.get("tittel") or "").strip() or self.innhold.tittel[:300]
        if not data["tittel"] and "hoveddokument" not in self.errors:
            self.add_error("tittel", "Skriv en tittel. Den kunne ikke leses fra saksframlegget.")
        data["innstilling"] = (data.get("innstilling") or "").strip() or self.innhold.innstilling
        if data.get("unntatt_offentlighet") and not (data.get("hjemmel") or "").strip():
            self.add_error("hjemmel", "Oppgi hjemmel når saken er unntatt offentlighet.")
        return data

    def sak_data(self) -> SakData:
        d = self.cleaned_data
        return SakData(
            tittel=d["tittel"], kommune=d["kommune"], arkivsystem=d["arkivsystem"], arkivsaksnr=d["arkivsaksnr"],
            kommunalomrade=d["kommunalomrade"], unntatt_offentlighet=d["unntatt_offentlighet"],
            hjemmel=d["hjemmel"].strip(), innstilling=d["innstilling"], rute=d["rute"], onsket_mote=d["onsket_mote"],
        )

    @classmethod
    def for_sak(cls, sak: Sak, *args, **kwargs) -> "SakForm":
        initial = {f: getattr(sak, f) for f in ["tittel", "arkivsaksnr", "unntatt_offentlighet", "hjemmel",
                                                 "innstilling"]}
        initial.update(kommune=sak.kommune_id, arkivsystem=sak.arkivsystem_id,
                       kommunalomrade=sak.kommunalomrade_id, onsket_mote=sak.onsket_mote_id)
        form = cls(*args, med_filer=False, initial=initial, **kwargs)
        form.sett_rute([b.utvalg for b in sak.behandlinger.select_related("utvalg")])
        return form


class DokumentForm(forms.Form):
    hoveddokument = forms.FileField(label="Rettet saksframlegg", required=False,
                                    help_text="Blir ny versjon; den forrige beholdes i historikken.")
    vedlegg = FlereFilerFelt(label="Nye vedlegg", required=False)
    fjern_vedlegg = forms.ModelMultipleChoiceField(Dokument.objects.none(), required=False,
                                                   label="Fjern vedlegg", widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, sak: Sak, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fjern_vedlegg"].queryset = sak.dokumenter.filter(gjeldende=True, rolle=Dokument.Rolle.VEDLEGG)

    def clean_hoveddokument(self) -> Opplasting | None:
        fil = self.cleaned_data["hoveddokument"]
        return sjekk_fil(fil, "hoveddokument") if fil else None

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
    status = forms.ChoiceField(label="Status", required=False, choices=[("", "Alle")] + list(Sak.Status.choices))
