from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.caselog.models import CaseLogEntry
from painfellow.curriculum import service
from painfellow.curriculum.schemas import LinkForm, ObjectiveForm
from painfellow.didactics.models import DidacticSession
from painfellow.errors import InvalidInput, NotFound
from painfellow.schedules.models import BlockSchedule, Rotation, ScheduleAssignment
from painfellow.web.forms import parse_form
from tests.builders import FIXED_NOW, make_program, make_user, sign_in


def _objective(db: Session, program_id: int, code: str = "IT-1") -> int:
    form = ObjectiveForm(
        area="interventional_techniques",
        competency="patient_care",
        code=code,
        text="Perform fluoroscopically guided epidurals.",
    )
    return service.create_objective(db, program_id, form).id


def _rotation(db: Session, program_id: int, name: str = "Interventional") -> Rotation:
    rotation = Rotation(program_id=program_id, name=name, capacity_per_block=2)
    db.add(rotation)
    db.flush()
    return rotation


def _didactic(db: Session, program_id: int, hours_from_now: float) -> DidacticSession:
    start = FIXED_NOW + timedelta(hours=hours_from_now)
    record = DidacticSession(
        program_id=program_id, kind="lecture", title="Epidurals", starts_at=start,
        ends_at=start + timedelta(hours=1), checkin_code="ABC234",
    )  # fmt: skip
    db.add(record)
    db.flush()
    return record


def _schedule(db: Session, program_id: int, cells: list[tuple[int, int, int | None]]) -> None:
    schedule = BlockSchedule(
        program_id=program_id, status="optimal", first_day=date(2026, 7, 1), n_blocks=26,
        block_days=14, inputs={}, rules_version="test",
    )  # fmt: skip
    db.add(schedule)
    db.flush()
    db.add_all(
        ScheduleAssignment(schedule_id=schedule.id, fellow_user_id=f, block=b, rotation_id=r)
        for f, b, r in cells
    )
    db.flush()


def _case(db: Session, program_id: int, fellow_id: int, procedure: str, status: str) -> None:
    db.add(CaseLogEntry(
        program_id=program_id, fellow_user_id=fellow_id, procedure_id=procedure,
        role="performed", guidance="fluoroscopy", age_band="40-49", sex="female",
        logged_on=FIXED_NOW.date(), status=status,
    ))  # fmt: skip
    db.flush()


def test_coverage_counts_blocks_held_sessions_and_live_cases(db: Session) -> None:
    program = make_program(db)
    a, b = (make_user(db, [(program.id, Role.FELLOW)]) for _ in range(2))
    rotation, other_rotation = _rotation(db, program.id), _rotation(db, program.id, "Clinic")
    held, upcoming = _didactic(db, program.id, -5), _didactic(db, program.id, 24)
    objective = _objective(db, program.id)
    for form in (
        LinkForm(rotation_id=rotation.id),
        LinkForm(session_id=held.id),
        LinkForm(session_id=upcoming.id),
        LinkForm(category="epidural_transforaminal"),
    ):
        service.link(db, program.id, objective, form)
    # an older schedule does not count, only the newest
    _schedule(db, program.id, [(a.id, 1, rotation.id), (a.id, 2, rotation.id)])
    _schedule(db, program.id, [
        (a.id, 1, rotation.id), (b.id, 1, rotation.id), (b.id, 2, rotation.id),
        (a.id, 2, other_rotation.id), (a.id, 3, None),
    ])  # fmt: skip
    _case(db, program.id, a.id, "esi_transforaminal", "verified")
    _case(db, program.id, b.id, "esi_transforaminal", "pending")
    _case(db, program.id, b.id, "esi_transforaminal", "superseded")
    _case(db, program.id, b.id, "esi_interlaminar", "verified")  # another category
    other = make_program(db)
    _case(db, other.id, make_user(db, [(other.id, Role.FELLOW)]).id, "esi_transforaminal",
          "verified")  # fmt: skip
    (row,) = service.coverage(db, program.id, now=FIXED_NOW)
    assert (row.rotation_blocks, row.sessions_held, row.cases) == (3, 1, 2)
    assert not row.lacks_experience
    assert {s.key for s in row.sources} == {
        f"rotation:{rotation.id}", f"session:{held.id}", f"session:{upcoming.id}",
        "category:epidural_transforaminal",
    }  # fmt: skip


def test_objectives_without_links_or_experience_lack_experience(db: Session) -> None:
    program = make_program(db)
    bare = _objective(db, program.id, "PO-1")
    unused = _objective(db, program.id, "MIS-3")
    service.link(db, program.id, unused, LinkForm(category="vertebral_augmentation"))
    service.link(db, program.id, unused, LinkForm(rotation_id=_rotation(db, program.id).id))
    service.link(db, program.id, unused, LinkForm(session_id=_didactic(db, program.id, 48).id))
    rows = {r.objective.id: r for r in service.coverage(db, program.id, now=FIXED_NOW)}
    assert rows[bare].lacks_experience and not rows[bare].linked
    assert rows[unused].lacks_experience and rows[unused].linked


def test_links_only_to_the_programs_own_rotations_and_sessions(db: Session) -> None:
    program, other = make_program(db), make_program(db)
    objective = _objective(db, program.id)
    foreign_rotation = _rotation(db, other.id)
    foreign_session = _didactic(db, other.id, -2)
    with pytest.raises(InvalidInput) as error:
        service.link(db, program.id, objective, LinkForm(rotation_id=foreign_rotation.id))
    assert error.value.errors[0].field == "rotation_id"
    with pytest.raises(InvalidInput) as error:
        service.link(db, program.id, objective, LinkForm(session_id=foreign_session.id))
    assert error.value.errors[0].field == "session_id"
    service.link(db, program.id, objective, LinkForm(category="scs_trial"))
    with pytest.raises(InvalidInput) as error:
        service.link(db, program.id, objective, LinkForm(category="scs_trial"))
    assert error.value.errors[0].field == "category"
    with pytest.raises(NotFound):
        service.link(db, other.id, objective, LinkForm(category="scs_trial"))


def test_link_form_needs_one_known_target() -> None:
    with pytest.raises(InvalidInput) as error:
        parse_form(LinkForm, {"target": "category:not_a_category"})
    assert error.value.errors[0].field == "category"
    with pytest.raises(InvalidInput):
        parse_form(LinkForm, {"target": ""})
    assert parse_form(LinkForm, {"target": "rotation:7"}).rotation_id == 7


def test_duplicate_code_and_bad_area_or_competency_are_refused(db: Session) -> None:
    program = make_program(db)
    _objective(db, program.id, "IT-1")
    with pytest.raises(InvalidInput) as error:
        _objective(db, program.id, "IT-1")
    assert error.value.errors[0].field == "code"
    with pytest.raises(InvalidInput) as error:
        parse_form(ObjectiveForm, {"area": "cardiology", "competency": "charm", "code": "X",
                                   "text": "Something"})  # fmt: skip
    assert {e.field for e in error.value.errors} == {"area", "competency"}


def test_unlink_and_delete_stay_in_the_program(db: Session) -> None:
    program, other = make_program(db), make_program(db)
    objective = _objective(db, program.id)
    service.link(db, program.id, objective, LinkForm(category="scs_trial"))
    with pytest.raises(NotFound):
        service.delete_objective(db, other.id, objective)
    service.unlink(db, program.id, objective, LinkForm(category="scs_trial"))
    with pytest.raises(NotFound):
        service.unlink(db, program.id, objective, LinkForm(category="scs_trial"))
    service.delete_objective(db, program.id, objective)
    assert service.list_objectives(db, program.id) == []


def test_coverage_is_a_fixed_number_of_queries(db: Session) -> None:
    from sqlalchemy import event

    from painfellow.evaluations import service as evaluations
    from painfellow.evaluations.schemas import FormInput, ItemInput

    program = make_program(db)
    rotation, held = _rotation(db, program.id), _didactic(db, program.id, -3)
    form = evaluations.create_form(db, program.id, FormInput(name="Rotation evaluation"))
    for n in range(8):
        objective = _objective(db, program.id, f"IT-{n}")
        service.link(db, program.id, objective, LinkForm(rotation_id=rotation.id))
        service.link(db, program.id, objective, LinkForm(session_id=held.id))
        service.link(db, program.id, objective, LinkForm(category="scs_trial"))
        item = ItemInput(prompt=f"Item {n}", scale="likert_5", objective_ids=[objective])
        evaluations.add_item(db, program.id, form.id, item)
    statements: list[str] = []
    engine = db.get_bind()

    def count(*args: object) -> None:
        statements.append("x")

    event.listen(engine, "before_cursor_execute", count)
    try:
        service.coverage(db, program.id, now=FIXED_NOW)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) <= 8


def test_pages_edit_and_read_the_framework(client: TestClient, db: Session) -> None:
    program, other = make_program(db), make_program(db)
    coordinator = make_user(db, [(program.id, Role.PROGRAM_COORDINATOR)])
    fellow = make_user(db, [(program.id, Role.FELLOW)])
    rotation = _rotation(db, program.id)
    csrf = sign_in(client, db, coordinator)
    url = f"/programs/{program.id}/curriculum"
    bad_form = {"area": "cardiology", "competency": "patient_care", "code": "", "text": "x"}
    bad = client.post(url, data={"csrf_token": csrf, **bad_form})
    assert bad.status_code == 422
    for field in ("area", "code", "text"):
        assert f'id="{field}-error"' in bad.text
    ok = client.post(url, data={"csrf_token": csrf, "area": "research",
                                "competency": "practice_based_learning_and_improvement",
                                "code": "RS-1", "text": "Complete a scholarly project."},
                     follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303
    (objective,) = service.list_objectives(db, program.id)
    page = client.get(url)
    assert "Lacks experience" in page.text and "(nothing linked)" in page.text
    assert f'action="{url}/{objective.id}/links"' in page.text
    linked = client.post(f"{url}/{objective.id}/links",
                         data={"csrf_token": csrf, "target": f"rotation:{rotation.id}"},
                         follow_redirects=False)  # fmt: skip
    assert linked.status_code == 303
    foreign = _rotation(db, other.id, "Elsewhere")
    target = {"csrf_token": csrf, "target": f"rotation:{foreign.id}"}
    refused = client.post(f"{url}/{objective.id}/links", data=target)
    assert refused.status_code == 422
    assert f'id="target-{objective.id}-error"' in refused.text
    assert "is not a rotation of this program" in refused.text
    missing = client.post(f"{url}/999999/delete", data={"csrf_token": csrf})
    assert missing.status_code == 404
    assert client.get(f"/programs/{other.id}/curriculum").status_code == 403

    sign_in(client, db, fellow)
    read = client.get(url)
    assert read.status_code == 200
    assert "RS-1" in read.text and "Interventional" in read.text
    assert "Add an objective" not in read.text and "/links" not in read.text
    assert client.post(url, data={"csrf_token": "x"}).status_code == 403


def test_dashboard_links_the_curriculum(client: TestClient, db: Session) -> None:
    program = make_program(db)
    director = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    sign_in(client, db, director)
    assert "Curriculum and gaps" in client.get("/dashboard").text
    sign_in(client, db, make_user(db, [(program.id, Role.NURSE)]))
    page = client.get("/dashboard").text
    assert f"/programs/{program.id}/curriculum" in page and "Curriculum and gaps" not in page


def test_demo_curriculum_spans_the_areas_and_shows_gaps(db: Session) -> None:
    from sqlalchemy import select

    from painfellow.curriculum.schemas import AREA_LABELS
    from painfellow.demo.loader import load_demo
    from painfellow.programs.models import Program

    load_demo(db, today=FIXED_NOW.date())
    flagship = db.scalars(select(Program).where(Program.city == "Ann Arbor")).one()
    rows = service.coverage(db, flagship.id, now=FIXED_NOW)
    assert 14 <= len(rows) <= 16
    assert {r.objective.area for r in rows} == set(AREA_LABELS)
    gaps = {r.objective.code for r in rows if r.lacks_experience}
    assert 1 <= len(gaps) <= 2 and "PO-1" in gaps
    interventional = next(r for r in rows if r.objective.code == "IT-1")
    assert interventional.rotation_blocks > 0 and interventional.cases > 0
