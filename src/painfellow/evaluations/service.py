"""Evaluations of fellows: forms and their items (managers), evaluations (faculty), reading.

Rules:
- A program's managers (director, coordinator) keep its forms. An item rates one thing on
  one scale (painfellow.core.assessment) and names the curriculum objectives it assesses.
  A form's items can change only until its first evaluation: after that the answers would
  no longer mean what was asked, so the form is retired and a new one made instead.
- Faculty and the director evaluate fellows of their own program, on a form that is not
  retired, for a period (and a rotation, by default the form's). Every item is answered,
  with a rating or "not observed", and at least one item is rated.
- Comments are screened for HIPAA Safe Harbor identifiers with the case log's screen
  (clinical-reference.md §5): evaluations are about fellows, never patients. The names of
  the evaluated fellow and of the evaluator are not identifiers here ("Dr. Lee placed the
  needle well"), unless written as a patient ("patient Lee", "Mr. Lee").
- Submitted evaluations are final. A correction is a new version by the same author that
  supersedes the original; the original is kept, marked superseded, and no longer counts.
- Who reads what: the director and coordinator every evaluation of the program, faculty the
  ones they wrote, a fellow their own. Nobody else, and never another fellow's.
Each command is one transaction; the audit recorder writes its entries in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from painfellow.accounts.models import User
from painfellow.accounts.roles import Role
from painfellow.accounts.service import members_with_role
from painfellow.core.assessment import SCALES, format_rating, parse_rating
from painfellow.core.caselog import PhiFinding, screen_free_text
from painfellow.curriculum.models import CurriculumObjective
from painfellow.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from painfellow.evaluations.models import (
    EvaluationAnswer,
    EvaluationForm,
    EvaluationItem,
    EvaluationItemObjective,
    FellowEvaluation,
)
from painfellow.evaluations.schemas import EvaluationInput, FormInput, ItemInput
from painfellow.schedules.models import Rotation

SUBMITTED, SUPERSEDED = "submitted", "superseded"


@dataclass(frozen=True)
class Viewer:
    """Who reads: ``sees_all`` for the program's managers (and platform admins)."""

    user_id: int
    sees_all: bool


@dataclass(frozen=True)
class ItemView:
    id: int
    position: int
    prompt: str
    scale: str
    scale_name: str
    choices: tuple[tuple[str, str], ...]  # (value a page sends, label)
    objectives: tuple[tuple[int, str], ...]  # (objective id, code)


@dataclass(frozen=True)
class FormView:
    id: int
    name: str
    rotation_id: int | None
    rotation: str | None
    retired: bool
    evaluations: int
    items: tuple[ItemView, ...]

    @property
    def in_use(self) -> bool:
        return self.evaluations > 0


@dataclass(frozen=True)
class EvaluationRow:
    id: int
    form: str
    fellow_id: int
    fellow: str
    evaluator_id: int | None
    evaluator: str
    rotation: str | None
    period_start: date
    period_end: date
    submitted_at: datetime
    status: str


@dataclass(frozen=True)
class AnswerView:
    prompt: str
    scale_name: str
    rating: str
    label: str
    objectives: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class EvaluationDetail:
    row: EvaluationRow
    form_id: int
    comments: str
    supersedes_id: int | None
    superseded_by_id: int | None
    answers: tuple[AnswerView, ...]


# ------------------------------------------------------------------------------ forms


def _form(session: Session, program_id: int, form_id: int) -> EvaluationForm:
    form = session.get(EvaluationForm, form_id)
    if form is None or form.program_id != program_id:
        raise NotFound("No such evaluation form in this program.")
    return form


def _check_rotation(session: Session, program_id: int, rotation_id: int | None) -> None:
    if rotation_id is None:
        return
    rotation = session.get(Rotation, rotation_id)
    if rotation is None or rotation.program_id != program_id:
        raise InvalidInput([FieldError("rotation_id", "is not a rotation of this program")])


def _name_taken() -> InvalidInput:
    return InvalidInput([FieldError("name", "is already used by another form of this program")])


def create_form(session: Session, program_id: int, data: FormInput) -> EvaluationForm:
    """Add a form; its name is unique within the program, its rotation the program's own."""
    _check_rotation(session, program_id, data.rotation_id)
    taken = select(EvaluationForm.id).where(
        EvaluationForm.program_id == program_id, EvaluationForm.name == data.name
    )
    if session.scalar(taken) is not None:
        raise _name_taken()
    form = EvaluationForm(program_id=program_id, name=data.name, rotation_id=data.rotation_id)
    session.add(form)
    try:
        session.commit()
    except IntegrityError as error:  # a concurrent request took the name
        session.rollback()
        raise _name_taken() from error
    return form


def _evaluations_on(session: Session, form_id: int) -> int:
    count = select(func.count()).where(FellowEvaluation.form_id == form_id)
    return session.scalar(count) or 0


def _editable(session: Session, program_id: int, form_id: int) -> EvaluationForm:
    form = _form(session, program_id, form_id)
    if form.retired_at is not None:
        raise Conflict("This form is retired; its items can no longer change.")
    if _evaluations_on(session, form_id):
        raise Conflict(
            "This form has been used for evaluations, so its items can no longer change. "
            "Retire it and make a new form instead."
        )
    return form


def add_item(session: Session, program_id: int, form_id: int, data: ItemInput) -> EvaluationItem:
    """Append an item to a form that has not been used yet; the objectives it assesses
    must be the program's own."""
    _editable(session, program_id, form_id)
    wanted = set(data.objective_ids)
    if wanted:
        known = set(
            session.scalars(
                select(CurriculumObjective.id).where(
                    CurriculumObjective.program_id == program_id,
                    CurriculumObjective.id.in_(wanted),
                )
            )
        )
        if wanted - known:
            raise InvalidInput(
                [FieldError("objective_ids", "includes an objective that is not this program's")]
            )
    last = session.scalar(
        select(func.max(EvaluationItem.position)).where(EvaluationItem.form_id == form_id)
    )
    item = EvaluationItem(program_id=program_id, form_id=form_id, position=(last or 0) + 1,
                          prompt=data.prompt, scale=data.scale)  # fmt: skip
    session.add(item)
    session.flush()
    session.add_all(
        EvaluationItemObjective(item_id=item.id, objective_id=objective_id)
        for objective_id in sorted(wanted)
    )
    try:
        session.commit()
    except IntegrityError as error:  # a concurrent request appended at the same position
        session.rollback()
        raise Conflict("The form changed at the same time; reload and try again.") from error
    return item


def remove_item(session: Session, program_id: int, form_id: int, item_id: int) -> None:
    """Remove an item from a form that has not been used yet."""
    _editable(session, program_id, form_id)
    item = session.get(EvaluationItem, item_id)
    if item is None or item.form_id != form_id:
        raise NotFound("This form has no such item.")
    session.delete(item)
    session.commit()


def retire_form(session: Session, program_id: int, form_id: int, *, now: datetime) -> None:
    """Stop offering a form for new evaluations; its evaluations keep counting."""
    form = _form(session, program_id, form_id)
    if form.retired_at is not None:
        raise Conflict("This form is already retired.")
    form.retired_at = now
    session.commit()


def list_forms(session: Session, program_id: int, *, active_only: bool = False) -> list[FormView]:
    """The program's forms by name, each with its items in order and what they assess."""
    query = (
        select(EvaluationForm, Rotation.name)
        .outerjoin(Rotation, Rotation.id == EvaluationForm.rotation_id)
        .where(EvaluationForm.program_id == program_id)
        .order_by(EvaluationForm.retired_at.is_not(None), EvaluationForm.name)
    )
    if active_only:
        query = query.where(EvaluationForm.retired_at.is_(None))
    forms = session.execute(query).all()
    ids = [form.id for form, _ in forms]
    items = _items_of(session, ids)
    used = dict(
        session.execute(
            select(FellowEvaluation.form_id, func.count())
            .where(FellowEvaluation.form_id.in_(ids))
            .group_by(FellowEvaluation.form_id)
        ).all()
    )
    return [
        FormView(form.id, form.name, form.rotation_id, rotation, form.retired_at is not None,
                 used.get(form.id, 0), tuple(items.get(form.id, ())))
        for form, rotation in forms
    ]  # fmt: skip


def _items_of(session: Session, form_ids: list[int]) -> dict[int, list[ItemView]]:
    if not form_ids:
        return {}
    assessed: dict[int, list[tuple[int, str]]] = {}
    for item_id, objective_id, code in session.execute(
        select(EvaluationItemObjective.item_id, CurriculumObjective.id, CurriculumObjective.code)
        .join(CurriculumObjective, CurriculumObjective.id == EvaluationItemObjective.objective_id)
        .join(EvaluationItem, EvaluationItem.id == EvaluationItemObjective.item_id)
        .where(EvaluationItem.form_id.in_(form_ids))
        .order_by(CurriculumObjective.code)
    ):
        assessed.setdefault(item_id, []).append((objective_id, code))
    result: dict[int, list[ItemView]] = {}
    for item in session.scalars(
        select(EvaluationItem)
        .where(EvaluationItem.form_id.in_(form_ids))
        .order_by(EvaluationItem.position)
    ):
        scale = SCALES[item.scale]
        choices = tuple((format_rating(value), label) for value, label in scale.choices)
        result.setdefault(item.form_id, []).append(
            ItemView(item.id, item.position, item.prompt, item.scale, scale.name, choices,
                     tuple(assessed.get(item.id, ())))
        )  # fmt: skip
    return result


def get_form(session: Session, program_id: int, form_id: int) -> FormView:
    _form(session, program_id, form_id)
    return next(f for f in list_forms(session, program_id) if f.id == form_id)


# ------------------------------------------------------------------------ evaluations

_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
_DOCTOR = frozenset({"dr", "doctor", "prof", "professor"})
_PATIENT_CUE = re.compile(r"\b(?:patient|pt|name)\W*$", re.IGNORECASE)


def _is_named_person(finding: PhiFinding, text: str, people: frozenset[str]) -> bool:
    """A name finding that only names the evaluated fellow or the evaluator, as a doctor."""
    if finding.letter != "A" or _PATIENT_CUE.search(
        text[max(0, finding.start - 16) : finding.start]
    ):
        return False
    words = [w.lower() for w in _WORD.findall(finding.text) if w.lower() not in _DOCTOR]
    return bool(words) and all(w in people for w in words)


def _name_words(*full_names: str) -> frozenset[str]:
    return frozenset(
        w.lower() for name in full_names for w in _WORD.findall(name) if w.lower() not in _DOCTOR
    )


def comment_problems(comments: str, people: tuple[str, ...], *, today: date) -> list[FieldError]:
    """Reasons to refuse the comments: text that looks like a patient identifier (HIPAA Safe
    Harbor, the case log's screen), except the names of the people of the evaluation."""
    known = _name_words(*people)
    return [
        FieldError("comments", f"looks like a patient identifier {finding.message}")
        for finding in screen_free_text(comments, today=today)
        if not _is_named_person(finding, comments, known)
    ]


def _original(
    session: Session, program_id: int, evaluator_id: int, evaluation_id: int
) -> FellowEvaluation:
    original = session.scalar(
        select(FellowEvaluation).where(FellowEvaluation.id == evaluation_id).with_for_update()
    )
    if original is None or original.program_id != program_id:
        raise NotFound("No such evaluation in this program.")
    if original.evaluator_user_id != evaluator_id:
        raise PermissionDenied("Only the author of an evaluation can correct it.")
    if original.status != SUBMITTED:
        raise Conflict("This evaluation has already been corrected; correct the newest version.")
    return original


def submit_evaluation(
    session: Session, program_id: int, evaluator_id: int, data: EvaluationInput,
    *, now: datetime, today: date,
) -> FellowEvaluation:  # fmt: skip
    """Record a final evaluation of a fellow (module docstring), or a correction of the
    evaluator's own evaluation that supersedes it. Every problem is reported at once,
    each naming its field (an answer's field is ``item_<id>``)."""
    original = None
    if data.supersedes_id is not None:
        original = _original(session, program_id, evaluator_id, data.supersedes_id)
    problems: list[FieldError] = []
    form = session.get(EvaluationForm, data.form_id)
    if form is None or form.program_id != program_id:
        raise InvalidInput([FieldError("form_id", "is not an evaluation form of this program")])
    if original is not None and (original.form_id, original.fellow_user_id) != (
        data.form_id, data.fellow_user_id,
    ):  # fmt: skip
        problems.append(FieldError("supersedes_id", "a correction keeps the fellow and the form"))
    if form.retired_at is not None and original is None:
        problems.append(FieldError("form_id", "is retired; choose a current form"))
    fellows = members_with_role(session, program_id, Role.FELLOW)
    if data.fellow_user_id is None:
        problems.append(FieldError("fellow_user_id", "choose the fellow you evaluate"))
    elif data.fellow_user_id not in fellows:
        problems.append(FieldError("fellow_user_id", "is not a fellow of this program"))
    elif data.fellow_user_id == evaluator_id:
        problems.append(FieldError("fellow_user_id", "you cannot evaluate yourself"))
    rotation_id = data.rotation_id if data.rotation_id is not None else form.rotation_id
    try:
        _check_rotation(session, program_id, rotation_id)
    except InvalidInput as error:
        problems += error.errors
    if data.period_start is None:
        problems.append(FieldError("period_start", "give the first day of the period"))
    elif data.period_start > today:
        problems.append(FieldError("period_start", "cannot be in the future"))
    if data.period_end is None:
        problems.append(FieldError("period_end", "give the last day of the period"))
    elif data.period_start is not None and data.period_end < data.period_start:
        problems.append(FieldError("period_end", "must be on or after the start of the period"))
    items = list(
        session.scalars(
            select(EvaluationItem)
            .where(EvaluationItem.form_id == form.id)
            .order_by(EvaluationItem.position)
        )
    )
    if not items:
        problems.append(FieldError("form_id", "has no items yet"))
    ratings: dict[int, int | None] = {}
    for item in items:
        try:
            ratings[item.id] = parse_rating(item.scale, data.answers.get(item.id, ""))
        except ValueError as error:
            problems.append(FieldError(f"item_{item.id}", str(error)))
    if items and len(ratings) == len(items) and all(r is None for r in ratings.values()):
        problems.append(FieldError(f"item_{items[0].id}", "rate at least one item"))
    evaluator = session.get(User, evaluator_id)
    fellow_name = fellows.get(data.fellow_user_id or 0, "")
    people = (fellow_name, evaluator.full_name if evaluator else "")
    problems += comment_problems(data.comments, people, today=today)
    if problems:
        raise InvalidInput(problems)
    assert data.fellow_user_id and data.period_start and data.period_end

    evaluation = FellowEvaluation(
        program_id=program_id, form_id=form.id, fellow_user_id=data.fellow_user_id,
        evaluator_user_id=evaluator_id, rotation_id=rotation_id, period_start=data.period_start,
        period_end=data.period_end, comments=data.comments, status=SUBMITTED,
        supersedes_id=original.id if original else None, submitted_at=now,
    )  # fmt: skip
    session.add(evaluation)
    if original is not None:
        original.status = SUPERSEDED
    session.flush()
    session.add_all(
        EvaluationAnswer(evaluation_id=evaluation.id, item_id=item_id, rating_halves=rating)
        for item_id, rating in ratings.items()
    )
    session.commit()
    return evaluation


def _visible(viewer: Viewer) -> list[object]:
    if viewer.sees_all:
        return []
    return [
        or_(
            FellowEvaluation.fellow_user_id == viewer.user_id,
            FellowEvaluation.evaluator_user_id == viewer.user_id,
        )
    ]


def _rows(session: Session, program_id: int, *conditions: object) -> list[EvaluationRow]:
    fellow, evaluator = aliased(User), aliased(User)
    query = (
        select(FellowEvaluation, EvaluationForm.name, fellow.full_name, evaluator.full_name,
               Rotation.name)
        .join(EvaluationForm, EvaluationForm.id == FellowEvaluation.form_id)
        .join(fellow, fellow.id == FellowEvaluation.fellow_user_id)
        .outerjoin(evaluator, evaluator.id == FellowEvaluation.evaluator_user_id)
        .outerjoin(Rotation, Rotation.id == FellowEvaluation.rotation_id)
        .where(FellowEvaluation.program_id == program_id, *conditions)  # type: ignore[arg-type]
        .order_by(FellowEvaluation.submitted_at.desc(), FellowEvaluation.id.desc())
    )  # fmt: skip
    return [
        EvaluationRow(e.id, form, e.fellow_user_id, fellow_name, e.evaluator_user_id,
                      evaluator_name or "(former member)", rotation, e.period_start,
                      e.period_end, e.submitted_at, e.status)
        for e, form, fellow_name, evaluator_name, rotation in session.execute(query)
    ]  # fmt: skip


def list_evaluations(session: Session, program_id: int, viewer: Viewer) -> list[EvaluationRow]:
    """The evaluations the viewer may read (module docstring), newest first."""
    return _rows(session, program_id, *_visible(viewer))


def get_evaluation(
    session: Session, program_id: int, evaluation_id: int, viewer: Viewer
) -> EvaluationDetail:
    """One evaluation with its answers; one the viewer may not read is not found."""
    rows = _rows(session, program_id, FellowEvaluation.id == evaluation_id, *_visible(viewer))
    if not rows:
        raise NotFound("No such evaluation, or it is not yours to read.")
    record = session.get(FellowEvaluation, evaluation_id)
    assert record is not None
    items = {item.id: item for items in _items_of(session, [record.form_id]).values()
             for item in items}  # fmt: skip
    answers = []
    for item_id, rating in session.execute(
        select(EvaluationAnswer.item_id, EvaluationAnswer.rating_halves)
        .join(EvaluationItem, EvaluationItem.id == EvaluationAnswer.item_id)
        .where(EvaluationAnswer.evaluation_id == evaluation_id)
        .order_by(EvaluationItem.position)
    ):
        item = items[item_id]
        label = "" if rating is None else SCALES[item.scale].label(rating)
        answers.append(AnswerView(item.prompt, item.scale_name, format_rating(rating), label,
                                  item.objectives))  # fmt: skip
    newer = session.scalar(
        select(FellowEvaluation.id).where(FellowEvaluation.supersedes_id == evaluation_id)
    )
    return EvaluationDetail(rows[0], record.form_id, record.comments, record.supersedes_id,
                            newer, tuple(answers))  # fmt: skip


def correction_of(
    session: Session, program_id: int, evaluator_id: int, evaluation_id: int
) -> dict[str, str]:
    """The values of the evaluator's own current evaluation, to start its correction from."""
    original = session.get(FellowEvaluation, evaluation_id)
    if original is None or original.program_id != program_id:
        raise NotFound("No such evaluation in this program.")
    if original.evaluator_user_id != evaluator_id:
        raise PermissionDenied("Only the author of an evaluation can correct it.")
    if original.status != SUBMITTED:
        raise Conflict("This evaluation has already been corrected; correct the newest version.")
    values = {
        "form_id": str(original.form_id),
        "fellow_user_id": str(original.fellow_user_id),
        "rotation_id": str(original.rotation_id or ""),
        "period_start": original.period_start.isoformat(),
        "period_end": original.period_end.isoformat(),
        "comments": original.comments,
        "supersedes_id": str(original.id),
    }
    for item_id, rating in session.execute(
        select(EvaluationAnswer.item_id, EvaluationAnswer.rating_halves).where(
            EvaluationAnswer.evaluation_id == evaluation_id
        )
    ):
        values[f"item_{item_id}"] = "not_observed" if rating is None else format_rating(rating)
    return values


def fellows_and_rotations(
    session: Session, program_id: int
) -> tuple[dict[int, str], dict[int, str]]:
    """Who can be evaluated, and the rotations an evaluation can be for."""
    rotations = session.execute(
        select(Rotation.id, Rotation.name)
        .where(Rotation.program_id == program_id)
        .order_by(Rotation.name)
    )
    return members_with_role(session, program_id, Role.FELLOW), dict(rotations.all())


def objectives_of(session: Session, program_id: int) -> list[tuple[int, str, str]]:
    """(id, code, text) of the program's objectives, for choosing what an item assesses."""
    rows = session.execute(
        select(CurriculumObjective.id, CurriculumObjective.code, CurriculumObjective.text)
        .where(CurriculumObjective.program_id == program_id)
        .order_by(CurriculumObjective.code)
    )
    return [(i, code, text) for i, code, text in rows]
