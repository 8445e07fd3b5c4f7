"""Imports every domain's models so that ``Base.metadata`` is complete (Alembic, tests)."""

from painfellow.accounts.models import AuthSession, LoginThrottle, Membership, PasswordReset, User
from painfellow.audit.models import AuditEntry
from painfellow.db.base import Base
from painfellow.didactics.models import Attendance, DidacticSession, SessionRating
from painfellow.duty_hours.models import DutyShift
from painfellow.outbox.models import OutboxMessage
from painfellow.programs.models import Program
from painfellow.research.models import ResearchProject, ScholarlyWork

__all__ = [
    "Attendance",
    "AuditEntry",
    "AuthSession",
    "Base",
    "DidacticSession",
    "DutyShift",
    "LoginThrottle",
    "Membership",
    "OutboxMessage",
    "PasswordReset",
    "Program",
    "ResearchProject",
    "ScholarlyWork",
    "SessionRating",
    "User",
]
