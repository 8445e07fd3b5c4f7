from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.errors import InvalidInput
from painfellow.research import service
from painfellow.research.models import ResearchProject, ScholarlyWork
from painfellow.research.schemas import ProjectForm, WorkForm
from tests.builders import make_program, make_user, sign_in


def test_doi_is_checked_for_form_and_urls_are_normalised() -> None:
    work = WorkForm(kind="publication", title="T", on_date=date(2026, 1, 5),
                    doi="https://doi.org/10.1093/pm/pnaa123")  # fmt: skip
    assert work.doi == "10.1093/pm/pnaa123"
    with pytest.raises(ValueError, match="DOI"):
        WorkForm(kind="publication", title="T", on_date=date(2026, 1, 5), doi="pnaa123")


def test_irb_number_required_once_submitted(db: Session) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)])
    with pytest.raises(InvalidInput) as error:
        form = ProjectForm(title="Genicular RFA outcomes", irb_status="approved")
        service.add_project(db, program.id, fellow.id, form)
    assert error.value.errors[0].field == "irb_number"
    assert db.scalars(select(ResearchProject)).all() == []


def test_amount_only_for_grants_and_project_must_be_own(db: Session) -> None:
    program = make_program(db)
    fellow, other = (make_user(db, [(program.id, Role.FELLOW)]) for _ in range(2))
    theirs = service.add_project(db, program.id, other.id,
                                 ProjectForm(title="Other", irb_status="planned"))  # fmt: skip
    with pytest.raises(InvalidInput) as error:
        service.add_work(db, program.id, fellow.id, WorkForm(
            kind="poster", title="P", on_date=date(2026, 3, 1), amount_usd=100,
            project_id=theirs.id))  # fmt: skip
    assert {e.field for e in error.value.errors} == {"amount_usd", "project_id"}
    assert db.scalars(select(ScholarlyWork)).all() == []


def test_cv_list_groups_by_kind(db: Session) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)], full_name="Dr. Scholar")
    service.add_work(
        db,
        program.id,
        fellow.id,
        WorkForm(
            kind="publication",
            title="Cooled RFA of the knee",
            venue="Pain Medicine",
            authors="Scholar A, Mentor B",
            on_date=date(2026, 5, 1),
            doi="10.1093/pm/pnab001",
        ),
    )
    service.add_work(db, program.id, fellow.id, WorkForm(
        kind="grant", title="Pilot grant", venue="Society", on_date=date(2026, 2, 1),
        amount_usd=25000))  # fmt: skip
    text = service.cv_list(service.scholarly_record(db, program.id, fellow.id), "Dr. Scholar")
    assert "Publications\n1. Scholar A, Mentor B. Cooled RFA of the knee. Pain Medicine." in text
    assert "doi:10.1093/pm/pnab001" in text
    assert "Grants\n1. Pilot grant. Society. 2026-02-01. $25,000" in text


def test_fellow_pages_and_program_csv(client: TestClient, db: Session) -> None:
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)], full_name="=HYPERLINK(1)")
    csrf = sign_in(client, db, fellow)
    bad = client.post(f"/programs/{program.id}/research/works", data={
        "csrf_token": csrf, "kind": "publication", "title": "", "on_date": "2026-13-01",
        "doi": "nope"})  # fmt: skip
    assert bad.status_code == 422
    for field in ("title-error", "on_date-error", "doi-error"):
        assert f'id="{field}"' in bad.text
    ok = client.post(f"/programs/{program.id}/research/works", data={
        "csrf_token": csrf, "kind": "poster", "title": "=cmd|' /C calc'!A0",
        "on_date": "2026-04-01", "doi": "", "amount_usd": "", "project_id": ""},
        follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303
    bad_milestone = client.post(f"/programs/{program.id}/research/projects", data={
        "csrf_token": csrf, "title": "Study", "irb_status": "planned",
        "milestones": "soon: write protocol"})  # fmt: skip
    assert bad_milestone.status_code == 422 and "line 1" in bad_milestone.text
    assert client.get(f"/programs/{program.id}/research/cv.txt").status_code == 200
    sign_in(client, db, make_user(db, [(program.id, Role.PROGRAM_COORDINATOR)]))
    report = client.get(f"/programs/{program.id}/research/report.csv")
    assert report.status_code == 200
    rows = list(csv.reader(io.StringIO(report.text)))
    assert rows[1][0] == "'=HYPERLINK(1)" and rows[1][2].startswith("'=cmd")
