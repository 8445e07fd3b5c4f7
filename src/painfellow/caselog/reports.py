"""Read-only reports of the case log: counts in the shape of Case Log categories, and the
procedure report a fellow hands to a hospital for credentialing.

Categories and counting rule: core.progress (training-rules.md §1.5 and §9; the ACGME's
own pain Case Log categories are unconfirmed, §4). Queries only: nothing here writes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.accounts.roles import Role
from painfellow.accounts.service import members_with_role
from painfellow.caselog.models import CaseLogEntry
from painfellow.caselog.service import LIVE, _core_entries, minimums_of
from painfellow.core import caselog as core
from painfellow.programs.service import get_program


@dataclass(frozen=True)
class CategoryCounts:
    """One Case Log category of one fellow: cases per fellow role, the cases that count
    toward the minimum, all cases, those still waiting for verification, and the minimum."""

    category: str
    label: str
    by_role: dict[str, int]
    counted: int
    total: int
    pending: int
    minimum: int | None


def _category_counts(
    rows: list[CaseLogEntry], minimums: dict[str, int | None]
) -> list[CategoryCounts]:
    live = [r for r in rows if r.status in LIVE]
    by_role: dict[str, Counter[str]] = {c: Counter() for c in core.CATEGORIES}
    pending: Counter[str] = Counter()
    for row in live:
        category = core.get_procedure(row.procedure_id).category
        by_role[category][row.role] += 1
        pending[category] += row.status == "pending"
    return [
        CategoryCounts(
            category=p.category,
            label=p.label,
            by_role={role: by_role[p.category][role] for role in core.ROLES},
            counted=p.counted,
            total=p.counted + p.not_counted,
            pending=pending[p.category],
            minimum=p.minimum,
        )
        for p in core.progress(_core_entries(live), minimums)
    ]


def _entries(session: Session, program_id: int, fellow_id: int | None = None) -> list[CaseLogEntry]:
    query = select(CaseLogEntry).where(CaseLogEntry.program_id == program_id)
    if fellow_id is not None:
        query = query.where(CaseLogEntry.fellow_user_id == fellow_id)
    return list(session.scalars(query.order_by(CaseLogEntry.id)))


def category_counts(session: Session, program_id: int, fellow_id: int) -> list[CategoryCounts]:
    """A fellow's live cases (pending and verified) per category and role, every category
    listed, with the program's minimum. Same counting rule as the progress page."""
    return _category_counts(
        _entries(session, program_id, fellow_id), minimums_of(session, program_id)
    )


def program_category_counts(
    session: Session, program_id: int
) -> list[tuple[str, list[CategoryCounts]]]:
    """:func:`category_counts` for every fellow of the program, by name."""
    minimums = minimums_of(session, program_id)
    rows = _entries(session, program_id)
    return [
        (name, _category_counts([r for r in rows if r.fellow_user_id == fellow_id], minimums))
        for fellow_id, name in members_with_role(session, program_id, Role.FELLOW).items()
    ]


@dataclass(frozen=True)
class ProcedureSummary:
    """One procedure of a credentialing report. Counts are (code, cases) pairs, most
    frequent first; ``with_complication`` counts cases with any complication."""

    procedure_id: str
    label: str
    category_label: str
    cases: int
    by_role: tuple[tuple[str, int], ...]
    by_guidance: tuple[tuple[str, int], ...]
    by_region: tuple[tuple[str, int], ...]
    with_complication: int
    complications: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class CredentialingReport:
    program_name: str
    fellow_name: str
    generated_on: date
    procedures: tuple[ProcedureSummary, ...]
    cases: int
    by_role: tuple[tuple[str, int], ...]
    with_complication: int
    supervisors: tuple[str, ...]


def _ranked(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def credentialing_report(
    session: Session, program_id: int, fellow_id: int, *, today: date
) -> CredentialingReport:
    """A fellow's verified cases grouped by procedure (taxonomy order) with counts by role,
    guidance and region, complications, and the faculty who supervised them. Only entries
    verified by their supervisor are included: pending, refused or superseded ones are not
    evidence for a hospital."""
    program = get_program(session, program_id)
    fellow = session.get(User, fellow_id)
    rows = [r for r in _entries(session, program_id, fellow_id) if r.status == "verified"]
    by_procedure: dict[str, list[CaseLogEntry]] = {}
    for row in rows:
        by_procedure.setdefault(row.procedure_id, []).append(row)
    procedures = []
    for procedure in core.list_procedures():
        cases = by_procedure.get(procedure.id, [])
        if not cases:
            continue
        events: Counter[str] = Counter()
        for case in cases:
            events.update(c for c in set(case.complications) if c != core.NO_COMPLICATION)
        procedures.append(
            ProcedureSummary(
                procedure_id=procedure.id,
                label=procedure.label,
                category_label=core.CATEGORY_LABELS[procedure.category],
                cases=len(cases),
                by_role=_ranked(Counter(c.role for c in cases)),
                by_guidance=_ranked(Counter(c.guidance for c in cases)),
                by_region=_ranked(
                    Counter(core.effective_region(procedure, c.region) or "—" for c in cases)
                ),
                with_complication=sum(
                    any(x != core.NO_COMPLICATION for x in c.complications) for c in cases
                ),
                complications=_ranked(events),
            )
        )
    supervisor_ids = {r.supervisor_user_id for r in rows} | {r.verified_by_user_id for r in rows}
    supervisors = tuple(
        session.scalars(
            select(User.full_name)
            .where(User.id.in_({i for i in supervisor_ids if i is not None}))
            .order_by(User.full_name)
        )
    )
    return CredentialingReport(
        program_name=program.display_name,
        fellow_name=fellow.full_name if fellow else "",
        generated_on=today,
        procedures=tuple(procedures),
        cases=len(rows),
        by_role=_ranked(Counter(r.role for r in rows)),
        with_complication=sum(p.with_complication for p in procedures),
        supervisors=supervisors,
    )
