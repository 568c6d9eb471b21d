"""The shared shape of the profile lists (approval queue, HR list): columns, per-user filters and a
search that ignores diacritics. Rows come from ScopedProfileView, narrowed to the roles a list serves.

Flask-Admin builds filter options once, when the view is created, outside any request; ours depend
on the user (their units), so each filter computes its options per request and the list template
renders them as plain <select>s instead of Flask-Admin's JavaScript filter builder.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import flash, g, redirect, request, url_for
from flask_admin.actions import action
from flask_admin.babel import lazy_gettext
from flask_admin.contrib.sqla.filters import BaseSQLAFilter
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import ColumnElement, and_, false, func, or_, select

from admin_views.base import ScopedProfileView
from admin_views.files import local_time
from admin_views.refs import current_refs, rank_choices
from auth.permissions import profile_scope_clause, scope_units
from extensions import db
from models.audit import mask_cccd
from models.org import OrgUnit, subtree_ids
from models.profile import STATUS_LABELS, Profile
from models.text import search_key

ALL = "all"  # the "every state" choice of the state filter (an empty value means "the list's default")
SEARCH_MAX_LENGTH = 100
_LIKE_SPECIALS = re.compile(r"([\\%_])")


def like_contains(term: str) -> str:
    """A LIKE pattern matching `term` anywhere, with LIKE's own wildcards taken literally."""
    return "%" + _LIKE_SPECIALS.sub(r"\\\1", term) + "%"


def search_clause(search: str) -> ColumnElement[bool] | None:
    """Every word of `search` must appear in the name (compared without diacritics or case), or,
    for a word of digits, in the CCCD. The same SQL on SQLite and PostgreSQL: both sides are
    already folded by `search_key` (no diacritics, lower case), so plain LIKE behaves the same on
    both; ILIKE and lower() would not (SQLite's only fold ASCII)."""
    words = search_key(search[:SEARCH_MAX_LENGTH]).split()
    if not words:
        return None
    conditions = []
    for word in words:
        pattern = like_contains(word)
        matches = [Profile.full_name_search.like(pattern, escape="\\")]
        if word.isdigit():
            matches.append(Profile.id_number.like(pattern, escape="\\"))
        conditions.append(or_(*matches))
    return and_(*conditions)


# --- filters whose options depend on the user --------------------------------------------------


class SelectFilter(BaseSQLAFilter):
    """One <select> of the list's filter bar: `key` names it in the URL (`flt0_<key>=…`), `loader`
    gives the (value, label) options for the current request, and only those values are accepted."""

    def __init__(self, column: Any, name: str, *, key: str, loader: Callable[[], list[tuple[str, str]]]) -> None:
        super().__init__(column, name)
        self.key = key
        self._loader = loader

    def choices(self) -> list[tuple[str, str]]:
        return self._loader()

    def validate(self, value: Any) -> bool:
        return str(value) in {code for code, _label in self.choices()}

    def apply(self, query: Any, value: Any, alias: Any = None) -> Any:
        return query.filter(self.get_column(alias) == value)

    def operation(self) -> Any:
        return lazy_gettext("equals")


class StatusFilter(SelectFilter):
    """The four workflow states, plus "all" (which a list with a default state needs to be able to say)."""

    def __init__(self) -> None:
        super().__init__(
            Profile.status,
            "Trạng thái",
            key="status",
            loader=lambda: [(ALL, "Tất cả trạng thái"), *STATUS_LABELS.items()],
        )

    def apply(self, query: Any, value: Any, alias: Any = None) -> Any:
        return query if value == ALL else super().apply(query, value, alias)


class UnitFilter(SelectFilter):
    """A unit of the user's scope and everything below it (the tree is what HR thinks in)."""

    def __init__(self, roles: frozenset[str]) -> None:
        super().__init__(Profile.org_unit_id, "Đơn vị", key="unit", loader=lambda: scope_unit_choices(roles))

    def apply(self, query: Any, value: Any, alias: Any = None) -> Any:
        path = db.session.scalar(select(OrgUnit.path).where(OrgUnit.id == int(value)))
        if path is None:
            return query.filter(false())
        return query.filter(self.get_column(alias).in_(subtree_ids(path)))


def scope_unit_choices(roles: frozenset[str]) -> list[tuple[str, str]]:
    """The units where the user holds one of `roles`, in tree order, indented by depth.

    Cached for the request: validation and the filter bar both ask."""
    cache: dict[frozenset[str], list[tuple[str, str]]] = g.setdefault("_scope_unit_choices", {})
    if roles not in cache:
        stmt = scope_units(select(OrgUnit.id, OrgUnit.name, OrgUnit.path), current_user, roles)
        units = db.session.execute(stmt).all()
        names = {uid: name for uid, name, _path in units}

        def lineage(path: str) -> list[int]:
            """Ids from the top of the user's scope down to the unit (ancestors outside it left out)."""
            return [int(part) for part in path.strip("/").split("/") if part and int(part) in names]

        # Each unit right under its parent, siblings by name: the order of an organisation chart.
        ordered = sorted(units, key=lambda u: [search_key(names[i]) for i in lineage(u.path)])
        cache[roles] = [(str(u.id), "\u00a0\u00a0\u00a0" * (len(lineage(u.path)) - 1) + u.name) for u in ordered]
    return cache[roles]


@dataclass(frozen=True)
class FilterControl:
    """What the template needs to draw one filter <select>."""

    param: str
    label: str
    options: list[tuple[str, str]]
    selected: str
    blank: str | None  # label of the empty option, None when the filter has none


# --- column formatters ----------------------------------------------------------------------------


def _status_badge(_view: Any, _context: Any, model: Profile, _name: str) -> Markup:
    return Markup('<span class="badge badge-status-{}">{}</span>').format(model.status, model.status_label)


def _rank_name(_view: Any, _context: Any, model: Profile, _name: str) -> str:
    if not model.rank_code:
        return ""
    rank = current_refs().rank(model.rank_code)
    return rank.name if rank else model.rank_code


def _full_name_link(view: ProfileListView, _context: Any, model: Profile, _name: str) -> Markup:
    return Markup('<a href="{}">{}</a>').format(view.row_url(model), model.full_name)


# --- the list base ---------------------------------------------------------------------------------


class ProfileListView(ScopedProfileView):
    """A read-only list of the profiles in the scope of `scope_roles`, for holders of those roles.

    No edit, details, create, delete, inline edit or Flask-Admin export: each row links to the page
    where the profile is handled, and the only writes are the explicit actions of a subclass.
    """

    scope_roles: frozenset[str] = frozenset()
    # Filter key -> value applied when the request names no value for that filter.
    default_filters: dict[str, str] = {}
    page_heading: str = ""

    list_template = "review/list.html"
    can_edit = False

    @action("print_2c", "In 2C (tệp ZIP)")
    def action_print_2c(self, ids: list[str]):  # type: ignore[no-untyped-def]
        """Bulk printing lives in admin_views.printing: re-post the same form (ids + CSRF token)
        there; 307 keeps the method and body. It re-filters the ids through the scope itself."""
        return redirect(url_for("printing.bulk"), code=307)

    can_view_details = False
    column_display_actions = False
    page_size = 50
    column_list = ("full_name", "id_number", "org_unit", "rank_code", "status", "updated_at")
    column_labels = {
        "full_name": "Họ và tên",
        "id_number": "Số CCCD",
        "org_unit": "Đơn vị",
        "rank_code": "Ngạch",
        "status": "Trạng thái",
        "updated_at": "Cập nhật lần cuối",
    }
    column_formatters = {
        "full_name": _full_name_link,
        "id_number": lambda v, c, m, n: mask_cccd(m.id_number),
        "org_unit": lambda v, c, m, n: m.org_unit.name if m.org_unit else "",
        "rank_code": _rank_name,
        "status": _status_badge,
        "updated_at": lambda v, c, m, n: local_time(m.updated_at),
    }
    column_sortable_list = (
        ("full_name", "full_name_search"),
        ("org_unit", "org_unit.name"),
        ("status", "status"),
        ("updated_at", "updated_at"),
    )
    column_default_sort = [("full_name_search", False), ("id", False)]

    # --- access: deny unless the user holds one of the list's roles -----------------------------
    def is_accessible(self) -> bool:
        if not current_user.is_authenticated:
            return False
        return any(current_user.has_role(role) for role in self.scope_roles | {"sysadmin"})

    def is_visible(self) -> bool:
        return self.is_accessible()

    # --- rows ---------------------------------------------------------------------------------
    def scope_clause(self) -> ColumnElement[bool]:
        return profile_scope_clause(current_user, self.scope_roles)

    def get_query(self):  # type: ignore[no-untyped-def]
        return db.session.query(Profile).filter(self.scope_clause())

    def get_count_query(self):  # type: ignore[no-untyped-def]
        return db.session.query(func.count(Profile.id)).filter(self.scope_clause())

    def row_url(self, profile: Profile) -> str:
        """Where a row leads; lists that handle profiles elsewhere (the review page) override it."""
        return url_for("profile.show", profile_id=profile.id)

    # --- search: a stored normalised column, never ILIKE on the display name -------------------
    def init_search(self) -> bool:
        return True

    def search_placeholder(self) -> str:
        return "Họ tên hoặc số CCCD"

    def _apply_search(self, query, count_query, joins, count_joins, search):  # type: ignore[no-untyped-def]
        clause = search_clause(search)
        if clause is not None:
            query = query.filter(clause)
            if count_query is not None:
                count_query = count_query.filter(clause)
        return query, count_query, joins, count_joins

    # --- filters ----------------------------------------------------------------------------------
    def get_sortable_columns(self) -> dict[Any, Any]:
        """Names sort by their search form (diacritics folded): SQLite's binary order would put "Đ" after
        "Z". Flask-Admin keys a same-table sort column by the column it sorts on, so key it back."""
        columns = super().get_sortable_columns()
        columns["full_name"] = columns.pop("full_name_search")
        return columns

    def get_filters(self) -> list[Any]:
        # Fresh instances per view: a filter holds a reference to its loader, never to another app.
        return [
            UnitFilter(self.scope_roles),
            StatusFilter(),
            SelectFilter(
                Profile.staff_type,
                "Loại cán bộ",
                key="staff_type",
                loader=lambda: current_refs().choices("staff_types"),
            ),
            SelectFilter(Profile.rank_code, "Ngạch", key="rank", loader=rank_choices),
        ]

    def get_filter_arg(self, index: int, flt: Any) -> str:
        return flt.key

    def get_invalid_value_msg(self, value: str, filter: Any) -> str:
        return f"Giá trị lọc «{value}» của mục {filter.name} không hợp lệ, đã bỏ qua."

    def _get_list_filter_args(self) -> list[Any] | None:
        """Filters from the query string (`flt<n>_<key>=value`): one per key, empty values mean
        "not chosen", values outside the options are refused; then the list's defaults."""
        if not self._filters or self._filter_args is None:
            return None
        chosen: dict[str, tuple[int, str, str]] = {}
        for arg in request.args:
            if not arg.startswith("flt") or "_" not in arg:
                continue
            key = arg[3:].split("_", 1)[1]
            value = request.args[arg].strip()
            if not value or key in chosen or key not in self._filter_args:
                continue
            idx, flt = self._filter_args[key]
            if flt.validate(value):
                chosen[key] = (idx, str(flt.name), value)
            else:
                flash(self.get_invalid_value_msg(value, flt), "error")
        for key, value in self.default_filters.items():
            if key not in chosen and key in self._filter_args:
                idx, flt = self._filter_args[key]
                chosen[key] = (idx, str(flt.name), value)
        return sorted(chosen.values())

    def filter_controls(self, active: Sequence[tuple[int, str, str]]) -> list[FilterControl]:
        selected = {idx: value for idx, _name, value in active or ()}
        controls = []
        for idx, flt in enumerate(self._filters or ()):
            controls.append(
                FilterControl(
                    param=f"flt{idx}_{flt.key}",
                    label=str(flt.name),
                    options=flt.choices(),
                    selected=selected.get(idx, ""),
                    # The state filter says "all" with an option of its own, the others with an empty one.
                    blank=None if isinstance(flt, StatusFilter) else "Tất cả",
                )
            )
        return controls

    # --- rendering --------------------------------------------------------------------------------
    def list_context(self, context: dict[str, Any]) -> dict[str, Any]:
        """Extra template values of a list page (subclasses add their buttons)."""
        return {}

    def render(self, template: str, **kwargs: Any) -> str:
        if template == self.list_template and "active_filters" in kwargs:
            kwargs["filter_controls"] = self.filter_controls(kwargs["active_filters"] or [])
            # Our filter bar replaces Flask-Admin's JavaScript one (whose options were fixed at start-up).
            kwargs["filters"] = None
            kwargs["filter_groups"] = None
            kwargs.update(self.list_context(kwargs))
        return super().render(template, **kwargs)

    def list_url(self) -> str:
        return self.get_url(".index_view")

    def safe_return_url(self, target: str | None) -> str:
        """Back to this list only: a relative path under the list's own URL, never elsewhere."""
        base = self.list_url()
        if target and target.startswith(base) and "\\" not in target and not target.startswith("//"):
            return target
        return base
