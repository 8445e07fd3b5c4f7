"""JSON API: a fellow's own case-log entries (list, create)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.caselog import service
from painfellow.caselog.models import CaseLogEntry
from tests.builders import FIXED_NOW, make_user, sign_in
from tests.caselog.test_caselog_app import _team, _tfesi

TODAY = FIXED_NOW.date()


def _body(faculty_id: int, **changes: object) -> dict[str, object]:
    return _tfesi(faculty_id, **changes).model_dump()


def test_fellow_creates_and_lists_only_own_entries(client: TestClient, db: Session) -> None:
    program, fellow, faculty = _team(db)
    other = make_user(db, [(program.id, Role.FELLOW)])
    service.log_entry(db, program.id, other.id, _tfesi(faculty.id), today=TODAY)
    sign_in(client, db, fellow, kind="api")
    url = f"/api/v1/programs/{program.id}/case-log/entries"
    created = client.post(url, json=_body(faculty.id))
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["cpt_codes"], body["logged_on"]) == (
        "pending",
        ["64483"],
        TODAY.isoformat(),
    )
    listed = client.get(url).json()
    assert [e["id"] for e in listed] == [body["id"]]


def test_bad_fields_get_field_level_422_and_store_nothing(client: TestClient, db: Session) -> None:
    program, fellow, faculty = _team(db)
    sign_in(client, db, fellow, kind="api")
    url = f"/api/v1/programs/{program.id}/case-log/entries"
    missing = client.post(url, json={"procedure_id": "esi_transforaminal"})
    assert missing.status_code == 422
    fields = {e["field"] for e in missing.json()["errors"]}
    assert {"role", "guidance", "age_band", "sex"} <= fields
    phi = client.post(url, json=_body(faculty.id, note="Pt John Smith MRN 48213377"))
    assert phi.status_code == 422 and phi.json()["errors"][0]["field"] == "note"
    side = client.post(url, json=_body(faculty.id, laterality=None))
    assert side.status_code == 422
    assert any(e["field"] == "laterality" for e in side.json()["errors"])
    assert db.scalar(select(func.count(CaseLogEntry.id))) == 0
