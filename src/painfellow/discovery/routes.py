"""Program discovery: the search page (HTMX partial results) and its JSON API."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import QueryParams

from painfellow.discovery import favourites, service, usmap
from painfellow.discovery.paging import paging
from painfellow.discovery.routes_picks import router as picks_router
from painfellow.discovery.schemas import (
    CITY_PLACES,
    COMPONENT_LABELS,
    FORMULA,
    MAX_COMPARED,
    ComponentView,
    DiscoverItem,
    DiscoverPage,
    DiscoverParams,
    ProgramSummary,
    fit_pairs,
)
from painfellow.errors import InvalidInput
from painfellow.programs.vocabulary import ELIGIBLE_PRIOR_SPECIALTIES, PROGRAM_FEATURES, US_STATES
from painfellow.web.access import OWN_APPLICANT, Public
from painfellow.web.authz import Caller
from painfellow.web.deps import DbDep
from painfellow.web.forms import errors_by_field, parse_form
from painfellow.web.templating import render

router = APIRouter()
LIST_FIELDS = ("state", "feature", "want", "ids")


def index_cache(request: Request) -> service.IndexCache:
    """This process's index cache (one per app; created on first use)."""
    cache = getattr(request.app.state, "discovery_index_cache", None)
    if cache is None:
        cache = request.app.state.discovery_index_cache = service.IndexCache()
    return cache


CacheDep = Annotated[service.IndexCache, Depends(index_cache)]


def _page(discovery: service.Discovery, params: DiscoverParams) -> DiscoverPage:
    return DiscoverPage(
        items=[
            DiscoverItem(
                program=ProgramSummary.model_validate(program),
                score=result.score,
                distance=result.distance,
                components=[
                    ComponentView(
                        key=c.key,
                        label=COMPONENT_LABELS[c.key],
                        weight=c.weight,
                        value=c.value,
                        points=c.points,
                        detail=c.detail,
                    )
                    for c in result.components
                ],
            )
            for program, result in discovery.results
        ],
        total=discovery.total,
        page=params.page,
        per_page=params.per_page,
        unit=params.unit,
        place=discovery.place,
    )


def _form_values(query: QueryParams) -> dict[str, Any]:
    return {key: query.getlist(key) if key in LIST_FIELDS else query[key] for key in query}


def applicant_id(caller: Caller) -> int | None:
    """The caller's user id when they may keep favourites (a signed-in applicant)."""
    if caller.principal is not None and OWN_APPLICANT.rule.admits(caller.principal, None):
        return caller.principal.user_id
    return None


@router.get("/programs/discover", response_class=HTMLResponse, include_in_schema=False)
def discover_page(request: Request, caller: Public, db: DbDep, cache: CacheDep) -> Response:
    values = _form_values(request.query_params)
    partial = bool(request.headers.get("hx-request"))
    page, errors, pages, program_map, starred = None, {}, None, None, set()
    applicant = applicant_id(caller)
    try:
        params = parse_form(DiscoverParams, values)
        discovery = service.discover_programs(db, params, cache)
        page = _page(discovery, params)
        pages = paging(request.url.path, request.query_params, page.total, page.page, page.per_page)
        program_map = usmap.program_map(program for program, _ in discovery.results)
        if applicant is not None:
            ids = [program.id for program, _ in discovery.results]
            starred = favourites.starred_ids(db, applicant, ids)
    except InvalidInput as error:
        errors = errors_by_field(error)
    # htmx swaps only 2xx answers, so a partial carries its errors with 200
    status = 422 if errors and not partial else 200
    return render(
        request,
        "discovery/_results.html" if partial else "discovery/discover.html",
        caller.principal,
        status,
        page=page,
        pages=pages,
        program_map=program_map,
        can_star=applicant is not None,
        starred=starred,
        here=str(request.url.path) + (f"?{request.url.query}" if request.url.query else ""),
        fit=fit_pairs(values),
        max_compared=MAX_COMPARED,
        errors=errors,
        values=values,
        cities=sorted(CITY_PLACES),
        states=US_STATES,
        features=PROGRAM_FEATURES,
        specialties=ELIGIBLE_PRIOR_SPECIALTIES,
        defaults=DiscoverParams(),
        formula=FORMULA,
    )


@router.get("/api/v1/programs/discover", response_model=DiscoverPage, tags=["programs"])
def discover_api(
    caller: Public, db: DbDep, cache: CacheDep, params: Annotated[DiscoverParams, Query()]
) -> DiscoverPage:
    """Programs matching the filters, best fit first; each item shows how its score was made."""
    return _page(service.discover_programs(db, params, cache), params)


# favourites and the comparison: registered here so they come before /programs/{program_id}
router.include_router(picks_router)
