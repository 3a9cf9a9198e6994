"""The states of a case, its documents and its shipments, and what they mean together: the choices of the
models' status columns (saker.models uses them, with their legal transitions in each model's docstring), and
the sets of states the services, selectors and templates ask about."""

from django.db import models


class SakStatus(models.TextChoices):
    UTKAST = "utkast", "Utkast"
    TIL_GODKJENNING = "til_godkjenning", "Til godkjenning"
    RETURNERT = "returnert", "Returnert for retting"
    GODKJENT = "godkjent", "Godkjent"
    SENDT_SEKRETARIAT = "sendt_sekretariat", "Sendt til sekretariatet"
    VEDTATT = "vedtatt", "Vedtatt"
    TRUKKET = "trukket", "Trukket"
    AVSLUTTET = "avsluttet", "Avsluttet"


class DokumentRolle(models.TextChoices):
    HOVEDDOKUMENT = "hoveddokument", "Saksframlegg"
    VEDLEGG = "vedlegg", "Vedlegg"
    SAKSUTSKRIFT = "saksutskrift", "Saksutskrift"
    VEDTAKSBREV = "vedtaksbrev", "Vedtaksbrev"


class ForsendelseStatus(models.TextChoices):
    IKKE_SENDT = "ikke_sendt", "Ikke sendt"
    SENDER = "sender", "Sendes"
    SENDT = "sendt", "Sendt"
    FEILET = "feilet", "Feilet"


class PdfStatus(models.TextChoices):
    """A PDF made by a worker (a document's PDF/A, a meeting's saksliste or møtebok):
    venter → lager → ferdig | feilet | uten_lo."""

    VENTER = "venter", "Venter"
    LAGER = "lager", "Lages"
    FERDIG = "ferdig", "Ferdig"
    FEILET = "feilet", "Feilet"
    UTEN_LIBREOFFICE = "uten_lo", "LibreOffice mangler"


class ForsendelseKanal(models.TextChoices):
    MANUELL = "manuell", "Registrert manuelt (sendt i SvarUt)"
    SVARUT = "svarut", "SvarUt (integrasjon)"


# Each state its own colour: with the officer (grey, or amber when returned), with the approver (blue), approved
# and on its way (green, then teal with the secretariat), decided (dark green), finished (outlined).
STATUS_TAG = {
    SakStatus.UTKAST: "text-bg-secondary",
    SakStatus.TIL_GODKJENNING: "text-bg-primary",
    SakStatus.RETURNERT: "text-bg-warning",
    SakStatus.GODKJENT: "text-bg-success",
    SakStatus.SENDT_SEKRETARIAT: "text-bg-info",
    SakStatus.VEDTATT: "text-bg-dark",
    SakStatus.TRUKKET: "text-bg-light border border-secondary",
    SakStatus.AVSLUTTET: "text-bg-light border border-success",
}
# The states in which the case officer may change the case and its documents.
REDIGERBAR = frozenset({SakStatus.UTKAST, SakStatus.RETURNERT})
# A case on its way through the bodies: approved (it may sit on an agenda before it arrives) or with the
# secretariat. Only these may be placed on a list or an agenda, postponed, or get a saksutskrift.
UNDER_BEHANDLING = frozenset({SakStatus.GODKJENT, SakStatus.SENDT_SEKRETARIAT})
# The states at and after approval, and those in which the secretariat has the case.
MOTTATTE = frozenset({SakStatus.SENDT_SEKRETARIAT, SakStatus.VEDTATT, SakStatus.TRUKKET,
                      SakStatus.AVSLUTTET})
GODKJENTE = frozenset({SakStatus.GODKJENT}) | MOTTATTE
# Finished: nothing more happens to the case. Lists show the others (the active ones) by default.
AVSLUTTEDE = frozenset({SakStatus.TRUKKET, SakStatus.AVSLUTTET})
# Before the case reaches the secretariat: the meeting's saksfrist is still ahead of the officer.
FOR_SEKRETARIATET = frozenset({SakStatus.UTKAST, SakStatus.TIL_GODKJENNING, SakStatus.RETURNERT,
                               SakStatus.GODKJENT})
# A shipment in flight or done: its party and letter may no longer change.
LAST_FORSENDELSE = frozenset({ForsendelseStatus.SENDER, ForsendelseStatus.SENDT})
