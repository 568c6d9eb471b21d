"""Test fixtures: an app with a fresh database per test, on SQLite (default) or PostgreSQL.

Set TEST_DATABASE_URL=postgresql://… to run the suite on PostgreSQL; the database must exist
(scripts/test.sh and .ci/run create it). Every table is created once per run and emptied after
each test; on SQLite each test gets its own copy of a freshly created database file.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import create_engine, text

from app import create_app
from extensions import db
from models.user import User

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "").strip()
IS_POSTGRES = TEST_DATABASE_URL.startswith("postgresql")

# Cheap argon2 for speed; tests/test_passwords.py pins the production parameters separately.
FAST_HASH = {"ARGON2_TIME_COST": 1, "ARGON2_MEMORY_COST": 8, "ARGON2_PARALLELISM": 1}


def base_config(database_url: str, instance: Path) -> dict:
    return {
        "TESTING": True,
        "ENV_NAME": "test",
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "RATELIMIT_STORAGE_URI": "memory://",
        "INSTANCE_DIR": str(instance),
        **FAST_HASH,
    }


class IsolatedClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    The `app` fixture keeps an app context pushed for the test's own database work; without this,
    requests would reuse it and share `g` (CSRF tokens) and the SQLAlchemy session with the test.
    """

    def open(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def template_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Create the schema once: a template file on SQLite, the tables themselves on PostgreSQL."""
    if IS_POSTGRES:
        app = create_app(base_config(TEST_DATABASE_URL, tmp_path_factory.mktemp("inst")))
        with app.app_context():
            db.drop_all()
            db.create_all()
            db.engine.dispose()
        return TEST_DATABASE_URL
    path = tmp_path_factory.mktemp("template") / "template.db"
    app = create_app(base_config(f"sqlite:///{path}", tmp_path_factory.mktemp("inst")))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    return str(path)


def _truncate_all(url: str) -> None:
    engine = create_engine(url)
    names = ", ".join(f'"{t.name}"' for t in db.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture
def app(template_db: str, tmp_path: Path) -> Iterator[Flask]:
    if IS_POSTGRES:
        url = TEST_DATABASE_URL
    else:
        path = tmp_path / "test.db"
        shutil.copyfile(template_db, path)
        url = f"sqlite:///{path}"
    application = create_app(base_config(url, tmp_path))
    application.test_client_class = IsolatedClient
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()
    if IS_POSTGRES:
        _truncate_all(url)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def login_as(client: FlaskClient):  # type: ignore[no-untyped-def]
    """Put a logged-in session for `user` into the test client's cookie, as a real login would."""

    def _login(user: User) -> FlaskClient:
        now = int(time.time())
        with client.session_transaction() as sess:
            sess.clear()
            sess["_user_id"] = user.get_id()
            sess["_fresh"] = True
            sess["login_at"] = now
            sess["seen_at"] = now
        return client

    return _login


def csrf_token_from(html: str) -> str:
    """The CSRF token rendered into a page's form."""
    import re

    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, "no csrf_token in page"
    return match.group(1)
