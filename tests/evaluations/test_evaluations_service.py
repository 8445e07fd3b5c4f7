"""Evaluations of fellows: forms, submission rules, corrections, who reads what, coverage."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.audit.models import AuditEntry
from painfellow.audit.recorder import Actor, set_actor
from painfellow.curriculum import service as curriculum
from painfellow.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from painfellow.evaluations import service
from painfellow.evaluations.models import EvaluationAnswer, FellowEvaluation
from painfellow.evaluations.schemas import EvaluationInput, FormInput, ItemInput
from painfellow.schedules.models import Rotation
from painfellow.web.forms import parse_form
from tests.builders import FIXED_NOW, make_program, make_user
from tests.evaluations.helpers import TODAY, answers, make_world, submit


def _fields(error: pytest.ExceptionInfo[InvalidInput]) -> dict[str, str]:
    return {e.field: e.message for e in error.value.errors}


def test_submitting_records_every_answer_with_the_forms_rotation_and_an_audit_entry(
    db: Session,
) -> None:
    world = make_world(db)
    set_actor(db, Actor(world.faculty.id, "faculty@example.org"))
    evaluation = submit(db, world)
    assert (evaluation.status, evaluation.rotation_id) == ("submitted", world.rotation.id)
    assert evaluation.submitted_at == FIXED_NOW
    of_evaluation = EvaluationAnswer.evaluation_id == evaluation.id
    pairs = select(EvaluationAnswer.item_id, EvaluationAnswer.rating_halves).where(of_evaluation)
    ratings = dict(db.execute(pairs).all())
    assert ratings == {world.items[0]: 7, world.items[1]: None, world.items[2]: 8}
    audited = db.scalars(select(AuditEntry).where(AuditEntry.entity == "fellow_evaluations")).one()
    assert (audited.action, audited.actor_user_id, audited.program_id) == (
        "create", world.faculty.id, world.program.id,
    )  # fmt: skip
    assert audited.changes["fellow_user_id"] == [None, world.fellow.id]
    answers_logged = select(AuditEntry.id).where(AuditEntry.entity == "evaluation_answers")
    assert len(db.scalars(answers_logged).all()) == 3


def test_every_problem_is_reported_at_once_naming_its_field(db: Session) -> None:
    world = make_world(db)
    other = make_program(db)
    stranger = make_user(db, [(other.id, Role.FELLOW)])
    foreign_rotation = Rotation(program_id=other.id, name="Elsewhere", capacity_per_block=1)
    db.add(foreign_rotation)
    db.flush()
    with pytest.raises(InvalidInput) as error:
        submit(db, world, fellow_user_id=stranger.id, rotation_id=foreign_rotation.id,
               period_start=TODAY + timedelta(days=1), period_end=TODAY + timedelta(days=2),
               **answers(world, "", "9", "3.5"))  # fmt: skip
    fields = _fields(error)
    assert fields == {
        "fellow_user_id": "is not a fellow of this program",
        "rotation_id": "is not a rotation of this program",
        "period_start": "cannot be in the future",
        f"item_{world.items[0]}": "choose a rating or “not observed”",
        f"item_{world.items[1]}": "must be 1 to 5 in steps of 0.5",
        f"item_{world.items[2]}": "must be a whole number from 1 to 5",
    }
    assert db.scalar(select(FellowEvaluation.id)) is None


def test_period_order_and_a_foreign_form_are_refused(db: Session) -> None:
    world = make_world(db)
    with pytest.raises(InvalidInput) as error:
        submit(db, world, period_start=TODAY, period_end=TODAY - timedelta(days=1))
    assert _fields(error) == {"period_end": "must be on or after the start of the period"}
    blank = parse_form(EvaluationInput, {"form_id": str(world.form.id), "fellow_user_id": "",
                                         "period_start": "", "period_end": ""})  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        service.submit_evaluation(db, world.program.id, world.faculty.id, blank, now=FIXED_NOW,
                                  today=TODAY)  # fmt: skip
    assert {"fellow_user_id", "period_start", "period_end"} <= set(_fields(error))
    with pytest.raises(InvalidInput) as error:
        parse_form(EvaluationInput, {"form_id": "x", "period_start": "someday"})
    assert set(_fields(error)) == {"form_id", "period_start"}
    elsewhere = make_world(db)
    with pytest.raises(InvalidInput) as error:
        submit(db, world, form_id=elsewhere.form.id)
    assert _fields(error) == {"form_id": "is not an evaluation form of this program"}


def test_an_evaluation_rates_at_least_one_item(db: Session) -> None:
    world = make_world(db)
    with pytest.raises(InvalidInput) as error:
        submit(db, world, **answers(world, "not_observed", "not_observed", "not_observed"))
    assert _fields(error) == {f"item_{world.items[0]}": "rate at least one item"}


def test_nobody_evaluates_themself(db: Session) -> None:
    world = make_world(db)
    both = make_user(db, [(world.program.id, Role.FELLOW), (world.program.id, Role.FACULTY)])
    with pytest.raises(InvalidInput) as error:
        submit(db, world, evaluator=both, fellow_user_id=both.id)
    assert _fields(error) == {"fellow_user_id": "you cannot evaluate yourself"}


@pytest.mark.parametrize(
    "comments",
    [
        "Reviewed the chart, MRN 4482913, before the block.",
        "Called the patient at 734-555-0199 to follow up.",
        "patient Lee had a headache afterwards",
        "Mr. Lee tolerated the procedure well.",
        "Mr. Smith was anxious; the fellow reassured him.",
        "Seen on March 3, 2026 in clinic.",
    ],
)
def test_comments_with_a_patient_identifier_are_refused_with_the_reason(
    db: Session, comments: str
) -> None:
    world = make_world(db)
    with pytest.raises(InvalidInput) as error:
        submit(db, world, comments=comments)
    assert list(_fields(error)) == ["comments"]
    assert _fields(error)["comments"].startswith("looks like a patient identifier (")


@pytest.mark.parametrize(
    "comments",
    ["Dr. Lee placed every needle with care.", "Jordan Lee leads the time-out well.",
     "Dr Haddad observed; Dr. Jordan Lee needs more RFA cases.", ""],
)  # fmt: skip
def test_the_names_of_the_fellow_and_the_evaluator_are_not_identifiers(
    db: Session, comments: str
) -> None:
    world = make_world(db)
    assert submit(db, world, comments=comments).comments == comments


def test_a_correction_supersedes_the_authors_own_evaluation_and_keeps_it(db: Session) -> None:
    world = make_world(db)
    original = submit(db, world)
    with pytest.raises(PermissionDenied):
        submit(db, world, evaluator=world.other_faculty, supersedes_id=original.id)
    with pytest.raises(InvalidInput) as error:
        submit(db, world, supersedes_id=original.id, fellow_user_id=world.other_fellow.id)
    assert "supersedes_id" in _fields(error)
    correction = submit(db, world, supersedes_id=original.id,
                        **answers(world, "4", "3", "4"))  # fmt: skip
    db.refresh(original)
    assert (original.status, correction.status) == ("superseded", "submitted")
    assert correction.supersedes_id == original.id
    with pytest.raises(Conflict):
        submit(db, world, supersedes_id=original.id)
    with pytest.raises(NotFound):
        submit(db, make_world(db), supersedes_id=correction.id)
    viewer = service.Viewer(world.director.id, sees_all=True)
    detail = service.get_evaluation(db, world.program.id, original.id, viewer)
    assert detail.superseded_by_id == correction.id
    assert (
        service.correction_of(db, world.program.id, world.faculty.id, correction.id)[
            f"item_{world.items[1]}"
        ]
        == "3"
    )
    with pytest.raises(Conflict):
        service.correction_of(db, world.program.id, world.faculty.id, original.id)


def test_each_reader_sees_only_what_is_theirs(db: Session) -> None:
    world = make_world(db)
    mine = submit(db, world)
    theirs = submit(db, world, evaluator=world.other_faculty, fellow_user_id=world.other_fellow.id)
    pid = world.program.id

    def ids(user_id: int, sees_all: bool = False) -> set[int]:
        return {r.id for r in service.list_evaluations(db, pid, service.Viewer(user_id, sees_all))}

    assert ids(world.fellow.id) == {mine.id}
    assert ids(world.other_fellow.id) == {theirs.id}
    assert ids(world.faculty.id) == {mine.id}
    assert ids(world.director.id, True) == ids(world.coordinator.id, True) == {mine.id, theirs.id}
    assert ids(make_world(db).director.id, True) == {mine.id, theirs.id}  # the path's program
    with pytest.raises(NotFound):
        service.get_evaluation(db, pid, theirs.id, service.Viewer(world.fellow.id, False))
    with pytest.raises(NotFound):
        service.get_evaluation(db, pid, mine.id, service.Viewer(world.other_faculty.id, False))
    elsewhere = make_world(db)
    with pytest.raises(NotFound):
        service.get_evaluation(db, elsewhere.program.id, mine.id,
                               service.Viewer(elsewhere.director.id, True))  # fmt: skip
    detail = service.get_evaluation(db, pid, mine.id, service.Viewer(world.fellow.id, False))
    assert [a.rating for a in detail.answers] == ["3.5", "not observed", "4"]
    assert detail.answers[0].objectives == ((world.objectives["IT-1"], "IT-1"),)


def test_form_items_change_only_until_the_first_evaluation(db: Session) -> None:
    world = make_world(db)
    pid, form = world.program.id, world.form
    service.remove_item(db, pid, form.id, world.items[2])
    world.items.pop()
    item = ItemInput(prompt="Explains risks.", scale="likert_5")
    service.add_item(db, pid, form.id, item)
    world.items = [i.id for i in service.get_form(db, pid, form.id).items]
    submit(db, world, **answers(world, "3", "3", "3"))
    with pytest.raises(Conflict):
        service.add_item(db, pid, form.id, item)
    with pytest.raises(Conflict):
        service.remove_item(db, pid, form.id, world.items[0])
    service.retire_form(db, pid, form.id, now=FIXED_NOW)
    with pytest.raises(Conflict):
        service.retire_form(db, pid, form.id, now=FIXED_NOW)
    with pytest.raises(InvalidInput) as error:
        submit(db, world, **answers(world, "3", "3", "3"))
    assert _fields(error) == {"form_id": "is retired; choose a current form"}
    assert service.list_forms(db, pid, active_only=True) == []


def test_forms_are_the_programs_own(db: Session) -> None:
    world = make_world(db)
    pid = world.program.id
    elsewhere = make_world(db)
    with pytest.raises(InvalidInput) as error:
        service.create_form(db, pid, FormInput(name="Interventional evaluation"))
    assert list(_fields(error)) == ["name"]
    with pytest.raises(InvalidInput) as error:
        service.create_form(db, pid, FormInput(name="Clinic", rotation_id=elsewhere.rotation.id))
    assert list(_fields(error)) == ["rotation_id"]
    empty = service.create_form(db, pid, FormInput(name="Clinic"))
    foreign = ItemInput(prompt="Rates well.", scale="likert_5",
                        objective_ids=[elsewhere.objectives["IT-1"]])  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        service.add_item(db, pid, empty.id, foreign)
    assert list(_fields(error)) == ["objective_ids"]
    with pytest.raises(NotFound):
        service.add_item(db, elsewhere.program.id, empty.id, foreign)
    with pytest.raises(InvalidInput) as error:
        submit(db, world, form_id=empty.id)
    assert _fields(error)["form_id"] == "has no items yet"
    with pytest.raises(InvalidInput) as error:
        parse_form(ItemInput, {"prompt": "", "scale": "stars"})
    assert set(_fields(error)) == {"prompt", "scale"}


def test_coverage_counts_current_ratings_and_flags_objectives_no_item_assesses(
    db: Session,
) -> None:
    world = make_world(db)
    pid = world.program.id

    def rows() -> dict[str, curriculum.Coverage]:
        return {r.objective.code: r for r in curriculum.coverage(db, pid, now=FIXED_NOW)}

    before = rows()
    assert before["IT-1"].assessed and before["IT-2"].assessed
    assert not before["PO-1"].assessed
    assert before["IT-1"].lacks_experience  # an item assesses it, but nobody was rated yet
    original = submit(db, world)  # IT-1 rated, IT-2 not observed
    submit(db, world, evaluator=world.other_faculty, fellow_user_id=world.other_fellow.id)
    after = rows()
    assert (after["IT-1"].evaluation_ratings, after["IT-2"].evaluation_ratings) == (2, 0)
    assert not after["IT-1"].lacks_experience and after["IT-2"].lacks_experience
    (source,) = after["IT-1"].sources
    assert source.kind == "evaluation" and not source.unlinkable
    assert source.label == "Interventional evaluation, item 1: Performs epidurals safely."
    submit(db, world, supersedes_id=original.id, **answers(world, "not_observed", "2", "3"))
    corrected = rows()
    assert (corrected["IT-1"].evaluation_ratings, corrected["IT-2"].evaluation_ratings) == (1, 1)
    service.retire_form(db, pid, world.form.id, now=FIXED_NOW)
    retired = rows()
    assert not retired["IT-1"].assessed and retired["IT-1"].evaluation_ratings == 1
    assert retired["IT-1"].sources[0].label.endswith("(retired form)")
