"""The one scoped base for every profile view: rows, counts, get_one, actions and exports all
pass through auth.permissions, so no URL reaches a profile its user may not see."""

from __future__ import annotations

from typing import Any

from flask import abort, redirect, request, url_for
from flask_admin import BaseView
from flask_admin.contrib.sqla import ModelView
from flask_admin.contrib.sqla.tools import get_query_for_ids
from flask_login import current_user
from sqlalchemy import func
from werkzeug.wrappers import Response

from admin_views.forms import SecureForm
from auth.permissions import profile_scope_clause
from extensions import db
from models.profile import Profile
from models.user import User


class ScopedProfileView(ModelView):
    can_create = False
    can_delete = False
    can_view_details = True
    can_set_page_size = False
    column_editable_list: list[str] = []  # never: /ajax/update/ skips permission and state checks
    form_base_class = SecureForm
    column_list = ("full_name", "org_unit", "status")
    column_labels = {"full_name": "Họ và tên", "org_unit": "Đơn vị", "status": "Trạng thái"}
    column_formatters = {"status": lambda v, c, m, n: m.status_label}
    column_default_sort = ("full_name_search", False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(Profile, db, *args, **kwargs)

    def _run_view(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        """Flask-Admin retries a view that raised TypeError with other arguments, which hides the
        real error; our views take the standard signature, so call them once."""
        return fn(self, *args, **kwargs)

    # --- access -----------------------------------------------------------------------------
    def is_accessible(self) -> bool:
        return bool(current_user.is_authenticated)

    def inaccessible_callback(self, name: str, **kwargs: Any):  # type: ignore[no-untyped-def]
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(403)

    # Flask-Admin's generic export neither escapes formulas nor caps rows the way we must: lists
    # that export do it with their own route (models/export.py).
    can_export = False

    # --- row scoping: list, count, export, get_one and actions share one clause ----------------
    def get_query(self):  # type: ignore[no-untyped-def]
        return db.session.query(Profile).filter(profile_scope_clause(current_user))

    def get_count_query(self):  # type: ignore[no-untyped-def]
        return db.session.query(func.count(Profile.id)).filter(profile_scope_clause(current_user))

    def get_one(self, id: Any) -> Profile | None:
        try:
            pk = int(id)
        except (TypeError, ValueError):
            return None
        return self.get_query().filter(Profile.id == pk).one_or_none()

    def scoped_rows(self, ids: list[str]) -> list[Profile]:
        """Rows of a bulk action: the submitted ids re-filtered through the scoped query."""
        numbers = [int(i) for i in ids if str(i).isascii() and str(i).isdigit() and len(str(i)) <= 18]
        return get_query_for_ids(self.get_query(), Profile, numbers).all()


class RolePageView(BaseView):
    """A page for holders of some role: in the menu and reachable only for them, 403 for other
    users, the login page for anonymous visitors. Subclasses say who in `allowed`."""

    def allowed(self, user: Any) -> bool:
        return False  # deny by default

    def is_visible(self) -> bool:
        return self.allowed(current_user)

    def is_accessible(self) -> bool:
        return self.allowed(current_user)

    def inaccessible_callback(self, name: Any, **kwargs: Any) -> Response:
        if not current_user.is_authenticated:
            # A POST URL makes no sense as a post-login target.
            target = request.full_path.rstrip("?") if request.method == "GET" else None
            return redirect(url_for("auth.login", next=target))
        abort(403)

    def _run_view(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Call the view once: BaseView retries any TypeError with other arguments, hiding the real error."""
        return fn(self, *args, **kwargs)

    @staticmethod
    def _user() -> User:
        return current_user._get_current_object()


class SignedInPageView(RolePageView):
    """Pages open to any signed-in user (each record is then loaded through the scoped query);
    anonymous visitors go to the login page."""

    def allowed(self, user: Any) -> bool:
        return bool(user.is_authenticated)
