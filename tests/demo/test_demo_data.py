from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import Membership
from painfellow.accounts.roles import Role
from painfellow.demo.loader import load_demo
from painfellow.programs.models import Program
from tests.builders import FIXED_NOW


def test_demo_data_is_shaped_like_the_landscape(db: Session) -> None:
    logins = load_demo(db, today=FIXED_NOW.date())
    assert logins is not None
    programs = db.scalars(select(Program)).all()
    assert 100 <= len(programs) <= 120
    assert len({p.state for p in programs}) >= 45
    positions = [p.positions_per_year for p in programs]
    assert min(positions) >= 1 and max(positions) <= 8
    assert 2.5 <= sum(positions) / len(positions) <= 3.8
    assert all(-180 <= p.longitude <= -60 and 15 <= p.latitude <= 72 for p in programs)


def test_demo_flagship_program_is_fully_staffed(db: Session) -> None:
    load_demo(db, today=FIXED_NOW.date())
    flagship = db.scalars(select(Program).where(Program.city == "Ann Arbor")).one()
    roles = Counter(db.scalars(select(Membership.role).where(Membership.program_id == flagship.id)))
    assert roles[Role.PROGRAM_DIRECTOR] == 1 and roles[Role.PROGRAM_COORDINATOR] == 1
    assert roles[Role.FACULTY] == 6 and roles[Role.FELLOW] == 4
    for staff in (Role.PHYSICAL_THERAPIST, Role.PSYCHOLOGIST, Role.NURSE, Role.PHARMACIST):
        assert roles[staff] == 1
    applicants = db.scalars(select(Membership).where(Membership.role == Role.APPLICANT)).all()
    assert len(applicants) >= 3


def test_demo_load_is_skipped_when_data_exists(db: Session) -> None:
    assert load_demo(db, today=FIXED_NOW.date()) is not None
    assert load_demo(db, today=FIXED_NOW.date()) is None


def test_demo_shifts_show_one_violation_to_the_director(db: Session) -> None:
    from painfellow.duty_hours.service import program_compliance

    load_demo(db, today=FIXED_NOW.date())
    flagship = db.scalars(select(Program).where(Program.city == "Ann Arbor")).one()
    first = FIXED_NOW.date().replace(day=1)
    report, names = program_compliance(db, flagship.id, first_day=first, last_day=FIXED_NOW.date())
    assert len(names) == 4
    assert report.violations >= 1
