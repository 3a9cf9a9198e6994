"""A realistic saksframlegg as .docx, for demo data and tests: header, saksgang table, title, innstilling."""

import io

import docx


def lag_saksframlegg(tittel: str, innstilling: str = "", kommune: str = "Skedsmo kommune") -> bytes:
    innstilling = innstilling or f"Kommunestyret slutter seg til forslaget om «{tittel}»."
    dokument = docx.Document()
    dokument.add_paragraph(kommune)
    dokument.add_paragraph("Saksframlegg")
    tabell = dokument.add_table(rows=2, cols=3)
    for celle, tekst in zip(tabell.rows[0].cells, ["Utvalgssaksnr.", "Utvalg", "Møtedato"], strict=True):
        celle.text = tekst
    for celle, tekst in zip(tabell.rows[1].cells, ["", "Hovedutvalg for oppvekst og utdanning", ""], strict=True):
        celle.text = tekst
    dokument.add_heading(tittel, level=1)
    dokument.add_heading("Kommunedirektørens innstilling", level=2)
    for linje in innstilling.splitlines():
        dokument.add_paragraph(linje)
    dokument.add_heading("Saksopplysninger", level=2)
    dokument.add_paragraph("Elevtallet på Kjeller, i Fetsund og på Sørumsand øker, og kapasiteten må økes.")
    dokument.add_heading("Vurdering", level=2)
    dokument.add_paragraph("Kommunedirektøren anbefaler forslaget.")
    buffer = io.BytesIO()
    dokument.save(buffer)
    return buffer.getvalue()
