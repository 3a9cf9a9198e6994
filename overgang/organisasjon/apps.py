from django.apps import AppConfig


class OrganisasjonConfig(AppConfig):
    name = "overgang.organisasjon"
    label = "organisasjon"
    verbose_name = "Organisasjon og møtekalender"

    def ready(self) -> None:
        from overgang import sikkerhet  # noqa: F401  (starts a session's clocks at sign-in)
