"""Attachments (Đính kèm) and contracts (Hợp đồng) pages of a profile."""

from __future__ import annotations

from flask_admin import Admin


def register_file_views(admin: Admin) -> None:
    """Added by the attachments work."""
