"""Program profiles: public queries, and edits by the program's director or coordinator."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from painfellow.errors import Conflict, NotFound
from painfellow.programs.models import Program
from painfellow.programs.schemas import ProgramCreate, ProgramSearch, ProgramUpdate


def get_program(session: Session, program_id: int) -> Program:
    program = session.get(Program, program_id)
    if program is None:
        raise NotFound(f"Program {program_id} does not exist.")
    return program


def search_programs(session: Session, search: ProgramSearch) -> tuple[list[Program], int]:
    """Programs matching the filters, ordered by state, city and institution, with the total."""
    query = select(Program)
    if search.q:
        pattern = f"%{search.q.lower()}%"
        query = query.where(
            or_(
                func.lower(Program.institution).like(pattern),
                func.lower(Program.name).like(pattern),
                func.lower(Program.city).like(pattern),
            )
        )
    if search.state:
        query = query.where(Program.state == search.state.upper())
    if search.length_months:
        query = query.where(Program.length_months == search.length_months)
    query = query.order_by(Program.state, Program.city, Program.institution)
    start = (search.page - 1) * search.per_page
    if search.feature:
        # JSON containment differs by database; the directory is small, so filter here.
        programs = [p for p in session.scalars(query) if search.feature in p.features]
        return programs[start : start + search.per_page], len(programs)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    page = list(session.scalars(query.offset(start).limit(search.per_page)))
    return page, total or 0


def create_program(session: Session, data: ProgramCreate) -> Program:
    if session.scalar(
        select(Program.id).where(Program.accreditation_number == data.accreditation_number)
    ):
        raise Conflict(f"Accreditation number {data.accreditation_number} is already registered.")
    program = Program(**data.model_dump(mode="json"))
    session.add(program)
    session.commit()
    return program


def update_program(session: Session, program_id: int, data: ProgramUpdate) -> Program:
    """Save an edit of the profile; refuses with Conflict when someone saved in between."""
    program = get_program(session, program_id)
    if program.version != data.version:
        raise Conflict(
            "This profile was changed by someone else since you opened it. "
            "Reload it and apply your edit again."
        )
    for field, value in data.model_dump(mode="json", exclude={"version"}).items():
        setattr(program, field, value)
    try:
        session.commit()
    except StaleDataError as error:
        session.rollback()
        raise Conflict("This profile was changed by someone else while you saved it.") from error
    return program
