"""What each person should do next, from the data that exists today."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from painfellow.accounts.models import Membership, User
from painfellow.accounts.principal import Principal
from painfellow.accounts.roles import STAFF_ROLES, Role
from painfellow.applications.alerts import applicant_tasks, program_tasks
from painfellow.applications.letters import WriterRequest, list_requests_for_writer
from painfellow.outbox.models import OutboxMessage
from painfellow.programs.models import Program


@dataclass
class Task:
    text: str
    href: str


@dataclass
class ProgramPanel:
    program: Program
    roles: list[Role]
    member_counts: dict[str, int]
    tasks: list[Task] = field(default_factory=list)


@dataclass
class Dashboard:
    panels: list[ProgramPanel]
    global_tasks: list[Task]
    admin_figures: dict[str, int]
    letter_requests: list[WriterRequest] = field(default_factory=list)


def build_dashboard(
    session: Session, principal: Principal, *, secret_key: str, now: datetime
) -> Dashboard:
    """Per program the person belongs to: who is there and what is missing; plus global tasks
    and the letter requests addressed to the person's email (anyone may be asked for one)."""
    panels = []
    program_ids = sorted(principal.program_ids())
    programs = {
        p.id: p for p in session.scalars(select(Program).where(Program.id.in_(program_ids)))
    }
    counts: dict[int, dict[str, int]] = {pid: {} for pid in program_ids}
    for pid, role, n in session.execute(
        select(Membership.program_id, Membership.role, func.count())
        .where(Membership.program_id.in_(program_ids))
        .group_by(Membership.program_id, Membership.role)
    ):
        if pid is not None:
            counts[pid][role] = n
    for pid in program_ids:
        program = programs[pid]
        roles = sorted(principal.roles_in(pid))
        panel = ProgramPanel(program, roles, counts[pid])
        if {Role.PROGRAM_DIRECTOR, Role.PROGRAM_COORDINATOR} & set(roles):
            panel.tasks.extend(_profile_gaps(program))
        if {Role.FACULTY, Role.PROGRAM_DIRECTOR} & set(roles):
            panel.tasks.append(Task("Verify logged cases", f"/programs/{pid}/case-log/verify"))
        if {Role.PROGRAM_DIRECTOR, Role.PROGRAM_COORDINATOR} & set(roles):
            panel.tasks.append(
                Task("Case-log minimums and complications", f"/programs/{pid}/case-log/program")
            )
        if {Role.PROGRAM_DIRECTOR, Role.PROGRAM_COORDINATOR, Role.FACULTY} & set(roles):
            panel.tasks.extend(
                Task(text, href) for text, href in program_tasks(session, pid, principal.user_id)
            )
        if {Role.PROGRAM_DIRECTOR, Role.PROGRAM_COORDINATOR, Role.FACULTY} & set(roles):
            panel.tasks.append(Task("Match rank order list", f"/programs/{pid}/match"))
        if {Role.PROGRAM_DIRECTOR, Role.PROGRAM_COORDINATOR} & set(roles):
            panel.tasks.append(
                Task("Interview days and invitations", f"/programs/{pid}/interviews")
            )
        if {Role.FACULTY, Role.PROGRAM_DIRECTOR} & set(roles):
            panel.tasks.append(
                Task("Interview evaluations", f"/programs/{pid}/interviews/evaluations")
            )
        if Role.PROGRAM_DIRECTOR in roles:
            panel.tasks.append(
                Task("Review recent changes in the audit log", f"/programs/{pid}/audit")
            )
        if Role.FELLOW in roles:
            panel.tasks.append(Task("Log a procedure", f"/programs/{pid}/case-log"))
            panel.tasks.append(Task("Log your duty hours", f"/programs/{pid}/duty-hours"))
            panel.tasks.append(Task("Keep your scholarly record", f"/programs/{pid}/research"))
        if {Role.PROGRAM_DIRECTOR, Role.PROGRAM_COORDINATOR} & set(roles):
            panel.tasks.append(
                Task("Check duty-hour compliance", f"/programs/{pid}/duty-hours/report")
            )
        if Role.FELLOW in roles:
            panel.tasks.append(Task("My rotations", f"/programs/{pid}/schedule/mine"))
        else:
            panel.tasks.append(Task("Block schedule", f"/programs/{pid}/schedule"))
        if set(roles) - {Role.PROGRAM_COORDINATOR}:
            panel.tasks.append(Task("Didactic sessions", f"/programs/{pid}/didactics"))
        elif Role.PROGRAM_COORDINATOR in roles:
            panel.tasks.append(Task("Schedule didactic sessions", f"/programs/{pid}/didactics"))
        if {Role.PROGRAM_DIRECTOR, Role.PROGRAM_COORDINATOR} & set(roles):
            panel.tasks.append(Task("Curriculum and gaps", f"/programs/{pid}/curriculum"))
        else:
            panel.tasks.append(Task("Curriculum", f"/programs/{pid}/curriculum"))
        evaluations = f"/programs/{pid}/evaluations"
        if {Role.FACULTY, Role.PROGRAM_DIRECTOR} & set(roles):
            panel.tasks.append(Task("Evaluate fellows", evaluations))
        elif Role.PROGRAM_COORDINATOR in roles:
            panel.tasks.append(Task("Evaluations of fellows", evaluations))
        if Role.FELLOW in roles:
            panel.tasks.append(Task("Your evaluations", evaluations))
        if Role.FELLOW in roles or Role.FACULTY in roles or STAFF_ROLES & set(roles):
            panel.tasks.append(Task("Read your program's profile", f"/programs/{pid}"))
        panels.append(panel)

    global_tasks: list[Task] = []
    figures: dict[str, int] = {}
    if principal.has_role(Role.APPLICANT):
        global_tasks.extend(Task(t, h) for t, h in applicant_tasks(session, principal.user_id))
        global_tasks.append(Task("Search the program directory", "/programs"))
        global_tasks.append(Task("Your match rank order list", "/match"))
        global_tasks.append(Task("Your interview invitations", "/interviews"))
        global_tasks.append(Task("Check your eligibility", "/eligibility"))
    letter_requests = list_requests_for_writer(
        session, principal.email, secret_key=secret_key, now=now
    )
    if principal.has_role(Role.LETTER_WRITER) and not any(r.upload_path for r in letter_requests):
        global_tasks.append(Task("No letter requests are waiting for you", "/dashboard"))
    if principal.is_admin:
        figures = {
            "programs": session.scalar(select(func.count(Program.id))) or 0,
            "users": session.scalar(select(func.count(User.id))) or 0,
            "emails waiting": session.scalar(
                select(func.count(OutboxMessage.id)).where(OutboxMessage.status == "pending")
            )
            or 0,
        }
        if figures["emails waiting"]:
            global_tasks.append(Task("Emails are waiting in the outbox", "/admin/outbox"))
        global_tasks.append(Task("Match seasons: dates, runs and release", "/admin/match"))
        global_tasks.append(Task("Read the platform audit log", "/admin/audit"))
        global_tasks.append(Task("Edit the fellowship eligibility rules", "/admin/eligibility"))
    return Dashboard(panels, global_tasks, figures, letter_requests)


def _profile_gaps(program: Program) -> list[Task]:
    edit = f"/programs/{program.id}/edit"
    gaps = []
    if not program.contacts:
        gaps.append(Task("Add a contact person to your program profile", edit))
    if len(program.website_text) < 40:
        gaps.append(Task("Describe your program for applicants", edit))
    if not program.features:
        gaps.append(Task("List your program's features", edit))
    if not program.accepted_specialties:
        gaps.append(Task("Say which prior specialties you accept", edit))
    return gaps
