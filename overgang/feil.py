"""The one domain error. Each app subclasses it (saker.SakFeil, godkjenning.ListeFeil, sekretariat.SekretariatFeil),
so a view can catch its own app's refusals, or any refusal, and show the Norwegian message as it is."""


class Feil(Exception):
    """An action that is not allowed now; the message is Norwegian and shown to the user as it is."""
