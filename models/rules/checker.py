"""The checking context and the rules every field of a given type follows, driven by the registry.

Section modules add what the registry cannot say (conditional requirements, cross-field and
cross-row rules); this module does required values, codes, lengths, and the Dates rules (not
before 1900, not in the future, not before the employee's birth, `to_date` ≥ `from_date`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from models.dates import PRECISIONS, format_date, format_pdate, pdate_le, pdate_lt
from models.refs import RefLookup
from models.rules.report import ERROR, MISSING, WARNING, Issue, Level
from models.section_registry import Field, Section, Table
from models.text import has_control_chars

EARLIEST = date(1900, 1, 1)
TEXT_MAX = {"text": 255, "longtext": 4000}
ADDRESS_PART_MAX = {"commune": 100, "detail": 255, "legacy": 255}


@dataclass(frozen=True)
class TableOptions:
    """How the Dates rules apply to a table: whose life its dates belong to, and whether `to_date`
    may hold a known end in the future (trainings, allowances, disciplines)."""

    own_life: bool = True
    future_to: bool = False
    year_min: int = EARLIEST.year


TABLE_OPTIONS: dict[str, TableOptions] = {
    # A relative's years are not dates of the employee's life; SECTIONS.md sets 1880 as the floor.
    "family_members": TableOptions(own_life=False, year_min=1880),
    "trainings": TableOptions(future_to=True),
    "allowances": TableOptions(future_to=True),
    "disciplines": TableOptions(future_to=True),
}


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | set | frozenset | dict):
        return not value
    return False


def row_path(table: str, index: int, column: str) -> str:
    return f"{table}[{index}].{column}"


class Checker:
    """Collects issues for one profile; `section` is the key the next issues belong to."""

    def __init__(self, profile: Any, refs: RefLookup, today: date) -> None:
        self.profile = profile
        self.refs = refs
        self.today = today
        self.issues: list[Issue] = []
        self.section = ""
        birth = getattr(profile, "birth_date", None)
        # An impossible birth date is reported once on its field, not again on every later date.
        plausible = isinstance(birth, date) and EARLIEST <= birth <= today
        self.birth: date | None = birth if plausible else None

    # -- recording ---------------------------------------------------------------------------

    def add(self, field: str, message: str, level: Level) -> None:
        self.issues.append(Issue(self.section, field, message, level))

    def missing(self, field: str, label: str) -> None:
        self.add(field, f"Chưa nhập {label}.", MISSING)

    def error(self, field: str, message: str) -> None:
        self.add(field, message, ERROR)

    def warning(self, field: str, message: str) -> None:
        self.add(field, message, WARNING)

    def has_issue(self, field: str) -> bool:
        """Whether the field already has a missing value or an error, so a later rule can stay silent."""
        return any(i.field == field and i.level != WARNING for i in self.issues)

    def require(self, field: str, label: str, value: Any) -> bool:
        """Record a missing value when blank; True when the value is there."""
        if is_blank(value):
            self.missing(field, label)
            return False
        return True

    # -- values ------------------------------------------------------------------------------------

    def get(self, name: str) -> Any:
        return getattr(self.profile, name, None)

    def rows(self, table: str) -> Sequence[Any]:
        return list(getattr(self.profile, table, None) or [])

    # -- generic checks -----------------------------------------------------------------------------

    def check_section(self, section: Section) -> None:
        """Every rule the registry alone decides, for the single fields and every table row."""
        self.section = section.key
        for spec in section.fields:
            self.check_field(spec.name, spec, self.profile, own_life=spec.name != "birth_date")
        for table in section.tables:
            self.check_table(table)

    def check_table(self, table: Table) -> None:
        options = TABLE_OPTIONS.get(table.name, TableOptions())
        for index, row in enumerate(self.rows(table.name)):
            for spec in table.columns:
                self.check_field(
                    row_path(table.name, index, spec.name),
                    spec,
                    row,
                    own_life=options.own_life,
                    future_ok=options.future_to and spec.name == "to_date",
                    year_min=options.year_min,
                )
            self.check_period(table.name, index, row)

    def check_field(
        self,
        path: str,
        spec: Field,
        obj: Any,
        *,
        own_life: bool = True,
        future_ok: bool = False,
        year_min: int = EARLIEST.year,
    ) -> None:
        if spec.type == "address":
            self.check_address(spec, required=spec.required == "yes")
            return
        value: Any = getattr(obj, spec.name, None)
        if is_blank(value):
            if spec.required == "yes":
                self.missing(path, spec.label)
            return
        kind = spec.type
        if kind in ("text", "longtext"):
            self.check_text(path, spec.label, value, spec.max_length or TEXT_MAX[kind])
        elif kind == "choice" and spec.ref:
            self.check_code(path, spec.label, spec.ref, value, spec.ref_kind)
        elif kind == "multi" and spec.ref:
            for code in value if isinstance(value, list | tuple) else [value]:
                if self.check_code(path, spec.label, spec.ref, code, spec.ref_kind) is False:
                    break
        elif kind == "enum" and spec.enum is not None:
            if value not in spec.enum:
                self.error(path, f"Giá trị không có trong danh mục {spec.label}.")
        elif kind == "money":
            if value < 0:
                self.error(path, f"{spec.label} không được âm.")
        elif kind == "date":
            self.check_date(path, spec.label, value, "day", future_ok=future_ok, own_life=own_life)
        elif kind == "pdate":
            precision = getattr(obj, f"{spec.name}_precision", None)
            if precision is not None and precision not in PRECISIONS:
                self.error(path, f"{spec.label}: độ chính xác của ngày không hợp lệ.")
                return
            self.check_date(path, spec.label, value, precision or "day", future_ok=future_ok, own_life=own_life)
        elif kind == "year":
            self.check_year(path, spec.label, value, own_life=own_life, lower=year_min)

    def check_text(self, path: str, label: str, value: Any, max_length: int) -> bool:
        text = str(value)
        if has_control_chars(text):
            self.error(path, f"{label} chứa ký tự điều khiển không hợp lệ.")
            return False
        if len(text) > max_length:
            self.error(path, f"{label} dài quá {max_length} ký tự.")
            return False
        return True

    def check_code(self, path: str, label: str, list_name: str, code: Any, kind: str = "") -> bool | None:
        """Error unless the code is active in the list (of that kind). None when blank."""
        if is_blank(code):
            return None
        if self.refs.exists(list_name, code, kind or None):
            return True
        if self.refs.exists(list_name, code, kind or None, active_only=False):
            self.error(path, f"Mã đã ngừng sử dụng trong danh mục {label}; hãy chọn lại.")
        else:
            self.error(path, f"Giá trị không có trong danh mục {label}.")
        return False

    def check_date(
        self,
        path: str,
        label: str,
        value: date,
        precision: str = "day",
        *,
        future_ok: bool = False,
        own_life: bool = True,
    ) -> bool:
        """Dates rules: not before 01/01/1900, not in the future, not before the employee's birth."""
        if value < EARLIEST:
            self.error(path, f"{label} không được trước ngày 01/01/1900.")
            return False
        if not future_ok and value > self.today:
            self.error(path, f"{label} ({format_pdate(value, precision)}) không được sau ngày hôm nay.")
            return False
        if own_life and self.birth is not None and pdate_lt(value, precision, self.birth, "day"):
            self.error(path, f"{label} không được trước Ngày sinh ({format_date(self.birth)}).")
            return False
        return True

    def check_year(self, path: str, label: str, value: int, *, own_life: bool = True, lower: int = 1900) -> bool:
        if value < lower:
            self.error(path, f"{label} không được trước năm {lower}.")
            return False
        if value > self.today.year:
            self.error(path, f"{label} ({value}) không được sau năm nay.")
            return False
        if own_life and self.birth is not None and value < self.birth.year:
            self.error(path, f"{label} ({value}) không được trước năm sinh ({self.birth.year}).")
            return False
        return True

    def check_period(self, table: str, index: int, row: Any) -> None:
        start, end = getattr(row, "from_date", None), getattr(row, "to_date", None)
        if start is None or end is None:
            return
        path = row_path(table, index, "to_date")
        if self.has_issue(path) or self.has_issue(row_path(table, index, "from_date")):
            return
        if not pdate_le(start, row.from_date_precision, end, row.to_date_precision):
            self.error(path, "Đến tháng/năm phải sau hoặc bằng Từ tháng/năm.")

    def check_address(self, spec: Field, *, required: bool) -> None:
        """A required address needs province and commune, or the legacy wording."""
        name = spec.name
        parts = {part: self.get(f"{name}_{part}") for part in ("province", "commune", "detail", "legacy")}
        province_ok = True
        if not is_blank(parts["province"]):
            province_ok = (
                self.check_code(
                    f"{name}_province", f"Tỉnh/Thành phố ({spec.label})", "provinces_2025", parts["province"]
                )
                is not False
            )
        for part, limit in ADDRESS_PART_MAX.items():
            if not is_blank(parts[part]):
                self.check_text(f"{name}_{part}", spec.label, parts[part], limit)
        if not required or not is_blank(parts["legacy"]):
            return
        if is_blank(parts["province"]) and is_blank(parts["commune"]):
            self.missing(name, spec.label)
        elif is_blank(parts["province"]):
            self.missing(f"{name}_province", f"Tỉnh/Thành phố của {spec.label}")
        elif is_blank(parts["commune"]) and province_ok:
            self.missing(f"{name}_commune", f"Xã/Phường/Đặc khu của {spec.label}")

    # -- helpers for section rules ------------------------------------------------------------------

    def in_range(
        self, path: str, label: str, value: Any, low: Decimal | int | None, high: Decimal | int | None
    ) -> bool:
        """Error unless low ≤ value ≤ high (either bound may be None)."""
        if value is None:
            return True
        if (low is not None and value < low) or (high is not None and value > high):
            if low is not None and high is not None:
                bounds = f"từ {fmt_num(low)} đến {fmt_num(high)}"
            elif low is not None:
                bounds = f"từ {fmt_num(low)} trở lên"
            else:
                bounds = f"không quá {fmt_num(high)}"
            self.error(path, f"{label} phải {bounds}.")
            return False
        return True

    def for_rows(self, table: str) -> Iterable[tuple[int, Any]]:
        return enumerate(self.rows(table))


def fmt_num(value: Decimal | int | None) -> str:
    """A number as shown on screen: decimals with 2 places and a decimal comma ("3,00")."""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    return str(value)
