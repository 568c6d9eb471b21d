"""Flask-Admin wiring: a fresh Admin and fresh views for every app (tests build many apps)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from admin_views.files import register_file_views
from admin_views.home import HomeView
from admin_views.profile_views import register_profile_views


def init_admin(app: Flask) -> Admin:
    admin = Admin(
        app,
        name="Hồ sơ CBCCVC",
        url="/",
        index_view=HomeView(name="Trang chủ", url="/", endpoint="admin"),
        theme=Bootstrap4Theme(base_template="admin/master.html", fluid=True),
        translations_path=str(Path(__file__).resolve().parent.parent / "translations"),
    )
    register_profile_views(admin)
    register_file_views(admin)
    return admin
