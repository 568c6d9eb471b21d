"""Reference lists for forms, loaded once per request (a few queries, then memory)."""

from __future__ import annotations

from flask import g
from sqlalchemy import select

from extensions import db
from models.dates import today_vn
from models.refdata import Rank
from models.refs import RefLookup


def current_refs() -> RefLookup:
    refs = g.get("_refs")
    if refs is None:
        refs = g._refs = RefLookup.load(db.session)
    return refs


def rank_choices() -> list[tuple[str, str]]:
    """Ranks valid today, "name (code)"; older codes stay accepted through `is_known_rank`."""
    cached = g.get("_rank_choices")
    if cached is None:
        today = today_vn()
        ranks = db.session.scalars(select(Rank).where(Rank.active.is_(True)).order_by(Rank.code)).all()
        seen: dict[str, str] = {}
        for rank in ranks:
            if rank.is_valid_on(today) and rank.status != "legacy":
                seen[rank.code] = f"{rank.name} ({rank.code})"
        cached = g._rank_choices = sorted(seen.items(), key=lambda item: item[1])
    return cached


def is_known_rank(code: str) -> bool:
    return current_refs().rank(code, None) is not None


def hr_unit_choices() -> list[tuple[int, str]]:
    """Units the current user may assign profiles to: the subtrees where they are HR (or all, sysadmin)."""
    from flask_login import current_user

    from auth.permissions import scope_units
    from models.org import OrgUnit

    cached = g.get("_hr_units")
    if cached is None:
        stmt = scope_units(select(OrgUnit).where(OrgUnit.active.is_(True)), current_user, frozenset({"hr"}))
        units = db.session.scalars(stmt.order_by(OrgUnit.path)).all()
        cached = g._hr_units = [(u.id, "— " * (u.depth - 1) + u.name) for u in units]
    return cached
