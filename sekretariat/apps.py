from django.apps import AppConfig


class SekretariatConfig(AppConfig):
    name = "sekretariat"
    verbose_name = "Politisk sekretariat"

    def ready(self) -> None:
        from saker.utvidelser import registrer_neste_steg, registrer_saksgang, registrer_saksliste_mote

        from . import neste_steg, paminnelser, selectors  # noqa: F401  (paminnelser registers the reminder rules)

        # The case page shows the case's handlings at meetings as part of its road (saker.utvidelser).
        registrer_saksgang(mal="sekretariat/_sak_behandlinger.html", prefetch=selectors.saksgang_prefetch)
        # The lists' "Møte" and "Hos" and the "neste steg" card read the agenda and the secretariat's next step.
        registrer_saksliste_mote(neste_steg.saksliste_mote)
        registrer_neste_steg(neste_steg.neste_steg)
