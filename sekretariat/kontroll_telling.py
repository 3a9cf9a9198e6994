"""The control's counts, computed by the database: for each meeting, how many discrepancies each rule of
sekretariat.kontroll finds, without loading a case. The start page shows these for every meeting it lists;
the control page of one meeting runs the rules themselves (`kontroll.kontroller`) to name the cases.

The rules are the same, restated as conditions on the three ways a case is relevant to a meeting: an item on
its agenda (A), an active entry on its directors' list (L), or the meeting wished for it (O, unless a director
moved or removed it from there). Each (meeting, case) pair is counted from one source only: A if the case is on
the agenda, else L if it is listed, else O. So every rule, the cases with any discrepancy, the relevant cases
and the readiness steps (sekretariat.fremdrift) are each counted once per case, as `kontroller` does.
tests/sekretariat/test_kontroll_telling.py runs both on the same data and compares them. A new rule in
kontroll.REGELSETT needs its condition here too, in each source (the test fails until it has one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from godkjenning.models import Motelistepunkt
from overgang.organisasjon.models import Mote
from saker.models import GODKJENTE, MOTTATTE, UNDER_BEHANDLING, Sak, Vedtak

from . import kontroll_brev
from .fremdrift import Fremdrift
from .kontroll import REGLER, listet_annet_sted
from .models import VIDEREFORENDE, Sakslistepunkt, Utfall

_STEG = ("klar", "ikke_plassert", "ikke_registrert", "ikke_sendt")


@dataclass
class Telling:
    """A meeting's discrepancies per rule and how many of its cases have any, how many cases are relevant to it,
    and their readiness steps (`klar`, `tom`, `antall`, `fremdrift` as on kontroll.Kontroll)."""

    per_regel: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REGLER, 0))
    saker_med_avvik: int = 0
    relevante: int = 0
    steg: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_STEG, 0))

    @property
    def klar(self) -> bool:
        return not self.saker_med_avvik

    @property
    def tom(self) -> bool:
        return not self.relevante

    def antall(self) -> int:
        return self.saker_med_avvik

    def fremdrift(self) -> Fremdrift:
        return Fremdrift(**self.steg)


def _saken(p: str, *, sendefrist: date, brevgrense: date, frist: str, mote: str) -> dict[str, Q]:
    """The conditions on the case itself, for a queryset that reaches it through `p` ("sak__" or "")."""
    sak = "sak" if p else "pk"
    return {
        "mottatt": Q(**{f"{p}status__in": MOTTATTE}),
        "hos_sekretariatet": Q(**{f"{p}status": Sak.Status.SENDT_SEKRETARIAT}),
        "underveis": Q(**{f"{p}status__in": UNDER_BEHANDLING}),
        "registrert": Q(**{f"{p}registrering__isnull": False}),
        "sendes": Q(**{f"{p}status": Sak.Status.GODKJENT, f"{frist}__lte": sendefrist}),
        "etter_frist": Q(mottatt_dato__isnull=False, mottatt_dato__gt=F(frist)),
        "brev": (Q(**{f"{p}status": Sak.Status.VEDTATT, f"{p}vedtak__mote": F(mote)}, brev_dato__lt=brevgrense)
                 & kontroll_brev.mangler(sak)),
    }


def _blant(felt: str, ider: list[int]) -> Q:
    # An empty IN list is refused by some backends' compilers inside an aggregate's filter; no id matches -1.
    return Q(**{f"{felt}__in": ider or [-1]})


def _tell(qs: QuerySet, gruppe: str, p: str, regler: dict[str, Q], steg: dict[str, Q]) -> dict[int, dict[str, int]]:
    noen = Q()
    for q in regler.values():
        noen |= q
    tellinger = {kode: Count("pk", filter=q) for kode, q in regler.items()}
    tellinger |= {f"steg_{kode}": Count("pk", filter=q) for kode, q in steg.items()}
    rader = (qs.annotate(mottatt_dato=TruncDate(f"{p}sendt_sekretariat"), brev_dato=TruncDate(f"{p}vedtak__registrert"))
             .order_by().values(gruppe)
             .annotate(**tellinger, _med_avvik=Count("pk", filter=noen), _relevante=Count("pk")))
    return {rad.pop(gruppe): rad for rad in rader}


def _brevregler(sak: str, mote: str, grense: datetime) -> dict[str, Q]:
    """kontroll.brev_venter and brev_ikke_levert: the case's vedtak was made at this meeting, and a letter is on
    its way in SvarUt too long, or was not delivered, with no explanation (sekretariat.kontroll_brev). `sak`,
    `mote`: their OuterRefs here."""
    vedtak = Q(Exists(Vedtak.objects.filter(sak=OuterRef(sak), mote=OuterRef(mote))))
    return {"brev_venter": vedtak & Q(kontroll_brev.venter(sak, grense)),
            "brev_ikke_levert": vedtak & Q(kontroll_brev.ikke_levert(sak))}


def telling(moter: Iterable[Mote], *, idag: date | None = None) -> dict[int, Telling]:
    """Count each meeting's discrepancies per rule and per case; keyed by meeting id. Three aggregate queries."""
    moter = list(moter)
    ider = [m.pk for m in moter]
    # Decided in Python, as kontroller does, with the one definition of a coming meeting.
    kommende = [m.pk for m in moter if m.er_kommende()]
    idag = idag or timezone.localdate()
    grenser = {"sendefrist": idag + timedelta(days=settings.KONTROLL_SENDEFRIST_DAGER),
               "brevgrense": idag - timedelta(days=settings.KONTROLL_BREVFRIST_DAGER)}
    levering = kontroll_brev.leveringsgrense(idag, settings.KONTROLL_LEVERINGSFRIST_DAGER)
    aktiv = Motelistepunkt.objects.filter(status=Motelistepunkt.Status.AKTIV)
    planlagt = Q(mote__status=Mote.Status.PLANLAGT)

    # A: the agenda items.
    s = _saken("sak__", frist="mote__saksfrist", mote="mote_id", **grenser)
    k = _blant("mote", kommende)
    pa_liste = Q(Exists(aktiv.filter(mote=OuterRef("mote"), sak=OuterRef("sak"))))
    avklart = Q(Exists(Motelistepunkt.objects.filter(mote=OuterRef("mote"), sak=OuterRef("sak"))
                       .exclude(status=Motelistepunkt.Status.AKTIV)))
    onsket = (Q(sak__onsket_mote=F("mote"), sak__status__in=GODKJENTE) & ~(avklart & ~pa_liste)
              & ~Q(listet_annet_sted("sak", "mote")))
    tidligere = Sakslistepunkt.objects.filter(sak=OuterRef("sak"), utfall__in=VIDEREFORENDE,
                                              mote__tidspunkt__lt=OuterRef("mote__tidspunkt"))
    senere = Sakslistepunkt.objects.filter(
        sak=OuterRef("sak"), utvalg=OuterRef("utvalg"), mote__tidspunkt__gt=OuterRef("mote__tidspunkt"),
    ).exclude(mote__status=Mote.Status.AVLYST)
    fra_agenda = _tell(Sakslistepunkt.objects.filter(mote__in=ider), "mote", "sak__", {
        "ikke_mottatt": k & pa_liste & ~s["mottatt"],
        "ikke_pa_liste": k & s["hos_sekretariatet"] & ~pa_liste & ~Q(Exists(tidligere)),
        "ikke_sendt": k & s["sendes"] & (pa_liste | onsket),
        "ikke_registrert": s["hos_sekretariatet"] & ~s["registrert"],
        "ikke_godkjent": planlagt & ~Q(sak__status__in=GODKJENTE),
        "uten_utfall": Q(mote__status=Mote.Status.AVHOLDT, utfall=""),
        "brev_ikke_sendt": s["brev"],
        **_brevregler("sak", "mote", levering),
        "utsatt_ikke_plassert": Q(utfall=Utfall.UTSATT, sak__status__in=UNDER_BEHANDLING) & ~Q(Exists(senere)),
    }, {
        "ikke_sendt": ~s["mottatt"],
        "ikke_registrert": s["mottatt"] & ~s["registrert"],
        "klar": s["mottatt"] & s["registrert"],
    })

    # L: the active list entries of cases not on the agenda.
    pa_agenda = Sakslistepunkt.objects.filter(mote=OuterRef("mote"), sak=OuterRef("sak"))
    fra_liste = _tell(aktiv.filter(mote__in=ider).exclude(Exists(pa_agenda)), "mote", "sak__", {
        "ikke_mottatt": k & ~s["mottatt"],
        "ikke_sendt": k & s["sendes"],
        "ikke_registrert": s["hos_sekretariatet"] & ~s["registrert"],
        "ikke_pa_saksliste": planlagt & s["underveis"],
        "etter_frist": planlagt & s["hos_sekretariatet"] & s["etter_frist"],
        "brev_ikke_sendt": s["brev"],
        **_brevregler("sak", "mote", levering),
    }, {
        "ikke_sendt": ~s["mottatt"],
        "ikke_registrert": s["mottatt"] & ~s["registrert"],
        "ikke_plassert": s["mottatt"] & s["registrert"],
    })

    # O: the wishes of cases neither listed nor on the agenda, unless a director moved or removed the case
    # from that meeting's list, or listed it for another planned meeting of the committee.
    s = _saken("", frist="onsket_mote__saksfrist", mote="onsket_mote_id", **grenser)
    k = _blant("onsket_mote", kommende)
    onsket = (Sak.objects.filter(onsket_mote__in=ider, status__in=GODKJENTE)
              .exclude(Exists(Motelistepunkt.objects.filter(mote=OuterRef("onsket_mote"), sak=OuterRef("pk"))))
              .exclude(Exists(Sakslistepunkt.objects.filter(mote=OuterRef("onsket_mote"), sak=OuterRef("pk"))))
              .exclude(listet_annet_sted("pk", "onsket_mote")))
    fra_onske = _tell(onsket, "onsket_mote", "", {
        "ikke_pa_liste": k & s["hos_sekretariatet"],
        "ikke_sendt": k & s["sendes"],
        "ikke_registrert": s["hos_sekretariatet"] & ~s["registrert"],
        "etter_frist": Q(onsket_mote__status=Mote.Status.PLANLAGT) & s["hos_sekretariatet"] & s["etter_frist"],
        "brev_ikke_sendt": s["brev"],
        **_brevregler("pk", "onsket_mote", levering),
    }, {
        "ikke_sendt": ~s["mottatt"],
        "ikke_registrert": s["mottatt"] & ~s["registrert"],
        "ikke_plassert": s["mottatt"] & s["registrert"],
    })

    resultat = {}
    for mote in moter:
        t = Telling()
        for kilde in (fra_agenda, fra_liste, fra_onske):
            rad = kilde.get(mote.pk, {})
            t.saker_med_avvik += rad.get("_med_avvik", 0)
            t.relevante += rad.get("_relevante", 0)
            for kode in REGLER:
                t.per_regel[kode] += rad.get(kode, 0)
            for kode in _STEG:
                t.steg[kode] += rad.get(f"steg_{kode}", 0)
        resultat[mote.pk] = t
    return resultat
