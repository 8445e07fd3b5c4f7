"""Research and scholarly activity of fellows (ACGME CPR IV.D scholarly activity; issue 5).

A fellow keeps their own record; the program reads every fellow's record for accreditation
reporting.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.errors import FieldError, InvalidInput, NotFound
from painfellow.research.models import ResearchProject, ScholarlyWork
from painfellow.research.schemas import IrbStatus, ProjectForm, WorkForm, WorkKind
from painfellow.spreadsheet import safe_cell

REVIEWED = {IrbStatus.SUBMITTED, IrbStatus.APPROVED, IrbStatus.EXEMPT, IrbStatus.CLOSED}
KIND_HEADINGS = {
    WorkKind.PUBLICATION: "Publications",
    WorkKind.ABSTRACT: "Abstracts",
    WorkKind.POSTER: "Posters",
    WorkKind.PRESENTATION: "Presentations",
    WorkKind.GRANT: "Grants",
    WorkKind.CONFERENCE: "Conferences attended",
}


@dataclass(frozen=True)
class ScholarlyRecord:
    projects: list[ResearchProject]
    works: list[ScholarlyWork]


def add_project(
    session: Session, program_id: int, fellow_id: int, form: ProjectForm
) -> ResearchProject:
    """A project once sent to an IRB carries its IRB number."""
    if form.irb_status in REVIEWED and not form.irb_number:
        raise InvalidInput(
            [FieldError("irb_number", "is required once the study has gone to the IRB")]
        )
    project = ResearchProject(
        program_id=program_id,
        fellow_user_id=fellow_id,
        **form.model_dump(mode="json"),
    )
    session.add(project)
    session.commit()
    return project


def add_work(session: Session, program_id: int, fellow_id: int, form: WorkForm) -> ScholarlyWork:
    """Record a piece of scholarly work; a grant carries an amount, a project link must be
    one of the fellow's own projects."""
    errors = []
    if form.amount_usd is not None and form.kind != WorkKind.GRANT:
        errors.append(FieldError("amount_usd", "applies to grants only"))
    if form.project_id is not None:
        project = session.get(ResearchProject, form.project_id)
        if project is None or project.fellow_user_id != fellow_id:
            errors.append(FieldError("project_id", "is not one of your projects"))
    if errors:
        raise InvalidInput(errors)
    work = ScholarlyWork(program_id=program_id, fellow_user_id=fellow_id, **form.model_dump())
    session.add(work)
    session.commit()
    return work


def delete_work(session: Session, fellow_id: int, work_id: int) -> None:
    work = session.get(ScholarlyWork, work_id)
    if work is None or work.fellow_user_id != fellow_id:
        raise NotFound("No such item in your record.")
    session.delete(work)
    session.commit()


def scholarly_record(session: Session, program_id: int, fellow_id: int) -> ScholarlyRecord:
    projects = session.scalars(
        select(ResearchProject)
        .where(ResearchProject.program_id == program_id,
               ResearchProject.fellow_user_id == fellow_id)
        .order_by(ResearchProject.id)
    )  # fmt: skip
    works = session.scalars(
        select(ScholarlyWork)
        .where(ScholarlyWork.program_id == program_id, ScholarlyWork.fellow_user_id == fellow_id)
        .order_by(ScholarlyWork.on_date.desc(), ScholarlyWork.id)
    )
    return ScholarlyRecord(list(projects), list(works))


def cv_list(record: ScholarlyRecord, fellow_name: str) -> str:
    """The record as a plain-text list for a CV, grouped by kind, newest first."""
    grouped: dict[str, list[ScholarlyWork]] = defaultdict(list)
    for work in record.works:
        grouped[work.kind].append(work)
    lines = [f"Scholarly activity — {fellow_name}", ""]
    for kind, heading in KIND_HEADINGS.items():
        if not grouped[kind.value]:
            continue
        lines.append(heading)
        for n, work in enumerate(grouped[kind.value], 1):
            parts = [work.authors, work.title, work.venue, work.on_date.isoformat()]
            entry = ". ".join(p for p in parts if p)
            if work.doi:
                entry += f". doi:{work.doi}"
            if work.amount_usd is not None:
                entry += f". ${work.amount_usd:,}"
            lines.append(f"{n}. {entry}")
        lines.append("")
    if record.projects:
        lines.append("Research projects")
        for n, project in enumerate(record.projects, 1):
            irb = f"IRB {project.irb_status.replace('_', ' ')}"
            if project.irb_number:
                irb += f" ({project.irb_number})"
            mentor = f"; mentor {project.mentor}" if project.mentor else ""
            lines.append(f"{n}. {project.title} — {irb}{mentor}")
    return "\n".join(lines).rstrip() + "\n"


def program_report_csv(session: Session, program_id: int) -> str:
    """Every fellow's scholarly work in the program, one row each, for accreditation."""
    rows = session.execute(
        select(User.full_name, ScholarlyWork)
        .join(User, User.id == ScholarlyWork.fellow_user_id)
        .where(ScholarlyWork.program_id == program_id)
        .order_by(User.full_name, ScholarlyWork.on_date)
    )
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["fellow", "kind", "title", "venue", "authors", "date", "doi", "amount_usd"])
    for name, work in rows:
        writer.writerow([
            safe_cell(name), work.kind, safe_cell(work.title), safe_cell(work.venue),
            safe_cell(work.authors), work.on_date.isoformat(), work.doi or "",
            "" if work.amount_usd is None else work.amount_usd,
        ])  # fmt: skip
    return out.getvalue()
