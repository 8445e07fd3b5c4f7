from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.caselog.service import quick_picks
from painfellow.demo.loader import load_demo
from painfellow.duty_hours.service import week_suggestions
from painfellow.programs.models import Program
from painfellow.schedules.models import Rotation, ScheduleRequest
from tests.builders import FIXED_NOW


def test_demo_has_shift_hours_favourites_and_an_own_request(db: Session) -> None:
    load_demo(db, today=FIXED_NOW.date())
    flagship = db.scalars(select(Program).where(Program.city == "Ann Arbor")).one()
    timed = db.scalars(
        select(Rotation).where(
            Rotation.program_id == flagship.id, Rotation.shift_start.is_not(None)
        )
    ).all()
    assert len(timed) >= 5
    fellow1 = db.scalars(select(User).where(User.email == "fellow1@demo.painfellow.org")).one()
    favourites, _ = quick_picks(db, flagship.id, fellow1.id)
    assert "esi_transforaminal" in favourites
    own = db.scalars(
        select(ScheduleRequest).where(
            ScheduleRequest.program_id == flagship.id,
            ScheduleRequest.created_by_user_id == ScheduleRequest.fellow_user_id,
        )
    ).all()
    assert own
    # some fellow is on a rotation with hours in the demo week, so the page offers shifts
    today = FIXED_NOW.date()
    monday = today - timedelta(days=today.weekday())
    fellows = db.scalars(select(User).where(User.email.like("fellow%@demo.painfellow.org"))).all()
    offered = [week_suggestions(db, flagship.id, f.id, monday=monday) for f in fellows]
    assert any(offered)
