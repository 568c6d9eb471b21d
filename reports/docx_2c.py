"""The 2C form as a Word file (python-docx): `render_docx(snapshot) -> bytes`. Pure, like the PDF.

It draws the same document model as the PDF (reports/form_2c.py), so both files carry the same
text in the same order. Word lays the text out itself: runs name "Times New Roman" (LibreOffice
substitutes Liberation Serif, with the same metrics), a dotted slot at the end of a line is a right
tab with a dot leader, table header rows repeat on each page (`w:tblHeader`) and rows never split
(`w:cantSplit`). User text is written as text runs (python-docx escapes it), never as markup.
"""

from __future__ import annotations

import io
from typing import Any

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt
from docx.table import Table as DocxTable
from docx.table import _Cell
from docx.text.paragraph import Paragraph
from PIL import Image

from models.photo import crop_4x6
from reports.form_2c import (
    BODY_SIZE,
    DRAFT_MARK,
    EMPTY_ROW_MM,
    FOOTER_SIZE,
    LINE_HEIGHT,
    NBSP,
    PAGE_MARGIN_MM,
    PHOTO_CAPTION,
    PHOTO_GAP_MM,
    PHOTO_HEIGHT_MM,
    PHOTO_WIDTH_MM,
    SIGNATURE_SPACE_MM,
    SIGNATURE_SPLIT,
    TABLE_SIZE,
    TEXT_WIDTH_MM,
    Block,
    KeepWithSignature,
    Para,
    SignatureBlock,
    TableBlock,
    TopBlock,
    document_title,
    footer_text,
    form_2c,
)
from reports.snapshot import PrintSnapshot

FONT = "Times New Roman"
VML = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
CELL_PADDING_MM = 1.5
NARROW_COLUMN_MM = 20.0
ZWSP = "\u200b"
_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER, "right": WD_ALIGN_PARAGRAPH.RIGHT}


def _twips(value_mm: float) -> str:
    return str(round(value_mm / 25.4 * 1440))


# --- document set-up ------------------------------------------------------------------------------------


def _set_fonts(r_pr: Any) -> None:
    """Name Times New Roman for every script slot of a run-properties element (w:rPr), so that
    Vietnamese (and East Asian / complex-script runs) never fall back to the template's theme font."""
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    lang = r_pr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        r_pr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def _setup(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    margin = Mm(PAGE_MARGIN_MM)
    section.left_margin = section.right_margin = section.top_margin = section.bottom_margin = margin
    section.footer_distance = Mm(PAGE_MARGIN_MM / 2)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    _set_fonts(normal.element.get_or_add_rPr())
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    fmt.line_spacing = LINE_HEIGHT
    # Document defaults too: footers and anything without a style must not pick up the theme font.
    r_pr_default = document.styles.element.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if r_pr_default is not None:
        _set_fonts(r_pr_default)


# --- paragraphs -----------------------------------------------------------------------------------------


def _para(paragraph: Paragraph, para: Para, width_mm: float) -> Paragraph:
    fmt = paragraph.paragraph_format
    fmt.alignment = _ALIGN[para.align]
    fmt.space_after = Pt(para.space_after)
    if para.space_before:
        fmt.space_before = Pt(para.space_before)
    if para.keep_with_next:
        fmt.keep_with_next = True
    fill_added = False
    for run in para.runs:
        if run.fill:
            if not fill_added:
                fmt.tab_stops.add_tab_stop(Mm(width_mm), WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.DOTS)
                fill_added = True
            # The zero-width space after the tab: LibreOffice draws no leader for a tab that ends a
            # paragraph inside a table cell. Word draws it either way.
            text = "\t" + ZWSP
        else:
            text = run.text.replace(NBSP, " ")
        r = paragraph.add_run(text)
        if "b" in run.style:
            r.bold = True
        if "i" in run.style:
            r.italic = True
        if para.size != BODY_SIZE:
            r.font.size = Pt(para.size)
    return paragraph


# --- tables ---------------------------------------------------------------------------------------------


def _table_properties(table: DocxTable, widths_mm: list[float], *, borders: bool) -> None:
    """Fixed layout with exact column widths, cell padding, and borders or none."""
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), _twips(sum(widths_mm)))
    width.set(qn("w:type"), "dxa")
    for old in tbl_pr.findall(qn("w:tblW")):
        tbl_pr.remove(old)
    tbl_pr.append(width)
    pad = _twips(CELL_PADDING_MM) if borders else "0"
    tbl_pr.append(
        parse_xml(
            f'<w:tblCellMar {nsdecls("w")}><w:top w:w="{pad}" w:type="dxa"/><w:left w:w="{pad}" w:type="dxa"/>'
            f'<w:bottom w:w="{pad}" w:type="dxa"/><w:right w:w="{pad}" w:type="dxa"/></w:tblCellMar>'
        )
    )
    edge = 'w:val="single" w:sz="4" w:space="0" w:color="000000"' if borders else 'w:val="nil"'
    tbl_pr.append(
        parse_xml(
            f"<w:tblBorders {nsdecls('w')}><w:top {edge}/><w:left {edge}/><w:bottom {edge}/><w:right {edge}/>"
            f"<w:insideH {edge}/><w:insideV {edge}/></w:tblBorders>"
        )
    )
    grid = tbl.tblGrid
    for col, width_mm in zip(grid.findall(qn("w:gridCol")), widths_mm, strict=False):
        col.set(qn("w:w"), _twips(width_mm))


def _row_flags(row: Any, *, header: bool = False, height_mm: float | None = None, exact: bool = False) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))
    if height_mm is not None:
        row.height = Mm(height_mm)
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST


def _cell_text(cell: _Cell, text: str, width_mm: float, *, bold: bool, align: str) -> None:
    """One cell's text. In headers and narrow (date) columns a zero-width space after each "/" lets
    Word break "tháng/năm" or "01/09/2015" there, as the PDF does, instead of inside a word."""
    cell.width = Mm(width_mm)
    if bold or width_mm <= NARROW_COLUMN_MM:
        text = text.replace("/", "/" + ZWSP)
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.alignment = _ALIGN[align]
    paragraph.paragraph_format.space_after = Pt(0)
    if text:
        run = paragraph.add_run(text)
        run.font.size = Pt(TABLE_SIZE)
        if bold:
            run.bold = True


def _grid_table(document: Any, block: TableBlock) -> None:
    widths = [c.width_mm for c in block.columns]
    rows = block.rows or (("",) * len(widths),)
    table = document.add_table(rows=1 + len(rows), cols=len(widths))
    _table_properties(table, widths, borders=True)
    all_rows = table.rows
    header = all_rows[0]
    _row_flags(header, header=True)
    for cell, column in zip(header.cells, block.columns, strict=True):
        _cell_text(cell, column.header, column.width_mm, bold=True, align="center")
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    for row, values in zip(all_rows[1:], rows, strict=True):
        _row_flags(row, height_mm=EMPTY_ROW_MM if not block.rows else None)
        for cell, column, value in zip(row.cells, block.columns, values, strict=True):
            _cell_text(cell, value, column.width_mm, bold=False, align=column.align)
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.TOP
    # A small gap after the table, as in the PDF.
    gap = document.add_paragraph()
    gap.paragraph_format.space_after = Pt(0)
    gap.paragraph_format.line_spacing = Pt(3)


def _photo(cell: _Cell, photo: bytes | None) -> None:
    """The 40 x 60 mm photo (centre-cropped to 4:6 if needed), else a bordered "Ảnh màu" box."""
    cell.width = Mm(PHOTO_WIDTH_MM)
    picture = _photo_4x6(photo)
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if picture is not None:
        paragraph.add_run().add_picture(picture, width=Mm(PHOTO_WIDTH_MM), height=Mm(PHOTO_HEIGHT_MM))
        return
    box = cell.add_table(rows=1, cols=1)
    _table_properties(box, [PHOTO_WIDTH_MM], borders=True)
    _row_flags(box.rows[0], height_mm=PHOTO_HEIGHT_MM, exact=True)
    inner = box.rows[0].cells[0]
    inner.width = Mm(PHOTO_WIDTH_MM)
    inner.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    first = inner.paragraphs[0]
    first.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    first.paragraph_format.space_after = Pt(0)
    first.add_run(PHOTO_CAPTION[0]).bold = True
    second = inner.add_paragraph()
    second.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    second.add_run(PHOTO_CAPTION[1])
    # add_table put the box after the cell's first (empty) paragraph and an empty one after it, as
    # Word requires; drop the first so the box sits at the top of the cell.
    cell._tc.remove(paragraph._p)


def _photo_4x6(photo: bytes | None) -> io.BytesIO | None:
    if not photo:
        return None
    try:
        with Image.open(io.BytesIO(photo)) as image:
            width, height = image.size
            if abs(width * 3 - height * 2) <= 3 and image.format in ("JPEG", "PNG"):
                return io.BytesIO(photo)  # stored photos are already 4:6 (models.photo)
            out = io.BytesIO()
            crop_4x6(image.convert("RGB")).save(out, format="JPEG", quality=90)
            out.seek(0)
            return out
    except Exception:  # an unreadable photo leaves the empty box, it never stops the print
        return None


def _top(document: Any, block: TopBlock) -> None:
    right_mm = TEXT_WIDTH_MM - PHOTO_WIDTH_MM - PHOTO_GAP_MM
    widths = [PHOTO_WIDTH_MM, PHOTO_GAP_MM, right_mm]
    table = document.add_table(rows=1, cols=3)
    _table_properties(table, widths, borders=False)
    photo_cell, gap_cell, right = table.rows[0].cells
    _photo(photo_cell, block.photo)
    gap_cell.width = Mm(PHOTO_GAP_MM)
    right.width = Mm(right_mm)
    first = True
    for para in block.right:
        paragraph = right.paragraphs[0] if first else right.add_paragraph()
        first = False
        _para(paragraph, para, right_mm - 2)
    document.add_paragraph().paragraph_format.space_after = Pt(3)


def _signature(document: Any, block: SignatureBlock) -> None:
    widths = [TEXT_WIDTH_MM * f for f in SIGNATURE_SPLIT]
    table = document.add_table(rows=len(block.rows), cols=2)
    _table_properties(table, widths, borders=False)
    for number, (row, (left, right)) in enumerate(zip(table.rows, block.rows, strict=True)):
        _row_flags(row, height_mm=SIGNATURE_SPACE_MM if number == block.space_row else None)
        last = number == len(block.rows) - 1
        for cell, para, width in zip(row.cells, (left, right), widths, strict=True):
            cell.width = Mm(width)
            paragraph = _para(cell.paragraphs[0], para, width)
            # Word keeps table rows together through "keep with next" on their paragraphs.
            paragraph.paragraph_format.keep_with_next = not last


# --- footer and watermark ---------------------------------------------------------------------------------


def _field(paragraph: Paragraph, code: str, size: float) -> None:
    run = paragraph.add_run()
    run.font.size = Pt(size)
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="begin"/>'))
    instr = parse_xml(f'<w:instrText {nsdecls("w")} xml:space="preserve"> {code} </w:instrText>')
    run._r.append(instr)
    run._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="separate"/>'))
    value = paragraph.add_run("1")
    value.font.size = Pt(size)
    end = paragraph.add_run()
    end._r.append(parse_xml(f'<w:fldChar {nsdecls("w")} w:fldCharType="end"/>'))


def _footer(document: Any, snapshot: PrintSnapshot) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run(f"{footer_text(snapshot)} · Trang ").font.size = Pt(FOOTER_SIZE)
    _field(paragraph, "PAGE", FOOTER_SIZE)
    paragraph.add_run("/").font.size = Pt(FOOTER_SIZE)
    _field(paragraph, "NUMPAGES", FOOTER_SIZE)


# Word's WordArt text-path shape type, declared in the part as Word itself writes it; LibreOffice
# needs the declaration, and recognises the "PowerPlusWaterMarkObject" name as a watermark.
_TEXT_PATH_TYPE = (
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e">'
    "<v:formulas>"
    '<v:f eqn="sum #0 0 10800"/><v:f eqn="prod #0 2 1"/><v:f eqn="sum 21600 0 @1"/>'
    '<v:f eqn="sum 0 0 @2"/><v:f eqn="sum 21600 0 @3"/><v:f eqn="if @0 @3 0"/>'
    '<v:f eqn="if @0 21600 @1"/><v:f eqn="if @0 0 @2"/><v:f eqn="if @0 @4 21600"/>'
    '<v:f eqn="mid @5 @6"/><v:f eqn="mid @8 @5"/><v:f eqn="mid @7 @8"/>'
    '<v:f eqn="mid @6 @7"/><v:f eqn="sum @6 0 @5"/>'
    "</v:formulas>"
    '<v:path textpathok="t" o:connecttype="custom" '
    'o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" o:connectangles="270,180,90,0"/>'
    '<v:textpath on="t" fitshape="t"/>'
    '<v:handles><v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles>'
    '<o:lock v:ext="edit" text="t" shapetype="t"/>'
    "</v:shapetype>"
)


def _watermark(document: Any) -> None:
    """Word's own watermark (a VML text path in the page header): grey, diagonal, on every page."""
    header = document.sections[0].header
    paragraph = header.paragraphs[0]
    run = paragraph.add_run()
    shape = (
        f'<w:pict {nsdecls("w")} xmlns:v="{VML}" xmlns:o="{OFFICE}">'
        + _TEXT_PATH_TYPE
        + '<v:shape id="PowerPlusWaterMarkObject1" o:spid="_x0000_s2049" type="#_x0000_t136" '
        'style="position:absolute;margin-left:0;margin-top:0;width:470pt;height:52pt;rotation:305;'
        "z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        'mso-position-vertical:center;mso-position-vertical-relative:margin" '
        'o:allowincell="f" fillcolor="#d1d1d1" stroked="f">'
        '<v:fill opacity=".6"/>'
        f'<v:textpath style="font-family:&quot;{FONT}&quot;;font-size:1pt;font-weight:bold" string="{DRAFT_MARK}"/>'
        "</v:shape></w:pict>"
    )
    run._r.append(parse_xml(shape))


# --- the document -------------------------------------------------------------------------------------------


def _blocks(document: Any, blocks: list[Block]) -> None:
    for block in blocks:
        if isinstance(block, Para):
            _para(document.add_paragraph(), block, TEXT_WIDTH_MM)
        elif isinstance(block, TableBlock):
            _grid_table(document, block)
        elif isinstance(block, TopBlock):
            _top(document, block)
        elif isinstance(block, KeepWithSignature):
            for para in block.paras:
                paragraph = _para(document.add_paragraph(), para, TEXT_WIDTH_MM)
                paragraph.paragraph_format.keep_with_next = True
        elif isinstance(block, SignatureBlock):
            _signature(document, block)


def render_docx(snapshot: PrintSnapshot) -> bytes:
    """The complete 2C form of one snapshot as .docx bytes."""
    document = Document()
    _setup(document)
    properties = document.core_properties
    properties.title = document_title(snapshot)
    properties.author = ""
    properties.last_modified_by = ""
    properties.comments = footer_text(snapshot)
    # Drop the template's empty first paragraph so the form starts at the top.
    body = document.element.body
    for paragraph in list(body.iterchildren(qn("w:p"))):
        body.remove(paragraph)
    _blocks(document, form_2c(snapshot))
    _footer(document, snapshot)
    if snapshot.version.is_draft:
        _watermark(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
