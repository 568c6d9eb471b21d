"""The employee's profile page and the eleven section views."""

from __future__ import annotations

from flask_admin import Admin


def register_profile_views(admin: Admin) -> None:
    """Filled in by the self-service work."""
