"""Reading generated Word documents back in tests."""

from __future__ import annotations

import io
from collections.abc import Iterator

from docx import Document
from docx.document import Document as DocxDocument
from docx.table import Table
from docx.text.paragraph import Paragraph


def apne(data: bytes) -> DocxDocument:
    return Document(io.BytesIO(data))


def _blokker(container) -> Iterator[str]:  # Document, _Cell, header or footer
    for blokk in container.iter_inner_content():
        if isinstance(blokk, Paragraph):
            yield blokk.text
        elif isinstance(blokk, Table):
            yield from _tabell(blokk)


def _tabell(table: Table) -> Iterator[str]:
    for row in table.rows:
        sett: set[int] = set()
        for cell in row.cells:
            if id(cell._tc) in sett:  # a merged cell appears once per grid column it spans
                continue
            sett.add(id(cell._tc))
            yield from _blokker(cell)


def tekstlinjer(data: bytes) -> list[str]:
    """Every paragraph's text in reading order: body (tables included), then headers and footers."""
    doc = apne(data)
    linjer = list(_blokker(doc))
    for section in doc.sections:
        for del_ in (section.header, section.footer):
            if not del_.is_linked_to_previous:
                linjer += _blokker(del_)
    return linjer


def all_tekst(data: bytes) -> str:
    """All text of the document as one string, one paragraph a line."""
    return "\n".join(tekstlinjer(data))
