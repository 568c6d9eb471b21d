"""The eleven section views (I–XI): Flask-Admin edit forms over Profile, built from the registry.

Each view edits one section of one profile: its single-value fields plus its repeating tables as
inline rows. Lưu saves whatever parses (completeness is Gửi xác nhận's job), refuses a stale
version (two tabs), and writes a history row with what changed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import abort, flash, redirect, request
from flask_admin import expose
from flask_admin.model.form import InlineFormAdmin
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError
from wtforms import Form

from admin_views.base import ScopedProfileView
from admin_views.forms import section_form_class, table_form_class
from admin_views.profile_page import load_scoped_profile, profile_context
from auth.audit import record
from auth.permissions import can
from extensions import db
from models.audit import ProfileHistory
from models.base import utcnow
from models.changes import diff_states, section_state
from models.profile import Profile
from models.section_registry import SECTIONS, Section, Table

CONFLICT_MESSAGE = (
    "Hồ sơ vừa được lưu ở một cửa sổ hoặc phiên khác nên thay đổi của bạn CHƯA được lưu. "
    "Những gì bạn vừa nhập vẫn còn trên màn hình: hãy sao chép lại, tải lại trang để xem bản mới nhất rồi nhập lại."
)
READONLY_MESSAGE = "Hồ sơ đang ở trạng thái «{state}»: bạn chỉ được xem, không được sửa."


class RegistryInline(InlineFormAdmin):
    """Inline rows of one repeating table, with the row form generated from the registry."""

    def __init__(self, model: type, table: Table) -> None:
        super().__init__(model)
        self.table = table
        self.form_label = table.title + (f" ({table.item})" if table.item else "")

    def get_form(self) -> type[Form]:
        return table_form_class(self.table)

    def on_model_change(self, form: Form, model: Any, is_created: bool) -> None:
        if getattr(model, "__tablename__", "") == "family_members":
            _derive_family_side(model)


def _derive_family_side(member: Any) -> None:
    """`side` is never typed: it is copied from the relation's reference entry."""
    from admin_views.refs import current_refs

    item = current_refs().item("family_relations", member.relation) if member.relation else None
    member.side = item.kind if item else None


def _walk_fields(form: Form):  # type: ignore[no-untyped-def]
    for field in form:
        yield field
        for entry in getattr(field, "entries", []) or []:
            inner = getattr(entry, "form", None)
            if inner is not None:
                yield from _walk_fields(inner)


def _form_name(issue_field: str) -> str:
    """The form field behind a rule's location: "work_history[0].from_date" -> "work_history-0-from_period"."""
    from admin_views.forms import PERIOD_ATTRS

    if "[" in issue_field:
        table, rest = issue_field.split("[", 1)
        index, column = rest.split("].", 1)
        return f"{table}-{index}-{PERIOD_ATTRS.get(column, column)}"
    return PERIOD_ATTRS.get(issue_field, issue_field)


def _find_field(form: Form, name: str):  # type: ignore[no-untyped-def]
    for field in _walk_fields(form):
        if field.name == name:
            return field
    return None


class SectionView(ScopedProfileView):
    section: Section
    edit_template = "profile/section_edit.html"
    details_template = "profile/section_edit.html"

    def __init__(self, section: Section, **kwargs: Any) -> None:
        self.section = section
        self.inline_models = [
            RegistryInline(getattr(Profile, table.name).property.mapper.class_, table) for table in section.tables
        ]
        super().__init__(
            name=f"{section.number}. {section.title}",
            endpoint=f"section_{section.key}",
            url=f"/ho-so/muc/{section.key}",
            **kwargs,
        )

    def is_visible(self) -> bool:
        return False  # reached from the profile page's section tabs, not the top menu

    def scaffold_form(self) -> type[Form]:
        form_class = section_form_class(self.section, skip=set())
        if self.inline_models:
            form_class = self.scaffold_inline_form_models(form_class)
        return form_class

    # --- who may change what ----------------------------------------------------------------
    def _allowed_fields(self, profile: Profile) -> set[str]:
        """Field names this user may write; the rest are dropped from the form (deny by default)."""
        user = current_user._get_current_object()
        allowed = set()
        for spec in self.section.fields:
            if spec.hr_only and not can(user, "edit_hr_fields", profile):
                continue
            if spec.assessor_only and not can(user, "edit_assessment", profile):
                continue
            allowed.add(spec.name)
        return allowed

    def edit_form(self, obj: Profile | None = None) -> Form:
        form = super().edit_form(obj)
        assert obj is not None
        allowed = self._allowed_fields(obj)
        for spec in self.section.fields:
            if spec.name not in allowed:
                for name in list(form._fields):
                    if name == spec.name or name.startswith(spec.name + "_") and spec.type == "address":
                        del form[name]
        if request.method == "GET":
            form.expected_version.data = str(obj.version_id)
            self._show_rule_issues(form, obj)
        if not can(current_user._get_current_object(), "edit", obj):
            for field in _walk_fields(form):
                field.render_kw = {**(field.render_kw or {}), "disabled": True}
        return form

    def _show_rule_issues(self, form: Form, profile: Profile) -> None:
        """Put each rule's message beside its field ("Lưu never blocks, it shows the problem")."""
        report = self._template_args.get("report")
        if report is None:
            return
        for issue in report.for_section(self.section.key):
            if issue.level == "missing":
                continue
            name = _form_name(issue.field)
            field = _find_field(form, name)
            if field is not None:
                prefix = "Cảnh báo: " if issue.level == "warning" else ""
                field.errors = [*field.errors, prefix + issue.message]

    # --- views --------------------------------------------------------------------------------
    @expose("/")
    def index_view(self):  # type: ignore[no-untyped-def]
        """Employees have one profile: the list view is the profile page."""
        return redirect(self._profile_url())

    def _profile_url(self, profile: Profile | None = None) -> str:
        from flask import url_for

        if profile is None:
            return url_for("profile.index")
        return url_for("profile.show", profile_id=profile.id)

    @expose("/edit/", methods=("GET", "POST"))
    def edit_view(self):  # type: ignore[no-untyped-def]
        raw_id = request.args.get("id", "")
        profile = load_scoped_profile(int(raw_id), with_children=True) if raw_id.isdigit() else None
        if profile is None:
            abort(404)
        editable = can(current_user._get_current_object(), "edit", profile)
        if request.method == "POST" and not editable:
            record("edit_refused", object_type="profile", object_id=profile.id, details={"section": self.section.key})
            db.session.commit()
            flash(READONLY_MESSAGE.format(state=profile.status_label), "error")
            return redirect(self.get_url(".edit_view", id=profile.id))
        self._template_args.update(profile_context(profile, active_section=self.section.key))
        self._template_args["editable"] = editable
        self._template_args["section"] = self.section
        return super().edit_view()

    @expose("/details/")
    def details_view(self):  # type: ignore[no-untyped-def]
        profile = self.get_one(request.args.get("id"))
        if profile is None:
            abort(404)
        return redirect(self.get_url(".edit_view", id=profile.id))

    def get_save_return_url(self, model: Profile, is_created: bool = False) -> str:
        return self.get_url(".edit_view", id=model.id)

    def update_model(self, form: Form, model: Profile) -> bool:
        expected = form.expected_version.data
        del form["expected_version"]
        if str(model.version_id) != (expected or ""):
            flash(CONFLICT_MESSAGE, "error")
            return False
        before = section_state(model, self.section)
        try:
            form.populate_obj(model)
            model.updated_at = utcnow()  # always UPDATE the row, so child-only saves bump the version too
            db.session.flush()
            changes = diff_states(before, section_state(model, self.section))
            if changes:
                db.session.add(
                    ProfileHistory(
                        profile_id=model.id,
                        actor_id=current_user.id,
                        at=datetime.now(UTC),
                        action="save",
                        from_status=model.status,
                        to_status=model.status,
                        note=f"Mục {self.section.number}. {self.section.title}",
                        changes=changes,
                    )
                )
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            flash(CONFLICT_MESSAGE, "error")
            return False
        return True

    def render(self, template: str, **kwargs: Any) -> str:
        if "form" in kwargs and template == self.edit_template:
            kwargs.setdefault("problems", self._template_args.get("report"))
        return super().render(template, **kwargs)


def register_section_views(admin: Any) -> None:
    for section in SECTIONS:
        admin.add_view(SectionView(section))
