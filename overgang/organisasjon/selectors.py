"""Who holds a role, as the rest of the app asks it."""

from django.conf import settings

from .models import Bruker, Rolle


def sekretariatet() -> list:
    """The political secretariat as recipients: its shared mailbox and every active member."""
    medlemmer = Bruker.objects.filter(is_active=True, groups__name=Rolle.SEKRETARIAT).distinct()
    return [settings.SEKRETARIAT_EPOST, *medlemmer]
