"""Forms turn the secretariat's input into domain values; sekretariat.services persists them."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from overgang.organisasjon.models import Utvalg
from saker.forms import sjekk_fil
from saker.models import Dokument, Sak
from saker.services import Opplasting

from .models import Sakstype, Utfall
from .services import P360_DOKUMENTNR_RE, P360_SAKSNR_RE


class RegistreringForm(forms.Form):
    p360_saksnr = forms.CharField(
        label="P360 saksnummer", max_length=20, help_text="F.eks. 20/00123.",
        # No placeholder: an example in the field looks like a number already filled in; the help text gives it.
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    p360_dokumentnr = forms.CharField(
        label="P360 dokumentnummer", max_length=30, help_text="Saksnummeret, bindestrek og dokumentets nummer, "
        "f.eks. 20/00123-4.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_p360_saksnr(self) -> str:
        verdi = self.cleaned_data["p360_saksnr"].strip()
        if not P360_SAKSNR_RE.match(verdi):
            raise ValidationError("Skriv saksnummeret som år/nummer med to sifre for året, f.eks. 20/00123.")
        return verdi

    def clean_p360_dokumentnr(self) -> str:
        verdi = self.cleaned_data["p360_dokumentnr"].strip()
        if not P360_DOKUMENTNR_RE.match(verdi):
            raise ValidationError("Skriv dokumentnummeret som saksnummer, bindestrek og dokumentets nummer, "
                                  "f.eks. 20/00123-4.")
        return verdi

    def clean(self) -> dict:
        data = super().clean()
        saksnr, dokumentnr = data.get("p360_saksnr"), data.get("p360_dokumentnr")
        if saksnr and dokumentnr and not dokumentnr.startswith(f"{saksnr}-"):
            self.add_error("p360_dokumentnr", f"Dokumentnummeret må høre til saken: det skal begynne med {saksnr}-.")
        return data


class SakValg(forms.ModelChoiceField):
    def label_from_instance(self, sak: Sak) -> str:
        tekst = f"{sak.arkivsaksnr} {sak.tittel}"
        return tekst if sak.er_mottatt else f"{tekst} (godkjent, ikke mottatt)"


class SakslistepunktForm(forms.Form):
    """Add a case to an agenda. `kandidater` are the cases offered in the list; the service decides whether
    the chosen one may go on the agenda."""

    sak = SakValg(Sak.objects.none(), label="Sak", empty_label="(velg sak)")
    type = forms.ChoiceField(label="Type", choices=[(t.value, f"{t.label} ({t.value})") for t in Sakstype],
                             initial=Sakstype.PS)

    def __init__(self, *args, kandidater: QuerySet[Sak], tilbudte: list[Sak] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        felt = self.fields["sak"]
        felt.queryset = kandidater
        if tilbudte is not None:
            # The page offers the cases it has already loaded, so rendering runs no query of its own.
            felt.widget.choices = [("", felt.empty_label), *((s.pk, felt.label_from_instance(s)) for s in tilbudte)]


class MoteFilterForm(forms.Form):
    utvalg = forms.ModelChoiceField(Utvalg.objects.all(), label="Utvalg", required=False,
                                    empty_label="(alle utvalg)", widget=forms.Select(attrs={"class": "form-select"}))


class UtfallForm(forms.Form):
    """The outcome of one case at a held meeting. The form checks each field (the file by its content); the
    service decides which combinations are allowed (text and saksutskrift for vedtak and innstilling, the next
    committee's meeting for innstilling), so the rules hold whoever calls it.

    `motevalg` are the meetings offered as the next one, as grouped choices (id, label); the view builds them
    from meetings it has loaded once for the whole agenda.
    """

    # The widgets carry Bootstrap's classes: the page renders one form per open case without crispy
    # (templates/sekretariat/_utfall_felter.html), which costs too much a hundred times over.
    utfall = forms.ChoiceField(label="Utfall", choices=Utfall.choices,
                               widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    tekst = forms.CharField(
        label="Vedtak / innstilling", required=False,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        help_text="Slik det står i møteprotokollen. Må fylles ut for vedtak og innstilling; for utsatt og trukket "
                  "kan du skrive grunnen.",
    )
    neste_mote = forms.TypedChoiceField(
        label="Neste møte", required=False, coerce=int, empty_value=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        help_text="Innstilling: møtet i neste utvalg saken skal til. Utsatt: velg et senere møte for å sette saken "
                  "på sakslisten nå, eller la det stå tomt og plasser den senere.",
    )
    saksutskrift = forms.FileField(
        label="Saksutskrift fra P360", required=False, allow_empty_file=True,  # saker.filer names an empty file
        help_text="PDF eller Word (.docx). Må lastes opp for vedtak og innstilling.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx", "class": "form-control"}),
    )

    def __init__(self, *args, motevalg: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["neste_mote"].choices = [("", "(ikke valgt)"), *motevalg]

    def clean_saksutskrift(self) -> Opplasting | None:
        fil = self.cleaned_data.get("saksutskrift")
        if not fil:
            return None
        return sjekk_fil(fil, Dokument.Rolle.SAKSUTSKRIFT)
