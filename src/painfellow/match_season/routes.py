"""Match season pages: the admin's calendar and runs, and the applicants' and programs'
rank order lists. Every list change is one POST: a plain form submission redirects back to
the page, a script's request (header ``X-Rank-List: fragment``) gets the list back."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from painfellow.errors import Conflict, InvalidInput, NotFound
from painfellow.match_season import planning, runs, service
from painfellow.match_season.models import MatchSeason
from painfellow.match_season.schemas import (
    AddApplicantForm,
    AddProgramForm,
    MoveForm,
    QuotaForm,
    SeasonForm,
)
from painfellow.match_season.service import Owner
from painfellow.programs.service import get_program
from painfellow.web.access import (
    PROGRAM_DIRECTOR,
    PROGRAM_MANAGERS,
    AdminOnly,
    OwnApplicant,
    ProgramDirector,
    ProgramManager,
    ProgramReviewer,
)
from painfellow.web.authz import Caller
from painfellow.web.deps import DbDep, NowDep, SettingsDep
from painfellow.web.forms import errors_by_field, parse_form
from painfellow.web.templating import render

router = APIRouter(include_in_schema=False)
FRAGMENT_HEADER = "x-rank-list"
NOTICES = {
    "added": "Added to your list and saved.",
    "moved": "Moved and saved.",
    "removed": "Removed from your list and saved.",
    "certified": "Your list is certified. It enters the match unless you reopen it.",
    "reopened": "Your list is reopened. Certify it again before the deadline.",
    "quota": "Quota saved.",
}


async def _form(request: Request) -> dict[str, Any]:
    return {k: v for k, v in (await request.form()).items() if isinstance(v, str)}


def _wants_fragment(request: Request) -> bool:
    return request.headers.get(FRAGMENT_HEADER) == "fragment"


# --- rank order list pages (applicant and program) ------------------------------------


def _owner_context(caller: Caller, db: DbDep, owner: Owner) -> dict[str, Any]:
    principal = caller.signed_in
    if owner.kind == "applicant":
        return {"base_url": "/match", "title": "My rank order list", "subtitle": "",
                "can_edit": True, "can_quota": False, "program": None}  # fmt: skip
    program = get_program(db, owner.id)
    return {
        "base_url": f"/programs/{owner.id}/match",
        "title": "Rank order list",
        "subtitle": program.display_name,
        "can_edit": PROGRAM_DIRECTOR.rule.admits(principal, owner.id),
        "can_quota": PROGRAM_MANAGERS.rule.admits(principal, owner.id),
        "program": program,
    }


def _rank_page(
    request: Request, caller: Caller, db: DbDep, now: datetime, owner: Owner,
    status: int = 200, **extra: Any,
) -> Response:  # fmt: skip
    season = service.current_season(db)
    context = _owner_context(caller, db, owner)
    viewer = caller.signed_in.user_id
    view = service.list_view(db, season, owner, now, viewer) if season else None
    if view is not None and view.conflicted:
        context["can_edit"] = False
    outcome: Any = None
    plan: planning.Plan | None = None
    plan_error: str | None = None
    if season is not None:
        if owner.kind == "applicant":
            outcome = runs.applicant_outcome(db, season, owner.id, now)
        else:
            outcome = runs.program_outcome(db, season, owner.id, now, viewer_id=viewer)
        if request.query_params.get("simulate") and status == 200:
            try:
                plan = planning.simulate_owner(db, season, owner, now=now)
            except Conflict as error:
                plan_error = error.message
    notice = NOTICES.get(request.query_params.get("saved", ""))
    return render(
        request, "match_season/ranking.html", caller.signed_in, status,
        season=season, view=view, owner=owner, outcome=outcome, plan=plan, now=now,
        plan_error=plan_error, quota_open=season is not None and now < season.certify_deadline,
        plan_runs=planning.RUNS, noise_sd=planning.NOISE_SD,
        dropout=planning.DROPOUT, notice=notice, errors=extra.pop("errors", {}),
        problem=extra.pop("problem", None), **context, **extra,
    )  # fmt: skip


def _fragment(
    request: Request, caller: Caller, db: DbDep, now: datetime, owner: Owner, status: int,
    announce: str, errors: dict[str, str] | None = None, problem: str | None = None,
) -> Response:  # fmt: skip
    season = service.current_season(db)
    if season is None:
        raise NotFound("There is no match season.")
    view = service.list_view(db, season, owner, now, caller.signed_in.user_id)
    context = _owner_context(caller, db, owner)
    if view.conflicted:
        context["can_edit"] = False
    return render(
        request, "match_season/_rank_list.html", caller.signed_in, status,
        view=view, announce=announce, saved_text=announce if status == 200 else None,
        errors=errors or {}, problem=problem, **context,
    )  # fmt: skip


def _season_or_conflict(db: DbDep) -> MatchSeason:
    season = service.current_season(db)
    if season is None:
        raise Conflict("There is no match season yet.")
    return season


def _rank_action(
    request: Request, caller: Caller, db: DbDep, now: datetime, owner: Owner,
    saved: str, action: Callable[[MatchSeason], str],
) -> Response:  # fmt: skip
    """Run one list change; answer with the list (script) or a redirect (plain form)."""
    fragment = _wants_fragment(request)
    try:
        season = _season_or_conflict(db)
        announce = action(season)
    except InvalidInput as error:
        errors = errors_by_field(error)
        db.rollback()
        if fragment:
            return _fragment(request, caller, db, now, owner, 422, error.message, errors=errors)
        return _rank_page(request, caller, db, now, owner, 422, errors=errors)
    except Conflict as error:
        db.rollback()
        if fragment:
            return _fragment(
                request, caller, db, now, owner, 409, error.message, problem=error.message
            )
        return _rank_page(request, caller, db, now, owner, 409, problem=error.message)
    if fragment:
        return _fragment(request, caller, db, now, owner, 200, announce)
    base = _owner_context(caller, db, owner)["base_url"]
    return RedirectResponse(f"{base}?saved={saved}#rank-list", status_code=303)


def _name_of(db: DbDep, season: MatchSeason, owner: Owner, now: datetime, target: int) -> str:
    view = service.list_view(db, season, owner, now)
    for row in view.rows:
        if row.candidate.id == target:
            return row.candidate.name
    return "Entry"


def _add(
    db: DbDep, owner: Owner, now: datetime, values: dict[str, Any], actor: int
) -> Callable[[MatchSeason], str]:
    def action(season: MatchSeason) -> str:
        if owner.kind == "applicant":
            target = parse_form(AddProgramForm, values).program_id
        else:
            target = parse_form(AddApplicantForm, values).applicant_user_id
        rank = service.add_entry(db, season, owner, target, now=now, actor_id=actor)
        return f"{_name_of(db, season, owner, now, target)} added at rank {rank}. Saved."

    return action


def _move(
    db: DbDep, owner: Owner, now: datetime, target: int, values: dict[str, Any], actor: int
) -> Callable[[MatchSeason], str]:
    def action(season: MatchSeason) -> str:
        position = parse_form(MoveForm, values).position
        service.move_entry(db, season, owner, target, position, now=now, actor_id=actor)
        total = len(service.list_view(db, season, owner, now).rows)
        name = _name_of(db, season, owner, now, target)
        return f"{name} moved to rank {position} of {total}. Saved."

    return action


def _remove(
    db: DbDep, owner: Owner, now: datetime, target: int, actor: int
) -> Callable[[MatchSeason], str]:
    def action(season: MatchSeason) -> str:
        name = _name_of(db, season, owner, now, target)
        service.remove_entry(db, season, owner, target, now=now, actor_id=actor)
        return f"{name} removed from the list. Saved."

    return action


def _certify(
    db: DbDep, owner: Owner, caller: Caller, now: datetime
) -> Callable[[MatchSeason], str]:
    def action(season: MatchSeason) -> str:
        service.certify(db, season, owner, by_user_id=caller.signed_in.user_id, now=now)
        return "List certified."

    return action


def _reopen(db: DbDep, owner: Owner, now: datetime, actor: int) -> Callable[[MatchSeason], str]:
    def action(season: MatchSeason) -> str:
        service.reopen(db, season, owner, now=now, actor_id=actor)
        return "List reopened."

    return action


def _me(caller: Caller) -> Owner:
    return Owner("applicant", caller.signed_in.user_id)


@router.get("/match", response_class=HTMLResponse)
def applicant_rank_page(request: Request, caller: OwnApplicant, db: DbDep, now: NowDep) -> Response:
    return _rank_page(request, caller, db, now, _me(caller))


@router.post("/match/ranks")
async def applicant_add(request: Request, caller: OwnApplicant, db: DbDep, now: NowDep) -> Response:
    values = await _form(request)
    owner = _me(caller)
    return _rank_action(
        request,
        caller,
        db,
        now,
        owner,
        "added",
        _add(db, owner, now, values, caller.signed_in.user_id),
    )


@router.post("/match/ranks/{ranked_program_id}/move")
async def applicant_move(
    request: Request, ranked_program_id: int, caller: OwnApplicant, db: DbDep, now: NowDep
) -> Response:
    values = await _form(request)
    owner = _me(caller)
    action = _move(db, owner, now, ranked_program_id, values, caller.signed_in.user_id)
    return _rank_action(request, caller, db, now, owner, "moved", action)


@router.post("/match/ranks/{ranked_program_id}/remove")
def applicant_remove(
    request: Request, ranked_program_id: int, caller: OwnApplicant, db: DbDep, now: NowDep
) -> Response:
    owner = _me(caller)
    action = _remove(db, owner, now, ranked_program_id, caller.signed_in.user_id)
    return _rank_action(request, caller, db, now, owner, "removed", action)


@router.post("/match/certify")
def applicant_certify(request: Request, caller: OwnApplicant, db: DbDep, now: NowDep) -> Response:
    owner = _me(caller)
    action = _certify(db, owner, caller, now)
    return _rank_action(request, caller, db, now, owner, "certified", action)


@router.post("/match/reopen")
def applicant_reopen(request: Request, caller: OwnApplicant, db: DbDep, now: NowDep) -> Response:
    owner = _me(caller)
    return _rank_action(
        request,
        caller,
        db,
        now,
        owner,
        "reopened",
        _reopen(db, owner, now, caller.signed_in.user_id),
    )


def _program(program_id: int) -> Owner:
    return Owner("program", program_id)


@router.get("/programs/{program_id}/match", response_class=HTMLResponse)
def program_rank_page(
    request: Request, program_id: int, caller: ProgramReviewer, db: DbDep, now: NowDep
) -> Response:
    return _rank_page(request, caller, db, now, _program(program_id))


@router.post("/programs/{program_id}/match/quota")
async def program_quota(
    request: Request, program_id: int, caller: ProgramManager, db: DbDep, now: NowDep
) -> Response:
    values = await _form(request)
    owner = _program(program_id)
    try:
        season = _season_or_conflict(db)
        service.set_quota(db, season, program_id, parse_form(QuotaForm, values).quota, now=now)
    except InvalidInput as error:
        return _rank_page(request, caller, db, now, owner, 422, errors=errors_by_field(error))
    except Conflict as error:
        return _rank_page(request, caller, db, now, owner, 409, problem=error.message)
    return RedirectResponse(f"/programs/{program_id}/match?saved=quota", status_code=303)


@router.post("/programs/{program_id}/match/ranks")
async def program_add(
    request: Request, program_id: int, caller: ProgramDirector, db: DbDep, now: NowDep
) -> Response:
    values = await _form(request)
    owner = _program(program_id)
    return _rank_action(
        request,
        caller,
        db,
        now,
        owner,
        "added",
        _add(db, owner, now, values, caller.signed_in.user_id),
    )


@router.post("/programs/{program_id}/match/ranks/{applicant_user_id}/move")
async def program_move(
    request: Request, program_id: int, applicant_user_id: int, caller: ProgramDirector,
    db: DbDep, now: NowDep,
) -> Response:  # fmt: skip
    values = await _form(request)
    owner = _program(program_id)
    action = _move(db, owner, now, applicant_user_id, values, caller.signed_in.user_id)
    return _rank_action(request, caller, db, now, owner, "moved", action)


@router.post("/programs/{program_id}/match/ranks/{applicant_user_id}/remove")
def program_remove(
    request: Request, program_id: int, applicant_user_id: int, caller: ProgramDirector,
    db: DbDep, now: NowDep,
) -> Response:  # fmt: skip
    owner = _program(program_id)
    action = _remove(db, owner, now, applicant_user_id, caller.signed_in.user_id)
    return _rank_action(request, caller, db, now, owner, "removed", action)


@router.post("/programs/{program_id}/match/certify")
def program_certify(
    request: Request, program_id: int, caller: ProgramDirector, db: DbDep, now: NowDep
) -> Response:
    owner = _program(program_id)
    action = _certify(db, owner, caller, now)
    return _rank_action(request, caller, db, now, owner, "certified", action)


@router.post("/programs/{program_id}/match/reopen")
def program_reopen(
    request: Request, program_id: int, caller: ProgramDirector, db: DbDep, now: NowDep
) -> Response:
    owner = _program(program_id)
    return _rank_action(
        request,
        caller,
        db,
        now,
        owner,
        "reopened",
        _reopen(db, owner, now, caller.signed_in.user_id),
    )


# --- admin: seasons, runs, release ----------------------------------------------------


def _seasons_page(
    request: Request, caller: Caller, db: DbDep, status: int = 200, **extra: Any
) -> Response:
    return render(
        request, "match_season/admin.html", caller.signed_in, status,
        seasons=service.list_seasons(db), errors=extra.pop("errors", {}),
        values=extra.pop("values", {}), **extra,
    )  # fmt: skip


@router.get("/admin/match", response_class=HTMLResponse)
def seasons_page(request: Request, caller: AdminOnly, db: DbDep) -> Response:
    return _seasons_page(request, caller, db)


@router.post("/admin/match/seasons")
async def create_season(
    request: Request, caller: AdminOnly, db: DbDep, settings: SettingsDep
) -> Response:
    values = await _form(request)
    try:
        form = parse_form(SeasonForm, values)
        season = service.create_season(db, form, zone=ZoneInfo(settings.local_timezone))
    except InvalidInput as error:
        return _seasons_page(request, caller, db, 422, errors=errors_by_field(error), values=values)
    return RedirectResponse(f"/admin/match/seasons/{season.id}?saved=1", status_code=303)


def _season_page(
    request: Request, caller: Caller, db: DbDep, now: datetime, season_id: int,
    status: int = 200, **extra: Any,
) -> Response:  # fmt: skip
    season = service.get_season(db, season_id)
    lists = service.all_lists(db, season.id)
    counts = {
        "applicant_lists": sum(1 for rl, _ in lists if rl.applicant_user_id is not None),
        "applicant_certified": sum(
            1 for rl, _ in lists if rl.applicant_user_id and rl.certified_at
        ),
        "program_lists": sum(1 for rl, _ in lists if rl.program_id is not None),
        "program_certified": sum(1 for rl, _ in lists if rl.program_id and rl.certified_at),
        "quotas": len(service.quotas(db, season.id)),
    }
    return render(
        request, "match_season/season.html", caller.signed_in, status,
        season=season, counts=counts, runs=runs.list_runs(db, season.id), now=now,
        released=runs.released_run(db, season, now), errors=extra.pop("errors", {}),
        values=extra.pop("values", {}), problem=extra.pop("problem", None), **extra,
    )  # fmt: skip


@router.get("/admin/match/seasons/{season_id}", response_class=HTMLResponse)
def season_page(
    request: Request, season_id: int, caller: AdminOnly, db: DbDep, now: NowDep
) -> Response:
    return _season_page(request, caller, db, now, season_id)


@router.post("/admin/match/seasons/{season_id}")
async def update_season(
    request: Request, season_id: int, caller: AdminOnly, db: DbDep, now: NowDep,
    settings: SettingsDep,
) -> Response:  # fmt: skip
    values = await _form(request)
    try:
        form = parse_form(SeasonForm, values)
        service.update_season(db, season_id, form, zone=ZoneInfo(settings.local_timezone))
    except InvalidInput as error:
        db.rollback()
        return _season_page(request, caller, db, now, season_id, 422,
                            errors=errors_by_field(error), values=values)  # fmt: skip
    except Conflict as error:
        db.rollback()
        return _season_page(request, caller, db, now, season_id, 409, problem=error.message)
    return RedirectResponse(f"/admin/match/seasons/{season_id}?saved=1", status_code=303)


@router.post("/admin/match/seasons/{season_id}/run")
def run_match(
    request: Request, season_id: int, caller: AdminOnly, db: DbDep, now: NowDep
) -> Response:
    try:
        run = runs.run_season_match(db, season_id, by_user_id=caller.signed_in.user_id, now=now)
    except Conflict as error:
        return _season_page(request, caller, db, now, season_id, 409, problem=error.message)
    return RedirectResponse(f"/admin/match/runs/{run.id}", status_code=303)


def _run_page(
    request: Request, caller: Caller, db: DbDep, now: datetime, run_id: int, **extra: Any
) -> Response:
    run = runs.get_run(db, run_id)
    season = service.get_season(db, run.season_id)
    return render(
        request, "match_season/run.html", caller.signed_in, extra.pop("status", 200),
        run=run, season=season, depths=runs.program_depths(db, run), now=now,
        reproduction=extra.pop("reproduction", None), problem=extra.pop("problem", None),
    )  # fmt: skip


@router.get("/admin/match/runs/{run_id}", response_class=HTMLResponse)
def run_page(request: Request, run_id: int, caller: AdminOnly, db: DbDep, now: NowDep) -> Response:
    return _run_page(request, caller, db, now, run_id)


@router.post("/admin/match/runs/{run_id}/reproduce", response_class=HTMLResponse)
def reproduce(request: Request, run_id: int, caller: AdminOnly, db: DbDep, now: NowDep) -> Response:
    reproduction = runs.reproduce_run(db, run_id)
    return _run_page(request, caller, db, now, run_id, reproduction=reproduction)


@router.post("/admin/match/runs/{run_id}/approve")
def approve(request: Request, run_id: int, caller: AdminOnly, db: DbDep, now: NowDep) -> Response:
    try:
        runs.approve_run(db, run_id, by_user_id=caller.signed_in.user_id, now=now)
    except Conflict as error:
        db.rollback()
        return _run_page(request, caller, db, now, run_id, status=409, problem=error.message)
    return RedirectResponse(f"/admin/match/runs/{run_id}?approved=1", status_code=303)


@router.get("/admin/match/runs/{run_id}/snapshot.json")
def snapshot(run_id: int, caller: AdminOnly, db: DbDep) -> Response:
    run = runs.get_run(db, run_id)
    return JSONResponse(
        run.snapshot,
        headers={
            "Content-Disposition": f'attachment; filename="match-run-{run.id}-input.json"',
            "X-Snapshot-SHA256": run.snapshot_sha256,
        },
    )
