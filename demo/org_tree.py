"""The demo organisation tree: Hà Nội → Gia Lâm (the district of the 2023 campaign) and Ba Đình."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.org import OrgUnit, add_unit


@dataclass(frozen=True)
class UnitSpec:
    code: str
    name: str
    kind: str
    parent: str | None
    # How the unit is written in free-text fields (work history, recruiting agency): with its district.
    long_name: str


DEMO_UNITS: tuple[UnitSpec, ...] = (
    UnitSpec("HN", "UBND Thành phố Hà Nội", "co_quan", None, "UBND Thành phố Hà Nội"),
    UnitSpec("GL", "UBND huyện Gia Lâm", "co_quan", "HN", "UBND huyện Gia Lâm, TP Hà Nội"),
    UnitSpec("GL-NV", "Phòng Nội vụ", "phong_ban", "GL", "Phòng Nội vụ huyện Gia Lâm, TP Hà Nội"),
    UnitSpec(
        "GL-TCKH",
        "Phòng Tài chính – Kế hoạch",
        "phong_ban",
        "GL",
        "Phòng Tài chính – Kế hoạch huyện Gia Lâm, TP Hà Nội",
    ),
    UnitSpec("GL-VP", "Văn phòng HĐND và UBND", "phong_ban", "GL", "Văn phòng HĐND và UBND huyện Gia Lâm, TP Hà Nội"),
    UnitSpec(
        "GL-GDDT",
        "Phòng Giáo dục và Đào tạo",
        "phong_ban",
        "GL",
        "Phòng Giáo dục và Đào tạo huyện Gia Lâm, TP Hà Nội",
    ),
    UnitSpec("GL-BT", "UBND xã Bát Tràng", "xa", "GL", "UBND xã Bát Tràng, huyện Gia Lâm, TP Hà Nội"),
    UnitSpec("GL-TQ", "UBND thị trấn Trâu Quỳ", "xa", "GL", "UBND thị trấn Trâu Quỳ, huyện Gia Lâm, TP Hà Nội"),
    UnitSpec("GL-CB", "UBND xã Cổ Bi", "xa", "GL", "UBND xã Cổ Bi, huyện Gia Lâm, TP Hà Nội"),
    UnitSpec("GL-THCS-CB", "Trường THCS Cổ Bi", "truong", "GL", "Trường THCS Cổ Bi, huyện Gia Lâm, TP Hà Nội"),
    UnitSpec(
        "GL-MN-HS",
        "Trường Mầm non Hoa Sữa",
        "truong",
        "GL",
        "Trường Mầm non Hoa Sữa, huyện Gia Lâm, TP Hà Nội",
    ),
    UnitSpec("BD", "UBND quận Ba Đình", "co_quan", "HN", "UBND quận Ba Đình, TP Hà Nội"),
    UnitSpec("BD-NV", "Phòng Nội vụ quận Ba Đình", "phong_ban", "BD", "Phòng Nội vụ quận Ba Đình, TP Hà Nội"),
    UnitSpec("BD-NH", "UBND phường Ngọc Hà", "xa", "BD", "UBND phường Ngọc Hà, quận Ba Đình, TP Hà Nội"),
)

UNIT_SPECS = {spec.code: spec for spec in DEMO_UNITS}


def ensure_org_tree(session: Session) -> tuple[dict[str, OrgUnit], int]:
    """Units by code, creating the missing ones (parents first); existing units are left untouched."""
    codes = [spec.code for spec in DEMO_UNITS]
    units = {u.code: u for u in session.scalars(select(OrgUnit).where(OrgUnit.code.in_(codes)))}
    created = 0
    for spec in DEMO_UNITS:  # listed parents first
        if spec.code not in units:
            parent = units[spec.parent] if spec.parent else None
            units[spec.code] = add_unit(session, code=spec.code, name=spec.name, kind=spec.kind, parent=parent)
            created += 1
    return units, created


def managing_agency(unit: OrgUnit) -> OrgUnit:
    """The unit itself when it is a cơ quan, else its nearest cơ quan ancestor (SECTIONS.md I, default)."""
    current: OrgUnit | None = unit
    while current is not None:
        if current.kind == "co_quan":
            return current
        current = current.parent
    return unit
