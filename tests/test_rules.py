"""The rules engine on a fully valid profile: it passes, on the CSV lists and on the database lists.

Also the builders the other tests/test_rules_*.py files share: `valid_profile()` fills all 11
sections with consistent, valid values and at least one row in most tables, so each rule test
changes one thing and expects exactly one issue.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import event, select
from sqlalchemy.orm import selectinload

from extensions import db
from models.profile import Profile
from models.refdata import load_reference_data
from models.refs import RefLookup
from models.rules import CHILD_TABLES, Issue, Report, check_profile, section_status
from models.section_registry import SECTIONS
from models.sections import (
    Allowance,
    AnnualResult,
    ConcurrentPosition,
    Discipline,
    FamilyMember,
    House,
    Land,
    OrgActivity,
    PartyConcurrentPosition,
    SalaryHistory,
    StateTitle,
    Training,
    WorkHistory,
)
from tests.factories import make_unit, make_user

TODAY = date(2025, 9, 15)
BIRTH = date(1985, 3, 1)
CCCD = "001185012345"  # Hà Nội, Nữ, born 1985
REFS = RefLookup.from_refdata()


def pd(value: str) -> dict[str, Any]:
    """A partial date in the model's two columns, from "2015", "09/2015" or "01/09/2015"."""
    from models.dates import parse_pdate

    day, precision = parse_pdate(value)
    return {"date": day, "precision": precision}


def period(start: str, end: str | None = None) -> dict[str, Any]:
    """from/to columns of a PeriodMixin row."""
    values: dict[str, Any] = {
        "from_date": None,
        "from_date_precision": None,
        "to_date": None,
        "to_date_precision": None,
    }
    s = pd(start)
    values.update(from_date=s["date"], from_date_precision=s["precision"])
    if end:
        e = pd(end)
        values.update(to_date=e["date"], to_date_precision=e["precision"])
    return values


def valid_profile() -> Profile:
    """A transient profile that meets every rule (female civil servant born 01/03/1985)."""
    p = Profile(
        staff_type="cong_chuc",
        org_unit_id=1,
        managing_agency_id=1,
        full_name="Nguyễn Thị Hoa",
        sex="nu",
        birth_date=BIRTH,
        birth_place_province="01",
        birth_place_commune="Phường Ba Đình",
        hometown_legacy="xã Bát Tràng, huyện Gia Lâm, TP Hà Nội",
        ethnicity="01",
        religion="00",
        id_number=CCCD,
        id_issued_on=date(2021, 5, 10),
        id_issued_by="Cục Cảnh sát QLHC về TTXH",
        phone="+84 912.345-678",
        email="hoa.nt@gialam.hanoi.gov.vn",
        social_insurance_number="0123456789",
        health_insurance_number="DN4010123456789",
        current_address_province="01",
        current_address_commune="Phường Hoàn Kiếm",
        current_address_detail="Số 5 phố Tràng Tiền",
        policy_groups=["con_thuong_binh"],
        # II
        rank_code="01.003",
        rank_appointed_on=date(2009, 1, 1),
        salary_step=3,
        salary_coefficient=Decimal("3.00"),
        salary_since=date(2022, 1, 1),
        salary_percent=100,
        position_allowance=Decimal("0.30"),
        concurrent_allowance_percent=10,
        other_allowances="Phụ cấp công vụ 25%",
        # IV
        general_education="12/12",
        highest_qualification="dh",
        highest_qualification_major="Luật",
        # V
        family_background="cong_chuc",
        occupation_before_recruitment="Sinh viên",
        first_recruited_on=date(2008, 1, 1),
        first_recruiting_agency="UBND huyện Gia Lâm",
        joined_current_agency_on=date(2015, 6, 1),
        employment_kind="bien_che",
        current_position="pho_truong_phong",
        current_position_title="Phó Trưởng phòng Nội vụ",
        position_appointed_on=date(2020, 7, 1),
        main_duties="Theo dõi công tác tổ chức, cán bộ.",
        # VIII
        is_party_member=True,
        party_joined_on=date(2010, 5, 19),
        party_official_on=date(2011, 5, 19),
        party_card_number="12345678",
        party_position="cap_uy_vien",
        first_org_joined_on=date(2000, 3, 26),
        first_org="doan_tncs",
        # IX
        arrest_history="Không",
        # X
        salary_income=250_000_000,
        # XI
        health_status="Tốt",
        height_cm=158,
        weight_kg=50,
        blood_group="O",
    )
    p.salary_history = [
        SalaryHistory(
            **period("01/2008", "12/2010"), rank_code="01.003", salary_step=1, salary_coefficient=Decimal("2.34")
        ),
        SalaryHistory(
            **period("01/2011", "12/2021"), rank_code="01.003", salary_step=2, salary_coefficient=Decimal("2.67")
        ),
        SalaryHistory(**period("01/2022"), rank_code="01.003", salary_step=3, salary_coefficient=Decimal("3.00")),
    ]
    p.allowances = [Allowance(**period("2011"), allowance_type="cong_vu", percent=Decimal("25"), basis="phan_tram")]
    p.family_members = [
        FamilyMember(relation="cha", side="ban_than", full_name="Nguyễn Văn An", birth_year=1955),
        FamilyMember(relation="me", side="ban_than", full_name="Trần Thị Bình", birth_year=1958),
        FamilyMember(relation="chong", side="ban_than", full_name="Lê Văn Cường", birth_year=1983),
        FamilyMember(relation="con", side="ban_than", full_name="Lê Minh Đức", birth_year=2012),
        FamilyMember(
            relation="cha_chong",
            side="ben_vo_chong",
            full_name="Lê Văn Em",
            birth_year=1950,
            is_deceased=True,
            death_year=2020,
        ),
    ]
    p.trainings = [
        Training(
            **period("09/2003", "06/2007"),
            kind="chuyen_mon",
            institution="Đại học Luật Hà Nội",
            major="Luật",
            study_mode="chinh_quy",
            level="dh",
            certificate="Cử nhân Luật",
        ),
        Training(
            **period("2012", "2013"),
            kind="ly_luan_chinh_tri",
            institution="Trường Chính trị tỉnh",
            study_mode="tai_chuc",
            level="trung_cap",
        ),
        Training(**period("2016"), kind="boi_duong", institution="Học viện Hành chính", level="cv"),
        Training(**period("2018"), kind="quoc_phong_an_ninh", institution="Trường Quân sự", level="doi_tuong_3"),
        Training(**period("2010"), kind="tin_hoc", institution="Trung tâm Tin học", level="cntt_co_ban"),
        Training(
            **period("2019", "2026"),
            kind="ngoai_ngu",
            institution="Đại học Hà Nội",
            language="en",
            level="bac_3",
            score="5.5",
        ),
    ]
    p.concurrent_positions = [
        ConcurrentPosition(position="truong_phong", title="Trưởng ban", appointed_on=date(2021, 1, 1))
    ]
    p.work_history = [
        WorkHistory(**period("01/2008", "05/2015"), unit="UBND xã Bát Tràng", title="Công chức"),
        WorkHistory(**period("06/2015"), unit="Phòng Nội vụ huyện Gia Lâm", title="Chuyên viên"),
    ]
    p.state_titles = [StateTitle(title="nha_giao_nhan_dan", year=2020)]
    p.disciplines = [
        Discipline(
            **period("03/2016", "03/2027"),
            scope="chinh_quyen",
            form="khien_trach",
            violation="Chậm báo cáo",
            decided_by="UBND huyện Gia Lâm",
        ),
    ]
    p.annual_results = [
        AnnualResult(year=2019, professional_rating="htnv_han_che"),
        AnnualResult(
            year=2023, professional_rating="httnv", emulation_title="lao_dong_tien_tien", awards=["giay_khen"]
        ),
        AnnualResult(year=2024, professional_rating="htxsnv", emulation_title="cstd_co_so"),
    ]
    p.party_concurrent_positions = [PartyConcurrentPosition(position="bi_thu", appointed_on=date(2022, 1, 1))]
    p.org_activities = [OrgActivity(**period("2000", "2010"), org="doan_tncs", unit="Chi đoàn Khoa Luật")]
    p.houses = [House(acquisition="tu_mua_xay", house_type="Nhà cấp 4", floor_area_m2=Decimal("80.5"))]
    p.lands = [Land(acquisition="tu_mua", area_m2=Decimal("100"))]
    return p


def run(profile: Profile, refs: RefLookup = REFS, today: date = TODAY) -> Report:
    return check_profile(profile, refs, today)


def only(report: Report) -> Issue:
    """The one issue of a report that should hold exactly one."""
    assert len(report.issues) == 1, [(i.field, i.level, i.message) for i in report.issues]
    return report.issues[0]


Mutation = Callable[[Profile], object]


def assert_flips(mutate: Mutation, field: str, level: str, section: str | None = None) -> Issue:
    """Change one thing on a valid profile and expect exactly one issue, on `field` at `level`."""
    profile = valid_profile()
    mutate(profile)
    issue = only(run(profile))
    assert (issue.field, issue.level) == (field, level), issue
    if section is not None:
        assert issue.section == section
    return issue


# -- the valid profile -------------------------------------------------------------------------------


def test_valid_profile_passes_every_section() -> None:
    report = run(valid_profile())
    assert report.issues == []
    assert report.can_submit
    assert section_status(report) == {s.key: True for s in SECTIONS}
    assert report.missing_by_section() == {}


def test_empty_profile_lists_missing_values_by_section_in_order() -> None:
    report = run(Profile(full_name=""))
    assert not report.can_submit
    grouped = report.missing_by_section()
    assert list(grouped) == ["basic", "education", "employment"]
    basic_fields = [i.field for i in grouped["basic"]]
    assert basic_fields[:3] == ["staff_type", "org_unit_id", "managing_agency_id"]
    assert "birth_place" in basic_fields and "current_address" in basic_fields
    assert any(i.message == "Chưa nhập Ngày sinh." for i in grouped["basic"])
    assert [i.field for i in grouped["employment"]][-1] == "work_history"
    status = section_status(report)
    assert status["family"] and status["other"] and not status["basic"]


def test_warnings_never_block() -> None:
    profile = valid_profile()
    profile.family_members.append(FamilyMember(relation="cha", full_name="Nguyễn Văn Ba", birth_year=1950))
    report = run(profile)
    assert [i.level for i in report.issues] == ["warning"]
    assert report.can_submit and report.section_complete("family")
    assert report.warnings == report.issues and report.errors == [] and report.missing == []


def test_report_helpers_locate_row_issues() -> None:
    profile = valid_profile()
    profile.family_members[1].birth_year = None
    report = run(profile)
    issue = only(report)
    assert issue.field == "family_members[1].birth_year"
    assert (issue.table, issue.row, issue.column) == ("family_members", 1, "birth_year")
    assert issue.message == "Chưa nhập Năm sinh."
    assert issue.text == "Quan hệ gia đình, dòng 2: Chưa nhập Năm sinh."
    assert report.for_field("family_members[1].birth_year") == [issue]
    assert report.for_table("family_members") == [issue]
    assert report.for_row("family_members", 1) == [issue]
    assert report.for_row("family_members", 0) == []
    assert report.for_section("family") == [issue]
    assert not report.section_complete("family") and report.section_complete("basic")


def test_check_profile_is_fast() -> None:
    profile = valid_profile()
    run(profile)
    rounds = 50
    start = time.perf_counter()
    for _ in range(rounds):
        run(profile)
    per_call_ms = (time.perf_counter() - start) * 1000 / rounds
    assert per_call_ms < 5, f"{per_call_ms:.2f} ms"


# -- on the database --------------------------------------------------------------------------------


def _save_valid_profile() -> int:
    user = make_user("Nguyễn Thị Hoa", unit=make_unit(), cccd=CCCD, birth_date=BIRTH, sex="nu")
    profile = user_profile(user.id)
    source = valid_profile()
    for column in Profile.__table__.columns.keys():
        if column in {"id", "owner_id", "status", "version_id", "created_at", "updated_at", "full_name_search"}:
            continue
        if column in {"org_unit_id", "managing_agency_id"}:
            continue
        value = getattr(source, column)
        if value is not None:
            setattr(profile, column, value)
    profile.managing_agency_id = profile.org_unit_id
    for table in CHILD_TABLES:
        rows = list(getattr(source, table))
        setattr(source, table, [])
        setattr(profile, table, rows)
    db.session.commit()
    return profile.id


def user_profile(owner_id: int) -> Profile:
    return db.session.scalars(select(Profile).where(Profile.owner_id == owner_id)).one()


def test_database_lookup_matches_csv_lookup(app: object) -> None:
    load_reference_data(db.session)
    db.session.commit()
    loaded = RefLookup.load(db.session)
    for list_name in ("education_levels", "family_relations", "ethnic_groups", "disciplines", "staff_types"):
        assert loaded.entries(list_name) == REFS.entries(list_name), list_name
    assert loaded.rank("01.004", date(2020, 1, 1)) == REFS.rank("01.004", date(2020, 1, 1))
    assert loaded.coefficient("A1", 9) == REFS.coefficient("A1", 9) == Decimal("4.98")


def test_saved_valid_profile_passes_without_queries(app: object) -> None:
    load_reference_data(db.session)
    db.session.commit()
    refs = RefLookup.load(db.session)
    profile_id = _save_valid_profile()
    db.session.expunge_all()
    options = [selectinload(getattr(Profile, name)) for name in CHILD_TABLES]
    profile = db.session.scalars(select(Profile).where(Profile.id == profile_id).options(*options)).one()

    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        report = check_profile(profile, refs, TODAY)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert statements == []
    assert report.issues == []
    assert report.can_submit


def test_saved_profile_reports_row_issue(app: object) -> None:
    load_reference_data(db.session)
    db.session.commit()
    refs = RefLookup.load(db.session)
    profile = db.session.get(Profile, _save_valid_profile())
    assert profile is not None
    profile.salary_history[2].salary_coefficient = Decimal("3.10")
    profile.salary_coefficient = Decimal("3.10")
    db.session.commit()
    report = check_profile(profile, refs, TODAY)
    assert {(i.field, i.level) for i in report.issues} == {
        ("salary_coefficient", "error"),
        ("salary_history[2].salary_coefficient", "error"),
    }


@pytest.mark.parametrize("name", CHILD_TABLES)
def test_every_child_table_is_a_profile_relationship(name: str) -> None:
    assert hasattr(Profile, name)
