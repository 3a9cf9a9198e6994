from django.apps import AppConfig


class SekretariatConfig(AppConfig):
    name = "sekretariat"
    verbose_name = "Politisk sekretariat"

    def ready(self) -> None:
        from saker.utvidelser import registrer_saksgang

        from . import paminnelser, selectors  # noqa: F401  (paminnelser registers the reminder rules)

        # The case page shows the case's handlings at meetings as part of its road (saker.utvidelser).
        registrer_saksgang(mal="sekretariat/_sak_behandlinger.html", prefetch=selectors.saksgang_prefetch)
