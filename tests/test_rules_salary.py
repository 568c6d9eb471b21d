"""II. Thông tin lương, phụ cấp: 30.1–30.3 against the salary table, salary history and allowances."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from models.profile import Profile
from models.sections import Allowance, SalaryHistory
from tests.rule_mutations import Mutation, add, row, set_
from tests.test_rules import assert_flips, period, run, valid_profile


def at_last_step(p: Profile) -> None:
    """Chuyên viên (A1) at step 9 of 9, history updated to match."""
    p.salary_step, p.salary_coefficient = 9, Decimal("4.98")
    p.salary_history[2].salary_step, p.salary_history[2].salary_coefficient = 9, Decimal("4.98")


def then(*mutations: Mutation) -> Mutation:
    def mutate(p: Profile) -> None:
        for m in mutations:
            m(p)

    return mutate


@pytest.mark.parametrize(
    ("mutate", "field", "level"),
    [
        # rank_code required for CC/VC only
        (set_(rank_code=None), "rank_code", "missing"),
        (set_(rank_code="99.999"), "rank_code", "error"),
        # step, coefficient, since required with a rank
        (set_(salary_step=None), "salary_step", "missing"),
        (set_(salary_coefficient=None), "salary_coefficient", "missing"),
        (set_(salary_since=None), "salary_since", "missing"),
        # step within 1..steps of the group; coefficient from the table
        (set_(salary_step=10), "salary_step", "error"),
        (set_(salary_step=0), "salary_step", "error"),
        (set_(salary_coefficient=Decimal("3.01")), "salary_coefficient", "error"),
        # percent ranges
        (set_(salary_percent=0), "salary_percent", "error"),
        (set_(salary_percent=101), "salary_percent", "error"),
        (set_(concurrent_allowance_percent=0), "concurrent_allowance_percent", "error"),
        (set_(concurrent_allowance_percent=120), "concurrent_allowance_percent", "error"),
        (set_(position_allowance=Decimal("0")), "position_allowance", "error"),
        (set_(position_allowance=Decimal("1.31")), "position_allowance", "error"),
        # seniority allowance: ≥ 5, only at the last step, needs its date ≥ salary_since
        (
            set_(seniority_allowance_percent=5, seniority_allowance_since=date(2023, 1, 1)),
            "seniority_allowance_percent",
            "error",
        ),
        (
            then(at_last_step, set_(seniority_allowance_percent=4, seniority_allowance_since=date(2023, 1, 1))),
            "seniority_allowance_percent",
            "error",
        ),
        (then(at_last_step, set_(seniority_allowance_percent=5)), "seniority_allowance_since", "missing"),
        (
            then(at_last_step, set_(seniority_allowance_percent=5, seniority_allowance_since=date(2021, 12, 31))),
            "seniority_allowance_since",
            "error",
        ),
        # rank appointed before first recruitment
        (set_(rank_appointed_on=date(2007, 12, 31)), "rank_appointed_on", "warning"),
        # 30.3
        (set_(job_salary_amount=12_000_000), "job_salary_since", "missing"),
        (set_(job_salary_amount=-1, job_salary_since=date(2024, 7, 1)), "job_salary_amount", "error"),
        (set_(job_salary_step=0), "job_salary_step", "error"),
        (set_(job_salary_percent=101), "job_salary_percent", "error"),
        (set_(job_seniority_percent=5), "job_seniority_since", "missing"),
        (set_(job_seniority_percent=3, job_seniority_since=date(2024, 7, 1)), "job_seniority_percent", "error"),
        (
            set_(job_salary_since=date(2024, 7, 1), job_seniority_percent=5, job_seniority_since=date(2024, 6, 30)),
            "job_seniority_since",
            "error",
        ),
        (set_(job_position_code="x" * 21), "job_position_code", "error"),
        # salary history rows
        (row("salary_history", 0, rank_code=None), "salary_history[0].rank_code", "missing"),
        (row("salary_history", 0, rank_code="99.999"), "salary_history[0].rank_code", "error"),
        (row("salary_history", 0, salary_step=None), "salary_history[0].salary_step", "missing"),
        (row("salary_history", 0, salary_coefficient=None), "salary_history[0].salary_coefficient", "missing"),
        (row("salary_history", 0, salary_coefficient=Decimal("2.40")), "salary_history[0].salary_coefficient", "error"),
        (row("salary_history", 1, salary_step=12), "salary_history[1].salary_step", "error"),
        (row("salary_history", 0, from_date=None, from_date_precision=None), "salary_history[0].from_date", "missing"),
        (
            row("salary_history", 1, to_date=date(2022, 6, 1), to_date_precision="month"),
            "salary_history[2].from_date",
            "warning",
        ),
        (
            row("salary_history", 2, salary_step=2, salary_coefficient=Decimal("2.67")),
            "salary_history[2].rank_code",
            "warning",
        ),
        # allowances
        (row("allowances", 0, percent=None), "allowances[0].percent", "missing"),
        (row("allowances", 0, percent=None, basis="he_so"), "allowances[0].coefficient", "missing"),
        (row("allowances", 0, percent=Decimal("101")), "allowances[0].percent", "error"),
        (row("allowances", 0, allowance_type=None), "allowances[0].allowance_type", "missing"),
        (row("allowances", 0, allowance_type="an_trua"), "allowances[0].allowance_type", "error"),
        (row("allowances", 0, basis="theo_ngay"), "allowances[0].basis", "error"),
        (row("allowances", 0, from_date=None), "allowances[0].from_date", "missing"),
    ],
)
def test_salary_rules(mutate: Mutation, field: str, level: str) -> None:
    assert_flips(mutate, field, level, section="salary")


def test_at_most_one_open_row() -> None:
    profile = valid_profile()
    profile.salary_history[1].to_date = profile.salary_history[1].to_date_precision = None
    issues = [(i.field, i.level) for i in run(profile).issues]
    assert issues == [("salary_history[2].from_date", "warning"), ("salary_history[2].to_date", "error")]


def test_rank_not_required_for_other_staff_types() -> None:
    profile = valid_profile()
    profile.staff_type = "nguoi_lao_dong"
    profile.rank_code = profile.salary_step = profile.salary_coefficient = profile.salary_since = None
    profile.salary_history = [SalaryHistory(**period("2008"), job_position_code="VTVL-01", job_salary_amount=9_000_000)]
    assert run(profile).issues == []


def test_rank_required_for_commune_civil_servant() -> None:
    assert_flips(set_(staff_type="cong_chuc_cap_xa", rank_code=None), "rank_code", "missing")


def test_seniority_allowance_at_last_step_passes() -> None:
    profile = valid_profile()
    at_last_step(profile)
    profile.seniority_allowance_percent = 7
    profile.seniority_allowance_since = date(2023, 1, 1)
    assert run(profile).issues == []


def test_reclassified_rank_uses_the_row_valid_at_each_date() -> None:
    """01.004 Cán sự was group B until 31/07/2021 and A0 from 01/08/2021 (Thông tư 02/2021/TT-BNV)."""
    profile = valid_profile()
    profile.rank_code, profile.salary_step, profile.salary_coefficient = "01.004", 2, Decimal("2.41")
    profile.salary_since = date(2022, 1, 1)
    profile.salary_history = [
        SalaryHistory(
            **period("01/2008", "12/2019"), rank_code="01.004", salary_step=5, salary_coefficient=Decimal("2.66")
        ),
        SalaryHistory(
            **period("01/2020", "07/2021"), rank_code="01.004", salary_step=6, salary_coefficient=Decimal("2.86")
        ),
        SalaryHistory(
            **period("08/2021", "12/2021"), rank_code="01.004", salary_step=1, salary_coefficient=Decimal("2.10")
        ),
        SalaryHistory(**period("01/2022"), rank_code="01.004", salary_step=2, salary_coefficient=Decimal("2.41")),
    ]
    assert run(profile).issues == []
    profile.salary_history[0].salary_coefficient = Decimal("2.10")  # A0's table applied too early
    assert [(i.field, i.level) for i in run(profile).issues] == [("salary_history[0].salary_coefficient", "error")]


def test_rows_before_the_2004_table_are_free() -> None:
    profile = valid_profile()
    profile.salary_history.insert(
        0,
        SalaryHistory(
            **period("2004", "09/2004"), rank_code="01.003", salary_step=2, salary_coefficient=Decimal("1.99")
        ),
    )
    profile.first_recruited_on = date(2004, 3, 1)
    assert run(profile).issues == []


def test_old_rank_code_in_history_is_accepted() -> None:
    """V.07.04.12 ended on 19/03/2021; its rows stay valid, checked against its own group (A0)."""
    profile = valid_profile()
    profile.salary_history.insert(
        0,
        SalaryHistory(
            **period("2005", "2007"), rank_code="V.07.04.12", salary_step=1, salary_coefficient=Decimal("2.10")
        ),
    )
    profile.salary_history[1].from_date = date(2008, 1, 1)
    profile.first_recruited_on = date(2005, 1, 1)
    assert run(profile).issues == []


def test_expired_current_rank_is_a_warning() -> None:
    profile = valid_profile()
    profile.rank_code, profile.salary_step, profile.salary_coefficient = "V.07.04.12", 1, Decimal("2.10")
    profile.salary_since = date(2020, 1, 1)
    profile.salary_history[2].rank_code = "V.07.04.12"
    profile.salary_history[2].salary_step, profile.salary_history[2].salary_coefficient = 1, Decimal("2.10")
    assert [(i.field, i.level) for i in run(profile).issues] == [("rank_code", "warning")]


def test_touching_periods_do_not_overlap() -> None:
    profile = valid_profile()
    profile.salary_history[0].to_date, profile.salary_history[0].to_date_precision = date(2011, 1, 1), "year"
    assert run(profile).issues == []


def test_allowance_amount_alone_is_enough() -> None:
    profile = valid_profile()
    profile.allowances.append(Allowance(**period("2020"), allowance_type="khac", amount=500_000, basis="muc_tien"))
    assert run(profile).issues == []


def test_allowance_without_value_uses_the_type_basis() -> None:
    issue = assert_flips(
        add("allowances", Allowance(**period("2020"), allowance_type="khu_vuc")), "allowances[1].coefficient", "missing"
    )
    assert issue.message == "Chưa nhập Phần trăm hưởng, Hệ số hoặc Giá trị (đồng)."
