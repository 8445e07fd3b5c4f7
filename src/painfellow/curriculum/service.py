"""Curriculum: the program's objectives, what serves them, and which lack experience.

Coverage of an objective, from the sources it links to:
- rotation blocks: fellow-blocks on its rotations in the program's current (newest)
  generated block schedule;
- didactic sessions held (ended by ``now``) among its sessions;
- cases logged and not superseded (pending or verified) in its case-log categories;
- evaluation items that assess it (painfellow.evaluations): per item, the current (not
  superseded) evaluations that rated it, "not observed" answers excluded. A rating is
  evidence that faculty saw the fellow do what the objective describes.
An objective with no experience from any linked source, or with no links at all, lacks
experience. Separately, an objective that no item of a current (not retired) evaluation
form assesses is flagged "not assessed": nothing in the program would evaluate it.
Each query groups over the whole program, so the report costs a fixed number of queries.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from painfellow.caselog.models import CaseLogEntry
from painfellow.caselog.service import LIVE
from painfellow.core.caselog import CATEGORY_LABELS, find_procedure
from painfellow.curriculum.models import (
    CurriculumObjective,
    ObjectiveCategory,
    ObjectiveRotation,
    ObjectiveSession,
)
from painfellow.curriculum.schemas import AREA_LABELS, LinkForm, ObjectiveForm
from painfellow.didactics.models import DidacticSession
from painfellow.errors import FieldError, InvalidInput, NotFound
from painfellow.evaluations.models import (
    EvaluationAnswer,
    EvaluationForm,
    EvaluationItem,
    EvaluationItemObjective,
    FellowEvaluation,
)
from painfellow.schedules.models import Rotation, ScheduleAssignment
from painfellow.schedules.service import current_schedule

AREA_ORDER = {area: index for index, area in enumerate(AREA_LABELS)}


@dataclass(frozen=True)
class Source:
    """One linked rotation, session or category and the experience it gave."""

    kind: str  # rotation | session | category | evaluation
    key: str  # a link form's value: "rotation:12", "session:7", "category:scs_trial"; "item:4"
    label: str
    amount: int
    current: bool = True  # False for an item of a retired evaluation form

    @property
    def unlinkable(self) -> bool:
        """Managers unlink rotations, sessions and categories here; items on their form."""
        return self.kind != "evaluation"


@dataclass(frozen=True)
class Coverage:
    objective: CurriculumObjective
    sources: tuple[Source, ...]

    def total(self, kind: str) -> int:
        return sum(s.amount for s in self.sources if s.kind == kind)

    @property
    def rotation_blocks(self) -> int:
        return self.total("rotation")

    @property
    def sessions_held(self) -> int:
        return self.total("session")

    @property
    def cases(self) -> int:
        return self.total("category")

    @property
    def evaluation_ratings(self) -> int:
        """Ratings on items assessing the objective; an evaluation rating two such items
        counts twice."""
        return self.total("evaluation")

    @property
    def assessed(self) -> bool:
        """Some item of a current evaluation form assesses the objective."""
        return any(s.kind == "evaluation" and s.current for s in self.sources)

    @property
    def linked(self) -> bool:
        return bool(self.sources)

    @property
    def lacks_experience(self) -> bool:
        return not any(s.amount for s in self.sources)


def list_objectives(session: Session, program_id: int) -> list[CurriculumObjective]:
    """The program's objectives by area (in the order of the areas), then code."""
    rows = session.scalars(
        select(CurriculumObjective).where(CurriculumObjective.program_id == program_id)
    )
    return sorted(rows, key=lambda o: (AREA_ORDER.get(o.area, 99), o.code))


def create_objective(session: Session, program_id: int, form: ObjectiveForm) -> CurriculumObjective:
    """Add an objective; its code is unique within the program."""
    if session.scalar(
        select(CurriculumObjective.id).where(
            CurriculumObjective.program_id == program_id, CurriculumObjective.code == form.code
        )
    ):
        raise InvalidInput([FieldError("code", "is already used by another objective")])
    record = CurriculumObjective(
        program_id=program_id, area=form.area.value, competency=form.competency.value,
        code=form.code, text=form.text,
    )  # fmt: skip
    session.add(record)
    try:
        session.commit()
    except IntegrityError as error:  # a concurrent request took the code
        session.rollback()
        raise InvalidInput([FieldError("code", "is already used by another objective")]) from error
    return record


def _get(session: Session, program_id: int, objective_id: int) -> CurriculumObjective:
    record = session.get(CurriculumObjective, objective_id)
    if record is None or record.program_id != program_id:
        raise NotFound("No such objective in this program.")
    return record


def delete_objective(session: Session, program_id: int, objective_id: int) -> None:
    """Remove an objective with its links (the database cascades them)."""
    session.delete(_get(session, program_id, objective_id))
    session.commit()


def _existing_link(
    session: Session, objective_id: int, form: LinkForm
) -> ObjectiveRotation | ObjectiveSession | ObjectiveCategory | None:
    if form.rotation_id is not None:
        return session.scalar(select(ObjectiveRotation).where(
            ObjectiveRotation.objective_id == objective_id,
            ObjectiveRotation.rotation_id == form.rotation_id))  # fmt: skip
    if form.session_id is not None:
        return session.scalar(select(ObjectiveSession).where(
            ObjectiveSession.objective_id == objective_id,
            ObjectiveSession.session_id == form.session_id))  # fmt: skip
    return session.scalar(select(ObjectiveCategory).where(
        ObjectiveCategory.objective_id == objective_id,
        ObjectiveCategory.category == form.category))  # fmt: skip


def link(session: Session, program_id: int, objective_id: int, form: LinkForm) -> None:
    """Link an objective to one of the program's own rotations or didactic sessions, or to
    a case-log category. Linking twice is refused on the field that names the target."""
    _get(session, program_id, objective_id)
    record: ObjectiveRotation | ObjectiveSession | ObjectiveCategory
    if form.rotation_id is not None:
        rotation = session.get(Rotation, form.rotation_id)
        if rotation is None or rotation.program_id != program_id:
            raise InvalidInput([FieldError("rotation_id", "is not a rotation of this program")])
        field = "rotation_id"
        record = ObjectiveRotation(objective_id=objective_id, rotation_id=form.rotation_id)
    elif form.session_id is not None:
        didactic = session.get(DidacticSession, form.session_id)
        if didactic is None or didactic.program_id != program_id:
            raise InvalidInput(
                [FieldError("session_id", "is not a didactic session of this program")]
            )
        field = "session_id"
        record = ObjectiveSession(objective_id=objective_id, session_id=form.session_id)
    else:
        assert form.category is not None
        field = "category"
        record = ObjectiveCategory(objective_id=objective_id, category=form.category)
    if _existing_link(session, objective_id, form) is not None:
        raise InvalidInput([FieldError(field, "is already linked to this objective")])
    session.add(record)
    try:
        session.commit()
    except IntegrityError as error:  # a concurrent request linked it first
        session.rollback()
        raise InvalidInput([FieldError(field, "is already linked to this objective")]) from error


def unlink(session: Session, program_id: int, objective_id: int, form: LinkForm) -> None:
    """Remove one link of an objective."""
    _get(session, program_id, objective_id)
    record = _existing_link(session, objective_id, form)
    if record is None:
        raise NotFound("This objective has no such link.")
    session.delete(record)
    session.commit()


def coverage(session: Session, program_id: int, *, now: datetime) -> list[Coverage]:
    """Every objective with the experience its linked sources gave (module docstring)."""
    objectives = list_objectives(session, program_id)
    of_program = CurriculumObjective.program_id == program_id
    sources: dict[int, list[Source]] = defaultdict(list)

    rotation_links = session.execute(
        select(ObjectiveRotation.objective_id, Rotation.id, Rotation.name)
        .join(CurriculumObjective, CurriculumObjective.id == ObjectiveRotation.objective_id)
        .join(Rotation, Rotation.id == ObjectiveRotation.rotation_id)
        .where(of_program)
        .order_by(Rotation.name)
    ).all()
    blocks: dict[int | None, int] = {}
    schedule = current_schedule(session, program_id)
    if schedule is not None and rotation_links:
        in_schedule = (
            select(ScheduleAssignment.rotation_id, func.count())
            .where(
                ScheduleAssignment.schedule_id == schedule.id,
                ScheduleAssignment.rotation_id.in_({r for _, r, _ in rotation_links}),
            )
            .group_by(ScheduleAssignment.rotation_id)
        )
        blocks = {rotation_id: n for rotation_id, n in session.execute(in_schedule)}
    for objective_id, rotation_id, name in rotation_links:
        sources[objective_id].append(
            Source("rotation", f"rotation:{rotation_id}", name, blocks.get(rotation_id, 0))
        )

    for objective_id, session_id, title, ends_at in session.execute(
        select(ObjectiveSession.objective_id, DidacticSession.id, DidacticSession.title,
               DidacticSession.ends_at)
        .join(CurriculumObjective, CurriculumObjective.id == ObjectiveSession.objective_id)
        .join(DidacticSession, DidacticSession.id == ObjectiveSession.session_id)
        .where(of_program)
        .order_by(DidacticSession.starts_at)
    ):  # fmt: skip
        held = ends_at <= now
        label = title if held else f"{title} (not held yet)"
        sources[objective_id].append(Source("session", f"session:{session_id}", label, int(held)))

    category_links = session.execute(
        select(ObjectiveCategory.objective_id, ObjectiveCategory.category)
        .join(CurriculumObjective, CurriculumObjective.id == ObjectiveCategory.objective_id)
        .where(of_program)
    ).all()
    cases: Counter[str] = Counter()
    if category_links:
        for procedure_id, n in session.execute(
            select(CaseLogEntry.procedure_id, func.count())
            .where(CaseLogEntry.program_id == program_id, CaseLogEntry.status.in_(LIVE))
            .group_by(CaseLogEntry.procedure_id)
        ):
            procedure = find_procedure(procedure_id)
            cases[procedure.category if procedure else "other"] += n
    order = {c: i for i, c in enumerate(CATEGORY_LABELS)}
    for objective_id, category in sorted(category_links, key=lambda r: order.get(r[1], 99)):
        label = CATEGORY_LABELS.get(category, category)
        sources[objective_id].append(
            Source("category", f"category:{category}", label, cases[category])
        )

    for objective_id, item_id, position, prompt, form_name, retired_at, rated in session.execute(
        select(EvaluationItemObjective.objective_id, EvaluationItem.id, EvaluationItem.position,
               EvaluationItem.prompt, EvaluationForm.name, EvaluationForm.retired_at,
               func.count(func.distinct(FellowEvaluation.id)))
        .join(CurriculumObjective, CurriculumObjective.id == EvaluationItemObjective.objective_id)
        .join(EvaluationItem, EvaluationItem.id == EvaluationItemObjective.item_id)
        .join(EvaluationForm, EvaluationForm.id == EvaluationItem.form_id)
        .outerjoin(EvaluationAnswer, (EvaluationAnswer.item_id == EvaluationItem.id)
                   & EvaluationAnswer.rating_halves.is_not(None))
        .outerjoin(FellowEvaluation, (FellowEvaluation.id == EvaluationAnswer.evaluation_id)
                   & (FellowEvaluation.status == "submitted"))
        .where(of_program)
        .group_by(EvaluationItemObjective.objective_id, EvaluationItem.id,
                  EvaluationItem.position, EvaluationItem.prompt, EvaluationForm.name,
                  EvaluationForm.retired_at)
        .order_by(EvaluationForm.name, EvaluationItem.position)
    ):  # fmt: skip
        retired = retired_at is not None
        short = prompt if len(prompt) <= 70 else prompt[:69].rstrip() + "…"
        label = f"{form_name}, item {position}: {short}" + (" (retired form)" if retired else "")
        sources[objective_id].append(
            Source("evaluation", f"item:{item_id}", label, rated, current=not retired)
        )

    return [Coverage(o, tuple(sources.get(o.id, ()))) for o in objectives]


def link_targets(session: Session, program_id: int) -> dict[str, list[tuple[str, str]]]:
    """What a manager can link an objective to: ``{group: [(target, label), ...]}``."""
    rotations = session.execute(
        select(Rotation.id, Rotation.name)
        .where(Rotation.program_id == program_id)
        .order_by(Rotation.name)
    )
    sessions = session.execute(
        select(DidacticSession.id, DidacticSession.title, DidacticSession.starts_at)
        .where(DidacticSession.program_id == program_id)
        .order_by(DidacticSession.starts_at)
    )
    return {
        "Rotations": [(f"rotation:{i}", name) for i, name in rotations],
        "Didactic sessions": [
            (f"session:{i}", f"{title} ({starts.date().isoformat()})")
            for i, title, starts in sessions
        ],
        "Case-log categories": [(f"category:{c}", label) for c, label in CATEGORY_LABELS.items()],
    }
