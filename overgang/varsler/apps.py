from django.apps import AppConfig


class VarslerConfig(AppConfig):
    name = "overgang.varsler"
    label = "varsler"
    verbose_name = "Varsler (e-post)"
