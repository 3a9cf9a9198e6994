from django.apps import AppConfig


class OrganisasjonConfig(AppConfig):
    name = "overgang.organisasjon"
    label = "organisasjon"
    verbose_name = "Organisasjon og møtekalender"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from overgang import sikkerhet  # noqa: F401  (starts a session's clocks at sign-in)

        from .rettigheter import gi_rettigheter_norske_navn

        # Connected after django.contrib.auth's own receiver (auth comes first in INSTALLED_APPS), so the rights
        # exist when they are renamed.
        post_migrate.connect(gi_rettigheter_norske_navn, dispatch_uid="organisasjon_norske_rettigheter")
