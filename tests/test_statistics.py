"""Báo cáo số lượng, chất lượng CBCCVC, cross-checked against a small dataset whose every figure is
worked out by hand below (women, minorities, party members, qualification, political theory,
rank groups, age bands), on confirmed profiles and on all profiles; then the page, the Excel file
and the scope over HTTP.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, select

import admin_views.oversight as oversight_view
from extensions import db
from models.org import OrgUnit, subtree_ids
from models.profile import Profile
from models.refdata import load_reference_data
from models.sections.education import Training
from models.user import User
from oversight.statistics import unit_statistics
from tests.factories import make_unit, make_user
from tests.test_progress import PASSWORD, walk_to

TODAY = date(2026, 6, 15)


@dataclass(frozen=True)
class Spec:
    unit: str
    status: str
    sex: str
    ethnicity: str | None
    party: bool
    qualification: str | None
    llct: tuple[str, ...]  # levels of the ly_luan_chinh_tri Training rows
    rank: str | None
    birth: date | None


# Each line says what the profile counts as (on TODAY = 15/06/2026).
SPECS: dict[str, Spec] = {
    # female; Kinh; party; Thạc sĩ; LLCT Sơ cấp + Cao cấp → rank 4; 01.001 = A3.1 → A3; exactly 30 today → 30–39
    "p1": Spec("S", "confirmed", "nu", "01", True, "ths", ("so_cap", "cao_cap"), "01.001", date(1996, 6, 15)),
    # male; Tày (02) → minority; Đại học; Trung cấp → 3; 01.002 = A2.1 → A2; 30 tomorrow → under 30
    "p2": Spec("S", "confirmed", "nam", "02", False, "dh", ("trung_cap",), "01.002", date(1996, 6, 16)),
    # female; no ethnicity → not a minority; party; Đại học; no LLCT row → none; 01.004 = A0 since 2021; 60 → ≥ 60
    "p3": Spec("S", "confirmed", "nu", None, True, "dh", (), "01.004", date(1966, 6, 15)),
    # male; "" → not a minority; no qualification → none; unknown LLCT code → none; 01.010 = NV1 → C; 59 → 50–59
    "p4": Spec("S", "confirmed", "nam", "", False, None, ("khong_co",), "01.010", date(1966, 6, 16)),
    # female; Mường (06) → minority; unknown qualification → none; Cử nhân → 4; unknown rank → none; no birth date
    "p5": Spec("S", "confirmed", "nu", "06", False, "xx", ("cu_nhan",), "ZZ.999", None),
    # a draft: counted only with "all profiles". female; minority; party; Tiến sĩ; Sơ cấp → 2; 06.031 = A1; 46
    "p6": Spec("S", "draft", "nu", "02", True, "ts", ("so_cap",), "06.031", date(1980, 1, 1)),
    # in the subunit: male; Kinh; Trung cấp; no LLCT; 01.005 = B since 2021; exactly 40 → 40–49
    "p7": Spec("S1", "confirmed", "nam", "01", False, "tc", (), "01.005", date(1986, 6, 15)),
    # another district, outside the HR officer's scope
    "p8": Spec("X", "confirmed", "nu", "03", True, "dh", ("cao_cap",), "01.003", date(1990, 1, 1)),
}

# Hand-computed: unit S, confirmed profiles only (p1–p5).
S_CONFIRMED = {
    "total": 5,
    "female": 3,  # p1 p3 p5
    "minority": 2,  # p2 p5
    "party": 2,  # p1 p3
    "qual:ths": 1,
    "qual:dh": 2,
    "qual:ts": 0,
    "qual:none": 2,  # p4 (none) p5 (unknown code)
    "llct:4": 2,  # p1 p5
    "llct:3": 1,  # p2
    "llct:2": 0,
    "llct:none": 2,  # p3 p4
    "rank:A3": 1,
    "rank:A2": 1,
    "rank:A1": 0,
    "rank:A0": 1,
    "rank:B": 0,
    "rank:C": 1,
    "rank:none": 1,
    "age:lt30": 1,  # p2
    "age:30_39": 1,  # p1
    "age:40_49": 0,
    "age:50_59": 1,  # p4
    "age:ge60": 1,  # p3
    "age:none": 1,  # p5
}
# With the draft p6 as well.
S_ALL = {
    **S_CONFIRMED,
    "total": 6,
    "female": 4,
    "minority": 3,
    "party": 3,
    "qual:ts": 1,
    "llct:2": 1,
    "rank:A1": 1,
    "age:40_49": 1,
}
S1_CONFIRMED = {"total": 1, "female": 0, "qual:tc": 1, "llct:none": 1, "rank:B": 1, "age:40_49": 1}


@dataclass
class Data:
    units: dict[str, OrgUnit]
    profiles: dict[str, Profile]
    hr: User
    approver_s1: User


@pytest.fixture
def data(app) -> Data:  # type: ignore[no-untyped-def]
    load_reference_data(db.session)
    s = make_unit("UBND huyện Sóc Sơn", code="S")
    units = {"S": s, "S1": make_unit("-Tổ công tác", parent=s, code="S1"), "X": make_unit("UBND quận Tây Hồ", code="X")}
    profiles = {}
    for key, spec in SPECS.items():
        owner = make_user(f"Người {key}", unit=units[spec.unit], password=PASSWORD, sex=spec.sex)
        profile = db.session.scalar(select(Profile).where(Profile.owner_id == owner.id))
        profile.sex = spec.sex
        profile.ethnicity = spec.ethnicity
        profile.is_party_member = spec.party
        profile.highest_qualification = spec.qualification
        profile.rank_code = spec.rank
        profile.birth_date = spec.birth
        profile.trainings.append(Training(kind="chuyen_mon", level="dh", major="Luật"))
        for level in spec.llct:
            profile.trainings.append(Training(kind="ly_luan_chinh_tri", level=level))
        db.session.flush()
        walk_to(profile, owner, spec.status, None, now=datetime.now(UTC))
        profiles[key] = profile
    hr = make_user("Cán Bộ Tổ Chức", unit=s, password=PASSWORD, roles=[("hr", s)], with_profile=False)
    approver = make_user(
        "Người Phê Duyệt", unit=s, password=PASSWORD, roles=[("approver", units["S1"])], with_profile=False
    )
    db.session.commit()
    return Data(units, profiles, hr, approver)


def report_for(data: Data, *, confirmed_only: bool, today: date = TODAY):  # type: ignore[no-untyped-def]
    return unit_statistics(db.session, subtree_ids(data.units["S"].path), today=today, confirmed_only=confirmed_only)


def check(report, unit_id: int, expected: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    for key, value in expected.items():
        assert report.value(unit_id, key) == value, key


def test_confirmed_profiles_hand_computed(data: Data) -> None:
    report = report_for(data, confirmed_only=True)
    check(report, data.units["S"].id, S_CONFIRMED)
    check(report, data.units["S1"].id, S1_CONFIRMED)
    assert [row.unit.code for row in report.rows] == ["S", "S1"]  # Tây Hồ is outside the scope
    assert report.total("total") == 6 and report.total("rank:B") == 1 and report.total("female") == 3


def test_all_profiles_hand_computed(data: Data) -> None:
    report = report_for(data, confirmed_only=False)
    check(report, data.units["S"].id, S_ALL)


def test_each_dimension_adds_up_to_the_total(data: Data) -> None:
    for confirmed_only in (True, False):
        report = report_for(data, confirmed_only=confirmed_only)
        for row in [*report.rows]:
            values = dict(zip((c.key for c in report.columns), row.values, strict=True))
            for dimension in ("qual", "llct", "rank", "age"):
                part = sum(v for k, v in values.items() if k.startswith(dimension + ":"))
                assert part == values["total"], (row.unit.code, dimension)


def test_rank_group_follows_the_period_in_force(data: Data) -> None:
    # 01.004 Cán sự was B until 31/07/2021, A0 since; 01.005 was NV1 (→ C/NV), B since.
    before = report_for(data, confirmed_only=True, today=date(2020, 1, 1))
    assert before.value(data.units["S"].id, "rank:B") == 1 and before.value(data.units["S"].id, "rank:A0") == 0
    assert before.value(data.units["S1"].id, "rank:C") == 1 and before.value(data.units["S1"].id, "rank:B") == 0


def test_age_bands_move_with_the_date(data: Data) -> None:
    tomorrow = report_for(data, confirmed_only=True, today=date(2026, 6, 16))
    s = data.units["S"].id
    assert tomorrow.value(s, "age:lt30") == 0 and tomorrow.value(s, "age:30_39") == 2  # p2 turned 30
    assert tomorrow.value(s, "age:50_59") == 0 and tomorrow.value(s, "age:ge60") == 2  # p4 turned 60


def test_aggregated_in_sql_not_by_loading_profiles(data: Data) -> None:
    statements: list[str] = []

    def remember(_conn, _cursor, statement, *_args):  # type: ignore[no-untyped-def]
        statements.append(statement)

    scope = subtree_ids(data.units["S"].path)
    event.listen(db.engine, "before_cursor_execute", remember)
    try:
        unit_statistics(db.session, scope, today=TODAY, confirmed_only=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", remember)
    on_profiles = [s for s in statements if re.search(r"\bFROM profile\b", s)]
    assert len(on_profiles) == 1
    assert "GROUP BY" in on_profiles[0].upper() and "count(" in on_profiles[0].lower()
    assert len(statements) <= 4  # two reference lists, the aggregate, the unit names


# --- over HTTP -------------------------------------------------------------------------------------------------


def cell(html: str, unit_id: int, key: str) -> str:
    row = re.search(rf'<tr id="stat-unit-{unit_id}">(.*?)</tr>', html, re.S)
    assert row, unit_id
    match = re.search(rf'<td class="text-right col-{key.replace(":", "-")}">(.*?)</td>', row.group(1))
    assert match, key
    return match.group(1).strip() or "0"


def test_page_counts_confirmed_by_default_with_a_switch(data: Data, login_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(oversight_view, "today_vn", lambda: TODAY)
    client = login_as(data.hr)
    html = client.get("/thong-ke/").get_data(as_text=True)
    assert "Chỉ tính <strong>hồ sơ đã xác nhận</strong>" in html
    s = data.units["S"].id
    for key, value in S_CONFIRMED.items():
        assert cell(html, s, key) == str(value), key
    assert f'id="stat-unit-{data.units["X"].id}"' not in html
    totals = re.search(r'<tr class="font-weight-bold" id="statistics-totals">(.*?)</tr>', html, re.S).group(1)  # type: ignore[union-attr]
    assert '<td class="text-right col-total">6</td>' in totals

    html = client.get("/thong-ke/?pham_vi=tat_ca").get_data(as_text=True)
    assert "Tính <strong>tất cả hồ sơ</strong>" in html
    for key, value in S_ALL.items():
        assert cell(html, s, key) == str(value), key


def test_page_narrowed_to_a_unit_and_scoped(data: Data, login_as) -> None:  # type: ignore[no-untyped-def]
    client = login_as(data.hr)
    html = client.get(f"/thong-ke/?don_vi={data.units['S1'].id}").get_data(as_text=True)
    assert f'id="stat-unit-{data.units["S1"].id}"' in html and f'id="stat-unit-{data.units["S"].id}"' not in html
    assert client.get(f"/thong-ke/?don_vi={data.units['X'].id}").status_code == 404
    assert client.get(f"/thong-ke/xuat-excel?don_vi={data.units['X'].id}").status_code == 404
    approver = login_as(data.approver_s1).get("/thong-ke/").get_data(as_text=True)
    assert (
        f'id="stat-unit-{data.units["S1"].id}"' in approver and f'id="stat-unit-{data.units["S"].id}"' not in approver
    )


def test_export_parses_and_matches(data: Data, login_as, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(oversight_view, "today_vn", lambda: TODAY)
    response = login_as(data.hr).get("/thong-ke/xuat-excel?pham_vi=tat_ca")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC"
    assert any("tất cả hồ sơ" in (r[0] or "") for r in rows[1:4])
    group_row = next(i for i, r in enumerate(rows) if r[0] == "STT")
    groups, labels = rows[group_row], rows[group_row + 1]
    # The second header row names the sub-columns; a column without a group keeps its label above.
    header = [labels[i] or groups[i] for i in range(len(groups))]
    assert groups[header.index("Nữ")] == "Trong đó"
    by_unit = {r[1]: r for r in rows[group_row + 2 :]}
    s = by_unit["UBND huyện Sóc Sơn"]
    assert s[header.index("Tổng số")] == 6
    assert s[header.index("Nữ")] == 4
    assert s[header.index("Dân tộc thiểu số")] == 3
    assert s[header.index("Thạc sĩ")] == 1
    assert s[header.index("Dưới 30")] == 1
    assert s[header.index("A0")] == 1
    assert "'-Tổ công tác" in by_unit  # a name starting like a formula stays text
    assert by_unit["Tổng cộng"][header.index("Tổng số")] == 7
