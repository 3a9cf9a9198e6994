from django import forms

from .models import Bruker
from .selectors import mulige_stedfortredere


class FravaerForm(forms.Form):
    fra = forms.DateField(label="Borte fra og med", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    til = forms.DateField(label="Til og med", required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                          help_text="La feltet stå tomt hvis du ikke vet når du er tilbake. Da avslutter du "
                                    "fraværet selv.")
    stedfortreder = forms.ModelChoiceField(
        label="Stedfortreder", queryset=Bruker.objects.filter(is_active=True),
        help_text="En med samme rolle som deg, fra samme kommunalområde.",
    )

    def __init__(self, *args, person: Bruker, **kwargs):
        super().__init__(*args, **kwargs)
        # The list offers those who fit; any active user is accepted here, so the service can say in words why
        # a stand-in does not fit instead of "velg et gyldig valg".
        self.fields["stedfortreder"].widget.choices = [
            ("", "Velg stedfortreder"), *((b.pk, str(b)) for b in mulige_stedfortredere(person))]
