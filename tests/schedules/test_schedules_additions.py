"""Editing and deleting rotations, fellows' own requests, unavailability and contiguous
blocks in the app."""

from __future__ import annotations

from datetime import time

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.accounts.roles import Role
from painfellow.errors import Conflict, InvalidInput, NotFound
from painfellow.schedules import service
from painfellow.schedules.models import Rotation, ScheduleRequest
from painfellow.schedules.schemas import OwnRequestForm, RequirementForm, RotationForm
from painfellow.web.forms import parse_form
from tests.builders import FIXED_NOW, make_user, sign_in
from tests.schedules.test_schedules import TODAY, Setup, _generate, _setup


def _fellow(db: Session, s: Setup, index: int = 0) -> User:
    user = db.get(User, s.fellows[index])
    assert user is not None
    return user


def _requirement(db: Session, s: Setup, **fields: object) -> None:
    service.add_requirement(db, s.program_id, RequirementForm.model_validate(fields), today=TODAY)


def test_manager_edits_a_rotation_including_shift_hours(db: Session) -> None:
    s = _setup(db)
    clinic = s.rotations["Chronic pain clinic"]
    form = parse_form(RotationForm, {
        "name": "Chronic pain clinic (main)", "sites": "Main hospital", "capacity_per_block": "2",
        "min_per_block": "0", "shift_start": "07:30", "shift_end": "17:00",
        "shift_weekdays": "5, 1, 2", "shift_kind": "in_house",
    })  # fmt: skip
    service.update_rotation(db, s.program_id, clinic, form)
    row = db.get(Rotation, clinic)
    assert row is not None
    assert (row.name, row.shift_start, row.shift_end, row.shift_weekdays) == (
        "Chronic pain clinic (main)",
        time(7, 30),
        time(17),
        "125",
    )


def test_rotation_edit_refuses_bad_input_naming_the_field(db: Session) -> None:
    s = _setup(db)
    clinic = s.rotations["Chronic pain clinic"]
    clash = RotationForm(name="Vacation", capacity_per_block=2)
    with pytest.raises(InvalidInput) as caught:
        service.update_rotation(db, s.program_id, clinic, clash)
    assert [e.field for e in caught.value.errors] == ["name"]
    partial = RotationForm(name="Chronic pain clinic", capacity_per_block=2, shift_start=time(7))
    with pytest.raises(InvalidInput) as caught:
        service.update_rotation(db, s.program_id, clinic, partial)
    assert {e.field for e in caught.value.errors} == {"shift_end", "shift_weekdays"}
    with pytest.raises(InvalidInput) as caught:
        parse_form(RotationForm, {"name": "x", "capacity_per_block": "1", "shift_weekdays": "8"})
    assert caught.value.errors[0].field == "shift_weekdays"
    with pytest.raises(NotFound):
        service.update_rotation(db, s.program_id, 999999, clash)


def test_delete_is_refused_while_a_requirement_or_a_schedule_uses_it(db: Session) -> None:
    s = _setup(db)
    with pytest.raises(Conflict) as caught:
        service.delete_rotation(db, s.program_id, s.rotations["Acute pain service"])
    assert "1 requirement(s) name it" in str(caught.value)
    _generate(db, s)
    with pytest.raises(Conflict) as caught:
        service.delete_rotation(db, s.program_id, s.rotations["Chronic pain clinic"])
    assert "1 stored schedule(s) place fellows on it" in str(caught.value)
    assert db.scalar(select(func.count(Rotation.id))) == 3


def test_delete_of_an_unused_rotation_takes_its_requests_with_it(db: Session) -> None:
    s = _setup(db)
    spare = service.add_rotation(
        db, s.program_id, RotationForm(name="Elective", capacity_per_block=1)
    )
    service.add_own_request(db, s.program_id, s.fellows[1],
                            OwnRequestForm(block=2, rotation_id=spare.id), today=TODAY)  # fmt: skip
    service.delete_rotation(db, s.program_id, spare.id)
    assert db.get(Rotation, spare.id) is None
    assert (
        db.scalar(
            select(func.count(ScheduleRequest.id)).where(ScheduleRequest.rotation_id == spare.id)
        )
        == 0
    )


def test_rotation_routes_edit_and_delete(client: TestClient, db: Session) -> None:
    s = _setup(db)
    director = db.get(User, s.director_id)
    assert director is not None
    csrf = sign_in(client, db, director)
    acute = s.rotations["Acute pain service"]
    page = client.get(f"/programs/{s.program_id}/schedule/rotations/{acute}/edit")
    assert page.status_code == 200 and 'value="Acute pain service"' in page.text
    bad = client.post(f"/programs/{s.program_id}/schedule/rotations/{acute}", data={
        "csrf_token": csrf, "name": "", "capacity_per_block": "1"})  # fmt: skip
    assert bad.status_code == 422 and 'id="edit-name"' in bad.text
    ok = client.post(f"/programs/{s.program_id}/schedule/rotations/{acute}", data={
        "csrf_token": csrf, "name": "Acute pain", "capacity_per_block": "1",
        "min_per_block": "1"}, follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303
    refused = client.post(f"/programs/{s.program_id}/schedule/rotations/{acute}/delete",
                          data={"csrf_token": csrf})  # fmt: skip
    assert refused.status_code == 409 and "cannot be deleted" in refused.text
    other = client.get(f"/programs/{s.program_id}/schedule/rotations/999999/edit")
    assert other.status_code == 404


def test_fellow_enters_and_withdraws_own_requests(client: TestClient, db: Session) -> None:
    s = _setup(db)
    fellow = _fellow(db, s, 1)
    csrf = sign_in(client, db, fellow)
    url = f"/programs/{s.program_id}/schedule/mine/requests"
    vacation = s.rotations["Vacation"]
    too_heavy = client.post(url, data={"csrf_token": csrf, "block": "4", "rotation_id": vacation,
                                       "weight": "9"})  # fmt: skip
    assert too_heavy.status_code == 422 and 'id="weight-error"' in too_heavy.text
    outside = client.post(url, data={"csrf_token": csrf, "block": "9", "rotation_id": vacation})
    assert outside.status_code == 422 and "the calendar has blocks 1–4" in outside.text
    ok = client.post(url, data={"csrf_token": csrf, "block": "4", "rotation_id": vacation,
                                "weight": "3"}, follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303
    [own] = service.own_requests(db, s.program_id, fellow.id)
    assert (own.block, own.rotation_id, own.weight, own.created_by_user_id) == (
        4,
        vacation,
        3,
        fellow.id,
    )
    page = client.get(f"/programs/{s.program_id}/schedule/mine")
    assert "Wants Vacation" in page.text and "Withdraw" in page.text
    # the other fellow's request (entered by the director in _setup) is not theirs to remove
    [theirs] = service.own_requests(db, s.program_id, s.fellows[0])
    gone = client.post(f"{url}/{theirs.id}/delete", data={"csrf_token": csrf})
    assert gone.status_code == 404
    done = client.post(f"{url}/{own.id}/delete", data={"csrf_token": csrf},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert service.own_requests(db, s.program_id, fellow.id) == []


def test_managers_see_own_requests_and_the_generator_honours_them(
    client: TestClient, db: Session
) -> None:
    s = _setup(db)
    vacation = s.rotations["Vacation"]
    service.add_own_request(db, s.program_id, s.fellows[1],
                            OwnRequestForm(block=3, rotation_id=vacation, weight=2),
                            today=TODAY)  # fmt: skip
    record = _generate(db, s)
    assert record.objective == 3 + 2
    view = service.schedule_view(db, s.program_id, today=TODAY)
    assert view.grid[s.fellows[1]][2] == vacation
    director = db.get(User, s.director_id)
    assert director is not None
    sign_in(client, db, director)
    setup = client.get(f"/programs/{s.program_id}/schedule/setup").text
    assert 'Dr. Fellow B <span class="muted">(own request)</span>' in setup


def test_unavailability_and_contiguity_are_met_by_the_generated_schedule(db: Session) -> None:
    s = _setup(db)
    acute = s.rotations["Acute pain service"]
    a, b = s.fellows
    _requirement(db, s, kind="unavailable", rotation_id=acute, fellow_user_id=a,
                 blocked_blocks="1", source="away at a course")  # fmt: skip
    _requirement(db, s, kind="contiguous", rotation_id=acute, source="two-block rotation")
    texts = [t.text for t in service.requirement_texts(db, s.program_id, today=TODAY).values()]
    assert "Dr. Fellow A cannot be on Acute pain service in block 1" in texts
    assert "every fellow takes all blocks of Acute pain service in a row (consecutive)" in texts
    _generate(db, s)
    grid = service.schedule_view(db, s.program_id, today=TODAY).grid
    # B must cover block 1 (A cannot), and each does two acute blocks in a row
    assert grid[b][:2] == [acute, acute] and grid[a][2:] == [acute, acute]


def test_conflicting_unavailability_is_explained_in_words(db: Session) -> None:
    s = _setup(db)
    acute = s.rotations["Acute pain service"]
    for fellow in s.fellows:
        _requirement(db, s, kind="unavailable", rotation_id=acute, fellow_user_id=fellow,
                     blocked_blocks="2")  # fmt: skip
    with pytest.raises(service.NoSchedule) as caught:
        _generate(db, s)
    texts = {item.text for item in caught.value.explanation}
    assert "Dr. Fellow A cannot be on Acute pain service in block 2" in texts
    assert "Dr. Fellow B cannot be on Acute pain service in block 2" in texts
    assert "Acute pain service needs at least 1 fellow in every block" in texts


def test_unavailability_needs_a_fellow_and_blocks(db: Session) -> None:
    s = _setup(db)
    with pytest.raises(InvalidInput) as caught:
        _requirement(db, s, kind="unavailable", rotation_id=s.rotations["Vacation"])
    assert {e.field for e in caught.value.errors} == {"fellow_user_id", "blocked_blocks"}
    with pytest.raises(InvalidInput) as caught:
        _requirement(db, s, kind="unavailable", rotation_id=s.rotations["Vacation"],
                     fellow_user_id=s.fellows[0], blocked_blocks="5")  # fmt: skip
    assert caught.value.errors[0].message == "the calendar has blocks 1–4"


def test_a_member_who_is_not_a_fellow_cannot_enter_requests(
    client: TestClient, db: Session
) -> None:
    s = _setup(db)
    faculty = make_user(db, [(s.program_id, Role.FACULTY)])
    csrf = sign_in(client, db, faculty)
    response = client.post(f"/programs/{s.program_id}/schedule/mine/requests",
                           data={"csrf_token": csrf, "block": "1",
                                 "rotation_id": s.rotations["Vacation"]})  # fmt: skip
    assert response.status_code == 403
    assert FIXED_NOW.date() == TODAY


def test_schedule_api_returns_the_grid(client: TestClient, db: Session) -> None:
    s = _setup(db)
    faculty = make_user(db, [(s.program_id, Role.FACULTY)])
    sign_in(client, db, faculty, kind="api")
    url = f"/api/v1/programs/{s.program_id}/schedule"
    empty = client.get(url).json()
    assert empty["schedule_id"] is None and empty["rows"] == [] and len(empty["blocks"]) == 4
    record = _generate(db, s)
    data = client.get(url).json()
    assert data["schedule_id"] == record.id and data["status"] == "optimal"
    assert data["blocks"][0] == {"block": 1, "start": "2026-07-01", "end": "2026-07-14"}
    rows = {r["fellow_name"]: r["rotation_ids"] for r in data["rows"]}
    assert set(rows) == {"Dr. Fellow A", "Dr. Fellow B"}
    acute = s.rotations["Acute pain service"]
    assert rows["Dr. Fellow A"][0] == acute and data["violations"] == []
    assert {r["name"] for r in data["rotations"]} >= {"Acute pain service", "Vacation"}
