"""The control's counts, computed by the database: for each meeting, how many discrepancies each rule of
sekretariat.kontroll finds, without loading a case. The start page shows these for every meeting it lists;
the control page of one meeting runs the rules themselves (`kontroll.kontroller`) to name the cases.

The rules are the same, restated as conditions on the three ways a case is relevant to a meeting: an active
entry on its directors' list (L), an item on its agenda (A), or the meeting wished for it (O, unless a
director moved or removed it from there). A rule on "any relevant case" counts an A row only when the case is
not in L, and an O row only when it is in neither, so each case is counted once per rule, as `kontroller`
does. tests/sekretariat/test_kontroll_telling.py runs both on the same data and compares them rule by rule.
A new rule in kontroll.REGELSETT needs its condition here too (the test fails until it has one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from godkjenning.models import Motelistepunkt
from overgang.organisasjon.models import Mote
from saker.models import GODKJENTE, MOTTATTE, UNDER_BEHANDLING, Sak

from .kontroll import REGLER
from .models import VIDEREFORENDE, Sakslistepunkt, Utfall


@dataclass
class Telling:
    """A meeting's discrepancies per rule, as the start page shows them (`klar`, `antall` as on Kontroll)."""

    per_regel: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REGLER, 0))

    @property
    def klar(self) -> bool:
        return not self.antall()

    def antall(self) -> int:
        return sum(self.per_regel.values())


def _saken(p: str, *, sendefrist: date, brevgrense: date, frist: str, mote: str) -> dict[str, Q]:
    """The conditions on the case itself, for a queryset that reaches it through `p` ("sak__" or "")."""
    return {
        "mottatt": Q(**{f"{p}status__in": MOTTATTE}),
        "registrert": Q(**{f"{p}registrering__isnull": False}),
        "sendes": Q(**{f"{p}status": Sak.Status.GODKJENT, f"{frist}__lte": sendefrist}),
        "etter_frist": Q(mottatt_dato__isnull=False, mottatt_dato__gt=F(frist)),
        "brev": Q(**{f"{p}status": Sak.Status.VEDTATT, f"{p}vedtak__mote": F(mote)}, brev_dato__lt=brevgrense),
    }


def _tell(qs: QuerySet, gruppe: str, p: str, regler: dict[str, Q]) -> dict[int, dict[str, int]]:
    rader = (qs.annotate(mottatt_dato=TruncDate(f"{p}sendt_sekretariat"), brev_dato=TruncDate(f"{p}vedtak__registrert"))
             .order_by().values(gruppe).annotate(**{kode: Count("pk", filter=q) for kode, q in regler.items()}))
    return {rad[gruppe]: {kode: rad[kode] for kode in regler} for rad in rader}


def telling(moter: Iterable[Mote], *, idag: date | None = None) -> dict[int, Telling]:
    """Count each meeting's discrepancies per rule; keyed by meeting id. Three aggregate queries."""
    moter = list(moter)
    ider = [m.pk for m in moter]
    idag = idag or timezone.localdate()
    grenser = {"sendefrist": idag + timedelta(days=settings.KONTROLL_SENDEFRIST_DAGER),
               "brevgrense": idag - timedelta(days=settings.KONTROLL_BREVFRIST_DAGER)}
    aktiv = Motelistepunkt.objects.filter(status=Motelistepunkt.Status.AKTIV)

    # L: the active list entries.
    s = _saken("sak__", frist="mote__saksfrist", mote="mote_id", **grenser)
    pa_agenda = Sakslistepunkt.objects.filter(mote=OuterRef("mote"), sak=OuterRef("sak"))
    fra_liste = _tell(aktiv.filter(mote__in=ider), "mote", "sak__", {
        "ikke_mottatt": ~s["mottatt"],
        "ikke_sendt": s["sendes"],
        "ikke_registrert": s["mottatt"] & ~s["registrert"],
        "ikke_pa_saksliste": ~Q(Exists(pa_agenda)),
        "etter_frist": s["etter_frist"],
        "brev_ikke_sendt": s["brev"],
    })

    # A: the agenda items; the case-wide rules only for cases not counted through L.
    tidligere = Sakslistepunkt.objects.filter(sak=OuterRef("sak"), utfall__in=VIDEREFORENDE,
                                              mote__tidspunkt__lt=OuterRef("mote__tidspunkt"))
    senere = Sakslistepunkt.objects.filter(
        sak=OuterRef("sak"), utvalg=OuterRef("utvalg"), mote__tidspunkt__gt=OuterRef("mote__tidspunkt"),
    ).exclude(mote__status=Mote.Status.AVLYST)
    utenfor_liste = ~Q(Exists(aktiv.filter(mote=OuterRef("mote"), sak=OuterRef("sak"))))
    fra_agenda = _tell(Sakslistepunkt.objects.filter(mote__in=ider), "mote", "sak__", {
        "ikke_pa_liste": s["mottatt"] & utenfor_liste & ~Q(Exists(tidligere)),
        "ikke_godkjent": ~Q(sak__status__in=GODKJENTE),
        "uten_utfall": Q(mote__status=Mote.Status.AVHOLDT, utfall=""),
        "utsatt_ikke_plassert": Q(utfall=Utfall.UTSATT, sak__status__in=UNDER_BEHANDLING) & ~Q(Exists(senere)),
        "ikke_registrert": utenfor_liste & s["mottatt"] & ~s["registrert"],
        "etter_frist": utenfor_liste & s["etter_frist"],
        "brev_ikke_sendt": utenfor_liste & s["brev"],
    })

    # O: the wishes, unless a director moved or removed the case from that meeting's list; only for cases
    # counted neither through L nor through A.
    s = _saken("", frist="onsket_mote__saksfrist", mote="onsket_mote_id", **grenser)
    pa_listen = Q(Exists(aktiv.filter(mote=OuterRef("onsket_mote"), sak=OuterRef("pk"))))
    avklart = Q(Exists(Motelistepunkt.objects.filter(mote=OuterRef("onsket_mote"), sak=OuterRef("pk"))
                       .exclude(status=Motelistepunkt.Status.AKTIV)))
    pa_sakslisten = Q(Exists(Sakslistepunkt.objects.filter(mote=OuterRef("onsket_mote"), sak=OuterRef("pk"))))
    for_seg = ~pa_listen & ~pa_sakslisten
    onsket = Sak.objects.filter(onsket_mote__in=ider, status__in=GODKJENTE).exclude(avklart & ~pa_listen)
    fra_onske = _tell(onsket, "onsket_mote", "", {
        "ikke_pa_liste": for_seg & s["mottatt"],
        "ikke_sendt": ~pa_listen & s["sendes"],
        "ikke_registrert": for_seg & s["mottatt"] & ~s["registrert"],
        "etter_frist": for_seg & s["etter_frist"],
        "brev_ikke_sendt": for_seg & s["brev"],
    })

    resultat = {}
    for mote in moter:
        t = Telling()
        for kilde in (fra_liste, fra_agenda, fra_onske):
            for kode, antall in kilde.get(mote.pk, {}).items():
                t.per_regel[kode] += antall
        resultat[mote.pk] = t
    return resultat
