"""IV. Trình độ đào tạo: one trainings table, routed to 32.1–32.6 by `kind`."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.base import PeriodMixin
from models.sections._child import ProfileChild

# kind -> (printed title, education_levels kind of `level`)
TRAINING_KINDS = {
    "chuyen_mon": (
        "32.1- Chuyên môn (từ trung cấp trở lên cả trong nước và nước ngoài)",
        "chuyen_mon",
    ),
    "ly_luan_chinh_tri": ("32.2- Lý luận chính trị", "ly_luan_chinh_tri"),
    "boi_duong": (
        "32.3- Bồi dưỡng quản lý nhà nước/ chức danh nghề nghiệp/ nghiệp vụ chuyên ngành",
        "quan_ly_nha_nuoc",
    ),
    "quoc_phong_an_ninh": ("32.4- Bồi dưỡng kiến thức an ninh, quốc phòng", "quoc_phong_an_ninh"),
    "tin_hoc": ("32.5- Tin học", "tin_hoc"),
    "ngoai_ngu": ("32.6- Ngoại ngữ/ tiếng dân tộc", "ngoai_ngu"),
}


class Training(ProfileChild, PeriodMixin, db.Model):
    __tablename__ = "trainings"

    kind: Mapped[str] = mapped_column(String(20))
    institution: Mapped[str | None] = mapped_column(String(255))
    major: Mapped[str | None] = mapped_column(String(255))
    study_mode: Mapped[str | None] = mapped_column(String(40))
    level: Mapped[str | None] = mapped_column(String(40))
    certificate: Mapped[str | None] = mapped_column(String(255))
    language: Mapped[str | None] = mapped_column(String(20))
    score: Mapped[str | None] = mapped_column(String(20))
