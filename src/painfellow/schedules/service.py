"""Rotations and the block schedule: the program's catalogue, calendar, requirements and
fellows' requests are stored as rows; generating maps them to the pure scheduling model
(painfellow.core.scheduling) and asks the CP-SAT solver (painfellow.training.scheduler_cpsat)
for a schedule that meets every requirement and honours the most request weight.

The requirements are the program's own data: ACGME minimum durations per rotation are
UNCONFIRMED (training-rules.md §1.4), so no count is built in. A generated schedule is stored
with the solver's status and objective and a snapshot of the problem it solved
(architecture rule 6). Manual edits are allowed; the violations they cause are listed.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from painfellow import __version__
from painfellow.accounts.models import User
from painfellow.accounts.roles import Role
from painfellow.accounts.service import members_with_role
from painfellow.core import scheduling as core
from painfellow.errors import Conflict, FieldError, InvalidInput, NotFound
from painfellow.ics import calendar_text, escape_text
from painfellow.schedules.models import (
    BlockSchedule,
    Rotation,
    ScheduleAssignment,
    ScheduleCalendar,
    ScheduleRequest,
    ScheduleRequirement,
)
from painfellow.schedules.schemas import (
    CalendarForm,
    CellForm,
    OwnRequestForm,
    RequestForm,
    RequirementForm,
    RequirementKind,
    RotationForm,
)
from painfellow.spreadsheet import safe_cell
from painfellow.training.scheduler_cpsat import SolveOutcome, solve_schedule

DEFAULT_BLOCKS = 26
DEFAULT_BLOCK_DAYS = 14
TIME_LIMIT_S = 10.0


class NoSchedule(InvalidInput):
    """The solver found no schedule: the requirements contradict (``explanation`` lists a
    conflicting set of them in words) or time ran out first."""

    def __init__(self, outcome: SolveOutcome) -> None:
        super().__init__([FieldError("requirements", outcome.message)])
        self.status = outcome.status
        self.explanation = outcome.explanation


@dataclass(frozen=True)
class CalendarSettings:
    first_day: date
    n_blocks: int
    block_days: int
    stored: bool = True

    @property
    def core(self) -> core.BlockCalendar:
        return core.BlockCalendar.regular(self.first_day, self.n_blocks, self.block_days)

    def start(self, block: int) -> date:
        """First day of a 1-based block."""
        return self.first_day + timedelta(days=self.block_days * (block - 1))

    def end(self, block: int) -> date:
        """Last day (inclusive) of a 1-based block."""
        return self.start(block) + timedelta(days=self.block_days - 1)


@dataclass(frozen=True)
class Inputs:
    problem: core.ScheduleProblem
    requirement_keys: dict[int, str]  # requirement row id -> core requirement key


@dataclass(frozen=True)
class ScheduleView:
    schedule: BlockSchedule | None
    calendar: CalendarSettings
    fellows: dict[int, str]
    rotations: dict[int, Rotation]
    grid: dict[int, list[int | None]]  # fellow id -> rotation id per block (index 0 = block 1)
    violations: list[core.Violation]
    flagged: set[tuple[int, int]]  # (fellow id, 1-based block) named by a violation
    flagged_blocks: set[int]  # 1-based blocks named without a fellow (staffing)
    flagged_fellows: set[int]  # fellows named without a block (counts, order)
    score: core.RequestScore | None


# -- catalogue, calendar, requirements, requests ------------------------------------------


def get_calendar(session: Session, program_id: int, *, today: date) -> CalendarSettings:
    """The program's block calendar; until one is saved, 26 two-week blocks from the July 1
    that starts the current academic year."""
    row = session.scalar(select(ScheduleCalendar).where(ScheduleCalendar.program_id == program_id))
    if row is not None:
        return CalendarSettings(row.first_day, row.n_blocks, row.block_days)
    year = today.year if today.month >= 7 else today.year - 1
    return CalendarSettings(date(year, 7, 1), DEFAULT_BLOCKS, DEFAULT_BLOCK_DAYS, stored=False)


def set_calendar(session: Session, program_id: int, form: CalendarForm) -> None:
    row = session.scalar(select(ScheduleCalendar).where(ScheduleCalendar.program_id == program_id))
    if row is None:
        row = ScheduleCalendar(program_id=program_id)
        session.add(row)
    row.first_day, row.n_blocks, row.block_days = form.first_day, form.n_blocks, form.block_days
    session.commit()


def list_rotations(session: Session, program_id: int) -> list[Rotation]:
    return list(
        session.scalars(
            select(Rotation).where(Rotation.program_id == program_id).order_by(Rotation.name)
        )
    )


def _check_rotation_form(
    session: Session, program_id: int, form: RotationForm, rotation_id: int | None = None
) -> None:
    errors = [FieldError(name, message) for name, message in form.shift_hour_errors()]
    clash = session.scalar(
        select(Rotation.id).where(
            Rotation.program_id == program_id,
            Rotation.name == form.name,
            Rotation.id != (rotation_id or 0),
        )
    )
    if clash is not None:
        errors.append(FieldError("name", "a rotation with this name already exists"))
    if errors:
        raise InvalidInput(errors)


def _rotation_values(form: RotationForm) -> dict[str, Any]:
    values = form.model_dump()
    values["shift_kind"] = form.shift_kind.value
    return values


def add_rotation(session: Session, program_id: int, form: RotationForm) -> Rotation:
    """Add a rotation to the catalogue; names are unique within a program."""
    _check_rotation_form(session, program_id, form)
    rotation = Rotation(program_id=program_id, **_rotation_values(form))
    session.add(rotation)
    session.commit()
    return rotation


def get_rotation(session: Session, program_id: int, rotation_id: int) -> Rotation:
    rotation = session.get(Rotation, rotation_id)
    if rotation is None or rotation.program_id != program_id:
        raise NotFound("No such rotation in this program.")
    return rotation


def update_rotation(
    session: Session, program_id: int, rotation_id: int, form: RotationForm
) -> Rotation:
    """Change a rotation's name, capacity, staffing, objectives or shift hours. Stored
    schedules keep pointing at it (they show the new name)."""
    rotation = get_rotation(session, program_id, rotation_id)
    _check_rotation_form(session, program_id, form, rotation_id)
    for name, value in _rotation_values(form).items():
        setattr(rotation, name, value)
    session.commit()
    return rotation


def delete_rotation(session: Session, program_id: int, rotation_id: int) -> None:
    """Remove a rotation from the catalogue.

    Refused (409) while a stored schedule places a fellow on it or a requirement names it:
    deleting would silently blank schedule cells or drop a hard rule. Fellows' requests for
    it are soft wishes about a rotation that no longer exists, so they are deleted with it
    (deliberate cascade, in the same transaction).
    """
    rotation = get_rotation(session, program_id, rotation_id)
    in_schedules = session.scalar(
        select(func.count(func.distinct(ScheduleAssignment.schedule_id))).where(
            ScheduleAssignment.rotation_id == rotation_id
        )
    )
    requirements = session.scalar(
        select(func.count(ScheduleRequirement.id)).where(
            (ScheduleRequirement.rotation_id == rotation_id)
            | (ScheduleRequirement.after_rotation_id == rotation_id)
        )
    )
    reasons = []
    if in_schedules:
        reasons.append(f"{in_schedules} stored schedule(s) place fellows on it")
    if requirements:
        reasons.append(f"{requirements} requirement(s) name it")
    if reasons:
        raise Conflict(
            f"{rotation.name} cannot be deleted: {' and '.join(reasons)}. "
            "Remove those requirements, or generate a schedule without it, first."
        )
    for request in session.scalars(
        select(ScheduleRequest).where(ScheduleRequest.rotation_id == rotation_id)
    ):
        session.delete(request)
    session.flush()  # the requests first: no ORM relationship orders these two deletes
    session.delete(rotation)
    session.commit()


def list_requirement_rows(session: Session, program_id: int) -> list[ScheduleRequirement]:
    return list(
        session.scalars(
            select(ScheduleRequirement)
            .where(ScheduleRequirement.program_id == program_id)
            .order_by(ScheduleRequirement.id)
        )
    )


def list_requests(session: Session, program_id: int) -> list[ScheduleRequest]:
    return list(
        session.scalars(
            select(ScheduleRequest)
            .where(ScheduleRequest.program_id == program_id)
            .order_by(ScheduleRequest.block, ScheduleRequest.id)
        )
    )


def _rotation_ids(session: Session, program_id: int) -> set[int]:
    return set(session.scalars(select(Rotation.id).where(Rotation.program_id == program_id)))


def add_requirement(
    session: Session, program_id: int, form: RequirementForm, *, today: date
) -> ScheduleRequirement:
    """Store one hard requirement after checking that the fields its kind needs are given
    and that every rotation, fellow and block belongs to this program and its calendar."""
    rotations = _rotation_ids(session, program_id)
    fellows = members_with_role(session, program_id, Role.FELLOW)
    n_blocks = get_calendar(session, program_id, today=today).n_blocks
    errors: list[FieldError] = []
    if form.rotation_id not in rotations:
        errors.append(FieldError("rotation_id", "is not a rotation of this program"))
    if form.fellow_user_id is not None and form.fellow_user_id not in fellows:
        errors.append(FieldError("fellow_user_id", "is not a fellow of this program"))
    kind = form.kind
    if kind == RequirementKind.BLOCK_COUNT and form.min_blocks is None and form.max_blocks is None:
        errors.append(FieldError("min_blocks", "give a minimum, a maximum or both"))
    if kind == RequirementKind.VACATION and form.max_blocks is None:
        errors.append(FieldError("max_blocks", "is needed for a vacation rule"))
    if kind == RequirementKind.VACATION:
        outside = [b for b in form.blocked_blocks if not 1 <= b <= n_blocks]
        if outside:
            errors.append(FieldError("blocked_blocks", f"the calendar has blocks 1–{n_blocks}"))
    if kind == RequirementKind.PRECEDENCE:
        if form.after_rotation_id is None:
            errors.append(FieldError("after_rotation_id", "is needed for an order rule"))
        elif form.after_rotation_id not in rotations:
            errors.append(FieldError("after_rotation_id", "is not a rotation of this program"))
        elif form.after_rotation_id == form.rotation_id:
            errors.append(FieldError("after_rotation_id", "must differ from the first rotation"))
    if kind == RequirementKind.UNAVAILABLE:
        if form.fellow_user_id is None:
            errors.append(FieldError("fellow_user_id", "is needed for an unavailability"))
        if not form.blocked_blocks:
            errors.append(FieldError("blocked_blocks", "list the blocks the fellow cannot do it"))
        elif any(not 1 <= b <= n_blocks for b in form.blocked_blocks):
            errors.append(FieldError("blocked_blocks", f"the calendar has blocks 1–{n_blocks}"))
    if kind == RequirementKind.FIXED:
        if form.fellow_user_id is None:
            errors.append(FieldError("fellow_user_id", "is needed for a fixed assignment"))
        if form.block is None:
            errors.append(FieldError("block", "is needed for a fixed assignment"))
        elif form.block > n_blocks:
            errors.append(FieldError("block", f"the calendar has blocks 1–{n_blocks}"))
    if errors:
        raise InvalidInput(errors)
    row = ScheduleRequirement(
        program_id=program_id,
        kind=kind.value,
        rotation_id=form.rotation_id,
        after_rotation_id=form.after_rotation_id if kind == RequirementKind.PRECEDENCE else None,
        fellow_user_id=form.fellow_user_id,
        min_blocks=(form.min_blocks or 0)
        if kind in (RequirementKind.BLOCK_COUNT, RequirementKind.VACATION)
        else None,
        max_blocks=form.max_blocks
        if kind in (RequirementKind.BLOCK_COUNT, RequirementKind.VACATION)
        else None,
        block=form.block if kind == RequirementKind.FIXED else None,
        blocked_blocks=sorted(set(form.blocked_blocks))
        if kind in (RequirementKind.VACATION, RequirementKind.UNAVAILABLE)
        else [],
        source=form.source,
    )
    session.add(row)
    session.commit()
    return row


def delete_requirement(session: Session, program_id: int, requirement_id: int) -> None:
    row = session.get(ScheduleRequirement, requirement_id)
    if row is None or row.program_id != program_id:
        raise NotFound("No such requirement in this program.")
    session.delete(row)
    session.commit()


def add_request(
    session: Session, program_id: int, form: RequestForm, *, today: date,
    created_by: int | None = None,
) -> ScheduleRequest:  # fmt: skip
    """Store a fellow's request (soft: the solver honours as much weight as it can);
    ``created_by`` is who entered it (a manager, or the fellow through add_own_request)."""
    errors: list[FieldError] = []
    if form.fellow_user_id not in members_with_role(session, program_id, Role.FELLOW):
        errors.append(FieldError("fellow_user_id", "is not a fellow of this program"))
    n_blocks = get_calendar(session, program_id, today=today).n_blocks
    if form.block > n_blocks:
        errors.append(FieldError("block", f"the calendar has blocks 1–{n_blocks}"))
    if form.rotation_id not in _rotation_ids(session, program_id):
        errors.append(FieldError("rotation_id", "is not a rotation of this program"))
    if errors:
        raise InvalidInput(errors)
    row = ScheduleRequest(program_id=program_id, created_by_user_id=created_by, **form.model_dump())
    session.add(row)
    session.commit()
    return row


def add_own_request(
    session: Session, program_id: int, fellow_id: int, form: OwnRequestForm, *, today: date
) -> ScheduleRequest:
    """A fellow enters their own request (weight at most FELLOW_MAX_WEIGHT)."""
    full = RequestForm(fellow_user_id=fellow_id, **form.model_dump())
    return add_request(session, program_id, full, today=today, created_by=fellow_id)


def own_requests(session: Session, program_id: int, fellow_id: int) -> list[ScheduleRequest]:
    return [r for r in list_requests(session, program_id) if r.fellow_user_id == fellow_id]


def delete_own_request(session: Session, program_id: int, fellow_id: int, request_id: int) -> None:
    """A fellow withdraws one of their own requests (404 for anyone else's)."""
    row = session.get(ScheduleRequest, request_id)
    if row is None or row.program_id != program_id or row.fellow_user_id != fellow_id:
        raise NotFound("No such request of yours.")
    session.delete(row)
    session.commit()


def delete_request(session: Session, program_id: int, request_id: int) -> None:
    row = session.get(ScheduleRequest, request_id)
    if row is None or row.program_id != program_id:
        raise NotFound("No such request in this program.")
    session.delete(row)
    session.commit()


# -- the problem ---------------------------------------------------------------------------


def _scope(fellow_id: int | None) -> tuple[str, ...]:
    """Fellow ids a rule applies to: one fellow, or () for every fellow."""
    return () if fellow_id is None else (str(fellow_id),)


def build_problem(session: Session, program_id: int, calendar: CalendarSettings) -> Inputs:
    """Map the program's stored rows to the core's ScheduleProblem (ids become strings,
    1-based block numbers become 0-based indices)."""
    fellows = members_with_role(session, program_id, Role.FELLOW)
    rotations = list_rotations(session, program_id)
    counts: list[core.BlockCount] = []
    vacations: list[core.VacationRule] = []
    precedences: list[core.Precedence] = []
    fixed: list[core.FixedAssignment] = []
    unavailable: list[core.Unavailability] = []
    contiguous: list[core.Contiguity] = []
    keys: dict[int, str] = {}
    for row in list_requirement_rows(session, program_id):
        rotation = str(row.rotation_id)
        if row.kind == RequirementKind.BLOCK_COUNT:
            keys[row.id] = f"block_count#{len(counts)}"
            counts.append(
                core.BlockCount(rotation, row.min_blocks or 0, row.max_blocks,
                                _scope(row.fellow_user_id), row.source)
            )  # fmt: skip
        elif row.kind == RequirementKind.VACATION:
            keys[row.id] = f"vacation#{len(vacations)}"
            vacations.append(
                core.VacationRule(
                    rotation, row.min_blocks or 0,
                    row.max_blocks if row.max_blocks is not None else calendar.n_blocks,
                    tuple(b - 1 for b in row.blocked_blocks), _scope(row.fellow_user_id),
                    row.source,
                )
            )  # fmt: skip
        elif row.kind == RequirementKind.PRECEDENCE:
            keys[row.id] = f"precedence#{len(precedences)}"
            precedences.append(
                core.Precedence(rotation, str(row.after_rotation_id), _scope(row.fellow_user_id),
                                row.source)
            )  # fmt: skip
        elif row.kind == RequirementKind.FIXED:
            keys[row.id] = f"fixed#{len(fixed)}"
            fixed.append(
                core.FixedAssignment(str(row.fellow_user_id), (row.block or 1) - 1, rotation,
                                     row.source)
            )  # fmt: skip
        elif row.kind == RequirementKind.UNAVAILABLE:
            keys[row.id] = f"unavailable#{len(unavailable)}"
            unavailable.append(
                core.Unavailability(str(row.fellow_user_id), rotation,
                                    tuple(b - 1 for b in row.blocked_blocks), row.source)
            )  # fmt: skip
        elif row.kind == RequirementKind.CONTIGUOUS:
            keys[row.id] = f"contiguous#{len(contiguous)}"
            contiguous.append(core.Contiguity(rotation, _scope(row.fellow_user_id), row.source))
    requests = tuple(
        core.Request(str(q.fellow_user_id), q.block - 1, str(q.rotation_id), q.wants, q.weight)
        for q in list_requests(session, program_id)
    )
    problem = core.ScheduleProblem(
        fellows=tuple(core.Fellow(str(fid), name) for fid, name in fellows.items()),
        rotations=tuple(
            core.Rotation(
                str(r.id), r.name, r.capacity_per_block, r.min_per_block,
                tuple(s.strip() for s in r.sites.split(",") if s.strip()),
                (r.objectives,) if r.objectives else (),
            )
            for r in rotations
        ),
        calendar=calendar.core,
        block_counts=tuple(counts),
        vacations=tuple(vacations),
        precedences=tuple(precedences),
        fixed=tuple(fixed),
        requests=requests,
        unavailable=tuple(unavailable),
        contiguous=tuple(contiguous),
    )  # fmt: skip
    return Inputs(problem, keys)


def requirement_texts(
    session: Session, program_id: int, *, today: date
) -> dict[int, core.RequirementItem]:
    """Requirement row id -> the requirement in words (the same words the solver uses)."""
    inputs = build_problem(session, program_id, get_calendar(session, program_id, today=today))
    items = {item.key: item for item in core.list_requirements(inputs.problem)}
    return {rid: items[key] for rid, key in inputs.requirement_keys.items() if key in items}


def _snapshot(problem: core.ScheduleProblem) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(dataclasses.asdict(problem), default=str))
    return data


def _rules_version() -> str:
    try:
        ortools = version("ortools")
    except PackageNotFoundError:  # pragma: no cover - ortools is a dependency
        ortools = "unknown"
    return f"painfellow {__version__}; OR-Tools CP-SAT {ortools}"


# -- generating and editing ----------------------------------------------------------------


def generate_schedule(
    session: Session, program_id: int, *, user_id: int | None, now: datetime, today: date,
    time_limit_s: float = TIME_LIMIT_S,
) -> BlockSchedule:  # fmt: skip
    """Solve the program's block schedule and store it with its status, objective and
    inputs. When no schedule meets the requirements, store nothing and raise NoSchedule
    with the conflicting requirements in words."""
    record = stage_schedule(session, program_id, user_id=user_id, now=now, today=today,
                            time_limit_s=time_limit_s)  # fmt: skip
    session.commit()
    return record


def stage_schedule(
    session: Session, program_id: int, *, user_id: int | None, now: datetime, today: date,
    time_limit_s: float = TIME_LIMIT_S,
) -> BlockSchedule:  # fmt: skip
    """generate_schedule without the commit, for callers that own a larger transaction
    (the demo loader)."""
    calendar = get_calendar(session, program_id, today=today)
    problem = build_problem(session, program_id, calendar).problem
    errors = []
    if not problem.fellows:
        errors.append(FieldError("fellows", "the program has no fellows to schedule"))
    if not problem.rotations:
        errors.append(FieldError("rotations", "add at least one rotation to the catalogue"))
    if errors:
        raise InvalidInput(errors)
    try:
        outcome = solve_schedule(problem, time_limit_s=time_limit_s, workers=2, seed=0)
    except core.InvalidProblem as error:
        raise InvalidInput([FieldError("requirements", p) for p in error.problems]) from error
    if outcome.schedule is None:
        raise NoSchedule(outcome)
    record = BlockSchedule(
        program_id=program_id, status=outcome.status, objective=outcome.objective,
        total_request_weight=outcome.total_request_weight, first_day=calendar.first_day,
        n_blocks=calendar.n_blocks, block_days=calendar.block_days,
        inputs=_snapshot(problem), rules_version=_rules_version(),
        generated_by_user_id=user_id, generated_at=now,
    )  # fmt: skip
    session.add(record)
    session.flush()
    session.add_all(
        ScheduleAssignment(
            schedule_id=record.id, fellow_user_id=int(fellow), block=index + 1,
            rotation_id=int(rotation) if rotation is not None else None,
        )
        for fellow, row in outcome.schedule.rows.items()
        for index, rotation in enumerate(row)
    )  # fmt: skip
    session.flush()
    return record


def current_schedule(session: Session, program_id: int) -> BlockSchedule | None:
    return session.scalar(
        select(BlockSchedule)
        .where(BlockSchedule.program_id == program_id)
        .order_by(BlockSchedule.id.desc())
        .limit(1)
    )


def _assignments(session: Session, schedule_id: int) -> list[ScheduleAssignment]:
    return list(
        session.scalars(
            select(ScheduleAssignment).where(ScheduleAssignment.schedule_id == schedule_id)
        )
    )


def schedule_view(session: Session, program_id: int, *, today: date) -> ScheduleView:
    """The current schedule as a grid, checked against the program's current requirements."""
    schedule = current_schedule(session, program_id)
    rotations = {r.id: r for r in list_rotations(session, program_id)}
    fellows = members_with_role(session, program_id, Role.FELLOW)
    if schedule is None:
        calendar = get_calendar(session, program_id, today=today)
        return ScheduleView(None, calendar, fellows, rotations, {}, [], set(), set(), set(), None)
    calendar = CalendarSettings(schedule.first_day, schedule.n_blocks, schedule.block_days)
    grid: dict[int, list[int | None]] = {fid: [None] * schedule.n_blocks for fid in fellows}
    assigned = _assignments(session, schedule.id)
    departed = {a.fellow_user_id for a in assigned} - set(fellows)
    if departed:
        names = session.execute(select(User.id, User.full_name).where(User.id.in_(departed)))
        fellows = {**fellows, **{uid: f"{name} (no longer a fellow)" for uid, name in names}}
    for a in assigned:
        row = grid.setdefault(a.fellow_user_id, [None] * schedule.n_blocks)
        if 1 <= a.block <= len(row):
            row[a.block - 1] = a.rotation_id
    problem = build_problem(session, program_id, calendar).problem
    cells = core.Schedule(
        {str(fid): tuple(None if r is None else str(r) for r in row) for fid, row in grid.items()}
    )
    score = None
    try:
        violations = core.check_schedule(problem, cells)
        score = core.request_score(problem, cells)
    except core.InvalidProblem as error:
        violations = [core.Violation("input", "input", p) for p in error.problems]
    located = [(v.fellow_id, v.block) for v in violations]
    return ScheduleView(
        schedule, calendar, fellows, rotations, grid, violations,
        flagged={(int(f), b + 1) for f, b in located if f is not None and b is not None},
        flagged_blocks={b + 1 for f, b in located if f is None and b is not None},
        flagged_fellows={int(f) for f, b in located if f is not None and b is None},
        score=score,
    )  # fmt: skip


def edit_cell(session: Session, program_id: int, form: CellForm, *, today: date) -> ScheduleView:
    """Put a fellow on a rotation for one block of the current schedule. The edit is kept
    even when it breaks requirements; the returned view lists the violations."""
    schedule = current_schedule(session, program_id)
    if schedule is None:
        raise Conflict("There is no schedule to edit yet: generate one first.")
    errors: list[FieldError] = []
    if form.block > schedule.n_blocks:
        errors.append(FieldError("block", f"the schedule has blocks 1–{schedule.n_blocks}"))
    if form.rotation_id not in _rotation_ids(session, program_id):
        errors.append(FieldError("rotation_id", "is not a rotation of this program"))
    cell = session.scalar(
        select(ScheduleAssignment).where(
            ScheduleAssignment.schedule_id == schedule.id,
            ScheduleAssignment.fellow_user_id == form.fellow_user_id,
            ScheduleAssignment.block == form.block,
        )
    )
    is_fellow = form.fellow_user_id in members_with_role(session, program_id, Role.FELLOW)
    if cell is None and not is_fellow:
        errors.append(FieldError("fellow_user_id", "is not a fellow in this schedule"))
    if errors:
        raise InvalidInput(errors)
    if cell is None:  # a fellow who joined after the schedule was generated
        cell = ScheduleAssignment(
            schedule_id=schedule.id, fellow_user_id=form.fellow_user_id, block=form.block
        )
        session.add(cell)
    cell.rotation_id = form.rotation_id
    session.flush()
    view = schedule_view(session, program_id, today=today)
    session.commit()
    return view


# -- exports -------------------------------------------------------------------------------


def _label(view: ScheduleView, rotation_id: int | None) -> str:
    rotation = view.rotations.get(rotation_id) if rotation_id is not None else None
    return rotation.name if rotation is not None else ""


def grid_csv(session: Session, program_id: int, *, today: date) -> str:
    """The current schedule, one row per fellow and one column per block."""
    view = schedule_view(session, program_id, today=today)
    out = io.StringIO()
    writer = csv.writer(out)
    blocks = range(1, view.calendar.n_blocks + 1)
    writer.writerow(["Fellow", *(f"Block {b} ({view.calendar.start(b)})" for b in blocks)])
    for fid, row in view.grid.items():
        name = view.fellows.get(fid, str(fid))
        writer.writerow([safe_cell(name), *(safe_cell(_label(view, r)) for r in row)])
    return out.getvalue()


@dataclass(frozen=True)
class FellowBlock:
    block: int
    start: date
    end: date  # inclusive
    rotation: Rotation | None


def fellow_blocks(
    session: Session, program_id: int, fellow_id: int
) -> tuple[BlockSchedule | None, list[FellowBlock]]:
    """A fellow's own rotations in the current schedule, block by block."""
    schedule = current_schedule(session, program_id)
    if schedule is None:
        return None, []
    calendar = CalendarSettings(schedule.first_day, schedule.n_blocks, schedule.block_days)
    rotations = {r.id: r for r in list_rotations(session, program_id)}
    rows = session.scalars(
        select(ScheduleAssignment)
        .where(
            ScheduleAssignment.schedule_id == schedule.id,
            ScheduleAssignment.fellow_user_id == fellow_id,
        )
        .order_by(ScheduleAssignment.block)
    )
    return schedule, [
        FellowBlock(a.block, calendar.start(a.block), calendar.end(a.block),
                    rotations.get(a.rotation_id) if a.rotation_id is not None else None)
        for a in rows
        if a.block <= schedule.n_blocks
    ]  # fmt: skip


def fellow_ics(session: Session, program_id: int, fellow_id: int, *, now: datetime) -> str:
    """The fellow's rotations as an iCalendar file: one all-day event per block (RFC 5545:
    CRLF line endings, DTEND exclusive, UIDs stable across regenerations)."""
    _, blocks = fellow_blocks(session, program_id, fellow_id)
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//painfellow//block schedule//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]  # fmt: skip
    for b in blocks:
        if b.rotation is None:
            continue
        lines += [
            "BEGIN:VEVENT",
            f"UID:rotation-{program_id}-{fellow_id}-{b.start:%Y%m%d}@painfellow",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{b.start:%Y%m%d}",
            f"DTEND;VALUE=DATE:{b.end + timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(b.rotation.name)} (block {b.block})",
        ]
        if b.rotation.sites:
            lines.append(f"LOCATION:{escape_text(b.rotation.sites)}")
        lines += ["TRANSP:TRANSPARENT", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return calendar_text(lines)


def away_days(session: Session, program_id: int) -> dict[int, list[tuple[date, date, str]]]:
    """Per fellow, the first and last day (inclusive) of each block of the current schedule
    that keeps them away from the program's didactics, with the reason: "vacation" for a
    rotation named by a vacation rule, "off-site rotation" for a rotation marked off site
    (training-rules.md: excused absences for vacation and off-site rotations)."""
    schedule = current_schedule(session, program_id)
    if schedule is None:
        return {}
    vacation_rotations = set(
        session.scalars(
            select(ScheduleRequirement.rotation_id).where(
                ScheduleRequirement.program_id == program_id,
                ScheduleRequirement.kind == RequirementKind.VACATION.value,
            )
        )
    )
    off_site = set(
        session.scalars(
            select(Rotation.id).where(Rotation.program_id == program_id, Rotation.off_site)
        )
    )
    calendar = CalendarSettings(schedule.first_day, schedule.n_blocks, schedule.block_days)
    result: dict[int, list[tuple[date, date, str]]] = {}
    for fellow_id, block, rotation_id in session.execute(
        select(
            ScheduleAssignment.fellow_user_id,
            ScheduleAssignment.block,
            ScheduleAssignment.rotation_id,
        ).where(
            ScheduleAssignment.schedule_id == schedule.id,
            ScheduleAssignment.rotation_id.in_(vacation_rotations | off_site),
        )
    ):
        reason = "vacation" if rotation_id in vacation_rotations else "off-site rotation"
        result.setdefault(fellow_id, []).append(
            (calendar.start(block), calendar.end(block), reason)
        )
    return result
