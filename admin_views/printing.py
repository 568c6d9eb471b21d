"""Print routes (/in): the 2C form of one profile as PDF or Word, and a ZIP of many PDFs.

Which data prints (FORM_2C.md, "Which version is printed"): the latest confirmed version by
default; the current draft, marked "Bản nháp – chưa xác nhận" on every page, when there is no
confirmed version yet or when `?ban=nhap` asks for it. Anyone who may view a profile may print it:
a single profile is loaded only through `load_scoped_profile` (out of scope → 404, its existence
is not revealed), bulk ids are filtered through the same scope clause. Every print is audited.

The view only gathers plain data (reference lists, unit names, the photo) and hands it to the pure
renderers in reports/; the database session is done with before layout starts.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_admin import Admin, expose
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from werkzeug.wrappers import Response as BaseResponse

from admin_views.base import SignedInPageView
from admin_views.files import upload_dir
from admin_views.profile_page import load_scoped_profile
from admin_views.refs import current_refs
from auth.audit import record
from auth.permissions import can, profile_scope_clause
from extensions import db
from models.org import OrgUnit
from models.profile import Profile
from models.snapshot import CHILD_TABLES, profile_data
from models.snapshot_store import ProfileVersion
from models.uploads import open_stored
from models.workflow import official_version
from reports.bulk import write_zip
from reports.docx_2c import render_docx
from reports.form_2c import file_name
from reports.pdf_2c import render_pdf
from reports.snapshot import (
    PrintSnapshot,
    UnitDirectory,
    VersionInfo,
    build_snapshot,
    draft_version_info,
    official_version_info,
    vn_date,
)

DRAFT = "nhap"
OFFICIAL = "chinh-thuc"
DEFAULT_BULK_PRINT_MAX = 1000
PHOTO_MAX_BYTES = 10 * 1024 * 1024
MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
ZIP_SPOOL_BYTES = 32 * 1024 * 1024  # larger ZIPs go to a temporary file, not memory


# --- plain data for the renderers ---------------------------------------------------------------------


def load_units(data_items: Iterable[Mapping[str, Any]]) -> UnitDirectory:
    """The units the snapshots name (using unit, managing agency) and the using units' parents:
    two queries whatever the number of profiles."""
    wanted: set[int] = set()
    for data in data_items:
        for key in ("org_unit_id", "managing_agency_id"):
            if isinstance(data.get(key), int):
                wanted.add(data[key])
    columns = (OrgUnit.id, OrgUnit.name, OrgUnit.kind, OrgUnit.parent_id)
    rows = db.session.execute(select(*columns).where(OrgUnit.id.in_(wanted))).all() if wanted else []
    parents = {row.parent_id for row in rows if row.parent_id is not None} - wanted
    if parents:
        rows += db.session.execute(select(*columns).where(OrgUnit.id.in_(parents))).all()
    return UnitDirectory.from_rows((row.id, row.name, row.kind, row.parent_id) for row in rows)


def read_photo(stored_name: Any) -> bytes | None:
    """The stored 4x6 photo, or None (no photo, or its file is gone: the box prints empty)."""
    if not isinstance(stored_name, str) or not stored_name:
        return None
    try:
        with open_stored(stored_name, upload_dir()) as handle:
            data = handle.read(PHOTO_MAX_BYTES + 1)
    except (FileNotFoundError, OSError):
        return None
    return data if 0 < len(data) <= PHOTO_MAX_BYTES else None


def make_snapshot(
    profile_id: int, data: Mapping[str, Any], version: VersionInfo, units: UnitDirectory
) -> PrintSnapshot:
    return build_snapshot(
        data,
        current_refs(),
        units,
        version,
        profile_id=profile_id,
        photo=read_photo(data.get("photo_path")),
    )


def version_data(version: ProfileVersion) -> tuple[dict[str, Any], VersionInfo]:
    return version.data, official_version_info(version.number, version.confirmed_at, version.digest)


def draft_data(profile: Profile) -> tuple[dict[str, Any], VersionInfo]:
    data = profile_data(profile)
    return data, draft_version_info(data)


# --- responses ----------------------------------------------------------------------------------------


def attachment_headers(response: BaseResponse, ascii_name: str, utf8_name: str) -> BaseResponse:
    """Download, never displayed inline; a safe ASCII name plus the UTF-8 one (RFC 6266 / 5987)."""
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(utf8_name, safe='')}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def parse_ids(values: Iterable[str]) -> list[int]:
    """Distinct positive integer ids in the order given; anything else is ignored."""
    seen: dict[int, None] = {}
    for value in values:
        text = str(value).strip()
        if text.isascii() and text.isdigit() and len(text) <= 18 and int(text) > 0:
            seen.setdefault(int(text), None)
    return list(seen)


class PrintView(SignedInPageView):
    """/in/…: print routes, reached from the profile page's "In" menu and the lists' bulk action."""

    def is_visible(self) -> bool:
        return False

    @expose("/")
    def index(self):  # type: ignore[no-untyped-def]
        """Flask-Admin needs a default view; printing always starts from a profile or a list."""
        return redirect(url_for("profile.index"))

    # -- one profile ----------------------------------------------------------------------------------

    @expose("/ho-so/<int:profile_id>/2c.pdf")
    def profile_2c_pdf(self, profile_id: int):  # type: ignore[no-untyped-def]
        return self._single(profile_id, "pdf")

    @expose("/ho-so/<int:profile_id>/2c.docx")
    def profile_2c_docx(self, profile_id: int):  # type: ignore[no-untyped-def]
        return self._single(profile_id, "docx")

    def _single(self, profile_id: int, kind: str) -> BaseResponse:
        wants_draft = request.args.get("ban", OFFICIAL) == DRAFT
        profile = load_scoped_profile(profile_id, with_children=wants_draft)
        if profile is None:
            abort(404)
        if not can(current_user._get_current_object(), "print", profile):
            abort(403)
        version = None if wants_draft else official_version(db.session, profile.id)
        if version is not None:
            data, info = version_data(version)
        else:
            if not wants_draft:  # never confirmed: the draft prints, with its children loaded in one go
                profile = load_scoped_profile(profile_id, with_children=True)
                if profile is None:
                    abort(404)
            data, info = draft_data(profile)
        snapshot = make_snapshot(profile.id, data, info, load_units([data]))
        record(
            "profile_print",
            object_type="profile",
            object_id=profile.id,
            details={"form": "2c", "format": kind, "version": info.number, "draft": info.is_draft},
        )
        db.session.commit()
        body = render_pdf(snapshot) if kind == "pdf" else render_docx(snapshot)
        response = current_app.response_class(body, mimetype=MIMETYPES[kind])
        return attachment_headers(response, file_name(snapshot, kind), file_name(snapshot, kind, ascii_only=False))

    # -- many profiles --------------------------------------------------------------------------------

    @expose("/hang-loat", methods=("POST",))
    def bulk(self):  # type: ignore[no-untyped-def]
        """A ZIP of 2C PDFs for the posted ids (`ids` or Flask-Admin's `rowid`), CSRF-checked
        app-wide. Ids outside the user's scope are dropped silently, like rows a list never showed."""
        ids = parse_ids([*request.form.getlist("ids"), *request.form.getlist("rowid")])
        limit = int(current_app.config.get("BULK_PRINT_MAX", DEFAULT_BULK_PRINT_MAX))
        if not ids:
            return self._refuse("Chưa chọn hồ sơ nào để in.", 400)
        if len(ids) > limit:
            return self._refuse(f"Mỗi lần chỉ in được tối đa {limit} hồ sơ; bạn đã chọn {len(ids)}.", 400)
        wants_draft = request.form.get("ban", OFFICIAL) == DRAFT
        snapshots = self._bulk_snapshots(ids, wants_draft)
        if not snapshots:
            abort(404)
        record(
            "profile_bulk_print",
            object_type="profile",
            details={
                "form": "2c",
                "count": len(snapshots),
                "requested": len(ids),
                "draft": wants_draft,
                "ids": [s.profile_id for s in snapshots],
            },
        )
        db.session.commit()  # ends the transaction: no connection is held during the render
        spool = tempfile.SpooledTemporaryFile(max_size=ZIP_SPOOL_BYTES)  # noqa: SIM115 (closed by the response)
        write_zip(snapshots, spool)
        spool.seek(0)
        day = vn_date(datetime.now(UTC)) or datetime.now(UTC).date()
        name = f"SYLL-2C_{len(snapshots)}-ho-so_{day:%Y%m%d}.zip"
        response = send_file(spool, mimetype="application/zip", max_age=0)
        return attachment_headers(response, name, name)

    def _bulk_snapshots(self, ids: Sequence[int], wants_draft: bool) -> list[PrintSnapshot]:
        """Snapshots of the in-scope profiles among `ids`, in the order posted: official versions in
        one query, drafts (where needed) with their children in one query per child table."""
        scope = profile_scope_clause(current_user._get_current_object())
        visible = list(db.session.scalars(select(Profile.id).where(Profile.id.in_(ids), scope)))
        if not visible:
            return []
        versions: dict[int, ProfileVersion] = {}
        if not wants_draft:
            latest = (
                select(ProfileVersion.profile_id, func.max(ProfileVersion.number).label("number"))
                .where(ProfileVersion.profile_id.in_(visible))
                .group_by(ProfileVersion.profile_id)
                .subquery()
            )
            stmt = select(ProfileVersion).join(
                latest,
                (ProfileVersion.profile_id == latest.c.profile_id) & (ProfileVersion.number == latest.c.number),
            )
            versions = {v.profile_id: v for v in db.session.scalars(stmt)}
        drafts_needed = [pid for pid in visible if pid not in versions]
        drafts: dict[int, Profile] = {}
        if drafts_needed:
            stmt = select(Profile).where(Profile.id.in_(drafts_needed), scope)
            stmt = stmt.options(*(selectinload(getattr(Profile, name)) for name in CHILD_TABLES))
            drafts = {p.id: p for p in db.session.scalars(stmt)}
        gathered: list[tuple[int, dict[str, Any], VersionInfo]] = []
        for pid in ids:
            if pid in versions:
                gathered.append((pid, *version_data(versions[pid])))
            elif pid in drafts:
                gathered.append((pid, *draft_data(drafts[pid])))
        units = load_units(data for _pid, data, _info in gathered)
        return [make_snapshot(pid, data, info, units) for pid, data, info in gathered]

    def _refuse(self, message: str, status: int) -> tuple[str, int]:
        return render_template("error.html", code=status, message=message), status


def register_print_views(admin: Admin) -> None:
    """Endpoint `printing` at /in; hidden from the menu. Also tells the profile header that the
    "In" menu can link here (the header shows "Chưa có mẫu in" until this runs)."""
    admin.add_view(PrintView(name="In", endpoint="printing", url="/in"))
    if admin.app is not None:
        admin.app.jinja_env.globals["printing_enabled"] = True
