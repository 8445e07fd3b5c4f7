"""Dashboard tasks about applications, for both sides: (text, link) pairs."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.applications.models import Application
from painfellow.applications.submissions import checklists_of, incomplete_applications


def applicant_tasks(session: Session, applicant_id: int) -> list[tuple[str, str]]:
    """The applicant's next steps, and one alert per submitted application still incomplete."""
    tasks = [("Your applications, documents and letters", "/applicant/applications")]
    for program, status in incomplete_applications(session, applicant_id):
        tasks.append(
            (f"Your application to {program.institution} is incomplete: "
             f"{', '.join(status.missing)}", "/applicant/applications")
        )  # fmt: skip
    return tasks


def program_tasks(
    session: Session, program_id: int, viewer_id: int | None = None
) -> list[tuple[str, str]]:
    """For a program's reviewers: the applications to review, and how many are incomplete;
    never counting the ``viewer_id``'s own (a member who applied does not review it)."""
    query = select(Application).where(
        Application.program_id == program_id, Application.status != "draft"
    )
    if viewer_id is not None:
        query = query.where(Application.applicant_user_id != viewer_id)
    submitted = list(session.scalars(query))
    base = f"/programs/{program_id}/applications"
    if not submitted:
        return [("Applications: none received yet", base)]
    tasks = [(f"Review applications ({len(submitted)})", base)]
    incomplete = sum(1 for c in checklists_of(session, submitted).values() if not c.complete)
    if incomplete:
        tasks.append((f"{incomplete} application(s) are incomplete", f"{base}?complete=no"))
    return tasks
