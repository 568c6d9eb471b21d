"""`flask seed-demo`: the demo scenario of the spec (README, "Seed scenario"), safe to run again.

Everything is keyed by unit code and CCCD and only created when missing; nothing that exists is
changed, so a second run writes nothing and a demo account whose password was changed keeps it.
Status changes go through models.workflow.transition, with the employee submitting and the
approver of the unit's scope confirming or rejecting, so the update history is what the app
itself would have written. The caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from auth.login import set_password
from auth.permissions import can
from demo.common import Refs
from demo.hue_profile import HUE, fill_hue_profile
from demo.org_tree import ensure_org_tree, managing_agency
from demo.people import EMPLOYEES, STAFF, THUY, Person
from demo.profiles import fill_basic, fill_full
from demo.salary import fill_salary
from models.campaign import Campaign
from models.org import OrgUnit
from models.profile import STATUS_LABELS, Profile
from models.refdata import load_reference_data
from models.user import ROLES, RoleAssignment, User
from models.workflow import CONFIRMED, DRAFT, PENDING, REJECTED, transition


@dataclass(frozen=True)
class DemoLogin:
    role: str  # "employee" or a models.user.ROLES key
    scope: str | None  # code of the unit the role is assigned on (its whole subtree)
    full_name: str
    cccd: str
    password: str
    description: str


# The demo logins, for the README. Staff passwords pass auth.passwords.password_problems; Thủy keeps
# the default password of the user guide and must change it at first login.
DEMO_LOGINS: tuple[DemoLogin, ...] = (
    DemoLogin(
        "employee",
        None,
        "Bùi Thị Thủy",
        "038185011234",
        "Thuy1234@",
        "UBND xã Bát Tràng; mật khẩu mặc định, phải đổi ở lần đăng nhập đầu; hồ sơ đang cập nhật",
    ),
    DemoLogin(
        "employee",
        None,
        "Nguyễn Ngọc Huệ",
        "001300012345",
        "Hue@Ba-Dinh-2024",
        "UBND quận Ba Đình; hồ sơ đầy đủ 11 mục, đã xác nhận",
    ),
    DemoLogin(
        "approver",
        "GL",
        "Đặng Minh Tuấn",
        "001079003812",
        "PheDuyet#GiaLam24",
        "Phó Trưởng phòng Nội vụ huyện Gia Lâm; phê duyệt hồ sơ toàn huyện",
    ),
    DemoLogin(
        "approver",
        "BD",
        "Lê Thị Minh Nguyệt",
        "036182007415",
        "PheDuyet#BaDinh24",
        "Trưởng phòng Nội vụ quận Ba Đình; phê duyệt hồ sơ toàn quận",
    ),
    DemoLogin(
        "hr",
        "GL",
        "Phạm Thị Hồng Nhung",
        "034188009267",
        "ToChuc#GiaLam24",
        "Chuyên viên Phòng Nội vụ huyện Gia Lâm; theo dõi tiến độ, tài khoản",
    ),
    DemoLogin(
        "hr",
        "BD",
        "Vũ Đức Thịnh",
        "001090011358",
        "ToChuc#BaDinh24",
        "Chuyên viên Phòng Nội vụ quận Ba Đình; theo dõi tiến độ, tài khoản",
    ),
    DemoLogin(
        "leader",
        "GL",
        "Hoàng Trọng Khải",
        "030072005106",
        "LanhDao#GiaLam24",
        "Phó Chủ tịch UBND huyện Gia Lâm; đồng bộ hồ sơ lên cổng BNV",
    ),
)

CAMPAIGN_NAME = "Cập nhật hồ sơ CBCCVC 2023"
CAMPAIGN_UNIT = "GL"
CAMPAIGN_STARTS = date(2023, 4, 20)
CAMPAIGN_DEADLINE = date(2023, 5, 12)

# target state -> the workflow actions that reach it from draft
_PATH = {DRAFT: (), PENDING: ("submit",), CONFIRMED: ("submit", "confirm"), REJECTED: ("submit", "reject")}


def demo_people() -> list[tuple[Person, str | None]]:
    """Every seeded person with the password they already chose (None: still on the default password)."""
    passwords = {login.cccd: login.password for login in DEMO_LOGINS}
    staff = [(STAFF[login.cccd], login.password) for login in DEMO_LOGINS if login.role != "employee"]
    return [*staff, (THUY, None), (HUE, passwords[HUE.cccd]), *((p, None) for p in EMPLOYEES)]


class _Seeder:
    def __init__(self, session: Session, refs: Refs, units: dict[str, OrgUnit], now: datetime) -> None:
        self.session = session
        self.refs = refs
        self.units = units
        self.now = now
        # History timestamps: a few days back, in seeding order, so the update history reads naturally.
        self.clock = now - timedelta(days=3)
        self.hasher = current_app.extensions["hasher"]
        self.users_created = 0
        self.profiles_created = 0

    def ensure_user(self, person: Person, password: str | None) -> User:
        user = self.session.scalar(select(User).where(User.cccd == person.cccd))
        if user is not None:
            return user
        user = User(
            cccd=person.cccd,
            full_name=person.full_name,
            birth_date=person.birth_date,
            sex=person.sex,
            must_change_password=True,
            default_password_issued_at=self.now,
        )
        self.session.add(user)
        self.session.flush()  # the column defaults (session_version) before set_password bumps them
        if password is not None:
            set_password(user, self.hasher, password, now=self.now)
        self.users_created += 1
        return user

    def ensure_role(self, user: User, role: str, unit: OrgUnit) -> None:
        if not any(r.role == role and r.org_unit_id == unit.id for r in user.roles):
            user.roles.append(RoleAssignment(role=role, org_unit=unit))

    def ensure_profile(self, person: Person, user: User) -> Profile | None:
        """Create the person's profile unless the account already has one; returns only a new profile."""
        if self.session.scalar(select(Profile.id).where(Profile.owner_id == user.id)) is not None:
            return None
        unit = self.units[person.unit]
        profile = Profile(
            owner=user,
            org_unit=unit,
            managing_agency=managing_agency(unit),
            full_name=person.full_name,
            birth_date=person.birth_date,
            sex=person.sex,
            id_number=person.cccd,
            staff_type=self.refs.code("staff_types", person.staff_type),
        )
        if person is HUE:
            fill_hue_profile(profile, self.refs)
        elif person.identity_only:
            pass
        elif person.status == DRAFT:
            fill_basic(profile, person, self.refs)
            fill_salary(profile, person, self.refs, unit.kind)
        else:
            fill_full(profile, person, self.refs, unit.kind)
        self.session.add(profile)
        self.session.flush()  # transition() records the profile id in the history
        self.profiles_created += 1
        return profile

    def approver_for(self, unit: OrgUnit, approvers: list[User], owner: User) -> User:
        """The demo approver whose scope holds the unit; nobody approves their own profile."""
        for approver in approvers:
            scopes = approver.role_units("approver")
            if approver.id != owner.id and any(unit.path.startswith(s.path) for s in scopes):
                return approver
        raise LookupError(f"no demo approver for {unit.code} other than {owner.cccd}")

    def advance(self, profile: Profile, person: Person, approvers: list[User]) -> None:
        """Walk a new profile from draft to the person's target state, as the employee and approver would."""
        for action in _PATH[person.status]:
            self.clock += timedelta(minutes=7)
            if action == "submit":
                actor = profile.owner
            else:
                actor = self.approver_for(profile.org_unit, approvers, profile.owner)
            if not can(actor, action, profile):  # the rule the views apply: the demo history must be possible
                raise PermissionError(f"{actor.cccd} may not {action} the profile of {profile.owner.cccd}")
            note = person.note if action == "reject" else None
            transition(self.session, profile, action, actor_id=actor.id, now=self.clock, note=note)


def seed_demo_data(session: Session, *, now: datetime | None = None) -> str:
    """Load the reference lists and the demo scenario; returns a Vietnamese summary (does not commit)."""
    now = now or datetime.now(UTC)
    refdata_changed = sum(load_reference_data(session).values())
    refs = Refs(session)
    units, units_created = ensure_org_tree(session)
    seeder = _Seeder(session, refs, units, now)

    logins = {login.cccd: login for login in DEMO_LOGINS}
    new_profiles: list[tuple[Profile, Person]] = []
    approvers: list[User] = []
    for person, password in demo_people():
        login = logins.get(person.cccd)
        if login is not None and login.full_name != person.full_name:
            raise ValueError(f"DEMO_LOGINS and demo.people disagree on {login.cccd}")
        user = seeder.ensure_user(person, password)
        if login is not None and login.scope is not None:
            seeder.ensure_role(user, login.role, units[login.scope])
            if login.role == "approver":
                approvers.append(user)
        profile = seeder.ensure_profile(person, user)
        if profile is not None:
            new_profiles.append((profile, person))
    for profile, person in new_profiles:
        seeder.advance(profile, person, approvers)

    campaign_created = _ensure_campaign(session, units[CAMPAIGN_UNIT])
    session.flush()
    return _summary(session, refdata_changed, units_created, seeder, campaign_created)


def _ensure_campaign(session: Session, unit: OrgUnit) -> bool:
    exists = session.scalar(select(Campaign.id).where(Campaign.name == CAMPAIGN_NAME, Campaign.org_unit_id == unit.id))
    if exists is not None:
        return False
    session.add(Campaign(name=CAMPAIGN_NAME, org_unit=unit, starts_on=CAMPAIGN_STARTS, deadline=CAMPAIGN_DEADLINE))
    return True


def role_label(login: DemoLogin, units: dict[str, str]) -> str:
    if login.scope is None:
        return "CBCCVC"
    return f"{ROLES[login.role]} – {units[login.scope]}"


def login_table(unit_names: dict[str, str]) -> list[str]:
    """DEMO_LOGINS as aligned text lines (role, name, CCCD, password), for the summary and the README."""
    header = ("Vai trò", "Họ và tên", "Số CCCD", "Mật khẩu")
    rows = [header] + [
        (role_label(login, unit_names), login.full_name, login.cccd, login.password) for login in DEMO_LOGINS
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return lines


def _summary(
    session: Session, refdata_changed: int, units_created: int, seeder: _Seeder, campaign_created: bool
) -> str:
    def count(model: type) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    by_status = dict(session.execute(select(Profile.status, func.count()).group_by(Profile.status)).all())
    statuses = ", ".join(f"{label}: {by_status.get(code, 0)}" for code, label in STATUS_LABELS.items())
    unit_names = dict(session.execute(select(OrgUnit.code, OrgUnit.name)).all())
    max_age = current_app.config.get("DEFAULT_PASSWORD_MAX_AGE_DAYS", 30)
    others = len(EMPLOYEES)
    lines = [
        "Dữ liệu demo đã sẵn sàng." if seeder.users_created else "Dữ liệu demo đã có sẵn, không tạo thêm gì.",
        f"- Danh mục dùng chung: {refdata_changed} dòng thêm mới/cập nhật.",
        f"- Đơn vị: {count(OrgUnit)} (tạo mới {units_created}).",
        f"- Tài khoản: {count(User)} (tạo mới {seeder.users_created}).",
        f"- Hồ sơ: {count(Profile)} (tạo mới {seeder.profiles_created}) – {statuses}.",
        f"- Đợt cập nhật «{CAMPAIGN_NAME}» của {unit_names[CAMPAIGN_UNIT]}: "
        f"{CAMPAIGN_STARTS:%d/%m/%Y} – {CAMPAIGN_DEADLINE:%d/%m/%Y}" + (" (tạo mới)." if campaign_created else "."),
        "",
        "Tài khoản đăng nhập demo (tên đăng nhập là số CCCD):",
        *login_table(unit_names),
        "",
        f"{others} CBCCVC khác đăng nhập lần đầu bằng mật khẩu mặc định: tên (không dấu) + 4 số cuối CCCD + @,",
        f"ví dụ Thuy1234@; mật khẩu mặc định hết hạn sau {max_age} ngày kể từ khi tạo tài khoản.",
    ]
    return "\n".join(lines)
