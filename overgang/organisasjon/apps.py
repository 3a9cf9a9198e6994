from django.apps import AppConfig


class OrganisasjonConfig(AppConfig):
    name = "overgang.organisasjon"
    label = "organisasjon"
    verbose_name = "Organisasjon og møtekalender"
