"""The demo's second half: a meeting held today and earlier meetings, with cases in every state after the
meeting (outcome still to record, vedtak with no parties yet, letters made, some sent, all sent and closed,
postponed, withdrawn, sent on to the next committee), and a past meeting not yet marked held.

Every case is made through the services, as a real one is, so its history, e-mails and audit trail are those
of the real routine. The meetings are made straight in the calendar at their past hour: the services refuse
to plan a meeting in the past, and the demo needs the calendar to have had one. Run twice, nothing is made
twice (the cases are matched by their arkivsaksnr).
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field

import docx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from overgang.organisasjon.models import Arkivsystem, Bruker, Kommune, Mote, Utvalg
from saker import filer
from saker import services as saker_services
from saker.models import Sak, Vedtak
from saker.saksframlegg_demo import lag_saksframlegg
from saker.services import Opplasting, PartData, SakData
from sekretariat import services as sekretariat_services
from sekretariat.models import Sakslistepunkt, Utfall

STED = "Lillestrøm rådhus, kommunestyresalen"

# Parties without identity numbers: the demo publishes no one's number, and a letter recorded as sent by hand
# needs none.
PARTER = {
    "skole": PartData(navn="Lillestrøm ungdomsskole v/rektor", adresse="Skolegata 2", postnummer="2000",
                      poststed="Lillestrøm"),
    "fau": PartData(navn="FAU ved Lillestrøm ungdomsskole", adresse="Postboks 15", postnummer="2001",
                    poststed="Lillestrøm"),
    "barnehage": PartData(navn="Fetsund barnehage SA", adresse="Kirkeveien 14", postnummer="1900",
                          poststed="Fetsund"),
    "lag": PartData(navn="Sørumsand leksehjelp", adresse="Stasjonsvegen 3", postnummer="1920",
                    poststed="Sørumsand"),
    "ppt": PartData(navn="PPT Lillestrøm", adresse="Jonas Lies gate 18", postnummer="2000", poststed="Lillestrøm"),
    "forening": PartData(navn="Kjeller velforening", adresse="Kjellerveien 100", postnummer="2007",
                         poststed="Kjeller"),
}


@dataclass(frozen=True)
class DemoSak:
    arkivsaksnr: str
    tittel: str
    rute: list[str]
    # What the meeting did: an Utfall value, or "" when the outcome is still to be recorded.
    utfall: str = ""
    parter: list[str] = field(default_factory=list)
    brev: bool = False  # vedtaksbrev made for every party
    sendt: int = 0  # how many parties have been sent the letter (recorded by hand)


@dataclass(frozen=True)
class DemoMote:
    utvalg: str
    dager_siden: int
    klokkeslett: datetime.time
    avholdt: bool
    saker: list[DemoSak]


MOTER = [
    # Today's meeting of the education committee, held this morning: every state after the meeting at once.
    DemoMote("HOU", 0, datetime.time(9, 0), True, [
        DemoSak("19/01501", "Opptaksregler for kommunale barnehager", ["HOU"]),
        DemoSak("19/01502", "Tilskudd til frivillige leksehjelpstilbud 2020", ["HOU"], Utfall.VEDTAK),
        DemoSak("19/01503", "Søknad om utvidet åpningstid – Fetsund barnehage", ["HOU"], Utfall.VEDTAK,
                parter=["barnehage"], brev=True),
        DemoSak("19/01504", "Oppgradering av uteområdet ved Lillestrøm ungdomsskole", ["HOU"], Utfall.VEDTAK,
                parter=["skole", "fau"], brev=True, sendt=1),
        DemoSak("19/01505", "Samlokalisering av PPT i Lillestrøm", ["HOU"], Utfall.VEDTAK,
                parter=["ppt"], brev=True, sendt=1),
        DemoSak("19/01506", "Leirskoletilbud i Lillestrøm – ny ordning", ["HOU", "KST"], Utfall.INNSTILLING),
        DemoSak("19/01507", "Bemanningsnorm for skolebibliotekene", ["HOU"], Utfall.UTSATT),
        DemoSak("19/01508", "Navn på ny skole på Kjeller", ["HOU"], Utfall.TRUKKET),
    ]),
    # Four weeks ago: decided, one letter still not sent (the control and the reminder flag it).
    DemoMote("HOU", 28, datetime.time(18, 0), True, [
        DemoSak("19/01451", "Retningslinjer for skoleskyss ved farlig skolevei", ["HOU"], Utfall.VEDTAK,
                parter=["forening"], brev=True),
        DemoSak("19/01452", "Ressursfordelingsmodell for grunnskolen", ["HOU"], Utfall.VEDTAK,
                parter=["skole"], brev=True, sendt=1),
    ]),
    # Three days ago, not yet marked held: the secretariat's next piece of work.
    DemoMote("FSK", 3, datetime.time(18, 0), False, [
        DemoSak("19/01480", "Kjøp av tomt til ny barnehage på Frogner", ["FSK"]),
    ]),
]


def _opplasting(navn: str, innhold: bytes, rolle: str) -> Opplasting:
    fil = SimpleUploadedFile(navn, innhold)
    return Opplasting(fil=fil, info=filer.valider_fil(fil, rolle=rolle, maks_bytes=50 * 1024 * 1024))


def _saksutskrift(mote: Mote, punkt: Sakslistepunkt, tekst: str) -> Opplasting:
    """A saksutskrift as P360 would print it: the committee, the meeting, the case number and what was decided."""
    dokument = docx.Document()
    dokument.add_paragraph("Lillestrøm kommune")
    dokument.add_heading(f"Saksutskrift: {punkt.sak.tittel}", level=1)
    dokument.add_paragraph(f"{mote.sak_tekst(punkt.utvalgssaksnr)}")
    dokument.add_heading("Behandling", level=2)
    dokument.add_paragraph("Kommunedirektørens innstilling ble enstemmig vedtatt.")
    dokument.add_heading("Vedtak", level=2)
    dokument.add_paragraph(tekst)
    buffer = io.BytesIO()
    dokument.save(buffer)
    return _opplasting("saksutskrift.docx", buffer.getvalue(), "saksutskrift")


def _mote(demo: DemoMote) -> Mote:
    utvalg = Utvalg.objects.get(kode=demo.utvalg)
    dato = timezone.localdate() - datetime.timedelta(days=demo.dager_siden)
    tidspunkt = timezone.make_aware(datetime.datetime.combine(dato, demo.klokkeslett))
    mote, _ = Mote.objects.get_or_create(utvalg=utvalg, tidspunkt=tidspunkt, defaults={
        "sted": STED, "saksfrist": Mote.standard_saksfrist(utvalg, tidspunkt)})
    return mote


def _til_sekretariatet(demo: DemoSak, *, sara: Bruker, kari: Bruker, siri: Bruker) -> Sak:
    """The first half of the routine, as every case goes it: written, approved, sent and registered in P360."""
    rute = [Utvalg.objects.get(kode=k) for k in demo.rute]
    dokument = _opplasting("saksframlegg.docx", lag_saksframlegg(demo.tittel), "hoveddokument")
    data = SakData(
        tittel=demo.tittel, kommune=Kommune.objects.get(kode="skedsmo"),
        arkivsystem=Arkivsystem.objects.get(navn="ePhorte"), arkivsaksnr=demo.arkivsaksnr,
        kommunalomrade=sara.kommunalomrade, unntatt_offentlighet=False, hjemmel="",
        innstilling=filer.les_saksframlegg(dokument.fil).innstilling, rute=rute, onsket_mote=None,
    )
    sak = saker_services.sak_opprett(av=sara, data=data, hoveddokument=dokument)
    saker_services.sak_send_til_godkjenning(sak=sak, av=sara, godkjenner=kari)
    saker_services.sak_godkjenn(sak=sak, av=kari, rute=rute, onsket_mote=None)
    saker_services.sak_send_til_sekretariat(sak=sak, av=sara)
    lopenummer = demo.arkivsaksnr.split("/")[1]
    sekretariat_services.registrer_i_p360(sak=sak, av=siri, p360_saksnr=f"20/{lopenummer}",
                                          p360_dokumentnr=f"20/{lopenummer}-1")
    return sak


def _utfall(demo: DemoSak, punkt: Sakslistepunkt, mote: Mote, *, siri: Bruker) -> None:
    if demo.utfall == Utfall.VEDTAK:
        tekst = f"Hovedutvalget slutter seg til kommunedirektørens forslag om «{demo.tittel}»."
        sekretariat_services.utfall_registrer(punkt=punkt, av=siri, utfall=Utfall.VEDTAK, tekst=tekst,
                                              saksutskrift=_saksutskrift(mote, punkt, tekst))
    elif demo.utfall == Utfall.INNSTILLING:
        neste = Mote.objects.kommende().filter(utvalg__kode=demo.rute[1]).first()
        tekst = f"Hovedutvalget anbefaler kommunestyret å vedta forslaget om «{demo.tittel}»."
        sekretariat_services.utfall_registrer(punkt=punkt, av=siri, utfall=Utfall.INNSTILLING, tekst=tekst,
                                              neste_mote=neste, saksutskrift=_saksutskrift(mote, punkt, tekst))
    elif demo.utfall == Utfall.UTSATT:
        neste = Mote.objects.kommende().filter(utvalg=mote.utvalg).first()
        sekretariat_services.utfall_registrer(punkt=punkt, av=siri, utfall=Utfall.UTSATT, neste_mote=neste,
                                              tekst="Saken utsettes til neste møte etter forslag fra Ap.")
    elif demo.utfall == Utfall.TRUKKET:
        sekretariat_services.utfall_registrer(punkt=punkt, av=siri, utfall=Utfall.TRUKKET,
                                              tekst="Trukket av kommunedirektøren for ny høring.")


def _brev_og_utsending(demo: DemoSak, sak: Sak, mote: Mote, *, sara: Bruker) -> None:
    parter = [saker_services.part_opprett(sak=sak, av=sara, data=PARTER[navn]) for navn in demo.parter]
    if demo.brev:
        saker_services.vedtaksbrev_lag(sak=sak, av=sara)
    # Recorded as sent in SvarUt's own pages the day of the meeting (or today, for today's meeting).
    dato = timezone.localtime(mote.tidspunkt).date()
    for nummer, part in enumerate(parter[:demo.sendt], start=1):
        saker_services.forsendelse_registrer_manuelt(part=part, av=sara, dato=dato,
                                                     forsendelse_id=f"demo-{demo.arkivsaksnr}-{nummer}")


def _tilbakedater(sak: Sak, mote: Mote) -> None:
    """A vedtak from an earlier meeting was recorded the morning after it, not when the demo ran: the control
    and the reminders count days from then."""
    morgenen_etter = timezone.make_aware(datetime.datetime.combine(
        timezone.localtime(mote.tidspunkt).date() + datetime.timedelta(days=1), datetime.time(9)))
    if morgenen_etter < timezone.now():
        Vedtak.objects.filter(sak=sak).update(registrert=morgenen_etter, returnert_arkiv=morgenen_etter)


def lag_saker_etter_motet() -> int:
    """Make the meetings and their cases once; returns how many cases were made."""
    if Sak.objects.filter(arkivsaksnr__in=[s.arkivsaksnr for m in MOTER for s in m.saker]).exists():
        return 0
    sara, kari, siri = (Bruker.objects.get(username=navn) for navn in ("sara", "kari", "siri"))
    laget = 0
    with transaction.atomic():
        for demo_mote in MOTER:
            mote = _mote(demo_mote)
            punkter = []
            for demo in demo_mote.saker:
                sak = _til_sekretariatet(demo, sara=sara, kari=kari, siri=siri)
                punkter.append((demo, sekretariat_services.saksliste_legg_til(mote=mote, sak=sak, av=siri)))
                laget += 1
            if not demo_mote.avholdt:
                continue
            sekretariat_services.mote_avhold(mote=mote, av=siri)
            for demo, punkt in punkter:
                _utfall(demo, punkt, mote, siri=siri)
                if demo.utfall == Utfall.VEDTAK:
                    _brev_og_utsending(demo, punkt.sak, mote, sara=sara)
                    _tilbakedater(punkt.sak, mote)
    return laget
