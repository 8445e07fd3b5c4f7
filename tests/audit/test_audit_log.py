from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.audit.models import AuditEntry
from painfellow.audit.recorder import Actor, AuditLogIsAppendOnly, set_actor
from painfellow.programs.models import Program
from tests.builders import make_program, make_user, sign_in


def test_create_and_delete_are_recorded_with_values(db: Session) -> None:
    set_actor(db, Actor(None, "tester"))
    program = make_program(db, institution="Audit Trail Hospital")
    program_id = program.id
    db.delete(program)
    db.flush()
    entries = db.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.action, e.actor_label, e.entity_id) for e in entries] == [
        ("create", "tester", str(program_id)),
        ("delete", "tester", str(program_id)),
    ]
    assert entries[0].changes["institution"] == [None, "Audit Trail Hospital"]
    assert entries[1].changes["institution"] == ["Audit Trail Hospital", None]


def test_secrets_never_reach_the_log(db: Session) -> None:
    make_user(db)
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "users")).one()
    assert entry.changes["password_hash"] == [None, "***"]


def test_audit_entries_cannot_be_changed_or_deleted(db: Session) -> None:
    make_program(db)
    entry = db.scalars(select(AuditEntry)).first()
    assert entry is not None
    entry.actor_label = "someone else"
    with pytest.raises(AuditLogIsAppendOnly):
        db.flush()
    db.rollback()
    db.delete(db.scalars(select(AuditEntry)).first() or entry)
    with pytest.raises(AuditLogIsAppendOnly):
        db.flush()


def test_failure_after_first_insert_leaves_nothing_half_written(
    client: TestClient, db: Session
) -> None:
    template = make_program(db)
    sign_in(client, db, make_user(db, [(None, Role.PLATFORM_ADMIN)]), kind="api")
    programs_before = db.scalar(select(func.count(Program.id)))
    entries_before = db.scalar(select(func.count(AuditEntry.id)))

    def fail_after_insert(*_: object) -> None:
        raise RuntimeError("injected failure after the first insert")

    event.listen(Program, "after_insert", fail_after_insert)
    try:
        body = {k: getattr(template, k) for k in (
            "institution", "name", "city", "state", "latitude", "longitude",
            "positions_per_year", "length_months", "tracks", "accepted_specialties",
            "features", "contacts", "website_text")}  # fmt: skip
        response = client.post(
            "/api/v1/programs", json={**body, "accreditation_number": "5300000777"}
        )
    finally:
        event.remove(Program, "after_insert", fail_after_insert)
    assert response.status_code == 500
    assert "Traceback" not in response.text and "injected" not in response.text
    assert db.scalar(select(func.count(Program.id))) == programs_before
    assert db.scalar(select(func.count(AuditEntry.id))) == entries_before
