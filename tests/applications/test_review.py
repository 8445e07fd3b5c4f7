from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.applications import review, submissions
from painfellow.applications.models import Application, RubricScore
from painfellow.applications.profile import save_profile
from painfellow.applications.schemas import AssignmentForm, ProfileForm, SubmitForm
from painfellow.errors import Conflict, InvalidInput, NotFound
from painfellow.interviews.models import InterviewInvitation
from painfellow.settings import Settings
from tests.applications.helpers import ready_applicant, received_letter, upload_test_document
from tests.builders import FIXED_NOW, make_program, make_user, sign_in


def _submitted(db: Session, settings: Settings, program_id: int, letters_count: int = 3):
    user, made = ready_applicant(db, settings, letters_count)
    application = submissions.start_application(db, user.id, program_id, now=FIXED_NOW)
    submissions.assign(
        db,
        user.id,
        application.id,
        AssignmentForm(
            letter_ids=[m.id for m in made], personal_statement_id=application.personal_statement_id
        ),
    )
    submissions.submit(db, user, application.id, SubmitForm(), now=FIXED_NOW)
    return user, application, made


def test_program_sees_only_applications_sent_to_it(
    client: TestClient, db: Session, settings: Settings
) -> None:
    program, other = make_program(db), make_program(db)
    _, mine, _ = _submitted(db, settings, program.id)
    _, theirs, _ = _submitted(db, settings, other.id)
    drafter, _ = ready_applicant(db, settings)
    draft = submissions.start_application(db, drafter.id, program.id, now=FIXED_NOW)
    rows = review.list_program_applications(db, program.id, review.Filters())
    assert [r.application.id for r in rows] == [mine.id]
    coordinator = make_user(db, [(program.id, Role.PROGRAM_COORDINATOR)])
    sign_in(client, db, coordinator)
    table = client.get(f"/programs/{program.id}/applications")
    assert table.status_code == 200 and f'/applications/{mine.id}"' in table.text
    for hidden in (theirs.id, draft.id):
        assert client.get(f"/programs/{program.id}/applications/{hidden}").status_code == 404
    theirs_doc = review.get_review(db, other.id, theirs.id, coordinator.id).documents[0]
    url = f"/programs/{program.id}/applications/{mine.id}/documents/{theirs_doc['document_id']}"
    assert client.get(url).status_code == 404


def test_program_downloads_received_documents_and_letters(
    client: TestClient, db: Session, settings: Settings
) -> None:
    program = make_program(db)
    user, application, made = _submitted(db, settings, program.id)
    unassigned = received_letter(db, settings, user, "Dr Unassigned")
    extra = upload_test_document(db, settings, user, "personal_statement", program_id=program.id)
    faculty = make_user(db, [(program.id, Role.FACULTY)])
    sign_in(client, db, faculty)
    details = review.get_review(db, program.id, application.id, faculty.id)
    base = f"/programs/{program.id}/applications/{application.id}"
    cv = next(d for d in details.documents if d["kind"] == "cv")
    download = client.get(f"{base}/documents/{cv['document_id']}")
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
    assert download.headers["content-disposition"].startswith("attachment")
    letter = client.get(f"{base}/letters/{made[0].id}")
    assert letter.status_code == 200 and letter.headers["content-type"] == "application/pdf"
    assert client.get(f"{base}/letters/{unassigned.id}").status_code == 404
    assert client.get(f"{base}/documents/{extra.id}").status_code == 404
    page = client.get(base)
    assert page.status_code == 200 and "Letter from Dr 0" in page.text


def test_rubric_scores_from_several_reviewers(db: Session, settings: Settings) -> None:
    program = make_program(db)
    _, application, _ = _submitted(db, settings, program.id)
    clinical = review.add_criterion(db, program.id, "Clinical", "3")
    research = review.add_criterion(db, program.id, "Research", "1")
    with pytest.raises(InvalidInput, match="already has that criterion"):
        review.add_criterion(db, program.id, "Clinical", "2")
    with pytest.raises(InvalidInput, match="weight: is a whole number from 1 to 10"):
        review.add_criterion(db, program.id, "Letters", "11")
    one = make_user(db, [(program.id, Role.FACULTY)])
    two = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    review.save_scores(
        db,
        program.id,
        application.id,
        one.id,
        {f"score_{clinical.id}": "5", f"score_{research.id}": "1"},
        now=FIXED_NOW,
    )
    review.save_scores(
        db,
        program.id,
        application.id,
        two.id,
        {f"score_{clinical.id}": "3", f"score_{research.id}": "3"},
        now=FIXED_NOW,
    )
    with pytest.raises(InvalidInput, match=f"score_{clinical.id}: Clinical: score 1 to 5"):
        review.save_scores(
            db, program.id, application.id, one.id, {f"score_{clinical.id}": "9"}, now=FIXED_NOW
        )
    row = review.list_program_applications(db, program.id, review.Filters())[0]
    assert row.rubric.by_reviewer == {one.id: 4.0, two.id: 3.0}
    assert (row.rubric.average, row.rubric.spread) == (3.5, 1.0)
    review.save_scores(
        db, program.id, application.id, one.id, {f"score_{clinical.id}": "1"}, now=FIXED_NOW
    )
    assert len(db.scalars(select(RubricScore)).all()) == 4  # updated, not duplicated


def test_filters_and_csv_export_are_formula_safe(
    client: TestClient, db: Session, settings: Settings
) -> None:
    program = make_program(db)
    complete_user, complete, _ = _submitted(db, settings, program.id)
    complete_user.full_name = '=HYPERLINK("http://evil")'
    db.commit()
    thin_user, thin, _ = _submitted(db, settings, program.id, letters_count=1)
    save_profile(db, thin_user.id, ProfileForm(residency_specialty="neurology"), now=FIXED_NOW)
    rows = review.list_program_applications(db, program.id, review.Filters(complete="no"))
    assert [r.application.id for r in rows] == [thin.id]
    rows = review.list_program_applications(db, program.id, review.Filters(min_letters=3))
    assert [r.application.id for r in rows] == [complete.id]
    rows = review.list_program_applications(
        db, program.id, review.Filters(specialty="anesthesiology")
    )
    assert {r.application.id for r in rows} == {complete.id, thin.id}  # the snapshot counts
    director = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    sign_in(client, db, director)
    export = client.get(f"/programs/{program.id}/applications/export.csv?complete=yes")
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(export.text)))
    assert table[0][:4] == ["application id", "applicant", "email", "status"]
    assert len(table) == 2
    assert table[1][1] == '\'=HYPERLINK("http://evil")'
    assert table[1][10:13] == ["yes", "", "3"]


def test_bulk_status_and_invitation_in_one_transaction(
    client: TestClient, db: Session, settings: Settings
) -> None:
    program, other = make_program(db), make_program(db)
    first_user, first, _ = _submitted(db, settings, program.id)
    second_user, second, _ = _submitted(db, settings, program.id)
    _, elsewhere, _ = _submitted(db, settings, other.id)
    coordinator = make_user(db, [(program.id, Role.PROGRAM_COORDINATOR)])
    with pytest.raises(NotFound):  # all or nothing: another program's application spoils it
        review.set_status(
            db,
            program.id,
            [first.id, elsewhere.id],
            "under_review",
            reviewer_id=coordinator.id,
            now=FIXED_NOW,
            base_url="http://x",
        )
    assert db.get(Application, first.id).status == "submitted"  # type: ignore[union-attr]
    csrf = sign_in(client, db, coordinator)
    moved = client.post(
        f"/programs/{program.id}/applications/status",
        data={
            "csrf_token": csrf,
            "status": "invited",
            "application_ids": [str(first.id), str(second.id)],
        },
        follow_redirects=False,
    )
    assert moved.status_code == 303
    db.expire_all()
    assert {db.get(Application, i).status for i in (first.id, second.id)} == {"invited"}  # type: ignore[union-attr]
    invited = db.scalars(
        select(InterviewInvitation.applicant_user_id).where(
            InterviewInvitation.program_id == program.id
        )
    ).all()
    assert sorted(invited) == sorted([first_user.id, second_user.id])
    with pytest.raises(Conflict):
        review.set_status(
            db,
            program.id,
            [first.id],
            "declined",
            reviewer_id=coordinator.id,
            now=FIXED_NOW,
            base_url="http://x",
        )
    bad = client.post(
        f"/programs/{program.id}/applications/status",
        data={"csrf_token": csrf, "status": "accepted", "application_ids": [str(first.id)]},
    )
    assert bad.status_code == 422


def test_deadline_set_by_the_program_in_local_time(
    client: TestClient, db: Session, settings: Settings
) -> None:
    program = make_program(db)
    coordinator = make_user(db, [(program.id, Role.PROGRAM_COORDINATOR)])
    csrf = sign_in(client, db, coordinator)
    saved = client.post(
        f"/programs/{program.id}/applications/settings",
        data={"csrf_token": csrf, "accepting": "yes", "deadline": "2026-11-21T09:59"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    window = submissions.application_window(db, program.id)
    assert window.deadline == datetime(2026, 11, 21, 14, 59, tzinfo=UTC)
    assert window.closed_reason(FIXED_NOW) is not None  # 15:00 UTC is 10:00 in New York
    bad = client.post(
        f"/programs/{program.id}/applications/settings",
        data={"csrf_token": csrf, "accepting": "yes", "deadline": "tomorrow"},
    )
    assert bad.status_code == 422 and 'id="deadline-error"' in bad.text


def test_correction_shows_its_change_log_to_the_program(
    client: TestClient, db: Session, settings: Settings
) -> None:
    program = make_program(db)
    user, application, _ = _submitted(db, settings, program.id)
    upload_test_document(db, settings, user, "cv")
    submissions.submit(db, user, application.id, SubmitForm(note="Updated CV"), now=FIXED_NOW)
    reviewer = make_user(db, [(program.id, Role.FACULTY)])
    csrf = sign_in(client, db, reviewer)
    page = client.get(f"/programs/{program.id}/applications/{application.id}")
    assert "Version 2" in page.text and "Replaced cv" in page.text and "Updated CV" in page.text
    noted = client.post(
        f"/programs/{program.id}/applications/{application.id}/notes",
        data={"csrf_token": csrf, "body": "Strong letters"},
        follow_redirects=False,
    )
    assert noted.status_code == 303
    empty = client.post(
        f"/programs/{program.id}/applications/{application.id}/notes",
        data={"csrf_token": csrf, "body": "  "},
    )
    assert empty.status_code == 422 and 'id="body-error"' in empty.text
    assert (
        "Strong letters" in client.get(f"/programs/{program.id}/applications/{application.id}").text
    )


def test_a_member_who_applied_never_reviews_their_own_application(
    client: TestClient, db: Session, settings: Settings
) -> None:
    """A faculty member applying to their own program sees neither the row, the scores, the
    documents nor the letters (all waived here) of their own application by any route."""
    from tests.applications.helpers import complete_profile

    program = make_program(db)
    member = make_user(db, [(None, Role.APPLICANT), (program.id, Role.FACULTY)])
    complete_profile(db, member)
    cv = upload_test_document(db, settings, member, "cv")
    statement = upload_test_document(db, settings, member, "personal_statement")
    made = [received_letter(db, settings, member, f"Dr {k}") for k in range(3)]
    assert all(letter.waived for letter in made)
    own = submissions.start_application(db, member.id, program.id, now=FIXED_NOW)
    form = AssignmentForm(letter_ids=[m.id for m in made], personal_statement_id=statement.id)
    submissions.assign(db, member.id, own.id, form)
    submissions.submit(db, member, own.id, SubmitForm(), now=FIXED_NOW)
    _, other, _ = _submitted(db, settings, program.id)

    csrf = sign_in(client, db, member)
    base = f"/programs/{program.id}/applications"
    table = client.get(base)
    assert table.status_code == 200
    assert f'{base}/{other.id}"' in table.text and f'{base}/{own.id}"' not in table.text
    export = client.get(f"{base}/export.csv")
    ids = [row[0] for row in csv.reader(io.StringIO(export.text))][1:]
    assert ids == [str(other.id)]
    for url in (
        f"{base}/{own.id}",
        f"{base}/{own.id}/documents/{cv.id}",
        *(f"{base}/{own.id}/letters/{letter.id}" for letter in made),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert b"%PDF" not in response.content
    criterion = review.add_criterion(db, program.id, "Clinical excellence", "1")
    for path, data in (
        ("scores", {f"score_{criterion.id}": "5"}),
        ("notes", {"body": "I am great"}),
    ):
        response = client.post(f"{base}/{own.id}/{path}", data={"csrf_token": csrf, **data})
        assert response.status_code == 403
    bulk = client.post(
        f"{base}/status",
        data={"csrf_token": csrf, "application_ids": [str(own.id)], "status": "declined"},
    )
    assert bulk.status_code == 403
    db.expire_all()
    assert db.get(Application, own.id).status == "submitted"  # type: ignore[union-attr]
    assert db.scalars(select(RubricScore)).first() is None
    # another reviewer of the program sees it as usual
    colleague = make_user(db, [(program.id, Role.FACULTY)])
    client.cookies.clear()
    sign_in(client, db, colleague)
    assert client.get(f"{base}/{own.id}").status_code == 200
    letter = client.get(f"{base}/{own.id}/letters/{made[0].id}")
    assert letter.status_code == 200 and letter.content.startswith(b"%PDF")


def test_filters_by_step_2_score_and_rubric_average(
    client: TestClient, db: Session, settings: Settings
) -> None:
    program = make_program(db)
    _, high, _ = _submitted(db, settings, program.id)  # Step 2 CK 251
    low_user, low, _ = _submitted(db, settings, program.id)
    form = ProfileForm(
        medical_school="Wayne State University School of Medicine",
        residency_program="University of Michigan Anesthesiology",
        residency_specialty="anesthesiology",
        residency_expected_completion=datetime(2027, 6, 30).date(),
        board_status="eligible",
        usmle_step2_score=228,
    )
    save_profile(db, low_user.id, form, now=FIXED_NOW)
    submissions.submit(db, low_user, low.id, SubmitForm(note="new score"), now=FIXED_NOW)
    criterion = review.add_criterion(db, program.id, "Clinical excellence", "1")
    reviewer = make_user(db, [(program.id, Role.FACULTY)])
    for application, score in ((high, "2"), (low, "5")):
        review.save_scores(
            db, program.id, application.id, reviewer.id, {f"score_{criterion.id}": score},
            now=FIXED_NOW,
        )  # fmt: skip

    def ids(**values: Any) -> set[int]:
        rows = review.list_program_applications(db, program.id, review.Filters(**values))
        return {row.application.id for row in rows}

    assert ids(min_step2=240) == {high.id}
    assert ids(min_step2=228) == {high.id, low.id}
    assert ids(min_rubric=4.5) == {low.id}
    assert ids(min_rubric=2) == {high.id, low.id}
    assert ids(min_step2=240, min_rubric=4.5) == set()

    sign_in(client, db, reviewer)
    base = f"/programs/{program.id}/applications"
    table = client.get(base, params={"min_step2": "240"})
    assert table.status_code == 200
    assert f'{base}/{high.id}"' in table.text and f'{base}/{low.id}"' not in table.text
    export = client.get(f"{base}/export.csv", params={"min_rubric": "4.5"})
    assert [row[0] for row in csv.reader(io.StringIO(export.text))][1:] == [str(low.id)]
    bad = client.get(base, params={"min_step2": "lots", "min_rubric": "9", "min_letters": "-1"})
    assert bad.status_code == 422
    for field in ("min_step2", "min_rubric", "min_letters"):
        assert f'id="{field}-error"' in bad.text
        assert f'aria-describedby="{field}-error"' in bad.text
    bad_export = client.get(f"{base}/export.csv", params={"min_rubric": "0.5"})
    assert bad_export.status_code == 422 and "min_rubric" in bad_export.text
    assert not bad_export.headers["content-type"].startswith("text/csv")
