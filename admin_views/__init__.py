"""Flask-Admin wiring: a fresh Admin and fresh views for every app (tests build many apps)."""

from __future__ import annotations

from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from admin_views.home import HomeView


def init_admin(app: Flask) -> Admin:
    admin = Admin(
        app,
        name="Hồ sơ CBCCVC",
        url="/",
        index_view=HomeView(name="Trang chủ", url="/", endpoint="admin"),
        theme=Bootstrap4Theme(base_template="admin/master.html", fluid=True),
    )
    return admin
