"""The applicant's applications page, both dashboards' application alerts and the checklist
batch cost a fixed number of SQL statements however many applications there are: counted on
the engine for 3 and for 30 applications."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.accounts.roles import Role
from painfellow.applications import alerts, review, submissions
from painfellow.applications.schemas import AssignmentForm, SubmitForm
from painfellow.settings import Settings
from tests.applications.helpers import (
    complete_profile,
    make_applicant,
    ready_applicant,
    received_letter,
    upload_test_document,
)
from tests.applications.test_review_queries import _program_with_applications, statements
from tests.builders import FIXED_NOW, make_program, make_user, sign_in


def _applicant_with_applications(db: Session, settings: Settings, count: int) -> User:
    """One applicant with ``count`` applications: drafts and submissions (some corrected),
    some complete and some missing letters or a statement."""
    user = make_applicant(db)
    complete_profile(db, user)
    upload_test_document(db, settings, user, "cv")
    statement = upload_test_document(db, settings, user, "personal_statement")
    letters = [
        received_letter(db, settings, user, f"Dr. Writer {k}", received=k != 1) for k in range(4)
    ]
    for n in range(count):
        program = make_program(db, institution=f"Institution {user.id}-{n:02d}")
        application = submissions.start_application(db, user.id, program.id, now=FIXED_NOW)
        chosen = [letter.id for letter in letters[: n % 4 + 1]]
        submissions.assign(
            db, user.id, application.id,
            AssignmentForm(letter_ids=chosen,
                           personal_statement_id=statement.id if n % 3 else None),
        )  # fmt: skip
        if n % 5 == 0:
            continue  # a draft
        submissions.submit(db, user, application.id, SubmitForm(), now=FIXED_NOW)
        if n % 4 == 1:  # a correction
            submissions.assign(
                db, user.id, application.id,
                AssignmentForm(letter_ids=[letters[0].id], personal_statement_id=statement.id),
            )  # fmt: skip
            submissions.submit(db, user, application.id, SubmitForm(note="fix"), now=FIXED_NOW)
    return user


def test_batched_checklists_equal_the_one_at_a_time_checklists(
    db: Session, settings: Settings
) -> None:
    user = _applicant_with_applications(db, settings, 12)
    applications = [a for a, _ in submissions.list_own_applications(db, user.id)]
    batched = submissions.checklists_of(db, applications)
    single = {a.id: submissions.checklist_of(db, a) for a in applications}
    assert batched == single
    # the mix really has both outcomes and both drafts and corrections
    assert {c.complete for c in batched.values()} == {True, False}
    assert {a.status for a in applications} == {"draft", "submitted"}
    assert max(a.current_version or 0 for a in applications) == 2
    # a draft's checklist is what it would send now, a submission's what the program holds
    for application in applications:
        version = submissions.latest_version(db, application.id)
        if version is None:
            assert submissions.build_snapshots(db, [application])[application.id] == (
                submissions.build_snapshot(db, application)
            )
    incomplete = submissions.incomplete_applications(db, user.id)
    expected = sorted(
        a.id for a in applications if a.status != "draft" and not single[a.id].complete
    )
    assert sorted(
        a.id for a in applications
        for program, _ in incomplete if program.id == a.program_id
    ) == expected  # fmt: skip
    assert expected  # some submitted application is incomplete


def test_applicant_pages_queries_do_not_grow_with_the_applications(
    client: TestClient, db: Session, settings: Settings, migrated_engine: Engine
) -> None:
    counts: dict[str, list[int]] = {"service": [], "page": [], "dashboard": []}
    for size in (3, 30):
        user = _applicant_with_applications(db, settings, size)
        client.cookies.clear()
        sign_in(client, db, user)
        assert client.get("/dashboard").status_code == 200  # first-request bookkeeping
        with statements(migrated_engine) as seen:
            incomplete = submissions.incomplete_applications(db, user.id)
        assert incomplete
        counts["service"].append(len(seen))
        with statements(migrated_engine) as seen:
            page = client.get("/applicant/applications")
        assert page.status_code == 200
        assert page.text.count('href="/applicant/applications/') >= size
        counts["page"].append(len(seen))
        with statements(migrated_engine) as seen:
            dashboard = client.get("/dashboard")
        assert dashboard.status_code == 200
        assert dashboard.text.count("is incomplete:") == len(incomplete)
        counts["dashboard"].append(len(seen))
    assert counts["service"][0] == counts["service"][1], counts
    assert counts["page"][0] == counts["page"][1], counts
    assert counts["dashboard"][0] == counts["dashboard"][1], counts
    # own applications with programs, latest versions, received letters
    assert counts["service"][0] <= 3, counts


def test_program_tasks_queries_do_not_grow_with_the_applications(
    client: TestClient, db: Session, settings: Settings, migrated_engine: Engine
) -> None:
    counts: dict[str, list[int]] = {"service": [], "dashboard": []}
    for size in (3, 30):
        program = _program_with_applications(db, settings, size)
        coordinator = make_user(db, [(program.id, Role.PROGRAM_COORDINATOR)])
        client.cookies.clear()
        sign_in(client, db, coordinator)
        assert client.get("/dashboard").status_code == 200
        with statements(migrated_engine) as seen:
            tasks = alerts.program_tasks(db, program.id)
        assert tasks[0][0] == f"Review applications ({size})"
        counts["service"].append(len(seen))
        with statements(migrated_engine) as seen:
            dashboard = client.get("/dashboard")
        assert f"Review applications ({size})" in dashboard.text
        counts["dashboard"].append(len(seen))
    assert counts["service"][0] == counts["service"][1], counts
    assert counts["dashboard"][0] == counts["dashboard"][1], counts
    # applications, latest versions, received letters
    assert counts["service"][0] <= 3, counts


def test_program_tasks_count_the_incomplete_applications(db: Session, settings: Settings) -> None:
    program = _program_with_applications(db, settings, 8)
    ready, letters = ready_applicant(db, settings)
    application = submissions.start_application(db, ready.id, program.id, now=FIXED_NOW)
    form = AssignmentForm(
        letter_ids=[x.id for x in letters], personal_statement_id=application.personal_statement_id
    )
    submissions.assign(db, ready.id, application.id, form)
    submissions.submit(db, ready, application.id, SubmitForm(), now=FIXED_NOW)
    rows = review.list_program_applications(db, program.id, review.Filters())
    incomplete = sum(
        1 for row in rows if not submissions.checklist_of(db, row.application).complete
    )
    assert 0 < incomplete < len(rows)
    tasks = dict(alerts.program_tasks(db, program.id))
    assert tasks[f"Review applications ({len(rows)})"] == f"/programs/{program.id}/applications"
    assert tasks[f"{incomplete} application(s) are incomplete"].endswith("?complete=no")
