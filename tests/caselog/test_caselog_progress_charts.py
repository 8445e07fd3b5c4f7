"""Progress against minimums and projected completion, as charts, for the fellow and the
director (issue 5, "Procedure case log")."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.caselog import service
from tests.builders import FIXED_NOW, make_program, make_user, sign_in
from tests.caselog.test_caselog_app import _tfesi

TODAY = FIXED_NOW.date()


def test_program_progress_lists_each_fellow_with_the_minimum_categories(db: Session) -> None:
    program = make_program(db)
    fast, idle = (make_user(db, [(program.id, Role.FELLOW)]) for _ in range(2))
    faculty = make_user(db, [(program.id, Role.FACULTY)])
    service.set_minimums(db, program.id, {"epidural_transforaminal": 3})
    for _ in range(3):
        service.log_entry(db, program.id, fast.id, _tfesi(faculty.id), today=TODAY)
    progress = service.program_progress(db, program.id, today=TODAY)
    assert set(progress) == {fast.id, idle.id}
    (done,) = progress[fast.id]
    assert done.category == "epidural_transforaminal" and done.projection is not None
    assert done.projection.already_met and done.projection.completion == TODAY
    (waiting,) = progress[idle.id]
    assert waiting.projection is not None and waiting.projection.completion is None
    assert waiting.projection.remaining == 3


def test_fellow_and_director_see_the_projected_completion_chart(
    client: TestClient, db: Session
) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)], full_name="Ada Fellow")
    faculty = make_user(db, [(program.id, Role.FACULTY)])
    director = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    service.set_minimums(db, program.id, {"epidural_transforaminal": 3})
    service.log_entry(db, program.id, fellow.id, _tfesi(faculty.id), today=TODAY)
    (status,) = service.program_progress(db, program.id, today=TODAY)[fellow.id]
    assert status.projection is not None and status.projection.completion is not None
    projected = str(status.projection.completion)

    sign_in(client, db, fellow)
    mine = client.get(f"/programs/{program.id}/case-log")
    assert mine.status_code == 200
    assert "Projected completion at your current pace" in mine.text
    assert 'aria-labelledby="projection-title"' in mine.text
    assert f"projected {projected}" in mine.text  # the bar's own description
    assert client.get(f"/programs/{program.id}/case-log/program").status_code == 403

    client.cookies.clear()
    sign_in(client, db, director)
    page = client.get(f"/programs/{program.id}/case-log/program")
    assert page.status_code == 200
    assert "Progress against the minimums" in page.text and "Ada Fellow" in page.text
    assert f'aria-labelledby="projection-{fellow.id}-title"' in page.text
    assert f"projected {projected}" in page.text


def test_director_sees_each_fellows_complication_rate_next_to_the_program_average(
    client: TestClient, db: Session
) -> None:
    program = make_program(db)
    careful = make_user(db, [(program.id, Role.FELLOW)], full_name="Careful Fellow")
    unlucky = make_user(db, [(program.id, Role.FELLOW)], full_name="Unlucky Fellow")
    faculty = make_user(db, [(program.id, Role.FACULTY)])
    director = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    for _ in range(3):
        service.log_entry(db, program.id, careful.id, _tfesi(faculty.id), today=TODAY)
    service.log_entry(db, program.id, unlucky.id,
                      _tfesi(faculty.id, complications=["intravascular_injection"]),
                      today=TODAY)  # fmt: skip
    sign_in(client, db, director)
    page = client.get(f"/programs/{program.id}/case-log/program")
    assert page.status_code == 200
    assert "Program average: 1/4 (25.0 %)" in page.text
    assert "<td>Careful Fellow</td><td>0/3 (0.0 %)</td><td>1/4 (25.0 %)</td>" in page.text
    assert "<td>Unlucky Fellow</td><td>1/1 (100.0 %)</td><td>1/4 (25.0 %)</td>" in page.text
