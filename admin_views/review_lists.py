"""Hồ sơ chờ xác nhận (the approver's queue, with bulk Xác nhận / Từ chối) and Quản lý hồ sơ (HR's
list of every profile of its subtrees, with the Excel export).

Bulk actions never trust the submitted ids: they are re-filtered through the scoped query, each
row is checked with `can()` and moved by `workflow.transition`, one transaction per row, so a
row is either fully applied (status + history + confirmed version) or untouched, and the report
says which rows were skipped and why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from flask import current_app, flash, redirect, request, send_file, url_for
from flask_admin import Admin, expose
from flask_admin.actions import action
from flask_login import current_user
from sqlalchemy import ColumnElement, and_, select
from werkzeug.wrappers import Response
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from admin_views.forms import SecureForm
from admin_views.lists_base import ProfileListView
from admin_views.refs import current_refs
from auth.audit import record
from auth.permissions import can, profile_scope_clause
from extensions import db
from models.audit import mask_cccd
from models.export import XLSX_MIMETYPE, build_xlsx
from models.profile import Profile
from models.user import User
from models.workflow import PENDING, ConcurrentTransition, TransitionError, transition

DEFAULT_EXPORT_MAX_ROWS = 5000
NOTE_MAX_LENGTH = 2000
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")  # the app's only time zone (see app.py); xlsx has none
NAMES_SHOWN = 20  # a flash message listing hundreds of names helps nobody

# Why a selected row was skipped, as the report says it.
NOT_PENDING = "không ở trạng thái Chờ xác nhận"
OWN_PROFILE = "hồ sơ của chính bạn"
CONCURRENT = "vừa được người khác xử lý"
NOT_ALLOWED = "bạn không có quyền phê duyệt"

DONE_LABELS = {"confirm": "đã xác nhận", "reject": "đã từ chối"}


def parse_ids(raw: Iterable[str]) -> tuple[list[int], int]:
    """Distinct positive integer ids in submission order, and how many values were not ids."""
    ids: list[int] = []
    invalid = 0
    for value in raw:
        text = str(value).strip()
        # Ids are database integers: a longer string is forged, and int() of thousands of digits raises.
        if text.isascii() and text.isdigit() and len(text) <= 18 and int(text) > 0:
            if int(text) not in ids:
                ids.append(int(text))
        else:
            invalid += 1
    return ids, invalid


def _names(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_SHOWN])
    rest = len(names) - NAMES_SHOWN
    return f"{shown} và {rest} hồ sơ khác" if rest > 0 else shown


@dataclass
class BulkOutcome:
    """What a bulk action did: names applied, names skipped per reason, count of ids outside scope."""

    action: str
    done: list[str] = field(default_factory=list)
    skipped: dict[str, list[str]] = field(default_factory=dict)
    outside: int = 0

    def skip(self, reason: str, name: str) -> None:
        self.skipped.setdefault(reason, []).append(name)

    def message(self) -> str:
        """E.g. "12 hồ sơ đã xác nhận; 2 bỏ qua: không ở trạng thái Chờ xác nhận (A, B); 1 hồ sơ không
        thuộc phạm vi." Rows outside the scope are only counted: their names are not the user's to see."""
        parts = [f"{len(self.done)} hồ sơ {DONE_LABELS[self.action]}"]
        for reason, names in self.skipped.items():
            parts.append(f"{len(names)} bỏ qua: {reason} ({_names(names)})")
        if self.outside:
            parts.append(f"{self.outside} hồ sơ không thuộc phạm vi")
        return "; ".join(parts) + "."

    @property
    def category(self) -> str:
        if not self.done:
            return "error"
        return "warning" if self.skipped or self.outside else "success"


class RejectForm(SecureForm):
    note = TextAreaField(
        "Lý do từ chối",
        validators=[
            DataRequired(message="Hãy ghi rõ lý do từ chối để người khai biết cần sửa gì."),
            Length(max=NOTE_MAX_LENGTH, message=f"Lý do từ chối dài tối đa {NOTE_MAX_LENGTH} ký tự."),
        ],
    )


class ApprovalQueueView(ProfileListView):
    """/phe-duyet/: the profiles of the approver's subtrees, pending ones by default, never their own."""

    scope_roles = frozenset({"approver"})
    default_filters = {"status": PENDING}
    page_heading = "Hồ sơ chờ xác nhận"
    reject_template = "review/reject_bulk.html"

    def scope_clause(self) -> ColumnElement[bool]:
        return and_(profile_scope_clause(current_user, self.scope_roles), Profile.owner_id != current_user.id)

    def row_url(self, profile: Profile) -> str:
        # The review page (endpoint review.show) lives at this path.
        return f"{request.script_root}/phe-duyet/ho-so/{profile.id}/"

    def is_action_allowed(self, name: str) -> bool:
        return name in ("confirm", "reject", "print_2c")

    # --- bulk actions ---------------------------------------------------------------------------
    @action("confirm", "Xác nhận", "Xác nhận các hồ sơ đã chọn?")
    def action_confirm(self, ids: list[str]) -> Response:
        outcome = self.apply_bulk("confirm", ids)
        flash(outcome.message(), outcome.category)
        return redirect(self.safe_return_url(request.form.get("url")))

    @action("reject", "Từ chối")
    def action_reject(self, ids: list[str]) -> Response:
        """Nothing is rejected here: the note page comes first."""
        valid, _invalid = parse_ids(ids)
        return redirect(self.get_url(".reject_view", id=valid, url=self.safe_return_url(request.form.get("url"))))

    @expose("/tu-choi", methods=("GET", "POST"))
    def reject_view(self):  # type: ignore[no-untyped-def]
        """GET shows the selected profiles and asks for the note; POST with a note rejects them."""
        raw_ids = request.values.getlist("id")
        ids, invalid = parse_ids(raw_ids)
        back = self.safe_return_url(request.values.get("url"))
        if not ids:
            flash("Chưa chọn hồ sơ nào để từ chối.", "error")
            return redirect(back)
        form = RejectForm()
        if request.method == "POST" and form.validate():
            outcome = self.apply_bulk("reject", raw_ids, note=form.note.data)
            flash(outcome.message(), outcome.category)
            return redirect(back)
        rows = sorted(self.scoped_rows(ids), key=lambda p: (p.full_name_search, p.id))  # type: ignore[arg-type]
        return self.render(
            self.reject_template,
            form=form,
            rows=rows,
            ids=ids,
            outside=len(ids) - len(rows) + invalid,
            back=back,
        )

    def apply_bulk(self, action_name: str, raw_ids: list[str], *, note: str | None = None) -> BulkOutcome:
        """Apply `action_name` to each selected row the user may act on; one commit per row."""
        user: User = current_user._get_current_object()
        user_id = user.id
        outcome = BulkOutcome(action_name)
        ids, outcome.outside = parse_ids(raw_ids)
        own = db.session.execute(select(Profile.id, Profile.full_name).where(Profile.owner_id == user_id)).first()
        # Integers, not the posted strings: PostgreSQL refuses `integer = varchar` in the IN list.
        rows = self.scoped_rows(ids) if ids else []  # type: ignore[arg-type]
        found = {profile.id for profile in rows}
        refused: dict[str, list[int]] = {}
        for pid in ids:
            if pid in found:
                continue
            if own is not None and pid == own.id:
                outcome.skip(OWN_PROFILE, own.full_name)
                refused.setdefault("own", []).append(pid)
            else:
                outcome.outside += 1
                refused.setdefault("out_of_scope", []).append(pid)

        work = [(p.id, p.full_name) for p in sorted(rows, key=lambda p: (p.full_name_search, p.id))]
        by_id = {p.id: p for p in rows}
        for pid, name in work:
            profile = by_id[pid]  # expired by the previous row's commit: reloaded, so its state is current
            if not can(user, action_name, profile):
                reason = NOT_PENDING if profile.status != PENDING else NOT_ALLOWED
                outcome.skip(reason, name)
                refused.setdefault("wrong_state" if reason == NOT_PENDING else "not_allowed", []).append(pid)
                continue
            try:
                transition(db.session, profile, action_name, actor_id=user_id, now=datetime.now(UTC), note=note)
                db.session.commit()
            except ConcurrentTransition:
                db.session.rollback()
                outcome.skip(CONCURRENT, name)
            except TransitionError as exc:
                db.session.rollback()
                outcome.skip(str(exc).rstrip("."), name)
            else:
                outcome.done.append(name)
        if refused:
            record(
                "transition_refused",
                actor=user,
                object_type="profile",
                details={"action": action_name, "bulk": True, **refused},
            )
            db.session.commit()
        return outcome


class HrProfileListView(ProfileListView):
    """/quan-ly-ho-so/: every profile of the HR officer's subtrees, with the Excel export."""

    scope_roles = frozenset({"hr"})
    page_heading = "Hồ sơ CBCCVC"

    def row_url(self, profile: Profile) -> str:
        return url_for("profile.show", profile_id=profile.id)

    def list_context(self, context: dict[str, Any]) -> dict[str, Any]:
        params: dict[str, Any] = {
            **self._get_filters(context.get("active_filters")),
            "search": context.get("search") or None,
            "sort": context.get("sort_column"),
            "desc": 1 if context.get("sort_desc") else None,
        }
        return {"export_url": self.get_url(".export_xlsx", **params)}

    @expose("/xuat-excel")
    def export_xlsx(self):  # type: ignore[no-untyped-def]
        """Exactly the rows the list's filters and search select, or nothing: above the cap the export
        is refused, never cut short, since a silently partial list would be taken as complete."""
        cap = int(current_app.config.get("EXPORT_MAX_ROWS", DEFAULT_EXPORT_MAX_ROWS))
        view_args = self._get_list_extra_args()
        sort = self._get_column_by_idx(view_args.sort)
        count, query = self.get_list(
            0,
            sort[0] if sort else None,
            bool(view_args.sort_desc),
            view_args.search,
            view_args.filters,
            execute=False,
            page_size=0,
        )
        rows = query.limit(cap + 1).all() if (count or 0) <= cap else []
        if (count or 0) > cap or len(rows) > cap:
            flash(
                f"Bộ lọc hiện tại chọn {_thousands(max(count or 0, len(rows)))} hồ sơ, vượt quá giới hạn xuất Excel "
                f"({_thousands(cap)} hồ sơ). Hãy thu hẹp bộ lọc (đơn vị, trạng thái, ngạch…) rồi xuất lại.",
                "error",
            )
            return redirect(self._get_list_url(view_args))
        content = build_xlsx(
            EXPORT_HEADERS, (export_row(n, p) for n, p in enumerate(rows, start=1)), sheet_title="Hồ sơ CBCCVC"
        )
        record(
            "profiles_exported",
            object_type="profile",
            details={
                "rows": len(rows),
                "search": view_args.search or "",
                "filters": {name: value for _idx, name, value in view_args.filters or []},
            },
        )
        db.session.commit()
        stamp = datetime.now(LOCAL_TZ).strftime("%Y%m%d-%H%M")
        return send_file(
            BytesIO(content),
            mimetype=XLSX_MIMETYPE,
            as_attachment=True,
            download_name=f"ho-so-cbccvc-{stamp}.xlsx",
        )


EXPORT_HEADERS = (
    "STT",
    "Họ và tên",
    "Số CCCD",
    "Ngày sinh",
    "Đơn vị",
    "Loại cán bộ",
    "Ngạch",
    "Trạng thái",
    "Cập nhật lần cuối",
)


def _thousands(number: int) -> str:
    """12345 -> "12.345", as Vietnamese write it."""
    return f"{number:,}".replace(",", ".")


def export_row(number: int, profile: Profile) -> list[Any]:
    """One spreadsheet row; the CCCD stays masked as in the list (the export leaves the system)."""
    refs = current_refs()
    rank = refs.rank(profile.rank_code) if profile.rank_code else None
    updated = profile.updated_at
    if updated is not None and updated.tzinfo is None:
        updated = updated.replace(tzinfo=UTC)  # SQLite hands back naive UTC values
    return [
        number,
        profile.full_name,
        mask_cccd(profile.id_number),
        profile.birth_date,
        profile.org_unit.name if profile.org_unit else "",
        refs.name("staff_types", profile.staff_type) or (profile.staff_type or ""),
        rank.name if rank else (profile.rank_code or ""),
        profile.status_label,
        updated.astimezone(LOCAL_TZ) if updated else None,
    ]


def register_review_lists(admin: Admin) -> None:
    admin.add_view(ApprovalQueueView(name="Hồ sơ chờ xác nhận", endpoint="approval", url="/phe-duyet"))
    admin.add_view(HrProfileListView(name="Quản lý hồ sơ", endpoint="hr_profiles", url="/quan-ly-ho-so"))
