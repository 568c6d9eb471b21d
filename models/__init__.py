"""All models, imported here so metadata (and Alembic) sees every table."""

from models.audit import AuditLog, ProfileHistory
from models.campaign import Campaign, Reminder
from models.files import Attachment, Contract
from models.org import OrgUnit
from models.profile import Profile
from models.refdata import Rank, RefItem, SalaryStep
from models.sections import *  # noqa: F403
from models.sections import __all__ as _section_models
from models.snapshot_store import ProfileVersion
from models.sync import SyncBatch, SyncOutbox
from models.user import RoleAssignment, User

__all__ = [
    "Attachment",
    "AuditLog",
    "Campaign",
    "Contract",
    "OrgUnit",
    "Profile",
    "ProfileHistory",
    "ProfileVersion",
    "Rank",
    "RefItem",
    "Reminder",
    "RoleAssignment",
    "SalaryStep",
    "SyncBatch",
    "SyncOutbox",
    "User",
    *_section_models,
]
