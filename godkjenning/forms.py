from collections.abc import Callable, Iterable

from django import forms
from django.db.models import Model

from overgang.organisasjon.models import Mote
from saker.forms import RuteFelter
from saker.models import Sak


class GodkjennForm(RuteFelter):
    bare_innen_saksfrist = True  # as for the officer: the case's own wish stays offered, labelled if late
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

    def __init__(self, *args, **kwargs):
        # Shown beside the approve form, which has a comment field too: distinct ids keep each label on its field.
        kwargs.setdefault("auto_id", "retur_%s")
        super().__init__(*args, **kwargs)


class ObjektValg(forms.ChoiceField):
    """A choice among objects the view has already loaded. A page with a form per meeting and two per list
    entry renders them all without a query; the cleaned value is the object itself."""

    def __init__(self, objekter: Iterable[Model], etikett: Callable[[Model], str], *, tom: str, **kwargs):
        self.objekter = {str(o.pk): o for o in objekter}
        super().__init__(choices=[("", tom), *((pk, etikett(o)) for pk, o in self.objekter.items())], **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return self.objekter.get(value) if value else None


class ListeLeggTilForm(forms.Form):
    def __init__(self, *args, saker: Iterable[Sak], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sak"] = ObjektValg(
            saker, lambda s: f"{s.arkivsaksnr} {s.tittel}", tom="(velg sak)", label="Godkjent sak",
            error_messages={"required": "Velg saken som skal settes på listen.",
                            "invalid_choice": "Velg en godkjent sak fra ditt kommunalområde."},
        )


class _GrunnForm(forms.Form):
    """A required reason: the secretariat must know why a case left a meeting's list."""

    handling = "endres"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["grunn"] = forms.CharField(
            label="Grunn", widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
            help_text="Sekretariatet får grunnen på e-post.",
            error_messages={"required": f"Skriv hvorfor saken {self.handling}."},
        )


class ListeFlyttForm(_GrunnForm):
    handling = "flyttes"

    def __init__(self, *args, moter: Iterable[Mote], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["til_mote"] = ObjektValg(
            moter, lambda m: m.med_saksfrist, tom="(velg møte)", label="Flytt til møte",
            widget=forms.Select(attrs={"class": "form-select"}),
            error_messages={"required": "Velg møtet saken skal flyttes til.",
                            "invalid_choice": "Velg et senere møte i samme utvalg."},
        )
        self.order_fields(["til_mote", "grunn"])


class ListeFjernForm(_GrunnForm):
    handling = "fjernes fra listen"
