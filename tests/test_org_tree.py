"""The organisation tree: materialised paths and one-query subtrees."""

from __future__ import annotations

from sqlalchemy import event, select, text

from auth.permissions import scope_profiles
from extensions import db
from models.org import OrgUnit, subtree_ids
from models.profile import Profile
from tests.conftest import IS_POSTGRES
from tests.factories import make_unit, make_user


def build_tree():
    hn = make_unit("UBND Thành phố Hà Nội")
    gl = make_unit("UBND huyện Gia Lâm", parent=hn)
    nv = make_unit("Phòng Nội vụ", parent=gl, kind="phong_ban")
    bt = make_unit("UBND xã Bát Tràng", parent=gl, kind="xa")
    bd = make_unit("UBND quận Ba Đình", parent=hn)
    return hn, gl, nv, bt, bd


def test_paths_follow_the_tree(app):
    hn, gl, nv, _bt, _bd = build_tree()
    assert hn.path == f"/{hn.id}/"
    assert nv.path == f"/{hn.id}/{gl.id}/{nv.id}/"
    assert nv.depth == 3


def test_subtree_is_one_query(app):
    hn, gl, nv, bt, bd = build_tree()
    db.session.commit()
    gl_path = gl.path
    expected = {gl.id, nv.id, bt.id}
    statements: list[str] = []

    def capture(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", capture)
    try:
        ids = set(db.session.scalars(subtree_ids(gl_path)))
    finally:
        event.remove(db.engine, "before_cursor_execute", capture)
    assert ids == expected
    assert len(statements) == 1
    assert set(db.session.scalars(subtree_ids(hn.path))) == {hn.id, gl.id, nv.id, bt.id, bd.id}
    assert set(db.session.scalars(subtree_ids(bd.path, nv.path))) == {bd.id, nv.id}
    assert set(db.session.scalars(subtree_ids())) == set()


def test_prefix_does_not_leak_into_siblings_with_longer_ids(app):
    """/1/5/ must not match /1/50/: the trailing slash is part of every path."""
    root = make_unit("Gốc")
    units = [make_unit(f"Con {i}", parent=root) for i in range(12)]
    db.session.commit()
    first = units[0]
    longer = [u for u in units if str(u.id).startswith(str(first.id)) and u.id != first.id]
    grandchild = make_unit("Cháu", parent=first)
    db.session.commit()
    assert set(db.session.scalars(subtree_ids(first.path))) == {first.id, grandchild.id}
    for u in longer:
        assert u.id not in set(db.session.scalars(subtree_ids(first.path)))


def test_subtree_query_uses_the_path_index(app):
    build_tree()
    db.session.commit()
    stmt = subtree_ids("/1/")
    compiled = stmt.compile(db.engine, compile_kwargs={"literal_binds": True})
    with db.engine.connect() as conn:
        if IS_POSTGRES:
            conn.execute(text("SET enable_seqscan = off"))
            plan = "\n".join(r[0] for r in conn.execute(text(f"EXPLAIN {compiled}")))
        else:
            plan = "\n".join(str(r[-1]) for r in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
    assert "ix_org_unit_path" in plan, plan


def test_scope_profiles_by_role_subtree(app):
    _hn, gl, nv, bt, bd = build_tree()
    employee_nv = make_user("Nguyễn Văn An", unit=nv, sex="nam")
    employee_bt = make_user("Trần Thị Bình", unit=bt)
    employee_bd = make_user("Lê Thị Cúc", unit=bd)
    approver_gl = make_user("Phạm Minh Đức", unit=nv, sex="nam", roles=[("approver", gl)])
    hr_bd = make_user("Hoàng Thu Hà", unit=bd, roles=[("hr", bd)])
    db.session.commit()

    def visible(user):
        return set(db.session.scalars(scope_profiles(select(Profile.owner_id), user)))

    assert visible(employee_nv) == {employee_nv.id}
    assert visible(approver_gl) == {employee_nv.id, employee_bt.id, approver_gl.id}
    assert visible(hr_bd) == {employee_bd.id, hr_bd.id}
    assert visible(None) == set()
    assert db.session.scalar(select(OrgUnit).where(OrgUnit.id == bt.id)).parent_id == gl.id


def test_leader_sync_scope_leaves_out_their_own_profile_outside_their_units(app):
    from sync.batches import sync_scope

    _hn, gl, nv, _bt, bd = build_tree()
    leader = make_user("Hoàng Trọng Khải", unit=bd, sex="nam", roles=[("leader", gl)])
    staff = make_user("Nguyễn Văn An", unit=nv, sex="nam")
    db.session.commit()
    synced = set(db.session.scalars(select(Profile.owner_id).where(sync_scope(leader))))
    assert synced == {staff.id}
