from django.apps import AppConfig


class SakerConfig(AppConfig):
    name = "saker"
    verbose_name = "Saker"
