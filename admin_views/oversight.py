"""Tiến độ (progress per unit against a campaign's deadline), Đơn vị chậm tiến độ (the late units
Phòng Nội vụ reports to the district), Nhắc nhở (reminders to a unit) and Thống kê (báo cáo số
lượng, chất lượng CBCCVC), with their Excel exports.

Who: HR, approvers and leaders, each over the units of the subtrees where they hold one of those
roles (sysadmin: everything); other logged-in users get 403, anonymous users the login page.
Only HR of the unit (or sysadmin) may send a reminder. A unit or campaign outside the scope is a
404, whatever the URL. Views are thin: parse the request, call oversight.*, render or commit.
"""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, request, send_file, url_for
from flask_admin import Admin, expose
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import Select, select
from werkzeug.wrappers import Response
from wtforms import HiddenField, TextAreaField
from wtforms.validators import DataRequired

from admin_views.base import RolePageView
from auth.audit import record
from auth.permissions import profile_scope_clause, scope_units
from extensions import db
from models.campaign import Campaign
from models.dates import format_date, today_vn
from models.export import XLSX_MIMETYPE
from models.org import OrgUnit
from models.profile import STATUS_LABELS, Profile
from models.user import User
from oversight.progress import (
    STATUSES,
    CampaignProgress,
    StatusCounts,
    UnitProgress,
    campaign_progress,
    unit_in_campaign_scope,
    unit_profiles,
    visible_campaigns,
)
from oversight.reminders import (
    MESSAGE_MAX_LENGTH,
    ReminderError,
    ShownReminder,
    active_reminder,
    default_message,
    recipients_count,
    send_reminder,
    unit_reminders,
)
from oversight.statistics import StatisticsReport, unit_statistics
from oversight.units import tree_order
from oversight.xlsx import Column, ReportSheet, build_report_xlsx

# These role sets belong with the rest of the policy in auth/permissions.py; they live here until
# that module (owned elsewhere) takes them, and are used only through the functions below.
OVERSIGHT_ROLES = frozenset({"hr", "approver", "leader"})
REMINDER_ROLES = frozenset({"hr"})
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

STATE_LABELS = {
    "empty": "Chưa có hồ sơ",
    "done": "Hoàn thành",
    "late": "Chậm tiến độ",
    "in_progress": "Đang thực hiện",
}
STATE_BADGES = {"empty": "badge-light", "done": "badge-success", "late": "badge-danger", "in_progress": "badge-info"}
SCOPE_CONFIRMED, SCOPE_ALL = "xac_nhan", "tat_ca"
STAT_SCOPES = {SCOPE_CONFIRMED: "Chỉ hồ sơ đã xác nhận (số liệu chính thức)", SCOPE_ALL: "Tất cả hồ sơ"}


# --- policy helpers ------------------------------------------------------------------------------------


def may_oversee(user: Any) -> bool:
    """HR, approvers, leaders and sysadmins; everyone else is refused the oversight pages."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.has_role("sysadmin") or any(r.role in OVERSIGHT_ROLES for r in user.roles)


def oversight_scope(user: User) -> Select[int]:
    """Ids of the units the user oversees: the subtrees of their HR, approver and leader roles."""
    return scope_units(select(OrgUnit.id), user, OVERSIGHT_ROLES)


def may_remind(user: User, unit: OrgUnit) -> bool:
    """HR of a subtree holding the unit, or sysadmin (audited like everyone)."""
    if user.has_role("sysadmin"):
        return True
    return any(r.role in REMINDER_ROLES and unit.path.startswith(r.org_unit.path) for r in user.roles)


def format_percent(share: float | None) -> str:
    """0.6667 -> "66,7 %" as Vietnamese write it; "—" for a unit without profiles."""
    if share is None:
        return "—"
    return f"{share * 100:.1f}".replace(".", ",") + " %"


def local_naive(value: datetime | None) -> datetime | None:
    """A stored UTC time as Hà Nội wall-clock time, for a spreadsheet (xlsx has no time zones)."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)  # SQLite hands back naive UTC values
    return value.astimezone(LOCAL_TZ).replace(tzinfo=None)


def reminder_banner(profile: Profile) -> ShownReminder | None:
    """The reminder the profile page shows: to the owner only, while the profile is not submitted.

    Registered as the template global `oversight_reminder`, called by
    templates/oversight/_reminder_banner.html, which templates/profile/home.html includes.
    """
    if not current_user.is_authenticated or profile.owner_id != current_user.id:
        return None
    return active_reminder(db.session, profile)


class ReminderForm(FlaskForm):
    class Meta:
        csrf = False  # CSRFProtect checks the token app-wide; the template renders it

    dot = HiddenField()
    message = TextAreaField("Nội dung nhắc nhở", validators=[DataRequired(message="Nhập nội dung nhắc nhở.")])


# --- the shared base ----------------------------------------------------------------------------------


class OversightPage(RolePageView):
    """In the menu and reachable for HR, approvers, leaders and sysadmins only."""

    def allowed(self, user: Any) -> bool:
        return may_oversee(user)

    def _scope(self) -> Select[int]:
        return oversight_scope(self._user())

    @staticmethod
    def _xlsx(content: bytes, stem: str) -> Response:
        stamp = datetime.now(LOCAL_TZ).strftime("%Y%m%d-%H%M")
        return send_file(
            BytesIO(content), mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=f"{stem}-{stamp}.xlsx"
        )


# --- Tiến độ ----------------------------------------------------------------------------------------------


class ProgressView(OversightPage):
    """/tien-do/: the dashboard; /tien-do/cham: the late units; /tien-do/don-vi/<id>: one unit."""

    def _campaigns(self) -> list[Campaign]:
        return visible_campaigns(db.session, self._scope())

    def _chosen(self, campaigns: list[Campaign], raw: str | None) -> Campaign | None:
        """The campaign asked for (404 if it is not one the user can see), else the latest."""
        if raw is None or raw == "":
            return campaigns[0] if campaigns else None
        chosen = next((c for c in campaigns if str(c.id) == raw.strip()), None)
        if chosen is None:
            abort(404)
        return chosen

    def _progress(self, raw_campaign: str | None) -> tuple[list[Campaign], CampaignProgress | None]:
        campaigns = self._campaigns()
        campaign = self._chosen(campaigns, raw_campaign)
        if campaign is None:
            return campaigns, None
        return campaigns, campaign_progress(db.session, campaign, self._scope(), today=today_vn())

    def _context(self, campaigns: list[Campaign], progress: CampaignProgress | None) -> dict[str, Any]:
        user = self._user()
        return {
            "campaigns": campaigns,
            "progress": progress,
            "statuses": STATUS_LABELS,
            "state_labels": STATE_LABELS,
            "state_badges": STATE_BADGES,
            "fmt_percent": format_percent,
            "can_remind": {row.unit.id: may_remind(user, row.unit) for row in (progress.rows if progress else [])},
        }

    @expose("/")
    def index(self) -> Any:
        campaigns, progress = self._progress(request.args.get("dot"))
        context = self._context(campaigns, progress)
        if progress is not None:
            context["chart"] = chart_data(progress, self.get_url)
        return self.render("oversight/progress.html", **context)

    @expose("/cham")
    def late(self) -> Any:
        campaigns, progress = self._progress(request.args.get("dot"))
        return self.render("oversight/late.html", **self._context(campaigns, progress))

    @expose("/xuat-excel")
    def export(self) -> Response:
        _campaigns, progress = self._progress(request.args.get("dot"))
        if progress is None:
            abort(404)
        record(
            "oversight_exported", object_type="campaign", object_id=progress.campaign.id, details={"report": "progress"}
        )
        db.session.commit()
        return self._xlsx(build_report_xlsx(progress_sheet(progress)), "tien-do-cap-nhat-ho-so")

    @expose("/cham/xuat-excel")
    def export_late(self) -> Response:
        _campaigns, progress = self._progress(request.args.get("dot"))
        if progress is None:
            abort(404)
        record("oversight_exported", object_type="campaign", object_id=progress.campaign.id, details={"report": "late"})
        db.session.commit()
        return self._xlsx(build_report_xlsx(late_sheet(progress)), "don-vi-cham-tien-do")

    # --- one unit: its profiles, its reminders, the reminder form ---------------------------------------

    def _unit_or_404(self, raw_campaign: str | None, unit_id: int) -> tuple[Campaign, OrgUnit]:
        campaigns = self._campaigns()
        campaign = self._chosen(campaigns, raw_campaign)
        if campaign is None:
            abort(404)
        unit = unit_in_campaign_scope(db.session, campaign, self._scope(), unit_id)
        if unit is None:
            abort(404)
        return campaign, unit

    def _render_unit(self, campaign: Campaign, unit: OrgUnit, form: ReminderForm, status_code: int = 200) -> Any:
        user = self._user()
        today = today_vn()
        progress = campaign_progress(db.session, campaign, self._scope(), today=today)
        row = progress.row_for(unit.id)
        status = request.args.get("trang_thai") or None
        if status not in STATUSES:
            status = None
        profiles = unit_profiles(db.session, unit.id, profile_scope_clause(user, OVERSIGHT_ROLES), status=status)
        body = self.render(
            "oversight/unit.html",
            campaign=campaign,
            unit=unit,
            row=row,
            today=today,
            profiles=profiles,
            status_filter=status,
            statuses=STATUS_LABELS,
            state_labels=STATE_LABELS,
            state_badges=STATE_BADGES,
            fmt_percent=format_percent,
            reminders=unit_reminders(db.session, campaign.id, unit.id),
            may_remind=may_remind(user, unit),
            recipients=recipients_count(db.session, unit.id),
            form=form,
            message_max=MESSAGE_MAX_LENGTH,
        )
        return body, status_code

    @expose("/don-vi/<int:unit_id>")
    def unit(self, unit_id: int) -> Any:
        campaign, unit = self._unit_or_404(request.args.get("dot"), unit_id)
        form = ReminderForm(formdata=None, dot=str(campaign.id), message=default_message(campaign, today_vn()))
        return self._render_unit(campaign, unit, form)

    @expose("/don-vi/<int:unit_id>/nhac-nho", methods=("POST",))
    def remind(self, unit_id: int) -> Any:
        """Send a reminder: 404 outside the scope, 403 without the HR role on the unit; nothing is
        written before both checks pass."""
        campaign, unit = self._unit_or_404(request.form.get("dot"), unit_id)
        user = self._user()
        if not may_remind(user, unit):
            abort(403)
        form = ReminderForm()
        if not form.validate():
            return self._render_unit(campaign, unit, form, 400)
        try:
            reminder = send_reminder(
                db.session, campaign=campaign, unit=unit, sender=user, message=form.message.data, now=datetime.now(UTC)
            )
        except ReminderError as exc:
            db.session.rollback()
            form.message.errors = [*form.message.errors, str(exc)]
            return self._render_unit(campaign, unit, form, 400)
        recipients = recipients_count(db.session, unit.id)
        record(
            "reminder_sent",
            actor=user,
            object_type="org_unit",
            object_id=unit.id,
            details={"campaign_id": campaign.id, "reminder_id": reminder.id, "recipients": recipients},
        )
        db.session.commit()
        flash(
            f"Đã gửi nhắc nhở tới {unit.name}: {recipients} người chưa gửi hồ sơ sẽ thấy lời nhắc "
            "trên trang hồ sơ của mình cho đến khi gửi xác nhận.",
            "success",
        )
        return redirect(url_for(".unit", unit_id=unit.id, dot=campaign.id))


def chart_data(progress: CampaignProgress, get_url: Any) -> dict[str, Any]:
    """The stacked bar chart's data: one bar per unit with profiles, one dataset per state."""
    rows = [row for row in progress.rows if row.counts.total]
    order = ("confirmed", "pending", "rejected", "draft")  # done first: the bar fills from the left
    return {
        "labels": [row.unit.name for row in rows],
        "urls": [get_url(".unit", unit_id=row.unit.id, dot=progress.campaign.id) for row in rows],
        "datasets": [
            {"status": status, "label": STATUS_LABELS[status], "data": [row.counts.get(status) for row in rows]}
            for status in order
        ],
    }


# --- spreadsheets ---------------------------------------------------------------------------------------------


def _as_of(progress: CampaignProgress) -> list[str]:
    campaign = progress.campaign
    now = datetime.now(LOCAL_TZ)
    return [
        f"Đợt: {campaign.name} – phạm vi: {campaign.org_unit.name}",
        f"Thời gian: {format_date(campaign.starts_on)} – {format_date(campaign.deadline)} (hạn hoàn thành)",
        f"Số liệu tính đến {now:%d/%m/%Y %H:%M}",
    ]


def _row_state(row: UnitProgress) -> str:
    return f"Chậm {row.days_late} ngày" if row.late else STATE_LABELS[row.state]


def progress_sheet(progress: CampaignProgress) -> ReportSheet:
    columns = [
        Column("STT", kind="int", width=6),
        Column("Đơn vị"),
        Column("Số CBCCVC", kind="int"),
        *(Column(label, group="Trạng thái hồ sơ", kind="int") for label in STATUS_LABELS.values()),
        Column("Tỷ lệ xác nhận", kind="percent"),
        Column("Tình trạng"),
        Column("Nhắc nhở gần nhất", kind="datetime"),
    ]
    rows = [
        [
            number,
            row.unit.name,
            row.counts.total,
            *(row.counts.get(s) for s in STATUSES),
            row.counts.share_confirmed,
            _row_state(row),
            local_naive(row.last_reminded_at),
        ]
        for number, row in enumerate(progress.rows, start=1)
    ]
    totals = progress.totals
    return ReportSheet(
        sheet_name="Tiến độ",
        title="TIẾN ĐỘ CẬP NHẬT HỒ SƠ CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC",
        notes=_as_of(progress),
        columns=columns,
        rows=rows,
        totals=[
            None,
            "Tổng cộng",
            totals.total,
            *(totals.get(s) for s in STATUSES),
            totals.share_confirmed,
            f"{len(progress.late_rows)} đơn vị chậm tiến độ",
            None,
        ],
    )


def late_sheet(progress: CampaignProgress) -> ReportSheet:
    columns = [
        Column("STT", kind="int", width=6),
        Column("Đơn vị"),
        Column("Số CBCCVC", kind="int"),
        Column("Đã xác nhận", kind="int"),
        Column("Còn thiếu", kind="int"),
        Column("Tỷ lệ xác nhận", kind="percent"),
        Column("Hạn hoàn thành", kind="date"),
        Column("Số ngày chậm", kind="int"),
        Column("Nhắc nhở gần nhất", kind="datetime"),
    ]
    late = progress.late_rows
    rows = [
        [
            number,
            row.unit.name,
            row.counts.total,
            row.counts.confirmed,
            row.counts.missing,
            row.counts.share_confirmed,
            progress.campaign.deadline,
            row.days_late,
            local_naive(row.last_reminded_at),
        ]
        for number, row in enumerate(late, start=1)
    ]
    total = sum((row.counts for row in late), start=StatusCounts())
    return ReportSheet(
        sheet_name="Đơn vị chậm tiến độ",
        title="DANH SÁCH ĐƠN VỊ CHẬM TIẾN ĐỘ CẬP NHẬT HỒ SƠ CBCCVC",
        notes=_as_of(progress),
        columns=columns,
        rows=rows,
        totals=[
            None,
            f"Tổng cộng: {len(late)} đơn vị",
            total.total,
            total.confirmed,
            total.missing,
            total.share_confirmed,
            None,
            None,
            None,
        ],
    )


# --- Thống kê -------------------------------------------------------------------------------------------------


class StatisticsView(OversightPage):
    """/thong-ke/: báo cáo số lượng, chất lượng CBCCVC of the user's scope, as a page and as .xlsx."""

    def _report(self) -> tuple[StatisticsReport, str, OrgUnit | None, list[Any]]:
        scope = self._scope()
        mode = request.args.get("pham_vi") or SCOPE_CONFIRMED
        if mode not in STAT_SCOPES:
            mode = SCOPE_CONFIRMED
        units = tree_order(db.session.scalars(select(OrgUnit).where(OrgUnit.id.in_(scope), OrgUnit.active.is_(True))))
        within: OrgUnit | None = None
        raw = (request.args.get("don_vi") or "").strip()
        if raw:
            within = next((item.unit for item in units if str(item.unit.id) == raw), None)
            if within is None:
                abort(404)
        report = unit_statistics(
            db.session, scope, today=today_vn(), confirmed_only=mode == SCOPE_CONFIRMED, within=within
        )
        return report, mode, within, units

    @expose("/")
    def index(self) -> Any:
        report, mode, within, units = self._report()
        return self.render(
            "oversight/statistics.html",
            report=report,
            mode=mode,
            modes=STAT_SCOPES,
            within=within,
            unit_options=units,
        )

    @expose("/xuat-excel")
    def export(self) -> Response:
        report, mode, within, _units = self._report()
        record(
            "oversight_exported",
            object_type="org_unit",
            object_id=within.id if within else None,
            details={"report": "statistics", "scope": mode},
        )
        db.session.commit()
        return self._xlsx(build_report_xlsx(statistics_sheet(report, within)), "bao-cao-so-luong-chat-luong")


def statistics_sheet(report: StatisticsReport, within: OrgUnit | None) -> ReportSheet:
    columns = [Column("STT", kind="int", width=6), Column("Đơn vị")] + [
        Column(column.label, group=column.group, kind="int") for column in report.columns
    ]
    basis = (
        "Chỉ tính hồ sơ đã xác nhận (số liệu chính thức)"
        if report.confirmed_only
        else "Tính tất cả hồ sơ, kể cả hồ sơ chưa được xác nhận"
    )
    return ReportSheet(
        sheet_name="Số lượng, chất lượng",
        title="BÁO CÁO SỐ LƯỢNG, CHẤT LƯỢNG CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC",
        notes=[
            f"Đơn vị: {within.name} và các đơn vị trực thuộc" if within else "Đơn vị: toàn bộ phạm vi được giao",
            basis,
            f"Tính đến ngày {format_date(report.today)} (độ tuổi tính theo ngày này)",
        ],
        columns=columns,
        rows=[[n, row.unit.name, *row.values] for n, row in enumerate(report.rows, start=1)],
        totals=[None, "Tổng cộng", *report.totals],
    )


def register_oversight_views(admin: Admin) -> None:
    admin.add_view(ProgressView(name="Tiến độ", endpoint="progress", url="/tien-do"))
    admin.add_view(StatisticsView(name="Thống kê", endpoint="statistics", url="/thong-ke"))
    if admin.app is not None:
        admin.app.add_template_global(reminder_banner, "oversight_reminder")
