"""The workflow as a table: every (state, action, role) pair is allowed or refused as the spec says."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from auth.permissions import can
from extensions import db
from models.audit import ProfileHistory
from models.profile import Profile
from models.snapshot_store import ProfileVersion
from models.workflow import TRANSITIONS, TransitionError, check, official_version, transition
from tests.factories import make_unit, make_user

STATES = ("draft", "pending", "rejected", "confirmed")
ACTIONS = ("edit", "submit", "reopen", "confirm", "reject")
ROLES = ("owner", "other_employee", "approver_of_unit", "approver_elsewhere", "hr_of_unit", "sysadmin")

# (role, action) -> states in which it is allowed; everything else is refused.
ALLOWED = {
    ("owner", "edit"): {"draft"},
    ("owner", "submit"): {"draft"},
    ("owner", "reopen"): {"rejected", "confirmed"},
    ("approver_of_unit", "confirm"): {"pending"},
    ("approver_of_unit", "reject"): {"pending"},
    ("hr_of_unit", "edit"): {"draft"},
    ("hr_of_unit", "reopen"): {"rejected", "confirmed"},
    ("sysadmin", "edit"): {"draft"},
    ("sysadmin", "confirm"): {"pending"},
    ("sysadmin", "reject"): {"pending"},
}


@pytest.fixture
def cast(app):
    root = make_unit("UBND huyện Gia Lâm")
    unit = make_unit("UBND xã Bát Tràng", parent=root, kind="xa")
    other = make_unit("UBND quận Ba Đình")
    owner = make_user("Bùi Thị Thủy", unit=unit)
    users = {
        "owner": owner,
        "other_employee": make_user("Lê Văn Tám", unit=unit, sex="nam"),
        "approver_of_unit": make_user("Phạm Thị Duyên", unit=root, roles=[("approver", root)]),
        "approver_elsewhere": make_user("Đỗ Văn Khoa", unit=other, sex="nam", roles=[("approver", other)]),
        "hr_of_unit": make_user("Hoàng Thị Nga", unit=root, roles=[("hr", root)]),
        "sysadmin": make_user("Quản Trị Viên", unit=other, roles=[("sysadmin", other)]),
    }
    db.session.commit()
    profile = db.session.scalar(select(Profile).where(Profile.owner_id == owner.id))
    return users, profile


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(cast, state, action, role):
    users, profile = cast
    profile.status = state  # test setup only: put the profile in the state under test
    expected = state in ALLOWED.get((role, action), set())
    assert can(users[role], action, profile) is expected


def test_nobody_confirms_their_own_profile(cast):
    users, _profile = cast
    approver = users["approver_of_unit"]
    own = db.session.scalar(select(Profile).where(Profile.owner_id == approver.id))
    own.status = "pending"
    assert not can(approver, "confirm", own) and not can(approver, "reject", own)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_transition_table(cast, state, action):
    _users, profile = cast
    profile.status = state
    sources, target = TRANSITIONS[action]
    history_before = db.session.scalar(select(func.count()).select_from(ProfileHistory))
    if state in sources:
        entry = transition(db.session, profile, action, actor_id=None, now=datetime.now(UTC), note="Lý do")
        assert profile.status == target and entry.from_status == state and entry.to_status == target
        db.session.flush()
        assert db.session.scalar(select(func.count()).select_from(ProfileHistory)) == history_before + 1
    else:
        with pytest.raises(TransitionError):
            transition(db.session, profile, action, actor_id=None, now=datetime.now(UTC), note="Lý do")
        assert profile.status == state


def test_reject_needs_a_note(cast):
    _users, profile = cast
    profile.status = "pending"
    with pytest.raises(TransitionError, match="lý do"):
        check(profile, "reject", note="   ")


def test_confirmation_freezes_an_official_version_until_the_next_one(cast):
    users, profile = cast
    now = datetime.now(UTC)
    profile.other_names = "Bản một"
    profile.status = "pending"
    transition(db.session, profile, "confirm", actor_id=users["approver_of_unit"].id, now=now)
    db.session.commit()
    first = official_version(db.session, profile.id)
    assert first.number == 1 and first.data["other_names"] == "Bản một"

    transition(db.session, profile, "reopen", actor_id=users["owner"].id, now=now)
    profile.other_names = "Bản hai (nháp)"
    db.session.commit()
    assert official_version(db.session, profile.id).data["other_names"] == "Bản một"

    transition(db.session, profile, "submit", actor_id=users["owner"].id, now=now)
    transition(db.session, profile, "confirm", actor_id=users["approver_of_unit"].id, now=now)
    db.session.commit()
    latest = official_version(db.session, profile.id)
    assert latest.number == 2 and latest.data["other_names"] == "Bản hai (nháp)"
    assert latest.digest != first.digest
    assert db.session.scalar(select(func.count()).select_from(ProfileVersion)) == 2
