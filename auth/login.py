"""Authentication as a domain function: no request, no Flask; the view supplies time and config."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from auth.passwords import Hasher, matches_default
from models.cccd import normalize_cccd
from models.user import User


class Outcome(Enum):
    OK = "ok"
    INVALID = "invalid"  # unknown CCCD, wrong password, inactive account: one answer for all
    LOCKED = "locked"
    DEFAULT_EXPIRED = "default_expired"
    DISABLED = "disabled"  # locked by HR or deactivated: told only to someone who knows the password


# An HR lock is a lock without end; it is lifted only by HR (auth.accounts.unlock).
ADMIN_LOCK_UNTIL = datetime(9999, 1, 1, tzinfo=UTC)


@dataclass
class LoginPolicy:
    max_failures: int = 5
    lock_minutes: int = 15
    default_password_max_age_days: int = 30


@dataclass
class LoginResult:
    outcome: Outcome
    user: User | None = None
    locked_until: datetime | None = None


def _aware(value: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes for timezone-aware columns; they were stored in UTC."""
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def username_key(cccd: str) -> str:
    """A stable, non-reversible key for throttling attempts on a username, existing or not."""
    return hashlib.sha256(normalize_cccd(cccd).encode()).hexdigest()[:32]


def authenticate(
    session: Session, hasher: Hasher, cccd: str, password: str, *, now: datetime, policy: LoginPolicy
) -> LoginResult:
    """Check a login attempt and record failures/locks on the account (the caller commits).

    Every path runs exactly one argon2 verification so unknown CCCDs, wrong passwords and
    default-password accounts take the same time.
    """
    user = session.scalar(select(User).where(User.cccd == normalize_cccd(cccd)))
    if user is None:
        hasher.burn()
        return LoginResult(Outcome.INVALID)

    locked_until = _aware(user.locked_until)
    administratively_locked = locked_until is not None and locked_until >= ADMIN_LOCK_UNTIL
    if locked_until and locked_until > now and not administratively_locked:
        hasher.burn()
        return LoginResult(Outcome.LOCKED, locked_until=locked_until)

    ok = _password_matches(user, hasher, password)
    if administratively_locked or not user.active:
        # No failure counting here: HR decides when this account works again.
        return LoginResult(Outcome.DISABLED if ok else Outcome.INVALID)

    if not ok:
        user.failed_attempts += 1
        if user.failed_attempts >= policy.max_failures:
            user.locked_until = now + timedelta(minutes=policy.lock_minutes)
            user.failed_attempts = 0
            return LoginResult(Outcome.LOCKED, locked_until=user.locked_until)
        return LoginResult(Outcome.INVALID)

    issued = _aware(user.default_password_issued_at)
    if user.password_hash is None and issued and now - issued > timedelta(days=policy.default_password_max_age_days):
        return LoginResult(Outcome.DEFAULT_EXPIRED)

    user.failed_attempts = 0
    user.locked_until = None
    user.last_login_at = now
    if user.password_hash is not None and hasher.needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    return LoginResult(Outcome.OK, user=user)


def _password_matches(user: User, hasher: Hasher, password: str) -> bool:
    """Exactly one argon2 verification whatever the account's state (timing reveals nothing)."""
    if user.password_hash is None:
        hasher.burn()
        return matches_default(password, user.full_name, user.cccd)
    return hasher.verify(user.password_hash, password)


def set_password(user: User, hasher: Hasher, new_password: str, *, now: datetime) -> None:
    """Store a chosen password and end every other session of the user."""
    user.password_hash = hasher.hash(new_password)
    user.must_change_password = False
    user.default_password_issued_at = None
    user.password_changed_at = now
    user.failed_attempts = 0
    user.locked_until = None
    user.end_all_sessions()


def reset_to_default(user: User, *, now: datetime) -> None:
    """Back to the default password (HR reset): forces a change at next login, ends sessions."""
    user.password_hash = None
    user.must_change_password = True
    user.default_password_issued_at = now
    user.end_all_sessions()
