from django.apps import AppConfig


class SakerConfig(AppConfig):
    name = "saker"
    verbose_name = "Saker"

    def ready(self) -> None:
        from . import paminnelser  # noqa: F401  (registers the reminder rules)
