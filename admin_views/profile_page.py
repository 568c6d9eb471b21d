"""Hồ sơ của tôi: the profile page with its state boxes, toolbar, section tabs, history,
and the workflow buttons (Gửi xác nhận, Sửa) that call models.workflow."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import abort, flash, redirect, request, send_file, url_for
from flask_admin import expose
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from admin_views.base import SignedInPageView
from admin_views.files import max_upload_bytes, upload_dir
from admin_views.refs import current_refs
from auth.audit import record
from auth.permissions import can, profile_scope_clause
from extensions import db
from models.audit import ProfileHistory
from models.base import utcnow
from models.photo import store_photo
from models.profile import STATUS_LABELS, Profile
from models.rules import check_profile
from models.section_registry import FIELD_LABELS, SECTIONS, TABLE_TITLES
from models.snapshot import profile_load_options
from models.snapshot_store import ProfileVersion
from models.uploads import UploadRejected, delete_stored, open_stored
from models.user import User
from models.workflow import ACTION_LABELS, TransitionError, transition


def load_scoped_profile(profile_id: int, *, with_children: bool = False) -> Profile | None:
    """A profile by id, only if the current user may see it (None otherwise: callers answer 404)."""
    stmt = select(Profile).where(Profile.id == profile_id, profile_scope_clause(current_user))
    stmt = stmt.options(joinedload(Profile.org_unit))
    if with_children:
        stmt = stmt.options(*profile_load_options())
    return db.session.scalar(stmt)


def latest_rejection_note(profile: Profile) -> str | None:
    if profile.status != "rejected":
        return None
    return db.session.scalar(
        select(ProfileHistory.note)
        .where(ProfileHistory.profile_id == profile.id, ProfileHistory.action == "reject")
        .order_by(ProfileHistory.at.desc(), ProfileHistory.id.desc())
        .limit(1)
    )


def profile_context(profile: Profile, *, active_section: str | None = None) -> dict[str, Any]:
    """What the header partial needs: states, permissions, completeness per section."""
    user = current_user._get_current_object()
    refs = current_refs()
    report = check_profile(profile, refs)
    position = profile.current_position_title or refs.name("positions", profile.current_position)
    return {
        "current_rank": refs.rank(profile.rank_code) if profile.rank_code else None,
        "current_position": position,
        "profile": profile,
        "states": STATUS_LABELS,
        "sections": SECTIONS,
        "active_section": active_section,
        "report": report,
        "section_done": {s.key: report.section_complete(s.key) for s in SECTIONS},
        "rejection_note": latest_rejection_note(profile),
        "may": {
            action: can(user, action, profile)
            for action in ("edit", "submit", "reopen", "view", "manage_contracts", "upload_attachment")
        },
    }


class ProfileView(SignedInPageView):
    """/ho-so/: the employee's own profile; /ho-so/<id>/: any profile in the user's scope."""

    def _own_profile_id(self) -> int | None:
        return db.session.scalar(select(Profile.id).where(Profile.owner_id == current_user.id))

    @expose("/")
    def index(self):  # type: ignore[no-untyped-def]
        profile_id = self._own_profile_id()
        if profile_id is None:
            return self.render("profile/no_profile.html")
        return self._render_profile(profile_id)

    @expose("/<int:profile_id>/")
    def show(self, profile_id: int):  # type: ignore[no-untyped-def]
        return self._render_profile(profile_id)

    def _render_profile(self, profile_id: int):  # type: ignore[no-untyped-def]
        profile = load_scoped_profile(profile_id, with_children=True)
        if profile is None:
            abort(404)
        context = profile_context(profile)
        return self.render("profile/home.html", **context)

    @expose("/<int:profile_id>/gui-xac-nhan", methods=("POST",))
    def submit(self, profile_id: int):  # type: ignore[no-untyped-def]
        profile = load_scoped_profile(profile_id, with_children=True)
        if profile is None:
            abort(404)
        if not can(current_user._get_current_object(), "submit", profile):
            return self._refuse(profile, "submit")
        report = check_profile(profile, current_refs())
        if not report.can_submit:
            flash("Hồ sơ chưa đủ thông tin để gửi xác nhận. Hãy bổ sung các mục dưới đây.", "error")
            return self.render("profile/home.html", **profile_context(profile), show_missing=True)
        return self._apply(profile, "submit", note=None, message="Đã gửi hồ sơ để xác nhận.")

    @expose("/<int:profile_id>/sua", methods=("POST",))
    def reopen(self, profile_id: int):  # type: ignore[no-untyped-def]
        profile = load_scoped_profile(profile_id)
        if profile is None:
            abort(404)
        if not can(current_user._get_current_object(), "reopen", profile):
            return self._refuse(profile, "reopen")
        return self._apply(profile, "reopen", note=None, message="Hồ sơ đã mở lại để cập nhật.")

    def _apply(self, profile: Profile, action: str, *, note: str | None, message: str):  # type: ignore[no-untyped-def]
        try:
            transition(db.session, profile, action, actor_id=current_user.id, now=datetime.now(UTC), note=note)
            db.session.commit()
        except TransitionError as exc:
            db.session.rollback()
            flash(str(exc), "error")
        else:
            flash(message, "success")
        return redirect(url_for(".show", profile_id=profile.id))

    def _refuse(self, profile: Profile, action: str):  # type: ignore[no-untyped-def]
        """Logged and answered 403: the buttons are only shown when allowed, so this is a crafted request."""
        record("transition_refused", object_type="profile", object_id=profile.id, details={"action": action})
        db.session.commit()
        abort(403, f"Không thể {ACTION_LABELS[action].lower()} hồ sơ ở trạng thái «{profile.status_label}».")

    @expose("/<int:profile_id>/anh", methods=("GET",))
    def photo(self, profile_id: int):  # type: ignore[no-untyped-def]
        """The 4x6 photo, inline, only to those who may see the profile."""
        profile = load_scoped_profile(profile_id)
        if profile is None or not profile.photo_path:
            abort(404)
        try:
            handle = open_stored(profile.photo_path, upload_dir())
        except FileNotFoundError:
            abort(404)
        response = send_file(handle, mimetype="image/jpeg", max_age=0)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @expose("/<int:profile_id>/anh", methods=("POST",))
    def upload_photo(self, profile_id: int):  # type: ignore[no-untyped-def]
        profile = load_scoped_profile(profile_id)
        if profile is None:
            abort(404)
        if not can(current_user._get_current_object(), "edit", profile):
            return self._refuse(profile, "save")
        upload = request.files.get("photo")
        back = url_for("section_basic.edit_view", id=profile.id)
        if upload is None or not upload.filename:
            flash("Hãy chọn một ảnh JPEG hoặc PNG.", "error")
            return redirect(back)
        try:
            stored = store_photo(upload.stream, max_bytes=max_upload_bytes(), upload_dir=upload_dir())
        except UploadRejected as exc:
            flash(str(exc), "error")
            return redirect(back)
        old = profile.photo_path
        profile.photo_path = stored
        profile.updated_at = utcnow()
        db.session.add(
            ProfileHistory(
                profile_id=profile.id,
                actor_id=current_user.id,
                action="save",
                from_status=profile.status,
                to_status=profile.status,
                note="Mục I. Ảnh 4x6",
                changes={"fields": {"photo_path": ["ảnh cũ" if old else None, "ảnh mới"]}},
            )
        )
        db.session.commit()
        if old and not self._kept_by_a_version(profile.id, old):
            delete_stored(old, upload_dir())
        flash("Đã cập nhật ảnh 4x6.", "success")
        return redirect(back)

    @staticmethod
    def _kept_by_a_version(profile_id: int, photo: str) -> bool:
        """A confirmed version still prints the photo it was confirmed with: keep that file."""
        versions = db.session.scalars(select(ProfileVersion.data).where(ProfileVersion.profile_id == profile_id))
        return any(data.get("photo_path") == photo for data in versions)

    @expose("/<int:profile_id>/lich-su")
    def history(self, profile_id: int):  # type: ignore[no-untyped-def]
        profile = load_scoped_profile(profile_id, with_children=True)
        if profile is None:
            abort(404)
        rows = db.session.execute(
            select(ProfileHistory, User.full_name)
            .outerjoin(User, User.id == ProfileHistory.actor_id)
            .where(ProfileHistory.profile_id == profile.id)
            .order_by(ProfileHistory.at.desc(), ProfileHistory.id.desc())
        ).all()
        return self.render(
            "profile/history.html",
            **profile_context(profile),
            entries=rows,
            field_labels=FIELD_LABELS,
            table_titles=TABLE_TITLES,
        )
