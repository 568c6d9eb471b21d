"""The review page of one profile: everything section by section, what changed since the last
confirmed version highlighted, and Xác nhận / Từ chối (with a note) for its approver."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_login import current_user

from admin_views.base import SignedInPageView
from admin_views.display import show
from admin_views.profile_page import latest_rejection_note, load_scoped_profile
from admin_views.refs import current_refs
from auth.audit import record
from auth.permissions import can, is_approver_of
from extensions import db
from models.changes import compare_versions
from models.profile import STATUS_LABELS, Profile
from models.refs import RefLookup
from models.section_registry import SECTIONS, Field, Section
from models.snapshot import profile_data
from models.workflow import TransitionError, official_version, transition

STALE_MESSAGE = "Hồ sơ đã thay đổi sau khi bạn mở trang này. Hãy xem lại nội dung mới rồi thao tác lại."


@dataclass
class FieldRow:
    label: str
    value: str
    old: str | None = None  # set when changed
    changed: bool = False


@dataclass
class Cell:
    value: str
    old: str | None = None
    changed: bool = False


@dataclass
class TableRow:
    status: str  # "same" | "added" | "removed" | "changed"
    cells: list[Cell]


@dataclass
class TableView:
    title: str
    headers: list[str]
    rows: list[TableRow] = field(default_factory=list)


@dataclass
class SectionReview:
    section: Section
    fields: list[FieldRow]
    tables: list[TableView]
    changed: bool


def _changed_columns(spec: Field, changed: dict[str, Any]) -> bool:
    return any(column in changed for column in spec.columns)


def build_sections(current: dict[str, Any], official: dict[str, Any] | None, refs: RefLookup) -> list[SectionReview]:
    """The page's view model: each section with its values, old values where they changed."""
    diff = compare_versions(official, current)
    old = official or {"rows": {}}
    result = []
    for section in SECTIONS:
        changes = diff.get(section.key, {})
        changed_fields = changes.get("fields", {})
        fields = []
        for spec in section.fields:
            is_changed = _changed_columns(spec, changed_fields)
            fields.append(
                FieldRow(
                    spec.label,
                    show(spec, current, refs),
                    show(spec, old, refs) if is_changed else None,
                    is_changed,
                )
            )
        tables = []
        for table in section.tables:
            view = TableView(table.title + (f" ({table.item})" if table.item else ""), [c.label for c in table.columns])
            old_rows = {str(r.get("id")): r for r in old.get("rows", {}).get(table.name, [])}
            for row in current.get("rows", {}).get(table.name, []):
                before = old_rows.pop(str(row.get("id")), None)
                cells = []
                for spec in table.columns:
                    text = show(spec, row, refs)
                    old_text = show(spec, before, refs) if before is not None else None
                    cells.append(Cell(text, old_text, before is not None and old_text != text))
                if before is None:
                    status = "added"
                elif any(c.changed for c in cells):
                    status = "changed"
                else:
                    status = "same"
                view.rows.append(TableRow(status, cells))
            for removed in old_rows.values():
                view.rows.append(TableRow("removed", [Cell(show(spec, removed, refs)) for spec in table.columns]))
            tables.append(view)
        result.append(SectionReview(section, fields, tables, bool(changes)))
    return result


class ReviewView(SignedInPageView):
    """/phe-duyet/ho-so/<id>/: open to whoever may see the profile; acting needs `can(confirm|reject)`."""

    def is_visible(self) -> bool:
        return False

    def _load(self, profile_id: int) -> Profile:
        profile = load_scoped_profile(profile_id, with_children=True)
        if profile is None:
            abort(404)
        return profile

    @expose("/")
    def index(self):  # type: ignore[no-untyped-def]
        return redirect(url_for("admin.index"))

    @expose("/<int:profile_id>/")
    def show(self, profile_id: int):  # type: ignore[no-untyped-def]
        profile = self._load(profile_id)
        official = official_version(db.session, profile.id)
        user = current_user._get_current_object()
        return self.render(
            "review/profile.html",
            profile=profile,
            states=STATUS_LABELS,
            official=official,
            sections=build_sections(profile_data(profile), official.data if official else None, current_refs()),
            may_confirm=can(user, "confirm", profile),
            may_reject=can(user, "reject", profile),
            rejection_note=latest_rejection_note(profile),
            is_first=official is None,
        )

    @expose("/<int:profile_id>/xac-nhan", methods=("POST",))
    def confirm(self, profile_id: int):  # type: ignore[no-untyped-def]
        return self._act(profile_id, "confirm")

    @expose("/<int:profile_id>/tu-choi", methods=("POST",))
    def reject(self, profile_id: int):  # type: ignore[no-untyped-def]
        return self._act(profile_id, "reject")

    def _act(self, profile_id: int, action: str):  # type: ignore[no-untyped-def]
        profile = self._load(profile_id)
        user = current_user._get_current_object()
        if not is_approver_of(user, profile):
            record("transition_refused", object_type="profile", object_id=profile.id, details={"action": action})
            db.session.commit()
            abort(403, "Bạn không được xác nhận hoặc từ chối hồ sơ này.")
        back = url_for(".show", profile_id=profile.id)
        # The approver decides on what they saw: a profile changed since the page loaded is not acted on.
        if request.form.get("expected_version") != str(profile.version_id):
            flash(STALE_MESSAGE, "error")
            return redirect(back)
        note = (request.form.get("note") or "").strip() or None
        try:
            transition(db.session, profile, action, actor_id=user.id, now=datetime.now(UTC), note=note)
            db.session.commit()
        except TransitionError as exc:
            db.session.rollback()
            flash(str(exc), "error")
            return redirect(back)
        label = "Đã xác nhận" if action == "confirm" else "Đã từ chối"
        flash(f"{label} hồ sơ {profile.full_name}.", "success")
        return redirect(back)
