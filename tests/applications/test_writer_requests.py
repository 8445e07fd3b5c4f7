"""A signed-in letter writer sees the requests addressed to their email on the dashboard:
applicant name, date, status and the upload link while open; nothing else of the applicant,
and never another writer's requests."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.accounts.roles import Role
from painfellow.applications import letters
from painfellow.applications.models import LetterRequest
from painfellow.applications.schemas import LetterRequestForm
from painfellow.settings import Settings
from tests.applications.helpers import make_applicant, pdf_bytes
from tests.builders import FIXED_NOW, make_user, sign_in

NO_REQUESTS = "No letter requests are waiting for you"


def _ask(
    db: Session, settings: Settings, applicant: User, writer_email: str, *, days_ago: int = 0
) -> LetterRequest:
    form = LetterRequestForm(
        writer_name="Dr. Writer", writer_email=writer_email, writer_title="Professor", waive=True
    )
    return letters.request_letter(
        db, applicant, form, secret_key=settings.secret_key, base_url=settings.base_url,
        now=FIXED_NOW - timedelta(days=days_ago),
    )  # fmt: skip


def _upload(db: Session, settings: Settings, letter: LetterRequest) -> None:
    token = letters.upload_token(settings.secret_key, letter)
    letters.receive_letter(
        db, settings.upload_dir, settings.secret_key, token, pdf_bytes(), now=FIXED_NOW
    )


def _writer(db: Session, email: str) -> User:
    return make_user(db, [(None, Role.LETTER_WRITER)], email=email)


def test_writer_lists_only_requests_to_their_email(db: Session, settings: Settings) -> None:
    ada = make_applicant(db, full_name="Dr. Ada Quill")
    ben = make_applicant(db, full_name="Dr. Ben Rook")
    _ask(db, settings, ada, "Park@Example.org", days_ago=3)
    received = _ask(db, settings, ben, "park@example.org", days_ago=1)
    _upload(db, settings, received)
    _ask(db, settings, ben, "other.writer@example.org")

    mine = letters.list_requests_for_writer(
        db, "park@example.org", secret_key=settings.secret_key, now=FIXED_NOW
    )
    assert [(r.applicant_name, r.status) for r in mine] == [
        ("Dr. Ada Quill", "requested"),  # open requests first
        ("Dr. Ben Rook", "received"),
    ]
    assert mine[0].requested_at == FIXED_NOW - timedelta(days=3)
    open_path, done_path = mine[0].upload_path, mine[1].upload_path
    assert open_path is not None and open_path.startswith("/letters/") and done_path is None
    other = letters.list_requests_for_writer(
        db, "other.writer@example.org", secret_key=settings.secret_key, now=FIXED_NOW
    )
    assert [(r.applicant_name, r.status) for r in other] == [("Dr. Ben Rook", "requested")]
    assert other[0].upload_path != open_path
    nobody = letters.list_requests_for_writer(
        db, "nobody@example.org", secret_key=settings.secret_key, now=FIXED_NOW
    )
    assert nobody == []


def test_an_expired_request_offers_no_upload_link(db: Session, settings: Settings) -> None:
    _ask(db, settings, make_applicant(db), "park@example.org")
    (later,) = letters.list_requests_for_writer(
        db, "park@example.org", secret_key=settings.secret_key,
        now=FIXED_NOW + letters.LINK_LIFETIME,
    )  # fmt: skip
    assert later.status == "expired" and later.upload_path is None


def test_dashboard_lists_the_writers_requests_and_links_the_upload_page(
    client: TestClient, db: Session, settings: Settings
) -> None:
    applicant = make_applicant(db, full_name="Dr. Ada Quill", email="ada.quill@example.org")
    _ask(db, settings, applicant, "park@example.org", days_ago=2)
    sign_in(client, db, _writer(db, "Park@Example.org"))

    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "Letter requests addressed to you" in page.text
    assert "Dr. Ada Quill" in page.text and "Waiting for your letter" in page.text
    assert (FIXED_NOW - timedelta(days=2)).strftime("%Y-%m-%d") in page.text
    assert NO_REQUESTS not in page.text
    # nothing else of the applicant: not their email, nor whether they waived access
    assert "ada.quill@example.org" not in page.text and "aive" not in page.text
    (path,) = [
        line.split('href="')[1].split('"')[0]
        for line in page.text.splitlines()
        if 'href="/letters/' in line
    ]
    upload_page = client.get(path)
    assert upload_page.status_code == 200
    assert (
        "Letter of recommendation for" in upload_page.text and "Dr. Ada Quill" in upload_page.text
    )


def test_dashboard_never_shows_another_writers_requests(
    client: TestClient, db: Session, settings: Settings
) -> None:
    _ask(db, settings, make_applicant(db, full_name="Dr. Ada Quill"), "park@example.org")
    sign_in(client, db, _writer(db, "someone.else@example.org"))

    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "Dr. Ada Quill" not in page.text and 'href="/letters/' not in page.text
    assert "Letter requests addressed to you" not in page.text
    assert NO_REQUESTS in page.text


def test_dashboard_shows_a_received_letter_without_a_link(
    client: TestClient, db: Session, settings: Settings
) -> None:
    letter = _ask(db, settings, make_applicant(db, full_name="Dr. Ada Quill"), "park@example.org")
    _upload(db, settings, letter)
    sign_in(client, db, _writer(db, "park@example.org"))

    page = client.get("/dashboard")
    assert "Dr. Ada Quill" in page.text and "Letter received" in page.text
    assert 'href="/letters/' not in page.text
    assert NO_REQUESTS in page.text  # nothing is waiting any more
