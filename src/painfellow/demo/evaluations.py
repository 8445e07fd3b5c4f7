"""Demo evaluations of fellows: two forms whose items assess the curriculum's objectives,
and a handful of submitted evaluations (one of them corrected), so the curriculum coverage
shows evaluation evidence and the objectives no item assesses.

The item on vertebral augmentation (MIS-3) is never rated in the demo: nobody has logged
the procedure, so faculty answered "not observed", and MIS-3 still lacks experience until
someone rates it. Runs after the flagship's curriculum and rotations exist.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import Membership
from painfellow.accounts.roles import Role
from painfellow.curriculum.models import CurriculumObjective
from painfellow.evaluations.models import (
    EvaluationAnswer,
    EvaluationForm,
    EvaluationItem,
    EvaluationItemObjective,
    FellowEvaluation,
)
from painfellow.schedules.models import Rotation

# form name, rotation, items: (prompt, scale, objective codes)
DEMO_FORMS: list[tuple[str, str, list[tuple[str, str, list[str]]]]] = [
    ("Interventional rotation evaluation", "Interventional pain (fluoroscopy)", [
        ("Performs fluoroscopically guided epidural, facet and medial branch procedures.",
         "milestone", ["IT-1"]),
        ("Selects patients for radiofrequency ablation and explains its risks and benefits.",
         "milestone", ["IT-2"]),
        ("Recognises, manages and discloses procedural complications.", "milestone", ["MIS-2"]),
        ("Assists with vertebral augmentation under supervision.", "milestone", ["MIS-3"]),
        ("Communicates with patients and the procedure team.", "likert_5", ["PCC-1", "MC-1"]),
    ]),
    ("Cancer pain and palliative care evaluation", "Cancer pain and palliative care", [
        ("Assesses cancer pain and adjusts a multimodal plan, including intrathecal therapy.",
         "milestone", ["CPC-1", "CPC-2"]),
        ("Prescribes opioids safely: MME, monitoring, tapering and naloxone.", "milestone",
         ["MM-1"]),
        ("Leads goals-of-care conversations with patients and families.", "likert_5",
         ["PCC-1"]),
    ]),
]  # fmt: skip

# (form index, faculty index, fellow index, days ago submitted, ratings in half-points per
#  item with None for "not observed", comments)
DEMO_EVALUATIONS: list[tuple[int, int, int, int, list[int | None], str]] = [
    (0, 0, 0, 9, [6, 5, 6, None, 8],
     "Safe and methodical under fluoroscopy; confirm contrast spread on the lateral view "
     "before injecting."),
    (0, 1, 1, 6, [7, 6, 5, None, 8],
     "Excellent consent conversations. Next step: lead the time-out independently."),
    (0, 0, 2, 5, [5, 5, None, None, 6], "Needs more repetitions on transforaminal approaches."),
    (1, 2, 3, 4, [6, 5, 8], "Thoughtful with families; keep building intrathecal experience."),
    (1, 4, 0, 2, [7, None, 10], "Leads goals-of-care meetings with real skill."),
]  # fmt: skip
# the third evaluation was corrected by its author: this is the original it superseded
DEMO_SUPERSEDED = (0, 0, 2, 6, [4, 5, None, None, 6], "Needs more repetitions.")


def add_evaluations_demo(
    session: Session, program_id: int, fellows: list[int], today: date
) -> None:
    rotations = dict(
        session.execute(
            select(Rotation.name, Rotation.id).where(Rotation.program_id == program_id)
        ).all()
    )
    objectives = dict(
        session.execute(
            select(CurriculumObjective.code, CurriculumObjective.id).where(
                CurriculumObjective.program_id == program_id
            )
        ).all()
    )
    faculty = list(
        session.scalars(
            select(Membership.user_id)
            .where(Membership.program_id == program_id, Membership.role == Role.FACULTY.value)
            .order_by(Membership.user_id)
        )
    )
    forms: list[tuple[EvaluationForm, list[EvaluationItem]]] = []
    for name, rotation, items in DEMO_FORMS:
        form = EvaluationForm(program_id=program_id, name=name, rotation_id=rotations[rotation])
        session.add(form)
        session.flush()
        records = []
        for position, (prompt, scale, codes) in enumerate(items, 1):
            item = EvaluationItem(program_id=program_id, form_id=form.id, position=position,
                                  prompt=prompt, scale=scale)  # fmt: skip
            session.add(item)
            session.flush()
            session.add_all(
                EvaluationItemObjective(item_id=item.id, objective_id=objectives[code])
                for code in codes
            )
            records.append(item)
        forms.append((form, records))

    def evaluate(
        entry: tuple[int, int, int, int, list[int | None], str], supersedes: int | None
    ) -> FellowEvaluation:
        form_index, faculty_index, fellow_index, days_ago, ratings, comments = entry
        form, items = forms[form_index]
        submitted = today - timedelta(days=days_ago)
        evaluation = FellowEvaluation(
            program_id=program_id, form_id=form.id, fellow_user_id=fellows[fellow_index],
            evaluator_user_id=faculty[faculty_index], rotation_id=form.rotation_id,
            period_start=submitted - timedelta(days=27), period_end=submitted,
            comments=comments, status="submitted", supersedes_id=supersedes,
            submitted_at=datetime.combine(submitted, time(17), tzinfo=UTC),
        )  # fmt: skip
        session.add(evaluation)
        session.flush()
        session.add_all(
            EvaluationAnswer(evaluation_id=evaluation.id, item_id=item.id, rating_halves=rating)
            for item, rating in zip(items, ratings, strict=True)
        )
        return evaluation

    original = evaluate(DEMO_SUPERSEDED, None)
    original.status = "superseded"
    for index, entry in enumerate(DEMO_EVALUATIONS):
        evaluate(entry, original.id if index == 2 else None)
    session.flush()
