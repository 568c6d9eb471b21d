"""II. Lương, phụ cấp for the demo employees: salary steps from the recruitment date, as Nghị định
204/2004/NĐ-CP raises them, and the allowances that go with the staff type and the position."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from demo.common import AS_OF, Refs, add_months, month_text, period
from demo.people import Person
from models.profile import Profile
from models.sections import Allowance, SalaryHistory

BASE_SALARY = 2_340_000  # mức lương cơ sở from 01/7/2024 (Nghị định 73/2024/NĐ-CP)
POSITION_ALLOWANCE = {  # (position, unit kind) -> hệ số phụ cấp chức vụ (Hà Nội, cấp huyện / cấp xã)
    ("chu_tich_ubnd", "co_quan"): Decimal("0.90"),
    ("pho_chu_tich_ubnd", "co_quan"): Decimal("0.80"),
    ("chu_tich_ubnd", "xa"): Decimal("0.25"),
    ("pho_chu_tich_ubnd", "xa"): Decimal("0.20"),
    ("truong_phong", "phong_ban"): Decimal("0.40"),
    ("pho_truong_phong", "phong_ban"): Decimal("0.30"),
    ("hieu_truong", "truong"): Decimal("0.45"),
}


@dataclass(frozen=True)
class SalaryStepRow:
    rank_code: str
    step: int
    coefficient: Decimal
    since: date


def salary_schedule(refs: Refs, person: Person) -> list[SalaryStepRow]:
    """Every salary step from recruitment to AS_OF: one step per interval of the rank's group (NĐ 204/2004).

    A promotion moves to the lowest step of the new rank whose coefficient is not below the old one.
    """
    assert person.rank is not None
    start = date(person.recruited.year, person.recruited.month, 1)
    if person.promoted:
        old_code, promoted_on = person.promoted
        segments: list[tuple[str, date, date | None]] = [
            (old_code, start, promoted_on),
            (person.rank, promoted_on, None),
        ]
    else:
        segments = [(person.rank, start, None)]
    rows: list[SalaryStepRow] = []
    for code, seg_start, seg_end in segments:
        rank = refs.rank(code, seg_start)
        step = 1
        if rows:
            step = next(
                (s for s in range(1, rank.steps + 1) if refs.coefficient(rank.salary_group, s) >= rows[-1].coefficient),
                rank.steps,
            )
        since = seg_start
        while True:
            rows.append(SalaryStepRow(code, step, refs.coefficient(rank.salary_group, step), since))
            following = add_months(since, rank.step_months)
            ends_segment = following >= seg_end if seg_end else following > AS_OF
            if step >= rank.steps or ends_segment:
                break
            step, since = step + 1, following
    return rows


def fill_salary(profile: Profile, person: Person, refs: Refs, unit_kind: str) -> list[SalaryStepRow]:
    """30.1 and 30.2 from the salary schedule; returns the schedule for the history table."""
    if person.rank is None:
        return []
    schedule = salary_schedule(refs, person)
    current = schedule[-1]
    profile.rank_code = refs.rank(current.rank_code, current.since).code
    profile.rank_appointed_on = person.promoted[1] if person.promoted else add_months(person.recruited, 12)
    profile.salary_step = current.step
    profile.salary_coefficient = current.coefficient
    profile.salary_since = current.since
    profile.salary_percent = 100
    if person.position:
        profile.position_allowance = POSITION_ALLOWANCE.get((person.position, unit_kind))
    if person.staff_type == "vien_chuc":
        profile.other_allowances = f"Phụ cấp ưu đãi nghề {teacher_bonus(person)}%"
    elif person.staff_type in ("cong_chuc", "can_bo"):
        profile.other_allowances = "Phụ cấp công vụ 25%"
    return schedule


def teacher_bonus(person: Person) -> int:
    return 35 if person.unit.startswith("GL-MN") else 30


def yearly_income(profile: Profile) -> int | None:
    if profile.salary_coefficient is None:
        return None
    coefficient = profile.salary_coefficient + (profile.position_allowance or Decimal(0))
    return int(round(float(coefficient) * BASE_SALARY * 12 * 1.25, -6))


def add_allowances(profile: Profile, person: Person, refs: Refs) -> None:
    if person.staff_type == "vien_chuc":
        start = month_text(person.recruited)
        profile.allowances.append(
            Allowance(
                allowance_type=refs.code("allowance_types", "uu_dai_nghe"),
                basis="phan_tram",
                percent=Decimal(teacher_bonus(person)),
                **period(start),
            )
        )
    elif person.staff_type in ("cong_chuc", "can_bo"):
        start = month_text(max(person.recruited, date(2012, 5, 1)))  # 25% since Nghị định 34/2012/NĐ-CP
        profile.allowances.append(
            Allowance(
                allowance_type=refs.code("allowance_types", "cong_vu"),
                basis="phan_tram",
                percent=Decimal(25),
                **period(start),
            )
        )
    if profile.position_allowance and person.appointed:
        profile.allowances.append(
            Allowance(
                sort_order=1,
                allowance_type=refs.code("allowance_types", "chuc_vu"),
                basis="he_so",
                coefficient=profile.position_allowance,
                **period(month_text(person.appointed)),
            )
        )


def add_salary_history(profile: Profile, schedule: list[SalaryStepRow]) -> None:
    """37.1: one row per step; each row ends the month before the next begins, the last stays open."""
    for i, row in enumerate(schedule):
        end = month_text(add_months(schedule[i + 1].since, -1)) if i + 1 < len(schedule) else None
        profile.salary_history.append(
            SalaryHistory(
                sort_order=i,
                rank_code=row.rank_code,
                salary_step=row.step,
                salary_coefficient=row.coefficient,
                **period(month_text(row.since), end),
            )
        )
