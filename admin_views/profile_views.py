"""The employee's profile page and the eleven section views."""

from __future__ import annotations

from flask_admin import Admin

from admin_views.profile_page import ProfileView
from admin_views.review import ReviewView
from admin_views.sections import register_section_views


def register_profile_views(admin: Admin) -> None:
    admin.add_view(ProfileView(name="Hồ sơ của tôi", endpoint="profile", url="/ho-so"))
    register_section_views(admin)
    admin.add_view(ReviewView(name="Xem xét hồ sơ", endpoint="review", url="/phe-duyet/ho-so"))
