"""Đơn vị: the organisation tree an HR officer manages (sysadmin: all of it).

The tree is shown from the officer's scope roots, indented by depth; a unit can be added under a
unit in scope, renamed, and moved (with its subtree) under another unit in scope. Every unit is
loaded through `managed_units`, so one outside the scope is a 404; the rules themselves live in
auth.accounts. `ManagerPageView` is also the base of the Tài khoản pages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length

from admin_views.base import RolePageView
from auth.accounts import (
    ActionRefused,
    add_org_unit,
    is_account_manager,
    managed_units,
    move_org_unit,
    rename_org_unit,
    scope_roots,
)
from extensions import db
from models.org import MAX_UNIT_NAME_LENGTH, UNIT_KINDS, OrgUnit
from models.profile import Profile
from models.text import search_key

# --- the shared base of the Tài khoản and Đơn vị pages ------------------------------------------------


class ManagerPageView(RolePageView):
    """Pages for HR officers and sysadmins only: in the menu for them, 403 for other users, login for anonymous."""

    def allowed(self, user: Any) -> bool:
        return is_account_manager(user)

    def _scoped_unit(self, unit_id: int) -> OrgUnit:
        """A unit the current user manages, else 404 (a unit outside the scope is not revealed)."""
        unit = db.session.scalar(managed_units(select(OrgUnit).where(OrgUnit.id == unit_id), self._user()))
        if unit is None:
            abort(404)
        return unit

    def _scope_units(self) -> list[OrgUnit]:
        return list(db.session.scalars(managed_units(select(OrgUnit), self._user())))


def refusal_to_form(form: FlaskForm, refusal: ActionRefused) -> None:
    """Show a domain refusal next to its field, or above the form when it names none."""
    field = getattr(form, refusal.field, None) if refusal.field else None
    if field is not None:
        field.errors = [*field.errors, str(refusal)]
    else:
        form.form_errors.append(str(refusal))


# --- the tree -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TreeRow:
    unit: OrgUnit
    depth: int  # 0 for a root of the shown tree


def tree_rows(units: Iterable[OrgUnit]) -> list[TreeRow]:
    """Units in tree order (each parent before its children, siblings by name), depth relative to the roots.

    The roots are the units whose parent is not among `units`: an HR officer's tree starts at
    their own unit, not at the province above it.
    """
    units = list(units)
    ids = {unit.id for unit in units}
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    for siblings in children.values():
        siblings.sort(key=lambda u: (search_key(u.name), u.code))
    rows: list[TreeRow] = []
    stack = [(unit, 0) for unit in reversed(children.get(None, []))]
    while stack:
        unit, depth = stack.pop()
        rows.append(TreeRow(unit, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(unit.id, [])))
    return rows


INDENT = "\u00a0" * 3  # no-break spaces: a select option keeps them, so the tree shows in the list


def unit_choices(rows: Iterable[TreeRow], *, exclude_path: str | None = None) -> list[SelectChoice]:
    """Units as select options, indented by depth; `exclude_path` leaves out a subtree (a move's own)."""
    return [
        SelectChoice(str(row.unit.id), f"{INDENT * row.depth}{row.unit.name} ({row.unit.code})")
        for row in rows
        if not (exclude_path and row.unit.path.startswith(exclude_path))
    ]


# --- forms (CSRF is checked app-wide by CSRFProtect; the templates render the token) -------------------


def _kind_choices() -> list[SelectChoice]:
    return [SelectChoice("", "— Chọn loại đơn vị —")] + [SelectChoice(k, v) for k, v in UNIT_KINDS.items()]


class UnitForm(FlaskForm):
    class Meta:
        csrf = False

    parent_id = SelectField("Đơn vị cấp trên", validate_choice=False)
    code = StringField(
        "Mã đơn vị",
        validators=[DataRequired(message="Nhập mã đơn vị."), Length(max=40, message="Mã đơn vị tối đa 40 ký tự.")],
    )
    name = StringField(
        "Tên đơn vị",
        validators=[
            DataRequired(message="Nhập tên đơn vị."),
            Length(max=MAX_UNIT_NAME_LENGTH, message=f"Tên đơn vị tối đa {MAX_UNIT_NAME_LENGTH} ký tự."),
        ],
    )
    kind = SelectField(
        "Loại đơn vị",
        choices=_kind_choices(),
        validate_choice=False,  # WTForms' own message is English; AnyOf says it in Vietnamese
        validators=[AnyOf(tuple(UNIT_KINDS), message="Chọn loại đơn vị.")],
    )


class RenameForm(FlaskForm):
    class Meta:
        csrf = False

    name = StringField(
        "Tên mới",
        validators=[
            DataRequired(message="Nhập tên đơn vị."),
            Length(max=MAX_UNIT_NAME_LENGTH, message=f"Tên đơn vị tối đa {MAX_UNIT_NAME_LENGTH} ký tự."),
        ],
    )


class MoveForm(FlaskForm):
    class Meta:
        csrf = False

    parent_id = SelectField("Chuyển vào đơn vị", validate_choice=False)


def _selected_unit(form_field: SelectField, units: dict[int, OrgUnit], message: str) -> OrgUnit | None:
    """The unit picked in a select, only among `units` (the scope); an error on the field otherwise."""
    raw = form_field.data or ""
    unit = units.get(int(raw)) if raw.isdigit() else None
    if unit is None:
        form_field.errors = [*form_field.errors, message]
    return unit


# --- the view -----------------------------------------------------------------------------------------


class OrgUnitsView(ManagerPageView):
    @expose("/")
    def index(self) -> Any:
        units = self._scope_units()
        rows = tree_rows(units)
        ids = [unit.id for unit in units]
        counts = dict(
            db.session.execute(
                select(Profile.org_unit_id, func.count(Profile.id))
                .where(Profile.org_unit_id.in_(ids))
                .group_by(Profile.org_unit_id)
            ).all()
        )
        return self.render(
            "org_units/tree.html",
            rows=rows,
            counts=counts,
            kinds=UNIT_KINDS,
            roots={unit.id for unit in scope_roots(self._user())},
            is_sysadmin=self._user().has_role("sysadmin"),
        )

    # --- add ----------------------------------------------------------------------------------------

    def _unit_form_choices(self, form: UnitForm, rows: list[TreeRow]) -> None:
        first = "— Không có (đơn vị gốc mới) —" if self._user().has_role("sysadmin") else "— Chọn đơn vị cấp trên —"
        form.parent_id.choices = [SelectChoice("", first), *unit_choices(rows)]

    @expose("/them", methods=("GET", "POST"))
    def create(self) -> Any:
        user = self._user()
        rows = tree_rows(self._scope_units())
        form = UnitForm()
        self._unit_form_choices(form, rows)
        if request.method == "GET":
            form.parent_id.data = request.args.get("parent", "")
            return self.render("org_units/create.html", form=form)
        if not form.validate():
            return self.render("org_units/create.html", form=form), 400
        in_scope = {row.unit.id: row.unit for row in rows}
        parent: OrgUnit | None = None
        if form.parent_id.data or not user.has_role("sysadmin"):
            parent = _selected_unit(form.parent_id, in_scope, "Chọn đơn vị cấp trên trong phạm vi quản lý của bạn.")
            if parent is None:
                return self.render("org_units/create.html", form=form), 400
        try:
            unit = add_org_unit(
                db.session,
                user,
                code=form.code.data or "",
                name=form.name.data or "",
                kind=form.kind.data or "",
                parent=parent,
            )
            db.session.commit()
        except ActionRefused as refusal:
            db.session.rollback()
            refusal_to_form(form, refusal)
            return self.render("org_units/create.html", form=form), refusal.status
        except IntegrityError:  # the same code added by someone else a moment ago
            db.session.rollback()
            form.code.errors = [*form.code.errors, "Mã đơn vị này vừa được dùng cho đơn vị khác."]
            return self.render("org_units/create.html", form=form), 400
        flash(f"Đã thêm đơn vị «{unit.name}».", "success")
        return redirect(url_for(".index"), 303)

    # --- one unit: rename and move -----------------------------------------------------------------

    def _edit_page(
        self, unit: OrgUnit, *, rename: RenameForm | None = None, move: MoveForm | None = None, status: int = 200
    ) -> Any:
        rows = tree_rows(self._scope_units())
        rename = rename or RenameForm(formdata=None, data={"name": unit.name})
        move = move or MoveForm(formdata=None)
        move.parent_id.choices = [SelectChoice("", "— Chọn đơn vị —"), *unit_choices(rows, exclude_path=unit.path)]
        is_root = any(root.id == unit.id for root in scope_roots(self._user()))
        html = self.render(
            "org_units/edit.html",
            unit=unit,
            kinds=UNIT_KINDS,
            rename_form=rename,
            move_form=move,
            can_move=self._user().has_role("sysadmin") or not is_root,
        )
        return html, status

    @expose("/<int:unit_id>/")
    def edit(self, unit_id: int) -> Any:
        return self._edit_page(self._scoped_unit(unit_id))

    @expose("/<int:unit_id>/doi-ten", methods=("POST",))
    def rename(self, unit_id: int) -> Any:
        unit = self._scoped_unit(unit_id)
        form = RenameForm()
        if not form.validate():
            return self._edit_page(unit, rename=form, status=400)
        try:
            rename_org_unit(db.session, self._user(), unit, form.name.data or "")
            db.session.commit()
        except ActionRefused as refusal:
            db.session.rollback()
            refusal_to_form(form, refusal)
            return self._edit_page(self._scoped_unit(unit_id), rename=form, status=refusal.status)
        flash(f"Đã đổi tên đơn vị thành «{unit.name}».", "success")
        return redirect(url_for(".edit", unit_id=unit.id), 303)

    @expose("/<int:unit_id>/chuyen", methods=("POST",))
    def move(self, unit_id: int) -> Any:
        unit = self._scoped_unit(unit_id)
        form = MoveForm()
        in_scope = {u.id: u for u in self._scope_units()}
        new_parent = _selected_unit(form.parent_id, in_scope, "Chọn đơn vị trong phạm vi quản lý của bạn.")
        if new_parent is None:
            return self._edit_page(unit, move=form, status=400)
        try:
            move_org_unit(db.session, self._user(), unit, new_parent)
            db.session.commit()
        except ActionRefused as refusal:
            db.session.rollback()
            refusal_to_form(form, refusal)
            return self._edit_page(self._scoped_unit(unit_id), move=form, status=refusal.status)
        flash(f"Đã chuyển «{unit.name}» vào «{new_parent.name}».", "success")
        return redirect(url_for(".edit", unit_id=unit.id), 303)
