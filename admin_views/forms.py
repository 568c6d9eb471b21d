"""Section forms built from the section registry: one declaration drives every screen."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import Form, HiddenField
from wtforms.fields.core import UnboundField

from admin_views import fields as f
from admin_views.refs import current_refs, hr_unit_choices, is_known_rank, rank_choices
from models.section_registry import Field, Section, Table

# Partial-date columns are edited through a PartialDate property of the model.
PERIOD_ATTRS = {
    "from_date": "from_period",
    "to_date": "to_period",
    "enlisted_on": "enlisted_period",
    "discharged_on": "discharged_period",
}
ADDRESS_PARTS = (
    ("province", "Tỉnh/Thành phố"),
    ("commune", "Xã/Phường/Đặc khu"),
    ("detail", "Số nhà, đường, thôn/xóm"),
    ("legacy", "Theo địa giới hành chính cũ"),
)


class SecureForm(FlaskForm):
    """Flask-WTF's CSRF token, the one CSRFProtect checks app-wide."""


def form_attr(spec: Field) -> str:
    return PERIOD_ATTRS.get(spec.name, spec.name) if spec.type == "pdate" else spec.name


def _loader(list_name: str, kind: str):  # type: ignore[no-untyped-def]
    return lambda: current_refs().choices(list_name, kind)


def _checker(list_name: str, kind: str):  # type: ignore[no-untyped-def]
    return lambda code: current_refs().exists(list_name, code, kind or None, active_only=False)


def _coded(spec: Field, **kw: Any) -> UnboundField:
    if spec.ref == "ranks":
        return f.CodeSelectField(spec.label, loader=rank_choices, is_known=is_known_rank, **kw)
    assert spec.ref is not None
    field_class = f.CodeMultiSelectField if spec.type == "multi" else f.CodeSelectField
    # Training levels take their kind from the row; offer every level and let the rules check the kind.
    return field_class(
        spec.label, loader=_loader(spec.ref, spec.ref_kind), is_known=_checker(spec.ref, spec.ref_kind), **kw
    )


def unbound_fields(spec: Field) -> dict[str, UnboundField]:
    """Form fields for one registry field (an address yields four)."""
    kw: dict[str, Any] = {"description": spec.help} if spec.help else {}
    t = spec.type
    if t == "address":
        fields: dict[str, UnboundField] = {}
        for part, label in ADDRESS_PARTS:
            name, text = f"{spec.name}_{part}", f"{spec.label} – {label}"
            if part == "province":
                fields[name] = f.CodeSelectField(
                    text, loader=_loader("provinces_2025", ""), is_known=_checker("provinces_2025", "")
                )
            else:
                fields[name] = f.TextField(text, max_length=100 if part == "commune" else 255)
        return fields
    if t == "org":
        field = f.OrgSelectField(spec.label, loader=hr_unit_choices, **kw)
    elif t in ("choice", "multi"):
        field = _coded(spec, **kw)
    elif t == "enum":
        field = f.EnumSelectField(spec.label, options=spec.enum or {}, **kw)
    elif t == "date":
        field = f.DateField(spec.label, **kw)
    elif t == "pdate":
        field = f.PartialDateField(spec.label, **kw)
    elif t == "year":
        field = f.YearField(spec.label, **kw)
    elif t == "int":
        field = f.IntField(spec.label, **kw)
    elif t == "dec":
        field = f.DecimalField(spec.label, **kw)
    elif t == "money":
        field = f.MoneyField(spec.label, **kw)
    elif t == "bool":
        field = f.YesNoField(spec.label, **kw)
    elif t == "longtext":
        field = f.LongTextField(spec.label, **kw)
    else:
        field = f.TextField(spec.label, max_length=spec.max_length or 255, **kw)
    return {form_attr(spec): field}


def section_form_class(section: Section, *, skip: set[str]) -> type[Form]:
    """The parent form of a section: its single-value fields, less those in `skip` (org pickers,
    photo) that the views handle themselves. Child tables are added by Flask-Admin inline models."""
    attrs: dict[str, Any] = {}
    for spec in section.fields:
        if spec.name in skip or spec.type == "image":
            continue
        attrs.update(unbound_fields(spec))
    attrs["expected_version"] = HiddenField()
    return type(f"{section.key.title()}Form", (SecureForm,), attrs)


def table_form_class(table: Table) -> type[Form]:
    """The row form of a repeating table; `id` is the hidden key Flask-Admin's inline list needs."""
    from flask_admin.form import BaseForm

    attrs: dict[str, Any] = {"id": HiddenField()}
    for spec in table.columns:
        attrs.update(unbound_fields(spec))
    return type(f"{table.name.title()}RowForm", (BaseForm,), attrs)
