"""All models, imported here so metadata (and Alembic) sees every table."""

from models.audit import AuditLog, ProfileHistory
from models.campaign import Campaign
from models.org import OrgUnit
from models.profile import Profile
from models.refdata import Rank, RefItem, SalaryStep
from models.sections import *  # noqa: F403
from models.sections import __all__ as _section_models
from models.user import RoleAssignment, User

__all__ = [
    "AuditLog",
    "Campaign",
    "OrgUnit",
    "Profile",
    "ProfileHistory",
    "Rank",
    "RefItem",
    "RoleAssignment",
    "SalaryStep",
    "User",
    *_section_models,
]
