from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.audit.models import AuditEntry
from painfellow.programs.models import Program
from tests.builders import make_program, make_user, sign_in


def _body(program: Program, **changes: Any) -> dict[str, Any]:
    body = {
        "institution": program.institution, "name": program.name, "city": program.city,
        "state": program.state, "latitude": program.latitude, "longitude": program.longitude,
        "positions_per_year": program.positions_per_year, "length_months": program.length_months,
        "tracks": program.tracks, "accepted_specialties": program.accepted_specialties,
        "features": program.features, "contacts": program.contacts,
        "website_text": program.website_text, "version": program.version,
    }  # fmt: skip
    body.update(changes)
    return body


def test_directory_searches_by_text_and_state(client: TestClient, db: Session) -> None:
    make_program(db, institution="Lakeshore Pain Institute", state="IL", city="Chicago")
    make_program(db, institution="Desert Spine Center", state="AZ", city="Phoenix")
    page = client.get("/programs", params={"q": "lakeshore"})
    assert page.status_code == 200
    assert "Lakeshore Pain Institute" in page.text and "Desert Spine Center" not in page.text
    api = client.get("/api/v1/programs", params={"state": "az"}).json()
    assert [p["institution"] for p in api["items"]] == ["Desert Spine Center"]


def test_directory_htmx_request_returns_only_results(client: TestClient, db: Session) -> None:
    make_program(db, institution="Harbor Pain Center")
    fragment = client.get("/programs", headers={"HX-Request": "true"})
    assert "Harbor Pain Center" in fragment.text and "<html" not in fragment.text


def test_unknown_program_is_404(client: TestClient) -> None:
    assert client.get("/programs/999999").status_code == 404
    assert client.get("/api/v1/programs/999999").json() == {
        "detail": "Program 999999 does not exist."
    }


def test_director_edits_profile_and_audit_records_before_after(
    client: TestClient, db: Session
) -> None:
    program = make_program(db, positions_per_year=2)
    director = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    sign_in(client, db, director, kind="api")
    response = client.put(
        f"/api/v1/programs/{program.id}", json=_body(program, positions_per_year=4)
    )
    assert response.status_code == 200, response.text
    assert response.json()["positions_per_year"] == 4
    entry = db.scalars(
        select(AuditEntry).where(AuditEntry.entity == "programs", AuditEntry.action == "update")
    ).one()
    assert entry.actor_user_id == director.id and entry.program_id == program.id
    assert entry.changes == {"positions_per_year": [2, 4]}
    log = client.get(f"/api/v1/programs/{program.id}/audit").json()
    assert log[0]["changes"] == {"positions_per_year": [2, 4]}


def test_stale_edit_is_409_and_changes_nothing(client: TestClient, db: Session) -> None:
    program = make_program(db, positions_per_year=2)
    sign_in(client, db, make_user(db, [(program.id, Role.PROGRAM_COORDINATOR)]), kind="api")
    first = client.put(f"/api/v1/programs/{program.id}", json=_body(program, positions_per_year=3))
    assert first.status_code == 200
    stale = client.put(
        f"/api/v1/programs/{program.id}", json=_body(program, positions_per_year=9, version=1)
    )
    assert stale.status_code == 409
    assert "changed by someone else" in stale.json()["detail"]
    db.expire_all()
    assert db.get(Program, program.id).positions_per_year == 3


def test_bad_profile_values_are_422_naming_each_field(client: TestClient, db: Session) -> None:
    program = make_program(db)
    sign_in(client, db, make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)]), kind="api")
    response = client.put(
        f"/api/v1/programs/{program.id}",
        json=_body(program, latitude=123, state="ZZ", length_months=18, institution="x" * 201,
                   features=["teleportation"]),
    )  # fmt: skip
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"latitude", "state", "length_months", "institution", "features"}
    assert db.scalars(select(AuditEntry).where(AuditEntry.action == "update")).all() == []


def test_edit_page_form_reports_errors_and_saves(client: TestClient, db: Session) -> None:
    program = make_program(db)
    csrf = sign_in(client, db, make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)]))
    form = {
        "csrf_token": csrf, "version": str(program.version), "institution": "Renamed Institute",
        "name": program.name, "city": program.city, "state": "MI", "latitude": "42.2",
        "longitude": "-83.7", "positions_per_year": "many", "length_months": "12",
        "tracks": "Interventional, Cancer pain", "accepted_specialties": ["neurology"],
        "features": ["neuromodulation"], "website_text": "About us",
        "contact_0_name": "Dr. Contact", "contact_0_email": "contact@example.org",
    }  # fmt: skip
    bad = client.post(f"/programs/{program.id}/edit", data=form)
    assert bad.status_code == 422
    assert 'id="positions_per_year-error"' in bad.text
    assert 'value="Renamed Institute"' in bad.text  # what the user typed is kept
    form["positions_per_year"] = "5"
    saved = client.post(f"/programs/{program.id}/edit", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text[saved.text.find("alert") :][:600]
    db.expire_all()
    stored = db.get(Program, program.id)
    assert stored.institution == "Renamed Institute" and stored.positions_per_year == 5
    assert stored.tracks == ["Interventional", "Cancer pain"]
    assert stored.contacts == [
        {"name": "Dr. Contact", "title": "", "email": "contact@example.org", "phone": ""}
    ]


def test_director_of_one_program_cannot_touch_another(client: TestClient, db: Session) -> None:
    own, other = make_program(db), make_program(db)
    sign_in(client, db, make_user(db, [(own.id, Role.PROGRAM_DIRECTOR)]), kind="api")
    assert client.put(f"/api/v1/programs/{other.id}", json=_body(other)).status_code == 403
    assert client.get(f"/api/v1/programs/{other.id}/audit").status_code == 403
    assert client.get(f"/api/v1/programs/{other.id}/members").status_code == 403


def test_admin_creates_program_and_duplicate_number_is_409(client: TestClient, db: Session) -> None:
    template = make_program(db)
    sign_in(client, db, make_user(db, [(None, Role.PLATFORM_ADMIN)]), kind="api")
    body = _body(template)
    del body["version"]
    body["accreditation_number"] = "5300000999"
    assert client.post("/api/v1/programs", json=body).status_code == 201
    assert client.post("/api/v1/programs", json=body).status_code == 409


def test_new_program_accepts_every_eligible_specialty_by_default(
    client: TestClient, db: Session
) -> None:
    from painfellow.programs.vocabulary import ELIGIBLE_PRIOR_SPECIALTIES

    template = make_program(db)
    sign_in(client, db, make_user(db, [(None, Role.PLATFORM_ADMIN)]), kind="api")
    body = _body(template)
    del body["version"], body["accepted_specialties"]
    body["accreditation_number"] = "5300000555"
    created = client.post("/api/v1/programs", json=body)
    assert created.status_code == 201
    assert created.json()["accepted_specialties"] == sorted(ELIGIBLE_PRIOR_SPECIALTIES)
