from django.apps import AppConfig


class InnloggingConfig(AppConfig):
    name = "overgang.innlogging"
    label = "innlogging"
    verbose_name = "Innlogging med kommunens konto"
