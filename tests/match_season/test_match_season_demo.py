from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.demo.loader import load_demo
from painfellow.interviews.models import InterviewDay
from painfellow.match_season import planning, service
from painfellow.match_season.service import Owner
from painfellow.programs.models import Program
from tests.builders import FIXED_NOW


def test_demo_season_is_open_with_draft_lists(db: Session) -> None:
    load_demo(db, today=FIXED_NOW.date())
    season = service.current_season(db)
    assert season is not None and season.label == "2026–27"
    assert season.rol_opens_at <= FIXED_NOW < season.certify_deadline
    flagship = db.scalars(select(Program).where(Program.city == "Ann Arbor")).one()
    applicant1 = db.scalars(
        select(User).where(User.email == "applicant1@demo.painfellow.org")
    ).one()
    mine = service.list_view(db, season, Owner("applicant", applicant1.id), FIXED_NOW)
    assert mine.editable and mine.rows[0].candidate.id == flagship.id
    assert len(mine.rows) == 2 and len(mine.unranked) == 2 and mine.short_list_warning
    theirs = service.list_view(db, season, Owner("program", flagship.id), FIXED_NOW)
    assert theirs.quota == 4 and len(theirs.rows) == 10 and len(theirs.unranked) == 4
    assert theirs.certified_at is None and theirs.short_list_warning
    plan = planning.simulate_owner(db, season, Owner("program", flagship.id), now=FIXED_NOW)
    xs = [x for x, _ in plan.result.curve]
    assert xs == list(range(1, plan.counted + 1)) and 5 <= plan.counted <= 10
    assert plan.ranked == 10


def test_demo_interviews_are_past_and_avoid_the_highest_programs(db: Session) -> None:
    load_demo(db, today=FIXED_NOW.date())
    highest = set(db.scalars(select(Program.id).order_by(Program.id.desc()).limit(3)))
    past = [d for d in db.scalars(select(InterviewDay)) if d.day < FIXED_NOW.date()]
    assert all(d.day.month in (9, 10) and d.day.year == 2026 for d in past)
    assert len(past) == len({d.program_id for d in past}) == 9  # one day per program
    assert not {d.program_id for d in past} & highest
    flagship = db.scalars(select(Program).where(Program.city == "Ann Arbor")).one()
    assert flagship.id in {d.program_id for d in past}
