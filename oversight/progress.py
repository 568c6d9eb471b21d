"""Tiến độ: how far each unit of a campaign has got, and which units are late.

A unit's figures are its OWN profiles (Profile.org_unit_id = the unit), one row per unit, so the
rows add up to the campaign total without double counting; the tree shows where each unit sits.
All counts come from one grouped query (GROUP BY org_unit_id, status) served by the
(org_unit_id, status) index; no profile is loaded.

Late (chậm tiến độ): today, in Asia/Ho_Chi_Minh, is after the deadline and not every profile of
the unit is confirmed. A unit without profiles has nothing to be late with.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, exists, func, select
from sqlalchemy.orm import aliased, contains_eager

from models.campaign import Campaign
from models.org import OrgUnit, in_subtree
from models.profile import STATUS_LABELS, Profile
from oversight import SessionLike
from oversight.reminders import last_reminders
from oversight.units import tree_order

STATUSES: tuple[str, ...] = tuple(STATUS_LABELS)  # draft, pending, rejected, confirmed


@dataclass(frozen=True)
class StatusCounts:
    """Profiles per workflow state."""

    draft: int = 0
    pending: int = 0
    rejected: int = 0
    confirmed: int = 0

    @classmethod
    def from_mapping(cls, counts: Mapping[str, int]) -> StatusCounts:
        return cls(**{status: int(counts.get(status, 0)) for status in STATUSES})

    def get(self, status: str) -> int:
        return int(getattr(self, status))

    @property
    def total(self) -> int:
        return self.draft + self.pending + self.rejected + self.confirmed

    @property
    def missing(self) -> int:
        """Not yet confirmed, whatever the reason."""
        return self.total - self.confirmed

    @property
    def not_submitted(self) -> int:
        """Waiting on the employee (draft or rejected), as opposed to waiting on the approver."""
        return self.draft + self.rejected

    @property
    def share_confirmed(self) -> float | None:
        """Confirmed / total, from 0 to 1; None for a unit without profiles (0 % would read as "late")."""
        return self.confirmed / self.total if self.total else None

    def __add__(self, other: StatusCounts) -> StatusCounts:
        return StatusCounts(*(self.get(s) + other.get(s) for s in STATUSES))


def is_late(counts: StatusCounts, deadline: date, today: date) -> bool:
    """After the deadline day (the deadline itself is still on time) with something unconfirmed."""
    return today > deadline and counts.total > 0 and counts.confirmed < counts.total


@dataclass(frozen=True)
class UnitProgress:
    unit: OrgUnit
    depth: int
    counts: StatusCounts
    late: bool
    days_late: int
    last_reminded_at: datetime | None

    @property
    def state(self) -> str:
        """empty / done / late / in_progress, for the badge in the table."""
        if self.counts.total == 0:
            return "empty"
        if self.counts.confirmed == self.counts.total:
            return "done"
        return "late" if self.late else "in_progress"


@dataclass(frozen=True)
class CampaignProgress:
    campaign: Campaign
    today: date
    rows: list[UnitProgress] = field(default_factory=list)

    @property
    def totals(self) -> StatusCounts:
        total = StatusCounts()
        for row in self.rows:
            total = total + row.counts
        return total

    @property
    def days_past_deadline(self) -> int:
        """Days since the deadline (0 up to and on the deadline day)."""
        return max((self.today - self.campaign.deadline).days, 0)

    @property
    def days_left(self) -> int:
        """Days until the deadline, counting the deadline day itself as a working day (0 once past)."""
        return max((self.campaign.deadline - self.today).days, 0)

    @property
    def late_rows(self) -> list[UnitProgress]:
        """Late units, the furthest behind first: lowest share confirmed, then most missing."""
        late = [row for row in self.rows if row.late]
        return sorted(late, key=lambda r: (r.counts.share_confirmed or 0.0, -r.counts.missing, r.depth))

    def row_for(self, unit_id: int) -> UnitProgress | None:
        return next((row for row in self.rows if row.unit.id == unit_id), None)


# --- queries -----------------------------------------------------------------------------------------


def visible_campaigns(session: SessionLike, scope_ids: Select[int]) -> list[Campaign]:
    """Campaigns whose subtree holds at least one unit of the scope, the latest first.

    `scope_ids` is the SELECT of the unit ids the user may oversee (auth.permissions.scope_units);
    the test is one EXISTS per campaign: some unit of the scope has a path under the campaign's.
    """
    campaign_unit = aliased(OrgUnit)
    member = aliased(OrgUnit)
    touches = exists().where(
        member.id.in_(scope_ids),
        member.path >= campaign_unit.path,
        member.path < campaign_unit.path.concat("~"),
    )
    stmt = (
        select(Campaign)
        .join(campaign_unit, Campaign.org_unit_id == campaign_unit.id)
        .options(contains_eager(Campaign.org_unit.of_type(campaign_unit)))
        .where(touches)
        .order_by(Campaign.starts_on.desc(), Campaign.deadline.desc(), Campaign.id.desc())
    )
    return list(session.scalars(stmt).unique())


def campaign_unit_ids(campaign: Campaign, scope_ids: Select[int]) -> Select[int]:
    """The units of the campaign's subtree that are also in the scope."""
    return select(OrgUnit.id).where(in_subtree(campaign.org_unit.path), OrgUnit.id.in_(scope_ids))


def status_counts(session: SessionLike, unit_ids: Select[int] | Iterable[int]) -> dict[int, StatusCounts]:
    """Profiles per state of each unit: ONE grouped query; units without profiles are absent."""
    rows = session.execute(
        select(Profile.org_unit_id, Profile.status, func.count(Profile.id))
        .where(Profile.org_unit_id.in_(unit_ids))
        .group_by(Profile.org_unit_id, Profile.status)
    )
    raw: dict[int, dict[str, int]] = {}
    for unit_id, status, count in rows:
        raw.setdefault(unit_id, {})[status] = count
    return {unit_id: StatusCounts.from_mapping(counts) for unit_id, counts in raw.items()}


def campaign_progress(
    session: SessionLike, campaign: Campaign, scope_ids: Select[int], *, today: date
) -> CampaignProgress:
    """Every unit of the campaign within the scope, in tree order, with its counts and late flag.

    Three queries whatever the number of units: the units, the grouped counts, the last reminders.
    Inactive units are listed only while they still hold profiles.
    """
    ids = campaign_unit_ids(campaign, scope_ids)
    units = list(session.scalars(select(OrgUnit).where(OrgUnit.id.in_(ids))))
    counts = status_counts(session, ids)
    reminded = last_reminders(session, campaign.id, ids)
    rows = []
    for item in tree_order(u for u in units if u.active or u.id in counts):
        unit_counts = counts.get(item.unit.id, StatusCounts())
        late = is_late(unit_counts, campaign.deadline, today)
        rows.append(
            UnitProgress(
                unit=item.unit,
                depth=item.depth,
                counts=unit_counts,
                late=late,
                days_late=(today - campaign.deadline).days if late else 0,
                last_reminded_at=reminded.get(item.unit.id),
            )
        )
    return CampaignProgress(campaign=campaign, today=today, rows=rows)


def unit_in_campaign_scope(
    session: SessionLike, campaign: Campaign, scope_ids: Select[int], unit_id: int
) -> OrgUnit | None:
    """The unit if it is in both the campaign's subtree and the scope; None otherwise (callers 404)."""
    return session.scalar(
        select(OrgUnit).where(and_(OrgUnit.id == unit_id, OrgUnit.id.in_(campaign_unit_ids(campaign, scope_ids))))
    )


def unit_profiles(
    session: SessionLike, unit_id: int, visible: ColumnElement[bool], *, status: str | None = None
) -> list[Profile]:
    """The unit's own profiles (not its subunits'), by name, filtered again by `visible` (the
    caller's profile scope clause) although the unit itself was already checked against the scope."""
    stmt = select(Profile).where(Profile.org_unit_id == unit_id, visible)
    if status:
        stmt = stmt.where(Profile.status == status)
    return list(session.scalars(stmt.order_by(Profile.full_name_search, Profile.id)))
