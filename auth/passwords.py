"""Password hashing, the default password, and the rules a new password must meet.

Why default passwords are not hashed: the default password is a pure function of the full name
and the CCCD, both stored in the clear in the same row. Anyone who can read a stored hash of it
can compute the password itself, so the hash protects nothing, while hashing it with argon2id
costs ~0.2 s per account and would make a 10,000-row import take over half an hour. An account
on its default password therefore has `password_hash = NULL`; login derives the expected value and
compares in constant time. Defaults expire (DEFAULT_PASSWORD_MAX_AGE_DAYS) and must be changed at
first login; only passwords a person chose are stored, and those always as argon2id hashes.
"""

from __future__ import annotations

import hmac
import re
import unicodedata
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from models.text import search_key, strip_diacritics

MIN_LENGTH = 8
MAX_LENGTH = 128


def default_password(full_name: str, cccd: str) -> str:
    """Given name (last word), first letter upper, rest lower, no diacritics, + last 4 CCCD digits + '@'.

    BÙI THỊ THỦY, 038185011234 -> 'Thuy1234@'; Đặng Văn Đức -> 'Duc…@'.
    """
    words = strip_diacritics(unicodedata.normalize("NFC", full_name)).split()
    if not words:
        raise ValueError("full name is empty")
    given = words[-1]
    digits = "".join(ch for ch in cccd if ch.isdigit())
    return given[:1].upper() + given[1:].lower() + digits[-4:] + "@"


def matches_default(candidate: str, full_name: str, cccd: str) -> bool:
    """Constant-time comparison with the account's default password."""
    expected = default_password(full_name, cccd).encode()
    return hmac.compare_digest(candidate.encode("utf-8", "surrogatepass"), expected)


@cache
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problems(password: str, *, full_name: str, cccd: str) -> list[str]:
    """Vietnamese messages for every rule the new password breaks (SECURITY.md); empty when it is fine.

    The password is checked exactly as typed: no trimming, any Unicode allowed.
    """
    problems: list[str] = []
    length = len(password)
    if length < MIN_LENGTH:
        problems.append(f"Mật khẩu phải có ít nhất {MIN_LENGTH} ký tự.")
    if length > MAX_LENGTH:
        problems.append(f"Mật khẩu không được dài quá {MAX_LENGTH} ký tự.")
    folded = search_key(password).replace(" ", "")
    given = search_key(full_name).split()[-1] if search_key(full_name) else ""
    # The default pattern: the given name followed only by digits and symbols (Thuy5678@, thuy2024!).
    if given and re.fullmatch(re.escape(given) + r"[\d\W_]*", folded):
        problems.append("Mật khẩu không được theo mẫu mật khẩu mặc định (tên + số + ký hiệu).")
    digits = "".join(ch for ch in password if ch.isdigit())
    if cccd and cccd in digits:
        problems.append("Mật khẩu không được chứa số CCCD.")
    if password.lower() in common_passwords() or folded in common_passwords():
        problems.append("Mật khẩu này quá phổ biến, dễ bị đoán. Hãy chọn mật khẩu khác.")
    return problems


class Hasher:
    """argon2id with configurable cost; tests use a cheap one, production the RFC 9106 settings."""

    def __init__(self, time_cost: int, memory_cost: int, parallelism: int) -> None:
        self._hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism)
        # Verified against on paths with no real hash, so every login attempt costs the same.
        self._dummy_hash = self._hasher.hash("not-a-password")

    @property
    def parameters(self):  # type: ignore[no-untyped-def]
        return self._hasher

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(stored or self._dummy_hash, password) and stored is not None
        except (VerificationError, InvalidHashError):
            return False

    def burn(self) -> None:
        """Spend one verification's time without a result (unknown user, default password)."""
        self.verify(None, "x")

    def needs_rehash(self, stored: str) -> bool:
        return self._hasher.check_needs_rehash(stored)
