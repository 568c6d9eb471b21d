"""Đồng bộ BNV (/dong-bo/): the leader's list of confirmed profiles with their sync state, the
"Đồng bộ lên cổng BNV" actions, and the history of sync batches.

Thin: the scope, the queueing and the sending live in sync/. Every POST carries the CSRF token
(CSRFProtect app-wide); every submitted id goes back through the leader's scope in
`sync.batches.request_sync`. A small batch is sent right away, inside the request and within a
time budget; a larger one is left to the worker (`flask --app app sync run`).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import Admin, expose
from sqlalchemy import and_, func, select
from werkzeug.wrappers import Response

from admin_views.base import RolePageView
from admin_views.refs import current_refs
from extensions import db
from models.org import OrgUnit, subtree_ids
from models.profile import Profile
from models.sync import OUTBOX_STATES, SyncBatch, SyncOutbox
from models.user import User
from sync.batches import batch_scope, can_sync, request_sync, sync_scope, sync_units
from sync.client import PortalConfigError
from sync.status import STATE_LABELS, ProfileSyncRow, state_query
from sync.worker import setting, worker_for

PAGE_SIZE = 50
HISTORY_PAGE_SIZE = 30
DEFAULT_INLINE_MAX = 20  # rows sent inside the leader's request; more wait for the worker
DEFAULT_INLINE_SECONDS = 25.0  # time budget of that inline send (the request must not hang)


class SyncView(RolePageView):
    """Leaders (their subtrees) and the sysadmin; 403 for everyone else, login for anonymous users."""

    def allowed(self, user: Any) -> bool:
        return can_sync(user)

    # --- the list ---------------------------------------------------------------------------------

    def _unit_options(self) -> list[tuple[OrgUnit, int]]:
        """The leader's units in tree order, with their depth below the shallowest one."""
        units = list(db.session.scalars(sync_units(self._user()).order_by(OrgUnit.path)))
        top = min((u.depth for u in units), default=0)
        return [(u, u.depth - top) for u in units]

    @expose("/")
    def index(self) -> str:
        user = self._user()
        units = self._unit_options()
        unit_ids = {u.id for u, _depth in units}
        unit_id = request.args.get("don_vi", type=int)
        unit = next((u for u, _d in units if u.id == unit_id), None)
        state = request.args.get("trang_thai") or ""
        state = state if state in STATE_LABELS else ""
        page = max(request.args.get("trang", default=1, type=int) or 1, 1)

        scope = sync_scope(user)
        if unit is not None:
            scope = and_(scope, Profile.org_unit_id.in_(subtree_ids(unit.path)))
        query = state_query(scope)
        listed = query.stmt.subquery()
        counts: dict[str, int] = dict(
            db.session.execute(select(listed.c.state, func.count()).group_by(listed.c.state)).all()  # type: ignore[arg-type]
        )
        stmt = query.stmt.where(query.state == state) if state else query.stmt
        total = counts.get(state, 0) if state else sum(counts.values())
        pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
        page = min(page, pages)
        rows = [
            ProfileSyncRow(**r._mapping)
            for r in db.session.execute(
                stmt.order_by(Profile.full_name_search, Profile.id).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
            )
        ]
        return self.render(
            "sync/list.html",
            rows=rows,
            units=units,
            unit=unit,
            unit_ids=unit_ids,
            state=state,
            states=STATE_LABELS,
            counts=counts,
            total=total,
            page=page,
            pages=pages,
            page_url=lambda n: url_for(".index", don_vi=unit.id if unit else None, trang_thai=state or None, trang=n),
            back=request.full_path.rstrip("?"),
            portal_configured=bool(current_app.config.get("BNV_PORTAL_URL")),
            inline_max=self._inline_max(),
        )

    # --- sending ----------------------------------------------------------------------------------

    @expose("/gui", methods=("POST",))
    def send_selected(self) -> Response:
        """Đồng bộ lên cổng BNV the profiles ticked in the list."""
        raw = request.form.getlist("profile_id")
        if not raw:
            flash("Chưa chọn hồ sơ nào để đồng bộ.", "error")
            return redirect(self._back())
        return self._request(profile_ids=raw)

    @expose("/gui-don-vi", methods=("POST",))
    def send_unit(self) -> Response:
        """Đồng bộ every confirmed and not yet synced profile of a unit and the units below it."""
        unit_id = request.form.get("unit_id", type=int)
        if unit_id is None:
            flash("Chọn đơn vị cần đồng bộ.", "error")
            return redirect(self._back())
        return self._request(unit_id=unit_id)

    def _request(self, **target: Any) -> Response:
        outcome = request_sync(db.session, self._user(), now=datetime.now(UTC), refs=current_refs(), **target)
        db.session.commit()
        flash(outcome.message(), outcome.category)
        if outcome.due_ids:
            self._send_now(outcome.due_ids)
        return redirect(self._back())

    def _inline_max(self) -> int:
        return int(setting(current_app.config, "BNV_INLINE_MAX", DEFAULT_INLINE_MAX))

    def _send_now(self, outbox_ids: list[int]) -> None:
        """Send a small batch inside this request; a large one is left on the queue for the worker."""
        if len(outbox_ids) > self._inline_max():
            flash(
                f"{len(outbox_ids)} hồ sơ sẽ được tiến trình đồng bộ gửi dần lên cổng BNV; "
                "theo dõi trạng thái trong danh sách hoặc ở Lịch sử đồng bộ.",
                "info",
            )
            return
        try:
            worker = worker_for(current_app.config, db.session)
        except PortalConfigError as exc:
            flash(f"{exc} Hồ sơ đã ở trong hàng đợi và sẽ được gửi khi cấu hình xong.", "warning")
            return
        budget = float(setting(current_app.config, "BNV_INLINE_SECONDS", DEFAULT_INLINE_SECONDS))
        stats = worker.run(once=True, only_ids=outbox_ids, deadline=time.monotonic() + budget)
        problems = stats.failed + stats.dead + stats.invalid + stats.released
        flash(stats.summary(), "warning" if problems else "success")

    def _back(self) -> str:
        """The list page the form came from (a relative path under this view only), else the list."""
        target = request.form.get("url") or ""
        parts = urlsplit(target)
        base = url_for(".index")
        if parts.scheme or parts.netloc or not target.startswith(base) or "\\" in target:
            return base
        return target

    # --- history ----------------------------------------------------------------------------------

    @expose("/lich-su")
    def history(self) -> str:
        user = self._user()
        page = max(request.args.get("trang", default=1, type=int) or 1, 1)
        visible = batch_scope(user)
        total = db.session.scalar(select(func.count()).select_from(SyncBatch).where(visible)) or 0
        pages = max((total + HISTORY_PAGE_SIZE - 1) // HISTORY_PAGE_SIZE, 1)
        page = min(page, pages)
        batches = db.session.execute(
            select(SyncBatch, User.full_name, OrgUnit.name)
            .outerjoin(User, User.id == SyncBatch.created_by_id)
            .outerjoin(OrgUnit, OrgUnit.id == SyncBatch.org_unit_id)
            .where(visible)
            .order_by(SyncBatch.created_at.desc(), SyncBatch.id.desc())
            .limit(HISTORY_PAGE_SIZE)
            .offset((page - 1) * HISTORY_PAGE_SIZE)
        ).all()
        ids = [b.id for b, _creator, _unit in batches]
        counts: dict[int, dict[str, int]] = {i: {} for i in ids}
        if ids:
            for batch_id, status, number in db.session.execute(
                select(SyncOutbox.batch_id, SyncOutbox.status, func.count())
                .where(SyncOutbox.batch_id.in_(ids))
                .group_by(SyncOutbox.batch_id, SyncOutbox.status)
            ):
                if batch_id is not None:
                    counts[batch_id][status] = number
        return self.render(
            "sync/history.html",
            batches=batches,
            counts=counts,
            page=page,
            pages=pages,
            total=total,
            page_url=lambda n: url_for(".history", trang=n),
        )

    @expose("/lich-su/<int:batch_id>")
    def batch(self, batch_id: int) -> str:
        user = self._user()
        found = db.session.execute(
            select(SyncBatch, User.full_name, OrgUnit.name)
            .outerjoin(User, User.id == SyncBatch.created_by_id)
            .outerjoin(OrgUnit, OrgUnit.id == SyncBatch.org_unit_id)
            .where(SyncBatch.id == batch_id, batch_scope(user))
        ).first()
        if found is None:
            abort(404)
        batch, creator, unit_name = found
        rows = db.session.execute(
            select(SyncOutbox, Profile.full_name, OrgUnit.name.label("unit_name"))
            .join(Profile, Profile.id == SyncOutbox.profile_id)
            .join(OrgUnit, OrgUnit.id == Profile.org_unit_id)
            .where(SyncOutbox.batch_id == batch.id, sync_scope(user))
            .order_by(Profile.full_name_search, Profile.id)
        ).all()
        counts: dict[str, int] = {}
        for outbox, _name, _unit in rows:
            counts[outbox.status] = counts.get(outbox.status, 0) + 1
        return self.render(
            "sync/batch.html",
            batch=batch,
            creator=creator,
            unit_name=unit_name,
            rows=rows,
            counts=counts,
            outbox_states=OUTBOX_STATES,
        )


def register_sync_views(admin: Admin) -> None:
    admin.add_view(SyncView(name="Đồng bộ BNV", endpoint="sync", url="/dong-bo"))
