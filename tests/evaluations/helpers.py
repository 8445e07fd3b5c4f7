"""Builders for evaluation tests: a program with people, objectives and a form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.accounts.roles import Role
from painfellow.curriculum import service as curriculum
from painfellow.curriculum.schemas import ObjectiveForm
from painfellow.evaluations import service
from painfellow.evaluations.models import EvaluationForm, FellowEvaluation
from painfellow.evaluations.schemas import EvaluationInput, FormInput, ItemInput
from painfellow.programs.models import Program
from painfellow.schedules.models import Rotation
from tests.builders import FIXED_NOW, make_program, make_user

TODAY = FIXED_NOW.date()


@dataclass
class World:
    program: Program
    director: User
    coordinator: User
    faculty: User
    other_faculty: User
    fellow: User
    other_fellow: User
    rotation: Rotation
    objectives: dict[str, int]
    form: EvaluationForm
    items: list[int]


def make_world(db: Session) -> World:
    program = make_program(db)
    people = {
        role: make_user(db, [(program.id, role)], full_name=name)
        for role, name in [
            (Role.PROGRAM_DIRECTOR, "Dr. Priya Raman"),
            (Role.PROGRAM_COORDINATOR, "Casey Morgan"),
        ]
    }
    faculty = make_user(db, [(program.id, Role.FACULTY)], full_name="Dr. Omar Haddad")
    other_faculty = make_user(db, [(program.id, Role.FACULTY)], full_name="Dr. Lena Fischer")
    fellow = make_user(db, [(program.id, Role.FELLOW)], full_name="Dr. Jordan Lee")
    other_fellow = make_user(db, [(program.id, Role.FELLOW)], full_name="Dr. Maya Patel")
    rotation = Rotation(program_id=program.id, name="Interventional", capacity_per_block=2)
    db.add(rotation)
    db.flush()
    objectives = {}
    for code, text in [
        ("IT-1", "Perform fluoroscopically guided epidurals."),
        ("IT-2", "Perform radiofrequency ablation."),
        ("PO-1", "Measure patient-reported outcomes."),
    ]:
        form = ObjectiveForm(area="interventional_techniques", competency="patient_care",
                             code=code, text=text)  # fmt: skip
        objectives[code] = curriculum.create_objective(db, program.id, form).id
    evaluation_form = service.create_form(
        db, program.id, FormInput(name="Interventional evaluation", rotation_id=rotation.id)
    )
    items = [
        service.add_item(db, program.id, evaluation_form.id, ItemInput(
            prompt="Performs epidurals safely.", scale="milestone",
            objective_ids=[objectives["IT-1"]])).id,
        service.add_item(db, program.id, evaluation_form.id, ItemInput(
            prompt="Performs radiofrequency ablation.", scale="milestone",
            objective_ids=[objectives["IT-2"]])).id,
        service.add_item(db, program.id, evaluation_form.id, ItemInput(
            prompt="Communicates with the team.", scale="likert_5")).id,
    ]  # fmt: skip
    return World(program, people[Role.PROGRAM_DIRECTOR], people[Role.PROGRAM_COORDINATOR],
                 faculty, other_faculty, fellow, other_fellow, rotation, objectives,
                 evaluation_form, items)  # fmt: skip


def answers(world: World, *raw: str) -> dict[str, str]:
    return {f"item_{item}": value for item, value in zip(world.items, raw, strict=True)}


def evaluation_input(world: World, **overrides: Any) -> EvaluationInput:
    values: dict[str, Any] = {
        "form_id": world.form.id,
        "fellow_user_id": world.fellow.id,
        "period_start": TODAY - timedelta(days=27),
        "period_end": TODAY,
        "comments": "Steady under fluoroscopy.",
        **answers(world, "3.5", "not_observed", "4"),
    }
    values.update(overrides)
    return EvaluationInput.model_validate(values)


def submit(db: Session, world: World, evaluator: User | None = None, **overrides: Any
           ) -> FellowEvaluation:  # fmt: skip
    author = evaluator or world.faculty
    return service.submit_evaluation(
        db, world.program.id, author.id, evaluation_input(world, **overrides),
        now=FIXED_NOW, today=TODAY,
    )  # fmt: skip
