"""Reading the audit log. There is deliberately no command to change it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.audit.models import AuditEntry


def list_audit_entries(
    session: Session,
    *,
    program_id: int | None = None,
    limit: int = 100,
    before_id: int | None = None,
) -> list[AuditEntry]:
    """Newest first; ``program_id`` None means every program (platform admin only)."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)
    if program_id is not None:
        query = query.where(AuditEntry.program_id == program_id)
    if before_id is not None:
        query = query.where(AuditEntry.id < before_id)
    return list(session.scalars(query))
