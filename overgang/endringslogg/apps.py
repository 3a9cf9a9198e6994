from django.apps import AppConfig


class EndringsloggConfig(AppConfig):
    name = "overgang.endringslogg"
    label = "endringslogg"
    verbose_name = "Endringslogg"
