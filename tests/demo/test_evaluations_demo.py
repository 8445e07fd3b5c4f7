"""The demo's evaluations of fellows feed the curriculum coverage."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.curriculum import service as curriculum
from painfellow.demo.evaluations import DEMO_EVALUATIONS, DEMO_SUPERSEDED
from painfellow.demo.loader import load_demo
from painfellow.evaluations import service
from painfellow.evaluations.models import FellowEvaluation
from painfellow.programs.models import Program
from tests.builders import FIXED_NOW


def test_demo_evaluations_show_evidence_and_unassessed_objectives(db: Session) -> None:
    load_demo(db, today=FIXED_NOW.date())
    flagship = db.scalars(select(Program).where(Program.city == "Ann Arbor")).one()
    statuses = db.scalars(
        select(FellowEvaluation.status).where(FellowEvaluation.program_id == flagship.id)
    ).all()
    assert sorted(statuses) == ["submitted"] * 5 + ["superseded"]
    forms = service.list_forms(db, flagship.id)
    assert [f.name for f in forms] == [
        "Cancer pain and palliative care evaluation",
        "Interventional rotation evaluation",
    ]
    assert all(f.in_use and f.rotation for f in forms)
    rows = {r.objective.code: r for r in curriculum.coverage(db, flagship.id, now=FIXED_NOW)}
    assert rows["IT-1"].evaluation_ratings == 3  # the superseded original does not count
    assert rows["PCC-1"].evaluation_ratings == 5
    unassessed = {code for code, r in rows.items() if not r.assessed}
    assert {"PO-1", "RS-1", "IT-3"} <= unassessed and "IT-1" not in unassessed
    assert rows["MIS-3"].assessed and rows["MIS-3"].lacks_experience  # only "not observed"


def test_demo_comments_pass_the_patient_identifier_screen() -> None:
    for entry in [*DEMO_EVALUATIONS, DEMO_SUPERSEDED]:
        comments = entry[-1]
        assert isinstance(comments, str)
        people = ("Dr. Jordan Lee", "Dr. Omar Haddad")
        assert service.comment_problems(comments, people, today=FIXED_NOW.date()) == []
