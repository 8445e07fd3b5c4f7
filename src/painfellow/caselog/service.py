"""The procedure case log: entry, verification, corrections, progress.

Rules come from painfellow.core.caselog (clinical-reference.md §1 taxonomy, §5 HIPAA Safe
Harbor screen; training-rules.md §1.5/§4 minimums and case-log categories).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.accounts.service import members_with_role
from painfellow.caselog.models import CaseLogEntry, CaseLogMinimum
from painfellow.caselog.schemas import EntryForm
from painfellow.core import caselog as core
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


def _checked(
    session: Session, program_id: int, fellow_id: int, form: EntryForm, today: date
) -> core.CaseLogEntry:
    entry = _to_core(form, fellow_id, today)
    problems = [FieldError(p.field, p.reason) for p in core.validate_entry(entry, today=today)]
    if form.supervisor_user_id is None:
        problems.append(FieldError("supervisor_user_id", "choose the supervising faculty"))
    elif form.supervisor_user_id not in supervisors_of(session, program_id):
        problems.append(FieldError("supervisor_user_id", "is not faculty of this program"))
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


def fellow_progress(
    session: Session, program_id: int, fellow_id: int, *, today: date
) -> list[CategoryStatus]:
    """Counts per category against the program's minimums, and the projected completion at
    the current pace since the start of the academic year, before June 30."""
    entries = _core_entries(my_entries(session, program_id, fellow_id))
    minimums = minimums_of(session, program_id)
    year = academic_year_of(today)
    start, end = date(year, 7, 1), date(year + 1, 6, 30)
    result = []
    for item in core.progress(entries, minimums):
        projection = None
        if item.minimum is not None:
            counts = core.dated_counts(entries, item.category)
            projection = core.projected_completion(counts, item.minimum, start, today, end)
        result.append(CategoryStatus(item.category, item.label, item, projection))
    return result


def program_complications(session: Session, program_id: int) -> core.ComplicationReport:
    rows = list(session.scalars(select(CaseLogEntry).where(CaseLogEntry.program_id == program_id)))
    return core.complication_rates(_core_entries(rows))
