"""Bulk account creation from HR's spreadsheet (.xlsx or .csv): read, check every row, create.

A row is a plain dict: `row` (its 1-based spreadsheet row number, so HR can find it) and the raw
cell values under `cccd`, `full_name`, `birth_date`, `sex`, `unit_code` and optionally `roles`.
`read_rows` builds them from a file, `import_accounts` checks and creates (no commit), and
`run_import_cli` is `flask accounts import FILE`.

Why it is fast (10,000 rows in seconds): default passwords are not hashed (auth/passwords.py);
existing accounts, units and role assignments are loaded with one query each before the first
row; new rows go to the database as batched INSERT statements; the managing agency comes from
the materialised path of the preloaded units.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, NamedTuple

import click
from sqlalchemy import insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, scoped_session

from auth.audit import record
from extensions import db
from models.audit import mask_cccd
from models.cccd import check_cccd, normalize_cccd
from models.org import OrgUnit
from models.profile import Profile
from models.text import clean_text, search_key
from models.user import ROLES, RoleAssignment, User

BATCH_SIZE = 1000
PROGRESS_EVERY = 100
HEADER_SEARCH_ROWS = 10  # a title or a note may sit above the header row

COLUMN_LABELS = {
    "cccd": "Số CCCD",
    "full_name": "Họ và tên",
    "birth_date": "Ngày sinh",
    "sex": "Giới tính",
    "unit_code": "Mã đơn vị",
    "roles": "Vai trò",
}
REQUIRED_COLUMNS = ("cccd", "full_name", "birth_date", "sex", "unit_code")

# Headers are compared folded: no diacritics, lower case, letters and digits only.
HEADER_ALIASES = {
    "cccd": {
        "cccd",
        "socccd",
        "cccdcmnd",
        "socccdcmnd",
        "socancuoc",
        "socancuoccongdan",
        "sodinhdanh",
        "sodinhdanhcanhan",
        "idnumber",
    },
    "full_name": {"hovaten", "hoten", "fullname", "name"},
    "birth_date": {"ngaysinh", "ngaythangnamsinh", "birthdate", "dateofbirth", "dob"},
    "sex": {"gioitinh", "sex", "gender"},
    "unit_code": {"madonvi", "madv", "unitcode", "unit"},
    "roles": {"vaitro", "roles", "role"},
}
_HEADER_KEYS = {alias: key for key, aliases in HEADER_ALIASES.items() for alias in aliases}

# Only these roles can come from a file; sysadmin is never granted in bulk.
IMPORTABLE_ROLES = ("approver", "hr", "leader")
_ROLE_KEYS = {role: role for role in IMPORTABLE_ROLES} | {search_key(ROLES[role]): role for role in IMPORTABLE_ROLES}

_DMY = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})")
_YMD = re.compile(r"(\d{4})([./-])(\d{1,2})\2(\d{1,2})")
_SHORT_YEAR = re.compile(r"\d{1,2}([./-])\d{1,2}\1\d{2}")
_MIDNIGHT = re.compile(r"[ T]0{1,2}:00(:00(\.0+)?)?$")
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
MAX_NAME_LENGTH = 100

AnySession = Session | scoped_session[Any]  # db.session is a scoped_session


class ImportFileError(Exception):
    """The file cannot be used at all (unreadable, wrong type, header missing); message in Vietnamese."""


@dataclass(frozen=True)
class RejectedRow:
    row: int
    cccd: str  # masked: only the last four digits show
    reason: str


@dataclass
class ImportReport:
    created: int = 0
    unchanged: int = 0
    rejected: list[RejectedRow] = field(default_factory=list)

    @property
    def rejected_count(self) -> int:
        return len(self.rejected)

    @property
    def total(self) -> int:
        return self.created + self.unchanged + self.rejected_count

    def summary(self) -> str:
        return (
            f"Đã xử lý {self.total} dòng: tạo mới {self.created} tài khoản, "
            f"{self.unchanged} dòng đã có tài khoản (bỏ qua, không thay đổi), "
            f"{self.rejected_count} dòng bị từ chối."
        )


class _Unit(NamedTuple):
    id: int
    code: str
    kind: str
    path: str
    active: bool


class _Existing(NamedTuple):
    id: int
    full_name: str
    birth_date: date | None
    sex: str | None
    unit_id: int | None


# --- Reading files ---------------------------------------------------------------------------


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """Rows of an .xlsx (active sheet) or .csv file, keyed by column, each with its spreadsheet row number."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        table = _csv_table(path)
    elif suffix in (".xlsx", ".xlsm"):
        table = _xlsx_table(path)
    elif suffix == ".xls":
        raise ImportFileError("Không hỗ trợ tệp .xls (Excel 97–2003). Hãy lưu lại dưới dạng .xlsx rồi nhập lại.")
    else:
        raise ImportFileError("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv).")
    return _rows_from_table(table)


def _csv_table(path: Path) -> list[tuple[int, Sequence[Any]]]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError("Tệp CSV phải dùng bảng mã UTF-8 (trong Excel: Lưu dưới dạng «CSV UTF-8»).") from exc
    except OSError as exc:
        raise ImportFileError(f"Không đọc được tệp: {exc.strerror or exc}.") from exc
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    # Excel with Vietnamese regional settings writes ';' between columns.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        return list(enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1))
    except csv.Error as exc:
        raise ImportFileError(f"Tệp CSV sai định dạng: {exc}.") from exc


def _xlsx_table(path: Path) -> list[tuple[int, Sequence[Any]]]:
    from openpyxl import load_workbook

    # SyntaxError covers the XML parser's ParseError: a damaged sheet inside a valid zip.
    damaged = (zipfile.BadZipFile, KeyError, ValueError, OSError, SyntaxError)
    unreadable = "Không đọc được tệp Excel: tệp hỏng hoặc không phải định dạng .xlsx."
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except damaged as exc:
        raise ImportFileError(unreadable) from exc
    try:
        sheet = workbook.active
        if sheet is None or not hasattr(sheet, "iter_rows"):
            raise ImportFileError("Tệp Excel không có trang tính nào.")
        # Some generators write a wrong <dimension>; read-only mode would then stop early.
        sheet.reset_dimensions()
        return list(enumerate(sheet.iter_rows(values_only=True), start=1))
    except damaged as exc:
        raise ImportFileError(unreadable) from exc
    finally:
        workbook.close()


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _fold_header(value: Any) -> str:
    return re.sub(r"[^a-z0-9]", "", search_key(str(value))) if value is not None else ""


def _match_header(cells: Sequence[Any]) -> tuple[dict[str, int], list[str]]:
    """Column index of each known column, and the columns named more than once."""
    columns: dict[str, int] = {}
    repeated: list[str] = []
    for index, cell in enumerate(cells):
        key = _HEADER_KEYS.get(_fold_header(cell))
        if key is None:
            continue
        if key in columns:
            repeated.append(key)
        else:
            columns[key] = index
    return columns, repeated


def _rows_from_table(table: Iterable[tuple[int, Sequence[Any]]]) -> list[dict[str, Any]]:
    rows = iter(table)
    header: dict[str, int] | None = None
    best: tuple[int, dict[str, int]] | None = None
    seen = 0
    for number, cells in rows:
        if all(_is_blank(cell) for cell in cells):
            continue
        columns, repeated = _match_header(cells)
        if all(key in columns for key in REQUIRED_COLUMNS):
            if repeated:
                names = ", ".join(f"«{COLUMN_LABELS[key]}»" for key in dict.fromkeys(repeated))
                raise ImportFileError(f"Dòng tiêu đề (dòng {number}) có cột trùng tên: {names}.")
            header = columns
            break
        if best is None or len(columns) > len(best[1]):
            best = (number, columns)
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    if header is None:
        if best is None:
            raise ImportFileError("Tệp không có dữ liệu.")
        missing = ", ".join(f"«{COLUMN_LABELS[key]}»" for key in REQUIRED_COLUMNS if key not in best[1])
        required = ", ".join(COLUMN_LABELS[key] for key in REQUIRED_COLUMNS)
        raise ImportFileError(
            f"Không tìm thấy dòng tiêu đề hợp lệ: thiếu cột {missing}. "
            f"Dòng tiêu đề phải có các cột {required} (cột Vai trò không bắt buộc)."
        )
    result: list[dict[str, Any]] = []
    for number, cells in rows:
        if all(_is_blank(cell) for cell in cells):
            continue
        record: dict[str, Any] = {"row": number}
        for key, index in header.items():
            record[key] = cells[index] if index < len(cells) else None
        result.append(record)
    if not result:
        raise ImportFileError("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.")
    return result


# --- Checking one value ------------------------------------------------------------------------


def _quote(value: Any) -> str:
    text = clean_text(str(value)) or ""
    return f"«{text[:40]}…»" if len(text) > 40 else f"«{text}»"


def _cccd_text(raw: Any) -> str:
    """A numeric Excel cell has lost the leading zeros every province code starts with: put them back."""
    if isinstance(raw, bool):
        return str(raw)
    if isinstance(raw, int) or (isinstance(raw, float) and raw.is_integer()):
        return str(int(raw)).zfill(12)
    return normalize_cccd(raw).removeprefix("'")  # the apostrophe that forces a text cell


def parse_full_name(raw: Any) -> tuple[str | None, str | None]:
    """The cleaned name, or a Vietnamese error: letters only, at least family name and given name."""
    name = clean_text(str(raw)) if raw is not None else None
    if not name:
        return None, "Thiếu họ và tên."
    if len(name) > MAX_NAME_LENGTH:
        return None, f"Họ và tên dài quá {MAX_NAME_LENGTH} ký tự."
    words = name.split(" ")
    if not all(_NAME_WORD.fullmatch(word) for word in words):
        return None, f"Họ và tên {_quote(name)} chỉ được chứa chữ cái."
    if len(words) < 2:
        return None, f"Họ và tên {_quote(name)} phải có ít nhất 2 từ (họ và tên)."
    return name, None


def parse_birth_date(raw: Any, *, today: date) -> tuple[date | None, str | None]:
    """dd/mm/yyyy, d/m/yyyy or yyyy-mm-dd with '/', '.' or '-', or an Excel date cell; never 2-digit years."""
    value: date | None = None
    if _is_blank(raw):
        return None, "Thiếu ngày sinh."
    if isinstance(raw, datetime):
        value = raw.date()
    elif isinstance(raw, date):
        value = raw
    elif isinstance(raw, int | float) and not isinstance(raw, bool):
        # A date cell without a date format arrives as its serial number.
        from openpyxl.utils.datetime import from_excel

        if 1 <= raw < 2958466:
            value = from_excel(raw).date()
    else:
        text = _MIDNIGHT.sub("", str(raw).strip())
        if _SHORT_YEAR.fullmatch(text):
            return None, f"Ngày sinh {_quote(raw)} phải ghi năm đủ 4 chữ số (ví dụ 01/03/1985)."
        try:
            if match := _DMY.fullmatch(text):
                value = date(int(match[4]), int(match[3]), int(match[1]))
            elif match := _YMD.fullmatch(text):
                value = date(int(match[1]), int(match[3]), int(match[4]))
        except ValueError:
            return None, f"Ngày sinh {_quote(raw)} không phải ngày có thật."
    if value is None:
        return None, f"Ngày sinh {_quote(raw)} không hợp lệ (ghi theo dạng ngày/tháng/năm, ví dụ 01/03/1985)."
    if value.year < 1900 or value >= today:
        return None, f"Ngày sinh {value:%d/%m/%Y} không hợp lý."
    return value, None


def parse_sex(raw: Any) -> tuple[str | None, str | None]:
    if _is_blank(raw):
        return None, "Thiếu giới tính."
    key = search_key(str(raw))
    if key in ("nam", "nu"):
        return key, None
    return None, f"Giới tính {_quote(raw)} không hợp lệ (ghi Nam hoặc Nữ)."


def parse_roles(raw: Any) -> tuple[list[str], str | None]:
    """Roles separated by '|' or ',' (codes or their Vietnamese names); empty means none."""
    if _is_blank(raw):
        return [], None
    roles: list[str] = []
    unknown: list[str] = []
    for part in re.split(r"[|,;]", str(raw)):
        if not part.strip():
            continue
        role = _ROLE_KEYS.get(search_key(part))
        if role is None:
            unknown.append(_quote(part))
        elif role not in roles:
            roles.append(role)
    if unknown:
        allowed = ", ".join(IMPORTABLE_ROLES)
        return [], f"Vai trò không hợp lệ: {', '.join(unknown)} (chỉ nhận {allowed})."
    return roles, None


# --- Importing -----------------------------------------------------------------------------------


class _Importer:
    """State of one import: the preloaded lookups, the rows seen so far, and the report."""

    def __init__(self, session: AnySession, now: datetime, allowed_unit_ids: Collection[int] | None = None) -> None:
        self.session = session
        self.now = now
        self.allowed_unit_ids = None if allowed_unit_ids is None else frozenset(allowed_unit_ids)
        self.today = now.date()
        self.report = ImportReport()
        self.seen: dict[str, int] = {}  # CCCD -> first row using it in this file
        self.new_users: list[dict[str, Any]] = []
        self.new_profiles: list[dict[str, Any]] = []
        self.new_roles: list[tuple[str, str, int]] = []  # (CCCD, role, unit id)

        units = [
            _Unit(*row)
            for row in session.execute(select(OrgUnit.id, OrgUnit.code, OrgUnit.kind, OrgUnit.path, OrgUnit.active))
        ]
        self.units_by_id = {unit.id: unit for unit in units}
        self.units_by_code = {unit.code: unit for unit in units}
        folded: dict[str, list[_Unit]] = {}
        for unit in units:
            folded.setdefault(unit.code.strip().casefold(), []).append(unit)
        self.units_by_folded = {code: found[0] for code, found in folded.items() if len(found) == 1}

        users = session.execute(
            select(User.cccd, User.id, User.full_name, User.birth_date, User.sex, Profile.org_unit_id).outerjoin(
                Profile, Profile.owner_id == User.id
            )
        )
        self.existing = {row[0]: _Existing(row[1], row[2], row[3], row[4], row[5]) for row in users}
        self.existing_roles: dict[int, set[tuple[str, int]]] = {}
        for user_id, role, unit_id in session.execute(
            select(RoleAssignment.user_id, RoleAssignment.role, RoleAssignment.org_unit_id)
        ):
            self.existing_roles.setdefault(user_id, set()).add((role, unit_id))
        # A profile whose id_number is not its owner's CCCD still claims that number (one profile per CCCD).
        self.claimed_by_profiles = set(
            session.scalars(
                select(Profile.id_number)
                .join(User, Profile.owner_id == User.id)
                .where(Profile.id_number.is_not(None), Profile.id_number != User.cccd)
            )
        )

    def managing_agency_id(self, unit: _Unit) -> int:
        """The nearest unit of kind 'co_quan' on the way up from (and including) the unit; else the unit."""
        for part in reversed(unit.path.strip("/").split("/")):
            ancestor = self.units_by_id.get(int(part)) if part.isdigit() else None
            if ancestor is not None and ancestor.kind == "co_quan":
                return ancestor.id
        return unit.id

    def find_unit(self, raw: Any) -> tuple[_Unit | None, str | None]:
        if _is_blank(raw):
            return None, "Thiếu mã đơn vị."
        is_number = isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer()
        code = str(int(raw)) if is_number else str(raw).strip()
        unit = self.units_by_code.get(code) or self.units_by_folded.get(code.casefold())
        if unit is None:
            return None, f"Không có đơn vị mã {_quote(code)}."
        if self.allowed_unit_ids is not None and unit.id not in self.allowed_unit_ids:
            return None, f"Đơn vị mã {_quote(code)} không thuộc phạm vi quản lý của bạn."
        if not unit.active:
            return None, f"Đơn vị mã {_quote(code)} đã ngừng hoạt động."
        return unit, None

    def handle(self, raw: dict[str, Any], position: int) -> None:
        row_number = int(raw.get("row") or position)
        number = _cccd_text(raw.get("cccd"))
        name, name_error = parse_full_name(raw.get("full_name"))
        birth_date, date_error = parse_birth_date(raw.get("birth_date"), today=self.today)
        sex, sex_error = parse_sex(raw.get("sex"))
        unit, unit_error = self.find_unit(raw.get("unit_code"))
        roles, roles_error = parse_roles(raw.get("roles"))

        errors: list[str] = []
        if not number:
            errors.append("Thiếu số CCCD.")
        else:
            check = check_cccd(number, birth_date, sex)
            errors.extend(check.errors)
            if check.errors and number.isdigit() and len(number) in (10, 11):
                errors.append("(Có thể Excel đã bỏ số 0 ở đầu: hãy định dạng cột CCCD là Văn bản.)")
            # On the profile a mismatch is only a warning; an account created from a wrong row is worse.
            errors.extend(check.warnings)
            if check.ok:
                if number in self.seen:
                    errors.insert(0, f"Trùng số CCCD với dòng {self.seen[number]}.")
                else:
                    self.seen[number] = row_number
        errors.extend(e for e in (name_error, date_error, sex_error, unit_error, roles_error) if e)
        if errors or name is None or birth_date is None or sex is None or unit is None:
            self.reject(row_number, number, " ".join(errors))
            return

        existing = self.existing.get(number)
        if existing is not None:
            differences = self.differences(existing, name, birth_date, sex, unit, roles)
            if differences:
                listed = ", ".join(differences)
                self.reject(
                    row_number, number, f"Số CCCD đã có tài khoản với thông tin khác ({listed}); không thay đổi gì."
                )
            else:
                self.report.unchanged += 1
        elif number in self.claimed_by_profiles:
            self.reject(row_number, number, "Số CCCD đã được ghi trong hồ sơ của người khác.")
        else:
            self.create(number, name, birth_date, sex, unit, roles)

    def differences(
        self, existing: _Existing, name: str, birth_date: date, sex: str, unit: _Unit, roles: list[str]
    ) -> list[str]:
        found: list[str] = []
        if existing.full_name.casefold() != name.casefold():
            found.append("họ và tên")
        if existing.birth_date != birth_date:
            found.append("ngày sinh")
        if existing.sex != sex:
            found.append("giới tính")
        if existing.unit_id != unit.id:
            found.append("đơn vị")
        held = self.existing_roles.get(existing.id, set())
        if any((role, unit.id) not in held for role in roles):
            found.append("vai trò")
        return found

    def create(self, number: str, name: str, birth_date: date, sex: str, unit: _Unit, roles: list[str]) -> None:
        """Queue the account, its draft profile and roles; written by `flush` in batches.

        Plain dicts and INSERT statements, not ORM objects: the profile has ~120 columns and a
        unit-of-work flush of 10,000 of them spends most of its time building parameters. Model
        validators do not run on bulk inserts, so the search keys are set here.
        """
        search = search_key(name)
        common = {"full_name": name, "full_name_search": search, "birth_date": birth_date, "sex": sex}
        self.new_users.append(
            common
            | {
                "cccd": number,
                "password_hash": None,  # on the default password: derived at login, never hashed
                "must_change_password": True,
                "default_password_issued_at": self.now,
            }
        )
        self.new_profiles.append(
            common
            | {
                "id_number": number,
                "org_unit_id": unit.id,
                "managing_agency_id": self.managing_agency_id(unit),
            }
        )
        self.new_roles.extend((number, role, unit.id) for role in roles)
        self.report.created += 1
        if len(self.new_users) >= BATCH_SIZE:
            self.flush()

    def reject(self, row_number: int, number: str, reason: str) -> None:
        self.report.rejected.append(RejectedRow(row_number, mask_cccd(number), reason))

    def flush(self) -> None:
        if not self.new_users:
            return
        inserted = self.session.execute(insert(User).returning(User.cccd, User.id), self.new_users)
        ids = {cccd: user_id for cccd, user_id in inserted}
        for profile in self.new_profiles:
            profile["owner_id"] = ids[profile["id_number"]]
        self.session.execute(insert(Profile), self.new_profiles)
        if self.new_roles:
            roles = [
                {"user_id": ids[cccd], "role": role, "org_unit_id": unit_id} for cccd, role, unit_id in self.new_roles
            ]
            self.session.execute(insert(RoleAssignment), roles)
        self.new_users, self.new_profiles, self.new_roles = [], [], []


def import_accounts(
    session: AnySession,
    rows: Iterable[dict[str, Any]],
    *,
    now: datetime,
    on_progress: Callable[[int], object] | None = None,
    allowed_unit_ids: Collection[int] | None = None,
) -> ImportReport:
    """Create the missing accounts with empty draft profiles; the caller commits.

    Idempotent: a CCCD that already has an account with the same data is counted as unchanged; with
    different data the row is rejected and nothing changes. `on_progress(n)` is told every n rows done.
    `allowed_unit_ids` limits the units rows may name (an HR officer imports into their own subtree
    only); None, as on the command line, allows every unit.
    """
    importer = _Importer(session, now, allowed_unit_ids)
    done = 0
    for position, raw in enumerate(rows, start=1):
        importer.handle(raw, position)
        done += 1
        if on_progress is not None and done == PROGRESS_EVERY:
            on_progress(done)
            done = 0
    importer.flush()
    if on_progress is not None and done:
        on_progress(done)
    return importer.report


# --- Command line --------------------------------------------------------------------------------


def run_import_cli(path: str) -> None:
    """`flask accounts import FILE`: read, import with a progress bar, commit, print the report."""
    context = click.get_current_context()
    try:
        rows = read_rows(path)
    except ImportFileError as exc:
        click.echo(f"Lỗi: {exc}", err=True)
        context.exit(1)
    click.echo(f"Đã đọc {len(rows)} dòng dữ liệu từ {Path(path).name}.")
    try:
        with click.progressbar(length=len(rows), label="Đang nhập tài khoản") as bar:
            report = import_accounts(db.session, rows, now=datetime.now(UTC), on_progress=bar.update)
        record(
            "accounts_import",
            details={
                "file": Path(path).name,
                "created": report.created,
                "unchanged": report.unchanged,
                "rejected": report.rejected_count,
            },
        )
        db.session.commit()
    except SQLAlchemyError as exc:
        db.session.rollback()
        click.echo(
            f"Lỗi: không ghi được vào cơ sở dữ liệu, chưa tài khoản nào được tạo ({exc.__class__.__name__}).",
            err=True,
        )
        context.exit(1)
    click.echo(report.summary())
    for rejected in report.rejected:
        click.echo(f"Dòng {rejected.row} (CCCD {rejected.cccd or 'trống'}): {rejected.reason}")
