"""Word styles and run formatting: which paragraphs are headings, which text is bold.

Read from the XML (styles part and run properties) because python-docx reports
inherited formatting as None; used by the DOCX reader only.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from pipeline.extract.markup.docx_text import w
from pipeline.extract.markup.stacked import label_line


@dataclass(frozen=True, slots=True)
class ParagraphStyle:
    """Heading level (from the style name or outline level) and boldness of a style."""

    level: int | None
    bold: bool


NO_STYLE = ParagraphStyle(None, False)


def paragraph_styles(styles_element: etree._Element) -> dict[str, ParagraphStyle]:
    """Style id -> heading level and boldness, following base styles.

    Args:
        styles_element: the root of word/styles.xml.
    """
    raw: dict[str, tuple[str, int | None, bool | None, str | None]] = {}
    for style in styles_element.findall(w("style")):
        style_id = style.get(w("styleId")) or ""
        name_el = style.find(w("name"))
        name = (name_el.get(w("val")) if name_el is not None else "") or ""
        outline = style.find(f"{w('pPr')}/{w('outlineLvl')}")
        level = _name_level(name)
        if level is None and outline is not None:
            value = outline.get(w("val"), "9")
            level = int(value) + 1 if value.isdigit() and int(value) < 9 else None
        bold_el = style.find(f"{w('rPr')}/{w('b')}")
        bold = None if bold_el is None else bold_el.get(w("val"), "1") not in ("0", "false")
        based = style.find(w("basedOn"))
        raw[style_id] = (name, level, bold, None if based is None else based.get(w("val")))

    def resolve(style_id: str, depth: int = 0) -> ParagraphStyle:
        _name, level, bold, based = raw.get(style_id, ("", None, None, None))
        if based and depth < 10 and (level is None or bold is None):
            parent = resolve(based, depth + 1)
            level = level if level is not None else parent.level
            bold = bold if bold is not None else parent.bold
        return ParagraphStyle(level, bool(bold))

    return {style_id: resolve(style_id) for style_id in raw}


def _name_level(name: str) -> int | None:
    lowered = name.lower()
    if lowered.startswith("heading ") and lowered[8:].strip().isdigit():
        return int(lowered[8:].strip())
    return None


def paragraph_style(p: etree._Element, styles: dict[str, ParagraphStyle]) -> ParagraphStyle:
    """The paragraph's style, with a direct outline level (w:outlineLvl) taking precedence."""
    style = styles.get(_pstyle(p), NO_STYLE)
    outline = p.find(f"{w('pPr')}/{w('outlineLvl')}")
    value = outline.get(w("val"), "9") if outline is not None else "9"
    if value.isdigit() and int(value) < 9:
        return ParagraphStyle(int(value) + 1, style.bold)
    return style


def _pstyle(p: etree._Element) -> str:
    style = p.find(f"{w('pPr')}/{w('pStyle')}")
    return (style.get(w("val")) if style is not None else None) or "Normal"


def all_bold(p: etree._Element, style_bold: bool) -> bool:
    """Every run with text is bold (directly or through the paragraph style)."""
    runs = [r for r in p.iter(w("r")) if r.find(w("t")) is not None and _run_text(r).strip()]
    if not runs:
        return False
    return all(_run_bold(run, style_bold) for run in runs)


def bold_label_line(p: etree._Element, style_bold: bool) -> str | None:
    """ "Compliance: Yes" for a paragraph that starts with a bold label ("**Compliance** Yes")."""
    runs = [r for r in p.iter(w("r")) if _run_text(r)]
    bold_runs = 0
    for run in runs:
        if not _run_bold(run, style_bold):
            break
        bold_runs += 1
    if bold_runs in (0, len(runs)):
        return None
    label = "".join(_run_text(r) for r in runs[:bold_runs])
    return label_line(label, "".join(_run_text(r) for r in runs[bold_runs:]))


def _run_bold(run: etree._Element, style_bold: bool) -> bool:
    bold = run.find(f"{w('rPr')}/{w('b')}")
    if bold is None:
        return style_bold
    return bold.get(w("val"), "1").lower() not in ("0", "false", "off")


def _run_text(run: etree._Element) -> str:
    return "".join(t.text or "" for t in run.iter(w("t")))
