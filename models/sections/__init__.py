"""Repeating tables of the profile, one module per section (SECTIONS.md)."""

from models.sections.assessment import AnnualResult
from models.sections.economy import House, Land
from models.sections.education import TRAINING_KINDS, Training
from models.sections.employment import ConcurrentPosition, WorkHistory
from models.sections.family import FamilyMember
from models.sections.party import OrgActivity, PartyConcurrentPosition
from models.sections.personal_history import ForeignOrganization, OldRegimeWork
from models.sections.rewards import Discipline, StateTitle
from models.sections.salary import Allowance, SalaryHistory

__all__ = [
    "TRAINING_KINDS",
    "Allowance",
    "AnnualResult",
    "ConcurrentPosition",
    "Discipline",
    "FamilyMember",
    "ForeignOrganization",
    "House",
    "Land",
    "OldRegimeWork",
    "OrgActivity",
    "PartyConcurrentPosition",
    "SalaryHistory",
    "StateTitle",
    "Training",
    "WorkHistory",
]
