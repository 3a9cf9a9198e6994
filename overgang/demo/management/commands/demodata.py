from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from overgang.demo.etter_motet import lag_saker_etter_motet
from overgang.demo.nullstill import nullstill
from overgang.organisasjon.demo import DEMO_PASSORD, lag_organisasjon
from saker.demo import lag_saker
from sekretariat.demo import lag_moteforberedelser


class Command(BaseCommand):
    help = ("Lager demodata (kommuner, utvalg, møter, brukere, saker før og etter møtet). Kan kjøres flere ganger "
            "uten å lage noe dobbelt; --nullstill sletter alt i utviklingsdatabasen først.")

    def add_arguments(self, parser):
        parser.add_argument("--nullstill", action="store_true",
                            help="Slett alle data og filer i utviklingsdatabasen og begynn demoen på nytt.")

    def handle(self, *args, **options):
        # No override: the demo's users have a published password, so it never runs on a real install.
        if not settings.DEBUG:
            raise CommandError("Demodata lager brukere med kjent passord og kjøres bare med DEBUG på.")
        if options["nullstill"]:
            nullstill()
            self.stdout.write("Databasen er tømt, og demoen begynner på nytt.")
        brukere = lag_organisasjon(passord=DEMO_PASSORD)
        saker = lag_saker()
        lag_moteforberedelser()
        saker += lag_saker_etter_motet()
        self.stdout.write(self.style.SUCCESS("Demodata er klare. Logg inn på http://127.0.0.1:8000/ med:"))
        for bruker in brukere:
            roller = ", ".join(sorted(bruker.groups.values_list("name", flat=True))) or "administrator"
            self.stdout.write(f"  {bruker.username:<8} passord: {DEMO_PASSORD}   ({roller})")
        self.stdout.write(f"{saker} nye demosaker.")
