"""An SMTP server on loopback that can refuse (451, 550) or stall on command, and counts what it took by
Message-ID. A message counts as delivered when the server has it (as a real MTA that queued it), whether or
not its answer reached the client."""

import asyncio
import email
import email.policy
import socket
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

from aiosmtpd.controller import Controller


@dataclass
class Mottatt:
    tid: float
    message_id: str
    til: list[str]
    innhold: bytes


@dataclass
class StyrbarPostkasse:
    modus: str = "ok"  # "ok", "451", "550"
    pause_rcpt: float = 0.0  # stall before answering RCPT (before the message is handed over)
    pause_svar: float = 0.0  # stall after taking the message, before answering 250
    meldinger: list[Mottatt] = field(default_factory=list)
    i_rcpt: int = 0  # sessions stalled at RCPT just now
    las: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 (aiosmtpd)
        if self.pause_rcpt:
            self.i_rcpt += 1
            try:
                await asyncio.sleep(self.pause_rcpt)
            finally:
                self.i_rcpt -= 1
        if self.modus == "451":
            return "451 4.3.0 Midlertidig feil, prøv igjen senere"
        if self.modus == "550":
            return "550 5.1.1 Mottakeren finnes ikke"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        melding = email.message_from_bytes(envelope.content, policy=email.policy.default)
        with self.las:
            self.meldinger.append(Mottatt(time.monotonic(), str(melding["Message-ID"] or ""),
                                          list(envelope.rcpt_tos), envelope.content))
        if self.pause_svar:
            await asyncio.sleep(self.pause_svar)
        return "250 OK"

    def per_message_id(self) -> Counter:
        with self.las:
            return Counter(m.message_id for m in self.meldinger)

    def til(self, adresse: str) -> list[Mottatt]:
        with self.las:
            return [m for m in self.meldinger if adresse in m.til]


def start_smtp() -> tuple[Controller, StyrbarPostkasse]:
    postkasse = StyrbarPostkasse()
    with socket.socket() as s:  # aiosmtpd cannot start on port 0, so pick a free port first
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(postkasse, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, postkasse
