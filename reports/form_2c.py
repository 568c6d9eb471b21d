"""The "Sơ yếu lý lịch 2C – Hợp nhất" as a document model: labels, order and layout, no rendering.

`form_2c(snapshot)` turns a print snapshot into a list of blocks (paragraphs of runs, tables, the
photo/title block, the signature block). The PDF and the Word renderers both draw exactly this
list, so the two files carry the same text in the same order (FORM_2C.md). Every label of the form
and every point still "to confirm against the official appendix" is a constant here, in one place.

Empty slots print as dotted leaders, never "None", "0" or a code: 20 dots inside a line, dots to the
right margin at the end of a line (a `Run(fill=True)`; Word draws it as a right tab with a dot
leader), or the date / birth date / percentage patterns.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from models.text import strip_diacritics
from reports.snapshot import PrintSnapshot

Align = Literal["left", "center", "right"]

# --- wording (FORM_2C.md; the points marked "to confirm" live here and only here) --------------

FORM_TITLE = "SƠ YẾU LÝ LỊCH"
FORM_NAME = "Sơ yếu lý lịch 2C – Hợp nhất"
DOCUMENT_TITLE = "Sơ yếu lý lịch – {name}"
HEADER_MANAGING = "Cơ quan quản lý {noun}: "
HEADER_USING = "Đơn vị sử dụng {noun}: "
HEADER_STAFF_NUMBER = "Số hiệu: "
HEADER_IDENTIFIER = "Mã số định danh: "
PHOTO_CAPTION = ("Ảnh màu", "(4 x 6 cm)")
LONGEST_JOB_LABEL = "   Công việc làm lâu nhất: "  # to confirm: known renderings print no colon
CONCURRENT_ALLOWANCE_LABEL = "   Phụ cấp kiêm nhiệm: "  # to confirm: colon
OTHER_ALLOWANCES_LABEL = "   Phụ cấp khác: "  # to confirm: colon
HEALTH_LABEL = "31) Tình trạng sức khoẻ: "  # to confirm: "sức khoẻ" as in known renderings
SIGNER_LEFT = ("Người khai", "Tôi xin cam đoan những lời khai trên đây là đúng sự thật", "(Ký tên, ghi rõ họ tên)")
SIGNER_RIGHT_DATE = "{place}, Ngày ...... tháng ...... năm 20......"
SIGNER_RIGHT_NOTE = "(Ký tên, đóng dấu)"
DRAFT_MARK = "BẢN NHÁP – CHƯA XÁC NHẬN"
DRAFT_FOOTER = "Bản nháp – chưa xác nhận"

DOTS = "." * 20
EMPTY_DATE = "......./......./..........."
EMPTY_BIRTH_DATE = "...... tháng ...... năm .........."
EMPTY_PERCENT = "......%"
GAP = "   "  # between two slots of one line
# Inside a label that follows another slot, spaces do not break: "Giới tính: Nữ" stays on one line.
NBSP = "\u00a0"

# Sizes (pt) and spacing; the renderers read them from here so PDF and Word agree.
BODY_SIZE = 12.0
TITLE_SIZE = 16.0
TABLE_SIZE = 11.0
FOOTER_SIZE = 9.0
LINE_HEIGHT = 1.2
SPACE_AFTER = 3.0
PAGE_MARGIN_MM = 20.0
TEXT_WIDTH_MM = 170.0
PHOTO_WIDTH_MM = 40.0
PHOTO_HEIGHT_MM = 60.0
PHOTO_GAP_MM = 7.0
EMPTY_ROW_MM = 8.0
SIGNATURE_SPACE_MM = 25.0
SIGNATURE_SPLIT = (0.4, 0.6)


# --- the document model ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Run:
    """A piece of text in one face; `fill` is a dotted leader to the right margin (text empty)."""

    text: str
    style: str = ""  # "" regular, "b" bold, "i" italic, "bi" bold italic
    fill: bool = False


@dataclass(frozen=True)
class Para:
    runs: tuple[Run, ...]
    size: float = BODY_SIZE
    align: Align = "left"
    space_after: float = SPACE_AFTER
    keep_with_next: bool = False
    space_before: float = 0.0

    @property
    def text(self) -> str:
        """The printed text, with ordinary spaces where the layout glues words (NBSP)."""
        return "".join(r.text for r in self.runs).replace(NBSP, " ")


@dataclass(frozen=True)
class Column:
    header: str
    width_mm: float
    align: Align = "left"


@dataclass(frozen=True)
class TableBlock:
    """A bordered table; its header row repeats on each page. No rows: one empty row of 8 mm."""

    key: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class TopBlock:
    """The 4x6 photo box on the left, the title and items 1)–5) on the right."""

    photo: bytes | None
    right: tuple[Para, ...]


@dataclass(frozen=True)
class SignatureBlock:
    """Two borderless columns (40% | 60%), row by row so the two names line up; kept on one page."""

    rows: tuple[tuple[Para, Para], ...]
    space_row: int  # index of the empty row (25 mm) left for the signatures


@dataclass(frozen=True)
class KeepWithSignature:
    """Marks where the last lines of item 38 start: they move to the next page with the signature."""

    paras: tuple[Para, ...]


Block = Para | TableBlock | TopBlock | SignatureBlock | KeepWithSignature


@dataclass(frozen=True)
class Slot:
    """A value slot of a line. `empty` is what prints when there is no value: "dots" (20 dots, or
    dots to the margin when the slot ends the line), "date", "birth", "percent" or "none"."""

    key: str
    empty: str = "dots"


Part = str | Slot


# --- building lines --------------------------------------------------------------------------------


def _slot_text(snapshot: PrintSnapshot, slot: Slot, last: bool) -> Run:
    value = snapshot.value(slot.key)
    if value:
        return Run(value)
    if slot.empty == "date":
        return Run(EMPTY_DATE)
    if slot.empty == "birth":
        return Run(EMPTY_BIRTH_DATE)
    if slot.empty == "percent":
        return Run(EMPTY_PERCENT)
    if slot.empty == "none":
        return Run("")
    return Run("", fill=True) if last else Run(DOTS)


def _merge(runs: Sequence[Run]) -> tuple[Run, ...]:
    """Join neighbouring runs of one face: fewer pieces to measure and draw."""
    merged: list[Run] = []
    for run in runs:
        if not run.text and not run.fill:
            continue
        if merged and not run.fill and not merged[-1].fill and merged[-1].style == run.style:
            merged[-1] = Run(merged[-1].text + run.text, run.style)
        else:
            merged.append(run)
    return tuple(merged)


def line(snapshot: PrintSnapshot, *parts: Part, style: str = "", keep_with_next: bool = False) -> Para:
    """One printed line: labels (plain strings) and value slots, in order."""
    runs: list[Run] = []
    for index, part in enumerate(parts):
        if isinstance(part, Slot):
            run = _slot_text(snapshot, part, last=index == len(parts) - 1)
            runs.append(Run(run.text, style, run.fill))
        elif index:
            runs.append(Run(_glue(part), style))
        else:
            runs.append(Run(part, style))
    return Para(_merge(runs), keep_with_next=keep_with_next)


def _glue(label: str) -> str:
    """Keep a mid-line label together and with its value; its leading separator may still break."""
    body = label.lstrip(" ,;.")
    lead = label[: len(label) - len(body)]
    return lead + body.replace(" ", NBSP)


def heading(text: str, *, center: bool = True) -> Para:
    return Para((Run(text, "b"),), align="center" if center else "left", keep_with_next=True, space_before=6.0)


def caption(text: str) -> Para:
    return Para((Run(text),), keep_with_next=True)


def full_dot_line() -> Para:
    return Para((Run("", fill=True),))


# --- tables ------------------------------------------------------------------------------------------

FROM = Column("Từ tháng/năm", 18, "center")
TO = Column("Đến tháng/năm", 18, "center")

TABLE_COLUMNS: dict[str, tuple[Column, ...]] = {
    "32.1": (
        FROM,
        TO,
        Column("Tên cơ sở đào tạo", 42),
        Column("Chuyên ngành đào tạo", 34),
        Column("Hình thức đào tạo", 26),
        Column("Văn bằng, trình độ", 32),
    ),
    "32.2": (
        FROM,
        TO,
        Column("Tên cơ sở đào tạo", 64),
        Column("Hình thức đào tạo", 32),
        Column("Văn bằng được cấp", 38),
    ),
    "32.3": (FROM, TO, Column("Tên cơ sở đào tạo", 74), Column("Chứng chỉ được cấp", 60)),
    "32.4": (FROM, TO, Column("Tên cơ sở đào tạo", 74), Column("Chứng chỉ được cấp", 60)),
    "32.5": (FROM, TO, Column("Tên cơ sở đào tạo", 74), Column("Chứng chỉ được cấp", 60)),
    "32.6": (
        FROM,
        TO,
        Column("Tên cơ sở đào tạo", 46),
        Column("Tên ngoại ngữ/ tiếng dân tộc", 30),
        Column("Chứng chỉ được cấp", 38),
        Column("Điểm số", 20, "center"),
    ),
    "33": (
        FROM,
        TO,
        Column("Đơn vị công tác (đảng, chính quyền, đoàn thể, tổ chức xã hội)", 88),
        Column("Chức danh/ chức vụ", 46),
    ),
    "34.2": (FROM, TO, Column("Chức danh, chức vụ, đơn vị, địa điểm đã làm việc", 134)),
    "34.3": (FROM, TO, Column("Tên tổ chức, địa chỉ trụ sở, công việc đã làm", 134)),
    "35.1": (
        Column("Năm", 18, "center"),
        Column("Xếp loại chuyên môn", 44),
        Column("Xếp loại thi đua", 44),
        Column("Hình thức khen thưởng", 64),
    ),
    "35.2": (
        FROM,
        TO,
        Column("Hình thức", 28),
        Column("Hành vi vi phạm chính", 62),
        Column("Cơ quan quyết định", 44),
    ),
    "36": (
        Column("Mối quan hệ", 22),
        Column("Họ và tên", 38),
        Column("Năm sinh", 16, "center"),
        Column(
            "Quê quán, nghề nghiệp, chức danh, chức vụ, đơn vị công tác, học tập, nơi ở (trong, ngoài nước); "
            "thành viên các tổ chức chính trị - xã hội (trong, ngoài nước); làm việc cho chế độ cũ, tiền án, "
            "tiền sự (nếu có)",
            94,
        ),
    ),
    "37.1": (
        FROM,
        TO,
        Column("Mã số", 24, "center"),
        Column("Bậc lương", 20, "center"),
        Column("Hệ số lương", 22, "center"),
        Column("Tiền lương theo vị trí việc làm", 68, "center"),
    ),
    "37.2": (
        FROM,
        TO,
        Column("Loại phụ cấp", 38),
        Column("Phần trăm hưởng", 22, "center"),
        Column("Hệ số", 18, "center"),
        Column("Hình thức hưởng", 26),
        Column("Giá trị (đồng)", 30, "center"),
    ),
}

TRAINING_CAPTIONS = {
    "32.1": "32.1- Chuyên môn (từ trung cấp trở lên cả trong nước và nước ngoài)",
    "32.2": "32.2- Lý luận chính trị",
    "32.3": "32.3- Bồi dưỡng quản lý nhà nước/ chức danh nghề nghiệp/ nghiệp vụ chuyên ngành",
    "32.4": "32.4- Bồi dưỡng kiến thức an ninh, quốc phòng",
    "32.5": "32.5- Tin học",
    "32.6": "32.6- Ngoại ngữ/ tiếng dân tộc",
}

HEADINGS = {
    "30": "30) Tiền lương",
    "32": "32) QUÁ TRÌNH ĐÀO TẠO, BỒI DƯỠNG",
    "33": "33) TÓM TẮT QUÁ TRÌNH CÔNG TÁC",
    "34": "34) ĐẶC ĐIỂM LỊCH SỬ BẢN THÂN",
    "35": "35) KHEN THƯỞNG, KỶ LUẬT",
    "36": "36) QUAN HỆ GIA ĐÌNH",
    "37": "37) HOÀN CẢNH KINH TẾ GIA ĐÌNH",
    "38": "38) NHẬN XÉT, ĐÁNH GIÁ CỦA CƠ QUAN, TỔ CHỨC, ĐƠN VỊ SỬ DỤNG",
}

ARREST_LABEL = (
    "34.1- Khai rõ: bị bắt, bị tù (từ ngày tháng năm nào đến ngày tháng năm nào, ở đâu?), "
    "đã khai báo cho ai, những vấn đề gì?: "
)

# The numbered labels in print order, as they start their line: what a reader (and a test) looks for.
ITEM_LABELS: tuple[str, ...] = (
    "1) Họ và tên khai sinh (viết chữ in hoa):",
    "2) Các tên gọi khác:",
    "3) Sinh ngày:",
    "4) Nơi sinh:",
    "5) Quê quán (xã, phường):",
    "6) Dân tộc:",
    "7) Tôn giáo:",
    "8) Số CCCD:",
    "9) Số BHXH:",
    "10) Nơi ở hiện nay:",
    "11) Thành phần gia đình xuất thân:",
    "12) Nghề nghiệp trước khi được tuyển dụng:",
    "13) Ngày được tuyển dụng lần đầu:",
    "14) Ngày vào cơ quan hiện đang công tác:",
    "15) Ngày vào Đảng Cộng sản Việt Nam:",
    "16) Ngày tham gia tổ chức chính trị-xã hội đầu tiên (ngày vào Đoàn TNCSHCM, Công đoàn, Hội):",
    "17) Ngày nhập ngũ:",
    "18) Đối tượng chính sách:",
    "19) Trình độ giáo dục phổ thông (đã tốt nghiệp lớp mấy/thuộc hệ nào):",
    "20) Trình độ chuyên môn cao nhất:",
    "21) Học hàm:",
    "22) Danh hiệu nhà nước phong tặng:",
    "23) Chức vụ hiện tại:",
    "24) Được quy hoạch chức danh:",
    "25) Chức vụ kiêm nhiệm:",
    "26) Chức vụ Đảng hiện tại:",
    "27) Chức vụ Đảng kiêm nhiệm:",
    "28) Công việc chính được giao:",
    "29) Sở trường công tác:",
    HEADINGS["30"],
    HEALTH_LABEL.strip(),
    HEADINGS["32"],
    HEADINGS["33"],
    HEADINGS["34"],
    HEADINGS["35"],
    HEADINGS["36"],
    HEADINGS["37"],
    HEADINGS["38"],
)
CAPTIONS = {
    **TRAINING_CAPTIONS,
    "34.2": "34.2- Bản thân có làm việc cho chế độ cũ",
    "34.3": "34.3- Tham gia hoặc có quan hệ với các tổ chức chính trị, kinh tế, xã hội ... ở nước ngoài",
    "35.1": "35.1- Thành tích thi đua, khen thưởng",
    "35.2": "35.2- Kỷ luật Đảng/hành chính",
    "36.1": "36.1- Về bản thân: Cha, Mẹ, Vợ (hoặc chồng), các con, anh chị em ruột",
    "36.2": "36.2- Cha, Mẹ, anh chị em ruột (bên vợ hoặc chồng)",
    "37.1": "37.1- Quá trình lương của bản thân",
    "37.2": "37.2- Các loại phụ cấp khác",
    "37.3": "37.3- Nguồn thu nhập chính của gia đình hàng năm",
}
# Sub-item labels in print order.
SUB_ITEM_LABELS: tuple[str, ...] = (
    "30.1) Ngạch/chức danh nghề nghiệp:",
    "30.2) Phụ cấp chức vụ:",
    "30.3) Vị trí việc làm:",
    *TRAINING_CAPTIONS.values(),
    ARREST_LABEL.strip(),
    *(CAPTIONS[key] for key in ("34.2", "34.3", "35.1", "35.2", "36.1", "36.2", "37.1", "37.2", "37.3")),
)


def table(snapshot: PrintSnapshot, key: str, columns_key: str | None = None) -> TableBlock:
    return TableBlock(key, TABLE_COLUMNS[columns_key or key], snapshot.tables.get(key, ()))


# --- the form ----------------------------------------------------------------------------------------


def _header(s: PrintSnapshot) -> list[Block]:
    noun = s.value("staff_noun")

    def bold_slot(label: str, key: str) -> Para:
        value = s.value(key)
        runs = (Run(label), Run(value, "b")) if value else (Run(label), Run("", fill=True))
        return Para(runs)

    return [
        bold_slot(HEADER_MANAGING.format(noun=noun), "managing_agency"),
        bold_slot(HEADER_USING.format(noun=noun), "using_unit"),
        line(s, HEADER_STAFF_NUMBER, Slot("staff_number")),
        Para(line(s, HEADER_IDENTIFIER, Slot("bnv_identifier")).runs, space_after=SPACE_AFTER * 3),
    ]


def _top(s: PrintSnapshot) -> TopBlock:
    right = (
        Para((Run(FORM_TITLE, "b"),), size=TITLE_SIZE, align="center", space_after=BODY_SIZE * LINE_HEIGHT),
        line(
            s, "1) Họ và tên khai sinh (viết chữ in hoa): ", Slot("full_name_upper"), GAP + "Giới tính: ", Slot("sex")
        ),
        line(s, "2) Các tên gọi khác: ", Slot("other_names")),
        line(s, "3) Sinh ngày: ", Slot("birth_date", "birth")),
        line(s, "4) Nơi sinh: ", Slot("birth_place")),
        line(
            s, "5) Quê quán (xã, phường): ", Slot("hometown_commune"), GAP + "(tỉnh, TP): ", Slot("hometown_province")
        ),
    )
    return TopBlock(s.photo, right)


def _items_6_to_29(s: PrintSnapshot) -> list[Block]:
    date = "date"
    return [
        line(s, "6) Dân tộc: ", Slot("ethnicity")),
        line(s, "7) Tôn giáo: ", Slot("religion")),
        line(
            s,
            "8) Số CCCD: ",
            Slot("id_number"),
            GAP + "Ngày cấp: ",
            Slot("id_issued_on", date),
            GAP + "SĐT liên hệ: ",
            Slot("phone"),
        ),
        line(
            s, "9) Số BHXH: ", Slot("social_insurance_number"), GAP + "Số thẻ BHYT: ", Slot("health_insurance_number")
        ),
        line(s, "10) Nơi ở hiện nay: ", Slot("current_address")),
        line(s, "11) Thành phần gia đình xuất thân: ", Slot("family_background")),
        line(s, "12) Nghề nghiệp trước khi được tuyển dụng: ", Slot("occupation_before_recruitment")),
        line(
            s,
            "13) Ngày được tuyển dụng lần đầu: ",
            Slot("first_recruited_on", date),
            GAP + "Cơ quan, tổ chức, đơn vị tuyển dụng: ",
            Slot("first_recruiting_agency"),
        ),
        line(s, "14) Ngày vào cơ quan hiện đang công tác: ", Slot("joined_current_agency_on", date)),
        line(
            s,
            "15) Ngày vào Đảng Cộng sản Việt Nam: ",
            Slot("party_joined_on", date),
            GAP + "Ngày chính thức: ",
            Slot("party_official_on", date),
        ),
        line(s, ITEM_LABELS[15] + " ", Slot("first_org_joined_on", date), Slot("first_org", "none")),
        line(
            s,
            "17) Ngày nhập ngũ: ",
            Slot("enlisted_on", date),
            GAP + "Ngày xuất ngũ: ",
            Slot("discharged_on", date),
            GAP + "Quân hàm cao nhất: ",
            Slot("highest_military_rank"),
        ),
        line(s, "18) Đối tượng chính sách: ", Slot("policy_groups")),
        line(s, ITEM_LABELS[18] + " ", Slot("general_education")),
        line(s, "20) Trình độ chuyên môn cao nhất: ", Slot("highest_qualification")),
        line(s, "21) Học hàm: ", Slot("academic_title")),
        line(s, "22) Danh hiệu nhà nước phong tặng: ", Slot("state_titles")),
        line(s, "23) Chức vụ hiện tại: ", Slot("position")),
        line(
            s,
            "Ngày bổ nhiệm/ngày phê chuẩn: ",
            Slot("position_appointed_on", date),
            GAP + "Ngày bổ nhiệm lại/phê chuẩn nhiệm kỳ tiếp theo: ",
            Slot("position_reappointed_on", date),
        ),
        line(s, "24) Được quy hoạch chức danh: ", Slot("planned_positions")),
        line(s, "25) Chức vụ kiêm nhiệm: ", Slot("concurrent_positions")),
        line(s, "26) Chức vụ Đảng hiện tại: ", Slot("party_position")),
        line(s, "27) Chức vụ Đảng kiêm nhiệm: ", Slot("party_concurrent_positions")),
        line(s, "28) Công việc chính được giao: ", Slot("main_duties")),
        line(s, "29) Sở trường công tác: ", Slot("work_strengths"), LONGEST_JOB_LABEL, Slot("longest_job")),
    ]


def _items_30_31(s: PrintSnapshot) -> list[Block]:
    date, pct = "date", "percent"
    return [
        heading(HEADINGS["30"], center=False),
        line(s, "30.1) Ngạch/chức danh nghề nghiệp: ", Slot("rank_name"), GAP + "Mã số: ", Slot("rank_code")),
        line(s, "Ngày bổ nhiệm ngạch/chức danh nghề nghiệp: ", Slot("rank_appointed_on", date)),
        line(
            s,
            "Bậc lương: ",
            Slot("salary_step"),
            ", Hệ số: ",
            Slot("salary_coefficient"),
            ", Ngày hưởng: ",
            Slot("salary_since", date),
        ),
        line(
            s,
            "Phần trăm hưởng: ",
            Slot("salary_percent", pct),
            "; Phụ cấp thâm niên vượt khung: ",
            Slot("seniority_allowance_percent", pct),
            "; Ngày hưởng PCTNVK: ",
            Slot("seniority_allowance_since", date),
        ),
        line(
            s,
            "30.2) Phụ cấp chức vụ: ",
            Slot("position_allowance"),
            CONCURRENT_ALLOWANCE_LABEL,
            Slot("concurrent_allowance_percent", pct),
            OTHER_ALLOWANCES_LABEL,
            Slot("other_allowances"),
        ),
        line(s, "30.3) Vị trí việc làm: ", Slot("job_position"), GAP + "Mã số: ", Slot("job_position_code")),
        line(
            s,
            "Bậc lương: ",
            Slot("job_salary_step"),
            ", Lương theo mức tiền: ",
            Slot("job_salary_amount"),
            " vnđ. Ngày hưởng: ",
            Slot("job_salary_since", date),
        ),
        line(
            s,
            "Phần trăm hưởng: ",
            Slot("job_salary_percent", pct),
            "; Phụ cấp thâm niên vượt khung: ",
            Slot("job_seniority_percent", pct),
            "; Ngày hưởng PCTNVK: ",
            Slot("job_seniority_since", date),
        ),
        line(s, HEALTH_LABEL, Slot("health_status")),
        line(
            s,
            "Chiều cao: ",
            Slot("height_cm"),
            " cm, Cân nặng: ",
            Slot("weight_kg"),
            " kg, Nhóm máu: ",
            Slot("blood_group"),
        ),
    ]


def _trainings(s: PrintSnapshot) -> list[Block]:
    blocks: list[Block] = [heading(HEADINGS["32"])]
    for key in TRAINING_CAPTIONS:
        blocks += [caption(CAPTIONS[key]), table(s, key)]
    return blocks


def _history(s: PrintSnapshot) -> list[Block]:
    return [
        heading(HEADINGS["33"]),
        table(s, "33"),
        heading(HEADINGS["34"]),
        line(s, ARREST_LABEL, Slot("arrest_history")),
        caption(CAPTIONS["34.2"]),
        table(s, "34.2"),
        caption(CAPTIONS["34.3"]),
        table(s, "34.3"),
        heading(HEADINGS["35"]),
        caption(CAPTIONS["35.1"]),
        table(s, "35.1"),
        caption(CAPTIONS["35.2"]),
        table(s, "35.2"),
        heading(HEADINGS["36"]),
        caption(CAPTIONS["36.1"]),
        table(s, "36.1", "36"),
        caption(CAPTIONS["36.2"]),
        table(s, "36.2", "36"),
    ]


def _economy(s: PrintSnapshot) -> list[Block]:
    def dotted(value: str) -> str:
        return value or DOTS

    def last(value: str) -> Run:
        return Run(value) if value else Run("", fill=True)

    blocks: list[Block] = [
        heading(HEADINGS["37"]),
        caption(CAPTIONS["37.1"]),
        table(s, "37.1"),
        caption(CAPTIONS["37.2"]),
        table(s, "37.2"),
        caption(CAPTIONS["37.3"]),
        line(s, "- Tiền lương: ", Slot("salary_income")),
        line(s, "- Các nguồn khác: ", Slot("other_income")),
        Para((Run("- Nhà ở:"),)),
    ]
    houses = (
        ("duoc_cap_thue", "+ Được cấp, được thuê (loại nhà): "),
        ("tu_mua_xay", "+ Nhà tự mua, tự xây (loại nhà): "),
    )
    for kind, label in houses:
        for house_type, area, certificate in s.houses.get(kind) or (("", "", ""),):
            blocks.append(
                Para(_merge([Run(label + dotted(house_type) + ", tổng diện tích sử dụng: " + dotted(area) + " m2.")]))
            )
            blocks.append(Para(_merge([Run("Giấy chứng nhận quyền sở hữu: "), last(certificate)])))
    blocks.append(Para((Run("- Đất ở:"),)))
    for kind, label in (("duoc_cap", "+ Đất được cấp: "), ("tu_mua", "+ Đất tự mua: ")):
        for area, certificate in s.lands.get(kind) or (("", ""),):
            blocks.append(Para((Run(label + dotted(area) + " m2."),)))
            blocks.append(Para(_merge([Run("Giấy chứng nhận quyền sử dụng: "), last(certificate)])))
    blocks.append(line(s, "- Đất sản xuất kinh doanh: ", Slot("production_land")))
    return blocks


def _assessment_and_signature(s: PrintSnapshot) -> list[Block]:
    text = s.value("agency_assessment")
    paras: list[Para] = [line(s, "Nhận xét, đánh giá: ", Slot("agency_assessment"))]
    if not text:
        paras += [full_dot_line() for _ in range(5)]
    sig = s.signature
    place = sig.place or DOTS

    def center(text: str, style: str = "", space_after: float = 0.0) -> Para:
        return Para((Run(text, style),), align="center", space_after=space_after)

    rows = (
        (center(SIGNER_LEFT[0], "b"), center(SIGNER_RIGHT_DATE.format(place=place), "i")),
        (center(SIGNER_LEFT[1]), center(sig.head_title, "b")),
        (center(SIGNER_LEFT[2], "i"), center(SIGNER_RIGHT_NOTE, "i")),
        (center(""), center("")),
        (center(s.full_name, "b"), center(sig.head_name, "b")),
    )
    return [heading(HEADINGS["38"]), KeepWithSignature(tuple(paras)), SignatureBlock(rows, space_row=3)]


def form_2c(snapshot: PrintSnapshot) -> list[Block]:
    """The whole form, top to bottom."""
    return [
        *_header(snapshot),
        _top(snapshot),
        *_items_6_to_29(snapshot),
        *_items_30_31(snapshot),
        *_trainings(snapshot),
        *_history(snapshot),
        *_economy(snapshot),
        *_assessment_and_signature(snapshot),
    ]


# --- names and footer -----------------------------------------------------------------------------------


def document_title(snapshot: PrintSnapshot) -> str:
    return DOCUMENT_TITLE.format(name=snapshot.full_name)


def footer_text(snapshot: PrintSnapshot) -> str:
    """Version, confirmation date and short hash: traces a paper copy to the exact data printed."""
    version = snapshot.version
    if version.is_draft:
        return f"{DRAFT_FOOTER} · Mã kiểm tra {version.short_hash}"
    confirmed = version.confirmed_on.strftime("%d/%m/%Y") if version.confirmed_on else EMPTY_DATE
    return f"Phiên bản {version.number} · Xác nhận ngày {confirmed} · Mã kiểm tra {version.short_hash}"


def page_label(page: int, pages: int) -> str:
    return f"Trang {page}/{pages}"


def _ascii_name(name: str) -> str:
    words = strip_diacritics(name).upper().split()
    cleaned = ["".join(ch for ch in word if ch.isascii() and ch.isalnum()) for word in words]
    return "-".join(w for w in cleaned if w) or "HO-SO"


def file_name(snapshot: PrintSnapshot, extension: str, *, ascii_only: bool = True) -> str:
    """`SYLL-2C_NGUYEN-NGOC-HUE_20230512.pdf`: no CCCD; the confirmation date, or today for a draft.

    `ascii_only=False` keeps the diacritics (for `filename*=UTF-8''…`)."""
    day = snapshot.file_date.strftime("%Y%m%d")
    if ascii_only:
        name = _ascii_name(snapshot.full_name)
    else:
        name = "-".join(w for w in snapshot.full_name.upper().split() if w) or "HỒ-SƠ"
        name = "".join(ch for ch in name if ch.isalnum() or ch == "-")
    return f"SYLL-2C_{name}_{day}.{extension}"
