from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.errors import InvalidInput, NotFound
from painfellow.schedules import service
from painfellow.schedules.models import BlockSchedule, ScheduleAssignment
from painfellow.schedules.schemas import (
    CalendarForm,
    CellForm,
    RequestForm,
    RequirementForm,
    RotationForm,
)
from painfellow.web.forms import parse_form
from tests.builders import FIXED_NOW, make_program, make_user, sign_in

TODAY = FIXED_NOW.date()


@dataclass
class Setup:
    program_id: int
    director_id: int
    fellows: list[int]
    rotations: dict[str, int]


def _setup(db: Session) -> Setup:
    """Two fellows, four two-week blocks; Acute pain needs exactly one fellow per block and
    each fellow spends two blocks there; each fellow takes exactly one vacation block."""
    program = make_program(db)
    director = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    fellows = [
        make_user(db, [(program.id, Role.FELLOW)], full_name=f"Dr. Fellow {c}").id for c in "AB"
    ]
    service.set_calendar(
        db, program.id, CalendarForm(first_day=date(2026, 7, 1), n_blocks=4, block_days=14)
    )
    rotations = {}
    for name, capacity, minimum in [
        ("Chronic pain clinic", 2, 0),
        ("Acute pain service", 1, 1),
        ("Vacation", 2, 0),
    ]:
        rotations[name] = service.add_rotation(
            db,
            program.id,
            RotationForm(
                name=name,
                sites="Main hospital, VA clinic",
                capacity_per_block=capacity,
                min_per_block=minimum,
            ),
        ).id
    acute, vacation = rotations["Acute pain service"], rotations["Vacation"]
    service.add_requirement(
        db,
        program.id,
        RequirementForm(
            kind="block_count", rotation_id=acute, min_blocks=2, max_blocks=2, source="policy"
        ),
        today=TODAY,
    )
    service.add_requirement(
        db,
        program.id,
        RequirementForm(kind="vacation", rotation_id=vacation, min_blocks=1, max_blocks=1),
        today=TODAY,
    )
    service.add_request(
        db,
        program.id,
        RequestForm(fellow_user_id=fellows[0], block=1, rotation_id=acute, weight=3),
        today=TODAY,
    )
    return Setup(program.id, director.id, fellows, rotations)


def _generate(db: Session, s: Setup) -> BlockSchedule:
    return service.generate_schedule(
        db, s.program_id, user_id=s.director_id, now=FIXED_NOW, today=TODAY
    )


def test_generate_stores_a_clean_schedule_with_its_inputs(db: Session) -> None:
    s = _setup(db)
    record = _generate(db, s)
    assert record.status == "optimal" and record.objective == 3
    assert record.total_request_weight == 3 and "OR-Tools" in record.rules_version
    assert [f["name"] for f in record.inputs["fellows"]] == ["Dr. Fellow A", "Dr. Fellow B"]
    assert record.inputs["calendar"]["starts"][0] == "2026-07-01"
    cells = db.scalar(select(func.count()).where(ScheduleAssignment.schedule_id == record.id))
    assert cells == 8
    view = service.schedule_view(db, s.program_id, today=TODAY)
    assert view.violations == []
    assert view.grid[s.fellows[0]][0] == s.rotations["Acute pain service"]


def test_infeasible_requirements_store_nothing_and_are_named(db: Session) -> None:
    s = _setup(db)
    service.add_requirement(
        db,
        s.program_id,
        RequirementForm(
            kind="fixed", rotation_id=s.rotations["Vacation"], fellow_user_id=s.fellows[0], block=1
        ),
        today=TODAY,
    )
    service.add_requirement(
        db,
        s.program_id,
        RequirementForm(
            kind="fixed", rotation_id=s.rotations["Vacation"], fellow_user_id=s.fellows[1], block=1
        ),
        today=TODAY,
    )
    with pytest.raises(service.NoSchedule) as caught:
        _generate(db, s)
    texts = " | ".join(item.text for item in caught.value.explanation)
    assert caught.value.status == "infeasible"
    assert "Acute pain service needs at least 1 fellow in every block" in texts
    assert "is fixed on Vacation in block 1" in texts
    assert db.scalar(select(func.count(BlockSchedule.id))) == 0


def test_manual_edit_is_kept_and_its_violations_listed(db: Session) -> None:
    s = _setup(db)
    _generate(db, s)
    view = service.schedule_view(db, s.program_id, today=TODAY)
    on_acute = next(f for f in s.fellows if view.grid[f][0] == s.rotations["Acute pain service"])
    edited = service.edit_cell(
        db,
        s.program_id,
        CellForm(fellow_user_id=on_acute, block=1, rotation_id=s.rotations["Chronic pain clinic"]),
        today=TODAY,
    )
    messages = [v.message for v in edited.violations]
    assert any("Acute pain service" in m and "block 1" in m for m in messages), messages
    assert 1 in edited.flagged_blocks and on_acute in edited.flagged_fellows
    again = service.schedule_view(db, s.program_id, today=TODAY)
    assert again.grid[on_acute][0] == s.rotations["Chronic pain clinic"]


def test_bad_input_names_the_field(db: Session) -> None:
    s = _setup(db)
    with pytest.raises(InvalidInput) as caught:
        service.add_requirement(
            db,
            s.program_id,
            RequirementForm(kind="fixed", rotation_id=s.rotations["Vacation"]),
            today=TODAY,
        )
    assert {e.field for e in caught.value.errors} == {"fellow_user_id", "block"}
    with pytest.raises(InvalidInput, match="block: the calendar has blocks 1–4"):
        service.add_request(
            db,
            s.program_id,
            RequestForm(fellow_user_id=s.fellows[0], block=5, rotation_id=s.rotations["Vacation"]),
            today=TODAY,
        )
    with pytest.raises(InvalidInput, match="min_per_block: must not exceed"):
        parse_form(RotationForm, {"name": "Neuro", "capacity_per_block": "1", "min_per_block": "2"})
    with pytest.raises(InvalidInput, match="name: a rotation with this name already exists"):
        service.add_rotation(db, s.program_id, RotationForm(name="Vacation", capacity_per_block=1))
    with pytest.raises(InvalidInput, match="blocked_blocks"):
        parse_form(RequirementForm, {"kind": "vacation", "rotation_id": "1", "blocked_blocks": "x"})


def test_nothing_to_schedule_is_reported_not_solved(db: Session) -> None:
    program = make_program(db)
    with pytest.raises(InvalidInput) as caught:
        service.generate_schedule(db, program.id, user_id=None, now=FIXED_NOW, today=TODAY)
    assert {e.field for e in caught.value.errors} == {"fellows", "rotations"}


def test_a_manager_cannot_reach_another_programs_data(db: Session) -> None:
    a, b = _setup(db), _setup(db)
    with pytest.raises(InvalidInput, match="rotation_id: is not a rotation of this program"):
        service.add_requirement(
            db,
            a.program_id,
            RequirementForm(kind="block_count", rotation_id=b.rotations["Vacation"], max_blocks=2),
            today=TODAY,
        )
    with pytest.raises(InvalidInput, match="fellow_user_id: is not a fellow of this program"):
        service.add_request(
            db,
            a.program_id,
            RequestForm(fellow_user_id=b.fellows[0], block=1, rotation_id=a.rotations["Vacation"]),
            today=TODAY,
        )
    b_requirement = service.list_requirement_rows(db, b.program_id)[0]
    with pytest.raises(NotFound):
        service.delete_requirement(db, a.program_id, b_requirement.id)
    _generate(db, a)
    with pytest.raises(InvalidInput, match="fellow_user_id: is not a fellow in this schedule"):
        service.edit_cell(
            db,
            a.program_id,
            CellForm(fellow_user_id=b.fellows[0], block=1, rotation_id=a.rotations["Vacation"]),
            today=TODAY,
        )


# -- routes --------------------------------------------------------------------------------


def _director(client: TestClient, db: Session, s: Setup) -> str:
    from painfellow.accounts.models import User

    director = db.get(User, s.director_id)
    assert director is not None
    return sign_in(client, db, director)


def test_setup_forms_rerender_with_field_errors(client: TestClient, db: Session) -> None:
    s = _setup(db)
    csrf = _director(client, db, s)
    page = client.get(f"/programs/{s.program_id}/schedule/setup")
    assert page.status_code == 200
    assert "every fellow spends exactly 2 blocks on Acute pain service" in page.text
    bad = client.post(
        f"/programs/{s.program_id}/schedule/rotations",
        data={"csrf_token": csrf, "name": "", "capacity_per_block": "x"},
    )
    assert bad.status_code == 422
    assert 'id="name-error"' in bad.text and 'id="capacity_per_block-error"' in bad.text
    bad = client.post(
        f"/programs/{s.program_id}/schedule/requirements",
        data={
            "csrf_token": csrf,
            "kind": "fixed",
            "rotation_id": str(s.rotations["Vacation"]),
            "fellow_user_id": "",
            "block": "",
        },
    )
    assert bad.status_code == 422 and 'id="block-error"' in bad.text
    ok = client.post(
        f"/programs/{s.program_id}/schedule/calendar",
        data={"csrf_token": csrf, "first_day": "2026-07-01", "n_blocks": "4", "block_days": "14"},
        follow_redirects=False,
    )
    assert ok.status_code == 303


def test_generate_and_edit_through_the_pages(client: TestClient, db: Session) -> None:
    s = _setup(db)
    csrf = _director(client, db, s)
    done = client.post(
        f"/programs/{s.program_id}/schedule/generate",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303
    page = client.get(f"/programs/{s.program_id}/schedule")
    assert page.status_code == 200
    assert "Every requirement is met." in page.text and "Dr. Fellow A" in page.text
    assert "solver status: optimal" in page.text
    data = {
        "csrf_token": csrf,
        "fellow_user_id": str(s.fellows[0]),
        "block": "1",
        "rotation_id": str(s.rotations["Vacation"]),
    }
    fragment = client.post(
        f"/programs/{s.program_id}/schedule/cells", data=data, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="schedule-live">')
    assert "requirements not met" in fragment.text or "requirement not met" in fragment.text
    plain = client.post(
        f"/programs/{s.program_id}/schedule/cells",
        data={**data, "block": "2"},
        follow_redirects=False,
    )
    assert plain.status_code == 303
    bad = client.post(f"/programs/{s.program_id}/schedule/cells", data={**data, "block": "9"})
    assert bad.status_code == 422 and 'id="block-error"' in bad.text
    csv_text = client.get(f"/programs/{s.program_id}/schedule.csv")
    assert csv_text.status_code == 200 and csv_text.headers["content-type"].startswith("text/csv")
    header = csv_text.text.splitlines()[0]
    assert header.startswith("Fellow,Block 1 (2026-07-01),Block 2 (2026-07-15)")
    assert header.endswith("Block 4 (2026-08-12)")


def test_infeasible_generate_shows_the_conflict(client: TestClient, db: Session) -> None:
    s = _setup(db)
    service.add_requirement(
        db,
        s.program_id,
        RequirementForm(kind="block_count", rotation_id=s.rotations["Vacation"], min_blocks=3),
        today=TODAY,
    )
    csrf = _director(client, db, s)
    response = client.post(f"/programs/{s.program_id}/schedule/generate", data={"csrf_token": csrf})
    assert response.status_code == 422
    assert "No schedule was generated" in response.text
    assert "every fellow spends at least 3 blocks on Vacation" in response.text
    assert db.scalar(select(func.count(BlockSchedule.id))) == 0


def test_fellow_sees_own_rotations_and_ics(client: TestClient, db: Session) -> None:
    from painfellow.accounts.models import User

    s = _setup(db)
    _generate(db, s)
    fellow = db.get(User, s.fellows[0])
    assert fellow is not None
    sign_in(client, db, fellow)
    page = client.get(f"/programs/{s.program_id}/schedule/mine")
    assert page.status_code == 200 and "Acute pain service" in page.text
    assert "Wed 2026-07-01 – Tue 2026-07-14" in page.text
    ics = client.get(f"/programs/{s.program_id}/schedule/mine.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    body = ics.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert body.endswith("END:VCALENDAR\r\n") and "\n" not in body.replace("\r\n", "")
    lines = body.split("\r\n")
    assert lines.count("BEGIN:VEVENT") == 4
    assert f"UID:rotation-{s.program_id}-{fellow.id}-20260701@painfellow" in lines
    assert "DTSTAMP:20261121T150000Z" in lines
    assert "DTSTART;VALUE=DATE:20260701" in lines and "DTEND;VALUE=DATE:20260715" in lines
    assert "SUMMARY:Acute pain service (block 1)" in lines
    assert "LOCATION:Main hospital\\, VA clinic" in lines
    assert all(len(line.encode()) <= 75 for line in lines)
    grid = client.get(f"/programs/{s.program_id}/schedule")
    assert grid.status_code == 200 and "Generate schedule" not in grid.text


def test_grid_csv_neutralises_formulas_in_typed_names(db: Session) -> None:
    from painfellow.accounts.models import User
    from painfellow.schedules.models import Rotation

    s = _setup(db)
    _generate(db, s)
    db.get(User, s.fellows[0]).full_name = "=HYPERLINK(1)"
    db.get(Rotation, s.rotations["Vacation"]).name = "@SUM(A1)"
    db.flush()
    rows = list(csv.reader(io.StringIO(service.grid_csv(db, s.program_id, today=TODAY))))
    assert "'=HYPERLINK(1)" in [row[0] for row in rows]
    assert any("'@SUM(A1)" in row[1:] for row in rows)
    assert not any(cell.startswith(("=", "@")) for row in rows for cell in row)
