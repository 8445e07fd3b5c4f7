"""Imports every domain's models so that ``Base.metadata`` is complete (Alembic, tests)."""

from painfellow.accounts.models import AuthSession, LoginThrottle, Membership, PasswordReset, User
from painfellow.applications.models import (
    ApplicantDocument,
    ApplicantProfile,
    Application,
    ApplicationSettings,
    ApplicationVersion,
    LetterRequest,
    ReviewNote,
    RubricCriterion,
    RubricScore,
)
from painfellow.audit.models import AuditEntry
from painfellow.caselog.models import CaseLogEntry, CaseLogFavourite, CaseLogMinimum
from painfellow.curriculum.models import (
    CurriculumObjective,
    ObjectiveCategory,
    ObjectiveRotation,
    ObjectiveSession,
)
from painfellow.db.base import Base
from painfellow.didactics.models import Attendance, DidacticSession, SessionRating
from painfellow.discovery.models import ProgramFavourite
from painfellow.duty_hours.models import DutyHourCalendar, DutyShift
from painfellow.eligibility.models import EligibilityRule
from painfellow.evaluations.models import (
    EvaluationAnswer,
    EvaluationForm,
    EvaluationItem,
    EvaluationItemObjective,
    FellowEvaluation,
)
from painfellow.interviews.models import (
    CalendarFeedToken,
    InterviewBooking,
    InterviewDatePreference,
    InterviewDay,
    InterviewEvaluation,
    InterviewInvitation,
    InterviewSettings,
    InterviewSlot,
    InterviewWaitlistEntry,
)
from painfellow.match_season.models import MatchQuota, MatchRun, MatchSeason, RankEntry, RankList
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
    "ApplicantDocument",
    "ApplicantProfile",
    "Application",
    "ApplicationSettings",
    "ApplicationVersion",
    "Attendance",
    "AuditEntry",
    "AuthSession",
    "Base",
    "BlockSchedule",
    "CalendarFeedToken",
    "CaseLogEntry",
    "CaseLogFavourite",
    "CaseLogMinimum",
    "CurriculumObjective",
    "DidacticSession",
    "DutyHourCalendar",
    "DutyShift",
    "EligibilityRule",
    "EvaluationAnswer",
    "EvaluationForm",
    "EvaluationItem",
    "EvaluationItemObjective",
    "FellowEvaluation",
    "InterviewBooking",
    "InterviewDatePreference",
    "InterviewDay",
    "InterviewEvaluation",
    "InterviewInvitation",
    "InterviewSettings",
    "InterviewSlot",
    "InterviewWaitlistEntry",
    "LetterRequest",
    "LoginThrottle",
    "MatchQuota",
    "MatchRun",
    "MatchSeason",
    "Membership",
    "ObjectiveCategory",
    "ObjectiveRotation",
    "ObjectiveSession",
    "OutboxMessage",
    "PasswordReset",
    "Program",
    "ProgramFavourite",
    "RankEntry",
    "RankList",
    "ResearchProject",
    "ReviewNote",
    "Rotation",
    "RubricCriterion",
    "RubricScore",
    "ScheduleAssignment",
    "ScheduleCalendar",
    "ScheduleRequest",
    "ScheduleRequirement",
    "ScholarlyWork",
    "SessionRating",
    "User",
]
