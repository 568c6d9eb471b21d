"""Password rules and hashing parameters."""

from __future__ import annotations

import pytest

from auth.passwords import Hasher, password_problems
from config import build_config

NAME, CCCD = "BÙI THỊ THỦY", "038185011234"


@pytest.mark.parametrize(
    "password",
    [
        "Mùa thu Hà Nội 1954!",
        "correct horse battery staple",
        "Đường lên đỉnh Phan-xi-păng",
        "ký tự 中文 và emoji 🌾🌾",
        "Thuy-yeu-hoa-sen-88",  # starts with the name but is not the name+digits pattern
        "x" * 128,
    ],
)
def test_strong_passwords_pass(password):
    assert password_problems(password, full_name=NAME, cccd=CCCD) == []


@pytest.mark.parametrize(
    ("password", "fragment"),
    [
        ("Thuy1234@", "mặc định"),
        ("Thuy5678@", "mặc định"),
        ("THỦY2025!!", "mặc định"),
        ("thuy123456", "mặc định"),
        ("abc038185011234", "CCCD"),
        ("qwerty123", "phổ biến"),
        ("P@ssw0rd", "phổ biến"),
        ("matkhau123", "phổ biến"),
        ("short7!", "ít nhất 8"),
        ("y" * 129, "128"),
    ],
)
def test_weak_passwords_fail_with_a_vietnamese_reason(password, fragment):
    problems = password_problems(password, full_name=NAME, cccd=CCCD)
    assert any(fragment in p for p in problems), problems


def test_password_is_taken_exactly_as_typed():
    # Leading/trailing spaces are part of the password; nothing is trimmed.
    hasher = Hasher(1, 8, 1)
    stored = hasher.hash("  spaced out pass  ")
    assert hasher.verify(stored, "  spaced out pass  ")
    assert not hasher.verify(stored, "spaced out pass")


def test_production_argon2_parameters_are_pinned(monkeypatch):
    for var in ("ARGON2_TIME_COST", "ARGON2_MEMORY_COST", "ARGON2_PARALLELISM"):
        monkeypatch.delenv(var, raising=False)
    cfg = build_config({"SECRET_KEY": "x"})
    hasher = Hasher(cfg["ARGON2_TIME_COST"], cfg["ARGON2_MEMORY_COST"], cfg["ARGON2_PARALLELISM"])
    stored = hasher.hash("Mùa thu Hà Nội 1954!")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert hasher.verify(stored, "Mùa thu Hà Nội 1954!")
    assert not hasher.verify(stored, "Mùa thu Hà Nội 1955!")


def test_production_refuses_to_start_without_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("HOSO_ENV", "production")
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        build_config()


def test_dev_secret_is_generated_once_into_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("HOSO_ENV", raising=False)
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path))
    first = build_config()["SECRET_KEY"]
    assert len(first) == 64 and (tmp_path / "secret_key").read_text() == first
    assert build_config()["SECRET_KEY"] == first
