"""II. Lương, phụ cấp: salary history (37.1) and other allowances (37.2)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import BigInteger, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.base import PeriodMixin
from models.sections._child import ProfileChild


class SalaryHistory(ProfileChild, PeriodMixin, db.Model):
    __tablename__ = "salary_history"

    rank_code: Mapped[str | None] = mapped_column(String(20))
    job_position_code: Mapped[str | None] = mapped_column(String(20))
    salary_step: Mapped[int | None] = mapped_column()
    salary_coefficient: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    job_salary_amount: Mapped[int | None] = mapped_column(BigInteger)


ALLOWANCE_BASES = {"he_so": "Theo hệ số", "phan_tram": "Theo phần trăm", "muc_tien": "Theo mức tiền"}


class Allowance(ProfileChild, PeriodMixin, db.Model):
    __tablename__ = "allowances"

    allowance_type: Mapped[str | None] = mapped_column(String(40))
    percent: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    coefficient: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    basis: Mapped[str | None] = mapped_column(String(12))
    amount: Mapped[int | None] = mapped_column(BigInteger)
