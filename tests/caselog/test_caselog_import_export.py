from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.caselog import reports, service
from painfellow.caselog.models import CaseLogEntry
from painfellow.caselog.pdf import render_pdf
from painfellow.caselog.schemas import EntryForm
from painfellow.errors import InvalidInput
from tests.builders import FIXED_NOW, make_program, make_user, sign_in

TODAY = FIXED_NOW.date()
HEADER = ",".join(service.IMPORT_COLUMNS)


def _team(db: Session):
    program = make_program(db)
    fellow = make_user(db, [(program.id, Role.FELLOW)], full_name="Ada Fellow")
    faculty = make_user(
        db, [(program.id, Role.FACULTY)], email="Faculty.One@example.org", full_name="Dr Faculty"
    )
    return program, fellow, faculty


def _row(email: str = "faculty.one@example.org", **changes: str) -> str:
    values = {
        "procedure_id": "esi_transforaminal",
        "role": "performed_supervised",
        "guidance": "fluoroscopy",
        "supervisor_email": email,
        "complications": "none",
        "age_band": "50-59",
        "sex": "female",
        "region": "lumbar",
        "levels": "L4-L5;L5-S1",
        "laterality": "left",
        "intent": "",
        "note": "good spread",
    }
    values.update(changes)
    out = io.StringIO()
    csv.writer(out).writerow([values[c] for c in service.IMPORT_COLUMNS])
    return out.getvalue().rstrip("\r\n")


def _file(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _count(db: Session) -> int:
    return db.scalar(select(func.count(CaseLogEntry.id))) or 0


def _import(db: Session, program_id: int, fellow_id: int, data: bytes, dry_run: bool = False):
    return service.import_entries(db, program_id, fellow_id, data, today=TODAY, dry_run=dry_run)


def test_dry_run_of_a_valid_file_imports_nothing(db: Session) -> None:
    program, fellow, _ = _team(db)
    result = _import(
        db, program.id, fellow.id, _file(_row(), _row(note="second case")), dry_run=True
    )
    assert (result.rows, result.problems, result.imported) == (2, (), 0)
    assert _count(db) == 0


def test_every_bad_row_is_reported_and_nothing_is_imported(db: Session) -> None:
    program, fellow, _ = _team(db)
    data = _file(
        _row(),
        _row(laterality=""),
        _row(email="stranger@example.org"),
        _row(note="third case"),
        _row(note="Pt John Smith, MRN 48213377"),
        _row(complications="none;pdph", role="chief"),
    )
    for dry_run in (True, False):
        result = _import(db, program.id, fellow.id, data, dry_run=dry_run)
        found = {(p.line, p.field) for p in result.problems}
        assert {(3, "laterality"), (4, "supervisor_email"), (6, "note"), (7, "role")} <= found
        assert (7, "complications") in found
        assert not any(line in (2, 5) for line, _ in found)
        assert result.imported == 0
    assert _count(db) == 0


def test_a_note_that_looks_like_an_identifier_refuses_its_row(db: Session) -> None:
    program, fellow, _ = _team(db)
    result = _import(db, program.id, fellow.id, _file(_row(note="DOB 03/14/1961")))
    ((line, field),) = {(p.line, p.field) for p in result.problems}
    assert (line, field) == (2, "note")
    assert _count(db) == 0


def test_a_valid_file_imports_every_row_as_pending(db: Session) -> None:
    program, fellow, faculty = _team(db)
    rows = [_row(note=f"case {i}") for i in range(3)] + [
        _row(
            procedure_id="trigger_point_injection",
            guidance="landmark",
            levels="",
            laterality="",
            region="",
        )
    ]
    result = _import(db, program.id, fellow.id, _file(*rows))
    assert result.problems == ()
    assert result.imported == 4
    entries = service.my_entries(db, program.id, fellow.id)
    assert len(entries) == 4
    assert {(e.status, e.supervisor_user_id) for e in entries} == {("pending", faculty.id)}
    assert entries[-1].levels == ["L4-L5", "L5-S1"]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"%PDF-1.7\n1 0 obj\n<< >>\nendobj\n", "PDF"),
        (b"\x01\x02\x03\xff\xfe binary", "UTF-8"),
        (b"procedure,role\nx,y\n", "header row"),
        (_file(*[_row()] * (service.MAX_IMPORT_ROWS + 1)), "more than 2,000 rows"),
        (HEADER.encode() + b"\n", "no cases"),
    ],
)
def test_files_that_are_not_the_expected_csv_are_refused(
    db: Session, data: bytes, reason: str
) -> None:
    program, fellow, _ = _team(db)
    with pytest.raises(InvalidInput) as error:
        _import(db, program.id, fellow.id, data)
    assert reason in error.value.errors[0].message


def _upload(client: TestClient, csrf: str, program_id: int, data: bytes, action: str):
    return client.post(
        f"/programs/{program_id}/case-log/import",
        data={"csrf_token": csrf, "action": action},
        files={"file": ("cases.csv", data, "text/csv")},
        follow_redirects=False,
    )


def test_import_page_checks_then_imports(client: TestClient, db: Session) -> None:
    program, fellow, _ = _team(db)
    csrf = sign_in(client, db, fellow)
    page = client.get(f"/programs/{program.id}/case-log/import")
    assert page.status_code == 200 and 'type="file"' in page.text
    bad = _upload(client, csrf, program.id, _file(_row(), _row(sex="x")), "check")
    assert bad.status_code == 422 and "<td>3</td><td>sex</td>" in bad.text
    checked = _upload(client, csrf, program.id, _file(_row(), _row(note="case 2")), "check")
    assert checked.status_code == 200 and "All 2 rows are valid" in checked.text
    assert _count(db) == 0
    done = _upload(client, csrf, program.id, _file(_row(), _row(note="case 2")), "import")
    assert done.status_code == 303 and done.headers["location"].endswith("?imported=2")
    assert "2 cases imported" in client.get(done.headers["location"]).text
    assert _count(db) == 2


@pytest.mark.parametrize(
    ("data", "status", "reason"),
    [
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", 422, "PDF"),
        (bytes(range(256)) * 4, 422, "binary"),
        (b"a,b,c\n1,2,3\n", 422, "header row must be exactly"),
        (_file(*[_row()] * 12_000), 413, "larger than 1 MB"),
    ],
)
def test_upload_refused_with_the_reason(
    client: TestClient, db: Session, data: bytes, status: int, reason: str
) -> None:
    program, fellow, _ = _team(db)
    csrf = sign_in(client, db, fellow)
    response = _upload(client, csrf, program.id, data, "import")
    assert response.status_code == status and reason in response.text
    assert _count(db) == 0


def _log(db: Session, program_id: int, fellow_id: int, faculty_id: int, **changes: object):
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
    entry = service.log_entry(
        db, program_id, fellow_id, EntryForm.model_validate(values), today=TODAY
    )
    return entry


def test_category_export_counts_by_role(client: TestClient, db: Session) -> None:
    program, fellow, faculty = _team(db)
    service.set_minimums(db, program.id, {"epidural_transforaminal": 10})
    first = _log(db, program.id, fellow.id, faculty.id)
    service.verify_entry(db, program.id, faculty.id, first.id, now=FIXED_NOW)
    _log(db, program.id, fellow.id, faculty.id, role="observed")
    _log(db, program.id, fellow.id, faculty.id, role="taught")
    counts = {c.category: c for c in reports.category_counts(db, program.id, fellow.id)}
    tfesi = counts["epidural_transforaminal"]
    assert (tfesi.counted, tfesi.total, tfesi.pending, tfesi.minimum) == (2, 3, 2, 10)
    assert tfesi.by_role["observed"] == 1 and tfesi.by_role["taught"] == 1
    sign_in(client, db, fellow)
    response = client.get(f"/programs/{program.id}/case-log/acgme.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == len(counts)
    (row,) = [r for r in rows if r["category"] == "epidural_transforaminal"]
    assert (row["Observed"], row["counted_total"], row["all_cases"], row["minimum"]) == (
        "1",
        "2",
        "3",
        "10",
    )


def test_program_export_has_a_row_per_fellow_and_category(client: TestClient, db: Session) -> None:
    program, fellow, faculty = _team(db)
    make_user(db, [(program.id, Role.FELLOW)], full_name="Bo Second")
    _log(db, program.id, fellow.id, faculty.id)
    sign_in(client, db, make_user(db, [(program.id, Role.PROGRAM_COORDINATOR)]))
    response = client.get(f"/programs/{program.id}/case-log/program/acgme.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    per_fellow = len(reports.category_counts(db, program.id, fellow.id))
    assert len(rows) == 2 * per_fellow
    (row,) = [
        r
        for r in rows
        if r["fellow"] == "Ada Fellow" and r["category"] == "epidural_transforaminal"
    ]
    assert row["counted_total"] == "1"
    assert (
        "/case-log/program/acgme.csv" in client.get(f"/programs/{program.id}/case-log/program").text
    )


def test_credentialing_report_has_only_verified_cases(client: TestClient, db: Session) -> None:
    program, fellow, faculty = _team(db)
    verified = _log(db, program.id, fellow.id, faculty.id, complications=["vasovagal"])
    service.verify_entry(db, program.id, faculty.id, verified.id, now=FIXED_NOW)
    _log(db, program.id, fellow.id, faculty.id)  # pending: left out
    report = reports.credentialing_report(db, program.id, fellow.id, today=TODAY)
    assert (report.cases, report.with_complication, report.fellow_name) == (1, 1, "Ada Fellow")
    (summary,) = report.procedures
    assert summary.by_role == (("performed_supervised", 1),)
    assert summary.by_region == (("lumbar", 1),) and summary.complications == (("vasovagal", 1),)
    assert report.supervisors == ("Dr Faculty",)
    sign_in(client, db, fellow)
    response = client.get(f"/programs/{program.id}/case-log/report.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF") and b"%%EOF" in response.content[-32:]


def test_report_template_names_the_people_and_the_rule(client: TestClient, db: Session) -> None:
    program, fellow, faculty = _team(db)
    entry = _log(db, program.id, fellow.id, faculty.id)
    service.verify_entry(db, program.id, faculty.id, entry.id, now=FIXED_NOW)
    report = reports.credentialing_report(db, program.id, fellow.id, today=TODAY)
    from painfellow.caselog.routes import VOCABULARY

    templates = client.app.state.templates  # type: ignore[attr-defined]
    html = templates.get_template("caselog/report_pdf.html").render(report=report, **VOCABULARY)
    for text in ("Ada Fellow", "Dr Faculty", program.display_name, "Only case-log entries"):
        assert text in html
    assert TODAY.isoformat() in html
    assert render_pdf(html).startswith(b"%PDF")


def test_a_fellow_cannot_import_or_export_in_another_program(
    client: TestClient, db: Session
) -> None:
    program, fellow, _ = _team(db)
    other = make_program(db)
    csrf = sign_in(client, db, fellow)
    for path in ("acgme.csv", "report.pdf", "import", "program/acgme.csv"):
        assert client.get(f"/programs/{other.id}/case-log/{path}").status_code == 403
    assert client.get(f"/programs/{program.id}/case-log/program/acgme.csv").status_code == 403
    assert _upload(client, csrf, other.id, _file(_row()), "import").status_code == 403
    assert _count(db) == 0


def test_exports_cover_only_the_callers_own_cases(client: TestClient, db: Session) -> None:
    program, fellow, faculty = _team(db)
    classmate = make_user(db, [(program.id, Role.FELLOW)])
    entry = _log(db, program.id, classmate.id, faculty.id)
    service.verify_entry(db, program.id, faculty.id, entry.id, now=FIXED_NOW)
    sign_in(client, db, fellow)
    rows = list(
        csv.DictReader(io.StringIO(client.get(f"/programs/{program.id}/case-log/acgme.csv").text))
    )
    assert all(r["all_cases"] == "0" for r in rows)
    assert reports.credentialing_report(db, program.id, fellow.id, today=TODAY).cases == 0


def test_duplicate_rows_are_reported_with_both_lines_and_refuse_the_import(db: Session) -> None:
    program, fellow, _ = _team(db)
    data = _file(
        _row(),
        _row(procedure_id="trigger_point_injection", guidance="landmark", levels="",
             laterality="", region=""),
        _row(levels="L5-S1;L4-L5", note="  Good   SPREAD "),  # same case: order, case, spaces
        _row(laterality="right"),  # another side: a different case
    )  # fmt: skip
    for dry_run in (True, False):
        result = _import(db, program.id, fellow.id, data, dry_run=dry_run)
        assert [(p.line, p.field) for p in result.problems] == [(4, "row")]
        assert "repeats the case on line 2" in result.problems[0].reason
        assert result.imported == 0
    assert _count(db) == 0


def test_duplicate_rows_show_both_line_numbers_in_the_dry_run_page(
    client: TestClient, db: Session
) -> None:
    program, fellow, _ = _team(db)
    csrf = sign_in(client, db, fellow)
    response = _upload(client, csrf, program.id, _file(_row(), _row()), "check")
    assert response.status_code == 422
    assert "<td>3</td>" in response.text and "repeats the case on line 2" in response.text
    assert _count(db) == 0
