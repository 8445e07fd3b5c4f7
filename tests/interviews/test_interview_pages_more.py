from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.interviews.models import (
    InterviewBooking,
    InterviewDatePreference,
    InterviewEvaluation,
    InterviewWaitlistEntry,
)
from tests.builders import FIXED_NOW, make_program, make_user, sign_in
from tests.interviews.helpers import applicant, day_with_slots, invitation, settings


def test_waitlist_join_and_leave_and_cancel_pages(client: TestClient, db: Session) -> None:
    program = make_program(db)
    _, (slot,) = day_with_slots(db, program)
    person = applicant(db)
    inv = invitation(db, program, person)
    csrf = sign_in(client, db, person)
    db.commit()
    url = f"/interviews/invitations/{inv.id}"
    joined = client.post(f"{url}/waitlist", data={"csrf_token": csrf})
    assert joined.status_code == 200 and "number 1 on the waitlist" in joined.text
    again = client.post(f"{url}/waitlist", data={"csrf_token": csrf})
    assert again.status_code == 409 and "You are already on this program" in again.text
    left = client.post(f"{url}/waitlist/leave", data={"csrf_token": csrf})
    assert left.status_code == 200 and "You left the waitlist" in left.text
    assert db.scalars(select(InterviewWaitlistEntry)).all() == []
    client.post(f"{url}/booking", data={"csrf_token": csrf, "slot_id": slot.id})
    cancelled = client.post(f"{url}/cancel", data={"csrf_token": csrf})
    assert cancelled.status_code == 200 and "Your booking is cancelled" in cancelled.text
    assert db.scalars(select(InterviewBooking)).all() == []
    nothing = client.post(f"{url}/cancel", data={"csrf_token": csrf})
    assert nothing.status_code == 409 and "no booking" in nothing.text


def test_ranking_page_and_assignment_by_the_coordinator(client: TestClient, db: Session) -> None:
    program = make_program(db)
    coordinator = make_user(db, [(program.id, Role.PROGRAM_COORDINATOR)])
    settings(
        db,
        program,
        mode="ranked_dates",
        assignment_seed="public-seed",
        ranking_opens_at=FIXED_NOW - timedelta(hours=1),
        ranking_closes_at=FIXED_NOW + timedelta(hours=1),
    )
    day, _ = day_with_slots(db, program, capacities=(1,))
    person = applicant(db)
    inv = invitation(db, program, person)
    csrf = sign_in(client, db, person)
    db.commit()
    url = f"/interviews/invitations/{inv.id}"
    page = client.get(url)
    assert "Rank the days you can attend" in page.text and "public-seed" in page.text
    bad = client.post(f"{url}/ranking", data={"csrf_token": csrf, f"rank_{day.id}": "9"})
    assert bad.status_code == 422 and "give a rank from 1 to 1" in bad.text
    assert db.scalars(select(InterviewDatePreference)).all() == []
    ok = client.post(f"{url}/ranking", data={"csrf_token": csrf, f"rank_{day.id}": "1"})
    assert ok.status_code == 200 and "Your ranking is saved" in ok.text
    client.cookies.clear()
    manager_csrf = sign_in(client, db, coordinator)
    db.commit()
    early = client.post(
        f"/programs/{program.id}/interviews/assignment", data={"csrf_token": manager_csrf}
    )
    assert early.status_code == 409 and "still open" in early.text
    assert "public-seed" in client.get(f"/programs/{program.id}/interviews").text


def test_evaluation_page_saves_and_refuses_bad_scores(client: TestClient, db: Session) -> None:
    program = make_program(db)
    faculty = make_user(db, [(program.id, Role.FACULTY)])
    _, (slot,) = day_with_slots(db, program, hours_from_now=-2)
    person = applicant(db)
    inv = invitation(db, program, person)
    db.add(
        InterviewBooking(
            invitation_id=inv.id,
            slot_id=slot.id,
            program_id=program.id,
            applicant_user_id=person.id,
        )
    )
    slot.booked_count = 1
    csrf = sign_in(client, db, faculty)
    db.commit()
    base = f"/programs/{program.id}/interviews/evaluations"
    assert person.full_name in client.get(base).text
    scores = {"knowledge": "4", "communication": "5", "professionalism": "5", "program_fit": "3"}
    bad = client.post(f"{base}/{person.id}", data={"csrf_token": csrf, **scores, "knowledge": "7"})
    assert bad.status_code == 422 and db.scalars(select(InterviewEvaluation)).all() == []
    ok = client.post(
        f"{base}/{person.id}",
        data={"csrf_token": csrf, **scores, "comment": "Sharp"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    saved = db.scalars(select(InterviewEvaluation)).one()
    assert (saved.knowledge, saved.comment, saved.evaluator_user_id) == (4, "Sharp", faculty.id)
    assert "mean 4.25 from 1 evaluation" in client.get(base).text
    unknown = client.post(f"{base}/999999", data={"csrf_token": csrf, **scores})
    assert unknown.status_code == 404


def test_a_program_sees_only_its_own_invitations_and_days(client: TestClient, db: Session) -> None:
    mine, theirs = make_program(db), make_program(db)
    coordinator = make_user(db, [(mine.id, Role.PROGRAM_COORDINATOR)])
    their_day, _ = day_with_slots(db, theirs)
    ours, other = applicant(db), applicant(db)
    invitation(db, mine, ours)
    invitation(db, theirs, other)
    sign_in(client, db, coordinator)
    db.commit()
    page = client.get(f"/programs/{mine.id}/interviews")
    assert ours.full_name in page.text and other.full_name not in page.text
    assert client.get(f"/programs/{mine.id}/interviews/days/{their_day.id}").status_code == 404


def test_a_virtual_day_gives_the_booked_applicant_its_video_link(
    client: TestClient, db: Session
) -> None:
    program = make_program(db)
    _, (slot,) = day_with_slots(db, program, fmt="virtual")
    person, other = applicant(db), applicant(db)
    inv = invitation(db, program, person)
    other_inv = invitation(db, program, other)
    csrf = sign_in(client, db, person)
    db.commit()
    url = f"/interviews/invitations/{inv.id}"
    booked = client.post(
        f"{url}/booking", data={"csrf_token": csrf, "slot_id": slot.id}, follow_redirects=False
    )
    assert booked.status_code == 303
    link = "https://video.example.org/room"
    page = client.get(url)
    assert f'href="{link}"' in page.text
    itinerary = client.get(f"{url}/itinerary")
    assert itinerary.status_code == 200 and f'href="{link}"' in itinerary.text
    ics = client.get(f"{url}/booking.ics")
    assert f"LOCATION:{link}\r\n" in ics.text
    # another invitation's page, itinerary and calendar stay closed to this applicant
    for path in ("", "/itinerary", "/booking.ics"):
        assert client.get(f"/interviews/invitations/{other_inv.id}{path}").status_code == 404
