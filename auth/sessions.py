"""Login sessions: the user loader checks the session version, idle and absolute timeouts,
and the forced password change applies to every route."""

from __future__ import annotations

import time

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from extensions import db, login_manager
from models.user import User

# Endpoints reachable while a password change is pending (or without login at all).
CHANGE_PENDING_ALLOWED = {"auth.change_password", "auth.logout", "static", "admin.static"}


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Session ids are "<user id>:<session version>": a bumped version invalidates old cookies."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return user


def start_session(user: User) -> None:
    """A fresh session on login (no fixation): drop whatever the anonymous session held."""
    from flask_login import login_user

    session.clear()
    login_user(user)
    session.permanent = True
    now = int(time.time())
    session["login_at"] = now
    session["seen_at"] = now


def end_session() -> None:
    logout_user()
    session.clear()


def _enforce_session_rules() -> Response | None:
    if request.endpoint in ("static", "admin.static"):
        return None
    if not current_user.is_authenticated:
        return None
    now = int(time.time())
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    lifetime = current_app.config["SESSION_MAX_HOURS"] * 3600
    if now - session.get("seen_at", 0) > idle or now - session.get("login_at", 0) > lifetime:
        end_session()
        flash("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại.", "warning")
        return redirect(url_for("auth.login"))
    session["seen_at"] = now
    if current_user.must_change_password and request.endpoint not in CHANGE_PENDING_ALLOWED:
        return redirect(url_for("auth.change_password"))
    return None


def init_sessions(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    app.before_request(_enforce_session_rules)
