from django.apps import AppConfig


class GodkjenningConfig(AppConfig):
    name = "godkjenning"
    verbose_name = "Godkjenning"
