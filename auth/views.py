"""Login, logout and password change pages: thin views over auth.login."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from limits import parse
from werkzeug.wrappers import Response

from auth.audit import record
from auth.forms import ChangePasswordForm, LoginForm
from auth.login import LoginPolicy, Outcome, authenticate, set_password, username_key
from auth.passwords import matches_default, password_problems
from auth.sessions import end_session, start_session
from extensions import db, limiter

bp = Blueprint("auth", __name__)

INVALID_MESSAGE = "Số CCCD hoặc mật khẩu không đúng."


def _login_account_key() -> str:
    return "acct:" + username_key(request.form.get("username", ""))


def _locked_message(minutes: int) -> str:
    return (
        "Tài khoản tạm thời bị khóa do đăng nhập sai nhiều lần. "
        f"Vui lòng thử lại sau {minutes} phút hoặc liên hệ cán bộ tổ chức."
    )


def _policy() -> LoginPolicy:
    cfg = current_app.config
    return LoginPolicy(
        max_failures=cfg["LOGIN_MAX_FAILURES"],
        lock_minutes=cfg["LOGIN_LOCK_MINUTES"],
        default_password_max_age_days=cfg["DEFAULT_PASSWORD_MAX_AGE_DAYS"],
    )


def _unknown_username_locked(username: str, *, hit: bool) -> bool:
    """Unknown CCCDs get the same lock behaviour as real accounts, so a lock reveals nothing."""
    policy = _policy()
    item = parse(f"{policy.max_failures - 1} per {policy.lock_minutes} minutes")
    key = username_key(username)
    if hit:
        return not limiter.limiter.hit(item, "login-unknown", key)
    return not limiter.limiter.test(item, "login-unknown", key)


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths; anything else goes home."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("admin.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_IP"], methods=["POST"])
@limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT_ACCOUNT"], methods=["POST"], key_func=_login_account_key)
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("admin.index"))
    form = LoginForm()
    if form.validate_on_submit():
        username = form.username.data or ""
        now = datetime.now(UTC)
        result = authenticate(
            db.session, current_app.extensions["hasher"], username, form.password.data or "", now=now, policy=_policy()
        )
        if result.outcome is Outcome.INVALID and result.user is None and _unknown_username_locked(username, hit=True):
            result.outcome = Outcome.LOCKED
        if result.outcome is Outcome.OK and result.user is not None:
            record("login", actor=result.user)
            db.session.commit()
            start_session(result.user)
            if result.user.must_change_password:
                flash("Bạn đang dùng mật khẩu mặc định. Hãy đặt mật khẩu mới trước khi tiếp tục.", "warning")
                return redirect(url_for("auth.change_password"))
            return redirect(_safe_next(request.args.get("next")))
        record("login_failed", details={"outcome": result.outcome.value})
        db.session.commit()
        if result.outcome is Outcome.LOCKED:
            form.form_errors.append(_locked_message(_policy().lock_minutes))
        elif result.outcome is Outcome.DISABLED:
            form.form_errors.append(
                "Tài khoản đã bị khóa hoặc ngừng hoạt động. Vui lòng liên hệ cán bộ tổ chức của đơn vị."
            )
        elif result.outcome is Outcome.DEFAULT_EXPIRED:
            form.form_errors.append("Mật khẩu mặc định đã hết hạn. Vui lòng liên hệ cán bộ tổ chức để được cấp lại.")
        else:
            form.form_errors.append(INVALID_MESSAGE)
    return render_template("auth/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    if current_user.is_authenticated:
        user = current_user._get_current_object()
        user.end_all_sessions()
        record("logout", actor=user)
        db.session.commit()
    end_session()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> Response | str:
    user = current_user._get_current_object()
    form = ChangePasswordForm()
    if form.validate_on_submit():
        hasher = current_app.extensions["hasher"]
        current = form.current_password.data or ""
        if user.password_hash is None:
            current_ok = matches_default(current, user.full_name, user.cccd)
        else:
            current_ok = hasher.verify(user.password_hash, current)
        new = form.new_password.data or ""
        if not current_ok:
            form.current_password.errors.append("Mật khẩu hiện tại không đúng.")
        else:
            problems = password_problems(new, full_name=user.full_name, cccd=user.cccd)
            if new == current:
                problems.append("Mật khẩu mới phải khác mật khẩu hiện tại.")
            if problems:
                form.new_password.errors.extend(problems)
            else:
                set_password(user, hasher, new, now=datetime.now(UTC))
                record("password_changed", actor=user)
                db.session.commit()
                # Other sessions ended with the version bump; this one continues on the new version.
                start_session(user)
                flash("Đã đổi mật khẩu thành công.", "success")
                return redirect(url_for("admin.index"))
    return render_template("auth/change_password.html", form=form, forced=user.must_change_password)
