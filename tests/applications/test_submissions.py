from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from painfellow.applications import documents, submissions
from painfellow.applications.models import Application, ApplicationVersion
from painfellow.applications.profile import get_profile, save_profile
from painfellow.applications.schemas import (
    AssignmentForm,
    ProfileForm,
    SubmitForm,
)
from painfellow.errors import Conflict, InvalidInput, NotFound
from painfellow.outbox.models import OutboxMessage
from painfellow.settings import Settings
from tests.applications.helpers import make_applicant, ready_applicant, upload_test_document
from tests.builders import FIXED_NOW, make_program, sign_in


def test_submission_freezes_a_snapshot_later_edits_do_not_change(
    db: Session, settings: Settings
) -> None:
    user, made = ready_applicant(db, settings)
    program = make_program(db)
    application = submissions.start_application(db, user.id, program.id, now=FIXED_NOW)
    assert application.personal_statement_id is not None  # the shared statement, by default
    chosen = AssignmentForm(
        letter_ids=[m.id for m in made], personal_statement_id=application.personal_statement_id
    )
    submissions.assign(db, user.id, application.id, chosen)
    version = submissions.submit(db, user, application.id, SubmitForm(), now=FIXED_NOW)
    assert version.version == 1 and application.status == "submitted"
    frozen_cv = next(d for d in version.snapshot["documents"] if d["kind"] == "cv")
    assert submissions.checklist_of(db, application).complete

    save_profile(db, user.id, ProfileForm(medical_school="Elsewhere"), now=FIXED_NOW)
    new_cv = upload_test_document(db, settings, user, "cv", title="CV 2")
    stored = db.get(ApplicationVersion, version.id)
    assert stored is not None
    assert (
        stored.snapshot["profile"]["medical_school"] == "Wayne State University School of Medicine"
    )
    receipt = submissions.receipt(db, user.id, application.id)
    assert [d["sha256"] for d in receipt.documents if d["kind"] == "cv"] == [frozen_cv["sha256"]]
    assert new_cv.sha256 != frozen_cv["sha256"]
    assert [letter.received for letter in receipt.letters] == [True, True, True]

    correction = submissions.submit(
        db, user, application.id, SubmitForm(note="New CV"), now=FIXED_NOW + timedelta(hours=1)
    )
    assert correction.version == 2 and correction.note == "New CV"
    assert "Replaced cv: cv.pdf → cv.pdf" in correction.changes
    assert any(c.startswith("Profile medical school: Wayne State") for c in correction.changes)
    with pytest.raises(InvalidInput, match="nothing changed since version 2"):
        submissions.submit(db, user, application.id, SubmitForm(), now=FIXED_NOW)


def test_applying_after_the_deadline_is_refused_and_stores_nothing(
    client: TestClient, db: Session, settings: Settings
) -> None:
    user, _ = ready_applicant(db, settings)
    program = make_program(db)
    application = submissions.start_application(db, user.id, program.id, now=FIXED_NOW)
    submissions.set_application_window(
        db, program.id, accepting=True, deadline=FIXED_NOW - timedelta(minutes=1)
    )
    with pytest.raises(Conflict, match="deadline passed on 2026-11-21 14:59 UTC"):
        submissions.submit(db, user, application.id, SubmitForm(), now=FIXED_NOW)
    csrf = sign_in(client, db, user)
    response = client.post(
        f"/applicant/applications/{application.id}/submit", data={"csrf_token": csrf}
    )
    assert response.status_code == 409 and "deadline passed" in response.text
    assert db.scalar(select(func.count(ApplicationVersion.id))) == 0
    assert db.get(Application, application.id).status == "draft"  # type: ignore[union-attr]
    other = make_program(db)
    submissions.set_application_window(db, other.id, accepting=False, deadline=None)
    started = client.post(
        "/applicant/applications", data={"csrf_token": csrf, "program_id": str(other.id)}
    )
    assert started.status_code == 409 and "not accepting applications" in started.text


def test_at_most_four_letters_and_only_own(db: Session, settings: Settings) -> None:
    user, made = ready_applicant(db, settings, letters_count=5)
    program = make_program(db)
    application = submissions.start_application(db, user.id, program.id, now=FIXED_NOW)
    with pytest.raises(InvalidInput, match="letter_ids: choose at most 4"):
        submissions.assign(
            db, user.id, application.id, AssignmentForm(letter_ids=[m.id for m in made])
        )
    stranger, theirs = ready_applicant(db, settings, letters_count=1)
    with pytest.raises(InvalidInput, match="not yours"):
        submissions.assign(db, user.id, application.id, AssignmentForm(letter_ids=[theirs[0].id]))
    other_statement = upload_test_document(db, settings, stranger, "personal_statement")
    with pytest.raises(InvalidInput, match="personal_statement_id"):
        submissions.assign(
            db, user.id, application.id, AssignmentForm(personal_statement_id=other_statement.id)
        )
    elsewhere = make_program(db)
    for_elsewhere = upload_test_document(
        db, settings, user, "personal_statement", program_id=elsewhere.id
    )
    with pytest.raises(InvalidInput, match="personal_statement_id"):
        submissions.assign(
            db, user.id, application.id, AssignmentForm(personal_statement_id=for_elsewhere.id)
        )
    assert db.get(Application, application.id).letter_ids == []  # type: ignore[union-attr]


def test_incomplete_submission_alerts_the_applicant(db: Session, settings: Settings) -> None:
    user = make_applicant(db)
    upload_test_document(db, settings, user, "cv")
    program = make_program(db)
    application = submissions.start_application(db, user.id, program.id, now=FIXED_NOW)
    submissions.submit(db, user, application.id, SubmitForm(), now=FIXED_NOW)
    status = submissions.checklist_of(db, application)
    assert status.missing == ["Personal statement", "At least 3 letters received", "Profile"]
    message = db.scalars(select(OutboxMessage).where(OutboxMessage.recipient == user.email)).one()
    assert "incomplete" in message.subject and "Personal statement" in message.body
    assert [p.id for p, _ in submissions.incomplete_applications(db, user.id)] == [program.id]
    assert get_profile(db, user.id) is None


def test_one_application_per_program(db: Session) -> None:
    user = make_applicant(db)
    program = make_program(db)
    submissions.start_application(db, user.id, program.id, now=FIXED_NOW)
    with pytest.raises(Conflict, match="already have an application"):
        submissions.start_application(db, user.id, program.id, now=FIXED_NOW)


def test_journey_through_the_pages(client: TestClient, db: Session, settings: Settings) -> None:
    user, made = ready_applicant(db, settings)
    program = make_program(db)
    csrf = sign_in(client, db, user)
    started = client.post(
        "/applicant/applications",
        data={"csrf_token": csrf, "program_id": str(program.id)},
        follow_redirects=False,
    )
    assert started.status_code == 303
    application = db.scalars(select(Application)).one()
    assigned = client.post(
        f"/applicant/applications/{application.id}",
        data={"csrf_token": csrf, "letter_ids": [str(m.id) for m in made],
              "personal_statement_id": str(application.personal_statement_id)},
        follow_redirects=False,
    )  # fmt: skip
    assert assigned.status_code == 303
    too_many = client.post(
        f"/applicant/applications/{application.id}",
        data={"csrf_token": csrf, "letter_ids": [str(m.id) for m in made] * 2 + ["999999"]},
    )
    assert too_many.status_code == 422 and 'id="letter_ids-error"' in too_many.text
    submitted = client.post(
        f"/applicant/applications/{application.id}/submit",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert submitted.headers["location"] == f"/applicant/applications/{application.id}/receipt"
    receipt = client.get(submitted.headers["location"])
    assert receipt.status_code == 200
    for document in documents.list_documents(db, user.id):
        if (
            document.kind != "personal_statement"
            or document.id == application.personal_statement_id
        ):
            assert document.sha256 in receipt.text
    assert receipt.text.count(": received") == 3
    listing = client.get("/applicant/applications")
    assert "Complete" in listing.text and program.institution in listing.text


def test_another_applicants_application_is_not_found(
    client: TestClient, db: Session, settings: Settings
) -> None:
    owner, _ = ready_applicant(db, settings, letters_count=0)
    program = make_program(db)
    application = submissions.start_application(db, owner.id, program.id, now=FIXED_NOW)
    submissions.submit(db, owner, application.id, SubmitForm(), now=FIXED_NOW)
    intruder = make_applicant(db)
    csrf = sign_in(client, db, intruder)
    assert client.get(f"/applicant/applications/{application.id}").status_code == 404
    assert client.get(f"/applicant/applications/{application.id}/receipt").status_code == 404
    response = client.post(
        f"/applicant/applications/{application.id}/submit", data={"csrf_token": csrf}
    )
    assert response.status_code == 404
    with pytest.raises(NotFound):
        submissions.receipt(db, intruder.id, application.id)


def test_only_open_programs_not_yet_applied_to_are_offered(client: TestClient, db: Session) -> None:
    user = make_applicant(db)
    applied, closed, past, open_ = (make_program(db) for _ in range(4))
    submissions.start_application(db, user.id, applied.id, now=FIXED_NOW)
    submissions.set_application_window(db, closed.id, accepting=False, deadline=None)
    submissions.set_application_window(
        db, past.id, accepting=True, deadline=FIXED_NOW - timedelta(days=1)
    )
    offered = {p.id for p in submissions.open_programs(db, user.id, FIXED_NOW)}
    assert open_.id in offered and not {applied.id, closed.id, past.id} & offered
    sign_in(client, db, user)
    page = client.get("/applicant/applications")
    assert f'<option value="{open_.id}"' in page.text
    assert f'<option value="{past.id}"' not in page.text
