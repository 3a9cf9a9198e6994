"""What every generated Word document shares."""

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def sett_standardsprak(doc: DocxDocument, sprak: str = "nb-NO") -> None:
    """Mark all text as Norwegian, so Word and LibreOffice check spelling (and hyphenate) in bokmål."""
    rpr = doc.styles.element.find(qn("w:docDefaults") + "/" + qn("w:rPrDefault") + "/" + qn("w:rPr"))
    if rpr is None:
        return
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), sprak)
