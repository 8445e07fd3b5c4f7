from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.applications import review, submissions
from painfellow.demo.loader import load_demo
from painfellow.programs.models import Program
from tests.builders import FIXED_NOW


def test_demo_applications_are_visible_to_the_flagship(db: Session) -> None:
    load_demo(db, today=FIXED_NOW.date())
    flagship = db.scalars(
        select(Program).where(Program.institution == "Huron Valley University Health")
    ).one()
    first = db.scalars(select(User).where(User.email == "applicant1@demo.painfellow.org")).one()
    mine = submissions.list_own_applications(db, first.id)
    assert len(mine) == 3 and all(a.status != "draft" for a, _ in mine)
    rows = {
        r.applicant.email: r
        for r in review.list_program_applications(db, flagship.id, review.Filters())
    }
    complete = rows["applicant1@demo.painfellow.org"]
    assert complete.checklist.complete and complete.version.version == 2
    assert complete.rubric.average is not None and len(complete.rubric.by_reviewer) == 2
    assert not rows["applicant2@demo.painfellow.org"].checklist.complete
    receipt = submissions.receipt(db, first.id, complete.application.id)
    assert {d["kind"] for d in receipt.documents} == {
        "cv",
        "transcript",
        "photo",
        "personal_statement",
    }
