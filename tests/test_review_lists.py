"""The two profile lists over HTTP: who reaches which list and sees which rows (role × scope),
the menu, the search that ignores diacritics and case, and the filters.

`build_cast()` is shared with test_hr_list.py and test_bulk_actions.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from extensions import db
from models.audit import ProfileHistory
from models.org import OrgUnit
from models.profile import Profile
from models.refdata import load_reference_data
from models.snapshot_store import ProfileVersion
from models.user import User
from models.workflow import transition
from tests.factories import make_unit, make_user

PASSWORD = "Mật khẩu đủ mạnh 2026"
QUEUE = "/phe-duyet/"
HR_LIST = "/quan-ly-ho-so/"

# Everyone's profile and its state. Units: Gia Lâm (GL) ⊃ {Bát Tràng (U1), Cổ Bi (U2)}; Ba Đình (BD) apart.
PEOPLE: dict[str, tuple[str, str, str, list[tuple[str, str]]]] = {
    # key: (full name, unit, state, roles)
    "huong": ("Nguyễn Thị Hường", "U1", "pending", []),
    "tam": ("Lê Văn Tám", "U1", "draft", []),
    "anh": ("Lý Thị Ngọc Ánh", "U1", "pending", []),
    "approver_u1": ("Phạm Thị Duyên", "U1", "pending", [("approver", "U1")]),
    "duc": ("Trần Minh Đức", "U2", "pending", []),
    "approver_u2": ("Đỗ Văn Khoa", "U2", "draft", [("approver", "U2")]),
    "huy": ("Phạm Quang Huy", "GL", "confirmed", []),
    "hr_gl": ("Hoàng Thị Nga", "GL", "draft", [("hr", "GL")]),
    "leader": ("Hoàng Trọng Khải", "GL", "draft", [("leader", "GL")]),
    "lan": ("Vũ Thị Lan", "BD", "pending", []),
    "hr_bd": ("Vũ Đức Thịnh", "BD", "rejected", [("hr", "BD")]),
    "admin": ("Quản Trị Viên", "BD", "draft", [("sysadmin", "BD")]),
}
GL_KEYS = {k for k, (_n, unit, _s, _r) in PEOPLE.items() if unit in ("GL", "U1", "U2")}
BD_KEYS = {k for k, (_n, unit, _s, _r) in PEOPLE.items() if unit == "BD"}


@dataclass
class Cast:
    units: dict[str, OrgUnit]
    users: dict[str, User]
    profiles: dict[str, Profile]

    def name(self, key: str) -> str:
        return PEOPLE[key][0]

    def pid(self, key: str) -> int:
        return self.profiles[key].id


def build_cast() -> Cast:
    """The organisation, its people and their profiles in their states, committed.

    States are reached through workflow.transition (submitted by the owner, decided by the
    approver of the unit, or the sysadmin where the unit has none), as the app would."""
    load_reference_data(db.session)
    gl = make_unit("UBND huyện Gia Lâm", code="GL")
    units = {
        "GL": gl,
        "U1": make_unit("UBND xã Bát Tràng", parent=gl, kind="xa", code="U1"),
        "U2": make_unit("Trường THCS Cổ Bi", parent=gl, kind="truong", code="U2"),
        "BD": make_unit("UBND quận Ba Đình", code="BD"),
    }
    users = {
        key: make_user(
            name,
            unit=units[unit],
            password=PASSWORD,
            roles=[(role, units[code]) for role, code in roles],
        )
        for key, (name, unit, _state, roles) in PEOPLE.items()
    }
    profiles = {key: db.session.scalar(select(Profile).where(Profile.owner_id == u.id)) for key, u in users.items()}
    profiles["duc"].staff_type = "vien_chuc"
    profiles["duc"].rank_code = "V.07.04.32"
    for key in ("huong", "tam", "anh", "huy"):
        profiles[key].staff_type = "cong_chuc"
        profiles[key].rank_code = "01.003"
    db.session.flush()
    now = datetime.now(UTC)
    admin = users["admin"]
    for key, (_name, _unit, state, _roles) in PEOPLE.items():
        profile = profiles[key]
        if state == "draft":
            continue
        transition(db.session, profile, "submit", actor_id=users[key].id, now=now)
        if state in ("confirmed", "rejected"):
            action = "confirm" if state == "confirmed" else "reject"
            note = "Thiếu quá trình công tác." if action == "reject" else None
            transition(db.session, profile, action, actor_id=admin.id, now=now, note=note)
    db.session.commit()
    return Cast(units, users, profiles)


def database_state() -> tuple:
    """Every profile's status and version, and the history and version row counts: what a refused
    request must leave exactly as it was."""
    db.session.expire_all()
    statuses = tuple(db.session.execute(select(Profile.id, Profile.status, Profile.version_id).order_by(Profile.id)))
    history = db.session.scalar(select(func.count()).select_from(ProfileHistory))
    versions = db.session.scalar(select(func.count()).select_from(ProfileVersion))
    return statuses, history, versions


def listed_names(html: str) -> set[str]:
    """The names in the list's name column (each is a link)."""
    return set(re.findall(r'<td class="col-full_name">\s*<a href="[^"]+">([^<]+)</a>', html))


def listed_count(html: str) -> int:
    match = re.search(r'id="list-count"><strong>(\d+)</strong>', html)
    assert match, "no row count on the page"
    return int(match.group(1))


def select_options(html: str, param_suffix: str) -> dict[str, str]:
    """value -> label of the filter <select> whose name ends with `param_suffix`."""
    match = re.search(rf'<select[^>]*name="flt\d+_{param_suffix}"[^>]*>(.*?)</select>', html, re.S)
    assert match, f"no filter {param_suffix}"
    return {
        value: label.replace("\u00a0", "").strip()
        for value, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', match.group(1))
    }


@pytest.fixture
def cast(app) -> Cast:
    return build_cast()


# --- who sees what -------------------------------------------------------------------------------

# viewer -> names in the queue with its default filter (pending), and with every state.
QUEUE_ROWS = {
    "approver_u1": ({"huong", "anh"}, {"huong", "tam", "anh"}),
    "approver_u2": ({"duc"}, {"duc"}),
    "admin": ({"huong", "anh", "approver_u1", "duc", "lan"}, set(PEOPLE) - {"admin"}),
}
HR_ROWS = {"hr_gl": GL_KEYS, "hr_bd": BD_KEYS, "admin": set(PEOPLE)}


@pytest.mark.parametrize("viewer", sorted(PEOPLE))
def test_approval_queue_matrix(cast, login_as, viewer):
    client = login_as(cast.users[viewer])
    before = database_state()
    response = client.get(QUEUE)
    if viewer not in QUEUE_ROWS:
        assert response.status_code == 403
        assert database_state() == before
        return
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    pending, every_state = QUEUE_ROWS[viewer]
    assert listed_names(html) == {cast.name(k) for k in pending}
    assert listed_count(html) == len(pending)
    # Whatever the state filter says, an approver never sees their own profile or another subtree.
    html = client.get(QUEUE + "?flt0_status=all").get_data(as_text=True)
    assert listed_names(html) == {cast.name(k) for k in every_state}
    assert cast.name(viewer) not in listed_names(html)
    assert listed_count(html) == len(every_state)


@pytest.mark.parametrize("viewer", sorted(PEOPLE))
def test_hr_list_matrix(cast, login_as, viewer):
    client = login_as(cast.users[viewer])
    before = database_state()
    response = client.get(HR_LIST)
    if viewer not in HR_ROWS:
        assert response.status_code == 403
        assert database_state() == before
        return
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert listed_names(html) == {cast.name(k) for k in HR_ROWS[viewer]}
    assert listed_count(html) == len(HR_ROWS[viewer])


@pytest.mark.parametrize("url", [QUEUE, HR_LIST, QUEUE + "tu-choi?id=1", HR_LIST + "xuat-excel"])
def test_anonymous_is_sent_to_login(cast, client, url):
    before = database_state()
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    assert database_state() == before


@pytest.mark.parametrize(
    ("viewer", "sees_queue", "sees_hr"),
    [
        ("tam", False, False),
        ("leader", False, False),
        ("approver_u1", True, False),
        ("hr_gl", False, True),
        ("admin", True, True),
    ],
)
def test_menu_shows_only_the_lists_of_ones_roles(cast, login_as, viewer, sees_queue, sees_hr):
    html = login_as(cast.users[viewer]).get("/ho-so/").get_data(as_text=True)
    assert ('href="/phe-duyet/"' in html) is sees_queue
    assert ("Hồ sơ chờ xác nhận" in html) is sees_queue
    assert ('href="/quan-ly-ho-so/"' in html) is sees_hr
    assert ("Quản lý hồ sơ" in html) is sees_hr


def test_rows_show_masked_cccd_rank_name_badge_and_link(cast, login_as):
    html = login_as(cast.users["approver_u1"]).get(QUEUE).get_data(as_text=True)
    huong = cast.profiles["huong"]
    assert f'href="/phe-duyet/ho-so/{huong.id}/"' in html
    assert "********" + huong.id_number[-4:] in html
    assert huong.id_number not in html
    assert "Chuyên viên" in html  # rank 01.003 by name
    assert '<span class="badge badge-status-pending">Chờ xác nhận</span>' in html
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", html)

    html = login_as(cast.users["hr_gl"]).get(HR_LIST).get_data(as_text=True)
    assert f'href="/ho-so/{huong.id}/"' in html
    assert '<span class="badge badge-status-confirmed">Xác nhận</span>' in html


def test_last_update_is_shown_in_vietnam_time(cast, login_as):
    profile = cast.profiles["huong"]
    profile.updated_at = datetime(2026, 3, 1, 17, 30, tzinfo=UTC)  # 00:30 the next day in Hà Nội
    db.session.commit()
    html = login_as(cast.users["approver_u1"]).get(QUEUE).get_data(as_text=True)
    assert "02/03/2026 00:30" in html


def test_list_offers_no_edit_details_or_builtin_export(cast, login_as):
    client = login_as(cast.users["hr_gl"])
    pid = cast.pid("huong")
    before = database_state()
    for url in (f"{HR_LIST}edit/?id={pid}", f"{HR_LIST}details/?id={pid}", f"{HR_LIST}export/xlsx/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/xuat-excel" not in response.headers["Location"]
    response = client.post(f"{HR_LIST}ajax/update/", data={"list_form_pk": pid, "status": "confirmed"})
    assert response.status_code in (400, 404)  # 400: no CSRF token; 404: no editable columns
    assert database_state() == before


# --- search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "term",
    ["nguyen thi huong", "NGUYỄN THỊ HƯỜNG", "Nguyễn Thị Hường", "huong", "HƯỜNG", "  thi   Huong ", "huong nguyen"],
)
@pytest.mark.parametrize("url", [QUEUE + "?flt0_status=all&search=", HR_LIST + "?search="])
def test_search_ignores_diacritics_and_case(cast, login_as, url, term):
    viewer = "approver_u1" if url.startswith(QUEUE) else "hr_gl"
    html = login_as(cast.users[viewer]).get(url + term).get_data(as_text=True)
    assert listed_names(html) == {"Nguyễn Thị Hường"}


def test_search_finds_cccd_digits_and_takes_like_wildcards_literally(cast, login_as):
    client = login_as(cast.users["hr_gl"])
    tam = cast.profiles["tam"]
    html = client.get(HR_LIST, query_string={"search": tam.id_number}).get_data(as_text=True)
    assert listed_names(html) == {"Lê Văn Tám"}
    for term in ("%", "_", "\\", "nguyen%huong"):
        html = client.get(HR_LIST, query_string={"search": term}).get_data(as_text=True)
        assert listed_names(html) == set(), term
    # ...and still finds them when they really are in a name (test setup: an odd name on purpose).
    cast.profiles["tam"].full_name = "Lê Văn Tám 50%_x"
    db.session.commit()
    for term in ("50%", "%_x", "tam 50%_"):
        html = client.get(HR_LIST, query_string={"search": term}).get_data(as_text=True)
        assert listed_names(html) == {"Lê Văn Tám 50%_x"}, term


def test_search_never_reaches_outside_the_scope(cast, login_as):
    html = login_as(cast.users["hr_gl"]).get(HR_LIST, query_string={"search": "vu thi lan"}).get_data(as_text=True)
    assert listed_names(html) == set()
    assert listed_count(html) == 0


def test_search_works_with_names_stored_decomposed(cast, login_as):
    """A name typed with combining marks (NFD) is normalised when stored, so it is found the same way."""
    import unicodedata

    cast.profiles["anh"].full_name = unicodedata.normalize("NFD", "Lý Thị Ngọc Ánh")
    db.session.commit()
    html = login_as(cast.users["hr_gl"]).get(HR_LIST, query_string={"search": "ngoc anh"}).get_data(as_text=True)
    assert listed_names(html) == {"Lý Thị Ngọc Ánh"}


# --- filters --------------------------------------------------------------------------------------


def test_unit_filter_offers_only_units_in_scope(cast, login_as):
    html = login_as(cast.users["hr_gl"]).get(HR_LIST).get_data(as_text=True)
    options = select_options(html, "unit")
    assert options == {
        "": "Tất cả",
        str(cast.units["GL"].id): "UBND huyện Gia Lâm",
        str(cast.units["U1"].id): "UBND xã Bát Tràng",
        str(cast.units["U2"].id): "Trường THCS Cổ Bi",
    }
    html = login_as(cast.users["approver_u2"]).get(QUEUE).get_data(as_text=True)
    assert select_options(html, "unit") == {"": "Tất cả", str(cast.units["U2"].id): "Trường THCS Cổ Bi"}


def test_unit_filter_takes_the_unit_and_its_subtree(cast, login_as):
    client = login_as(cast.users["hr_gl"])
    html = client.get(HR_LIST, query_string={"flt0_unit": cast.units["U1"].id}).get_data(as_text=True)
    assert listed_names(html) == {cast.name(k) for k in ("huong", "tam", "anh", "approver_u1")}
    html = client.get(HR_LIST, query_string={"flt0_unit": cast.units["GL"].id}).get_data(as_text=True)
    assert listed_names(html) == {cast.name(k) for k in GL_KEYS}


def test_unit_filter_outside_the_scope_is_refused(cast, login_as):
    html = (
        login_as(cast.users["hr_gl"])
        .get(HR_LIST, query_string={"flt0_unit": cast.units["BD"].id})
        .get_data(as_text=True)
    )
    assert "không hợp lệ" in html
    assert not listed_names(html) & {cast.name(k) for k in BD_KEYS}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"flt0_status": "pending"}, {"huong", "anh", "approver_u1", "duc"}),
        ({"flt0_status": "draft"}, {"tam", "approver_u2", "hr_gl", "leader"}),
        ({"flt0_status": "confirmed"}, {"huy"}),
        ({"flt0_status": "rejected"}, set()),
        ({"flt0_status": "all"}, GL_KEYS),
        ({"flt0_staff_type": "vien_chuc"}, {"duc"}),
        ({"flt0_staff_type": "cong_chuc"}, {"huong", "tam", "anh", "huy"}),
        ({"flt0_rank": "01.003"}, {"huong", "tam", "anh", "huy"}),
        ({"flt0_rank": "V.07.04.32"}, {"duc"}),
        ({"flt0_rank": "01.003", "flt1_status": "pending", "search": "thi"}, {"huong", "anh"}),
        ({"flt0_status": "", "flt1_rank": ""}, GL_KEYS),  # empty = not chosen
    ],
)
def test_hr_filters(cast, login_as, query, expected):
    html = login_as(cast.users["hr_gl"]).get(HR_LIST, query_string=query).get_data(as_text=True)
    assert listed_names(html) == {cast.name(k) for k in expected}
    assert listed_count(html) == len(expected)


def test_queue_defaults_to_pending_until_a_state_is_chosen(cast, login_as):
    client = login_as(cast.users["approver_u1"])
    html = client.get(QUEUE).get_data(as_text=True)
    assert select_options(html, "status")["pending"] == "Chờ xác nhận"
    assert re.search(r'<option value="pending" selected>', html)
    html = client.get(QUEUE, query_string={"flt0_status": "draft"}).get_data(as_text=True)
    assert listed_names(html) == {"Lê Văn Tám"}
    # The default also holds when only other filters are chosen.
    html = client.get(QUEUE, query_string={"flt0_unit": cast.units["U1"].id}).get_data(as_text=True)
    assert listed_names(html) == {"Nguyễn Thị Hường", "Lý Thị Ngọc Ánh"}


def test_unknown_filter_values_are_refused_not_applied(cast, login_as):
    html = (
        login_as(cast.users["hr_gl"])
        .get(HR_LIST, query_string={"flt0_status": "deleted", "flt1_rank": "' OR 1=1 --"})
        .get_data(as_text=True)
    )
    assert html.count("không hợp lệ") == 2
    assert listed_names(html) == {cast.name(k) for k in GL_KEYS}


def test_sorting_by_name_ignores_diacritics(cast, login_as):
    html = login_as(cast.users["hr_gl"]).get(HR_LIST).get_data(as_text=True)
    names = re.findall(r'<td class="col-full_name">\s*<a href="[^"]+">([^<]+)</a>', html)
    # "Đỗ" sorts with D, not after Z (SQLite's binary order would put it last).
    assert names.index("Đỗ Văn Khoa") < names.index("Hoàng Thị Nga")
