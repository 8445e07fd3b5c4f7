from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.applications import submissions
from painfellow.applications.schemas import SubmitForm
from painfellow.settings import Settings
from tests.applications.helpers import make_applicant, upload_test_document
from tests.builders import FIXED_NOW, make_program, make_user, sign_in


def test_incomplete_application_alerts_both_dashboards(
    client: TestClient, db: Session, settings: Settings
) -> None:
    program = make_program(db, institution="Lakeside Health")
    applicant = make_applicant(db)
    upload_test_document(db, settings, applicant, "cv")
    application = submissions.start_application(db, applicant.id, program.id, now=FIXED_NOW)
    submissions.submit(db, applicant, application.id, SubmitForm(), now=FIXED_NOW)
    sign_in(client, db, applicant)
    page = client.get("/dashboard")
    assert "Your application to Lakeside Health is incomplete: Personal statement" in page.text
    coordinator = make_user(db, [(program.id, Role.PROGRAM_COORDINATOR)])
    client.cookies.clear()
    sign_in(client, db, coordinator)
    page = client.get("/dashboard")
    assert "Review applications (1)" in page.text
    assert "1 application(s) are incomplete" in page.text
    assert f"/programs/{program.id}/applications?complete=no" in page.text


def test_a_member_who_applied_does_not_count_their_own_application_to_review(
    client: TestClient, db: Session, settings: Settings
) -> None:
    from painfellow.applications.alerts import program_tasks

    program = make_program(db)
    member = make_user(db, [(None, Role.APPLICANT), (program.id, Role.FACULTY)])
    other = make_applicant(db)
    for person in (member, other):
        upload_test_document(db, settings, person, "cv")
        application = submissions.start_application(db, person.id, program.id, now=FIXED_NOW)
        submissions.submit(db, person, application.id, SubmitForm(), now=FIXED_NOW)
    assert program_tasks(db, program.id)[0][0] == "Review applications (2)"
    assert [text for text, _ in program_tasks(db, program.id, member.id)] == [
        "Review applications (1)",
        "1 application(s) are incomplete",
    ]
    sign_in(client, db, member)
    page = client.get("/dashboard")
    assert "Review applications (1)" in page.text and "Review applications (2)" not in page.text
    colleague = make_user(db, [(program.id, Role.FACULTY)])
    client.cookies.clear()
    sign_in(client, db, colleague)
    assert "Review applications (2)" in client.get("/dashboard").text
