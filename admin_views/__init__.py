"""Flask-Admin wiring: a fresh Admin and fresh views for every app (tests build many apps)."""

from __future__ import annotations

from flask import Flask
from flask_admin import Admin
from flask_admin.theme import Bootstrap4Theme

from admin_views.accounts import register_account_views
from admin_views.files import register_file_views
from admin_views.home import HomeView
from admin_views.i18n import TRANSLATIONS_DIR, prefer_project_catalogue
from admin_views.oversight import register_oversight_views
from admin_views.printing import register_print_views
from admin_views.profile_views import register_profile_views
from admin_views.review_lists import register_review_lists
from admin_views.sync import register_sync_views


def init_admin(app: Flask) -> Admin:
    prefer_project_catalogue()
    admin = Admin(
        app,
        name="Hồ sơ CBCCVC",
        url="/",
        index_view=HomeView(name="Trang chủ", url="/", endpoint="admin"),
        theme=Bootstrap4Theme(base_template="admin/master.html", fluid=True),
        translations_path=str(TRANSLATIONS_DIR),
    )
    register_profile_views(admin)
    register_file_views(admin)
    register_print_views(admin)
    register_account_views(admin)
    register_review_lists(admin)
    register_oversight_views(admin)
    register_sync_views(admin)
    return admin
