"""The demo seed (`flask seed-demo`): the spec's scenario, idempotent, valid data and working logins."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from auth.passwords import password_problems
from auth.permissions import in_role_scope
from demo.seed import CAMPAIGN_NAME, DEMO_LOGINS, demo_people, seed_demo_data
from extensions import db
from models.audit import ProfileHistory
from models.campaign import Campaign
from models.cccd import check_cccd
from models.org import OrgUnit
from models.profile import ADDRESS_FIELDS, Profile
from models.refdata import Rank, RefItem, SalaryStep
from models.section_registry import SECTIONS
from models.sections import TRAINING_KINDS
from models.snapshot_store import ProfileVersion
from models.user import User
from tests.conftest import csrf_token_from

THUY_CCCD = "038185011234"
HUE_CCCD = "001300012345"
STAFF_LOGINS = [login for login in DEMO_LOGINS if login.role != "employee"]


@pytest.fixture
def seeded(app) -> str:
    summary = seed_demo_data(db.session)
    db.session.commit()
    return summary


def table_snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    snapshot = {}
    for table in db.metadata.sorted_tables:
        rows = db.session.execute(select(table).order_by(*table.primary_key.columns)).all()
        snapshot[table.name] = [tuple(row) for row in rows]
    return snapshot


def post_login(client, username: str, password: str):
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


def profile_of(cccd: str) -> Profile:
    return db.session.scalar(select(Profile).join(User, Profile.owner_id == User.id).where(User.cccd == cccd))


def test_second_run_changes_nothing(app):
    first_summary = seed_demo_data(db.session)
    db.session.commit()
    before = table_snapshot()
    assert before["profile"] and before["family_members"] and before["ref_item"]

    second_summary = seed_demo_data(db.session, now=datetime.now(UTC) + timedelta(days=1))
    db.session.commit()
    after = table_snapshot()

    assert {name: len(rows) for name, rows in after.items()} == {name: len(rows) for name, rows in before.items()}
    assert after == before  # not only the counts: no row was rewritten either
    assert "tạo mới 43" in first_summary and "không tạo thêm" in second_summary


def test_cli_command_runs_twice(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed-demo"])
    second = runner.invoke(args=["seed-demo"])
    assert first.exit_code == 0, first.output
    assert second.exit_code == 0, second.output
    assert "Thuy1234@" in first.output and "Dữ liệu demo đã sẵn sàng." in first.output
    assert "không tạo thêm" in second.output
    assert db.session.scalar(select(func.count()).select_from(User)) == len(demo_people())


def test_summary_lists_every_demo_login(seeded):
    for login in DEMO_LOGINS:
        line = next(line for line in seeded.splitlines() if login.cccd in line)
        assert login.full_name in line and login.password in line


def test_org_tree_and_campaign(seeded):
    units = {u.code: u for u in db.session.scalars(select(OrgUnit))}
    assert units["HN"].parent is None and units["HN"].name == "UBND Thành phố Hà Nội"
    for code in ("GL-NV", "GL-TCKH", "GL-VP", "GL-GDDT", "GL-BT", "GL-TQ", "GL-CB", "GL-THCS-CB", "GL-MN-HS"):
        assert units[code].parent is units["GL"], code
        assert units[code].path.startswith(units["GL"].path)
    assert units["GL"].parent is units["HN"] and units["BD"].parent is units["HN"]
    assert units["BD-NV"].parent is units["BD"] and units["BD-NH"].parent is units["BD"]
    assert {units[c].kind for c in ("GL-BT", "GL-TQ", "GL-CB", "BD-NH")} == {"xa"}
    assert {units[c].kind for c in ("GL-THCS-CB", "GL-MN-HS")} == {"truong"}
    assert units["GL-TCKH"].name == "Phòng Tài chính – Kế hoạch" and units["GL-NV"].kind == "phong_ban"

    campaign = db.session.scalar(select(Campaign).where(Campaign.name == CAMPAIGN_NAME))
    assert campaign.org_unit.code == "GL"
    assert (campaign.starts_on, campaign.deadline) == (date(2023, 4, 20), date(2023, 5, 12))


def test_managing_agency_is_the_nearest_co_quan(seeded):
    for profile in db.session.scalars(select(Profile)):
        unit = profile.org_unit
        while unit.kind != "co_quan":
            unit = unit.parent
        assert profile.managing_agency_id == unit.id, profile.full_name


def test_thuy_logs_in_with_the_default_password_and_must_change_it(app, client, seeded):
    thuy = db.session.scalar(select(User).where(User.cccd == THUY_CCCD))
    assert thuy.full_name == "Bùi Thị Thủy" and thuy.birth_date.year == 1985 and thuy.sex == "nu"
    assert thuy.password_hash is None and thuy.must_change_password and thuy.default_password_issued_at is not None
    profile = profile_of(THUY_CCCD)
    assert profile.status == "draft" and profile.org_unit.path.startswith(
        db.session.scalar(select(OrgUnit.path).where(OrgUnit.code == "GL"))
    )
    assert profile.birth_place_legacy is None and not profile.work_history  # mostly empty: nothing declared yet

    response = post_login(client, THUY_CCCD, "Thuy1234@")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/password")


def test_hue_profile_is_filled_and_confirmed(seeded):
    hue = db.session.scalar(select(User).where(User.cccd == HUE_CCCD))
    assert hue.password_hash is not None and not hue.must_change_password
    profile = profile_of(HUE_CCCD)
    assert profile.full_name == "Nguyễn Ngọc Huệ" and profile.sex == "nu"
    assert profile.birth_date == date(2000, 4, 4)
    assert profile.org_unit.code == "BD" and profile.managing_agency.code == "BD"
    assert profile.status == "confirmed" and profile.confirmed_at is not None
    assert (profile.ethnicity, profile.religion, profile.hometown_province) == ("01", "00", "46")
    assert profile.rank_code == "01.003" and profile.salary_coefficient == Decimal("2.67")

    for table in (
        "salary_history",
        "allowances",
        "family_members",
        "trainings",
        "concurrent_positions",
        "work_history",
        "annual_results",
        "org_activities",
        "houses",
    ):
        assert getattr(profile, table), table
    assert {m.relation for m in profile.family_members} >= {"cha", "me"}
    assert {t.kind for t in profile.trainings} == set(TRAINING_KINDS)
    assert len(profile.work_history) >= 2 and profile.work_history[-1].to_date is None
    assert [r.year for r in profile.annual_results] == [2022, 2023, 2024]

    history = db.session.scalars(
        select(ProfileHistory).where(ProfileHistory.profile_id == profile.id).order_by(ProfileHistory.at)
    ).all()
    nguyet = next(login for login in STAFF_LOGINS if login.role == "approver" and login.scope == "BD")
    assert [h.action for h in history] == ["submit", "confirm"]
    assert history[0].actor_id == hue.id
    assert history[1].actor_id == db.session.scalar(select(User.id).where(User.cccd == nguyet.cccd))
    assert db.session.scalar(select(func.count()).where(ProfileVersion.profile_id == profile.id)) == 1


def test_profiles_exist_in_all_four_states(seeded):
    counts = dict(db.session.execute(select(Profile.status, func.count()).group_by(Profile.status)).all())
    assert set(counts) == {"draft", "pending", "rejected", "confirmed"}
    assert min(counts.values()) >= 3
    for unit_code in ("GL", "BD"):
        path = db.session.scalar(select(OrgUnit.path).where(OrgUnit.code == unit_code))
        statuses = db.session.scalars(
            select(Profile.status).join(OrgUnit, Profile.org_unit_id == OrgUnit.id).where(OrgUnit.path.like(f"{path}%"))
        ).all()
        assert set(statuses) == {"draft", "pending", "rejected", "confirmed"}, unit_code


def test_at_least_thirty_employees_besides_the_demo_logins(seeded):
    login_cccds = {login.cccd for login in DEMO_LOGINS}
    others = db.session.scalars(select(User).join(Profile, Profile.owner_id == User.id)).all()
    others = [u for u in others if u.cccd not in login_cccds and not u.roles]
    assert len(others) >= 30
    assert len({u.full_name.split()[0] for u in others}) >= 12  # varied family names
    assert all(u.password_hash is None and u.must_change_password for u in others)


def test_every_cccd_matches_birth_date_and_sex(seeded):
    users = db.session.scalars(select(User)).all()
    assert len(users) == len(demo_people())
    for user in users:
        check = check_cccd(user.cccd, user.birth_date, user.sex)
        assert not check.errors and not check.warnings, (user.full_name, check.errors, check.warnings)
        profile = profile_of(user.cccd)
        assert (profile.id_number, profile.birth_date, profile.sex) == (user.cccd, user.birth_date, user.sex)


@pytest.mark.parametrize(
    "login",
    STAFF_LOGINS + [next(x for x in DEMO_LOGINS if x.cccd == HUE_CCCD)],
    ids=lambda login: f"{login.role}-{login.scope or login.cccd}",
)
def test_chosen_passwords_pass_the_rules_and_log_in(app, seeded, login):
    assert password_problems(login.password, full_name=login.full_name, cccd=login.cccd) == []
    user = db.session.scalar(select(User).where(User.cccd == login.cccd))
    assert user.full_name == login.full_name and not user.must_change_password
    if login.scope:
        assert [(r.role, r.org_unit.code) for r in user.roles] == [(login.role, login.scope)]
    assert profile_of(login.cccd) is not None  # every approver, HR officer and leader is also an employee

    response = post_login(app.test_client(), login.cccd, login.password)
    assert response.status_code == 302
    assert not response.headers["Location"].endswith("/password")
    db.session.expire_all()
    assert db.session.scalar(select(User.last_login_at).where(User.cccd == login.cccd)) is not None


def test_workflow_history_matches_each_state(seeded):
    for profile in db.session.scalars(select(Profile)):
        history = db.session.scalars(
            select(ProfileHistory).where(ProfileHistory.profile_id == profile.id).order_by(ProfileHistory.at)
        ).all()
        actions = [h.action for h in history]
        expected = {"draft": [], "pending": ["submit"], "confirmed": ["submit", "confirm"]}
        assert actions == expected.get(profile.status, ["submit", "reject"]), profile.full_name
        if history:
            assert history[0].actor_id == profile.owner_id
            assert history[-1].to_status == profile.status
        if len(history) == 2:
            approver = db.session.get(User, history[1].actor_id)
            assert approver.id != profile.owner_id and in_role_scope(approver, profile, {"approver"})
        if profile.status == "rejected":
            assert len(history[1].note) > 40  # a real explanation of what to fix
        versions = db.session.scalar(select(func.count()).where(ProfileVersion.profile_id == profile.id))
        assert versions == (1 if profile.status == "confirmed" else 0)


def _codes() -> tuple[dict[str, set[str]], dict[tuple[str, str], set[str]]]:
    by_list: dict[str, set[str]] = {}
    by_kind: dict[tuple[str, str], set[str]] = {}
    for item in db.session.scalars(select(RefItem).where(RefItem.active)):
        by_list.setdefault(item.list_name, set()).add(item.code)
        by_kind.setdefault((item.list_name, item.kind), set()).add(item.code)
    by_list["ranks"] = set(db.session.scalars(select(Rank.code)))
    return by_list, by_kind


def test_coded_values_come_from_the_reference_lists(seeded):
    by_list, by_kind = _codes()
    relation_side = {
        code: kind for (name, kind), codes in by_kind.items() if name == "family_relations" for code in codes
    }

    def check(owner: str, field: Any, value: Any) -> None:
        values = value if isinstance(value, list) else [value]
        allowed = by_kind[(field.ref, field.ref_kind)] if field.ref_kind else by_list[field.ref]
        for v in values:
            if v is not None:
                assert v in allowed, (owner, field.name, v)

    checked = 0
    for profile in db.session.scalars(select(Profile)):
        for section in SECTIONS:
            for field in section.fields:
                if field.ref:
                    check(profile.full_name, field, getattr(profile, field.name))
                    checked += 1
            for table in section.tables:
                for row in getattr(profile, table.name):
                    for field in table.columns:
                        if field.ref:
                            check(profile.full_name, field, getattr(row, field.name))
        for name in ADDRESS_FIELDS:
            province = getattr(profile, f"{name}_province")
            assert province is None or province in by_list["provinces_2025"], (profile.full_name, name)
        for member in profile.family_members:
            assert member.side == relation_side[member.relation], (profile.full_name, member.relation)
        for training in profile.trainings:
            if training.level:
                assert training.level in by_kind[("education_levels", TRAINING_KINDS[training.kind][1])]
            if training.kind != "chuyen_mon":
                assert training.major is None
            if training.kind not in ("chuyen_mon", "ly_luan_chinh_tri"):
                assert training.study_mode is None
            if training.kind != "ngoai_ngu":
                assert training.language is None and training.score is None
    assert checked > 500


def _coefficient(rank_code: str, step: int, on: date) -> Decimal:
    ranks = db.session.scalars(select(Rank).where(Rank.code == rank_code)).all()
    rank = next((r for r in ranks if r.is_valid_on(on)), ranks[0])
    return db.session.scalar(
        select(SalaryStep.coefficient).where(SalaryStep.salary_group == rank.salary_group, SalaryStep.step == step)
    )


def test_salary_and_history_rows_are_consistent(seeded):
    submitted = db.session.scalars(select(Profile).where(Profile.status != "draft")).all()
    assert submitted
    for profile in submitted:
        who = profile.full_name
        if profile.staff_type in ("cong_chuc", "vien_chuc", "can_bo"):
            assert profile.rank_code and profile.salary_step and profile.salary_since, who
        if profile.rank_code:
            assert profile.salary_coefficient == _coefficient(
                profile.rank_code, profile.salary_step, profile.salary_since
            )
            open_rows = [r for r in profile.salary_history if r.to_date is None]
            assert len(open_rows) == 1, who
            assert (open_rows[0].rank_code, open_rows[0].salary_step) == (profile.rank_code, profile.salary_step), who
        for row in profile.salary_history:
            assert row.salary_coefficient == _coefficient(row.rank_code, row.salary_step, row.from_date), who
        periods = [*profile.salary_history, *profile.work_history, *profile.trainings, *profile.allowances]
        for row in periods:
            assert row.from_date and row.from_date_precision in ("year", "month", "day"), who
            assert row.to_date is None or row.to_date >= row.from_date, who
        assert profile.work_history and sum(r.to_date is None for r in profile.work_history) == 1, who
        assert profile.first_recruited_on and profile.main_duties and profile.current_address_legacy, who
        age_at_recruitment = (profile.first_recruited_on - profile.birth_date).days / 365.25
        assert age_at_recruitment >= 18, who
        for member in profile.family_members:
            if member.relation == "con":
                assert member.birth_year - profile.birth_date.year >= 14, who


def test_readme_lists_every_demo_login():
    """The README's login table is what a newcomer types: it must match the seed."""
    from pathlib import Path

    from demo.seed import DEMO_LOGINS

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    for login in DEMO_LOGINS:
        assert f"| {login.cccd} | `{login.password}` |" in readme, login.full_name
