"""The demo applicants have favourite programs, and the demo letter writer sees the requests
addressed to them on the dashboard."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.demo.applications import FAVOURITE_CITIES
from painfellow.demo.loader import load_demo
from painfellow.discovery.favourites import list_favourites
from tests.builders import FIXED_NOW, sign_in

FLAGSHIP = "Huron Valley University Health"


def _demo_user(db: Session, local: str) -> User:
    return db.scalars(select(User).where(User.email == f"{local}@demo.painfellow.org")).one()


def test_demo_applicants_have_favourites_and_the_writer_their_requests(
    client: TestClient, db: Session
) -> None:
    load_demo(db, today=FIXED_NOW.date())
    first = _demo_user(db, "applicant1")
    for local, cities in FAVOURITE_CITIES.items():
        favourites = list_favourites(db, _demo_user(db, local).id)
        assert [p.city for p in favourites] == list(reversed(cities))  # newest first
    # the browser's discovery journey stars the flagship for applicant1@ itself
    assert FLAGSHIP not in {p.institution for p in list_favourites(db, first.id)}

    sign_in(client, db, first)
    page = client.get("/programs/favourites")
    assert page.status_code == 200
    for program in list_favourites(db, first.id):
        assert f'href="/programs/{program.id}"' in page.text

    client.cookies.clear()
    sign_in(client, db, _demo_user(db, "letterwriter"))
    board = client.get("/dashboard")
    assert board.status_code == 200
    assert "Letter requests addressed to you" in board.text
    assert "Dr. Chris Walker" in board.text and "Letter received" in board.text  # applicant1@
    assert "Dr. Nadia Hussein" in board.text and "Waiting for your letter" in board.text
    assert board.text.count('href="/letters/') == 1  # only the open request has a link
