"""Every DOCX the assistant writes (the periodic report, a citizen's đơn, the desk's printables),
built with python-docx in the layout of a Vietnamese administrative document (Nghị định
30/2020/NĐ-CP, Phụ lục I): A4, Times New Roman 13, quốc hiệu and tiêu ngữ at the top, the unit,
the title, real Word tables, a signature block and nơi nhận.

The whole API::

    doc = new_document(unit, title, subtitle="", place="", day=None, number="", landscape=False)
        # unit "" (a citizen's đơn): quốc hiệu centred, no issuing body on the left; a "\n" in
        # unit breaks the line ("Ủy ban nhân dân\nXã Minh Hòa"); number: the "Số: …" line under it
    add_paragraph(doc, text, bold=False, italic=False, align="justify")
    add_heading(doc, text)                      # a bold line opening a section
    add_table(doc, headers, rows, total=None)   # header row repeated on each page; ints right
    add_image(doc, png_bytes, width_cm=16.0)
    add_signature(doc, position, name, note="(Ký, ghi rõ họ tên)")
    add_recipients(doc, lines)                  # "Nơi nhận:" and one "- …;" per line
    data = to_bytes(doc)

python-docx is imported when a document is built, not when the assistant starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docx.document import Document
    from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
    from docx.text.paragraph import Paragraph

FONT = "Times New Roman"
BODY_PT = 13
TITLE_PT = 14
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def _align(name: str) -> WD_PARAGRAPH_ALIGNMENT:
    from docx.enum.text import WD_PARAGRAPH_ALIGNMENT

    return getattr(WD_PARAGRAPH_ALIGNMENT, name.upper())  # type: ignore[no-any-return]


def _font(run: object, size: float | None = None) -> None:
    """Times New Roman for every script slot (Word picks the East Asian one for some letters)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = run.font  # type: ignore[attr-defined]
    font.name = FONT
    if size is not None:
        font.size = Pt(size)
    properties = run.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = properties.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _line(
    container: object,
    text: str,
    *,
    bold: bool = False,
    italic: bool = False,
    underline: bool = False,
    align: str = "justify",
    size: float | None = None,
    after: float = 4,
) -> Paragraph:
    from docx.shared import Pt

    paragraph = container.add_paragraph()  # type: ignore[attr-defined]
    paragraph.alignment = _align(align)
    paragraph.paragraph_format.space_after = Pt(after)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    _font(run, size)
    return paragraph  # type: ignore[no-any-return]


def new_document(
    unit: str,
    title: str,
    subtitle: str = "",
    place: str = "",
    day: date | None = None,
    number: str = "",
    landscape: bool = False,
) -> Document:
    """A4 with the usual margins, the heading block, the place and date, the title. A register
    (many columns) is printed landscape."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = docx.Document()
    section = doc.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
        section.left_margin, section.right_margin = Cm(2), Cm(1.5)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Cm(21), Cm(29.7)
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.top_margin = section.bottom_margin = Cm(2)
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    rfonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    from docx.oxml.ns import qn

    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(slot), FONT)
    if unit:
        # The issuing body on the left, quốc hiệu and tiêu ngữ on the right, no borders.
        heading = doc.add_table(rows=1, cols=2)
        left, right = heading.rows[0].cells
        left.width, right.width = Cm(6.5), Cm(10)
        _fill(left, unit.upper(), bold=True, align="center", size=BODY_PT - 1)
        if number:
            _line(left, number, align="center", size=BODY_PT, after=0)
        _fill(right, NATION, bold=True, align="center", size=BODY_PT - 1)
        _line(right, MOTTO, bold=True, underline=True, align="center", size=TITLE_PT, after=0)
    else:
        _line(doc, NATION, bold=True, align="center", size=BODY_PT, after=0)
        _line(doc, MOTTO, bold=True, underline=True, align="center", size=TITLE_PT)
    if day is not None:
        where = f"{place}, " if place else ""
        dated = f"{where}ngày {day:%d} tháng {day:%m} năm {day:%Y}"
        _line(doc, dated, italic=True, align="right", after=12)
    _line(doc, title.upper(), bold=True, align="center", size=TITLE_PT, after=2)
    if subtitle:
        _line(doc, subtitle, bold=True, align="center", after=12)
    return doc


def _fill(cell: object, text: str, **style: object) -> None:
    """The first line of a table cell (a cell starts with an empty paragraph)."""
    from docx.shared import Pt

    paragraph = cell.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = _align(str(style.get("align", "left")))
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold = bool(style.get("bold", False))
    size = style.get("size")
    _font(run, float(size) if isinstance(size, int | float) else None)


def add_paragraph(
    doc: Document, text: str, bold: bool = False, italic: bool = False, align: str = "justify"
) -> None:
    _line(doc, text, bold=bold, italic=italic, align=align)


def add_heading(doc: Document, text: str) -> None:
    _line(doc, text, bold=True, align="left", after=2)


def add_table(
    doc: Document,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    total: Sequence[object] | None = None,
) -> None:
    """A real Word table with a bold header row Word repeats on each page; whole numbers are
    right-aligned; a total row, when given, is bold."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    table = doc.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    header = table.rows[0]
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    header._tr.get_or_add_trPr().append(marker)
    for cell, text in zip(header.cells, headers, strict=True):
        _fill(cell, text, bold=True, align="center", size=BODY_PT - 1)
    lines = [(row, False) for row in rows] + ([(total, True)] if total is not None else [])
    for values, bold in lines:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            number = isinstance(value, int | float) and not isinstance(value, bool)
            align = "right" if number else "left"
            _fill(cell, str(value), bold=bold, align=align, size=BODY_PT - 1)
    _line(doc, "", after=2)


def add_image(doc: Document, png: bytes, width_cm: float = 16.0) -> None:
    from docx.shared import Cm

    doc.add_picture(BytesIO(png), width=Cm(width_cm))
    doc.paragraphs[-1].alignment = _align("center")


def add_signature(
    doc: Document, position: str, name: str, note: str = "(Ký, ghi rõ họ tên)"
) -> None:
    _line(doc, "", after=6)
    _line(doc, position.upper(), bold=True, align="right", after=0)
    if note:
        _line(doc, note, italic=True, align="right", after=48)
    _line(doc, name, bold=True, align="right")


def add_recipients(doc: Document, lines: Sequence[str]) -> None:
    _line(doc, "Nơi nhận:", bold=True, italic=True, align="left", size=12, after=0)
    for number, line in enumerate(lines, start=1):
        end = "." if number == len(lines) else ";"
        _line(doc, f"- {line}{end}", align="left", size=11, after=0)


def to_bytes(doc: Document) -> bytes:
    out = BytesIO()
    doc.save(out)
    return out.getvalue()
