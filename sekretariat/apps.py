from django.apps import AppConfig


class SekretariatConfig(AppConfig):
    name = "sekretariat"
    verbose_name = "Politisk sekretariat"
