"""A profile as plain, JSON-ready data: every column of sections I–XI and every child row.

Used for the confirmed versions (what prints and syncs), the change view and the history diff.
Pure: it reads loaded attributes and issues no query of its own beyond lazy loads of the children
(load them with `profile_load_options()` to keep the count constant).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import selectinload

from models.profile import Profile

# Bookkeeping columns that are not part of the declared data.
NON_DATA_COLUMNS = frozenset(
    {
        "id",
        "owner_id",
        "status",
        "version_id",
        "created_at",
        "updated_at",
        "submitted_at",
        "confirmed_at",
        "full_name_search",
        "profile_id",
    }
)

CHILD_TABLES = (
    "salary_history",
    "allowances",
    "family_members",
    "trainings",
    "concurrent_positions",
    "work_history",
    "state_titles",
    "disciplines",
    "annual_results",
    "party_concurrent_positions",
    "org_activities",
    "old_regime_work",
    "foreign_organizations",
    "houses",
    "lands",
)


def profile_load_options() -> list:
    """Eager-load every child table: one extra SELECT per table, whatever the number of rows."""
    return [selectinload(getattr(Profile, name)) for name in CHILD_TABLES]


def plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def row_data(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {c.key: plain(getattr(obj, c.key)) for c in mapper.column_attrs if c.key not in NON_DATA_COLUMNS}


def profile_data(profile: Profile) -> dict[str, Any]:
    data = row_data(profile)
    data["rows"] = {name: [dict(row_data(row), id=row.id) for row in getattr(profile, name)] for name in CHILD_TABLES}
    return data


def digest(data: dict[str, Any]) -> str:
    """A stable hash of the data, printed on paper copies to trace them to the exact version."""
    encoded = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()
