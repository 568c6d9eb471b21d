"""Đơn vị: moving a subtree rewrites its paths in one UPDATE and keeps subtree queries right; over
HTTP, who may see, add, rename and move which units. Every denial asserts the status AND that the
database did not change."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import event, select

from auth.accounts import ActionRefused, move_org_unit
from auth.permissions import scope_profiles
from extensions import db
from models.org import OrgTreeError, OrgUnit, move_unit, rename_unit, subtree_ids
from models.profile import Profile
from models.user import User
from tests.factories import make_unit, make_user
from tests.test_hr_accounts import PASSWORD, World, build_world, field_errors, logged_in, post, snapshot


@pytest.fixture
def world(app: Flask) -> World:
    return build_world()


def ids(path: str) -> set[int]:
    return set(db.session.scalars(subtree_ids(path)))


def unit(unit_id: int) -> OrgUnit:
    db.session.expire_all()
    found = db.session.get(OrgUnit, unit_id)
    assert found is not None
    return found


# --- move_unit and rename_unit ------------------------------------------------------------------------


def test_move_rewrites_the_whole_subtree_in_one_update(app: Flask) -> None:
    root = make_unit("Gốc")
    a = make_unit("A", parent=root)
    b = make_unit("B", parent=root)
    a1 = make_unit("A1", parent=a)
    a11 = make_unit("A11", parent=a1)
    a2 = make_unit("A2", parent=a)
    b1 = make_unit("B1", parent=b)
    db.session.commit()

    updates: list[str] = []

    def capture(conn, cursor, statement, *args):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("UPDATE"):
            updates.append(statement)

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        old, new = move_unit(db.session, a, b1)
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert len(updates) == 1 and "org_unit" in updates[0]
    assert (old, new) == (f"/{root.id}/{a.id}/", f"/{root.id}/{b.id}/{b1.id}/{a.id}/")

    assert unit(a.id).parent_id == b1.id
    assert unit(a11.id).path == f"/{root.id}/{b.id}/{b1.id}/{a.id}/{a1.id}/{a11.id}/"
    assert unit(a11.id).parent_id == a1.id  # descendants keep their parents
    assert ids(unit(b.id).path) == {b.id, b1.id, a.id, a1.id, a11.id, a2.id}
    assert ids(unit(a1.id).path) == {a1.id, a11.id}
    assert ids(unit(root.id).path) == {root.id, a.id, b.id, a1.id, a11.id, a2.id, b1.id}
    assert unit(a11.id).depth == 6


def test_loaded_objects_see_the_new_paths(app: Flask) -> None:
    root = make_unit("Gốc")
    a = make_unit("A", parent=root)
    a1 = make_unit("A1", parent=a)
    b = make_unit("B", parent=root)
    db.session.flush()
    move_unit(db.session, a, b)
    assert a1.path == f"/{root.id}/{b.id}/{a.id}/{a1.id}/"  # no stale path in the identity map
    assert a.parent is b


@pytest.mark.parametrize("where", ["itself", "child", "grandchild"])
def test_move_under_itself_or_a_descendant_is_refused(app: Flask, where: str) -> None:
    root = make_unit("Gốc")
    a = make_unit("A", parent=root)
    a1 = make_unit("A1", parent=a)
    a11 = make_unit("A11", parent=a1)
    db.session.commit()
    paths = {u.id: u.path for u in db.session.scalars(select(OrgUnit))}
    new_parent = {"itself": a, "child": a1, "grandchild": a11}[where]
    with pytest.raises(OrgTreeError, match="chính nó hoặc vào một đơn vị cấp dưới"):
        move_unit(db.session, a, new_parent)
    db.session.rollback()
    assert {u.id: u.path for u in db.session.scalars(select(OrgUnit))} == paths


def test_move_to_the_same_parent_is_refused(app: Flask) -> None:
    root = make_unit("Gốc")
    a = make_unit("A", parent=root)
    db.session.commit()
    with pytest.raises(OrgTreeError, match="đã trực thuộc"):
        move_unit(db.session, a, root)


def test_move_keeps_sibling_prefixes_apart(app: Flask) -> None:
    """Moving /r/1/ must not touch /r/10/…: the prefix includes the trailing slash."""
    root = make_unit("Gốc")
    units = [make_unit(f"Con {i}", parent=root) for i in range(12)]
    target = make_unit("Đích", parent=root)
    db.session.commit()
    first = units[0]
    longer = [u for u in units if str(u.id).startswith(str(first.id)) and u.id != first.id]
    before = {u.id: u.path for u in longer}
    move_unit(db.session, first, target)
    db.session.commit()
    assert {u.id: unit(u.id).path for u in longer} == before


def test_rename_cleans_and_validates(app: Flask) -> None:
    a = make_unit("Phòng cũ")
    assert rename_unit(a, "  Phòng   Nội vụ ") == "Phòng cũ"
    assert a.name == "Phòng Nội vụ"
    for bad in ("", "   ", "x" * 256):
        with pytest.raises(OrgTreeError):
            rename_unit(a, bad)
    assert a.name == "Phòng Nội vụ"


def test_scopes_follow_a_moved_unit(app: Flask, world: World) -> None:
    """After Bát Tràng moves under Phòng Nội vụ, an HR officer of Phòng Nội vụ sees its profiles."""
    nv_hr = make_user("Lý Thị Ngọc Ánh", unit=world.gl_nv, password=PASSWORD, roles=[("hr", world.gl_nv)])
    db.session.commit()
    bt_profile = db.session.scalar(select(Profile.id).where(Profile.owner_id == world.target.id))
    visible = lambda: set(db.session.scalars(scope_profiles(select(Profile.id), nv_hr)))  # noqa: E731
    assert bt_profile not in visible()
    move_unit(db.session, world.gl_bt, world.gl_nv)
    db.session.commit()
    db.session.expire_all()
    assert bt_profile in visible()


# --- the tree page --------------------------------------------------------------------------------------


def test_hr_sees_its_subtree_indented(app: Flask, world: World) -> None:
    html = logged_in(app, world.hr_gl).get("/don-vi/").get_data(as_text=True)
    assert f'id="unit-{world.gl.id}" data-depth="0"' in html
    assert f'id="unit-{world.gl_nv.id}" data-depth="1"' in html
    assert f'id="unit-{world.gl_bt.id}" data-depth="1"' in html
    for outside in (world.hn, world.bd, world.bd_nh):
        assert f'id="unit-{outside.id}"' not in html
    assert "GL-BT" in html and "Xã/Phường/Thị trấn" in html and "Phạm vi của bạn" in html
    # Parents come before their children.
    assert html.index(f'id="unit-{world.gl.id}"') < html.index(f'id="unit-{world.gl_bt.id}"')


def test_sysadmin_sees_the_whole_tree(app: Flask, world: World) -> None:
    html = logged_in(app, world.sysadmin).get("/don-vi/").get_data(as_text=True)
    assert f'id="unit-{world.hn.id}" data-depth="0"' in html
    assert f'id="unit-{world.bd_nh.id}" data-depth="2"' in html


def test_unit_outside_scope_is_404(app: Flask, world: World) -> None:
    client = logged_in(app, world.hr_gl)
    before = snapshot()
    for url in (f"/don-vi/{world.bd.id}/", f"/don-vi/{world.hn.id}/"):
        assert client.get(url).status_code == 404
    assert post(client, f"/don-vi/{world.bd.id}/doi-ten", {"name": "Quận X"}).status_code == 404
    assert post(client, f"/don-vi/{world.bd_nh.id}/chuyen", {"parent_id": world.gl.id}).status_code == 404
    assert snapshot() == before


# --- add ---------------------------------------------------------------------------------------------------


def unit_form(parent: OrgUnit | None, **overrides: str) -> dict[str, str]:
    return {
        "parent_id": str(parent.id) if parent else "",
        "code": "GL-THCS-DT",
        "name": "Trường THCS Đa Tốn",
        "kind": "truong",
    } | overrides


def test_hr_adds_a_unit_under_a_unit_in_scope(app: Flask, world: World) -> None:
    response = post(logged_in(app, world.hr_gl), "/don-vi/them", unit_form(world.gl_bt))
    assert response.status_code == 303, field_errors(response)
    db.session.expire_all()
    added = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "GL-THCS-DT"))
    assert added is not None
    assert added.parent_id == world.gl_bt.id and added.path == f"{world.gl_bt.path}{added.id}/"
    assert added.name == "Trường THCS Đa Tốn" and added.kind == "truong"
    assert added.id in ids(world.gl.path)
    assert ("unit_create", str(added.id)) in [tuple(r) for r in snapshot()["audit"]]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"code": "gl-bt"}, "đã được dùng"),
        ({"code": "GL BT 2"}, "chữ không dấu"),
        ({"code": ""}, "Nhập mã đơn vị"),
        ({"name": "  "}, "Nhập tên đơn vị"),
        ({"kind": "bo"}, "Chọn loại đơn vị"),
        ({"parent_id": ""}, "Chọn đơn vị cấp trên"),
        ({"parent_id": "{bd}"}, "phạm vi quản lý"),
    ],
)
def test_add_refuses_bad_input(app: Flask, world: World, overrides: dict[str, str], message: str) -> None:
    data = unit_form(world.gl_bt) | {k: v.format(bd=world.bd.id) for k, v in overrides.items()}
    before = snapshot()
    response = post(logged_in(app, world.hr_gl), "/don-vi/them", data)
    assert response.status_code == 400
    assert message in field_errors(response)
    assert snapshot() == before


def test_sysadmin_may_add_a_new_root(app: Flask, world: World) -> None:
    response = post(
        logged_in(app, world.sysadmin), "/don-vi/them", unit_form(None, code="HP", name="UBND TP Hải Phòng")
    )
    assert response.status_code == 303, field_errors(response)
    added = db.session.scalar(select(OrgUnit).where(OrgUnit.code == "HP"))
    assert added is not None and added.parent_id is None and added.path == f"/{added.id}/"


@pytest.mark.parametrize(("actor", "status"), [("hr_bd", 400), ("employee", 403), ("approver", 403), ("leader", 403)])
def test_add_denied(app: Flask, world: World, actor: str, status: int) -> None:
    before = snapshot()
    response = post(logged_in(app, world.user(actor)), "/don-vi/them", unit_form(world.gl_bt))
    assert response.status_code == status
    assert snapshot() == before


# --- rename ------------------------------------------------------------------------------------------------


def test_hr_renames_a_unit_in_scope(app: Flask, world: World) -> None:
    response = post(
        logged_in(app, world.hr_gl), f"/don-vi/{world.gl_bt.id}/doi-ten", {"name": "UBND  xã Bát Tràng mới"}
    )
    assert response.status_code == 303
    assert unit(world.gl_bt.id).name == "UBND xã Bát Tràng mới"
    assert ("unit_rename", str(world.gl_bt.id)) in [tuple(r) for r in snapshot()["audit"]]


@pytest.mark.parametrize(("actor", "status"), [("hr_bd", 404), ("employee", 403), ("approver", 403), ("leader", 403)])
def test_rename_denied(app: Flask, world: World, actor: str, status: int) -> None:
    before = snapshot()
    response = post(logged_in(app, world.user(actor)), f"/don-vi/{world.gl_bt.id}/doi-ten", {"name": "Tên khác"})
    assert response.status_code == status
    assert snapshot() == before


def test_rename_to_blank_is_refused(app: Flask, world: World) -> None:
    before = snapshot()
    response = post(logged_in(app, world.hr_gl), f"/don-vi/{world.gl_bt.id}/doi-ten", {"name": " "})
    assert response.status_code == 400
    assert "Nhập tên đơn vị" in field_errors(response)
    assert snapshot() == before


# --- move over HTTP: the matrix ------------------------------------------------------------------------


MOVES = {
    # name: (unit, new parent) as World attribute names
    "in_scope": ("gl_bt", "gl_nv"),
    "out_of_scope": ("gl_bt", "bd"),
    "foreign_unit": ("bd_nh", "bd"),
}
MOVE_EXPECTED = {
    "hr_gl": {"in_scope": 303, "out_of_scope": 400, "foreign_unit": 404},
    "hr_bd": {"in_scope": 404, "out_of_scope": 404, "foreign_unit": 400},  # BD-NH is already under BD
    "sysadmin": {"in_scope": 303, "out_of_scope": 303, "foreign_unit": 400},
    "employee": {"in_scope": 403, "out_of_scope": 403, "foreign_unit": 403},
    "approver": {"in_scope": 403, "out_of_scope": 403, "foreign_unit": 403},
    "leader": {"in_scope": 403, "out_of_scope": 403, "foreign_unit": 403},
}


@pytest.mark.parametrize("move", list(MOVES))
@pytest.mark.parametrize("actor", list(MOVE_EXPECTED))
def test_move_matrix(app: Flask, world: World, actor: str, move: str) -> None:
    moved, new_parent = (world.user(name) for name in MOVES[move])
    child = make_unit("Thôn Giang Cao", parent=moved, code="CHILD")
    db.session.commit()
    before = snapshot()
    response = post(logged_in(app, world.user(actor)), f"/don-vi/{moved.id}/chuyen", {"parent_id": new_parent.id})
    expected = MOVE_EXPECTED[actor][move]
    assert response.status_code == expected, field_errors(response)
    if expected == 303:
        moved_now, parent_now = unit(moved.id), unit(new_parent.id)
        assert moved_now.parent_id == parent_now.id
        assert moved_now.path == f"{parent_now.path}{moved.id}/"
        assert unit(child.id).path == f"{moved_now.path}{child.id}/"
        assert {moved.id, child.id} <= ids(parent_now.path)
        assert ("unit_move", str(moved.id)) in [tuple(r) for r in snapshot()["audit"]]
    else:
        assert snapshot() == before


def test_hr_cannot_move_its_own_scope_root(app: Flask, world: World) -> None:
    """An officer of both districts may not carry Gia Lâm under Ba Đình: Gia Lâm is a root of their scope."""
    both = make_user(
        "Ngô Thị Thanh Hương", unit=world.gl_nv, password=PASSWORD, roles=[("hr", world.gl), ("hr", world.bd)]
    )
    db.session.commit()
    before = snapshot()
    client = logged_in(app, both)
    assert 'id="cannot-move"' in client.get(f"/don-vi/{world.gl.id}/").get_data(as_text=True)
    response = post(client, f"/don-vi/{world.gl.id}/chuyen", {"parent_id": world.bd.id})
    assert response.status_code == 403
    assert "đơn vị gốc trong phạm vi" in field_errors(response)
    assert snapshot() == before
    hr = db.session.get(User, both.id)
    assert hr is not None
    with pytest.raises(ActionRefused):
        move_org_unit(db.session, hr, world.gl, world.bd)
    db.session.rollback()
    assert snapshot() == before


def test_move_under_own_descendant_over_http_is_refused(app: Flask, world: World) -> None:
    child = make_unit("Thôn Giang Cao", parent=world.gl_bt, code="CHILD")
    db.session.commit()
    client = logged_in(app, world.hr_gl)
    page = client.get(f"/don-vi/{world.gl_bt.id}/").get_data(as_text=True)
    assert f'value="{child.id}"' not in page  # not offered
    before = snapshot()
    response = post(client, f"/don-vi/{world.gl_bt.id}/chuyen", {"parent_id": child.id})
    assert response.status_code == 400
    assert "chính nó hoặc vào một đơn vị cấp dưới" in field_errors(response)
    assert snapshot() == before


def test_unit_posts_need_a_csrf_token(app: Flask, world: World) -> None:
    client = logged_in(app, world.hr_gl)
    before = snapshot()
    assert client.post(f"/don-vi/{world.gl_bt.id}/chuyen", data={"parent_id": world.gl_nv.id}).status_code == 400
    assert client.post(f"/don-vi/{world.gl_bt.id}/doi-ten", data={"name": "X Y"}).status_code == 400
    assert client.post("/don-vi/them", data=unit_form(world.gl_bt)).status_code == 400
    assert snapshot() == before
