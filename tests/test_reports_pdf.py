"""The 2C form as PDF: the print snapshot (values resolved to printed text) and the ReportLab layout.

Huệ's seeded profile is the main subject: her confirmed version and her draft are taken from a
seeded database once per module, then every test renders plain data (reports are pure functions).
The PDF is read back with pypdf, so each check is about what a reader of the paper would see.
"""

from __future__ import annotations

import copy
import io
import re
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import pypdf
import pytest
from PIL import Image
from sqlalchemy import select

from app import create_app
from demo.seed import seed_demo_data
from extensions import db
from models.org import OrgUnit
from models.profile import Profile
from models.refs import RefLookup
from models.snapshot import digest, profile_data, profile_load_options
from models.user import User
from models.workflow import official_version
from reports import fonts
from reports.form_2c import CAPTIONS, EMPTY_DATE, ITEM_LABELS, SUB_ITEM_LABELS, TABLE_COLUMNS, file_name
from reports.pdf_2c import render_pdf
from reports.snapshot import (
    PrintSnapshot,
    UnitDirectory,
    VersionInfo,
    build_snapshot,
    draft_version_info,
    format_dec,
    format_int,
    format_percent,
    official_version_info,
)
from tests.conftest import IS_POSTGRES, TEST_DATABASE_URL, _truncate_all, base_config

HUE_CCCD = "001300012345"
PAGE_WIDTH = 595.27
MARGIN = 56.69  # 20 mm


@dataclass(frozen=True)
class Source:
    """Plain data taken from the seeded database: what the print routes hand to the renderers."""

    profile_id: int
    official: dict[str, Any]
    official_info: VersionInfo
    draft: dict[str, Any]
    refs: RefLookup
    units: UnitDirectory


@pytest.fixture(scope="module")
def source(template_db: str, tmp_path_factory: pytest.TempPathFactory) -> Source:
    instance = tmp_path_factory.mktemp("reports")
    if IS_POSTGRES:
        url = TEST_DATABASE_URL
    else:
        path = Path(instance) / "test.db"
        shutil.copyfile(template_db, path)
        url = f"sqlite:///{path}"
    app = create_app(base_config(url, Path(instance)))
    with app.app_context():
        seed_demo_data(db.session)
        db.session.commit()
        stmt = select(Profile).join(User, Profile.owner_id == User.id).where(User.cccd == HUE_CCCD)
        profile = db.session.scalar(stmt.options(*profile_load_options()))
        version = official_version(db.session, profile.id)
        assert version is not None
        units = db.session.execute(select(OrgUnit.id, OrgUnit.name, OrgUnit.kind, OrgUnit.parent_id)).all()
        result = Source(
            profile_id=profile.id,
            official=copy.deepcopy(version.data),
            official_info=official_version_info(version.number, version.confirmed_at, version.digest),
            draft=profile_data(profile),
            refs=RefLookup.load(db.session),
            units=UnitDirectory.from_rows(tuple(row) for row in units),
        )
        db.session.remove()
        db.engine.dispose()
    if IS_POSTGRES:
        _truncate_all(url)
    return result


def snapshot_of(source: Source, data: dict[str, Any] | None = None, *, draft: bool = False, **kwargs) -> PrintSnapshot:
    if data is None:
        data = source.draft if draft else source.official
    info = draft_version_info(data) if draft else source.official_info
    return build_snapshot(data, source.refs, source.units, info, profile_id=source.profile_id, **kwargs)


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


FOOTER = re.compile(r"(Phiên bản \d+|Bản nháp – chưa xác nhận) · .*? · Trang \d+/\d+")


def body_text(pdf: bytes) -> str:
    """The text of all pages without their footers (drawn last on each page), whitespace removed:
    what continues from one page to the next reads as one piece."""
    pages = [FOOTER.sub("", flat(page)) for page in pdf_pages(pdf)]
    return squeeze(" ".join(pages))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def flat(text: str) -> str:
    """Whitespace collapsed: line breaks of the layout do not matter to a reader."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def pdf_text(pdf: bytes) -> str:
    return flat(" ".join(pdf_pages(pdf)))


def positions(text: str, label: str) -> list[int]:
    """Where `label` starts a numbered item (not inside "21)" when looking for "1)")."""
    return [m.start() for m in re.finditer(r"(?<![\d.])" + re.escape(flat(label)), text)]


# --- the snapshot -----------------------------------------------------------------------------------


def test_numbers_print_the_vietnamese_way():
    assert format_dec("3.66") == "3,66"
    assert format_dec("0.2") == "0,20"
    assert format_dec("60.50", None) == "60,5"
    assert format_dec("160.00", None) == "160"
    assert format_int(4680000) == "4.680.000"
    assert format_percent("25.00") == "25%"
    assert format_percent(100) == "100%"
    assert format_int(None) == "" and format_dec("") == "" and format_percent(None) == ""


def test_hue_snapshot_values(source):
    s = snapshot_of(source)
    v = s.values
    assert v["full_name_upper"] == "NGUYỄN NGỌC HUỆ"
    assert v["sex"] == "Nữ"
    assert v["birth_date"] == "04 tháng 04 năm 2000"
    assert v["birth_place"] == "phường Ngọc Hà, Thành phố Hà Nội"
    # No commune: the old xã/huyện/tỉnh takes the first slot; the province slot is today's short name.
    assert v["hometown_commune"] == "xã Quảng Thành, huyện Quảng Điền, tỉnh Thừa Thiên Huế"
    assert v["hometown_province"] == "Huế"
    assert v["religion"] == "Không"
    assert v["first_org_joined_on"] == "26/03/2015"
    assert v["first_org"] == " (Đoàn Thanh niên Cộng sản Hồ Chí Minh)"
    assert v["highest_qualification"] == "Đại học, chuyên ngành Luật"
    assert v["salary_coefficient"] == "2,67"
    assert v["salary_percent"] == "100%"
    assert v["salary_income"] == "98.000.000 đồng"
    assert v["managing_agency"] == v["using_unit"] == "UBND quận Ba Đình"
    assert v["staff_noun"] == "cán bộ, công chức"
    assert s.tables["33"][-1][:2] == ("07/2023", "nay")
    assert [row[0] for row in s.tables["36.1"]] == ["Cha", "Mẹ", "Anh ruột", "Em ruột"]
    assert s.tables["36.1"][0][3].endswith("Đảng viên Đảng Cộng sản Việt Nam.")
    assert s.tables["35.1"][-1][3] == "Giấy khen (Chủ tịch UBND quận Ba Đình, QĐ số 1520/QĐ-UBND ngày 25/12/2024)"
    assert s.tables["37.2"][0][3] == "25%" and s.tables["37.2"][1][4] == "0,10"
    assert s.houses["tu_mua_xay"] == (
        ("Nhà ở riêng lẻ 4 tầng (nhà của bố mẹ)", "160", "Đã được cấp Giấy chứng nhận (đứng tên bố)"),
    )
    assert s.houses["duoc_cap_thue"] == ()
    assert s.version.short_hash == source.official_info.digest[:10] and len(s.version.short_hash) == 10
    assert file_name(s, "pdf") == f"SYLL-2C_NGUYEN-NGOC-HUE_{s.version.confirmed_on:%Y%m%d}.pdf"


def test_draft_hash_is_the_digest_of_the_printed_data(source):
    s = snapshot_of(source, draft=True)
    assert s.version.is_draft and s.version.number is None
    assert s.version.short_hash == digest(source.draft)[:10]


def test_open_periods_and_row_order(source):
    data = copy.deepcopy(source.official)
    row = {"from_date": "1974-01-01", "from_date_precision": "year", "to_date": None, "to_date_precision": None}
    data["rows"]["old_regime_work"] = [dict(row, id=1, description="Thư ký")]
    data["rows"]["disciplines"] = [dict(row, id=2, scope="dang", form="khien_trach", violation="V", decided_by="C")]
    data["rows"]["foreign_organizations"] = [dict(row, id=3, description="Hội")]
    later = {"from_date": "2021-05-01", "from_date_precision": "month", "to_date": None, "sort_order": 0}
    earlier = {"from_date": "2019-05-01", "from_date_precision": "month", "to_date": "2020-01-01"}
    data["rows"]["work_history"] = [
        dict(later, id=10, unit="B", title=""),
        dict(earlier, id=11, unit="A", title="", to_date_precision="day", sort_order=0),
    ]
    s = snapshot_of(source, data)
    assert s.tables["34.2"][0][:2] == ("1974", "")  # 34.2 and 35.2 print nothing for an open end
    assert s.tables["35.2"][0][:3] == ("1974", "", "Khiển trách (Đảng)")
    assert s.tables["34.3"][0][:2] == ("1974", "nay")
    assert [r[2] for r in s.tables["33"]] == ["A", "B"]
    assert s.tables["33"][0][:2] == ("05/2019", "01/01/2020")


def test_titles_family_order_and_lists(source):
    data = copy.deepcopy(source.official)
    data.update(academic_title="pgs", academic_title_year=2019, policy_groups=["thuong_binh_1_4", "thuong_binh_2_4"])
    data["rows"]["state_titles"] = [
        {"id": 2, "title": "anh_hung_lao_dong", "year": 2020},
        {"id": 1, "title": "ba_me_vnah", "year": 2015},
    ]
    base = {"side": "ban_than", "hometown": "", "occupation": "", "residence": ""}
    data["rows"]["family_members"] = [
        dict(base, id=1, relation="em_ruot", full_name="Em", birth_year=2005),
        dict(base, id=2, relation="con", full_name="Con hai", birth_year=2024),
        dict(base, id=3, relation="con", full_name="Con một", birth_year=2021, death_year=2022),
        dict(base, id=4, relation="chong", full_name="Chồng", birth_year=1998, occupation="Kỹ sư"),
        dict(base, id=5, relation="me", full_name="Mẹ", birth_year=1972),
        dict(base, id=6, relation="cha_vo", side="ben_vo_chong", full_name="Bố chồng", birth_year=1960),
    ]
    s = snapshot_of(source, data)
    assert s.value("academic_title") == "Phó Giáo sư (2019)"
    assert s.value("state_titles") == "Bà mẹ Việt Nam anh hùng (2015); Anh hùng Lao động (2020)"
    assert s.value("policy_groups") == "Thương binh hạng 1/4; Thương binh hạng 2/4"
    assert [r[1] for r in s.tables["36.1"]] == ["Mẹ", "Chồng", "Con một", "Con hai", "Em"]
    assert s.tables["36.1"][1][3] == "Nghề nghiệp: Kỹ sư."
    assert s.tables["36.1"][2][3] == "Đã mất năm 2022."
    assert [r[1] for r in s.tables["36.2"]] == ["Bố chồng"]


def test_non_member_party_dates_are_dotted(source):
    data = dict(source.official, is_party_member=False)
    s = snapshot_of(source, data)
    assert s.value("party_joined_on") == s.value("party_official_on") == ""


# --- the PDF --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hue_pdf(source) -> bytes:
    return render_pdf(snapshot_of(source))


def test_labels_1_to_38_in_order_each_once(hue_pdf):
    text = pdf_text(hue_pdf)
    assert text.count("SƠ YẾU LÝ LỊCH") == 1
    found = []
    for label in ITEM_LABELS:
        where = positions(text, label)
        assert len(where) == 1, (label, len(where))
        found.append(where[0])
    assert found == sorted(found)
    sub = [positions(text, label) for label in SUB_ITEM_LABELS]
    assert all(len(p) == 1 for p in sub), [label for label, p in zip(SUB_ITEM_LABELS, sub, strict=True) if len(p) != 1]
    assert [p[0] for p in sub] == sorted(p[0] for p in sub)


def test_header_and_signature_blocks(hue_pdf):
    pages = pdf_pages(hue_pdf)
    first = flat(pages[0])
    assert first.startswith("Cơ quan quản lý cán bộ, công chức: UBND quận Ba Đình")
    assert "Đơn vị sử dụng cán bộ, công chức: UBND quận Ba Đình" in first
    assert "Số hiệu: BĐ-2022-0147" in first
    assert "Mã số định danh: ....." in first  # no bnv_identifier yet: dotted to the margin
    assert "Ảnh màu (4 x 6 cm)" in first
    last = flat(pages[-1])
    for text in (
        "Người khai",
        "Tôi xin cam đoan những lời khai trên đây là đúng sự thật",
        "(Ký tên, ghi rõ họ tên)",
        ".................... , Ngày ...... tháng ...... năm 20......".replace(" ,", ","),
        "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ",
        "(Ký tên, đóng dấu)",
        "Nguyễn Ngọc Huệ",
    ):
        assert text in last, text


def test_hue_values_print_exactly(hue_pdf):
    text = pdf_text(hue_pdf)
    for expected in (
        "1) Họ và tên khai sinh (viết chữ in hoa): NGUYỄN NGỌC HUỆ Giới tính: Nữ",
        "3) Sinh ngày: 04 tháng 04 năm 2000",
        "4) Nơi sinh: phường Ngọc Hà, Thành phố Hà Nội",
        "tỉnh Thừa Thiên Huế (tỉnh, TP): Huế",
        "7) Tôn giáo: Không",
        "8) Số CCCD: 001300012345 Ngày cấp: 10/05/2021 SĐT liên hệ: 0912460404",
        "10) Nơi ở hiện nay: Số 12, ngõ 120 phố Hoàng Hoa Thám, phường Ngọc Hà, Thành phố Hà Nội",
        "26/03/2015 (Đoàn Thanh niên Cộng sản Hồ Chí Minh)",
        "17) Ngày nhập ngũ: ......./......./...........",
        "20) Trình độ chuyên môn cao nhất: Đại học, chuyên ngành Luật",
        "25) Chức vụ kiêm nhiệm: Bí thư Chi đoàn Văn phòng HĐND và UBND quận Ba Đình",
        "30.1) Ngạch/chức danh nghề nghiệp: Chuyên viên Mã số: 01.003",
        "Bậc lương: 2, Hệ số: 2,67, Ngày hưởng: 01/07/2025",
        "Phần trăm hưởng: 100%; Phụ cấp thâm niên vượt khung: ......%;",
        "Chiều cao: 158 cm, Cân nặng: 48 kg, Nhóm máu: O",
        "07/2023 nay Văn phòng HĐND và UBND quận Ba Đình, TP Hà Nội Chuyên viên",
        "- Tiền lương: 98.000.000 đồng",
        "tổng diện tích sử dụng: 160 m2.",
        "+ Đất tự mua: 45 m2.",
        "Nhận xét, đánh giá: Đồng chí Nguyễn Ngọc Huệ có phẩm chất chính trị vững vàng",
    ):
        assert expected in text, expected
    assert "None" not in text
    assert "Bản nháp" not in text and "BẢN NHÁP" not in text


def test_footer_on_every_page(source, hue_pdf):
    pages = pdf_pages(hue_pdf)
    info = source.official_info
    assert 3 <= len(pages) <= 8
    for number, page in enumerate(pages, start=1):
        footer = flat(page)
        assert f"Phiên bản {info.number}" in footer
        assert f"Xác nhận ngày {info.confirmed_on:%d/%m/%Y}" in footer
        assert f"Mã kiểm tra {info.digest[:10]}" in footer
        assert f"Trang {number}/{len(pages)}" in footer


def test_draft_is_marked_on_every_page(source):
    snapshot = snapshot_of(source, draft=True)
    pages = pdf_pages(render_pdf(snapshot))
    for page in pages:
        text = flat(page)
        assert "BẢN NHÁP – CHƯA XÁC NHẬN" in text  # the diagonal watermark
        assert "Bản nháp – chưa xác nhận" in text  # the footer
        assert f"Mã kiểm tra {snapshot.version.short_hash}" in text
        assert "Phiên bản" not in text


def test_only_the_vendored_family_is_embedded(hue_pdf):
    reader = pypdf.PdfReader(io.BytesIO(hue_pdf))
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    assert names and all("LiberationSerif" in name for name in names), names
    assert any(name.endswith("LiberationSerif-Bold") for name in names)
    assert reader.metadata.title == "Sơ yếu lý lịch – Nguyễn Ngọc Huệ"


def test_empty_profile_prints_every_label_and_dotted_slots(source):
    data = {"full_name": "Trần Văn An", "rows": {}}
    pdf = render_pdf(snapshot_of(source, data))
    text = pdf_text(pdf)
    for label in (*ITEM_LABELS, *SUB_ITEM_LABELS):
        assert len(positions(text, label)) == 1, label
    assert "3) Sinh ngày: ...... tháng ...... năm .........." in text
    assert f"14) Ngày vào cơ quan hiện đang công tác: {EMPTY_DATE}" in text
    assert "Phần trăm hưởng: ......%" in text
    assert "6) Dân tộc: ....." in text
    assert "Cơ quan quản lý cán bộ, công chức: ....." in text
    # Every table still has its header row (and one empty row).
    body = body_text(pdf)
    for key, columns in TABLE_COLUMNS.items():
        assert squeeze(" ".join(c.header for c in columns)) in body, key
    assert text.count("Nhận xét, đánh giá:") == 1
    assert "None" not in text and " 0 " not in text
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) <= 6


def test_nfd_name_prints_as_nfc(source):
    nfc = dict(source.official, full_name="Nguyễn Ngọc Huệ")
    nfd = dict(source.official, full_name=unicodedata.normalize("NFD", "Nguyễn Ngọc Huệ"))
    assert pdf_text(render_pdf(snapshot_of(source, nfd))) == pdf_text(render_pdf(snapshot_of(source, nfc)))


def work_rows(count: int) -> list[dict[str, Any]]:
    return [
        {
            "id": n,
            "sort_order": n,
            "from_date": f"{1990 + n // 12:04d}-{n % 12 + 1:02d}-01",
            "from_date_precision": "month",
            "to_date": f"{1990 + (n + 1) // 12:04d}-{(n + 1) % 12 + 1:02d}-01",
            "to_date_precision": "month",
            "unit": f"Đơn vị số {n:02d}, Phòng Tổ chức cán bộ, Sở Nội vụ thành phố Hà Nội",
            "title": "Chuyên viên",
        }
        for n in range(1, count + 1)
    ]


def test_long_table_repeats_its_header_on_the_next_page(source):
    data = copy.deepcopy(source.official)
    data["rows"]["work_history"] = work_rows(60)
    pages = [squeeze(p) for p in pdf_pages(render_pdf(snapshot_of(source, data)))]
    header = squeeze(" ".join(c.header for c in TABLE_COLUMNS["33"]))
    holding = [i for i, page in enumerate(pages) if "Đơnvịsố" in page]
    assert len(holding) >= 2, "60 rows must break across pages"
    for index in holding:
        assert header in pages[index], f"page {index + 1} lacks the repeated header"
        # the header comes before the first row on that page
        assert pages[index].index(header) < pages[index].index("Đơnvịsố")
    text = "".join(pages)
    found = [text.index(f"Đơnvịsố{n:02d},") for n in range(1, 61)]
    assert found == sorted(found), "rows keep their order across pages"
    assert all(text.count(f"Đơnvịsố{n:02d},") == 1 for n in range(1, 61))


def _text_extents(pdf: bytes) -> list[tuple[float, float, float, str, str]]:
    """(x, y, font size, text, face) of every piece of text, in page coordinates."""
    pieces: list[tuple[float, float, float, str, str]] = []
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:

        def visit(text, cm, tm, font_dict, font_size):  # type: ignore[no-untyped-def]
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                base = str((font_dict or {}).get("/BaseFont", ""))
                face = {"Bold": fonts.BOLD, "Italic": fonts.ITALIC, "BoldItalic": fonts.BOLD_ITALIC}.get(
                    base.rpartition("-")[2] if "-" in base else "", fonts.REGULAR
                )
                pieces.append((x, y, font_size * scale, text, face))

        page.extract_text(visitor_text=visit)
    return pieces


HOSTILE_NAME = "<b>Lê</b> & Co"
HOSTILE_OTHER = '&amp; <font size=80>TO</font> <para> "x" \x07'
LONG_WORD = "Ư" + "A" * 1998 + "Z"


def test_hostile_text_prints_literally_without_breaking_the_layout(source, hue_pdf):
    data = copy.deepcopy(source.official)
    data.update(full_name=HOSTILE_NAME, other_names=HOSTILE_OTHER, main_duties=LONG_WORD)
    data["arrest_history"] = "Dòng một\nDòng hai <br/> &lt;\n\n" + "rất dài " * 400
    data["rows"]["work_history"][0].update(unit="<i>Trường</i> " + LONG_WORD, title="")
    pdf = render_pdf(snapshot_of(source, data))
    text = pdf_text(pdf)
    assert "<B>LÊ</B> & CO" in text  # item 1, in capitals
    assert "<b>Lê</b> & Co" in text  # signature, as stored
    assert '&amp; <font size=80>TO</font> <para> "x"' in text
    assert "Dòng hai <br/> &lt;" in text
    assert "<i>Trường</i>" in text
    # Item 28 and the table cell, every character printed once (the cell spans pages: its rows
    # continue under the repeated header).
    header = squeeze(" ".join(c.header for c in TABLE_COLUMNS["33"]))
    assert body_text(pdf).replace(header, "").count(LONG_WORD) == 2
    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert pages <= len(pypdf.PdfReader(io.BytesIO(hue_pdf)).pages) + 4
    fonts.register_fonts()
    for x, _y, size, piece, face in _text_extents(pdf):
        assert size <= 16.01, (size, piece[:40])  # no markup turned into a bigger font
        first_line = piece.split("\n")[0]  # the position given is where the piece's first line starts
        width = fonts.text_width(first_line, face, size)
        assert x >= MARGIN - 0.5, (x, piece[:40])
        assert x + width <= PAGE_WIDTH - MARGIN + 2, (x, width, piece[:40])  # nothing runs past the margin


def test_photo_fills_the_box(source):
    image = Image.new("RGB", (400, 600), (200, 30, 30))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG")
    snapshot = snapshot_of(source, photo=buffer.getvalue())
    pdf = render_pdf(snapshot)
    first = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(first.images) == 1
    assert "Ảnh màu" not in flat(first.extract_text())
    # A damaged file leaves the empty box instead of failing the print.
    broken = replace(snapshot, photo=b"\xff\xd8\xffnot a jpeg")
    assert "Ảnh màu" in pdf_text(render_pdf(broken))


def test_viên_chức_header_wording_and_department_unit(source):
    units = source.units.units
    department = next(uid for uid, u in units.items() if u.kind == "phong_ban" and u.parent_id in units)
    data = dict(source.official, staff_type="vien_chuc", org_unit_id=department)
    s = snapshot_of(source, data)
    parent = units[units[department].parent_id].name
    assert s.value("using_unit") == f"{units[department].name}, {parent}"
    text = pdf_text(render_pdf(s))
    assert f"Đơn vị sử dụng viên chức: {units[department].name}, {parent}" in text


def test_file_name_is_ascii_and_without_cccd(source):
    s = snapshot_of(source, dict(source.official, full_name="Đặng Thị Ánh Tuyết"))
    name = file_name(s, "pdf")
    assert name.isascii() and name.startswith("SYLL-2C_DANG-THI-ANH-TUYET_") and HUE_CCCD not in name
    draft = snapshot_of(source, draft=True, today=date(2026, 1, 2))
    assert file_name(draft, "docx").endswith("_20260102.docx")
    assert CAPTIONS["37.3"] in SUB_ITEM_LABELS


def test_form_wording_is_nfc():
    """Labels are typed text too: decomposed tone marks would print detached."""
    import reports.form_2c as form

    def strings(value: Any):  # type: ignore[no-untyped-def]
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, tuple | list):
            for item in value:
                yield from strings(item)
        elif isinstance(value, form.Column):
            yield value.header

    texts = [text for name, value in vars(form).items() if name.isupper() for text in strings(value)]
    assert len(texts) > 100
    assert all(unicodedata.is_normalized("NFC", text) for text in texts)


def test_bulk_zip_on_two_worker_processes(source):
    """The bulk core: one PDF per snapshot, names from the names (homonyms numbered), rendered by
    the worker pool (more snapshots than reports.bulk renders in-process)."""
    from reports.bulk import IN_PROCESS_BELOW, bulk_zip

    base = snapshot_of(source)
    names = ["Lê Văn Tám", "Lê Văn Tám", "Đỗ Thị Ánh", "Nguyễn Ngọc Huệ", "Trần An", "Phạm Bình", "Vũ Chi"]
    snapshots = [
        replace(base, profile_id=n, full_name=name, values=dict(base.values, full_name_upper=name.upper()))
        for n, name in enumerate(names, start=1)
    ]
    assert len(snapshots) >= IN_PROCESS_BELOW
    archive = zipfile.ZipFile(io.BytesIO(bulk_zip(snapshots, workers=2)))
    listed = archive.namelist()
    day = f"{base.version.confirmed_on:%Y%m%d}"
    assert listed[:3] == [
        f"SYLL-2C_LE-VAN-TAM_{day}.pdf",
        f"SYLL-2C_LE-VAN-TAM_{day}_2.pdf",
        f"SYLL-2C_DO-THI-ANH_{day}.pdf",
    ]
    assert len(listed) == len(set(listed)) == len(names)
    for file, name in zip(listed, names, strict=True):
        assert name.upper() in pdf_text(archive.read(file))


def test_bulk_zip_completes_when_workers_cannot_start(source, monkeypatch):
    import reports.bulk as bulk

    def no_pool(workers: int):  # type: ignore[no-untyped-def]
        raise OSError("no processes here")

    monkeypatch.setattr(bulk, "_pool", no_pool)
    base = snapshot_of(source)
    snapshots = [replace(base, profile_id=n) for n in range(bulk.IN_PROCESS_BELOW)]
    archive = zipfile.ZipFile(io.BytesIO(bulk.bulk_zip(snapshots)))
    assert len(archive.namelist()) == len(snapshots)
    assert all(archive.read(name).startswith(b"%PDF") for name in archive.namelist())
