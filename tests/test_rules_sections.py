"""Sections III–XI: each rule flips exactly one issue on an otherwise valid profile."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from models.profile import Profile
from models.sections import (
    AnnualResult,
    Discipline,
    FamilyMember,
    ForeignOrganization,
    House,
    Land,
    OldRegimeWork,
    OrgActivity,
    StateTitle,
    Training,
    WorkHistory,
)
from tests.rule_mutations import Mutation, add, clear, row, set_
from tests.test_rules import assert_flips, period, run, valid_profile


def then(*mutations: Mutation) -> Mutation:
    def mutate(p: Profile) -> None:
        for m in mutations:
            m(p)

    return mutate


def drop(table: str, index: int) -> Mutation:
    def mutate(p: Profile) -> None:
        del getattr(p, table)[index]

    return mutate


def older(p: Profile) -> None:
    """Born 1940, so work before 1975 is plausible."""
    p.birth_date, p.id_number = date(1940, 1, 1), "001140012345"


CASES: list[tuple[str, Mutation, str, str]] = [
    # III. family
    ("family", row("family_members", 0, relation=None), "family_members[0].relation", "missing"),
    ("family", row("family_members", 0, relation="ban_than"), "family_members[0].relation", "error"),
    ("family", row("family_members", 0, full_name=" "), "family_members[0].full_name", "missing"),
    ("family", row("family_members", 0, birth_year=None), "family_members[0].birth_year", "missing"),
    ("family", row("family_members", 4, death_year=1949), "family_members[4].death_year", "error"),
    ("family", row("family_members", 4, death_year=2026), "family_members[4].death_year", "error"),
    (
        "family",
        add("family_members", FamilyMember(relation="me", full_name="Phạm Thị Dung", birth_year=1960)),
        "family_members[5].relation",
        "warning",
    ),
    ("family", row("family_members", 2, relation="vo"), "family_members[2].relation", "warning"),
    (
        "family",
        set_(sex="nam", id_number="001085012345"),
        "family_members[2].relation",
        "warning",
    ),
    ("family", row("family_members", 2, relation="anh_ruot"), "family_members[4].relation", "warning"),
    ("family", row("family_members", 3, birth_year=1998), "family_members[3].birth_year", "warning"),
    # IV. education
    ("education", set_(general_education=None), "general_education", "missing"),
    ("education", set_(general_education="dh"), "general_education", "error"),
    ("education", set_(highest_qualification=None), "highest_qualification", "missing"),
    ("education", set_(highest_qualification="12/12"), "highest_qualification", "error"),
    ("education", set_(highest_qualification_major=None), "highest_qualification_major", "missing"),
    ("education", set_(highest_qualification="cd"), "highest_qualification", "warning"),
    ("education", set_(academic_title="pgs"), "academic_title_year", "missing"),
    ("education", set_(academic_title="tien_si", academic_title_year=2020), "academic_title", "error"),
    ("education", row("trainings", 0, kind=None), "trainings[0].kind", "missing"),
    ("education", row("trainings", 0, kind="tu_hoc"), "trainings[0].kind", "error"),
    ("education", row("trainings", 0, institution=""), "trainings[0].institution", "missing"),
    ("education", row("trainings", 0, major=None), "trainings[0].major", "missing"),
    ("education", row("trainings", 0, study_mode=None), "trainings[0].study_mode", "missing"),
    ("education", row("trainings", 0, study_mode="dh"), "trainings[0].study_mode", "error"),
    ("education", row("trainings", 1, study_mode=None), "trainings[1].study_mode", "missing"),
    ("education", row("trainings", 0, level=None), "trainings[0].level", "missing"),
    ("education", row("trainings", 0, level="sc"), "trainings[0].level", "error"),
    ("education", row("trainings", 0, level="cao_cap"), "trainings[0].level", "error"),
    ("education", row("trainings", 4, level="bac_3"), "trainings[4].level", "error"),
    ("education", row("trainings", 4, level=None), "trainings[4].level", "missing"),
    ("education", row("trainings", 5, language=None), "trainings[5].language", "missing"),
    ("education", row("trainings", 5, language="xx"), "trainings[5].language", "error"),
    ("education", row("trainings", 5, score="x" * 21), "trainings[5].score", "error"),
    ("education", row("trainings", 1, major="Chính trị"), "trainings[1].major", "error"),
    ("education", row("trainings", 2, study_mode="tap_trung"), "trainings[2].study_mode", "error"),
    ("education", row("trainings", 4, language="en"), "trainings[4].language", "error"),
    ("education", row("trainings", 3, score="8"), "trainings[3].score", "error"),
    # V. employment
    ("employment", set_(first_recruited_on=None), "first_recruited_on", "missing"),
    ("employment", set_(first_recruiting_agency=""), "first_recruiting_agency", "missing"),
    ("employment", set_(joined_current_agency_on=None), "joined_current_agency_on", "missing"),
    ("employment", set_(main_duties=None), "main_duties", "missing"),
    ("employment", set_(main_duties="x" * 4001), "main_duties", "error"),
    ("employment", set_(first_recruited_on=date(2000, 2, 28), rank_appointed_on=None), "first_recruited_on", "error"),
    ("employment", set_(first_recruited_on=date(2002, 3, 1), rank_appointed_on=None), "first_recruited_on", "warning"),
    ("employment", set_(joined_current_agency_on=date(2007, 12, 31)), "joined_current_agency_on", "error"),
    ("employment", set_(current_position="giam_doc_so_x"), "current_position", "error"),
    ("employment", set_(position_appointed_on=None), "position_appointed_on", "missing"),
    ("employment", set_(position_reappointed_on=date(2020, 7, 1)), "position_reappointed_on", "error"),
    ("employment", set_(family_background="dia_chu_x"), "family_background", "error"),
    ("employment", set_(employment_kind="x"), "employment_kind", "error"),
    ("employment", row("concurrent_positions", 0, position=None), "concurrent_positions[0].position", "missing"),
    ("employment", clear("work_history"), "work_history", "missing"),
    (
        "employment",
        row("work_history", 1, to_date=date(2025, 1, 1), to_date_precision="year"),
        "work_history",
        "warning",
    ),
    ("employment", row("work_history", 0, unit=None), "work_history[0].unit", "missing"),
    ("employment", row("work_history", 0, from_date=None), "work_history[0].from_date", "missing"),
    # VI. rewards and discipline
    ("rewards_discipline", row("state_titles", 0, title=None), "state_titles[0].title", "missing"),
    ("rewards_discipline", row("state_titles", 0, year=None), "state_titles[0].year", "missing"),
    ("rewards_discipline", row("state_titles", 0, title="x"), "state_titles[0].title", "error"),
    (
        "rewards_discipline",
        add("state_titles", StateTitle(title="nha_giao_nhan_dan", year=2024)),
        "state_titles[1].title",
        "error",
    ),
    ("rewards_discipline", row("state_titles", 0, year=2002), "state_titles[0].year", "error"),
    ("rewards_discipline", row("disciplines", 0, scope=None), "disciplines[0].scope", "missing"),
    ("rewards_discipline", row("disciplines", 0, scope="toa_an"), "disciplines[0].scope", "error"),
    ("rewards_discipline", row("disciplines", 0, form=None), "disciplines[0].form", "missing"),
    ("rewards_discipline", row("disciplines", 0, form="bai_nhiem"), "disciplines[0].form", "error"),
    ("rewards_discipline", row("disciplines", 0, scope="dang", form="buoc_thoi_viec"), "disciplines[0].form", "error"),
    (
        "rewards_discipline",
        row("disciplines", 0, scope="doan_the", form="ha_bac_luong"),
        "disciplines[0].form",
        "error",
    ),
    ("rewards_discipline", row("disciplines", 0, violation=""), "disciplines[0].violation", "missing"),
    ("rewards_discipline", row("disciplines", 0, decided_by=None), "disciplines[0].decided_by", "missing"),
    # VII. assessment
    ("assessment", row("annual_results", 0, year=None), "annual_results[0].year", "missing"),
    ("assessment", row("annual_results", 2, year=2023), "annual_results[2].year", "error"),
    (
        "assessment",
        row("annual_results", 1, professional_rating=None),
        "annual_results[1].professional_rating",
        "missing",
    ),
    (
        "assessment",
        row("annual_results", 1, professional_rating="tot"),
        "annual_results[1].professional_rating",
        "error",
    ),
    (
        "assessment",
        row("annual_results", 1, professional_rating="htnv_han_che", emulation_title=None),
        "annual_results[1].professional_rating",
        "error",
    ),
    (
        "assessment",
        row("annual_results", 1, professional_rating="htnv"),
        "annual_results[1].emulation_title",
        "warning",
    ),
    ("assessment", row("annual_results", 1, emulation_title="giay_khen"), "annual_results[1].emulation_title", "error"),
    ("assessment", row("annual_results", 1, awards=["lao_dong_tien_tien"]), "annual_results[1].awards", "error"),
    ("assessment", set_(agency_assessment="x" * 4001), "agency_assessment", "error"),
    # VIII. Party and unions
    ("party_union", set_(party_joined_on=None, party_official_on=None), "party_joined_on", "missing"),
    ("party_union", set_(party_joined_on=date(2003, 2, 28), party_official_on=None), "party_joined_on", "warning"),
    ("party_union", set_(party_official_on=date(2010, 5, 18)), "party_official_on", "error"),
    ("party_union", set_(party_official_on=date(2011, 5, 18)), "party_official_on", "warning"),
    ("party_union", set_(party_position="bi_thu_x"), "party_position", "error"),
    ("party_union", set_(first_org_joined_on=date(1985, 3, 1)), "first_org_joined_on", "error"),
    ("party_union", set_(first_org=None), "first_org", "missing"),
    ("party_union", set_(first_org="dang"), "first_org", "error"),
    ("party_union", set_(first_org="hoi_x"), "first_org", "error"),
    (
        "party_union",
        row("party_concurrent_positions", 0, position=None),
        "party_concurrent_positions[0].position",
        "missing",
    ),
    ("party_union", row("org_activities", 0, org=None), "org_activities[0].org", "missing"),
    ("party_union", row("org_activities", 0, unit=None), "org_activities[0].unit", "missing"),
    # IX. personal history
    (
        "personal_history",
        then(older, add("old_regime_work", OldRegimeWork(**period("1974", "1976"), description="Thư ký"))),
        "old_regime_work[0].to_date",
        "warning",
    ),
    (
        "personal_history",
        then(older, add("old_regime_work", OldRegimeWork(**period("1974"), description="Thư ký"))),
        "old_regime_work[0].to_date",
        "warning",
    ),
    (
        "personal_history",
        then(older, add("old_regime_work", OldRegimeWork(**period("06/1975", "1976"), description="Thư ký"))),
        "old_regime_work[0].from_date",
        "warning",
    ),
    (
        "personal_history",
        then(older, add("old_regime_work", OldRegimeWork(**period("1974", "1975")))),
        "old_regime_work[0].description",
        "missing",
    ),
    (
        "personal_history",
        add("foreign_organizations", ForeignOrganization(**period("2010"))),
        "foreign_organizations[0].description",
        "missing",
    ),
    (
        "personal_history",
        add("foreign_organizations", ForeignOrganization(description="Hội hữu nghị")),
        "foreign_organizations[0].from_date",
        "missing",
    ),
    ("personal_history", set_(arrest_history="x" * 4001), "arrest_history", "error"),
    # X. economy
    ("economy", set_(salary_income=-1), "salary_income", "error"),
    ("economy", row("houses", 0, acquisition=None), "houses[0].acquisition", "missing"),
    ("economy", row("houses", 0, acquisition="tu_mua"), "houses[0].acquisition", "error"),
    ("economy", row("houses", 0, house_type=None), "houses[0].house_type", "missing"),
    ("economy", row("houses", 0, house_type="x" * 101), "houses[0].house_type", "error"),
    ("economy", row("houses", 0, floor_area_m2=None), "houses[0].floor_area_m2", "missing"),
    ("economy", row("houses", 0, floor_area_m2=Decimal("0")), "houses[0].floor_area_m2", "error"),
    ("economy", row("lands", 0, area_m2=Decimal("-5")), "lands[0].area_m2", "error"),
    ("economy", row("lands", 0, acquisition="tu_mua_xay"), "lands[0].acquisition", "error"),
    # XI. other
    ("other", set_(height_cm=99), "height_cm", "error"),
    ("other", set_(height_cm=231), "height_cm", "error"),
    ("other", set_(weight_kg=29), "weight_kg", "error"),
    ("other", set_(weight_kg=201), "weight_kg", "error"),
    ("other", set_(blood_group="Z"), "blood_group", "error"),
    ("other", set_(health_status="x" * 101), "health_status", "error"),
    ("other", set_(enlisted_on=date(1999, 1, 1), enlisted_on_precision="year"), "enlisted_on", "error"),
    ("other", set_(discharged_on=date(2005, 1, 1), discharged_on_precision="year"), "enlisted_on", "missing"),
    ("other", set_(highest_military_rank="ha_si"), "enlisted_on", "missing"),
    (
        "other",
        set_(
            enlisted_on=date(2003, 1, 1),
            enlisted_on_precision="year",
            discharged_on=date(2002, 1, 1),
            discharged_on_precision="year",
        ),
        "discharged_on",
        "error",
    ),
    ("other", set_(enlisted_on=date(2003, 1, 1), highest_military_rank="x"), "highest_military_rank", "error"),
]


@pytest.mark.parametrize(("section", "mutate", "field", "level"), CASES)
def test_section_rules(section: str, mutate: Mutation, field: str, level: str) -> None:
    assert_flips(mutate, field, level, section=section)


@pytest.mark.parametrize(
    "mutate",
    [
        # family shapes that are fine
        add("family_members", FamilyMember(relation="cha_nuoi", full_name="Đỗ Văn Giang", birth_year=1950)),
        row("family_members", 3, birth_year=1999),
        clear("family_members"),
        # education
        then(set_(highest_qualification="chua_qua_dao_tao", highest_qualification_major=None), drop("trainings", 0)),
        then(set_(highest_qualification="sc", highest_qualification_major=None), drop("trainings", 0)),
        set_(academic_title="gs", academic_title_year=2024),
        add(
            "trainings",
            Training(
                **period("2024"),
                kind="chuyen_mon",
                institution="Đại học Luật",
                major="Luật",
                study_mode="vua_lam_vua_hoc",
                level="ths",
            ),
        ),
        add("trainings", Training(**period("2020", "2020"), kind="boi_duong", institution="Học viện")),
        add(
            "trainings",
            Training(
                **period("2021"), kind="ngoai_ngu", institution="Trung tâm", language="dt_02", level="tieng_dan_toc"
            ),
        ),
        # employment
        set_(current_position=None, current_position_title=None, position_appointed_on=None),
        set_(position_reappointed_on=date(2025, 7, 1)),
        set_(first_recruited_on=date(2003, 3, 1), rank_appointed_on=None),
        add("work_history", WorkHistory(**period("2000", "2001"), unit="Đoàn trường")),
        # rewards and discipline
        clear("state_titles"),
        row("state_titles", 0, year=2003),
        row("disciplines", 0, scope="dang", form="khai_tru"),
        row("disciplines", 0, scope="doan_the", form="canh_cao"),
        add(
            "disciplines",
            Discipline(**period("2017"), scope="chinh_quyen", form="ha_bac_luong", violation="X", decided_by="UBND"),
        ),
        # assessment
        row("annual_results", 0, year=2018),
        row("annual_results", 1, professional_rating="khong_danh_gia"),
        add("annual_results", AnnualResult(year=2025, professional_rating="htnv")),
        # party
        set_(
            is_party_member=False,
            party_joined_on=None,
            party_official_on=None,
            party_card_number=None,
            party_position=None,
            party_concurrent_positions=[],
        ),
        set_(party_official_on=None),
        set_(first_org_joined_on=None, first_org=None),
        add("org_activities", OrgActivity(**period("2010"), org="dang", unit="Chi bộ Phòng Nội vụ")),
        # personal history
        then(older, add("old_regime_work", OldRegimeWork(**period("1974", "04/1975"), description="Thư ký"))),
        add("foreign_organizations", ForeignOrganization(**period("2019"), description="Hội hữu nghị")),
        # economy
        add("houses", House(acquisition="duoc_cap_thue", house_type="Căn hộ", floor_area_m2=Decimal("0.5"))),
        add("lands", Land(acquisition="duoc_cap", area_m2=Decimal("50"))),
        # other
        set_(
            enlisted_on=date(2000, 1, 1),
            enlisted_on_precision="year",
            discharged_on=date(2002, 1, 1),
            discharged_on_precision="year",
            highest_military_rank="trung_si",
        ),
        set_(
            enlisted_on=date(2003, 3, 1),
            enlisted_on_precision="month",
            discharged_on=date(2003, 1, 1),
            discharged_on_precision="year",
        ),
        set_(height_cm=100, weight_kg=200),
    ],
)
def test_section_values_that_pass(mutate: Mutation) -> None:
    profile = valid_profile()
    mutate(profile)
    assert run(profile).issues == []


def test_party_fields_need_membership() -> None:
    profile = valid_profile()
    profile.is_party_member = False
    fields = [(i.field, i.level) for i in run(profile).issues]
    assert fields == [
        ("party_joined_on", "error"),
        ("party_official_on", "error"),
        ("party_card_number", "error"),
        ("party_position", "error"),
        ("party_concurrent_positions[0].position", "error"),
    ]
    assert all(i.section == "party_union" for i in run(profile).issues)


def test_discipline_form_follows_the_staff_type() -> None:
    """For the government scope the form comes from the staff type's discipline group."""
    profile = valid_profile()
    profile.staff_type = "vien_chuc"
    profile.disciplines[0].form = "giang_chuc"  # công chức only
    assert [(i.field, i.level) for i in run(profile).issues] == [("disciplines[0].form", "error")]
    profile.disciplines[0].form = "buoc_thoi_viec"
    assert run(profile).issues == []


def test_training_columns_per_kind_are_all_enforced() -> None:
    profile = valid_profile()
    profile.trainings[2].major = "Quản lý"
    profile.trainings[2].language = "en"
    profile.trainings[2].score = "7"
    profile.trainings[2].study_mode = "tap_trung"
    fields = sorted(i.field for i in run(profile).issues)
    assert fields == [f"trainings[2].{c}" for c in ("language", "major", "score", "study_mode")]
    assert all(i.message.startswith("Loại đào tạo này không dùng cột") for i in run(profile).issues)


def test_still_studying_does_not_raise_the_highest_qualification() -> None:
    profile = valid_profile()
    profile.trainings.append(
        Training(
            **period("2024", "2026"),
            kind="chuyen_mon",
            institution="Đại học Luật",
            major="Luật",
            study_mode="vua_lam_vua_hoc",
            level="ths",
        )
    )
    assert run(profile).issues == []
    profile.trainings[-1].to_date = date(2025, 6, 1)
    assert [(i.field, i.level) for i in run(profile).issues] == [("highest_qualification", "warning")]
