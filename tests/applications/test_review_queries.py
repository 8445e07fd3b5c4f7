"""The program's review table costs a fixed number of SQL statements, however many applicants
it lists: counted on the engine for 3 and for 30 applications."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.applications import review, submissions
from painfellow.applications.schemas import AssignmentForm, SubmitForm
from painfellow.programs.models import Program
from painfellow.settings import Settings
from tests.applications.helpers import (
    complete_profile,
    make_applicant,
    received_letter,
    upload_test_document,
)
from tests.builders import FIXED_NOW, make_program, make_user, sign_in


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every statement sent to the database while the block runs, but the savepoints the
    tests' rolled-back transaction adds."""
    seen: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO")):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


def _program_with_applications(db: Session, settings: Settings, count: int) -> Program:
    """``count`` submitted applications with varied letters, versions and rubric scores."""
    program = make_program(db)
    criterion = review.add_criterion(db, program.id, "Clinical excellence", "2")
    reviewer = make_user(db, [(program.id, Role.FACULTY)])
    for n in range(count):
        user = make_applicant(db, full_name=f"Dr. Applicant {n:02d}")
        complete_profile(db, user)
        upload_test_document(db, settings, user, "cv")
        letters = [
            received_letter(db, settings, user, f"Dr. Writer {k}", received=(n + k) % 2 == 0)
            for k in range(n % 3 + 1)
        ]
        application = submissions.start_application(db, user.id, program.id, now=FIXED_NOW)
        submissions.assign(
            db, user.id, application.id, AssignmentForm(letter_ids=[x.id for x in letters])
        )
        submissions.submit(db, user, application.id, SubmitForm(), now=FIXED_NOW)
        if n % 4 == 0:  # a correction: the table must show the latest version
            statement = upload_test_document(db, settings, user, "personal_statement")
            submissions.assign(
                db, user.id, application.id,
                AssignmentForm(letter_ids=[x.id for x in letters],
                               personal_statement_id=statement.id),
            )  # fmt: skip
            submissions.submit(db, user, application.id, SubmitForm(note="fix"), now=FIXED_NOW)
        if n % 2 == 0:
            score = {f"score_{criterion.id}": str(n % 5 + 1)}
            review.save_scores(db, program.id, application.id, reviewer.id, score, now=FIXED_NOW)
    return program


def test_review_table_queries_do_not_grow_with_the_rows(
    client: TestClient, db: Session, settings: Settings, migrated_engine: Engine
) -> None:
    small = _program_with_applications(db, settings, 3)
    large = _program_with_applications(db, settings, 30)
    coordinator = make_user(
        db, [(small.id, Role.PROGRAM_COORDINATOR), (large.id, Role.PROGRAM_COORDINATOR)]
    )
    sign_in(client, db, coordinator)
    assert client.get("/dashboard").status_code == 200  # any first-request bookkeeping

    counts: dict[str, list[int]] = {"service": [], "page": [], "csv": []}
    for program, size in ((small, 3), (large, 30)):
        with statements(migrated_engine) as seen:
            rows = review.list_program_applications(db, program.id, review.Filters())
        assert len(rows) == size
        counts["service"].append(len(seen))
        with statements(migrated_engine) as seen:
            page = client.get(f"/programs/{program.id}/applications")
        assert page.status_code == 200 and page.text.count('name="application_ids"') == size
        counts["page"].append(len(seen))
        with statements(migrated_engine) as seen:
            export = client.get(f"/programs/{program.id}/applications/export.csv")
        assert export.status_code == 200 and len(export.text.splitlines()) == size + 1
        counts["csv"].append(len(seen))

    assert counts["service"][0] == counts["service"][1], counts
    assert counts["page"][0] == counts["page"][1], counts
    assert counts["csv"][0] == counts["csv"][1], counts
    # applications with applicants, rubric weights, scores, latest versions, received letters
    assert counts["service"][0] <= 5, counts


def test_review_table_shows_the_latest_version_and_received_letters(
    db: Session, settings: Settings
) -> None:
    program = _program_with_applications(db, settings, 5)
    rows = review.list_program_applications(db, program.id, review.Filters())
    by_name = {row.applicant.full_name: row for row in rows}
    # applicant n has n % 3 + 1 letters, letter k received when (n + k) is even; n % 4 == 0
    # submitted a correction
    for n in range(5):
        row = by_name[f"Dr. Applicant {n:02d}"]
        assigned = n % 3 + 1
        assert row.letters_assigned == assigned
        assert row.letters_received == sum(1 for k in range(assigned) if (n + k) % 2 == 0)
        assert row.version.version == (2 if n % 4 == 0 else 1)
        assert row.checklist == submissions.checklist_of(db, row.application)
        assert (row.rubric.average is not None) == (n % 2 == 0)
