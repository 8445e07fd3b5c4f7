from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.core.duty_hours import Rule, ShiftKind
from painfellow.duty_hours import service
from painfellow.duty_hours.models import DutyShift
from painfellow.duty_hours.schemas import ShiftForm
from painfellow.errors import InvalidInput
from painfellow.outbox.models import OutboxMessage
from tests.builders import FIXED_NOW, make_program, make_user, sign_in

DAY = datetime(2026, 11, 2, 7, 0)  # a Monday in the academic year holding FIXED_NOW


def _form(start: datetime, hours: float, kind: ShiftKind = ShiftKind.IN_HOUSE) -> ShiftForm:
    return ShiftForm(start=start, end=start + timedelta(hours=hours), kind=kind)


def test_overlapping_shift_is_refused_and_nothing_is_stored(db: Session) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)])
    service.log_shift(db, program.id, fellow.id, _form(DAY, 10), now=FIXED_NOW)
    with pytest.raises(InvalidInput) as error:
        service.log_shift(db, program.id, fellow.id, _form(DAY + timedelta(hours=9), 4),
                          now=FIXED_NOW)  # fmt: skip
    assert error.value.errors[0].field == "start" and "overlaps" in error.value.errors[0].message
    assert len(db.scalars(select(DutyShift)).all()) == 1


def test_new_violation_alerts_fellow_and_director(db: Session) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)])
    director = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    _, violations = service.log_shift(
        db, program.id, fellow.id, _form(DAY, 29, ShiftKind.IN_HOUSE_CALL), now=FIXED_NOW
    )
    assert {v.rule for v in violations} == {Rule.CONTINUOUS_28H}
    recipients = {m.recipient for m in db.scalars(select(OutboxMessage))}
    assert recipients == {fellow.email, director.email}


def test_overview_reports_findings_and_outlook(db: Session) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)])
    for day in range(6):
        service.log_shift(db, program.id, fellow.id,
                          _form(DAY + timedelta(days=day), 14), now=FIXED_NOW)  # fmt: skip
    overview = service.fellow_overview(db, fellow.id, now=DAY + timedelta(days=6))
    assert len(overview.shifts) == 6
    assert overview.outlook is not None and overview.outlook.hours_so_far == 84
    week = dict(overview.weekly_hours)[DAY.date()]
    assert week == 84.0


def test_fellow_page_logs_shift_and_shows_field_errors(client: TestClient, db: Session) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)])
    csrf = sign_in(client, db, fellow)
    bad = client.post(f"/programs/{program.id}/duty-hours/shifts", data={
        "csrf_token": csrf, "start": "2026-11-02T07:00", "end": "2026-11-02T06:00",
        "kind": "in_house"})  # fmt: skip
    assert bad.status_code == 422 and 'id="end-error"' in bad.text
    assert "must be after the start" in bad.text
    unknown = client.post(f"/programs/{program.id}/duty-hours/shifts", data={
        "csrf_token": csrf, "start": "2026-11-02T07:00", "end": "2026-11-02T17:00",
        "kind": "napping"})  # fmt: skip
    assert unknown.status_code == 422 and 'id="kind-error"' in unknown.text
    ok = client.post(f"/programs/{program.id}/duty-hours/shifts", data={
        "csrf_token": csrf, "start": "2026-11-02T07:00", "end": "2026-11-02T17:00",
        "kind": "in_house"}, follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303
    page = client.get(f"/programs/{program.id}/duty-hours")
    assert page.status_code == 200 and "Mon 2026-11-02 07:00" in page.text


def test_fellow_cannot_remove_another_fellows_entry(client: TestClient, db: Session) -> None:
    program = make_program(db)
    other = make_user(db, [(program.id, Role.FELLOW)])
    shift, _ = service.log_shift(db, program.id, other.id, _form(DAY, 8), now=FIXED_NOW)
    csrf = sign_in(client, db, make_user(db, [(program.id, Role.FELLOW)]))
    response = client.post(
        f"/programs/{program.id}/duty-hours/shifts/{shift.id}/delete", data={"csrf_token": csrf}
    )
    assert response.status_code == 404
    assert db.get(DutyShift, shift.id) is not None


def test_api_shifts_are_only_the_callers_own(client: TestClient, db: Session) -> None:
    program = make_program(db)
    other = make_user(db, [(program.id, Role.FELLOW)])
    service.log_shift(db, program.id, other.id, _form(DAY, 8), now=FIXED_NOW)
    sign_in(client, db, make_user(db, [(program.id, Role.FELLOW)]), kind="api")
    created = client.post(
        f"/api/v1/programs/{program.id}/duty-hours/shifts",
        json={"start": "2026-11-03T07:00:00", "end": "2026-11-03T15:00:00", "kind": "educational"},
    )
    assert created.status_code == 201
    mine = client.get(f"/api/v1/programs/{program.id}/duty-hours/shifts").json()
    assert [s["kind"] for s in mine] == ["educational"]
    aware = client.post(
        f"/api/v1/programs/{program.id}/duty-hours/shifts",
        json={"start": "2026-11-04T07:00:00Z", "end": "2026-11-04T15:00:00", "kind": "educational"},
    )
    assert aware.status_code == 422 and aware.json()["errors"][0]["field"] == "start"


def test_director_report_counts_violations_per_fellow(client: TestClient, db: Session) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)], full_name="Dr. Overworked")
    service.log_shift(db, program.id, fellow.id, _form(DAY, 29, ShiftKind.IN_HOUSE_CALL),
                      now=FIXED_NOW)  # fmt: skip
    sign_in(client, db, make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)]))
    page = client.get(f"/programs/{program.id}/duty-hours/report")
    assert page.status_code == 200
    assert "Dr. Overworked" in page.text and "WH6_transition_addon" in page.text
    bad = client.get(f"/programs/{program.id}/duty-hours/report",
                     params={"first_day": "2026-11-10", "last_day": "2026-11-01"})  # fmt: skip
    assert bad.status_code == 422 and "last_day" in bad.text
