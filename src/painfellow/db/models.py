"""Imports every domain's models so that ``Base.metadata`` is complete (Alembic, tests)."""

from painfellow.accounts.models import AuthSession, LoginThrottle, Membership, PasswordReset, User
from painfellow.audit.models import AuditEntry
from painfellow.caselog.models import CaseLogEntry, CaseLogMinimum
from painfellow.curriculum.models import (
    CurriculumObjective,
    ObjectiveCategory,
    ObjectiveRotation,
    ObjectiveSession,
)
from painfellow.db.base import Base
from painfellow.didactics.models import Attendance, DidacticSession, SessionRating
from painfellow.duty_hours.models import DutyShift
from painfellow.eligibility.models import EligibilityRule
from painfellow.interviews.models import (
    InterviewBooking,
    InterviewDatePreference,
    InterviewDay,
    InterviewInvitation,
    InterviewSettings,
    InterviewSlot,
    InterviewWaitlistEntry,
)
from painfellow.outbox.models import OutboxMessage
from painfellow.programs.models import Program
from painfellow.research.models import ResearchProject, ScholarlyWork
from painfellow.schedules.models import (
    BlockSchedule,
    Rotation,
    ScheduleAssignment,
    ScheduleCalendar,
    ScheduleRequest,
    ScheduleRequirement,
)

__all__ = [
    "Attendance",
    "AuditEntry",
    "AuthSession",
    "Base",
    "BlockSchedule",
    "CaseLogEntry",
    "CaseLogMinimum",
    "CurriculumObjective",
    "DidacticSession",
    "DutyShift",
    "EligibilityRule",
    "InterviewBooking",
    "InterviewDatePreference",
    "InterviewDay",
    "InterviewInvitation",
    "InterviewSettings",
    "InterviewSlot",
    "InterviewWaitlistEntry",
    "LoginThrottle",
    "Membership",
    "ObjectiveCategory",
    "ObjectiveRotation",
    "ObjectiveSession",
    "OutboxMessage",
    "PasswordReset",
    "Program",
    "ResearchProject",
    "Rotation",
    "ScheduleAssignment",
    "ScheduleCalendar",
    "ScheduleRequest",
    "ScheduleRequirement",
    "ScholarlyWork",
    "SessionRating",
    "User",
]
