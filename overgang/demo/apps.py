from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The project-wide `demodata` command: it composes each app's own demo module, as urls.py composes views."""

    name = "overgang.demo"
    label = "demo"
    verbose_name = "Demodata"
