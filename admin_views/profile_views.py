"""The employee's profile page and the eleven section views."""

from __future__ import annotations

from flask_admin import Admin

from admin_views.profile_page import ProfileView
from admin_views.sections import register_section_views


def register_profile_views(admin: Admin) -> None:
    admin.add_view(ProfileView(name="Hồ sơ của tôi", endpoint="profile", url="/ho-so"))
    register_section_views(admin)
