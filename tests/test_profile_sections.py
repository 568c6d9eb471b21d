"""The employee's profile over HTTP: sections I–XI, Lưu, history, read-only states, and that
nobody reaches another person's profile through any Flask-Admin endpoint."""

from __future__ import annotations

import pytest
from sqlalchemy import event, func, select
from werkzeug.datastructures import MultiDict

from extensions import db
from models.audit import ProfileHistory
from models.profile import Profile
from models.refdata import load_reference_data
from models.section_registry import SECTIONS
from models.sections import FamilyMember, WorkHistory
from models.snapshot import profile_data
from tests.factories import make_unit, make_user
from tests.formdata import as_post, form_fields

PASSWORD = "Mật khẩu đủ mạnh 2026"


@pytest.fixture
def people(app):
    load_reference_data(db.session)
    unit = make_unit("UBND xã Bát Tràng", kind="xa")
    a = make_user("Bùi Thị Thủy", unit=unit, password=PASSWORD)
    b = make_user("Trần Văn Bình", unit=unit, password=PASSWORD, sex="nam")
    db.session.commit()
    pa = db.session.scalar(select(Profile).where(Profile.owner_id == a.id))
    pb = db.session.scalar(select(Profile).where(Profile.owner_id == b.id))
    return a, b, pa, pb


def section_url(key: str, action: str, profile_id: int) -> str:
    return f"/ho-so/muc/{key}/{action}/?id={profile_id}"


def save_section(client, key: str, profile_id: int, **overrides):
    page = client.get(section_url(key, "edit", profile_id))
    assert page.status_code == 200, page.status_code
    fields = form_fields(page.get_data(as_text=True))
    return client.post(section_url(key, "edit", profile_id), data=MultiDict(as_post(fields, **overrides)))


def snapshot(profile_id: int) -> dict:
    db.session.expire_all()
    profile = db.session.get(Profile, profile_id)
    return {"data": profile_data(profile), "status": profile.status, "version": profile.version_id}


def test_own_profile_page_shows_states_and_sections(client, login_as, people):
    a, _b, pa, _pb = people
    login_as(a)
    home = client.get("/", follow_redirects=True)
    html = home.get_data(as_text=True)
    assert "Bùi Thị Thủy" in html
    for label in ("Đang cập nhật", "Chờ xác nhận", "Từ chối", "Xác nhận"):
        assert label in html
    for button in ("Sửa", "Lưu", "Gửi xác nhận", "Đính kèm", "Lịch sử cập nhật", "Hợp đồng", "In"):
        assert button in html
    for section in SECTIONS:
        assert f'id="tab-{section.key}"' in html
    assert 'class="state-box state-draft current"' in html


def test_save_section_one_keeps_values_and_writes_history(client, login_as, people):
    a, _b, pa, _pb = people
    login_as(a)
    response = save_section(
        client, "basic", pa.id, other_names="Thủy  Bùi", birth_date="4.4.1985", phone="0912 345 678"
    )
    assert response.status_code == 302
    db.session.expire_all()
    profile = db.session.get(Profile, pa.id)
    assert profile.other_names == "Thủy Bùi"
    assert profile.birth_date.isoformat() == "1985-04-04"
    assert profile.phone == "0912 345 678"
    entry = db.session.scalar(select(ProfileHistory).where(ProfileHistory.profile_id == pa.id))
    assert entry.action == "save" and entry.actor_id == a.id
    assert entry.changes["fields"]["other_names"] == [None, "Thủy Bùi"]
    page = client.get(section_url("basic", "edit", pa.id)).get_data(as_text=True)
    assert 'value="04/04/1985"' in page


def test_malformed_value_is_refused_at_the_field_and_nothing_else_is_lost(client, login_as, people):
    a, _b, pa, _pb = people
    login_as(a)
    save_section(client, "basic", pa.id, other_names="Giữ nguyên")
    before = snapshot(pa.id)
    response = save_section(client, "basic", pa.id, birth_date="31/02/85", other_names="Sửa mới")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "4 chữ số" in html  # the message sits at the field
    assert 'value="Sửa mới"' in html and 'value="31/02/85"' in html  # what was typed stays on screen
    assert snapshot(pa.id) == before


def test_child_rows_are_added_inline(client, login_as, people):
    a, _b, pa, _pb = people
    login_as(a)
    response = save_section(
        client,
        "family",
        pa.id,
        **{
            "family_members-0-relation": "cha",
            "family_members-0-full_name": "Bùi Văn Nam",
            "family_members-0-birth_year": "1955",
        },
    )
    assert response.status_code == 302
    members = db.session.scalars(select(FamilyMember).where(FamilyMember.profile_id == pa.id)).all()
    assert [(m.full_name, m.side) for m in members] == [("Bùi Văn Nam", "ban_than")]
    response = save_section(
        client,
        "employment",
        pa.id,
        **{"work_history-0-from_period": "9/2007", "work_history-0-unit": "UBND xã Bát Tràng"},
    )
    row = db.session.scalar(select(WorkHistory).where(WorkHistory.profile_id == pa.id))
    assert (row.from_date.isoformat(), row.from_date_precision) == ("2007-09-01", "month")


def test_two_tabs_second_save_gets_a_conflict_and_keeps_its_input(client, login_as, people):
    a, _b, pa, _pb = people
    tab1 = tab2 = login_as(a)  # two tabs share one browser session
    page1 = form_fields(tab1.get(section_url("basic", "edit", pa.id)).get_data(as_text=True))
    page2 = form_fields(tab2.get(section_url("basic", "edit", pa.id)).get_data(as_text=True))
    first = tab1.post(section_url("basic", "edit", pa.id), data=MultiDict(as_post(page1, other_names="Tab một")))
    assert first.status_code == 302
    second = tab2.post(section_url("basic", "edit", pa.id), data=MultiDict(as_post(page2, other_names="Tab hai")))
    html = second.get_data(as_text=True)
    assert second.status_code == 200
    assert "CHƯA được lưu" in html and 'value="Tab hai"' in html
    db.session.expire_all()
    assert db.session.get(Profile, pa.id).other_names == "Tab một"


def test_status_cannot_be_posted(client, login_as, people):
    a, _b, pa, _pb = people
    login_as(a)
    save_section(client, "basic", pa.id, status="confirmed", version_id="99", org_unit_id="999")
    db.session.expire_all()
    profile = db.session.get(Profile, pa.id)
    assert profile.status == "draft" and profile.org_unit_id == pa.org_unit_id


def test_hr_only_fields_are_not_in_the_employee_form(client, login_as, people):
    a, _b, pa, _pb = people
    login_as(a)
    fields = form_fields(client.get(section_url("basic", "edit", pa.id)).get_data(as_text=True))
    for name in ("staff_number", "bnv_identifier", "id_number", "status", "version_id", "org_unit_id"):
        assert name not in fields
    before = snapshot(pa.id)
    save_section(client, "basic", pa.id, staff_number="HACK-1", id_number="001085000001")
    after = snapshot(pa.id)
    assert after["data"]["staff_number"] is None and after["data"]["id_number"] == before["data"]["id_number"]
    fields = form_fields(client.get(section_url("assessment", "edit", pa.id)).get_data(as_text=True))
    assert "agency_assessment" not in fields


@pytest.mark.parametrize("section", [s.key for s in SECTIONS])
def test_other_employee_cannot_reach_any_section_endpoint(client, login_as, people, section):
    a, b, pa, _pb = people
    login_as(a)
    save_section(client, section, pa.id)  # A's own save works on every section
    login_as(b)
    before = snapshot(pa.id)
    base = f"/ho-so/muc/{section}"
    csrf = form_fields(client.get(f"/ho-so/muc/{section}/edit/?id={_pb.id}").get_data(as_text=True))["csrf_token"][0]
    attempts = [
        client.get(f"{base}/edit/?id={pa.id}"),
        client.get(f"{base}/details/?id={pa.id}"),
        client.post(f"{base}/edit/?id={pa.id}", data={"csrf_token": csrf, "other_names": "B was here"}),
        client.post(f"{base}/delete/?id={pa.id}", data={"csrf_token": csrf, "id": str(pa.id)}),
        client.post(f"{base}/ajax/update/", data={"csrf_token": csrf, "list_form_pk": str(pa.id), "full_name": "X"}),
        client.get(f"{base}/export/xlsx/"),
        client.post(f"{base}/action/", data={"csrf_token": csrf, "action": "delete", "rowid": str(pa.id)}),
        client.get(f"/ho-so/{pa.id}/"),
        client.get(f"/ho-so/{pa.id}/lich-su"),
        client.post(f"/ho-so/{pa.id}/gui-xac-nhan", data={"csrf_token": csrf}),
        client.post(f"/ho-so/{pa.id}/sua", data={"csrf_token": csrf}),
    ]
    for response in attempts:
        assert response.status_code in (302, 403, 404, 405), response.request.path
        assert "Bùi Thị Thủy" not in response.get_data(as_text=True)
    assert attempts[0].status_code == 404 and attempts[2].status_code == 404
    assert snapshot(pa.id) == before


def test_list_view_only_shows_own_row(client, login_as, people):
    a, _b, pa, _pb = people
    login_as(a)
    response = client.get("/ho-so/muc/basic/")
    assert response.status_code == 302 and response.headers["Location"].endswith("/ho-so/")


def test_profile_page_runs_a_constant_number_of_queries(client, login_as, people):
    a, _b, pa, _pb = people
    login_as(a)

    def count_queries() -> int:
        statements: list[str] = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/ho-so/").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    few = count_queries()
    profile = db.session.get(Profile, pa.id)
    for i in range(30):
        profile.family_members.append(FamilyMember(relation="con", full_name=f"Con {i}", birth_year=2010))
        profile.work_history.append(WorkHistory(unit=f"Đơn vị {i}"))
    db.session.commit()
    assert count_queries() == few
    assert db.session.scalar(select(func.count()).select_from(FamilyMember)) == 30


def test_submit_with_missing_fields_lists_them_and_stays_draft(client, login_as, people):
    a, _b, pa, _pb = people
    login_as(a)
    page = client.get("/ho-so/").get_data(as_text=True)
    token = form_fields(page, form_id=None)["csrf_token"][0]
    response = client.post(f"/ho-so/{pa.id}/gui-xac-nhan", data={"csrf_token": token})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and 'id="missing-list"' in html
    assert "Chưa nhập" in html and "/ho-so/muc/basic/edit/" in html
    db.session.expire_all()
    assert db.session.get(Profile, pa.id).status == "draft"
    assert db.session.scalar(select(func.count()).select_from(ProfileHistory)) == 0


def test_edit_while_pending_is_refused_and_changes_nothing(client, login_as, people):
    a, _b, pa, _pb = people
    login_as(a)
    page = client.get(section_url("basic", "edit", pa.id)).get_data(as_text=True)
    fields = form_fields(page)
    profile = db.session.get(Profile, pa.id)
    profile.status = "pending"  # test setup: as if submitted
    db.session.commit()
    before = snapshot(pa.id)
    response = client.post(section_url("basic", "edit", pa.id), data=MultiDict(as_post(fields, other_names="Sửa lén")))
    assert response.status_code == 302
    assert snapshot(pa.id) == before
    html = client.get(section_url("basic", "edit", pa.id)).get_data(as_text=True)
    assert "chỉ xem" in html and 'id="btn-save-bottom"' not in html
    assert "<fieldset disabled>" in html


def test_rule_problems_are_shown_beside_the_field(client, login_as, people):
    a, _b, pa, _pb = people
    login_as(a)
    save_section(client, "basic", pa.id, phone="12345", id_issued_on="01/01/2099")
    html = client.get(section_url("basic", "edit", pa.id)).get_data(as_text=True)
    phone_at = html.index('id="phone"')
    assert "invalid-feedback" in html[phone_at : phone_at + 800]
    assert "không được sau ngày hôm nay" in html


def test_hr_edits_on_the_employees_behalf(client, login_as, people):
    a, _b, pa, _pb = people
    unit = db.session.get(Profile, pa.id).org_unit
    other_unit = make_unit("Trường THCS Cổ Bi", kind="truong", parent=unit)
    hr = make_user("Phạm Thị Hồng Nhung", unit=unit, password=PASSWORD, roles=[("hr", unit)])
    db.session.commit()
    login_as(hr)
    fields = form_fields(client.get(section_url("basic", "edit", pa.id)).get_data(as_text=True))
    assert {"staff_number", "org_unit_id", "id_number"} <= set(fields)
    response = save_section(client, "basic", pa.id, staff_number="GL-2026-001", org_unit_id=str(other_unit.id))
    assert response.status_code == 302
    db.session.expire_all()
    profile = db.session.get(Profile, pa.id)
    assert profile.staff_number == "GL-2026-001" and profile.org_unit_id == other_unit.id
    entry = db.session.scalar(select(ProfileHistory).where(ProfileHistory.profile_id == pa.id))
    assert entry.actor_id == hr.id and "staff_number" in entry.changes["fields"]
    # A unit outside the HR's subtree is refused and nothing changes.
    outside = make_unit("UBND quận Ba Đình")
    db.session.commit()
    response = save_section(client, "basic", pa.id, org_unit_id=str(outside.id))
    assert response.status_code == 200 and "phạm vi quản lý" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Profile, pa.id).org_unit_id == other_unit.id
