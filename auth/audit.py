"""Writing the audit log from a request: adds the actor and client address."""

from __future__ import annotations

from flask import has_request_context, request
from flask_login import current_user

from extensions import db
from models.audit import AuditLog
from models.user import User


def record(
    action: str,
    *,
    actor: User | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    details: dict | None = None,
) -> AuditLog:
    """Add an audit row to the session; the caller's transaction commits it."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user._get_current_object()
    entry = AuditLog(
        actor_id=actor.id if actor else None,
        ip=request.remote_addr if has_request_context() else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id) if object_id is not None else None,
        details=details or {},
    )
    db.session.add(entry)
    return entry
