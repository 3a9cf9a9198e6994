from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from overgang.organisasjon.demo import DEMO_PASSORD, lag_organisasjon
from saker.demo import lag_saker
from sekretariat.demo import lag_moteforberedelser


class Command(BaseCommand):
    help = "Lager demodata (kommuner, utvalg, møter, brukere, saker). Kan kjøres flere ganger uten å lage noe dobbelt."

    def handle(self, *args, **options):
        # No override: the demo's users have a published password, so it never runs on a real install.
        if not settings.DEBUG:
            raise CommandError("Demodata lager brukere med kjent passord og kjøres bare med DEBUG på.")
        brukere = lag_organisasjon(passord=DEMO_PASSORD)
        saker = lag_saker()
        lag_moteforberedelser()
        self.stdout.write(self.style.SUCCESS("Demodata er klare. Logg inn på http://127.0.0.1:8000/ med:"))
        for bruker in brukere:
            roller = ", ".join(sorted(bruker.groups.values_list("name", flat=True))) or "administrator"
            self.stdout.write(f"  {bruker.username:<8} passord: {DEMO_PASSORD}   ({roller})")
        self.stdout.write(f"{saker} nye demosaker.")
