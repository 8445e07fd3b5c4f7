"""Program directory, public profiles, and profile editing by the program's managers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel

from painfellow.accounts.roles import Role
from painfellow.accounts.service import list_program_members
from painfellow.discovery.routes_picks import star_state
from painfellow.errors import InvalidInput
from painfellow.programs import service
from painfellow.programs.schemas import ProgramCreate, ProgramSearch, ProgramUpdate, ProgramView
from painfellow.programs.vocabulary import ELIGIBLE_PRIOR_SPECIALTIES, PROGRAM_FEATURES, US_STATES
from painfellow.web.access import (
    PROGRAM_DIRECTOR,
    PROGRAM_MANAGERS,
    AdminOnly,
    ProgramManager,
    Public,
)
from painfellow.web.deps import DbDep
from painfellow.web.forms import errors_by_field, parse_form
from painfellow.web.templating import render

router = APIRouter()
SearchQuery = Annotated[ProgramSearch, Query()]

VOCABULARY: dict[str, Any] = {
    "specialties": ELIGIBLE_PRIOR_SPECIALTIES,
    "features": PROGRAM_FEATURES,
    "states": US_STATES,
}


class ProgramPage(BaseModel):
    items: list[ProgramView]
    total: int
    page: int
    per_page: int


@router.get("/programs", response_class=HTMLResponse, include_in_schema=False)
def directory_page(request: Request, caller: Public, db: DbDep, search: SearchQuery) -> Response:
    programs, total = service.search_programs(db, search)
    template = (
        "programs/_results.html" if request.headers.get("hx-request") else "programs/directory.html"
    )
    return render(
        request, template, caller.principal,
        programs=programs, total=total, search=search, **VOCABULARY,
    )  # fmt: skip


@router.get("/programs/{program_id}", response_class=HTMLResponse, include_in_schema=False)
def profile_page(request: Request, program_id: int, caller: Public, db: DbDep) -> Response:
    program = service.get_program(db, program_id)
    return render(
        request, "programs/profile.html", caller.principal, program=program,
        can_edit=PROGRAM_MANAGERS.rule.admits(caller.principal, program_id),
        can_read_audit=PROGRAM_DIRECTOR.rule.admits(caller.principal, program_id),
        starred=star_state(db, caller.principal, program_id), **VOCABULARY,
    )  # fmt: skip


@router.get("/programs/{program_id}/edit", response_class=HTMLResponse, include_in_schema=False)
def edit_page(request: Request, program_id: int, caller: ProgramManager, db: DbDep) -> Response:
    program = service.get_program(db, program_id)
    values = ProgramView.model_validate(program).model_dump()
    return render(
        request, "programs/edit.html", caller.principal,
        program=program, values=values, errors={}, **VOCABULARY,
    )  # fmt: skip


@router.post("/programs/{program_id}/edit", include_in_schema=False)
async def edit_submit(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep
) -> Response:
    program = service.get_program(db, program_id)
    values = _program_form_values(await request.form())
    try:
        service.update_program(db, program_id, parse_form(ProgramUpdate, values))
    except InvalidInput as error:
        return render(
            request, "programs/edit.html", caller.principal, 422,
            program=program, values=values, errors=errors_by_field(error), **VOCABULARY,
        )  # fmt: skip
    return RedirectResponse(f"/programs/{program_id}?saved=1", status_code=303)


CONTACT_FIELDS = ("name", "title", "email", "phone")


def _program_form_values(form: Any) -> dict[str, Any]:
    """Flatten the HTML form (checkbox lists, comma-separated tracks, contact rows)."""
    values: dict[str, Any] = {
        key: form[key]
        for key in (
            "institution", "name", "city", "state", "latitude", "longitude",
            "positions_per_year", "length_months", "website_text", "version",
            "didactic_attendance_target",
        )
        if key in form
    }  # fmt: skip
    values["tracks"] = [t.strip() for t in str(form.get("tracks", "")).split(",") if t.strip()]
    values["accepted_specialties"] = form.getlist("accepted_specialties")
    values["features"] = form.getlist("features")
    contacts = []
    for i in range(3):
        row = {
            f: str(form.get(f"contact_{i}_{f}", "")).strip()
            for f in ("name", "title", "email", "phone")
        }
        if any(row.values()):
            contacts.append({**row, "email": row["email"] or None})
    values["contacts"] = contacts
    return values


# ---- API -----------------------------------------------------------------------------------


@router.get("/api/v1/programs", response_model=ProgramPage, tags=["programs"])
def list_programs(caller: Public, db: DbDep, search: SearchQuery) -> ProgramPage:
    programs, total = service.search_programs(db, search)
    return ProgramPage(
        items=[ProgramView.model_validate(p) for p in programs],
        total=total,
        page=search.page,
        per_page=search.per_page,
    )


@router.get("/api/v1/programs/{program_id}", response_model=ProgramView, tags=["programs"])
def read_program(program_id: int, caller: Public, db: DbDep) -> ProgramView:
    return ProgramView.model_validate(service.get_program(db, program_id))


@router.put("/api/v1/programs/{program_id}", response_model=ProgramView, tags=["programs"])
def update_program(
    program_id: int, body: ProgramUpdate, caller: ProgramManager, db: DbDep
) -> ProgramView:
    return ProgramView.model_validate(service.update_program(db, program_id, body))


@router.post("/api/v1/programs", response_model=ProgramView, status_code=201, tags=["programs"])
def create_program(body: ProgramCreate, caller: AdminOnly, db: DbDep) -> ProgramView:
    return ProgramView.model_validate(service.create_program(db, body))


class MemberView(BaseModel):
    user_id: int
    full_name: str
    email: str
    role: Role


@router.get(
    "/api/v1/programs/{program_id}/members", response_model=list[MemberView], tags=["programs"]
)
def program_members(program_id: int, caller: ProgramManager, db: DbDep) -> list[MemberView]:
    service.get_program(db, program_id)
    return [
        MemberView(user_id=u.id, full_name=u.full_name, email=u.email, role=Role(role))
        for u, role in list_program_members(db, program_id)
    ]
