"""Oversight of a rollout (theo dõi, đôn đốc): progress per unit against a campaign's deadline, the
late units Phòng Nội vụ reports to the district, reminders to late units, and the headcount and
quality statistics (báo cáo số lượng, chất lượng CBCCVC).

Pure domain code: every function takes a SQLAlchemy session (and "today" where dates matter, so
tests can freeze it); nothing here imports Flask. Scoping is the caller's: functions receive the
SELECT of the org unit ids the user may see, built by auth.permissions.scope_units.
"""

from __future__ import annotations

from typing import Any, TypeAlias

from sqlalchemy.orm import Session, scoped_session

# The views pass Flask-SQLAlchemy's scoped session, tests and the CLI a plain one: both work alike.
SessionLike: TypeAlias = Session | scoped_session[Any]
