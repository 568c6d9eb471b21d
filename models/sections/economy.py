"""X. Hoàn cảnh kinh tế gia đình: houses and land (37.3)."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.sections._child import ProfileChild

HOUSE_ACQUISITIONS = {"duoc_cap_thue": "Được cấp, được thuê", "tu_mua_xay": "Tự mua, tự xây"}
LAND_ACQUISITIONS = {"duoc_cap": "Đất được cấp", "tu_mua": "Đất tự mua"}


class House(ProfileChild, db.Model):
    __tablename__ = "houses"

    acquisition: Mapped[str | None] = mapped_column(String(20))
    house_type: Mapped[str | None] = mapped_column(String(100))
    floor_area_m2: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    ownership_certificate: Mapped[str | None] = mapped_column(String(255))
    address: Mapped[str | None] = mapped_column(String(255))


class Land(ProfileChild, db.Model):
    __tablename__ = "lands"

    acquisition: Mapped[str | None] = mapped_column(String(20))
    area_m2: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    use_certificate: Mapped[str | None] = mapped_column(String(255))
    address: Mapped[str | None] = mapped_column(String(255))
