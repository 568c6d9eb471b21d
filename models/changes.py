"""What changed between two states of a profile: fields old → new, child rows added/removed/changed.

Used for every Lưu (the history row) and by the approver's change view. Works on the plain data
of models.snapshot, so it compares a live profile with a confirmed version just as well.
"""

from __future__ import annotations

from typing import Any

from models.section_registry import Section
from models.snapshot import plain, row_data


def section_state(profile: Any, section: Section) -> dict[str, Any]:
    """The section's columns and child rows as plain data (rows keyed by id; new rows by position)."""
    fields: dict[str, Any] = {}
    for spec in section.fields:
        for column in spec.columns:
            fields[column] = plain(getattr(profile, column))
    rows: dict[str, dict[str, dict[str, Any]]] = {}
    for table in section.tables:
        live = [r for r in getattr(profile, table.name) if not _is_deleted(r)]
        rows[table.name] = {(str(r.id) if r.id else f"new-{i}"): row_data(r) for i, r in enumerate(live)}
    return {"fields": fields, "rows": rows}


def _is_deleted(row: Any) -> bool:
    from sqlalchemy import inspect

    state = inspect(row)
    return bool(state.deleted or state.was_deleted)


def diff_states(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """{"fields": {col: [old, new]}, "rows": {table: {"added": [...], "removed": [...], "changed": [...]}}}.

    Empty dict when nothing changed. Rows are matched by id; a changed row lists its changed columns.
    """
    changes: dict[str, Any] = {}
    fields = {
        k: [before["fields"].get(k), v]
        for k, v in after["fields"].items()
        if _norm(before["fields"].get(k)) != _norm(v)
    }
    if fields:
        changes["fields"] = fields
    tables: dict[str, Any] = {}
    for table, new_rows in after["rows"].items():
        old_rows = before["rows"].get(table, {})
        added = [_strip(r) for key, r in new_rows.items() if key not in old_rows]
        removed = [_strip(r) for key, r in old_rows.items() if key not in new_rows]
        changed = []
        for key, row in new_rows.items():
            if key in old_rows:
                delta = {
                    c: [old_rows[key].get(c), v] for c, v in row.items() if _norm(old_rows[key].get(c)) != _norm(v)
                }
                delta.pop("sort_order", None)
                if delta:
                    changed.append({"row": _strip(row), "columns": delta})
        if added or removed or changed:
            tables[table] = {"added": added, "removed": removed, "changed": changed}
    if tables:
        changes["rows"] = tables
    return changes


def _norm(value: Any) -> Any:
    return None if value in ("", [], None) else value


def _strip(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("id", "sort_order") and v not in (None, "", [], False)}


def state_from_data(data: dict[str, Any], section: Section) -> dict[str, Any]:
    """The same shape as `section_state`, from snapshot data (a confirmed version's `data`)."""
    fields = {column: data.get(column) for spec in section.fields for column in spec.columns}
    rows = {
        table.name: {
            str(row.get("id")): {k: v for k, v in row.items() if k != "id"}
            for row in data.get("rows", {}).get(table.name, [])
        }
        for table in section.tables
    }
    return {"fields": fields, "rows": rows}


EMPTY_STATE: dict[str, Any] = {"fields": {}, "rows": {}}


def compare_versions(before: dict[str, Any] | None, after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per section key, what changed from the confirmed data `before` (None = first declaration:
    everything counts as new) to the current data `after`. Sections without changes are absent."""
    from models.section_registry import SECTIONS

    result: dict[str, dict[str, Any]] = {}
    for section in SECTIONS:
        old = state_from_data(before, section) if before is not None else EMPTY_STATE
        changes = diff_states(old, state_from_data(after, section))
        if changes:
            result[section.key] = changes
    return result
