"""Programs an applicant picked out of a search: favourites, and a side-by-side comparison."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from painfellow.accounts.principal import Principal
from painfellow.discovery import favourites, usmap
from painfellow.discovery.compare import Comparison, compare_programs
from painfellow.discovery.schemas import (
    COMPONENT_LABELS,
    FIT_FIELDS,
    FORMULA,
    MAX_COMPARED,
    CompareParams,
    FitParams,
    fit_pairs,
)
from painfellow.discovery.service import fit_scores
from painfellow.errors import InvalidInput
from painfellow.programs.service import get_program
from painfellow.programs.vocabulary import ELIGIBLE_PRIOR_SPECIALTIES, PROGRAM_FEATURES, US_STATES
from painfellow.web.access import OWN_APPLICANT, OwnApplicant, Public
from painfellow.web.authz import Caller
from painfellow.web.deps import DbDep
from painfellow.web.forms import errors_by_field, parse_form
from painfellow.web.templating import render

router = APIRouter()
LIST_FIELDS = ("want", "ids")
VOCABULARY: dict[str, Any] = {
    "features": PROGRAM_FEATURES,
    "specialties": ELIGIBLE_PRIOR_SPECIALTIES,
    "states": US_STATES,
    "labels": COMPONENT_LABELS,
    "formula": FORMULA,
    "max_compared": MAX_COMPARED,
}


def _query_values(request: Request) -> dict[str, Any]:
    query = request.query_params
    return {key: query.getlist(key) if key in LIST_FIELDS else query[key] for key in query}


@router.get("/programs/map/states.svg", include_in_schema=False)
def states_outline(caller: Public) -> Response:
    """The state outlines every map draws with ``<use>``; the same for everyone, cacheable."""
    return Response(
        usmap.states_svg(),
        media_type="image/svg+xml",
        headers={"Cache-Control": "public, max-age=86400"},
    )


@router.get("/programs/compare", response_class=HTMLResponse, include_in_schema=False)
def compare_page(request: Request, caller: Public, db: DbDep) -> Response:
    """Up to four programs side by side; more, or an unknown id, is a 422 naming ``ids``."""
    values = _query_values(request)
    comparison, errors = None, {}
    try:
        params = parse_form(CompareParams, values)
        if params.ids:
            comparison = compare_programs(db, params)
    except InvalidInput as error:
        errors = errors_by_field(error)
    return render(
        request, "discovery/compare.html", caller.principal, 422 if errors else 200,
        comparison=comparison, errors=errors, fit=fit_pairs(values),
        program_map=usmap.program_map(comparison.programs) if comparison else None,
        without=_without_each(comparison, fit_pairs(values)) if comparison else {},
        **VOCABULARY,
    )  # fmt: skip


def _without_each(comparison: Comparison, fit: list[tuple[str, str]]) -> dict[int, str]:
    """For each compared program, the comparison's URL without it."""
    ids = [p.id for p in comparison.programs]
    return {
        i: "/programs/compare?" + urlencode([*(("ids", str(j)) for j in ids if j != i), *fit])
        for i in ids
    }


@router.get("/programs/favourites", response_class=HTMLResponse, include_in_schema=False)
def favourites_page(request: Request, caller: OwnApplicant, db: DbDep) -> Response:
    """The applicant's favourites, scored under the weights in the query when it has any."""
    values = _query_values(request)
    programs = favourites.list_favourites(db, caller.signed_in.user_id)
    scores, place, errors = None, None, {}
    if any(key in values for key in FIT_FIELDS):
        try:
            scores, place = fit_scores(programs, parse_form(FitParams, values))
        except InvalidInput as error:
            errors = errors_by_field(error)
    if scores is not None:
        programs = sorted(programs, key=lambda p: -scores[p.id].score)  # stable: ties keep order
    here = str(request.url.path) + (f"?{request.url.query}" if request.url.query else "")
    return render(
        request, "discovery/favourites.html", caller.principal, 422 if errors else 200,
        programs=programs, scores=scores, place=place, errors=errors, fit=fit_pairs(values),
        unit=values.get("unit") or "mi", here=here, program_map=usmap.program_map(programs),
        **VOCABULARY,
    )  # fmt: skip


def star_state(db: Session, principal: Principal | None, program_id: int) -> bool | None:
    """For a program's page: None when the caller keeps no favourites, else whether starred."""
    if principal is None or not OWN_APPLICANT.rule.admits(principal, None):
        return None
    return program_id in favourites.starred_ids(db, principal.user_id, [program_id])


def _return_to(value: object, program_id: int) -> str:
    """Where to go after starring: a path on this site, never another origin."""
    if isinstance(value, str) and value.startswith("/") and not value.startswith(("//", "/\\")):
        return value
    return f"/programs/{program_id}"


async def _toggle(
    request: Request, caller: Caller, db: DbDep, program_id: int, *, star: bool
) -> Response:
    form = await request.form()
    applicant = caller.signed_in.user_id
    if star:
        favourites.star_program(db, applicant, program_id)
    else:
        favourites.unstar_program(db, applicant, program_id)
    if request.headers.get("hx-request"):
        program = get_program(db, program_id)
        return render(
            request, "discovery/_star_fragment.html", caller.principal,
            program_id=program_id, name=program.institution, starred=star,
            next=_return_to(form.get("next"), program_id),
        )  # fmt: skip
    return RedirectResponse(_return_to(form.get("next"), program_id), status_code=303)


@router.post("/programs/{program_id}/favourite", include_in_schema=False)
async def star(request: Request, program_id: int, caller: OwnApplicant, db: DbDep) -> Response:
    return await _toggle(request, caller, db, program_id, star=True)


@router.post("/programs/{program_id}/unfavourite", include_in_schema=False)
async def unstar(request: Request, program_id: int, caller: OwnApplicant, db: DbDep) -> Response:
    return await _toggle(request, caller, db, program_id, star=False)
