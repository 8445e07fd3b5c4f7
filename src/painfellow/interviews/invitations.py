"""Inviting applicants to interview: one invitation per (program, applicant), an email each."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from painfellow.accounts.models import Membership, User
from painfellow.accounts.roles import Role
from painfellow.db.engine import begin_write
from painfellow.errors import FieldError, InvalidInput, NotFound
from painfellow.interviews.models import InterviewInvitation
from painfellow.outbox.service import enqueue_email
from painfellow.programs.models import Program
from painfellow.settings import Settings


def invitation_url(invitation_id: int, base_url: str | None = None) -> str:
    base = Settings().base_url if base_url is None else base_url
    return f"{base.rstrip('/')}/interviews/invitations/{invitation_id}"


def _applicants(session: Session, user_ids: Iterable[int]) -> dict[int, User]:
    ids = set(user_ids)
    if not ids:
        return {}
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(
            User.id.in_(ids),
            Membership.role == Role.APPLICANT.value,
            Membership.program_id.is_(None),
        )
    )
    return {user.id: user for user in session.scalars(query)}


def invite(
    session: Session,
    *,
    program_id: int,
    applicant_user_ids: list[int],
    invited_by: int,
    now: datetime,
    message: str = "",
    base_url: str | None = None,
) -> list[InterviewInvitation]:
    """Invite applicants to interview at a program and email each a link to the invitation.

    Applicants already invited are skipped (their invitation is not returned and no second
    email goes out). Every id must be an applicant account, otherwise nothing is stored.
    Commits the session's transaction (together with any change the caller left pending), so
    the invitations and their emails are stored together or not at all.
    """
    begin_write(session)
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound("No such program.")
    applicants = _applicants(session, applicant_user_ids)
    unknown = sorted(set(applicant_user_ids) - set(applicants))
    if unknown:
        raise InvalidInput([FieldError("applicant_user_ids", f"not applicant accounts: {unknown}")])
    already = set(
        session.scalars(
            select(InterviewInvitation.applicant_user_id).where(
                InterviewInvitation.program_id == program_id,
                InterviewInvitation.applicant_user_id.in_(list(applicants)),
            )
        )
    )
    created: list[InterviewInvitation] = []
    for user_id in dict.fromkeys(applicant_user_ids):  # keeps the caller's order, no repeats
        if user_id in already:
            continue
        invitation = InterviewInvitation(
            program_id=program_id,
            applicant_user_id=user_id,
            status="invited",
            message=message,
            invited_by_user_id=invited_by,
            invited_at=now,
        )
        session.add(invitation)
        created.append(invitation)
    try:
        session.flush()
    except IntegrityError as error:  # a concurrent invite of the same applicant got in first
        session.rollback()
        raise InvalidInput(
            [FieldError("applicant_user_ids", "someone invited them at the same moment; retry")]
        ) from error
    program_name = f"{program.institution} — {program.name}"
    for invitation in created:
        user = applicants[invitation.applicant_user_id]
        note = f"\n\nA message from the program:\n{message}" if message else ""
        enqueue_email(
            session,
            recipient=user.email,
            subject=f"Interview invitation: {program_name}",
            body=(
                f"Hello {user.full_name},\n\n{program_name} invites you to interview.{note}\n\n"
                f"Choose your interview date here:\n"
                f"{invitation_url(invitation.id, base_url)}\n"
            ),
            now=now,
        )
    session.commit()
    return created


def count_invitations(session: Session, program_id: int) -> int:
    return (
        session.scalar(
            select(func.count())
            .select_from(InterviewInvitation)
            .where(InterviewInvitation.program_id == program_id)
        )
        or 0
    )
