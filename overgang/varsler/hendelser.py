"""Every hand-off that sends e-mail, with the Norwegian sentence that tells the recipient what happened.

An event may have its own templates (templates/emails/<event>_subject.txt, _body.txt, _body.html);
otherwise the standard triplet renders `melding` with a link to the object.
"""

HENDELSER: dict[str, str] = {
    "test": "Dette er et testvarsel fra Overgang.",
    "sak_til_godkjenning": "En sak er sendt til deg for godkjenning.",
    "sak_returnert": "Saken er sendt tilbake til deg for retting.",
    "sak_godkjent": "Saken er godkjent. Send den til politisk sekretariat.",
    "sak_til_sekretariat": "En godkjent sak er sendt til politisk sekretariat.",
    "motelister_endret": "En direktørliste over saker til et møte er endret.",
    "sak_satt_pa_saksliste": "Saken er satt opp på sakslisten til et møte.",
    "vedtak_fattet": "Det er fattet vedtak i saken. Lag og send vedtaksbrev.",
    "sak_avsluttet": "Vedtaksbrev er sendt til alle parter, og saken er avsluttet.",
    "forsendelse_ikke_levert": "Et vedtaksbrev kom ikke fram til parten.",
    "innstilling_videre": "Utvalget har gitt sin innstilling, og saken går videre til neste utvalg i saksgangen.",
    "sak_utsatt": "Behandlingen av saken er utsatt til et senere møte.",
    "sak_trukket": "Saken er trukket fra behandlingen.",
    "paminnelse": "Påminnelse.",
    "sammendrag": "Dagens sammendrag av varsler fra Overgang.",
}

# Always sent at once, whatever the recipient chose: a reminder that waits for tomorrow's digest is late, and a
# digest is itself the daily e-mail.
ALLTID_STRAKS = frozenset({"paminnelse", "sammendrag", "test"})

# Sent to the person alone, never also to whoever stands in for them: the digest gathers what they were sent
# (a stand-in has their own rows), and a test is about one address.
UTEN_STEDFORTREDER = frozenset({"sammendrag", "test"})
