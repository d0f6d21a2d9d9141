"""Text of WordprocessingML elements, read from the XML itself.

Hand-written rather than ``cell.text`` because python-docx drops or repeats content
that matters here: text inside content controls (``w:sdt``) and tracked insertions
(``w:ins``) is kept, tracked deletions (``w:del``, ``w:moveFrom``) are dropped,
field codes (``w:instrText``) are skipped, and checkboxes (``w14:checkbox`` content
controls, legacy ``FORMCHECKBOX`` fields, Wingdings box symbols) become ☒ / ☐ glyphs
that :func:`resolve_checkboxes` turns into the ticked label. Only lxml types here.
"""

from __future__ import annotations

from lxml import etree

from pipeline.vocabulary import TICKED, UNTICKED

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W14 = "http://schemas.microsoft.com/office/word/2010/wordml"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def w(tag: str) -> str:
    """Clark name of a WordprocessingML tag: ``w("p")`` -> ``{...main}p``."""
    return f"{{{W}}}{tag}"


_SKIP = {
    w("del"),
    w("delText"),
    w("moveFrom"),
    w("instrText"),
    w("delInstrText"),
    w("fldData"),
    w("rPr"),
    w("pPr"),
    w("tcPr"),
    w("trPr"),
    w("tblPr"),
    w("tblGrid"),
    w("sdtPr"),
    w("sdtEndPr"),
    w("footnoteReference"),
    f"{{{MC}}}Fallback",
}
_TRUE = {"1", "true", "on"}
# Wingdings code points Word uses for boxes and ticks (w:sym w:font="Wingdings").
_WINGDINGS = {"F0FE": TICKED, "F0FD": TICKED, "F078": TICKED, "F0FC": TICKED}
_WINGDINGS_EMPTY = {"F0A8", "F06F", "F071", "F0A1"}


def _on(element: etree._Element | None, attr: str = w("val")) -> bool:
    """A boolean OOXML property: present with no value, or a true value."""
    if element is None:
        return False
    value = element.get(attr)
    return value is None or value.lower() in _TRUE


def checkbox_state(sdt: etree._Element) -> bool | None:
    """Ticked state of a ``w14:checkbox`` content control; None if it is not one."""
    box = sdt.find(f"{w('sdtPr')}/{{{W14}}}checkbox")
    if box is None:
        return None
    checked = box.find(f"{{{W14}}}checked")
    return checked is not None and checked.get(f"{{{W14}}}val", "0").lower() in _TRUE


def _legacy_checkbox(fld_char: etree._Element) -> str:
    """Glyph for a legacy FORMCHECKBOX field start, "" for any other field."""
    box = fld_char.find(f"{w('ffData')}/{w('checkBox')}")
    if box is None:
        return ""
    checked = box.find(w("checked"))
    if checked is not None:
        return TICKED if _on(checked) else UNTICKED
    return TICKED if _on(box.find(w("default"))) else UNTICKED


def _sym(element: etree._Element) -> str:
    code = (element.get(w("char")) or "").upper()
    if "wingdings" not in (element.get(w("font")) or "").lower():
        return ""
    if code in _WINGDINGS:
        return _WINGDINGS[code]
    return UNTICKED if code in _WINGDINGS_EMPTY else ""


def element_text(element: etree._Element) -> str:
    """Readable text of a cell, paragraph or content control; paragraphs end in newlines.

    Nested tables are flattened: cells separated by spaces, rows by newlines.
    """
    out: list[str] = []
    _collect(element, out)
    return "".join(out)


def _collect(element: etree._Element, out: list[str]) -> None:
    tag = element.tag
    if not isinstance(tag, str) or tag in _SKIP:
        return
    if tag == w("t"):
        out.append(element.text or "")
        return
    if tag in (w("tab"), w("ptab")):
        out.append(" ")
        return
    if tag in (w("br"), w("cr")):
        out.append("\n")
        return
    if tag == w("noBreakHyphen"):
        out.append("-")
        return
    if tag == w("sym"):
        out.append(_sym(element))
        return
    if tag == w("fldChar"):
        out.append(_legacy_checkbox(element))
        return
    if tag == w("sdt"):
        state = checkbox_state(element)
        if state is not None:
            out.append(f" {TICKED if state else UNTICKED} ")
            return
        if element.find(f"{w('sdtPr')}/{w('showingPlcHdr')}") is not None:
            return  # placeholder prompt ("Click or tap here to enter text."), not content
    for child in element:
        _collect(child, out)
    if tag in (w("p"), w("tr")):
        out.append("\n")
    elif tag == w("tc"):
        out.append(" ")
