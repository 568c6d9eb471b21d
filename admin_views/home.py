"""The landing page after login."""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_admin import AdminIndexView, expose
from flask_login import current_user
from sqlalchemy import select

from extensions import db
from models.profile import Profile
from models.user import ROLES


class HomeView(AdminIndexView):
    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    def inaccessible_callback(self, name, **kwargs):  # type: ignore[no-untyped-def]
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @expose("/")
    def index(self):  # type: ignore[no-untyped-def]
        """Employees land on their own profile; accounts without one see their roles."""
        profile = db.session.scalar(select(Profile).where(Profile.owner_id == current_user.id))
        if profile is not None:
            return redirect(url_for("profile.index"))
        roles = [(ROLES[r.role], r.org_unit.name) for r in current_user.roles]
        return self.render("admin/home.html", profile=profile, roles=roles)
