from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.interviews.models import (
    InterviewBooking,
    InterviewDay,
    InterviewInvitation,
    InterviewSettings,
    InterviewSlot,
)
from painfellow.outbox.models import OutboxMessage
from tests.builders import FIXED_NOW, make_program, make_user, sign_in
from tests.interviews.helpers import applicant, day_with_slots, invitation, settings


def _count(db: Session, model: type) -> int:
    return db.scalar(select(func.count()).select_from(model)) or 0


def test_coordinator_sets_up_days_slots_and_invites(client: TestClient, db: Session) -> None:
    program = make_program(db)
    coordinator = make_user(db, [(program.id, Role.PROGRAM_COORDINATOR)])
    person = applicant(db, email="resident@example.org")
    csrf = sign_in(client, db, coordinator)
    db.commit()
    base = f"/programs/{program.id}/interviews"
    assert client.get(base).status_code == 200
    response = client.post(
        f"{base}/days",
        data={
            "csrf_token": csrf,
            "day": "2027-01-12",
            "format": "virtual",
            "video_link": "",
            "itinerary": "Welcome",
        },
    )
    assert response.status_code == 422 and "needs a video link" in response.text
    assert _count(db, InterviewDay) == 0
    response = client.post(
        f"{base}/days",
        data={
            "csrf_token": csrf,
            "day": "2027-01-12",
            "format": "in_person",
            "location": "Clinic B",
            "itinerary": "08:00 Breakfast",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    day = db.scalars(select(InterviewDay)).one()
    response = client.post(
        f"{base}/days/{day.id}/slots",
        data={"csrf_token": csrf, "start_time": "09:00", "duration_minutes": "45", "capacity": "0"},
    )
    assert response.status_code == 422 and _count(db, InterviewSlot) == 0
    response = client.post(
        f"{base}/days/{day.id}/slots",
        data={"csrf_token": csrf, "start_time": "09:00", "duration_minutes": "45", "capacity": "2"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    slot = db.scalars(select(InterviewSlot)).one()
    assert slot.starts_at.astimezone(FIXED_NOW.tzinfo).hour == 14  # 09:00 New York = 14:00 UTC
    response = client.post(
        f"{base}/invitations",
        data={"csrf_token": csrf, "emails": "resident@example.org\nnobody@example.org"},
    )
    assert response.status_code == 422 and "nobody@example.org" in response.text
    assert _count(db, InterviewInvitation) == 0
    response = client.post(
        f"{base}/invitations",
        data={"csrf_token": csrf, "emails": "Resident@Example.org", "message": "See you"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert db.scalars(select(InterviewInvitation.applicant_user_id)).all() == [person.id]
    assert db.scalars(select(OutboxMessage.recipient)).all() == [person.email]
    page = client.get(base)
    assert person.full_name in page.text and "invited" in page.text


def test_settings_refuse_ranked_mode_without_a_window(client: TestClient, db: Session) -> None:
    program = make_program(db)
    director = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    csrf = sign_in(client, db, director)
    db.commit()
    response = client.post(
        f"/programs/{program.id}/interviews/settings",
        data={"csrf_token": csrf, "mode": "ranked_dates", "change_cutoff_hours": "24"},
    )
    assert response.status_code == 422 and "ranking window" in response.text
    assert db.get(InterviewSettings, program.id) is None
    response = client.post(
        f"/programs/{program.id}/interviews/settings",
        data={
            "csrf_token": csrf,
            "mode": "ranked_dates",
            "change_cutoff_hours": "24",
            "ranking_opens_at": "2026-11-22T09:00",
            "ranking_closes_at": "2026-11-25T17:00",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    saved = db.get(InterviewSettings, program.id)
    assert saved is not None and saved.assignment_seed and saved.change_cutoff_hours == 24
    assert saved.assignment_seed in client.get(f"/programs/{program.id}/interviews").text


def test_applicant_books_sees_full_and_second_booking_refused(
    client: TestClient, db: Session
) -> None:
    program = make_program(db)
    _, (taken, free) = day_with_slots(db, program, capacities=(1, 2))
    _, (past,) = day_with_slots(db, program, hours_from_now=-2)
    other, person = applicant(db), applicant(db)
    invitation(db, program, other)
    inv = invitation(db, program, person)
    db.add(
        InterviewBooking(
            invitation_id=invitation(db, make_program(db), other).id,
            slot_id=taken.id,
            program_id=program.id,
            applicant_user_id=other.id,
        )
    )
    taken.booked_count = 1
    db.commit()
    csrf = sign_in(client, db, person)
    db.commit()
    url = f"/interviews/invitations/{inv.id}"
    page = client.get(url)
    assert page.status_code == 200 and "Choose a slot" in page.text
    assert other.full_name not in page.text  # never another applicant's name
    full = client.post(f"{url}/booking", data={"csrf_token": csrf, "slot_id": taken.id})
    assert full.status_code == 409 and "That slot is full" in full.text
    assert "Join the waitlist" in full.text
    gone = client.post(f"{url}/booking", data={"csrf_token": csrf, "slot_id": past.id})
    assert gone.status_code == 422 and "has already begun" in gone.text
    ok = client.post(
        f"{url}/booking", data={"csrf_token": csrf, "slot_id": free.id}, follow_redirects=False
    )
    assert ok.status_code == 303
    again = client.post(f"{url}/booking", data={"csrf_token": csrf, "slot_id": taken.id})
    assert again.status_code == 409 and "already hold an interview booking" in again.text
    assert (
        db.scalar(
            select(InterviewBooking.slot_id).where(InterviewBooking.applicant_user_id == person.id)
        )
        == free.id
    )
    listing = client.get("/interviews")
    assert program.institution in listing.text and "booked" in listing.text
    ics = client.get(f"{url}/booking.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "\r\nBEGIN:VEVENT\r\n" in ics.text and "UID:interview-booking-" in ics.text
    start = free.starts_at.astimezone(FIXED_NOW.tzinfo)
    assert f"DTSTART:{start:%Y%m%dT%H%M%SZ}\r\n" in ics.text
    assert "LOCATION:Pain Center\\, 3rd floor" in ics.text
    itinerary = client.get(f"{url}/itinerary")
    assert itinerary.status_code == 200 and "08:00 Welcome" in itinerary.text
    assert other.full_name not in itinerary.text


def test_after_the_cutoff_cancel_and_reschedule_are_refused(
    client: TestClient, db: Session
) -> None:
    program = make_program(db)
    settings(db, program, mode="first_come", change_cutoff_hours=72)
    _, (soon,) = day_with_slots(db, program, days_ahead=2)
    _, (later,) = day_with_slots(db, program, days_ahead=9)
    person = applicant(db)
    inv = invitation(db, program, person)
    csrf = sign_in(client, db, person)
    db.commit()
    url = f"/interviews/invitations/{inv.id}"
    client.post(f"{url}/booking", data={"csrf_token": csrf, "slot_id": soon.id})
    cancel = client.post(f"{url}/cancel", data={"csrf_token": csrf})
    assert cancel.status_code == 409 and "72 hours" in cancel.text
    move = client.post(
        f"{url}/booking", data={"csrf_token": csrf, "slot_id": later.id, "reschedule": "true"}
    )
    assert move.status_code == 409 and "72 hours" in move.text
    assert db.scalar(select(InterviewBooking.slot_id)) == soon.id


def test_applicant_cannot_open_another_applicants_invitation(
    client: TestClient, db: Session
) -> None:
    program = make_program(db)
    _, (slot,) = day_with_slots(db, program)
    owner, intruder = applicant(db), applicant(db)
    inv = invitation(db, program, owner)
    csrf = sign_in(client, db, intruder)
    db.commit()
    url = f"/interviews/invitations/{inv.id}"
    assert client.get(url).status_code == 404
    assert client.get(f"{url}/booking.ics").status_code == 404
    booking = client.post(f"{url}/booking", data={"csrf_token": csrf, "slot_id": slot.id})
    assert booking.status_code == 404 and _count(db, InterviewBooking) == 0


def test_api_booking_answers_booked_then_full(client: TestClient, db: Session) -> None:
    program = make_program(db)
    _, (slot,) = day_with_slots(db, program)
    first, second = applicant(db), applicant(db)
    inv1, inv2 = invitation(db, program, first), invitation(db, program, second)
    sign_in(client, db, first, kind="api")
    db.commit()
    url = "/api/v1/interviews/invitations/{}/booking"
    booked = client.post(url.format(inv1.id), json={"slot_id": slot.id})
    assert booked.status_code == 201 and booked.json()["status"] == "booked"
    sign_in(client, db, second, kind="api")
    db.commit()
    full = client.post(url.format(inv2.id), json={"slot_id": slot.id})
    assert full.status_code == 409 and full.json()["status"] == "full"
    assert full.json()["waitlist_url"] == f"/interviews/invitations/{inv2.id}/waitlist"


def test_api_booking_with_a_browser_session_needs_its_csrf_token(
    client: TestClient, db: Session
) -> None:
    """The booking API checks its caller inside the route: a cookie session still needs the
    session's CSRF token, and a caller without a session is asked to sign in."""
    program = make_program(db)
    _, (slot,) = day_with_slots(db, program)
    person = applicant(db)
    inv = invitation(db, program, person)
    url = f"/api/v1/interviews/invitations/{inv.id}/booking"
    anonymous = client.post(url, json={"slot_id": slot.id})
    assert anonymous.status_code == 401 and anonymous.headers["www-authenticate"] == "Bearer"
    csrf = sign_in(client, db, person)
    db.commit()
    refused = client.post(url, json={"slot_id": slot.id})
    assert refused.status_code == 403 and _count(db, InterviewBooking) == 0
    wrong = client.post(url, json={"slot_id": slot.id}, headers={"X-CSRF-Token": "x" + csrf})
    assert wrong.status_code == 403 and _count(db, InterviewBooking) == 0
    booked = client.post(url, json={"slot_id": slot.id}, headers={"X-CSRF-Token": csrf})
    assert booked.status_code == 201 and booked.json()["status"] == "booked"
    assert _count(db, InterviewBooking) == 1


def test_calendar_feed_by_secret_link(client: TestClient, db: Session) -> None:
    program = make_program(db)
    faculty = make_user(db, [(program.id, Role.FACULTY)])
    day, _ = day_with_slots(db, program)
    csrf = sign_in(client, db, faculty)
    db.commit()
    assert client.get("/interviews/calendar/not-a-real-token.ics").status_code == 404
    page = client.post("/interviews/calendar", data={"csrf_token": csrf})
    link = page.text.split('id="feed-url" readonly value="')[1].split('"')[0]
    path = link.split("://", 1)[1].split("/", 1)[1]
    client.cookies.clear()
    feed = client.get(f"/{path}")
    assert feed.status_code == 200 and f"UID:interview-day-{day.id}@painfellow" in feed.text
    assert feed.text.startswith("BEGIN:VCALENDAR\r\n") and feed.text.endswith("END:VCALENDAR\r\n")
    assert f"DTSTART;VALUE=DATE:{day.day:%Y%m%d}" in feed.text


def test_staff_itinerary_names_the_booked_applicants(client: TestClient, db: Session) -> None:
    program = make_program(db)
    faculty = make_user(db, [(program.id, Role.FACULTY)])
    day, (slot,) = day_with_slots(db, program)
    person = applicant(db)
    inv = invitation(db, program, person)
    db.add(
        InterviewBooking(
            invitation_id=inv.id,
            slot_id=slot.id,
            program_id=program.id,
            applicant_user_id=person.id,
            booked_at=FIXED_NOW - timedelta(1),
        )
    )
    slot.booked_count = 1
    sign_in(client, db, faculty)
    db.commit()
    page = client.get(f"/programs/{program.id}/interviews/days/{day.id}")
    assert page.status_code == 200 and person.full_name in page.text


def test_api_booking_names_a_bad_body_only_to_an_admitted_caller(
    client: TestClient, db: Session
) -> None:
    """The route parses its JSON body itself: malformed JSON, a non-object or a missing
    slot_id answer 422 naming the field, and only once the caller is admitted."""
    program = make_program(db)
    _, (slot,) = day_with_slots(db, program)
    person = applicant(db)
    inv = invitation(db, program, person)
    url = f"/api/v1/interviews/invitations/{inv.id}/booking"
    json_header = {"Content-Type": "application/json"}
    assert client.post(url, content=b"{not json", headers=json_header).status_code == 401
    sign_in(client, db, person, kind="api")
    db.commit()
    malformed = client.post(url, content=b"{not json", headers=json_header)
    assert malformed.status_code == 422 and "body" in malformed.text
    listed = client.post(url, json=[slot.id])
    assert listed.status_code == 422 and "JSON object" in listed.text
    misnamed = client.post(url, json={"slot": slot.id})
    assert misnamed.status_code == 422 and "slot_id" in misnamed.text
    assert _count(db, InterviewBooking) == 0
    booked = client.post(url, json={"slot_id": slot.id})
    assert booked.status_code == 201 and booked.json() == {
        "status": "booked", "slot_id": slot.id, "waitlist_url": None,
    }  # fmt: skip
