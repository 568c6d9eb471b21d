"""The profile (hồ sơ): every single-value field of sections I–XI, one row per employee.

One wide row keeps the print snapshot and the section views to one query; repeating tables live
in models/sections/. Field ids follow SECTIONS.md. The workflow status is written only by
models.workflow.transition.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import JSON, BigInteger, Date, DateTime, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from extensions import db
from models.base import TimestampMixin, pdate_property
from models.org import OrgUnit
from models.text import clean_text, search_key

if TYPE_CHECKING:
    from models.sections.assessment import AnnualResult
    from models.sections.economy import House, Land
    from models.sections.education import Training
    from models.sections.employment import ConcurrentPosition, WorkHistory
    from models.sections.family import FamilyMember
    from models.sections.party import OrgActivity, PartyConcurrentPosition
    from models.sections.personal_history import ForeignOrganization, OldRegimeWork
    from models.sections.rewards import Discipline, StateTitle
    from models.sections.salary import Allowance, SalaryHistory
    from models.user import User

STATUS_LABELS = {
    "draft": "Đang cập nhật",
    "pending": "Chờ xác nhận",
    "rejected": "Từ chối",
    "confirmed": "Xác nhận",
}

SEX_LABELS = {"nam": "Nam", "nu": "Nữ"}

ADDRESS_FIELDS = ("birth_place", "hometown", "current_address", "permanent_address")


def _children(target: str, order: str = "sort_order") -> Mapped:  # type: ignore[type-arg]
    return relationship(
        target,
        back_populates="profile",
        cascade="all, delete-orphan",
        order_by=f"{target}.{order}",
    )


class Profile(TimestampMixin, db.Model):
    __tablename__ = "profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    version_id: Mapped[int] = mapped_column(default=1)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # I. Thông tin công tác
    staff_type: Mapped[str | None] = mapped_column(String(40))
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    managing_agency_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    staff_number: Mapped[str | None] = mapped_column(String(20))
    bnv_identifier: Mapped[str | None] = mapped_column(String(30))
    photo_path: Mapped[str | None] = mapped_column(String(255))

    # I. Thông tin cá nhân
    full_name: Mapped[str] = mapped_column(String(100), default="")
    full_name_search: Mapped[str] = mapped_column(String(100), default="")
    sex: Mapped[str | None] = mapped_column(String(3))
    other_names: Mapped[str | None] = mapped_column(String(255))
    birth_date: Mapped[date | None] = mapped_column(Date)
    birth_place_province: Mapped[str | None] = mapped_column(String(2))
    birth_place_commune: Mapped[str | None] = mapped_column(String(100))
    birth_place_detail: Mapped[str | None] = mapped_column(String(255))
    birth_place_legacy: Mapped[str | None] = mapped_column(String(255))
    hometown_province: Mapped[str | None] = mapped_column(String(2))
    hometown_commune: Mapped[str | None] = mapped_column(String(100))
    hometown_detail: Mapped[str | None] = mapped_column(String(255))
    hometown_legacy: Mapped[str | None] = mapped_column(String(255))
    ethnicity: Mapped[str | None] = mapped_column(String(4))
    religion: Mapped[str | None] = mapped_column(String(4))
    id_number: Mapped[str | None] = mapped_column(String(12), index=True)
    id_issued_on: Mapped[date | None] = mapped_column(Date)
    id_issued_by: Mapped[str | None] = mapped_column(String(255))
    phone: Mapped[str | None] = mapped_column(String(15))
    email: Mapped[str | None] = mapped_column(String(254))
    social_insurance_number: Mapped[str | None] = mapped_column(String(10))
    health_insurance_number: Mapped[str | None] = mapped_column(String(15))
    current_address_province: Mapped[str | None] = mapped_column(String(2))
    current_address_commune: Mapped[str | None] = mapped_column(String(100))
    current_address_detail: Mapped[str | None] = mapped_column(String(255))
    current_address_legacy: Mapped[str | None] = mapped_column(String(255))
    permanent_address_province: Mapped[str | None] = mapped_column(String(2))
    permanent_address_commune: Mapped[str | None] = mapped_column(String(100))
    permanent_address_detail: Mapped[str | None] = mapped_column(String(255))
    permanent_address_legacy: Mapped[str | None] = mapped_column(String(255))
    policy_groups: Mapped[list[str]] = mapped_column(JSON, default=list)

    # II. Lương, phụ cấp
    rank_code: Mapped[str | None] = mapped_column(String(20), index=True)
    rank_appointed_on: Mapped[date | None] = mapped_column(Date)
    salary_step: Mapped[int | None] = mapped_column()
    salary_coefficient: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    salary_since: Mapped[date | None] = mapped_column(Date)
    salary_percent: Mapped[int | None] = mapped_column()
    seniority_allowance_percent: Mapped[int | None] = mapped_column()
    seniority_allowance_since: Mapped[date | None] = mapped_column(Date)
    position_allowance: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    concurrent_allowance_percent: Mapped[int | None] = mapped_column()
    other_allowances: Mapped[str | None] = mapped_column(String(255))
    job_position: Mapped[str | None] = mapped_column(String(255))
    job_position_code: Mapped[str | None] = mapped_column(String(20))
    job_salary_step: Mapped[int | None] = mapped_column()
    job_salary_amount: Mapped[int | None] = mapped_column(BigInteger)
    job_salary_since: Mapped[date | None] = mapped_column(Date)
    job_salary_percent: Mapped[int | None] = mapped_column()
    job_seniority_percent: Mapped[int | None] = mapped_column()
    job_seniority_since: Mapped[date | None] = mapped_column(Date)

    # IV. Trình độ
    general_education: Mapped[str | None] = mapped_column(String(40))
    highest_qualification: Mapped[str | None] = mapped_column(String(40))
    highest_qualification_major: Mapped[str | None] = mapped_column(String(255))
    academic_title: Mapped[str | None] = mapped_column(String(40))
    academic_title_year: Mapped[int | None] = mapped_column()

    # V. Tuyển dụng, quá trình công tác
    family_background: Mapped[str | None] = mapped_column(String(40))
    occupation_before_recruitment: Mapped[str | None] = mapped_column(String(255))
    first_recruited_on: Mapped[date | None] = mapped_column(Date)
    first_recruiting_agency: Mapped[str | None] = mapped_column(String(255))
    joined_current_agency_on: Mapped[date | None] = mapped_column(Date)
    employment_kind: Mapped[str | None] = mapped_column(String(40))
    current_position: Mapped[str | None] = mapped_column(String(40))
    current_position_title: Mapped[str | None] = mapped_column(String(255))
    position_appointed_on: Mapped[date | None] = mapped_column(Date)
    position_reappointed_on: Mapped[date | None] = mapped_column(Date)
    planned_positions: Mapped[str | None] = mapped_column(String(255))
    main_duties: Mapped[str | None] = mapped_column(Text)
    work_strengths: Mapped[str | None] = mapped_column(String(255))
    longest_job: Mapped[str | None] = mapped_column(String(255))

    # VII. Đánh giá (item 38: approver / hr only)
    agency_assessment: Mapped[str | None] = mapped_column(Text)

    # VIII. Đảng, Đoàn
    is_party_member: Mapped[bool] = mapped_column(default=False)
    party_joined_on: Mapped[date | None] = mapped_column(Date)
    party_official_on: Mapped[date | None] = mapped_column(Date)
    party_card_number: Mapped[str | None] = mapped_column(String(20))
    party_card_issued_on: Mapped[date | None] = mapped_column(Date)
    party_cell: Mapped[str | None] = mapped_column(String(255))
    party_position: Mapped[str | None] = mapped_column(String(40))
    party_position_title: Mapped[str | None] = mapped_column(String(255))
    first_org_joined_on: Mapped[date | None] = mapped_column(Date)
    first_org: Mapped[str | None] = mapped_column(String(40))

    # IX. Lịch sử bản thân
    arrest_history: Mapped[str | None] = mapped_column(Text)
    goals: Mapped[str | None] = mapped_column(Text)
    hobbies: Mapped[str | None] = mapped_column(Text)

    # X. Kinh tế gia đình
    salary_income: Mapped[int | None] = mapped_column(BigInteger)
    other_income: Mapped[str | None] = mapped_column(String(255))
    production_land: Mapped[str | None] = mapped_column(String(255))

    # XI. Thông tin khác
    health_status: Mapped[str | None] = mapped_column(String(100))
    height_cm: Mapped[int | None] = mapped_column()
    weight_kg: Mapped[int | None] = mapped_column()
    blood_group: Mapped[str | None] = mapped_column(String(4))
    enlisted_on: Mapped[date | None] = mapped_column(Date)
    enlisted_on_precision: Mapped[str | None] = mapped_column(String(5))
    discharged_on: Mapped[date | None] = mapped_column(Date)
    discharged_on_precision: Mapped[str | None] = mapped_column(String(5))
    highest_military_rank: Mapped[str | None] = mapped_column(String(40))
    other_notes: Mapped[str | None] = mapped_column(Text)

    enlisted_period = pdate_property("enlisted_on")
    discharged_period = pdate_property("discharged_on")

    owner: Mapped[User] = relationship(foreign_keys=[owner_id])
    org_unit: Mapped[OrgUnit] = relationship(foreign_keys=[org_unit_id])
    managing_agency: Mapped[OrgUnit | None] = relationship(foreign_keys=[managing_agency_id])

    salary_history: Mapped[list[SalaryHistory]] = _children("SalaryHistory")
    allowances: Mapped[list[Allowance]] = _children("Allowance")
    family_members: Mapped[list[FamilyMember]] = _children("FamilyMember")
    trainings: Mapped[list[Training]] = _children("Training")
    concurrent_positions: Mapped[list[ConcurrentPosition]] = _children("ConcurrentPosition")
    work_history: Mapped[list[WorkHistory]] = _children("WorkHistory")
    state_titles: Mapped[list[StateTitle]] = _children("StateTitle")
    disciplines: Mapped[list[Discipline]] = _children("Discipline")
    annual_results: Mapped[list[AnnualResult]] = _children("AnnualResult", order="year")
    party_concurrent_positions: Mapped[list[PartyConcurrentPosition]] = _children("PartyConcurrentPosition")
    org_activities: Mapped[list[OrgActivity]] = _children("OrgActivity")
    old_regime_work: Mapped[list[OldRegimeWork]] = _children("OldRegimeWork")
    foreign_organizations: Mapped[list[ForeignOrganization]] = _children("ForeignOrganization")
    houses: Mapped[list[House]] = _children("House")
    lands: Mapped[list[Land]] = _children("Land")

    __mapper_args__ = {"version_id_col": version_id}
    __table_args__ = (
        Index("ix_profile_org_unit_status", "org_unit_id", "status"),
        Index("ix_profile_status", "status"),
        Index("ix_profile_full_name_search", "full_name_search"),
        Index("ix_profile_updated_at", "updated_at"),
    )

    @validates("full_name")
    def _normalise_name(self, _key: str, value: str | None) -> str:
        value = clean_text(value) or ""
        self.full_name_search = search_key(value)
        return value

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    def __str__(self) -> str:
        return self.full_name
