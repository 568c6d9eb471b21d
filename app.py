"""Application factory: config → extensions → auth → admin → CLI."""

from __future__ import annotations

from flask import Flask, render_template
from flask_babel import Babel
from werkzeug.exceptions import HTTPException

import models  # noqa: F401  (registers every table with the metadata)
from admin_views import init_admin
from auth.passwords import Hasher
from auth.sessions import init_sessions
from auth.views import bp as auth_bp
from cli import register_cli
from config import build_config
from extensions import csrf, db, limiter, migrate


def create_app(overrides: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=False)
    app.config.update(build_config(overrides))

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    limiter.init_app(app)
    Babel(app, locale_selector=lambda: "vi", timezone_selector=lambda: "Asia/Ho_Chi_Minh")
    app.extensions["hasher"] = Hasher(
        app.config["ARGON2_TIME_COST"], app.config["ARGON2_MEMORY_COST"], app.config["ARGON2_PARALLELISM"]
    )

    init_sessions(app)
    app.register_blueprint(auth_bp)
    init_admin(app)
    register_cli(app)
    _register_error_pages(app)
    _register_template_filters(app)
    return app


def _register_template_filters(app: Flask) -> None:
    """Dates as Vietnamese users read them: dd/mm/yyyy, times in Asia/Ho_Chi_Minh."""
    from zoneinfo import ZoneInfo

    from models.dates import format_date

    tz = ZoneInfo("Asia/Ho_Chi_Minh")

    def local_datetime(value):  # type: ignore[no-untyped-def]
        if value is None:
            return ""
        if value.tzinfo is None:
            from datetime import UTC

            value = value.replace(tzinfo=UTC)
        return value.astimezone(tz).strftime("%d/%m/%Y %H:%M")

    app.jinja_env.filters["vn_date"] = format_date
    app.jinja_env.filters["vn_datetime"] = local_datetime


def _register_error_pages(app: Flask) -> None:
    """Vietnamese error pages; no stack trace ever reaches a user."""
    messages = {
        400: "Yêu cầu không hợp lệ (có thể phiên làm việc đã hết hạn, hãy tải lại trang).",
        403: "Bạn không có quyền truy cập nội dung này.",
        404: "Không tìm thấy trang yêu cầu.",
        405: "Thao tác không được phép.",
        413: "Tệp tải lên quá lớn.",
        429: "Bạn thao tác quá nhanh. Vui lòng đợi một lát rồi thử lại.",
        500: "Đã có lỗi xảy ra. Vui lòng thử lại sau.",
    }

    def handle(error: HTTPException):  # type: ignore[no-untyped-def]
        code = error.code or 500
        return render_template("error.html", code=code, message=messages.get(code, error.description)), code

    for code in messages:
        app.register_error_handler(code, handle)
