"""Django names the rights it makes for each model in English ("Can add møte"); the administrator picks them on
a role's (group's) page. After each migrate they get Norwegian names ("Kan legge til møte") from the model's
Norwegian name. Only the names change: the code names, which the checks use, stay as they are."""

from django.apps import apps as global_apps
from django.conf import settings
from django.utils import translation

HANDLINGER = {"add": "legge til", "change": "endre", "delete": "slette", "view": "se"}


def norsk_navn(codename: str, modellnavn: str, verbose_name: str) -> str | None:
    """"Kan endre møte" for "change_mote"; None for a right the model defines itself (its name is its own)."""
    handling, _, modell = codename.partition("_")
    if handling not in HANDLINGER or modell != modellnavn:
        return None
    return f"Kan {HANDLINGER[handling]} {verbose_name}"[:255]


def gi_rettigheter_norske_navn(*, using: str = "default", **kwargs) -> None:
    """post_migrate receiver: rename the rights Django named in English."""
    from django.contrib.auth.models import Permission

    endret = []
    with translation.override(settings.LANGUAGE_CODE):
        for rettighet in Permission.objects.using(using).filter(name__startswith="Can ").select_related(
                "content_type"):
            try:
                modell = global_apps.get_model(rettighet.content_type.app_label, rettighet.content_type.model)
            except LookupError:  # a model that is gone; its rights go with the next remove_stale_contenttypes
                continue
            navn = norsk_navn(rettighet.codename, modell._meta.model_name, str(modell._meta.verbose_name))
            if navn:
                rettighet.name = navn
                endret.append(rettighet)
    Permission.objects.using(using).bulk_update(endret, ["name"])
