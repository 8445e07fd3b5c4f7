"""Demo data of interview scheduling: upcoming interview days (December 2026, January 2027).

The three highest-id programs each have one upcoming day and invite applicant1-3@:
applicant1@ is booked at the first and waitlisted at the second (whose only seat
applicant2@ holds). The flagship has one upcoming day in January 2027 with an itinerary that
its faculty can read, and invites ten extra applicants (candidate01@ … candidate10@), six of
whom have booked. (The match demo owns the past interviews at the other programs.)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import Membership, User
from painfellow.accounts.roles import Role
from painfellow.interviews.models import (
    InterviewBooking,
    InterviewDay,
    InterviewInvitation,
    InterviewSettings,
    InterviewSlot,
    InterviewWaitlistEntry,
)
from painfellow.programs.models import Program

DEMO_DOMAIN = "demo.painfellow.org"
INVITED_AT = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
CANDIDATES = ["Alex Moreau", "Bianca Okafor", "Caleb Lindgren", "Dana Whitfield",
              "Eli Marchetti", "Fatima Qureshi", "Gabriel Sato", "Hana Novak",
              "Isaac Brennan", "Julia Castellanos"]  # fmt: skip
FLAGSHIP_ITINERARY = (
    "07:30 Breakfast with the fellows (Pain Center lobby)\n"
    "08:00 Welcome by the program director\n"
    "08:30 Interviews with faculty (three 20-minute conversations)\n"
    "11:00 Tour: procedure suites, fluoroscopy and ultrasound rooms\n"
    "12:00 Lunch with current fellows\n"
    "13:00 Pain psychology and physical therapy team meet-and-greet"
)


def add_interviews_demo(session: Session, flagship: Program, password_hash: str) -> None:
    """Add the upcoming interview days, invitations, bookings and a waitlist; commits."""
    named = [
        session.scalars(select(User).where(User.email == f"applicant{i}@{DEMO_DOMAIN}")).one()
        for i in (1, 2, 3)
    ]
    highest = list(session.scalars(select(Program).where(Program.id != flagship.id)
                                   .order_by(Program.id.desc()).limit(3)))  # fmt: skip
    # (day, format, seats per slot, slots): the second program has a single one-seat slot
    plans = [(date(2026, 12, 8), "in_person", 2, 3), (date(2027, 1, 12), "virtual", 1, 1),
             (date(2027, 1, 20), "in_person", 2, 3)]  # fmt: skip
    slots: list[list[InterviewSlot]] = []
    invitations: list[dict[int, InterviewInvitation]] = []
    for program, (day, fmt, capacity, count) in zip(highest, plans, strict=True):
        session.add(InterviewSettings(program_id=program.id, mode="first_come",
                                      change_cutoff_hours=48))  # fmt: skip
        itinerary = "Welcome, interviews with faculty, lunch with the fellows"
        slots.append(_day(session, program, day, fmt, capacity, count=count,
                          itinerary=itinerary))  # fmt: skip
        invitations.append({p.id: _invite(session, program, p) for p in named})
    first, second = invitations[0], invitations[1]
    _book(session, first[named[0].id], slots[0][0])
    _book(session, second[named[1].id], slots[1][0])  # the second program is now full …
    waiting = second[named[0].id]  # … so applicant1@ waits for a seat there
    waiting.status = "waitlisted"
    session.add(InterviewWaitlistEntry(invitation_id=waiting.id, program_id=highest[1].id,
                                       joined_at=INVITED_AT + timedelta(days=1)))  # fmt: skip

    session.add(InterviewSettings(program_id=flagship.id, mode="first_come",
                                  change_cutoff_hours=72))  # fmt: skip
    flagship_slots = _day(session, flagship, date(2027, 1, 14), "in_person", 3, count=4,
                          itinerary=FLAGSHIP_ITINERARY)  # fmt: skip
    candidates = [_candidate(session, password_hash, n) for n in range(1, 11)]
    for n, person in enumerate(candidates):
        invitation = _invite(session, flagship, person)
        if n < 6:
            _book(session, invitation, flagship_slots[n % len(flagship_slots)])
    session.commit()


def _candidate(session: Session, password_hash: str, n: int) -> User:
    email = f"candidate{n:02d}@{DEMO_DOMAIN}"
    name = CANDIDATES[(n - 1) % len(CANDIDATES)]
    user = User(email=email, full_name=f"Dr. {name}", password_hash=password_hash)
    user.memberships = [Membership(program_id=None, role=Role.APPLICANT.value)]
    session.add(user)
    session.flush()
    return user


def _day(
    session: Session, program: Program, day: date, fmt: str, capacity: int, *, count: int,
    itinerary: str,
) -> list[InterviewSlot]:  # fmt: skip
    record = InterviewDay(
        program_id=program.id, day=day, format=fmt, itinerary=itinerary,
        location="" if fmt == "virtual" else f"{program.institution}, {program.city}",
        video_link="https://video.example.org/painfellow-interviews" if fmt == "virtual" else "",
    )  # fmt: skip
    session.add(record)
    session.flush()
    start = datetime(day.year, day.month, day.day, 14, 0, tzinfo=UTC)  # 09:00 in New York
    slots = [InterviewSlot(day_id=record.id, program_id=program.id, capacity=capacity,
                           booked_count=0, duration_minutes=60,
                           starts_at=start + timedelta(hours=n)) for n in range(count)]  # fmt: skip
    session.add_all(slots)
    session.flush()
    return slots


def _invite(session: Session, program: Program, person: User) -> InterviewInvitation:
    invitation = InterviewInvitation(program_id=program.id, applicant_user_id=person.id,
                                     status="invited", invited_at=INVITED_AT,
                                     message="We look forward to meeting you.")  # fmt: skip
    session.add(invitation)
    session.flush()
    return invitation


def _book(session: Session, invitation: InterviewInvitation, slot: InterviewSlot) -> None:
    session.add(InterviewBooking(invitation_id=invitation.id, slot_id=slot.id,
                                 program_id=slot.program_id,
                                 applicant_user_id=invitation.applicant_user_id,
                                 booked_at=INVITED_AT + timedelta(days=1)))  # fmt: skip
    slot.booked_count += 1
    invitation.status = "booked"
    session.flush()
