"""Demo data of the match: the 2026–27 season with lists open on the demo's "today".

Past interviews (one day in September or October 2026 per program) at the flagship and the
eight lowest-id other programs, for applicant1-3@ and twenty extra applicants
(rank01@ … rank20@); draft and certified rank order lists on both sides, so the ranking
pages, the short-list warnings and the simulations have something real to work on.
The three highest-id programs are left alone (the interviews demo uses them).
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import Membership, User
from painfellow.accounts.roles import Role
from painfellow.interviews.models import (
    InterviewBooking,
    InterviewDay,
    InterviewInvitation,
    InterviewSlot,
)
from painfellow.match_season.models import MatchQuota, MatchSeason, RankEntry, RankList
from painfellow.programs.models import Program

DEMO_DOMAIN = "demo.painfellow.org"
EXTRA_APPLICANTS = 20
FIRST_NAMES = ["Avery", "Blake", "Cameron", "Devon", "Emerson", "Finley", "Harper", "Jesse",
               "Kendall", "Logan", "Morgan", "Noel", "Parker", "Quinn", "Reese", "Rowan",
               "Sage", "Taylor", "Sydney", "Hayden"]  # fmt: skip
LAST_NAMES = ["Abbott", "Baptiste", "Chen", "Duarte", "Eriksen", "Flores", "Gupta", "Hale",
              "Ibrahim", "Jovanovic", "Kowalski", "Lindqvist", "Mensah", "Nakamura", "Osei",
              "Petrov", "Quintero", "Rahman", "Schmidt", "Tran"]  # fmt: skip
SEASON_YEAR = 2026
ROL_OPENS = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)
CERTIFY_DEADLINE = datetime(2026, 12, 2, 21, 0, tzinfo=UTC)
RELEASE_AT = datetime(2026, 12, 9, 17, 0, tzinfo=UTC)
LISTS_EDITED = datetime(2026, 11, 12, 15, 0, tzinfo=UTC)
FLAGSHIP_QUOTA = 4


def add_match_season_demo(session: Session, flagship: Program, password_hash: str) -> None:
    """Add the season, interviews and lists (flushes; the caller commits)."""
    rng = random.Random(2027)
    others = list(
        session.scalars(
            select(Program).where(Program.id != flagship.id).order_by(Program.id).limit(8)
        )
    )
    named = [
        session.scalars(select(User).where(User.email == f"applicant{i}@{DEMO_DOMAIN}")).one()
        for i in (1, 2, 3)
    ]
    extras = _extra_applicants(session, password_hash)
    season = MatchSeason(
        year=SEASON_YEAR,
        rol_opens_at=ROL_OPENS,
        certify_deadline=CERTIFY_DEADLINE,
        release_at=RELEASE_AT,
    )
    session.add(season)
    session.flush()

    # Who interviewed where: the flagship saw the three named applicants and eleven extras.
    interviews: dict[int, list[User]] = {p.id: [] for p in [flagship, *others]}
    interviews[flagship.id] = [*named, *extras[:11]]
    plans = {0: [0, 1, 2], 1: [1, 3], 2: [2, 4, 5]}
    for n, person in enumerate(named):
        for k in plans[n]:
            interviews[others[k].id].append(person)
    for person in extras:
        for program in rng.sample(others, rng.randint(2, 5)):
            interviews[program.id].append(person)
    for number, program in enumerate([flagship, *others]):
        day = date(2026, 9, 14) + timedelta(days=3 * number)
        _interview_day(session, program, day, interviews[program.id])

    # Applicants' lists: every extra ranks all their interviews; even-numbered ones certified.
    taken: dict[int, list[int]] = {}
    for program_id, people in interviews.items():
        for person in people:
            taken.setdefault(person.id, []).append(program_id)
    for n, person in enumerate(extras):
        ranked = sorted(taken[person.id], key=lambda pid: (pid != flagship.id, rng.random()))
        _rank_list(session, season, ranked, applicant=person, certified=n % 2 == 0)
    _rank_list(session, season, [flagship.id, others[0].id], applicant=named[0], certified=False)

    # Programs' lists: the eight others rank everyone they saw (certified, usual quota);
    # the flagship has a draft of ten of its fourteen interviewees and a quota of four.
    for program in others:
        session.add(
            MatchQuota(season_id=season.id, program_id=program.id,
                       quota=max(1, min(program.positions_per_year, 4)))
        )  # fmt: skip
        seen = [p.id for p in interviews[program.id]]
        rng.shuffle(seen)
        _rank_list(session, season, seen, program=program, certified=True)
    session.add(MatchQuota(season_id=season.id, program_id=flagship.id, quota=FLAGSHIP_QUOTA))
    flagship_people = [p.id for p in interviews[flagship.id]]
    rng.shuffle(flagship_people)
    _rank_list(session, season, flagship_people[:10], program=flagship, certified=False)
    session.flush()


def _extra_applicants(session: Session, password_hash: str) -> list[User]:
    users = []
    for n in range(1, EXTRA_APPLICANTS + 1):
        user = User(
            email=f"rank{n:02d}@{DEMO_DOMAIN}",
            full_name=f"Dr. {FIRST_NAMES[n - 1]} {LAST_NAMES[(n * 7) % len(LAST_NAMES)]}",
            password_hash=password_hash,
        )
        user.memberships = [Membership(program_id=None, role=Role.APPLICANT.value)]
        session.add(user)
        users.append(user)
    session.flush()
    return users


def _interview_day(session: Session, program: Program, day: date, people: list[User]) -> None:
    """One past interview day with one group slot that every invitee booked."""
    record = InterviewDay(
        program_id=program.id, day=day, format="in_person",
        location=f"{program.institution}, {program.city}", itinerary="Tour, interviews, lunch",
    )  # fmt: skip
    session.add(record)
    session.flush()
    slot = InterviewSlot(
        day_id=record.id, program_id=program.id,
        starts_at=datetime(day.year, day.month, day.day, 13, 0, tzinfo=UTC),
        capacity=max(1, len(people)), booked_count=len(people),
    )  # fmt: skip
    session.add(slot)
    session.flush()
    invited_at = datetime(2026, 8, 20, 14, 0, tzinfo=UTC)
    for person in people:
        invitation = InterviewInvitation(
            program_id=program.id, applicant_user_id=person.id, status="booked",
            invited_at=invited_at,
        )  # fmt: skip
        session.add(invitation)
        session.flush()
        session.add(
            InterviewBooking(
                invitation_id=invitation.id, slot_id=slot.id, program_id=program.id,
                applicant_user_id=person.id, booked_at=invited_at + timedelta(days=2),
            )
        )  # fmt: skip


def _rank_list(
    session: Session,
    season: MatchSeason,
    targets: list[int],
    *,
    certified: bool,
    applicant: User | None = None,
    program: Program | None = None,
) -> None:
    rank_list = RankList(
        season_id=season.id,
        applicant_user_id=applicant.id if applicant else None,
        program_id=program.id if program else None,
        certified_at=LISTS_EDITED if certified else None,
        certified_by_user_id=applicant.id if applicant and certified else None,
        updated_at=LISTS_EDITED,
    )
    session.add(rank_list)
    session.flush()
    for rank, target in enumerate(targets, start=1):
        session.add(
            RankEntry(
                list_id=rank_list.id,
                rank=rank,
                ranked_program_id=target if applicant else None,
                ranked_applicant_id=target if program else None,
            )
        )
