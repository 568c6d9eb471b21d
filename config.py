"""Settings from the environment. Fails fast in production when a secret is missing."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent


def _instance_dir() -> Path:
    path = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))
    path.mkdir(parents=True, exist_ok=True)
    return path


def _dev_secret_key(instance: Path) -> str:
    """Generate a key once per checkout so dev sessions survive restarts; never a constant."""
    key_file = instance / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database_url(instance: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance / 'hoso.db'}"
    # Heroku-style URLs; SQLAlchemy 2.1 maps postgresql:// to psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    return url


def _int_env(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def build_config(overrides: dict | None = None) -> dict:
    """Return the app config. `HOSO_ENV=production` requires SECRET_KEY and DATABASE_URL."""
    overrides = overrides or {}
    env = overrides.get("ENV_NAME") or os.environ.get("HOSO_ENV", "development")
    instance = _instance_dir()
    production = env == "production"

    secret = overrides.get("SECRET_KEY") or os.environ.get("SECRET_KEY")
    if not secret:
        if production:
            raise RuntimeError("SECRET_KEY must be set when HOSO_ENV=production")
        secret = _dev_secret_key(instance)
    if production and not os.environ.get("DATABASE_URL") and "SQLALCHEMY_DATABASE_URI" not in overrides:
        raise RuntimeError("DATABASE_URL must be set when HOSO_ENV=production")

    redis_url = os.environ.get("REDIS_URL", "").strip()
    config: dict = {
        "ENV_NAME": env,
        "SECRET_KEY": secret,
        "INSTANCE_DIR": str(instance),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": False,
        # Login throttles: per client IP and per submitted CCCD (Flask-Limiter syntax).
        "LOGIN_RATE_LIMIT_IP": os.environ.get("LOGIN_RATE_LIMIT_IP", "60 per minute"),
        "LOGIN_RATE_LIMIT_ACCOUNT": os.environ.get("LOGIN_RATE_LIMIT_ACCOUNT", "20 per minute"),
        # Temporary lock after repeated failures.
        "LOGIN_MAX_FAILURES": _int_env("LOGIN_MAX_FAILURES", 5),
        "LOGIN_LOCK_MINUTES": _int_env("LOGIN_LOCK_MINUTES", 15),
        # An unused default password stops working after this many days.
        "DEFAULT_PASSWORD_MAX_AGE_DAYS": _int_env("DEFAULT_PASSWORD_MAX_AGE_DAYS", 30),
        "SESSION_IDLE_MINUTES": _int_env("SESSION_IDLE_MINUTES", 30),
        "SESSION_MAX_HOURS": _int_env("SESSION_MAX_HOURS", 12),
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=_int_env("SESSION_MAX_HOURS", 12)),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "WTF_CSRF_TIME_LIMIT": None,
        # argon2id parameters (RFC 9106 second recommended option, 64 MiB).
        "ARGON2_TIME_COST": _int_env("ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_COST": _int_env("ARGON2_MEMORY_COST", 65536),
        "ARGON2_PARALLELISM": _int_env("ARGON2_PARALLELISM", 4),
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "FLASK_ADMIN_SWATCH": "default",
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        # BNV portal sync (sync/): where confirmed versions are POSTed, the bearer token, the
        # per-request timeout and how many attempts before a row is parked as dead.
        "BNV_PORTAL_URL": os.environ.get("BNV_PORTAL_URL", "").strip(),
        "BNV_PORTAL_TOKEN": os.environ.get("BNV_PORTAL_TOKEN", "").strip(),
        "BNV_TIMEOUT_SECONDS": float(os.environ.get("BNV_TIMEOUT_SECONDS", 10)),
        "BNV_MAX_ATTEMPTS": _int_env("BNV_MAX_ATTEMPTS", 8),
    }
    config.update(overrides)
    if "SQLALCHEMY_ENGINE_OPTIONS" not in overrides and config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 15}}
    return config
