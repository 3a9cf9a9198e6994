from django import forms

from .models import Varslingsvalg


class VarslingsvalgForm(forms.Form):
    sammendrag = forms.TypedChoiceField(
        label="Hvordan vil du få e-post om saker?", widget=forms.RadioSelect, coerce=lambda v: v == "ja",
        choices=[("nei", "Straks, én e-post per hendelse"), ("ja", "Ett daglig sammendrag")],
        help_text="Påminnelser kommer alltid straks.",
    )
    klokkeslett = forms.TypedChoiceField(
        label="Send sammendraget klokken", coerce=int, choices=[(t, f"{t:02d}.00") for t in range(24)],
    )

    @classmethod
    def fra(cls, valg: Varslingsvalg | None, data=None) -> "VarslingsvalgForm":
        initial = {"sammendrag": "ja" if valg and valg.sammendrag else "nei",
                   "klokkeslett": valg.klokkeslett if valg else 7}
        return cls(data=data, initial=initial)
