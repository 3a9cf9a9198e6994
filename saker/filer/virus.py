"""An optional virus scan of every upload by clamd, over its unix socket (setting CLAMD_SOCKET).

Unset, nothing is scanned. Set, every file that passed the other checks is streamed to clamd with the
INSTREAM command (the protocol is a few lines, so no client library: the ones on PyPI are unmaintained).
A file is accepted only on clamd's "OK": a virus is refused with its name, and a clamd that does not answer
is refused too ("prøv igjen senere"), since a configured scan that is skipped in silence is worse than none.
"""

from __future__ import annotations

import socket
import struct

from django.conf import settings
from django.core.exceptions import ValidationError

TIDSGRENSE_SEKUNDER = 60
_BIT = 256 * 1024


class ClamdFeil(Exception):
    """clamd did not answer, or answered something other than a verdict."""


def skann(f, navn: str) -> None:
    """Refuse `f` if clamd is configured and finds a virus in it, or cannot be asked."""
    sti = getattr(settings, "CLAMD_SOCKET", "")
    if not sti:
        return
    try:
        svar = instream(sti, f)
    except (OSError, ClamdFeil) as exc:
        raise ValidationError(
            f"«{navn}» kunne ikke virussjekkes akkurat nå. Prøv igjen senere.", code="virussjekk_utilgjengelig"
        ) from exc
    finally:
        f.seek(0)
    if svar.endswith("FOUND"):
        funn = svar.removeprefix("stream:").removesuffix("FOUND").strip()
        raise ValidationError(f"«{navn}» inneholder virus eller skadelig kode ({funn}) og kan ikke lastes opp.",
                              code="virus")


def instream(sti: str, f) -> str:
    """Stream the file to clamd at the unix socket `sti`; return its answer for a clean file ("stream: OK")
    or a found virus ("stream: <name> FOUND"). Raises ClamdFeil for anything else."""
    f.seek(0)
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as kobling:
        kobling.settimeout(TIDSGRENSE_SEKUNDER)
        kobling.connect(sti)
        kobling.sendall(b"zINSTREAM\0")
        try:
            while bit := f.read(_BIT):
                kobling.sendall(struct.pack("!L", len(bit)) + bit)
            kobling.sendall(struct.pack("!L", 0))
        except BrokenPipeError:
            pass  # clamd stops reading past its StreamMaxLength and says so; read its answer
        svar = b""
        while not svar.endswith(b"\0"):
            bit = kobling.recv(4096)
            if not bit:
                break
            svar += bit
    tekst = svar.rstrip(b"\0").decode("utf-8", "replace").strip()
    if tekst == "stream: OK" or (tekst.startswith("stream:") and tekst.endswith("FOUND")):
        return tekst
    raise ClamdFeil(tekst or "clamd svarte ikke")
