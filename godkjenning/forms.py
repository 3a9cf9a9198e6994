from django import forms

from saker.forms import RuteFelter
from saker.models import Sak


class GodkjennForm(RuteFelter):
    kommentar = forms.CharField(label="Kommentar (valgfri)", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def for_sak(cls, sak: Sak, *args, **kwargs) -> "GodkjennForm":
        form = cls(*args, initial={"onsket_mote": sak.onsket_mote_id}, **kwargs)
        form.sett_rute([b.utvalg for b in sak.behandlinger.all()])
        return form


class ReturnerForm(forms.Form):
    kommentar = forms.CharField(
        label="Hva må rettes?", widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Skriv en kommentar som forteller saksbehandleren hva som må rettes."},
    )
