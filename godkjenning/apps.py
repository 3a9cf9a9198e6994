from django.apps import AppConfig


class GodkjenningConfig(AppConfig):
    name = "godkjenning"
    verbose_name = "Godkjenning"

    def ready(self) -> None:
        from saker.utvidelser import registrer_neste_steg

        from . import neste_steg, paminnelser  # noqa: F401  (paminnelser registers the reminder rules)

        # The case page's "neste steg" card asks the approver's next step here (saker.utvidelser).
        registrer_neste_steg(neste_steg.neste_steg)
