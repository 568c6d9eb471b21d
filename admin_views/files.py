"""Attachments (Đính kèm) and contracts (Hợp đồng) pages of a profile.

Every request loads the profile through `scope_profiles`, so a profile outside the user's scope
is a 404 (its existence is not revealed); an action `can()` refuses on a visible profile is a 403.
Child rows (attachments, contracts) are loaded by their id AND the profile's id. Denials happen
before any file is written or any row is added.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, request, send_file, url_for
from flask_admin import Admin, BaseView, expose
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy import func, select
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.wrappers import Response
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional, ValidationError

from auth.audit import record
from auth.permissions import can, scope_profiles
from extensions import db
from models.dates import DateFormatError, format_date, parse_date
from models.files import CONTRACT_KINDS, Attachment, Contract
from models.profile import Profile
from models.text import clean_text, has_control_chars
from models.uploads import (
    DEFAULT_MAX_BYTES,
    StoredFile,
    UploadRejected,
    delete_stored,
    format_size,
    open_stored,
    store_upload,
)
from models.user import User

# Kinds with an end date by nature (fixed-term, probation): "Đến ngày" is required for them.
FIXED_TERM_KINDS = frozenset(k for k in CONTRACT_KINDS if "khong_xac_dinh" not in k)


# --- configuration and small helpers -----------------------------------------------------------


def upload_dir() -> Path:
    """`UPLOAD_DIR`, or `<INSTANCE_DIR>/uploads`: outside the web root either way."""
    configured = current_app.config.get("UPLOAD_DIR")
    return Path(configured) if configured else Path(current_app.config["INSTANCE_DIR"]) / "uploads"


def max_upload_bytes() -> int:
    return int(current_app.config.get("ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def local_time(value: datetime | None) -> str:
    """dd/mm/yyyy HH:MM in the app's time zone; SQLite hands back naive UTC values."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"))
    return value.astimezone(zone).strftime("%d/%m/%Y %H:%M")


def _clean(value: Any) -> Any:
    return clean_text(value) if isinstance(value, str) else value


def _no_control_chars(_form: FlaskForm, field: Any) -> None:
    if field.data and has_control_chars(field.data):
        raise ValidationError("Nội dung có ký tự không hợp lệ.")


# --- forms (CSRF is checked app-wide by CSRFProtect; the templates render the token) ----------------


class AttachmentForm(FlaskForm):
    class Meta:
        csrf = False

    file = FileField("Tệp", validators=[FileRequired(message="Hãy chọn tệp cần tải lên.")])
    description = StringField(
        "Mô tả",
        filters=[_clean],
        validators=[Optional(), Length(max=255, message="Mô tả tối đa 255 ký tự."), _no_control_chars],
    )


def _date_of(field: Any) -> date | None:
    """Parse a dd/mm/yyyy field; a Vietnamese ValidationError keeps the typed text in the form."""
    if not field.data:
        return None
    try:
        return parse_date(field.data)
    except DateFormatError as exc:
        raise ValidationError(str(exc)) from exc


class ContractForm(FlaskForm):
    class Meta:
        csrf = False

    number = StringField(
        "Số hợp đồng",
        filters=[_clean],
        validators=[
            DataRequired(message="Nhập số hợp đồng."),
            Length(max=50, message="Số hợp đồng tối đa 50 ký tự."),
            _no_control_chars,
        ],
    )
    kind = SelectField(
        "Loại hợp đồng",
        choices=[SelectChoice("", "— Chọn loại hợp đồng —")] + [SelectChoice(k, v) for k, v in CONTRACT_KINDS.items()],
        validate_choice=False,  # WTForms' own message is English; AnyOf says it in Vietnamese
        validators=[AnyOf(tuple(CONTRACT_KINDS), message="Chọn loại hợp đồng.")],
    )
    valid_from = StringField("Từ ngày", filters=[_clean], validators=[DataRequired(message="Nhập ngày bắt đầu.")])
    valid_to = StringField("Đến ngày", filters=[_clean])
    signing_unit = StringField(
        "Đơn vị ký",
        filters=[_clean],
        validators=[Optional(), Length(max=255, message="Đơn vị ký tối đa 255 ký tự."), _no_control_chars],
    )
    file = FileField("Tệp hợp đồng (không bắt buộc)")

    from_date: date | None = None
    to_date: date | None = None

    def validate_valid_from(self, field: StringField) -> None:
        self.from_date = _date_of(field)

    def validate_valid_to(self, field: StringField) -> None:
        self.to_date = _date_of(field)

    def validate(self, extra_validators: Any = None) -> bool:
        """Field checks, then the cross-field rules on the parsed dates."""
        ok = super().validate(extra_validators)
        if self.valid_to.errors:
            return False
        if self.from_date and self.to_date and self.to_date < self.from_date:
            self.valid_to.errors.append("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
            return False
        if self.kind.data in FIXED_TERM_KINDS and not self.to_date:
            self.valid_to.errors.append("Hợp đồng có thời hạn: nhập ngày kết thúc.")
            return False
        return ok


# --- shared base ------------------------------------------------------------------------------------


class ProfilePageView(BaseView):
    """A page under /ho-so/<profile_id>/…: login required, hidden from the menu, profile scoped."""

    def is_visible(self) -> bool:
        return False

    def is_accessible(self) -> bool:
        return current_user.is_authenticated

    def inaccessible_callback(self, name: Any, **kwargs: Any) -> Response:
        # A POST URL makes no sense as a post-login target.
        target = request.full_path.rstrip("?") if request.method == "GET" else None
        return redirect(url_for("auth.login", next=target))

    def _run_view(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        """Call the view once: BaseView retries any TypeError with other arguments, hiding the real error."""
        return fn(self, *args, **kwargs)

    def create_blueprint(self, admin: Admin) -> Any:
        blueprint = super().create_blueprint(admin)
        # Above MAX_CONTENT_LENGTH the request is refused before the view runs (CSRFProtect reads the
        # form first): answer with the page's own message instead of the generic 413 page.
        blueprint.register_error_handler(RequestEntityTooLarge, self._too_large)
        return blueprint

    def _too_large(self, _error: RequestEntityTooLarge) -> tuple[str, int]:
        back = None
        if request.view_args and "profile_id" in request.view_args:
            back = url_for(f"{self.endpoint}.index", profile_id=request.view_args["profile_id"])
        message = f"Tệp tải lên quá lớn: mỗi tệp tối đa {format_size(max_upload_bytes())}. Không có tệp nào được lưu."
        return self.render("files/too_large.html", message=message, back=back), 413

    @staticmethod
    def _user() -> User:
        return current_user._get_current_object()

    def _profile(self, profile_id: int, action: str, *, lock: bool = False) -> Profile:
        """The profile if it is in scope (else 404) and `action` is allowed on it (else 403).

        `lock` takes a row lock on PostgreSQL so a concurrent submit cannot slip between the
        state check and the write.
        """
        user = self._user()
        stmt = scope_profiles(select(Profile).where(Profile.id == profile_id), user)
        if lock:
            stmt = stmt.with_for_update(of=Profile)
        profile = db.session.scalar(stmt)
        if profile is None:
            abort(404)
        if not can(user, action, profile):
            abort(403)
        return profile

    @staticmethod
    def _attachment(profile: Profile, attachment_id: int) -> Attachment:
        attachment = db.session.scalar(
            select(Attachment).where(Attachment.id == attachment_id, Attachment.profile_id == profile.id)
        )
        if attachment is None:
            abort(404)
        return attachment

    @staticmethod
    @contextmanager
    def _committed_or_removed(stored: StoredFile | None) -> Iterator[None]:
        """Run the block and commit; on any failure the file just written must not stay without its row."""
        try:
            yield
            db.session.commit()
        except Exception:
            db.session.rollback()
            if stored is not None:
                delete_stored(stored.stored_name, upload_dir())
            raise

    def _page_args(self, profile: Profile) -> dict[str, Any]:
        return {
            "profile": profile,
            "owner_name": profile.full_name or profile.owner.full_name,
            "attachments_url": url_for("attachments.index", profile_id=profile.id),
            "contracts_url": url_for("contracts.index", profile_id=profile.id),
        }


def _add_attachment(profile: Profile, stored: StoredFile, description: str | None, user: User) -> Attachment:
    attachment = Attachment(
        profile_id=profile.id,
        original_name=stored.original_name,
        stored_name=stored.stored_name,
        content_type=stored.content_type,
        size=stored.size,
        description=description,
        uploaded_by_id=user.id,
    )
    db.session.add(attachment)
    db.session.flush()
    record(
        "attachment_upload",
        object_type="attachment",
        object_id=attachment.id,
        details={"profile_id": profile.id, "name": stored.original_name, "type": stored.content_type},
    )
    return attachment


# --- Đính kèm -----------------------------------------------------------------------------------------


class AttachmentsView(ProfilePageView):
    @expose("/")
    def index(self, profile_id: int) -> Any:
        profile = self._profile(profile_id, "view")
        return self._render(profile, AttachmentForm())

    def _render(self, profile: Profile, form: AttachmentForm, status: int = 200, reselect_file: bool = False) -> Any:
        user = self._user()
        rows = db.session.execute(
            select(Attachment, User.full_name)
            .outerjoin(User, User.id == Attachment.uploaded_by_id)
            .where(Attachment.profile_id == profile.id)
            .order_by(Attachment.uploaded_at.desc(), Attachment.id.desc())
        ).all()
        contract_files = set(
            db.session.scalars(
                select(Contract.attachment_id).where(
                    Contract.profile_id == profile.id, Contract.attachment_id.is_not(None)
                )
            )
        )
        items = [
            {
                "attachment": attachment,
                "size": format_size(attachment.size),
                "uploaded_at": local_time(attachment.uploaded_at),
                "uploaded_by": uploader or "",
                "is_contract_file": attachment.id in contract_files,
            }
            for attachment, uploader in rows
        ]
        html = self.render(
            "files/attachments.html",
            items=items,
            form=form,
            can_upload=can(user, "upload_attachment", profile),
            can_delete=can(user, "delete_attachment", profile),
            can_download=can(user, "download_attachment", profile),
            max_size=format_size(max_upload_bytes()),
            reselect_file=reselect_file,
            **self._page_args(profile),
        )
        return html, status

    @expose("/upload", methods=["POST"])
    def upload(self, profile_id: int) -> Any:
        profile = self._profile(profile_id, "upload_attachment", lock=True)
        form = AttachmentForm()
        if not form.validate():
            return self._render(profile, form, 400, reselect_file=bool(form.file.data))
        try:
            stored = store_upload(
                form.file.data.stream, form.file.data.filename, max_bytes=max_upload_bytes(), upload_dir=upload_dir()
            )
        except UploadRejected as exc:
            form.file.errors = [str(exc)]
            return self._render(profile, form, 400)
        with self._committed_or_removed(stored):
            _add_attachment(profile, stored, form.description.data, self._user())
        flash(f"Đã tải lên tệp “{stored.original_name}”.", "success")
        return redirect(url_for(".index", profile_id=profile.id), 303)

    @expose("/<int:attachment_id>/tai-ve")
    def download(self, profile_id: int, attachment_id: int) -> Response:
        profile = self._profile(profile_id, "download_attachment")
        attachment = self._attachment(profile, attachment_id)
        try:
            handle = open_stored(attachment.stored_name, upload_dir())
        except FileNotFoundError:
            current_app.logger.error("attachment %s: stored file missing", attachment.id)
            abort(404)
        record("attachment_download", object_type="attachment", object_id=attachment.id)
        db.session.commit()
        response = send_file(
            handle,
            mimetype=attachment.content_type,
            as_attachment=True,
            download_name=attachment.original_name,
        )
        response.content_length = attachment.size
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @expose("/<int:attachment_id>/xoa", methods=["POST"])
    def delete(self, profile_id: int, attachment_id: int) -> Response:
        profile = self._profile(profile_id, "delete_attachment", lock=True)
        attachment = self._attachment(profile, attachment_id)
        back = redirect(url_for(".index", profile_id=profile.id), 303)
        in_contract = db.session.scalar(select(func.count()).where(Contract.attachment_id == attachment.id))
        if in_contract:
            flash("Tệp này là tệp của một hợp đồng: xóa ở trang Hợp đồng.", "error")
            return back
        name, stored_name = attachment.original_name, attachment.stored_name
        db.session.delete(attachment)
        record("attachment_delete", object_type="attachment", object_id=attachment_id, details={"name": name})
        db.session.commit()
        # After the commit: a failed commit must not leave a row whose file is gone.
        delete_stored(stored_name, upload_dir())
        flash(f"Đã xóa tệp “{name}”.", "success")
        return back


# --- Hợp đồng -----------------------------------------------------------------------------------------


class ContractsView(ProfilePageView):
    @expose("/")
    def index(self, profile_id: int) -> Any:
        profile = self._profile(profile_id, "view")
        return self._render(profile, ContractForm())

    def _render(self, profile: Profile, form: ContractForm, status: int = 200, reselect_file: bool = False) -> Any:
        user = self._user()
        contracts = db.session.scalars(
            select(Contract)
            .where(Contract.profile_id == profile.id)
            .order_by(Contract.valid_from.desc(), Contract.id.desc())
        ).all()
        items = [
            {
                "contract": contract,
                "kind": CONTRACT_KINDS.get(contract.kind, contract.kind),
                "valid_from": format_date(contract.valid_from),
                "valid_to": format_date(contract.valid_to) or "Không xác định thời hạn",
            }
            for contract in contracts
        ]
        html = self.render(
            "files/contracts.html",
            items=items,
            form=form,
            can_manage=can(user, "manage_contracts", profile),
            can_download=can(user, "download_attachment", profile),
            max_size=format_size(max_upload_bytes()),
            reselect_file=reselect_file,
            **self._page_args(profile),
        )
        return html, status

    @expose("/them", methods=["POST"])
    def create(self, profile_id: int) -> Any:
        profile = self._profile(profile_id, "manage_contracts", lock=True)
        form = ContractForm()
        if not form.validate():
            return self._render(profile, form, 400, reselect_file=bool(form.file.data))
        stored = None
        upload = form.file.data
        if upload is not None and upload.filename:
            try:
                stored = store_upload(
                    upload.stream, upload.filename, max_bytes=max_upload_bytes(), upload_dir=upload_dir()
                )
            except UploadRejected as exc:
                form.file.errors = [str(exc)]
                return self._render(profile, form, 400)
        user = self._user()
        with self._committed_or_removed(stored):
            contract = Contract(
                profile_id=profile.id,
                number=form.number.data,
                kind=form.kind.data,
                valid_from=form.from_date,
                valid_to=form.to_date,
                signing_unit=form.signing_unit.data,
            )
            if stored is not None:
                contract.attachment = _add_attachment(profile, stored, f"Hợp đồng số {form.number.data}", user)
            db.session.add(contract)
            db.session.flush()
            record(
                "contract_create",
                object_type="contract",
                object_id=contract.id,
                details={"profile_id": profile.id, "number": contract.number, "kind": contract.kind},
            )
        flash(f"Đã thêm hợp đồng số {form.number.data}.", "success")
        return redirect(url_for(".index", profile_id=profile.id), 303)

    @expose("/<int:contract_id>/xoa", methods=["POST"])
    def delete(self, profile_id: int, contract_id: int) -> Response:
        profile = self._profile(profile_id, "manage_contracts", lock=True)
        contract = db.session.scalar(
            select(Contract).where(Contract.id == contract_id, Contract.profile_id == profile.id)
        )
        if contract is None:
            abort(404)
        number, attachment = contract.number, contract.attachment
        db.session.delete(contract)
        stored_name = None
        if attachment is not None and attachment.profile_id == profile.id:
            # The file was uploaded with the contract; it goes with it unless another contract uses it.
            db.session.flush()
            still_used = db.session.scalar(select(func.count()).where(Contract.attachment_id == attachment.id))
            if not still_used:
                stored_name = attachment.stored_name
                db.session.delete(attachment)
        record(
            "contract_delete",
            object_type="contract",
            object_id=contract_id,
            details={"profile_id": profile.id, "number": number},
        )
        db.session.commit()
        if stored_name:
            delete_stored(stored_name, upload_dir())
        flash(f"Đã xóa hợp đồng số {number}.", "success")
        return redirect(url_for(".index", profile_id=profile.id), 303)


def register_file_views(admin: Admin) -> None:
    """Endpoints `attachments.*` and `contracts.*`; linked from the profile pages, not the menu."""
    admin.add_view(AttachmentsView(name="Đính kèm", endpoint="attachments", url="/ho-so/<int:profile_id>/dinh-kem"))
    admin.add_view(ContractsView(name="Hợp đồng", endpoint="contracts", url="/ho-so/<int:profile_id>/hop-dong"))
