"""Tài khoản: the accounts an HR officer manages (sysadmin: all), one by one or from a spreadsheet.

Thin views over auth.accounts: every account is loaded through `account_scope_clause`, so an
account outside the officer's subtree is a 404 whatever the URL; every action is a POST (CSRF
checked app-wide), calls one domain function, commits, and is audited by that function. A
refusal re-renders the account page with the Vietnamese reason and the refusal's status.
"""

from __future__ import annotations

import io
import re
import secrets
import tempfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_admin import Admin, expose
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, ValidationError

from admin_views.org_units import ManagerPageView, OrgUnitsView, TreeRow, refusal_to_form, tree_rows, unit_choices
from auth.accounts import (
    GRANTABLE_ROLES,
    SEXES,
    ActionRefused,
    account_scope_clause,
    account_state,
    assign_role,
    create_account,
    deactivate,
    is_hr_lock,
    lock,
    reactivate,
    reset_password,
    revoke_role,
    unlock,
)
from auth.accounts_import import (
    COLUMN_LABELS,
    ImportFileError,
    ImportReport,
    _cccd_text,  # the import's own reading of a CCCD cell, so results match its rows exactly
    import_accounts,
    read_rows,
)
from auth.audit import record
from extensions import db
from models.audit import mask_cccd
from models.dates import DateFormatError, format_date, parse_date
from models.export import XLSX_MIMETYPE, build_xlsx
from models.org import OrgUnit, subtree_ids
from models.profile import SEX_LABELS, Profile
from models.text import clean_text, search_key
from models.uploads import format_size
from models.user import ROLES, RoleAssignment, User

PAGE_SIZE = 50
STATE_LABELS = {
    "default_password": "Đang dùng mật khẩu mặc định",
    "own_password": "Đã đổi mật khẩu",
    "locked": "Bị khóa",
    "inactive": "Ngừng hoạt động",
}
STATE_BADGES = {
    "default_password": "badge-warning",
    "own_password": "badge-success",
    "locked": "badge-danger",
    "inactive": "badge-secondary",
}
OUTCOME_LABELS = {"created": "Tạo mới", "unchanged": "Đã có tài khoản (không thay đổi)", "rejected": "Từ chối"}

DEFAULT_IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_MAX_ROWS = 20_000
IMPORT_ROWS_SHOWN = 2_000  # the page lists this many rows; the result file has them all
IMPORT_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls")
RESULT_MAX_AGE_SECONDS = 24 * 3600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{20,64}")
RESULT_HEADERS = ("Dòng", "Số CCCD", "Họ và tên", "Mã đơn vị", "Kết quả", "Lý do")


def import_max_bytes() -> int:
    return int(current_app.config.get("ACCOUNTS_IMPORT_MAX_BYTES", DEFAULT_IMPORT_MAX_BYTES))


def results_dir() -> Path:
    """Import result files: under the instance folder, outside the web root, kept a day."""
    path = Path(current_app.config["INSTANCE_DIR"]) / "import_results"
    path.mkdir(parents=True, exist_ok=True)
    return path


def now_utc() -> datetime:
    return datetime.now(UTC)


# --- forms (CSRF is checked app-wide by CSRFProtect; the templates render the token) -------------------


def _sex_choices() -> list[SelectChoice]:
    return [SelectChoice("", "— Chọn —")] + [SelectChoice(s, SEX_LABELS[s]) for s in SEXES]


class AccountForm(FlaskForm):
    class Meta:
        csrf = False

    cccd = StringField("Số CCCD", validators=[DataRequired(message="Nhập số CCCD.")])
    full_name = StringField("Họ và tên", validators=[DataRequired(message="Nhập họ và tên.")])
    birth_date = StringField("Ngày sinh", validators=[DataRequired(message="Nhập ngày sinh.")])
    sex = SelectField(
        "Giới tính",
        choices=_sex_choices(),
        validate_choice=False,  # WTForms' own message is English; AnyOf says it in Vietnamese
        validators=[AnyOf(SEXES, message="Chọn giới tính.")],
    )
    unit_id = SelectField("Đơn vị", validate_choice=False)

    parsed_birth_date: date | None = None

    def validate_birth_date(self, field: StringField) -> None:
        try:
            self.parsed_birth_date = parse_date(field.data or "")
        except DateFormatError as exc:
            raise ValidationError(str(exc)) from exc


class ImportForm(FlaskForm):
    class Meta:
        csrf = False

    file = FileField("Tệp danh sách", validators=[FileRequired(message="Hãy chọn tệp Excel (.xlsx) hoặc CSV.")])


class RoleForm(FlaskForm):
    class Meta:
        csrf = False

    role = SelectField(
        "Vai trò",
        choices=[SelectChoice("", "— Chọn vai trò —")] + [SelectChoice(r, ROLES[r]) for r in GRANTABLE_ROLES],
        validate_choice=False,
    )
    unit_id = SelectField("Tại đơn vị (và các đơn vị trực thuộc)", validate_choice=False)


def _pick_unit(field: SelectField, units: dict[int, OrgUnit]) -> OrgUnit | None:
    raw = field.data or ""
    unit = units.get(int(raw)) if raw.isdigit() else None
    if unit is None:
        field.errors = [*field.errors, "Chọn đơn vị trong phạm vi quản lý của bạn."]
    return unit


# --- import results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowResult:
    row: int
    cccd: str  # masked
    full_name: str
    unit_code: str
    outcome: str  # created / unchanged / rejected
    reason: str = ""

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


def _shown(value: Any, limit: int = 100) -> str:
    text = clean_text(str(value)) if value is not None else None
    return (text or "")[:limit]


def _existing_cccds(numbers: Iterable[str]) -> set[str]:
    """Which of these CCCDs already have an account (chunked: SQLite caps bound parameters)."""
    wanted = sorted({n for n in numbers if len(n) == 12 and n.isdigit()})
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        found.update(db.session.scalars(select(User.cccd).where(User.cccd.in_(wanted[start : start + 500]))))
    return found


def row_results(rows: list[dict[str, Any]], report: ImportReport, existed: set[str]) -> list[RowResult]:
    """One result per row of the file: the report lists the rejected ones; of the others, a CCCD
    that had an account before the import is unchanged and the rest were created."""
    rejected = {r.row: r for r in report.rejected}
    results: list[RowResult] = []
    for position, raw in enumerate(rows, start=1):
        number = int(raw.get("row") or position)
        cccd = _cccd_text(raw.get("cccd"))
        name, unit_code = _shown(raw.get("full_name")), _shown(raw.get("unit_code"), 40)
        if number in rejected:
            results.append(
                RowResult(number, rejected[number].cccd, name, unit_code, "rejected", rejected[number].reason)
            )
        else:
            outcome = "unchanged" if cccd in existed else "created"
            results.append(RowResult(number, mask_cccd(cccd), name, unit_code, outcome))
    return results


def _save_result_file(user: User, results: list[RowResult]) -> str:
    """Write the result workbook, return its token; older files (a day) are removed on the way."""
    folder = results_dir()
    cutoff = time.time() - RESULT_MAX_AGE_SECONDS
    for old in folder.glob("*.xlsx"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass
    token = secrets.token_urlsafe(24)
    content = build_xlsx(
        RESULT_HEADERS,
        ((r.row, r.cccd, r.full_name, r.unit_code, r.outcome_label, r.reason) for r in results),
        sheet_title="Kết quả nhập",
    )
    (folder / f"{user.id}-{token}.xlsx").write_bytes(content)
    return token


def _grouped(number: int) -> str:
    """20.000: Vietnamese groups thousands with a dot."""
    return f"{number:,}".replace(",", ".")


def _copy_limited(upload: FileStorage, destination: Path, max_bytes: int) -> bool:
    """Copy the upload; False as soon as it is larger than `max_bytes`."""
    size = 0
    with destination.open("wb") as out:
        while chunk := upload.stream.read(64 * 1024):
            size += len(chunk)
            if size > max_bytes:
                return False
            out.write(chunk)
    return True


def _read_upload(upload: FileStorage) -> list[dict[str, Any]]:
    """Rows of the uploaded .xlsx/.csv, through the import's own reader; ImportFileError otherwise.

    The file lands in a private temporary folder under a fixed name: only its extension comes
    from the user, and only from a fixed list.
    """
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in IMPORT_SUFFIXES:
        suffix = ".unsupported"  # read_rows answers with the list of accepted types
    with tempfile.TemporaryDirectory(prefix="hoso-import-") as folder:
        path = Path(folder) / f"upload{suffix}"
        if not _copy_limited(upload, path, import_max_bytes()):
            raise ImportFileError(f"Tệp quá lớn: tối đa {format_size(import_max_bytes())}.")
        rows = read_rows(path)
    if len(rows) > IMPORT_MAX_ROWS:
        raise ImportFileError(
            f"Tệp có {_grouped(len(rows))} dòng dữ liệu, nhiều hơn mức tối đa {_grouped(IMPORT_MAX_ROWS)} dòng "
            "mỗi lần: hãy chia nhỏ tệp."
        )
    return rows


# --- the view -----------------------------------------------------------------------------------------


class AccountsView(ManagerPageView):
    def create_blueprint(self, admin: Admin) -> Any:
        blueprint = super().create_blueprint(admin)
        # Above MAX_CONTENT_LENGTH the request is refused before the view runs (CSRFProtect reads the
        # form first): answer on the import page with its own message instead of the generic 413 page.
        blueprint.register_error_handler(RequestEntityTooLarge, self._too_large)
        return blueprint

    def _too_large(self, _error: RequestEntityTooLarge) -> Any:
        form = ImportForm(formdata=None)
        form.file.errors = [f"Tệp quá lớn: tối đa {format_size(import_max_bytes())}. Chưa có tài khoản nào được tạo."]
        return self._import_page(form), 413

    # --- scope --------------------------------------------------------------------------------------

    def _account(self, user_id: int) -> User:
        """An account the current user manages, else 404 (its existence is not revealed)."""
        user = db.session.scalar(select(User).where(User.id == user_id, account_scope_clause(self._user())))
        if user is None:
            abort(404)
        return user

    def _scope_tree(self) -> list[TreeRow]:
        return tree_rows(self._scope_units())

    # --- list ---------------------------------------------------------------------------------------

    def _filtered(self, stmt: Select, now: datetime) -> tuple[Select, dict[str, Any]]:
        """The list's search (diacritics ignored, or CCCD digits), state and unit filters."""
        q = (request.args.get("q") or "").strip()[:100]
        state = request.args.get("trang_thai") or ""
        unit_raw = request.args.get("don_vi") or ""
        digits = q.replace(" ", "")
        if q and digits.isdigit() and len(digits) >= 3:
            stmt = stmt.where(User.cccd.contains(digits, autoescape=True))
        elif q:
            stmt = stmt.where(User.full_name_search.contains(search_key(q), autoescape=True))
        not_locked = or_(User.locked_until.is_(None), User.locked_until <= now)
        state_clauses = {
            "inactive": User.active.is_(False),
            "locked": and_(User.active.is_(True), User.locked_until > now),
            "default_password": and_(User.active.is_(True), not_locked, User.password_hash.is_(None)),
            "own_password": and_(User.active.is_(True), not_locked, User.password_hash.is_not(None)),
        }
        if state in state_clauses:
            stmt = stmt.where(state_clauses[state])
        else:
            state = ""
        unit = None
        if unit_raw.isdigit():
            unit = next((row.unit for row in self._scope_tree() if row.unit.id == int(unit_raw)), None)
        if unit is not None:
            stmt = stmt.where(Profile.org_unit_id.in_(subtree_ids(unit.path)))
        return stmt, {"q": q, "state": state, "unit_id": str(unit.id) if unit else ""}

    @expose("/")
    def index(self) -> Any:
        now = now_utc()
        base = (
            select(User, OrgUnit)
            .outerjoin(Profile, Profile.owner_id == User.id)
            .outerjoin(OrgUnit, OrgUnit.id == Profile.org_unit_id)
            .where(account_scope_clause(self._user()))
        )
        stmt, filters = self._filtered(base, now)
        total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(request.args.get("trang", 1, type=int) or 1, 1), pages)
        rows = db.session.execute(
            stmt.order_by(User.full_name_search, User.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
        ).all()
        accounts = [
            {
                "user": user,
                "unit": unit,
                "cccd": mask_cccd(user.cccd),
                "state": account_state(user, now=now),
                "roles": [(ROLES[r.role], r.org_unit.name) for r in user.roles],
            }
            for user, unit in rows
        ]
        return self.render(
            "accounts/list.html",
            accounts=accounts,
            total=total,
            page=page,
            pages=pages,
            filters=filters,
            states=STATE_LABELS,
            badges=STATE_BADGES,
            unit_options=unit_choices(self._scope_tree()),
        )

    # --- create one ---------------------------------------------------------------------------------

    def _create_page(self, form: AccountForm, status: int = 200) -> Any:
        form.unit_id.choices = [SelectChoice("", "— Chọn đơn vị —"), *unit_choices(self._scope_tree())]
        return self.render("accounts/create.html", form=form), status

    @expose("/tao-moi", methods=("GET", "POST"))
    def create(self) -> Any:
        form = AccountForm()
        if request.method == "GET":
            return self._create_page(form)
        if not form.validate():
            return self._create_page(form, 400)
        in_scope = {row.unit.id: row.unit for row in self._scope_tree()}
        unit = _pick_unit(form.unit_id, in_scope)
        if unit is None or form.parsed_birth_date is None:
            return self._create_page(form, 400)
        try:
            user = create_account(
                db.session,
                self._user(),
                cccd=form.cccd.data or "",
                full_name=form.full_name.data or "",
                birth_date=form.parsed_birth_date,
                sex=form.sex.data or "",
                unit=unit,
                now=now_utc(),
            )
            db.session.commit()
        except ActionRefused as refusal:
            db.session.rollback()
            refusal_to_form(form, refusal)
            return self._create_page(form, refusal.status)
        except IntegrityError:  # the same CCCD created by someone else a moment ago
            db.session.rollback()
            form.cccd.errors = [*form.cccd.errors, "Số CCCD này đã có tài khoản."]
            return self._create_page(form, 400)
        flash(
            f"Đã tạo tài khoản cho {user.full_name}. Người này đăng nhập bằng số CCCD và mật khẩu mặc định, "
            "rồi phải đổi mật khẩu ngay ở lần đầu.",
            "success",
        )
        return redirect(url_for(".detail", user_id=user.id), 303)

    # --- import from a file -------------------------------------------------------------------------

    def _import_page(self, form: ImportForm, **context: Any) -> str:
        return self.render(
            "accounts/import.html",
            form=form,
            max_size=format_size(import_max_bytes()),
            max_rows=_grouped(IMPORT_MAX_ROWS),
            columns=COLUMN_LABELS,
            **context,
        )

    @expose("/nhap-tu-tep", methods=("GET", "POST"))
    def import_file(self) -> Any:
        form = ImportForm()
        if request.method == "GET":
            return self._import_page(form)
        if not form.validate():
            return self._import_page(form), 400
        user = self._user()
        try:
            rows = _read_upload(form.file.data)
        except ImportFileError as exc:
            form.file.errors = [f"{exc} Chưa có tài khoản nào được tạo."]
            return self._import_page(form), 400
        now = now_utc()
        in_scope = [row.unit.id for row in self._scope_tree()]
        existed = _existing_cccds(_cccd_text(r.get("cccd")) for r in rows)
        try:
            report = import_accounts(db.session, rows, now=now, allowed_unit_ids=in_scope)
            record(
                "accounts_import",
                actor=user,
                details={
                    "file": _shown(form.file.data.filename, 100),
                    "created": report.created,
                    "unchanged": report.unchanged,
                    "rejected": report.rejected_count,
                },
            )
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            current_app.logger.exception("accounts import failed")
            form.file.errors = ["Không ghi được vào cơ sở dữ liệu, chưa tài khoản nào được tạo. Vui lòng thử lại."]
            return self._import_page(form), 500
        results = row_results(rows, report, existed)
        token = _save_result_file(user, results)
        return self._import_page(
            ImportForm(formdata=None),
            report=report,
            results=results[:IMPORT_ROWS_SHOWN],
            hidden_rows=max(0, len(results) - IMPORT_ROWS_SHOWN),
            result_url=url_for(".import_result", token=token),
        )

    @expose("/nhap-tu-tep/ket-qua/<token>")
    def import_result(self, token: str) -> Any:
        """The result workbook of one's own import (the token alone is not enough: the file name holds the user id)."""
        if not _TOKEN.fullmatch(token):
            abort(404)
        path = results_dir() / f"{self._user().id}-{token}.xlsx"
        if not path.is_file():
            abort(404)
        response = send_file(
            path,
            mimetype=XLSX_MIMETYPE,
            as_attachment=True,
            download_name=f"ket-qua-nhap-tai-khoan-{now_utc():%Y%m%d-%H%M}.xlsx",
            max_age=0,
        )
        response.headers["Cache-Control"] = "private, no-store"  # personal data: no shared or disk cache
        return response

    @expose("/nhap-tu-tep/tep-mau")
    def import_template(self) -> Any:
        """An empty list with the header row the import expects."""
        content = build_xlsx([COLUMN_LABELS[key] for key in COLUMN_LABELS], [], sheet_title="Danh sách tài khoản")
        return send_file(
            io.BytesIO(content),
            mimetype=XLSX_MIMETYPE,
            as_attachment=True,
            download_name="mau-danh-sach-tai-khoan.xlsx",
        )

    # --- one account --------------------------------------------------------------------------------

    def _detail_page(
        self, target: User, *, role_form: RoleForm | None = None, error: str | None = None, status: int = 200
    ) -> Any:
        now = now_utc()
        actor = self._user()
        profile = db.session.scalar(select(Profile).where(Profile.owner_id == target.id))
        role_form = role_form or RoleForm(formdata=None)
        role_form.unit_id.choices = [SelectChoice("", "— Chọn đơn vị —"), *unit_choices(self._scope_tree())]
        html = self.render(
            "accounts/detail.html",
            target=target,
            profile=profile,
            cccd=mask_cccd(target.cccd),
            birth_date=format_date(target.birth_date),
            sex=SEX_LABELS.get(target.sex or "", ""),
            state=account_state(target, now=now),
            states=STATE_LABELS,
            badges=STATE_BADGES,
            hr_lock=is_hr_lock(target),
            roles=sorted(target.roles, key=lambda r: (r.role, r.org_unit.path)),
            role_labels=ROLES,
            role_form=role_form,
            is_self=target.id == actor.id,
            error=error,
        )
        return html, status

    @expose("/<int:user_id>/")
    def detail(self, user_id: int) -> Any:
        return self._detail_page(self._account(user_id))

    def _act(self, user_id: int, action: Callable[[User], None], done: Callable[[User], str]) -> Any:
        """Run one domain action on a scoped account: commit and redirect, or show the refusal."""
        target = self._account(user_id)
        try:
            action(target)
            db.session.commit()
        except ActionRefused as refusal:
            db.session.rollback()
            return self._detail_page(self._account(user_id), error=str(refusal), status=refusal.status)
        flash(done(target), "success")
        return redirect(url_for(".detail", user_id=user_id), 303)

    @expose("/<int:user_id>/dat-lai-mat-khau", methods=("POST",))
    def reset_password(self, user_id: int) -> Any:
        return self._act(
            user_id,
            lambda t: reset_password(db.session, self._user(), t, now=now_utc()),
            lambda t: (
                f"Đã đặt lại mật khẩu mặc định cho {t.full_name}; người này phải đổi mật khẩu ở lần đăng nhập tới."
            ),
        )

    @expose("/<int:user_id>/khoa", methods=("POST",))
    def lock_account(self, user_id: int) -> Any:
        return self._act(
            user_id,
            lambda t: lock(db.session, self._user(), t),
            lambda t: f"Đã khóa tài khoản của {t.full_name} và đăng xuất khỏi mọi nơi.",
        )

    @expose("/<int:user_id>/mo-khoa", methods=("POST",))
    def unlock_account(self, user_id: int) -> Any:
        return self._act(
            user_id,
            lambda t: unlock(db.session, self._user(), t, now=now_utc()),
            lambda t: f"Đã mở khóa tài khoản của {t.full_name}.",
        )

    @expose("/<int:user_id>/ngung-hoat-dong", methods=("POST",))
    def deactivate_account(self, user_id: int) -> Any:
        return self._act(
            user_id,
            lambda t: deactivate(db.session, self._user(), t),
            lambda t: f"Đã ngừng hoạt động tài khoản của {t.full_name}: người này không đăng nhập được nữa.",
        )

    @expose("/<int:user_id>/kich-hoat", methods=("POST",))
    def reactivate_account(self, user_id: int) -> Any:
        return self._act(
            user_id,
            lambda t: reactivate(db.session, self._user(), t),
            lambda t: f"Đã cho tài khoản của {t.full_name} hoạt động trở lại.",
        )

    @expose("/<int:user_id>/vai-tro", methods=("POST",))
    def add_role(self, user_id: int) -> Any:
        target = self._account(user_id)
        form = RoleForm()
        units = {row.unit.id: row.unit for row in self._scope_tree()}
        unit = _pick_unit(form.unit_id, units)
        role = form.role.data or ""
        if not role:
            form.role.errors = [*form.role.errors, "Chọn vai trò."]
        if unit is None or not role:
            return self._detail_page(target, role_form=form, status=400)
        try:
            assign_role(db.session, self._user(), target, role, unit)
            db.session.commit()
        except ActionRefused as refusal:
            db.session.rollback()
            if refusal.field:
                refusal_to_form(form, refusal)
            # A refusal about the account itself goes above everything: the role form may not even show.
            error = None if refusal.field else str(refusal)
            return self._detail_page(self._account(user_id), role_form=form, error=error, status=refusal.status)
        flash(f"Đã giao vai trò {ROLES[role]} tại «{unit.name}» cho {target.full_name}.", "success")
        return redirect(url_for(".detail", user_id=user_id), 303)

    @expose("/<int:user_id>/vai-tro/<int:assignment_id>/thu-hoi", methods=("POST",))
    def remove_role(self, user_id: int, assignment_id: int) -> Any:
        target = self._account(user_id)
        assignment = db.session.scalar(
            select(RoleAssignment).where(RoleAssignment.id == assignment_id, RoleAssignment.user_id == target.id)
        )
        if assignment is None:
            abort(404)
        label, unit_name = ROLES.get(assignment.role, assignment.role), assignment.org_unit.name
        return self._act(
            user_id,
            lambda t: revoke_role(db.session, self._user(), assignment),
            lambda t: f"Đã thu hồi vai trò {label} tại «{unit_name}» của {t.full_name}.",
        )


def register_account_views(admin: Admin) -> None:
    """Tài khoản and Đơn vị: for HR officers and sysadmins only."""
    admin.add_view(AccountsView(name="Tài khoản", endpoint="accounts", url="/tai-khoan"))
    admin.add_view(OrgUnitsView(name="Đơn vị", endpoint="org_units", url="/don-vi"))
