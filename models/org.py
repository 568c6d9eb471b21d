"""Organisation units as a tree with a materialised path, so a subtree is one indexed prefix query."""

from __future__ import annotations

from sqlalchemy import ColumnElement, ForeignKey, Index, Select, String, and_, false, or_, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from extensions import db
from models.base import TimestampMixin

# Byte order on PostgreSQL whatever the database's default collation, for the prefix range below.
_PATH_TYPE = String(500).with_variant(String(500, collation="C"), "postgresql")

UNIT_KINDS = {
    "co_quan": "Cơ quan",
    "phong_ban": "Phòng ban",
    "xa": "Xã/Phường/Thị trấn",
    "truong": "Trường học",
    "don_vi_su_nghiep": "Đơn vị sự nghiệp",
}


class OrgUnit(TimestampMixin, db.Model):
    __tablename__ = "org_unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    kind: Mapped[str] = mapped_column(String(20), default="co_quan")
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    # "/1/5/12/": ids from the root down to this unit, each followed by "/".
    path: Mapped[str] = mapped_column(_PATH_TYPE, default="")
    active: Mapped[bool] = mapped_column(default=True)

    parent: Mapped[OrgUnit | None] = relationship(remote_side=[id])

    __table_args__ = (Index("ix_org_unit_path", "path"),)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def __str__(self) -> str:
        return self.name


def add_unit(session: Session, *, code: str, name: str, kind: str, parent: OrgUnit | None) -> OrgUnit:
    """Create a unit and set its path; the id is needed for the path, hence the flush."""
    unit = OrgUnit(code=code, name=name, kind=kind, parent=parent)
    session.add(unit)
    session.flush()
    unit.path = f"{parent.path if parent else '/'}{unit.id}/"
    return unit


def in_subtree(path: str) -> ColumnElement[bool]:
    """Every path that starts with `path`, as a range a plain B-tree index serves on both databases.

    Paths hold only '/' and digits, all below '~' in byte order, so [path, path + '~') is exactly the
    set of paths with that prefix (the column is byte-ordered: collation "C" on PostgreSQL).
    """
    return and_(OrgUnit.path >= path, OrgUnit.path < path + "~")


def subtree_ids(*paths: str) -> Select[tuple[int]]:
    """SELECT of the ids of every unit in the given subtrees (a user may hold roles on several)."""
    if not paths:
        return select(OrgUnit.id).where(false())
    return select(OrgUnit.id).where(or_(*(in_subtree(p) for p in paths)))
