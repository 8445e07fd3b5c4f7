"""The procedure case log: entry, verification, corrections, progress.

Rules come from painfellow.core.caselog (clinical-reference.md §1 taxonomy, §5 HIPAA Safe
Harbor screen; training-rules.md §1.5/§4 minimums and case-log categories).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Hashable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.accounts.roles import Role
from painfellow.accounts.service import members_with_role, normalise_email
from painfellow.caselog.models import CaseLogEntry, CaseLogFavourite, CaseLogMinimum
from painfellow.caselog.schemas import EntryForm
from painfellow.core import caselog as core
from painfellow.core.caselog.duplicates import case_key, find_duplicates
from painfellow.core.duty_hours.periods import academic_year_of
from painfellow.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied

LIVE = ("pending", "verified")


@dataclass(frozen=True)
class CategoryStatus:
    category: str
    label: str
    progress: core.CategoryProgress
    projection: core.Projection | None


def supervisors_of(session: Session, program_id: int) -> dict[int, str]:
    """Faculty and directors of the program: the people who may supervise and verify."""
    people = members_with_role(session, program_id, Role.FACULTY)
    people.update(members_with_role(session, program_id, Role.PROGRAM_DIRECTOR))
    return dict(sorted(people.items(), key=lambda item: item[1]))


def primary_cpt(procedure: core.Procedure, region: str | None, guidance: str) -> tuple[str, ...]:
    """The primary code for this region and guidance (add-on and imaging codes excluded)."""
    region = core.effective_region(procedure, region)
    for code in procedure.cpt:
        if code.add_on or code.imaging:
            continue
        if code.regions and region not in code.regions:
            continue
        if code.guidance and guidance not in code.guidance:
            continue
        return (code.code,)
    return ()


def _to_core(form: EntryForm, fellow_id: int, today: date) -> core.CaseLogEntry:
    procedure = core.find_procedure(form.procedure_id)
    cpt = primary_cpt(procedure, form.region, form.guidance) if procedure else ()
    return core.CaseLogEntry(
        procedure_id=form.procedure_id,
        fellow_id=fellow_id,
        performed_on=today,
        role=form.role,
        guidance=form.guidance,
        complications=tuple(form.complications),
        age_band=form.age_band,
        sex=form.sex,
        region=form.region or None,
        levels=tuple(form.levels),
        laterality=form.laterality or None,
        intent=form.intent or None,
        cpt_codes=cpt,
        note=form.note,
    )


def entry_problems(
    form: EntryForm, fellow_id: int, supervisor_ids: Collection[int], today: date
) -> tuple[core.CaseLogEntry, list[FieldError]]:
    """The entry as the core sees it, and every reason to refuse it: the taxonomy's rules
    and the Safe Harbor note screen (core.validate_entry), and a supervisor who is faculty
    or a director of the program. The one check behind a single entry, a correction and
    each row of a CSV import."""
    entry = _to_core(form, fellow_id, today)
    problems = [FieldError(p.field, p.reason) for p in core.validate_entry(entry, today=today)]
    if form.supervisor_user_id is None:
        problems.append(FieldError("supervisor_user_id", "choose the supervising faculty"))
    elif form.supervisor_user_id not in supervisor_ids:
        problems.append(FieldError("supervisor_user_id", "is not faculty of this program"))
    return entry, problems


def _checked(
    session: Session, program_id: int, fellow_id: int, form: EntryForm, today: date
) -> core.CaseLogEntry:
    entry, problems = entry_problems(form, fellow_id, supervisors_of(session, program_id), today)
    if problems:
        raise InvalidInput(problems)
    return entry


def _row(program_id: int, form: EntryForm, entry: core.CaseLogEntry, today: date) -> CaseLogEntry:
    return CaseLogEntry(
        program_id=program_id,
        fellow_user_id=entry.fellow_id,
        supervisor_user_id=form.supervisor_user_id,
        procedure_id=entry.procedure_id,
        role=entry.role,
        guidance=entry.guidance,
        complications=list(entry.complications),
        age_band=entry.age_band,
        sex=entry.sex,
        region=entry.region,
        levels=list(entry.levels),
        laterality=entry.laterality,
        intent=entry.intent,
        cpt_codes=list(entry.cpt_codes),
        note=entry.note,
        logged_on=today,
        status="pending",
    )


def log_entry(
    session: Session, program_id: int, fellow_id: int, form: EntryForm, *, today: date
) -> CaseLogEntry:
    """Record a case; refused with the reason when a field breaks the taxonomy's rules or
    the note looks like a patient identifier (HIPAA Safe Harbor)."""
    entry = _checked(session, program_id, fellow_id, form, today)
    row = _row(program_id, form, entry, today)
    session.add(row)
    session.commit()
    return row


def correct_entry(
    session: Session,
    program_id: int,
    fellow_id: int,
    entry_id: int,
    form: EntryForm,
    *,
    today: date,
) -> CaseLogEntry:
    """A correction is a new pending version; the old one stays, marked superseded."""
    old = _own(session, program_id, fellow_id, entry_id)
    if old.status == "superseded":
        raise Conflict("This entry was already corrected; correct the newest version.")
    entry = _checked(session, program_id, fellow_id, form, today)
    row = _row(program_id, form, entry, today)
    row.supersedes_id = old.id
    row.logged_on = old.logged_on
    old.status = "superseded"
    session.add(row)
    session.commit()
    return row


def verify_entry(
    session: Session, program_id: int, verifier_id: int, entry_id: int, *, now: datetime
) -> CaseLogEntry:
    """Faculty verify only pending entries that name them; a verified entry is locked."""
    entry = session.get(CaseLogEntry, entry_id, with_for_update=True)
    if entry is None or entry.program_id != program_id:
        raise NotFound("No such case-log entry in this program.")
    if entry.supervisor_user_id != verifier_id:
        raise PermissionDenied("Only the supervising faculty named on the entry can verify it.")
    if entry.status != "pending":
        raise Conflict(f"This entry is already {entry.status}.")
    entry.status = "verified"
    entry.verified_by_user_id = verifier_id
    entry.verified_at = now
    session.commit()
    return entry


def _own(session: Session, program_id: int, fellow_id: int, entry_id: int) -> CaseLogEntry:
    entry = session.get(CaseLogEntry, entry_id)
    if entry is None or entry.program_id != program_id or entry.fellow_user_id != fellow_id:
        raise NotFound("No such entry in your case log.")
    return entry


def get_own_entry(session: Session, program_id: int, fellow_id: int, entry_id: int) -> CaseLogEntry:
    return _own(session, program_id, fellow_id, entry_id)


def my_entries(session: Session, program_id: int, fellow_id: int) -> list[CaseLogEntry]:
    return list(
        session.scalars(
            select(CaseLogEntry)
            .where(CaseLogEntry.program_id == program_id, CaseLogEntry.fellow_user_id == fellow_id)
            .order_by(CaseLogEntry.id.desc())
        )
    )


def recent_procedures(session: Session, fellow_id: int, limit: int = 6) -> list[str]:
    """The fellow's most recently logged procedures, newest first, each once."""
    seen: list[str] = []
    for procedure_id in session.scalars(
        select(CaseLogEntry.procedure_id)
        .where(CaseLogEntry.fellow_user_id == fellow_id)
        .order_by(CaseLogEntry.id.desc())
        .limit(100)
    ):
        if procedure_id not in seen:
            seen.append(procedure_id)
        if len(seen) == limit:
            break
    return seen


def _case_key(form: EntryForm, fellow_id: int, today: date) -> Hashable:
    return case_key(
        fellow_id=fellow_id, procedure_id=form.procedure_id, role=form.role,
        guidance=form.guidance, supervisor_id=form.supervisor_user_id, region=form.region,
        levels=form.levels, laterality=form.laterality, intent=form.intent,
        complications=form.complications, age_band=form.age_band, sex=form.sex,
        note=form.note, logged_on=today,
    )  # fmt: skip


# --- favourites ---------------------------------------------------------------------------


def favourite_procedures(session: Session, program_id: int, fellow_id: int) -> list[str]:
    """The procedures the fellow starred, in taxonomy order."""
    starred = set(
        session.scalars(
            select(CaseLogFavourite.procedure_id).where(
                CaseLogFavourite.program_id == program_id,
                CaseLogFavourite.fellow_user_id == fellow_id,
            )
        )
    )
    return [p.id for p in core.list_procedures() if p.id in starred]


def set_favourite(
    session: Session, program_id: int, fellow_id: int, procedure_id: str, *, starred: bool
) -> None:
    """Star or unstar a procedure of the taxonomy (idempotent)."""
    procedure = core.find_procedure(procedure_id)
    if procedure is None:
        raise InvalidInput([FieldError("procedure_id", "is not a procedure of the taxonomy")])
    row = session.scalar(
        select(CaseLogFavourite).where(
            CaseLogFavourite.program_id == program_id,
            CaseLogFavourite.fellow_user_id == fellow_id,
            CaseLogFavourite.procedure_id == procedure.id,
        )
    )
    if starred and row is None:
        session.add(
            CaseLogFavourite(
                program_id=program_id, fellow_user_id=fellow_id, procedure_id=procedure.id
            )
        )
    elif not starred and row is not None:
        session.delete(row)
    session.commit()


def quick_picks(
    session: Session, program_id: int, fellow_id: int, limit: int = 6
) -> tuple[list[str], list[str]]:
    """(favourites, recent procedures not already among the favourites) for the entry page:
    favourites first, then recent."""
    favourites = favourite_procedures(session, program_id, fellow_id)
    recent = [p for p in recent_procedures(session, fellow_id, limit + len(favourites))
              if p not in favourites][:limit]  # fmt: skip
    return favourites, recent


def last_entry_for(session: Session, fellow_id: int, procedure_id: str) -> CaseLogEntry | None:
    return session.scalar(
        select(CaseLogEntry)
        .where(CaseLogEntry.fellow_user_id == fellow_id, CaseLogEntry.procedure_id == procedure_id)
        .order_by(CaseLogEntry.id.desc())
        .limit(1)
    )


def verification_queue(session: Session, program_id: int, faculty_id: int) -> list[CaseLogEntry]:
    return list(
        session.scalars(
            select(CaseLogEntry)
            .where(
                CaseLogEntry.program_id == program_id,
                CaseLogEntry.supervisor_user_id == faculty_id,
                CaseLogEntry.status == "pending",
            )
            .order_by(CaseLogEntry.id)
        )
    )


def minimums_of(session: Session, program_id: int) -> dict[str, int | None]:
    """The program's minimum per category; None where the program set none (no ACGME
    minimum is confirmed, training-rules.md §1.5)."""
    values: dict[str, int | None] = dict.fromkeys(core.CATEGORIES)
    for row in session.scalars(
        select(CaseLogMinimum).where(CaseLogMinimum.program_id == program_id)
    ):
        values[row.category] = row.minimum
    return values


def set_minimums(session: Session, program_id: int, values: dict[str, int | None]) -> None:
    unknown = [c for c in values if c not in core.CATEGORIES]
    bad = [c for c, v in values.items() if v is not None and not 0 <= v <= 10_000]
    if unknown or bad:
        raise InvalidInput(
            [
                FieldError(
                    c, "is not a category" if c in unknown else "must be between 0 and 10000"
                )
                for c in unknown + bad
            ]
        )
    session.execute(delete(CaseLogMinimum).where(CaseLogMinimum.program_id == program_id))
    session.add_all(
        CaseLogMinimum(program_id=program_id, category=c, minimum=v)
        for c, v in values.items()
        if v is not None
    )
    session.commit()


def _core_entries(rows: list[CaseLogEntry]) -> list[core.CaseLogEntry]:
    return [
        core.CaseLogEntry(
            procedure_id=r.procedure_id,
            fellow_id=r.fellow_user_id,
            performed_on=r.logged_on,
            role=r.role,
            guidance=r.guidance,
            complications=tuple(r.complications),
            age_band=r.age_band,
            sex=r.sex,
            region=r.region,
            levels=tuple(r.levels),
            laterality=r.laterality,
            intent=r.intent,
            cpt_codes=tuple(r.cpt_codes),
        )
        for r in rows
        if r.status in LIVE
    ]


def training_year(today: date) -> tuple[date, date]:
    """First and last day of the academic year holding ``today`` (July 1 to June 30), the
    window of the progress charts."""
    year = academic_year_of(today)
    return date(year, 7, 1), date(year + 1, 6, 30)


def fellow_progress(
    session: Session, program_id: int, fellow_id: int, *, today: date
) -> list[CategoryStatus]:
    """Counts per category against the program's minimums, and the projected completion at
    the current pace since the start of the academic year, before June 30."""
    entries = _core_entries(my_entries(session, program_id, fellow_id))
    minimums = minimums_of(session, program_id)
    start, end = training_year(today)
    result = []
    for item in core.progress(entries, minimums):
        projection = None
        if item.minimum is not None:
            counts = core.dated_counts(entries, item.category)
            projection = core.projected_completion(counts, item.minimum, start, today, end)
        result.append(CategoryStatus(item.category, item.label, item, projection))
    return result


def program_progress(
    session: Session, program_id: int, *, today: date
) -> dict[int, list[CategoryStatus]]:
    """Each fellow's progress against the program's minimums (the categories that have a
    minimum), with the projected completion, for the director (issue 5: "fellows and the
    director see progress against them, and projected completion")."""
    return {
        fellow_id: [
            s
            for s in fellow_progress(session, program_id, fellow_id, today=today)
            if s.progress.minimum is not None
        ]
        for fellow_id in members_with_role(session, program_id, Role.FELLOW)
    }


def program_complications(session: Session, program_id: int) -> core.ComplicationReport:
    rows = list(session.scalars(select(CaseLogEntry).where(CaseLogEntry.program_id == program_id)))
    return core.complication_rates(_core_entries(rows))


# --- CSV import -------------------------------------------------------------------------

IMPORT_COLUMNS = (
    "procedure_id",
    "role",
    "guidance",
    "supervisor_email",
    "complications",
    "age_band",
    "sex",
    "region",
    "levels",
    "laterality",
    "intent",
    "note",
)
#: Columns holding several values, separated by ";".
IMPORT_LIST_COLUMNS = ("complications", "levels")
MAX_IMPORT_BYTES = 1024 * 1024  # 1 MB: a few thousand rows, far more than a year of cases
MAX_IMPORT_ROWS = 2000
#: Openings of files that are often picked by mistake instead of the CSV export.
_NOT_CSV = {
    b"%PDF": "a PDF document",
    b"PK\x03\x04": "a zip archive or Excel workbook (.xlsx)",
    b"\xd0\xcf\x11\xe0": "an Excel 97-2003 workbook (.xls)",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
}


@dataclass(frozen=True)
class RowProblem:
    """Why one row of an import is refused: its line in the file, the column, the reason."""

    line: int
    field: str
    reason: str


@dataclass(frozen=True)
class ImportResult:
    rows: int
    problems: tuple[RowProblem, ...]
    imported: int
    dry_run: bool


def _refuse(reason: str) -> InvalidInput:
    return InvalidInput([FieldError("file", reason)])


def _csv_rows(data: bytes) -> list[tuple[int, list[str]]]:
    """The data rows of an import file with their line numbers; the file is refused as a
    whole when it is not UTF-8 CSV text with the expected header, or is too large."""
    if len(data) > MAX_IMPORT_BYTES:
        raise _refuse(f"the file is larger than 1 MB ({len(data):,} bytes); split it")
    for magic, kind in _NOT_CSV.items():
        if data.startswith(magic):
            raise _refuse(f"the file is {kind}, not CSV; save the spreadsheet as 'CSV UTF-8'")
    if b"\x00" in data:
        raise _refuse("the file is binary, not CSV text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refuse("the file is not UTF-8 text; save the spreadsheet as 'CSV UTF-8'") from None
    if any(ord(ch) < 32 and ch not in "\t\r\n" for ch in text):
        raise _refuse("the file contains control characters, so it is not CSV text")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        header = next(reader, None)
        if header is None:
            raise _refuse("the file is empty")
        if [h.strip().lower() for h in header] != list(IMPORT_COLUMNS):
            raise _refuse("the header row must be exactly: " + ",".join(IMPORT_COLUMNS))
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue  # blank lines, e.g. at the end of a spreadsheet export
            if len(rows) == MAX_IMPORT_ROWS:
                raise _refuse(f"the file has more than {MAX_IMPORT_ROWS:,} rows; split it")
            rows.append((reader.line_num, row))
    except csv.Error as error:
        raise _refuse(f"the file is not valid CSV (line {reader.line_num}: {error})") from None
    if not rows:
        raise _refuse("the file has a header but no cases")
    return rows


def _row_values(row: list[str]) -> dict[str, Any]:
    values: dict[str, Any] = {c: v.strip() for c, v in zip(IMPORT_COLUMNS, row, strict=True)}
    for column in IMPORT_LIST_COLUMNS:
        values[column] = [v.strip() for v in values[column].split(";") if v.strip()]
    for column in ("region", "laterality", "intent"):
        values[column] = values[column] or None
    return values


def import_entries(
    session: Session,
    program_id: int,
    fellow_id: int,
    data: bytes,
    *,
    today: date,
    dry_run: bool,
) -> ImportResult:
    """Import a fellow's cases from CSV (columns :data:`IMPORT_COLUMNS`, several values
    separated by ";") as pending entries for their supervisors to verify.

    Each row passes the same check as a single entry (:func:`entry_problems`); the
    supervisor is found by email among the program's faculty and directors. A row that
    repeats an earlier row of the file (painfellow.core.caselog.duplicates) is bad too,
    reported with both line numbers. Every bad row
    is reported; if any row is bad, or on a dry run, nothing is stored (one transaction,
    all or nothing). Raises InvalidInput (field "file") when the file itself is refused.
    """
    rows = _csv_rows(data)
    supervisors = supervisors_of(session, program_id)
    by_email = {
        email: user_id
        for user_id, email in session.execute(
            select(User.id, User.email).where(User.id.in_(supervisors))
        )
    }
    problems: list[RowProblem] = []
    new_rows: list[CaseLogEntry] = []
    keys: list[tuple[int, Hashable]] = []
    for line, cells in rows:
        if len(cells) != len(IMPORT_COLUMNS):
            reason = f"has {len(cells)} columns, expected {len(IMPORT_COLUMNS)}"
            problems.append(RowProblem(line, "row", reason))
            continue
        values = _row_values(cells)
        email = normalise_email(values.pop("supervisor_email"))
        values["supervisor_user_id"] = by_email.get(email)
        row_problems: list[FieldError] = []
        if not email:
            row_problems.append(FieldError("supervisor_email", "required"))
        elif email not in by_email:
            reason = f"{email} is not faculty or a director of this program"
            row_problems.append(FieldError("supervisor_email", reason))
        try:
            form = EntryForm.model_validate(values)
        except ValidationError as error:
            row_problems += [
                FieldError(".".join(str(part) for part in e["loc"]) or "row", e["msg"])
                for e in error.errors()
            ]
        else:
            keys.append((line, _case_key(form, fellow_id, today)))
            entry, checked = entry_problems(form, fellow_id, supervisors, today)
            if row_problems:  # the supervisor is already reported by email
                checked = [p for p in checked if p.field != "supervisor_user_id"]
            row_problems += checked
            if not row_problems:
                new_rows.append(_row(program_id, form, entry, today))
        problems += [RowProblem(line, p.field, p.message) for p in row_problems]
    for dup in find_duplicates(keys):
        reason = (
            f"repeats the case on line {dup.first_line} (same procedure, role, guidance, "
            "supervisor, region, levels, side, intent, complications, age band, sex and "
            "note); remove one, or tell them apart in the note"
        )
        problems.append(RowProblem(dup.line, "row", reason))
    problems.sort(key=lambda p: p.line)
    if problems or dry_run:
        return ImportResult(len(rows), tuple(problems), 0, dry_run)
    session.add_all(new_rows)
    session.commit()
    return ImportResult(len(rows), (), len(new_rows), dry_run)
