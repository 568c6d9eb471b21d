"""The 2C form as Word (.docx): read back with python-docx, it must carry the PDF's text in the
PDF's order, name Times New Roman for every script, repeat table header rows and mark drafts."""

from __future__ import annotations

import copy
import io
import re
import unicodedata

import docx
import pytest
from docx.oxml.ns import qn
from PIL import Image

from reports.docx_2c import render_docx
from reports.form_2c import DRAFT_MARK, ITEM_LABELS, SUB_ITEM_LABELS, TABLE_COLUMNS
from reports.pdf_2c import render_pdf
from tests.test_reports_pdf import (  # noqa: F401  (source: the module-scoped fixture)
    HOSTILE_NAME,
    HOSTILE_OTHER,
    body_text,
    snapshot_of,
    source,
    squeeze,
    work_rows,
)

W_TABLE = qn("w:tbl")
W_PARAGRAPH = qn("w:p")


def blocks(document: docx.document.Document) -> list[str]:
    """Every paragraph and every table cell of the body, in document order (nested tables too)."""
    out: list[str] = []

    def walk(element) -> None:  # type: ignore[no-untyped-def]
        for child in element.iterchildren():
            if child.tag == W_PARAGRAPH:
                out.append(docx.text.paragraph.Paragraph(child, document).text)
            elif child.tag == W_TABLE:
                for row in child.iterchildren(qn("w:tr")):
                    for cell in row.iterchildren(qn("w:tc")):
                        walk(cell)

    walk(document.element.body)
    return [clean(text) for text in out if clean(text)]


def clean(text: str) -> str:
    """What a reader sees: no zero-width break hints, tabs (dotted leaders) as spaces, NFC."""
    text = unicodedata.normalize("NFC", text.replace("\u200b", "").replace("\t", " ").replace("\xa0", " "))
    return re.sub(r"\s+", " ", text).strip()


def read(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


@pytest.fixture(scope="module")
def hue_docx(source) -> bytes:  # noqa: F811
    return render_docx(snapshot_of(source))


def test_labels_and_values_in_order(hue_docx):
    text = " ".join(blocks(read(hue_docx)))
    where = []
    for label in (*ITEM_LABELS, *SUB_ITEM_LABELS):
        found = [m.start() for m in re.finditer(r"(?<![\d.])" + re.escape(clean(label)), text)]
        assert len(found) == 1, label
        where.append(found[0])
    assert where[: len(ITEM_LABELS)] == sorted(where[: len(ITEM_LABELS)])
    for expected in (
        "Cơ quan quản lý cán bộ, công chức: UBND quận Ba Đình",
        "SƠ YẾU LÝ LỊCH",
        "1) Họ và tên khai sinh (viết chữ in hoa): NGUYỄN NGỌC HUỆ Giới tính: Nữ",
        "3) Sinh ngày: 04 tháng 04 năm 2000",
        "(tỉnh, TP): Huế",
        "Bậc lương: 2, Hệ số: 2,67, Ngày hưởng: 01/07/2025",
        "- Tiền lương: 98.000.000 đồng",
        "Tôi xin cam đoan những lời khai trên đây là đúng sự thật",
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
        "Nguyễn Ngọc Huệ",
    ):
        assert expected in text, expected
    assert "None" not in text


def test_same_text_in_the_same_order_as_the_pdf(source, hue_docx):  # noqa: F811
    """Each Word paragraph or cell appears in the PDF, in the same order (the PDF adds only its
    footers, which are removed, and the repeated table headers, which are skipped over)."""
    pdf = body_text(render_pdf(snapshot_of(source)))
    pdf = pdf.replace(".", "")
    position = 0
    for block in blocks(read(hue_docx)):
        piece = squeeze(block).replace(".", "")
        if not piece:
            continue
        found = pdf.find(piece, position)
        assert found >= 0, block
        position = found + len(piece)


def test_times_new_roman_for_every_script_and_a4(hue_docx):
    document = read(hue_docx)
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman"
    fonts = normal.element.rPr.find(qn("w:rFonts"))
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        assert fonts.get(qn(slot)) == "Times New Roman", slot
    assert normal.font.size.pt == 12
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    for margin in (section.left_margin, section.right_margin, section.top_margin, section.bottom_margin):
        assert round(margin.mm) == 20
    assert document.core_properties.title == "Sơ yếu lý lịch – Nguyễn Ngọc Huệ"


def test_tables_repeat_their_header_rows_and_rows_do_not_split(source):  # noqa: F811
    data = copy.deepcopy(source.official)
    data["rows"]["work_history"] = work_rows(60)
    document = read(render_docx(snapshot_of(source, data)))
    header = [c.header for c in TABLE_COLUMNS["33"]]
    tables = [t for t in document.tables if [clean(c.text) for c in t.rows[0].cells] == header]
    assert len(tables) == 1
    table = tables[0]
    assert len(table.rows) == 61
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in table.rows)
    assert [clean(table.rows[n].cells[2].text) for n in (1, 60)] == [
        "Đơn vị số 01, Phòng Tổ chức cán bộ, Sở Nội vụ thành phố Hà Nội",
        "Đơn vị số 60, Phòng Tổ chức cán bộ, Sở Nội vụ thành phố Hà Nội",
    ]
    # Every 2C table is there with its header, even the empty ones (one empty row).
    headers = [[clean(c.text) for c in t.rows[0].cells] for t in document.tables]
    for key, columns in TABLE_COLUMNS.items():
        assert [c.header for c in columns] in headers, key


def test_dotted_slot_is_a_right_tab_with_dot_leader(hue_docx):
    document = read(hue_docx)
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Mã số định danh:"))
    assert "\t" in paragraph.text
    stop = paragraph.paragraph_format.tab_stops[0]
    assert stop.alignment == docx.enum.text.WD_TAB_ALIGNMENT.RIGHT
    assert stop.leader == docx.enum.text.WD_TAB_LEADER.DOTS
    assert round(stop.position.mm) == 170


def _header_xml(document: docx.document.Document) -> str:
    return document.sections[0].header._element.xml


def test_draft_carries_the_watermark_and_the_footer_mark(source):  # noqa: F811
    draft = read(render_docx(snapshot_of(source, draft=True)))
    assert DRAFT_MARK in _header_xml(draft)
    footer = draft.sections[0].footer.paragraphs[0].text
    assert "Bản nháp – chưa xác nhận" in footer and "Trang" in footer
    official = read(render_docx(snapshot_of(source)))
    assert DRAFT_MARK not in _header_xml(official)
    footer = official.sections[0].footer.paragraphs[0].text
    assert f"Phiên bản {source.official_info.number}" in footer
    assert source.official_info.digest[:10] in footer
    assert "PAGE" in official.sections[0].footer._element.xml and "NUMPAGES" in official.sections[0].footer._element.xml


def test_hostile_text_is_written_as_text(source):  # noqa: F811
    data = copy.deepcopy(source.official)
    data.update(full_name=HOSTILE_NAME, other_names=HOSTILE_OTHER, main_duties="Dòng 1\nDòng 2 <w:p/>")
    document = read(render_docx(snapshot_of(source, data)))
    text = " ".join(blocks(document))
    assert "<B>LÊ</B> & CO" in text
    assert '&amp; <font size=80>TO</font> <para> "x"' in text  # the control character is dropped
    assert "Dòng 1 Dòng 2 <w:p/>" in text
    assert "\x07" not in document.element.xml


def test_photo_is_cropped_to_the_4x6_box(source):  # noqa: F811
    image = Image.new("RGB", (500, 500), (30, 120, 200))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    document = read(render_docx(snapshot_of(source, photo=buffer.getvalue())))
    shapes = document.inline_shapes
    assert len(shapes) == 1
    assert round(shapes[0].width.mm) == 40 and round(shapes[0].height.mm) == 60
    blob = shapes[0]._inline.graphic.graphicData.pic.blipFill.blip.embed
    part = document.part.related_parts[blob]
    with Image.open(io.BytesIO(part.blob)) as stored:
        assert abs(stored.width * 3 - stored.height * 2) <= 3  # centre-cropped, not stretched
    assert "Ảnh màu" not in " ".join(blocks(document))
