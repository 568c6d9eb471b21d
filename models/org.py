"""Organisation units as a tree with a materialised path, so a subtree is one indexed prefix query."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    ForeignKey,
    Index,
    Select,
    String,
    and_,
    case,
    false,
    func,
    inspect,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, scoped_session

from extensions import db
from models.base import TimestampMixin
from models.text import clean_text

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


class OrgTreeError(ValueError):
    """A change the tree cannot take (a cycle, an empty name…); the message is Vietnamese, for the user."""


MAX_UNIT_NAME_LENGTH = 255


def rename_unit(unit: OrgUnit, name: str) -> str:
    """Set the cleaned name and return the previous one (for the audit log); the caller commits."""
    cleaned = clean_text(name)
    if not cleaned:
        raise OrgTreeError("Nhập tên đơn vị.")
    if len(cleaned) > MAX_UNIT_NAME_LENGTH:
        raise OrgTreeError(f"Tên đơn vị tối đa {MAX_UNIT_NAME_LENGTH} ký tự.")
    old = unit.name
    unit.name = cleaned
    return old


def _serialise_tree_changes(session: Session | scoped_session[Any]) -> None:
    """On PostgreSQL, one tree change at a time: two concurrent moves could otherwise each pass the
    cycle check against paths the other is rewriting. Released at commit/rollback. SQLite already
    allows one writer only (a stale read then fails on write instead of corrupting the paths)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(hashtext('org_unit_tree'))"))


def move_unit(session: Session | scoped_session[Any], unit: OrgUnit, new_parent: OrgUnit) -> tuple[str, str]:
    """Put `unit` (with its whole subtree) under `new_parent`; returns (old path, new path).

    Every path of the subtree starts with the unit's path, so the move is ONE UPDATE that swaps
    that prefix for the new one (and sets the unit's parent in the same statement): subtree
    queries see either the old tree or the new one, never a half-moved subtree. Refuses a move
    under the unit itself or one of its descendants, which would cut the subtree off the tree.
    The caller commits.
    """
    _serialise_tree_changes(session)
    # Paths as they are now, after the lock: another move may have committed since they were loaded.
    session.refresh(unit, ["path", "parent_id"])
    session.refresh(new_parent, ["path"])
    old_prefix = unit.path
    if new_parent.path.startswith(old_prefix):
        raise OrgTreeError("Không thể chuyển đơn vị vào chính nó hoặc vào một đơn vị cấp dưới của nó.")
    if unit.parent_id == new_parent.id:
        raise OrgTreeError(f"Đơn vị đã trực thuộc «{new_parent.name}».")
    new_prefix = f"{new_parent.path}{unit.id}/"
    longest = session.scalar(select(func.max(func.length(OrgUnit.path))).where(in_subtree(old_prefix))) or 0
    if longest - len(old_prefix) + len(new_prefix) > _PATH_TYPE.length:  # type: ignore[operator]
        raise OrgTreeError("Cây đơn vị sẽ quá sâu nếu chuyển đơn vị vào đây.")
    session.flush()
    session.execute(
        update(OrgUnit)
        .where(in_subtree(old_prefix))
        .values(
            path=literal(new_prefix, String()) + func.substr(OrgUnit.path, len(old_prefix) + 1),
            parent_id=case((OrgUnit.id == unit.id, new_parent.id), else_=OrgUnit.parent_id),
        )
        .execution_options(synchronize_session=False)
    )
    # The UPDATE bypassed the identity map: loaded units of the subtree must re-read path and parent.
    for loaded in list(session.identity_map.values()):
        loaded_path = inspect(loaded).dict.get("path") if isinstance(loaded, OrgUnit) else None
        if loaded_path is not None and loaded_path.startswith(old_prefix):
            session.expire(loaded, ["path", "parent_id", "parent"])
    return old_prefix, new_prefix
