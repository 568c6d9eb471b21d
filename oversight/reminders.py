"""Nhắc nhở: HR reminds a unit of a campaign to finish its declarations.

Who sees a reminder: the employees whose profile belongs to the reminded unit ITSELF (not its
subunits) and is not yet submitted (draft or rejected), until they submit. The unit itself only,
because the progress dashboard counts each unit's own profiles (a row per unit): HR reminds the
row it sees late, and a subunit that is on time is not nagged for its parent's delay. A profile
submitted after the reminder no longer shows it, even if it is later rejected or reopened: the
rejection note or the employee's own "Sửa" takes over, and a newer reminder shows again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, func, select

from models.campaign import Campaign, Reminder
from models.dates import format_date
from models.org import OrgUnit
from models.profile import Profile
from models.text import has_control_chars
from models.user import User
from oversight import SessionLike

# Profiles still waiting on their owner: these are the ones a reminder is for.
NOT_SUBMITTED = ("draft", "rejected")
MESSAGE_MAX_LENGTH = 1000


class ReminderError(ValueError):
    """A reminder that cannot be sent; the message is Vietnamese, shown next to the form."""


def default_message(campaign: Campaign, today: date) -> str:
    """The text proposed in the form: what to do and by when (or that the deadline has passed)."""
    deadline = format_date(campaign.deadline)
    if today > campaign.deadline:
        return (
            f"Đợt «{campaign.name}» đã hết hạn ngày {deadline}. Đề nghị đồng chí khẩn trương hoàn thiện "
            "hồ sơ và bấm «Gửi xác nhận» để đơn vị kịp báo cáo."
        )
    return f"Đề nghị đồng chí hoàn thiện hồ sơ và bấm «Gửi xác nhận» trước ngày {deadline} (đợt «{campaign.name}»)."


def clean_message(text: str | None) -> str:
    """The message as it will be shown: trimmed, line breaks kept, blank lines collapsed."""
    lines = [line.strip() for line in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    message = "\n".join(line for line in lines if line)
    if not message:
        raise ReminderError("Nhập nội dung nhắc nhở.")
    if len(message) > MESSAGE_MAX_LENGTH:
        raise ReminderError(f"Nội dung nhắc nhở tối đa {MESSAGE_MAX_LENGTH} ký tự.")
    if has_control_chars(message):
        raise ReminderError("Nội dung nhắc nhở có ký tự không hợp lệ.")
    return message


def recipients_count(session: SessionLike, unit_id: int) -> int:
    """How many profiles of the unit (itself, not its subunits) would see a reminder sent now."""
    return (
        session.scalar(
            select(func.count(Profile.id)).where(Profile.org_unit_id == unit_id, Profile.status.in_(NOT_SUBMITTED))
        )
        or 0
    )


def send_reminder(
    session: SessionLike, *, campaign: Campaign, unit: OrgUnit, sender: User, message: str, now: datetime
) -> Reminder:
    """Add a reminder of `campaign` to `unit`; the caller has checked that `sender` is HR of the unit.

    Refused when the unit is outside the campaign's subtree (the reminder would name a campaign the
    unit is not in) or when nobody in the unit still has to submit. Flushes (the audit row needs
    the id); the caller commits.
    """
    if not unit.path.startswith(campaign.org_unit.path):
        raise ReminderError("Đơn vị không thuộc phạm vi của đợt cập nhật này.")
    if recipients_count(session, unit.id) == 0:
        raise ReminderError("Đơn vị không còn hồ sơ nào chưa gửi xác nhận: không cần nhắc nhở.")
    reminder = Reminder(
        campaign_id=campaign.id,
        org_unit_id=unit.id,
        sent_by_id=sender.id,
        sent_at=now,
        message=clean_message(message),
    )
    session.add(reminder)
    session.flush()
    return reminder


@dataclass(frozen=True)
class ShownReminder:
    """A reminder as the employee sees it."""

    message: str
    sent_at: datetime
    sender_name: str | None
    campaign_name: str | None
    deadline: date | None


def active_reminder(session: SessionLike, profile: Profile) -> ShownReminder | None:
    """The latest reminder to the profile's unit sent after the profile was last submitted, while the
    profile is not submitted; None otherwise."""
    if profile.status not in NOT_SUBMITTED:
        return None
    stmt = (
        select(Reminder.message, Reminder.sent_at, User.full_name, Campaign.name, Campaign.deadline)
        .outerjoin(User, User.id == Reminder.sent_by_id)
        .outerjoin(Campaign, Campaign.id == Reminder.campaign_id)
        .where(Reminder.org_unit_id == profile.org_unit_id)
        .order_by(Reminder.sent_at.desc(), Reminder.id.desc())
        .limit(1)
    )
    if profile.submitted_at is not None:
        # Both sides are UTC as written by the app (utcnow / workflow `now`), so the comparison holds
        # on SQLite, which stores them without their offset, as on PostgreSQL.
        stmt = stmt.where(Reminder.sent_at > profile.submitted_at)
    row = session.execute(stmt).first()
    if row is None:
        return None
    return ShownReminder(row[0], row[1], row[2], row[3], row[4])


def last_reminders(
    session: SessionLike, campaign_id: int, unit_ids: Select[int] | Iterable[int]
) -> dict[int, datetime]:
    """When each unit was last reminded in the campaign: one grouped query."""
    rows = session.execute(
        select(Reminder.org_unit_id, func.max(Reminder.sent_at))
        .where(Reminder.campaign_id == campaign_id, Reminder.org_unit_id.in_(unit_ids))
        .group_by(Reminder.org_unit_id)
    )
    return {unit_id: sent_at for unit_id, sent_at in rows}


@dataclass(frozen=True)
class ReminderEntry:
    sent_at: datetime
    sender_name: str | None
    message: str


def unit_reminders(session: SessionLike, campaign_id: int, unit_id: int, limit: int = 20) -> list[ReminderEntry]:
    """The unit's reminders in the campaign, newest first (the drill-down page lists them)."""
    rows = session.execute(
        select(Reminder.sent_at, User.full_name, Reminder.message)
        .outerjoin(User, User.id == Reminder.sent_by_id)
        .where(Reminder.campaign_id == campaign_id, Reminder.org_unit_id == unit_id)
        .order_by(Reminder.sent_at.desc(), Reminder.id.desc())
        .limit(limit)
    )
    return [ReminderEntry(sent_at, name, message) for sent_at, name, message in rows]
