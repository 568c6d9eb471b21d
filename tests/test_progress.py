"""Tiến độ and Đơn vị chậm tiến độ: figures against counts made independently from the test data,
the late rule around the deadline day, the single grouped query, the Excel exports, and the
role × scope matrix over HTTP (with nothing written by a refused request).

`build_world()` is shared with test_reminders.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from io import BytesIO

import pytest
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import event, func, select

import admin_views.oversight as oversight_view
from extensions import db
from models.audit import AuditLog
from models.campaign import Campaign, Reminder
from models.org import OrgUnit, move_unit, subtree_ids
from models.profile import Profile
from models.refdata import load_reference_data
from models.user import User
from models.workflow import transition
from oversight.progress import (
    StatusCounts,
    campaign_progress,
    is_late,
    status_counts,
    visible_campaigns,
)
from tests.factories import make_unit, make_user

PASSWORD = "Mật khẩu đủ mạnh 2026"
DEADLINE = date(2023, 5, 12)
STATES = ("draft", "pending", "rejected", "confirmed")

# unit key -> (name, parent key, {state: how many profiles})
UNITS: dict[str, tuple[str, str | None, dict[str, int]]] = {
    "GL": ("UBND huyện Gia Lâm", None, {"confirmed": 1}),
    "BT": ("UBND xã Bát Tràng", "GL", {"draft": 2, "pending": 1, "rejected": 1, "confirmed": 1}),
    "BT1": ("Tổ một cửa Bát Tràng", "BT", {"draft": 1}),
    "CB": ('=HYPERLINK("http://x") Cổ Bi', "GL", {"confirmed": 3}),  # done: never late
    "TQ": ("UBND thị trấn Trâu Quỳ", "GL", {}),  # empty: never late
    "BD": ("UBND quận Ba Đình", None, {"draft": 1, "confirmed": 1}),  # another district, its own campaign
}


@dataclass
class World:
    units: dict[str, OrgUnit]
    profiles: dict[str, list[Profile]]  # unit key -> its profiles
    users: dict[str, User]  # role holders by key
    campaign: Campaign
    other_campaign: Campaign

    def expected(self, key: str) -> dict[str, int]:
        """What the test itself put in the unit, counted without the app."""
        return {state: UNITS[key][2].get(state, 0) for state in STATES}


def walk_to(profile: Profile, owner: User, state: str, decider: User | None, *, now: datetime) -> None:
    """Move a draft profile to `state` through the workflow, as the app would."""
    if state == "draft":
        return
    transition(db.session, profile, "submit", actor_id=owner.id, now=now)
    if state in ("confirmed", "rejected"):
        action = "confirm" if state == "confirmed" else "reject"
        note = "Thiếu quá trình công tác." if action == "reject" else None
        transition(db.session, profile, action, actor_id=decider.id if decider else None, now=now, note=note)


def build_world() -> World:
    load_reference_data(db.session)
    units: dict[str, OrgUnit] = {}
    for key, (name, parent, _counts) in UNITS.items():
        units[key] = make_unit(name, parent=units[parent] if parent else None, code=key)
    now = datetime.now(UTC) - timedelta(days=2)
    profiles: dict[str, list[Profile]] = {key: [] for key in UNITS}
    n = 0
    for key, (_name, _parent, counts) in UNITS.items():
        for state in STATES:
            for _ in range(counts.get(state, 0)):
                n += 1
                owner = make_user(f"Nhân Viên Số {n}", unit=units[key], password=PASSWORD)
                profile = db.session.scalar(select(Profile).where(Profile.owner_id == owner.id))
                walk_to(profile, owner, state, None, now=now)
                profiles[key].append(profile)
    # Role holders have no profile: the figures stay exactly what UNITS says.
    roles = {
        "hr_gl": [("hr", "GL")],
        "hr_bt": [("hr", "BT")],
        "approver_bt": [("approver", "BT")],
        "leader_gl": [("leader", "GL")],
        "hr_bd": [("hr", "BD")],
        "admin": [("sysadmin", "BD")],
    }
    users = {
        key: make_user(
            f"Cán Bộ {key}",
            unit=units["GL"],
            password=PASSWORD,
            roles=[(role, units[code]) for role, code in assigned],
            with_profile=False,
        )
        for key, assigned in roles.items()
    }
    users["employee"] = profiles["BT"][0].owner
    campaign = Campaign(
        name="Cập nhật hồ sơ CBCCVC 2023", org_unit=units["GL"], starts_on=date(2023, 4, 20), deadline=DEADLINE
    )
    other = Campaign(name="Cập nhật hồ sơ Ba Đình", org_unit=units["BD"], starts_on=date(2023, 4, 1), deadline=DEADLINE)
    db.session.add_all([campaign, other])
    db.session.commit()
    return World(units, profiles, users, campaign, other)


@pytest.fixture
def world(app) -> World:  # type: ignore[no-untyped-def]
    return build_world()


def scope_of(*keys: str, world: World):  # type: ignore[no-untyped-def]
    return subtree_ids(*(world.units[k].path for k in keys))


def database_state() -> tuple:
    """What a refused request must leave as it was: reminders, audit rows, profile states."""
    db.session.expire_all()
    return (
        db.session.scalar(select(func.count()).select_from(Reminder)),
        db.session.scalar(select(func.count()).select_from(AuditLog)),
        tuple(db.session.execute(select(Profile.id, Profile.status, Profile.version_id).order_by(Profile.id))),
    )


def cell(html: str, unit_id: int, column: str) -> str:
    """The text of one cell of the dashboard row of a unit."""
    row = re.search(rf'<tr id="unit-{unit_id}"[^>]*>(.*?)</tr>', html, re.S)
    assert row, f"no row for unit {unit_id}"
    match = re.search(rf'<td class="[^"]*col-{column}[^"]*">(.*?)</td>', row.group(1), re.S)
    assert match, f"no {column} cell"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


# --- the domain functions ------------------------------------------------------------------------------------


def test_counts_match_the_test_data(world: World) -> None:
    progress = campaign_progress(
        db.session, world.campaign, scope_of("GL", world=world), today=DEADLINE + timedelta(days=1)
    )
    shown = {row.unit.code: row for row in progress.rows}
    assert set(shown) == {"GL", "BT", "BT1", "CB", "TQ"}  # the campaign's subtree, not Ba Đình
    for key in shown:
        expected = world.expected(key)
        assert {s: shown[key].counts.get(s) for s in STATES} == expected, key
        assert shown[key].counts.total == sum(expected.values())
    assert shown["BT"].counts.share_confirmed == pytest.approx(1 / 5)
    assert shown["TQ"].counts.share_confirmed is None
    assert progress.totals.total == sum(sum(UNITS[k][2].values()) for k in shown)
    # Tree order: the district, then its units by name, Bát Tràng's own subunit right after it.
    order = [row.unit.code for row in progress.rows]
    assert order[0] == "GL" and order.index("BT1") == order.index("BT") + 1
    assert [row.depth for row in progress.rows if row.unit.code in ("GL", "BT", "BT1")] == [0, 1, 2]


def test_counts_are_one_grouped_query(world: World) -> None:
    statements: list[str] = []

    def remember(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    unit_ids = [u.id for u in world.units.values()]
    bt, tq = world.units["BT"].id, world.units["TQ"].id
    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        counts = status_counts(db.session, unit_ids)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    assert len(statements) == 1
    assert "GROUP BY" in statements[0].upper()
    assert counts[bt] == StatusCounts(draft=2, pending=1, rejected=1, confirmed=1)
    assert tq not in counts  # no profiles: no group


@pytest.mark.parametrize(
    ("today", "late"),
    [(DEADLINE - timedelta(days=1), False), (DEADLINE, False), (DEADLINE + timedelta(days=1), True)],
)
def test_late_exactly_after_the_deadline(world: World, today: date, late: bool) -> None:
    progress = campaign_progress(db.session, world.campaign, scope_of("GL", world=world), today=today)
    rows = {row.unit.code: row for row in progress.rows}
    assert rows["BT"].late is late
    assert rows["BT"].days_late == (1 if late else 0)
    assert rows["BT1"].late is late
    # Everything confirmed, or nothing to confirm: never late.
    assert not rows["CB"].late and rows["CB"].state == "done"
    assert not rows["TQ"].late and rows["TQ"].state == "empty"
    assert not rows["GL"].late
    assert {r.unit.code for r in progress.late_rows} == ({"BT", "BT1"} if late else set())


def test_is_late_rule() -> None:
    some = StatusCounts(draft=1, confirmed=1)
    assert not is_late(some, DEADLINE, DEADLINE)
    assert is_late(some, DEADLINE, DEADLINE + timedelta(days=1))
    assert not is_late(StatusCounts(confirmed=2), DEADLINE, DEADLINE + timedelta(days=30))
    assert not is_late(StatusCounts(), DEADLINE, DEADLINE + timedelta(days=30))


def test_late_units_furthest_behind_first(world: World) -> None:
    progress = campaign_progress(
        db.session, world.campaign, scope_of("GL", world=world), today=DEADLINE + timedelta(days=3)
    )
    assert [r.unit.code for r in progress.late_rows] == ["BT1", "BT"]  # 0 % before 20 %
    assert all(r.days_late == 3 for r in progress.late_rows)


def test_scope_narrows_rows_and_campaigns(world: World) -> None:
    progress = campaign_progress(db.session, world.campaign, scope_of("BT", world=world), today=DEADLINE)
    assert [row.unit.code for row in progress.rows] == ["BT", "BT1"]
    assert [c.name for c in visible_campaigns(db.session, scope_of("BT", world=world))] == [world.campaign.name]
    assert [c.name for c in visible_campaigns(db.session, scope_of("BD", world=world))] == [world.other_campaign.name]
    # A scope above the campaign's unit sees the campaign too (the subtrees intersect).
    hn = make_unit("UBND Thành phố Hà Nội", code="HN")
    assert visible_campaigns(db.session, subtree_ids(hn.path)) == []
    move_unit(db.session, world.units["GL"], hn)
    db.session.flush()
    assert [c.name for c in visible_campaigns(db.session, subtree_ids(hn.path))] == [world.campaign.name]


# --- over HTTP -------------------------------------------------------------------------------------------------


def test_dashboard_shows_the_counts(world: World, login_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(oversight_view, "today_vn", lambda: DEADLINE + timedelta(days=1))
    client: FlaskClient = login_as(world.users["hr_gl"])
    response = client.get("/tien-do/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for key in ("GL", "BT", "BT1", "CB", "TQ"):
        unit_id = world.units[key].id
        expected = world.expected(key)
        assert cell(html, unit_id, "total") == str(sum(expected.values()))
        for state in STATES:
            assert cell(html, unit_id, state) == str(expected[state]), (key, state)
    assert cell(html, world.units["BT"].id, "percent") == "20,0 %"
    assert cell(html, world.units["BT"].id, "state") == "Chậm 1 ngày"
    assert cell(html, world.units["CB"].id, "state") == "Hoàn thành"
    assert cell(html, world.units["TQ"].id, "state") == "Chưa có hồ sơ"
    assert f'id="unit-{world.units["BD"].id}"' not in html
    # The chart: served from the app, with the counts of each unit.
    assert "/static/vendor/chart/chart.umd.min.js" in html
    assert 'id="progress-chart"' in html and "cdn" not in html.lower()
    assert "&lt;" not in cell(html, world.units["CB"].id, "total")
    assert client.get("/static/vendor/chart/chart.umd.min.js").status_code == 200


def test_dashboard_on_the_deadline_day_is_not_late(world: World, login_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(oversight_view, "today_vn", lambda: DEADLINE)
    client = login_as(world.users["hr_gl"])
    html = client.get("/tien-do/").get_data(as_text=True)
    assert cell(html, world.units["BT"].id, "state") == "Đang thực hiện"
    late = client.get("/tien-do/cham").get_data(as_text=True)
    assert 'id="late-table"' not in late and "Chưa đến hạn" in late


def test_late_page_lists_late_units(world: World, login_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(oversight_view, "today_vn", lambda: DEADLINE + timedelta(days=5))
    client = login_as(world.users["hr_gl"])
    html = client.get("/tien-do/cham").get_data(as_text=True)
    listed = re.findall(r'<tr id="late-(\d+)">', html)
    assert listed == [str(world.units["BT1"].id), str(world.units["BT"].id)]
    row = re.search(rf'<tr id="late-{world.units["BT"].id}">(.*?)</tr>', html, re.S).group(1)  # type: ignore[union-attr]
    assert ">5<" in row.replace(" ", "") and "12/05/2023" in row


def test_drill_down_lists_the_units_profiles(world: World, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(world.users["hr_gl"])
    bt = world.units["BT"]
    html = client.get(f"/tien-do/don-vi/{bt.id}?dot={world.campaign.id}").get_data(as_text=True)
    listed = set(re.findall(r'<a href="/ho-so/(\d+)/">', html))
    assert listed == {str(p.id) for p in world.profiles["BT"]}  # its own, not Tổ một cửa's
    pending = client.get(f"/tien-do/don-vi/{bt.id}?dot={world.campaign.id}&trang_thai=pending").get_data(as_text=True)
    assert len(re.findall(r'<a href="/ho-so/(\d+)/">', pending)) == 1
    assert "badge-status-pending" in pending


def xlsx_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(BytesIO(content)).active
    return list(sheet.iter_rows(values_only=True))


def test_progress_export(world: World, login_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(oversight_view, "today_vn", lambda: DEADLINE + timedelta(days=2))
    client = login_as(world.users["hr_gl"])
    response = client.get(f"/tien-do/xuat-excel?dot={world.campaign.id}")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert "attachment" in response.headers["Content-Disposition"]
    rows = xlsx_rows(response.data)
    by_name = {row[1]: row for row in rows if isinstance(row[0], int)}
    bt = by_name["UBND xã Bát Tràng"]
    assert bt[2:7] == (5, 2, 1, 1, 1)
    assert bt[7] == pytest.approx(0.2)
    assert bt[8] == "Chậm 2 ngày"
    # A unit name that is a formula is written as text with the leading quote.
    escaped = "'" + UNITS["CB"][0]
    assert escaped in by_name
    assert by_name[escaped][2] == 3
    totals = next(row for row in rows if row[1] == "Tổng cộng")
    assert totals[2] == sum(sum(UNITS[k][2].values()) for k in ("GL", "BT", "BT1", "CB", "TQ"))
    assert db.session.scalar(select(func.count()).select_from(AuditLog).where(AuditLog.action == "oversight_exported"))


def test_late_export(world: World, login_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(oversight_view, "today_vn", lambda: DEADLINE + timedelta(days=2))
    client = login_as(world.users["hr_gl"])
    rows = xlsx_rows(client.get(f"/tien-do/cham/xuat-excel?dot={world.campaign.id}").data)
    data = [row for row in rows if isinstance(row[0], int)]
    assert [row[1] for row in data] == ["Tổ một cửa Bát Tràng", "UBND xã Bát Tràng"]
    bt = data[1]
    assert bt[2:5] == (5, 1, 4)  # employees, confirmed, missing
    assert bt[5] == pytest.approx(0.2)
    assert bt[6].date() == DEADLINE and bt[7] == 2


def test_export_escapes_every_formula_prefix(app) -> None:  # type: ignore[no-untyped-def]
    from oversight.xlsx import Column, ReportSheet, build_report_xlsx

    nasty = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", "bình thường"]
    content = build_report_xlsx(
        ReportSheet(
            "S", "=title", ["@note"], [Column("Tên", group="=g"), Column("Số", kind="int")], [[t, 1] for t in nasty]
        )
    )
    book = load_workbook(BytesIO(content))
    values = [c.value for row in book.active.iter_rows() for c in row if isinstance(c.value, str)]
    assert "'=title" in values and "'@note" in values and "'=g" in values
    for text in nasty[:-1]:
        assert "'" + text in values
    assert "bình thường" in values
    assert all(not c.data_type == "f" for row in book.active.iter_rows() for c in row)


# --- who may open what -------------------------------------------------------------------------------------------

PAGES = ("/tien-do/", "/tien-do/cham", "/tien-do/xuat-excel", "/tien-do/cham/xuat-excel", "/thong-ke/")


def test_anonymous_goes_to_login(world: World, client: FlaskClient) -> None:
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


def test_employee_without_role_is_refused(world: World, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(world.users["employee"])
    for url in (*PAGES, f"/tien-do/don-vi/{world.units['BT'].id}"):
        assert client.get(url).status_code == 403, url
    assert "Tiến độ" not in client.get("/ho-so/").get_data(as_text=True).split("navbar-nav mr-auto")[1][:2000]


@pytest.mark.parametrize(
    ("who", "visible"),
    [
        ("hr_gl", {"GL", "BT", "BT1", "CB", "TQ"}),
        ("leader_gl", {"GL", "BT", "BT1", "CB", "TQ"}),
        ("approver_bt", {"BT", "BT1"}),
        ("hr_bt", {"BT", "BT1"}),
        ("hr_bd", set()),  # the Gia Lâm campaign is not theirs: they see Ba Đình's
        ("admin", {"GL", "BT", "BT1", "CB", "TQ"}),
    ],
)
def test_scope_matrix(world: World, login_as, who: str, visible: set[str]) -> None:  # type: ignore[no-untyped-def]
    client = login_as(world.users[who])
    response = client.get(f"/tien-do/?dot={world.campaign.id}")
    if not visible:
        assert response.status_code == 404  # a campaign outside the scope is not revealed
        html = client.get("/tien-do/").get_data(as_text=True)
        assert world.other_campaign.name in html and world.campaign.name not in html
        return
    html = response.get_data(as_text=True)
    shown = {code for code, unit in world.units.items() if f'id="unit-{unit.id}"' in html}
    assert shown == visible
    for code, unit in world.units.items():
        status = client.get(f"/tien-do/don-vi/{unit.id}?dot={world.campaign.id}").status_code
        assert status == (200 if code in visible else 404), (who, code)


def test_unknown_campaign_and_unit_are_404(world: World, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(world.users["hr_gl"])
    assert client.get("/tien-do/?dot=999999").status_code == 404
    assert client.get("/tien-do/?dot=abc").status_code == 404
    assert client.get(f"/tien-do/don-vi/999999?dot={world.campaign.id}").status_code == 404
    # Ba Đình's unit is neither in the campaign nor in the scope.
    assert client.get(f"/tien-do/don-vi/{world.units['BD'].id}?dot={world.other_campaign.id}").status_code == 404


def test_no_campaign_in_scope(app, login_as) -> None:  # type: ignore[no-untyped-def]
    unit = make_unit("UBND xã Kim Lan", code="KL")
    hr = make_user("Cán Bộ Kim Lan", unit=unit, password=PASSWORD, roles=[("hr", unit)], with_profile=False)
    db.session.commit()
    html = login_as(hr).get("/tien-do/").get_data(as_text=True)
    assert 'id="no-campaign"' in html
    assert login_as(hr).get(f"/tien-do/don-vi/{unit.id}").status_code == 404
