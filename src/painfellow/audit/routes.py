"""The audit log: directors read their program's, admins read everything."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from painfellow.audit.schemas import AuditEntryView
from painfellow.audit.service import list_audit_entries
from painfellow.programs.service import get_program
from painfellow.web.access import AdminOnly, ProgramDirector
from painfellow.web.deps import DbDep
from painfellow.web.templating import render

router = APIRouter()
Limit = Annotated[int, Query(ge=1, le=500)]
BeforeId = Annotated[int | None, Query(ge=1)]


@router.get("/programs/{program_id}/audit", response_class=HTMLResponse, include_in_schema=False)
def program_audit_page(
    request: Request, program_id: int, caller: ProgramDirector, db: DbDep,
    limit: Limit = 100, before_id: BeforeId = None,
) -> Response:  # fmt: skip
    program = get_program(db, program_id)
    entries = list_audit_entries(db, program_id=program_id, limit=limit, before_id=before_id)
    return render(
        request, "audit/list.html", caller.principal, entries=entries, program=program, limit=limit
    )


@router.get("/admin/audit", response_class=HTMLResponse, include_in_schema=False)
def admin_audit_page(
    request: Request, caller: AdminOnly, db: DbDep, limit: Limit = 100, before_id: BeforeId = None
) -> Response:
    entries = list_audit_entries(db, limit=limit, before_id=before_id)
    return render(
        request, "audit/list.html", caller.principal, entries=entries, program=None, limit=limit
    )


@router.get(
    "/api/v1/programs/{program_id}/audit", response_model=list[AuditEntryView], tags=["audit"]
)
def program_audit(
    program_id: int, caller: ProgramDirector, db: DbDep,
    limit: Limit = 100, before_id: BeforeId = None,
) -> list[AuditEntryView]:  # fmt: skip
    get_program(db, program_id)
    entries = list_audit_entries(db, program_id=program_id, limit=limit, before_id=before_id)
    return [AuditEntryView.model_validate(e) for e in entries]


@router.get("/api/v1/audit", response_model=list[AuditEntryView], tags=["audit"])
def all_audit(
    caller: AdminOnly, db: DbDep, limit: Limit = 100, before_id: BeforeId = None
) -> list[AuditEntryView]:
    entries = list_audit_entries(db, limit=limit, before_id=before_id)
    return [AuditEntryView.model_validate(e) for e in entries]
