from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.caselog import service
from painfellow.caselog.models import CaseLogEntry
from painfellow.caselog.schemas import EntryForm
from painfellow.errors import Conflict, InvalidInput, PermissionDenied
from tests.builders import FIXED_NOW, make_program, make_user, sign_in

TODAY = FIXED_NOW.date()


def _team(db: Session):
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)])
    faculty = make_user(db, [(program.id, Role.FACULTY)])
    return program, fellow, faculty


def _tfesi(faculty_id: int, **changes: object) -> EntryForm:
    values: dict[str, object] = {
        "procedure_id": "esi_transforaminal",
        "role": "performed_supervised",
        "guidance": "fluoroscopy",
        "supervisor_user_id": faculty_id,
        "complications": ["none"],
        "age_band": "50-59",
        "sex": "female",
        "region": "lumbar",
        "levels": ["L4-L5"],
        "laterality": "left",
    }
    values.update(changes)
    return EntryForm.model_validate(values)


def test_valid_entry_is_stored_pending_with_its_cpt_code(db: Session) -> None:
    program, fellow, faculty = _team(db)
    entry = service.log_entry(db, program.id, fellow.id, _tfesi(faculty.id), today=TODAY)
    assert entry.status == "pending" and entry.cpt_codes == ["64483"]


@pytest.mark.parametrize(
    ("note", "identifier"),
    [
        ("Pt John Smith tolerated well", "Names"),
        ("MRN 48213377", "Medical record"),
        ("DOB 03/14/1961", "ates"),
        ("call back 734-555-0199", "elephone"),
    ],
)
def test_notes_that_look_like_identifiers_are_refused(
    db: Session, note: str, identifier: str
) -> None:
    program, fellow, faculty = _team(db)
    with pytest.raises(InvalidInput) as error:
        service.log_entry(db, program.id, fellow.id, _tfesi(faculty.id, note=note), today=TODAY)
    (problem,) = [e for e in error.value.errors if e.field == "note"]
    assert identifier in problem.message
    assert db.scalar(select(func.count(CaseLogEntry.id))) == 0


def test_fields_are_checked_against_the_procedure(db: Session) -> None:
    program, fellow, _ = _team(db)
    outsider = make_user(db, [(make_program(db).id, Role.FACULTY)])
    with pytest.raises(InvalidInput) as error:
        service.log_entry(
            db,
            program.id,
            fellow.id,
            _tfesi(
                outsider.id,
                laterality=None,
                guidance="ultrasound",
                levels=["C5-C6"],
                complications=["none", "pdph"],
            ),
            today=TODAY,
        )
    fields = {e.field for e in error.value.errors}
    assert {"supervisor_user_id", "laterality", "levels", "complications"} <= fields


def test_only_the_named_supervisor_verifies_and_verified_is_locked(db: Session) -> None:
    program, fellow, faculty = _team(db)
    other_faculty = make_user(db, [(program.id, Role.FACULTY)])
    entry = service.log_entry(db, program.id, fellow.id, _tfesi(faculty.id), today=TODAY)
    assert [e.id for e in service.verification_queue(db, program.id, faculty.id)] == [entry.id]
    assert service.verification_queue(db, program.id, other_faculty.id) == []
    with pytest.raises(PermissionDenied):
        service.verify_entry(db, program.id, other_faculty.id, entry.id, now=FIXED_NOW)
    service.verify_entry(db, program.id, faculty.id, entry.id, now=FIXED_NOW)
    with pytest.raises(Conflict):
        service.verify_entry(db, program.id, faculty.id, entry.id, now=FIXED_NOW)


def test_correction_is_a_new_version(db: Session) -> None:
    program, fellow, faculty = _team(db)
    entry = service.log_entry(db, program.id, fellow.id, _tfesi(faculty.id), today=TODAY)
    service.verify_entry(db, program.id, faculty.id, entry.id, now=FIXED_NOW)
    new = service.correct_entry(
        db, program.id, fellow.id, entry.id, _tfesi(faculty.id, laterality="right"), today=TODAY
    )
    db.refresh(entry)
    assert (entry.status, entry.laterality) == ("superseded", "left")
    assert (new.status, new.laterality, new.supersedes_id) == ("pending", "right", entry.id)
    with pytest.raises(Conflict):
        service.correct_entry(db, program.id, fellow.id, entry.id, _tfesi(faculty.id), today=TODAY)


def test_progress_counts_performed_cases_against_minimums(db: Session) -> None:
    program, fellow, faculty = _team(db)
    service.set_minimums(db, program.id, {"epidural_transforaminal": 3})
    service.log_entry(db, program.id, fellow.id, _tfesi(faculty.id), today=TODAY)
    service.log_entry(db, program.id, fellow.id, _tfesi(faculty.id, role="observed"), today=TODAY)
    (status,) = [
        s
        for s in service.fellow_progress(db, program.id, fellow.id, today=TODAY)
        if s.category == "epidural_transforaminal"
    ]
    assert (status.progress.counted, status.progress.not_counted) == (1, 1)
    assert status.progress.remaining == 2
    assert status.projection is not None and status.projection.completion is not None


def test_pages_log_verify_and_export(client: TestClient, db: Session) -> None:
    program, fellow, faculty = _team(db)
    csrf = sign_in(client, db, fellow)
    form = client.get(
        f"/programs/{program.id}/case-log/new", params={"procedure": "esi_transforaminal"}
    )
    assert form.status_code == 200 and 'name="levels" value="L4-L5"' in form.text
    data = {
        "csrf_token": csrf,
        "procedure_id": "esi_transforaminal",
        "role": "performed_supervised",
        "guidance": "fluoroscopy",
        "supervisor_user_id": str(faculty.id),
        "complications": ["none"],
        "age_band": "60-69",
        "sex": "male",
        "region": "lumbar",
        "levels": ["L5-S1"],
        "laterality": "right",
        "note": "Patient Mary Johnson",
    }
    refused = client.post(f"/programs/{program.id}/case-log", data=data)
    assert refused.status_code == 422 and 'id="note-error"' in refused.text
    data["note"] = "Good contrast spread, no vascular uptake"
    saved = client.post(f"/programs/{program.id}/case-log", data=data, follow_redirects=False)
    assert saved.status_code == 303
    assert "Transforaminal" in client.get(f"/programs/{program.id}/case-log").text
    assert "64484" not in client.get(f"/programs/{program.id}/case-log/export.csv").text
    csrf = sign_in(client, db, faculty)
    queue = client.get(f"/programs/{program.id}/case-log/verify")
    entry_id = queue.text.split("/case-log/")[1].split("/verify")[0]
    done = client.post(
        f"/programs/{program.id}/case-log/{entry_id}/verify",
        data={"csrf_token": csrf},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert db.get(CaseLogEntry, int(entry_id)).status == "verified"


def test_director_sets_minimums_with_field_errors(client: TestClient, db: Session) -> None:
    program = make_program(db)
    csrf = sign_in(client, db, make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)]))
    bad = client.post(
        f"/programs/{program.id}/case-log/minimums",
        data={"csrf_token": csrf, "radiofrequency_ablation": "lots"},
    )
    assert bad.status_code == 422 and "radiofrequency_ablation" in bad.text
    ok = client.post(
        f"/programs/{program.id}/case-log/minimums",
        data={"csrf_token": csrf, "radiofrequency_ablation": "20"},
        follow_redirects=False,
    )
    assert ok.status_code == 303
    assert service.minimums_of(db, program.id)["radiofrequency_ablation"] == 20
