from django.apps import AppConfig


class GodkjenningConfig(AppConfig):
    name = "godkjenning"
    verbose_name = "Godkjenning"

    def ready(self) -> None:
        from . import paminnelser  # noqa: F401  (registers the reminder rules)
