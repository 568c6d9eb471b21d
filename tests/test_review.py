"""The approver's review page: the change view against the last confirmed version, Xác nhận /
Từ chối from there, and exactly one winner when two approvers act at the same moment."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from extensions import db
from models.audit import ProfileHistory
from models.profile import Profile
from models.refdata import load_reference_data
from models.sections import FamilyMember
from models.snapshot_store import ProfileVersion
from models.workflow import transition
from tests.conftest import csrf_token_from
from tests.factories import make_unit, make_user

PASSWORD = "Mật khẩu đủ mạnh 2026"


@pytest.fixture
def office(app):
    load_reference_data(db.session)
    district = make_unit("UBND huyện Gia Lâm")
    commune = make_unit("UBND xã Bát Tràng", parent=district, kind="xa")
    elsewhere = make_unit("UBND quận Ba Đình")
    employee = make_user("Nguyễn Thị Hường", unit=commune, password=PASSWORD)
    approver = make_user("Đặng Minh Tuấn", unit=district, sex="nam", password=PASSWORD, roles=[("approver", district)])
    second = make_user("Lê Văn Hải", unit=district, sex="nam", password=PASSWORD, roles=[("approver", district)])
    outsider = make_user("Vũ Đức Thịnh", unit=elsewhere, sex="nam", password=PASSWORD, roles=[("approver", elsewhere)])
    db.session.commit()
    profile = db.session.scalar(select(Profile).where(Profile.owner_id == employee.id))
    return {"employee": employee, "approver": approver, "second": second, "outsider": outsider, "profile": profile}


def confirmed_with_family(office) -> Profile:
    """A profile confirmed once (with two relatives), then edited and resubmitted."""
    profile, employee, approver = office["profile"], office["employee"], office["approver"]
    now = datetime.now(UTC)
    profile.other_names = "Hường Nguyễn"
    profile.family_members = [
        FamilyMember(relation="cha", side="ban_than", full_name="Nguyễn Văn Cường", birth_year=1950),
        FamilyMember(relation="me", side="ban_than", full_name="Trần Thị Lụa", birth_year=1953),
    ]
    db.session.flush()
    transition(db.session, profile, "submit", actor_id=employee.id, now=now)
    transition(db.session, profile, "confirm", actor_id=approver.id, now=now)
    transition(db.session, profile, "reopen", actor_id=employee.id, now=now)
    profile.other_names = "Hường Bát Tràng"
    profile.family_members.remove(profile.family_members[1])
    profile.family_members.append(
        FamilyMember(relation="con", side="ban_than", full_name="Phạm Minh An", birth_year=2012)
    )
    db.session.flush()
    transition(db.session, profile, "submit", actor_id=employee.id, now=now)
    db.session.commit()
    return profile


def test_change_view_shows_edited_fields_and_added_removed_rows(client, login_as, office):
    profile = confirmed_with_family(office)
    login_as(office["approver"])
    html = client.get(f"/phe-duyet/ho-so/{profile.id}/").get_data(as_text=True)
    assert "So sánh với bản đã xác nhận số 1" in html
    assert "Hường Bát Tràng" in html and "<del>Hường Nguyễn</del>" in html
    assert 'class="row-added"' in html and "Phạm Minh An" in html
    assert 'class="row-removed"' in html and "<del>Trần Thị Lụa</del>" in html
    assert 'class="row-same"' in html and "Nguyễn Văn Cường" in html
    section = html[html.index('id="review-family"') :]
    assert "có thay đổi" in section[:400]
    untouched = html[html.index('id="review-economy"') :]
    assert "có thay đổi" not in untouched[:400]


def test_first_declaration_marks_everything_new(client, login_as, office):
    profile = office["profile"]
    profile.family_members = [
        FamilyMember(relation="cha", side="ban_than", full_name="Nguyễn Văn Cường", birth_year=1950)
    ]
    transition(db.session, profile, "submit", actor_id=office["employee"].id, now=datetime.now(UTC))
    db.session.commit()
    login_as(office["approver"])
    html = client.get(f"/phe-duyet/ho-so/{profile.id}/").get_data(as_text=True)
    assert "Khai lần đầu" in html and 'class="row-added"' in html


def act(client, profile_id: int, action: str, note: str | None = None, version: str | None = None):
    page = client.get(f"/phe-duyet/ho-so/{profile_id}/").get_data(as_text=True)
    data = {"csrf_token": csrf_token_from(page), "expected_version": version}
    if version is None:
        import re

        data["expected_version"] = re.search(r'name="expected_version" value="(\d+)"', page).group(1)
    if note is not None:
        data["note"] = note
    return client.post(f"/phe-duyet/ho-so/{profile_id}/{action}", data=data)


def test_confirm_and_reject_from_the_review_page(client, login_as, office):
    profile = confirmed_with_family(office)
    login_as(office["approver"])
    assert act(client, profile.id, "tu-choi", note="   ").status_code == 302
    db.session.expire_all()
    assert db.session.get(Profile, profile.id).status == "pending"  # empty note refused
    act(client, profile.id, "tu-choi", note="Bổ sung năm sinh của con.")
    db.session.expire_all()
    assert db.session.get(Profile, profile.id).status == "rejected"
    note = db.session.scalar(select(ProfileHistory.note).where(ProfileHistory.action == "reject"))
    assert note == "Bổ sung năm sinh của con."


@pytest.mark.parametrize("who", ["employee", "outsider"])
def test_others_cannot_confirm(client, login_as, office, who):
    profile = confirmed_with_family(office)
    login_as(office[who])
    token = csrf_token_from(client.get("/ho-so/").get_data(as_text=True))
    response = client.post(
        f"/phe-duyet/ho-so/{profile.id}/xac-nhan",
        data={"csrf_token": token, "expected_version": str(profile.version_id)},
    )
    assert response.status_code == (403 if who == "employee" else 404)
    db.session.expire_all()
    assert db.session.get(Profile, profile.id).status == "pending"


def test_stale_page_is_not_acted_on(client, login_as, office):
    profile = confirmed_with_family(office)
    login_as(office["approver"])
    act(client, profile.id, "xac-nhan", version=str(profile.version_id - 1))
    db.session.expire_all()
    assert db.session.get(Profile, profile.id).status == "pending"


def test_approve_vs_reject_race_has_one_winner(app, login_as, office):
    """Two approvers submit at the same moment: one transition lands, one history row, one snapshot."""
    profile = confirmed_with_family(office)
    versions_before = db.session.scalar(select(func.count()).select_from(ProfileVersion))
    clients = {name: app.test_client() for name in ("approver", "second")}
    forms = {}
    import re
    import time

    for name, c in clients.items():
        with c.session_transaction() as sess:
            sess["_user_id"] = office[name].get_id()
            sess["_fresh"] = True
            sess["login_at"] = sess["seen_at"] = int(time.time())
        page = c.get(f"/phe-duyet/ho-so/{profile.id}/").get_data(as_text=True)
        forms[name] = {
            "csrf_token": csrf_token_from(page),
            "expected_version": re.search(r'name="expected_version" value="(\d+)"', page).group(1),
        }
    barrier = threading.Barrier(2)
    results: dict[str, int] = {}

    def go(name: str, action: str, note: str | None) -> None:
        data = dict(forms[name], **({"note": note} if note else {}))
        barrier.wait()
        results[name] = clients[name].post(f"/phe-duyet/ho-so/{profile.id}/{action}", data=data).status_code

    threads = [
        threading.Thread(target=go, args=("approver", "xac-nhan", None)),
        threading.Thread(target=go, args=("second", "tu-choi", "Thiếu thông tin.")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    db.session.expire_all()
    final = db.session.get(Profile, profile.id).status
    decisions = db.session.scalars(
        select(ProfileHistory.action).where(
            ProfileHistory.profile_id == profile.id, ProfileHistory.action.in_(["confirm", "reject"])
        )
    ).all()
    assert final in ("confirmed", "rejected")
    # one confirm from the first cycle + exactly one decision now
    assert len(decisions) == 2
    new_versions = db.session.scalar(select(func.count()).select_from(ProfileVersion)) - versions_before
    assert new_versions == (1 if final == "confirmed" else 0)
    assert results == {"approver": 302, "second": 302}
