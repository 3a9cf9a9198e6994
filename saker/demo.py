"""Demo cases in each state of the approval loop, made through the services like real ones."""

from django.core.files.uploadedfile import SimpleUploadedFile

from overgang.organisasjon.models import Arkivsystem, Bruker, Kommune, Mote, Utvalg

from . import filer, services
from .models import Sak
from .saksframlegg_demo import lag_saksframlegg

DEMO_SAKER = [
    # (arkivsaksnr, title, route, state to reach)
    ("19/01234", "Skolebehovsplan for Lillestrøm 2020–2030", ["HOU", "FSK", "KST"], Sak.Status.UTKAST),
    ("19/01301", "Ny barnehage på Sørumsand – valg av tomt", ["HOU", "KST"], Sak.Status.TIL_GODKJENNING),
    ("19/01377", "Tilskudd til leirskole for 7. trinn", ["HOU"], Sak.Status.RETURNERT),
    ("19/01402", "Skolerute for skoleåret 2020/2021", ["HOU"], Sak.Status.GODKJENT),
    ("19/01455", "Reguleringsplan for Kjeller skole og flerbrukshall", ["HOU", "KST"], Sak.Status.SENDT_SEKRETARIAT),
]


def _opplasting(navn: str, innhold: bytes, rolle: str) -> services.Opplasting:
    fil = SimpleUploadedFile(navn, innhold)
    return services.Opplasting(fil=fil, info=filer.valider_fil(fil, rolle=rolle, maks_bytes=50 * 1024 * 1024))


def lag_saker() -> int:
    """Make each demo case once (matched by its arkivsaksnr) and move it to its state."""
    sara = Bruker.objects.get(username="sara")
    kari = Bruker.objects.get(username="kari")
    laget = 0
    for arkivsaksnr, tittel, koder, mal in DEMO_SAKER:
        if Sak.objects.filter(arkivsaksnr=arkivsaksnr, saksbehandler=sara).exists():
            continue
        rute = [Utvalg.objects.get(kode=k) for k in koder]
        data = services.SakData(
            tittel=tittel, kommune=Kommune.objects.get(kode="skedsmo"), arkivsystem=Arkivsystem.objects.get(
                navn="ePhorte"), arkivsaksnr=arkivsaksnr, kommunalomrade=sara.kommunalomrade,
            unntatt_offentlighet=False, hjemmel="", innstilling="", rute=rute,
            onsket_mote=Mote.objects.kommende().filter(utvalg=rute[0]).first(),
        )
        dokument = _opplasting("saksframlegg.docx", lag_saksframlegg(tittel), "hoveddokument")
        data = services.SakData(**{**data.__dict__, "innstilling": filer.les_saksframlegg(dokument.fil).innstilling})
        vedlegg = [_opplasting("kart-over-omradet.txt", "Kart: Sørumsand sentrum, gnr. 12 bnr. 34.\n".encode(),
                               "vedlegg")]
        sak = services.sak_opprett(av=sara, data=data, hoveddokument=dokument, vedlegg=vedlegg)
        if mal != Sak.Status.UTKAST:
            services.sak_send_til_godkjenning(sak=sak, av=sara, godkjenner=kari)
        if mal == Sak.Status.RETURNERT:
            services.sak_returner(sak=sak, av=kari, kommentar="Legg ved budsjettet for leirskolen og rett "
                                                                "innstillingen: beløpet skal være per elev.")
        if mal in {Sak.Status.GODKJENT, Sak.Status.SENDT_SEKRETARIAT}:
            services.sak_godkjenn(sak=sak, av=kari, rute=rute, onsket_mote=data.onsket_mote)
        if mal == Sak.Status.SENDT_SEKRETARIAT:
            services.sak_send_til_sekretariat(sak=sak, av=sara)
        laget += 1
    return laget
