"""Case log: a fellow logs and corrects cases; named faculty verify; directors set minimums."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from painfellow.accounts.roles import Role
from painfellow.accounts.service import members_with_role
from painfellow.caselog import reports, service
from painfellow.caselog.models import CaseLogEntry
from painfellow.caselog.pdf import render_pdf
from painfellow.caselog.schemas import EntryForm, EntryView
from painfellow.core import caselog as core
from painfellow.errors import FieldError, InvalidInput, NotFound
from painfellow.programs.service import get_program
from painfellow.spreadsheet import safe_cell
from painfellow.web.access import CaseSupervisor, OwnFellow, ProgramDirector, ProgramManager
from painfellow.web.authz import Caller
from painfellow.web.deps import DbDep, NowDep, SettingsDep, local_wall_clock
from painfellow.web.forms import errors_by_field, parse_form
from painfellow.web.templating import render

router = APIRouter()
LIST_FIELDS = ("complications", "levels")
VOCABULARY: dict[str, Any] = {
    "roles": core.ROLE_LABELS,
    "guidance_labels": core.GUIDANCE_LABELS,
    "region_labels": core.REGION_LABELS,
    "age_bands": core.AGE_BANDS,
    "sexes": core.SEXES,
    "lateralities": core.LATERALITIES,
    "intents": core.INTENTS,
    "complication_label": core.complication_label,
    "categories": core.CATEGORY_LABELS,
}


def _values(entry: CaseLogEntry | None) -> dict[str, Any]:
    if entry is None:
        return {"complications": [], "levels": []}
    return {
        "procedure_id": entry.procedure_id,
        "role": entry.role,
        "guidance": entry.guidance,
        "supervisor_user_id": str(entry.supervisor_user_id or ""),
        "complications": entry.complications,
        "age_band": entry.age_band,
        "sex": entry.sex,
        "region": entry.region or "",
        "levels": entry.levels,
        "laterality": entry.laterality or "",
        "intent": entry.intent or "",
        "note": entry.note,
    }


async def _submitted(request: Request) -> dict[str, Any]:
    form = await request.form()
    values: dict[str, Any] = {k: v for k, v in form.items() if k not in LIST_FIELDS}
    for key in LIST_FIELDS:
        values[key] = form.getlist(key)
    for key in ("supervisor_user_id", "region", "laterality", "intent"):
        values[key] = values.get(key) or None
    return values


def _form_page(
    request: Request,
    caller: Caller,
    db: DbDep,
    procedure: core.Procedure,
    values: dict[str, Any],
    errors: dict[str, str],
    action: str,
    status: int = 200,
    starred: bool | None = None,
) -> Response:
    assert caller.program_id is not None
    return render(
        request,
        "caselog/entry.html",
        caller.principal,
        status,
        program=get_program(db, caller.program_id),
        procedure=procedure,
        values=values,
        errors=errors,
        action=action,
        starred=starred,
        supervisors=service.supervisors_of(db, caller.program_id),
        complications=core.allowed_complications(procedure),
        **VOCABULARY,
        levels_for=[
            level
            for level in core.SPINAL_LEVELS
            if core.level_regions(level) & set(procedure.regions)
        ],
    )


@router.get("/programs/{program_id}/case-log", response_class=HTMLResponse, include_in_schema=False)
def case_log_page(
    request: Request,
    program_id: int,
    caller: OwnFellow,
    db: DbDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    fellow_id = caller.signed_in.user_id
    favourites, recent = service.quick_picks(db, program_id, fellow_id)
    today = local_wall_clock(now, settings).date()
    year_start, year_end = service.training_year(today)
    return render(
        request,
        "caselog/fellow.html",
        caller.principal,
        program=get_program(db, program_id),
        entries=service.my_entries(db, program_id, fellow_id)[:30],
        statuses=service.fellow_progress(db, program_id, fellow_id, today=today),
        today=today,
        year_start=year_start,
        year_end=year_end,
        favourites=[core.get_procedure(p) for p in favourites],
        recent=[core.get_procedure(p) for p in recent],
        procedures=core.list_procedures(),
        **VOCABULARY,
    )


@router.get(
    "/programs/{program_id}/case-log/new", response_class=HTMLResponse, include_in_schema=False
)
def new_entry_page(
    request: Request,
    program_id: int,
    caller: OwnFellow,
    db: DbDep,
    procedure: Annotated[str, Query(max_length=60)],
) -> Response:
    found = core.find_procedure(procedure)
    if found is None:
        raise InvalidInput([FieldError("procedure", "is not a procedure of the taxonomy")])
    previous = service.last_entry_for(db, caller.signed_in.user_id, found.id)
    values = _values(previous)  # copy the previous entry of this procedure
    values["procedure_id"], values["note"] = found.id, ""
    return _form_page(
        request, caller, db, found, values, {}, f"/programs/{program_id}/case-log",
        starred=found.id in service.favourite_procedures(db, program_id, caller.signed_in.user_id),
    )  # fmt: skip


@router.post("/programs/{program_id}/case-log/favourites", include_in_schema=False)
async def set_favourite(
    request: Request, program_id: int, caller: OwnFellow, db: DbDep
) -> Response:
    """Star (``starred=1``) or unstar (``starred=0``) a procedure; back to ``next`` if it is
    one of this program's case-log pages."""
    form = await request.form()
    procedure_id = str(form.get("procedure_id", ""))
    starred = str(form.get("starred", "1")) != "0"
    service.set_favourite(db, program_id, caller.signed_in.user_id, procedure_id, starred=starred)
    back = str(form.get("next", ""))
    if not back.startswith(f"/programs/{program_id}/case-log") or "//" in back:
        back = f"/programs/{program_id}/case-log"
    return RedirectResponse(back, status_code=303)


@router.post("/programs/{program_id}/case-log", include_in_schema=False)
async def log_entry(
    request: Request,
    program_id: int,
    caller: OwnFellow,
    db: DbDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    values = await _submitted(request)
    try:
        form = parse_form(EntryForm, values)
        service.log_entry(
            db,
            program_id,
            caller.signed_in.user_id,
            form,
            today=local_wall_clock(now, settings).date(),
        )
    except InvalidInput as error:
        procedure = core.find_procedure(str(values.get("procedure_id", "")))
        if procedure is None:
            raise
        return _form_page(
            request,
            caller,
            db,
            procedure,
            values,
            errors_by_field(error),
            f"/programs/{program_id}/case-log",
            422,
        )
    return RedirectResponse(f"/programs/{program_id}/case-log?saved=1", status_code=303)


@router.get(
    "/programs/{program_id}/case-log/{entry_id}/correct",
    response_class=HTMLResponse,
    include_in_schema=False,
)
def correct_page(
    request: Request, program_id: int, entry_id: int, caller: OwnFellow, db: DbDep
) -> Response:
    entry = service.get_own_entry(db, program_id, caller.signed_in.user_id, entry_id)
    return _form_page(
        request,
        caller,
        db,
        core.get_procedure(entry.procedure_id),
        _values(entry),
        {},
        f"/programs/{program_id}/case-log/{entry_id}/correct",
    )


@router.post("/programs/{program_id}/case-log/{entry_id}/correct", include_in_schema=False)
async def correct_entry(
    request: Request,
    program_id: int,
    entry_id: int,
    caller: OwnFellow,
    db: DbDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    values = await _submitted(request)
    entry = service.get_own_entry(db, program_id, caller.signed_in.user_id, entry_id)
    values["procedure_id"] = entry.procedure_id  # a correction keeps the procedure
    try:
        form = parse_form(EntryForm, values)
        service.correct_entry(
            db,
            program_id,
            caller.signed_in.user_id,
            entry_id,
            form,
            today=local_wall_clock(now, settings).date(),
        )
    except InvalidInput as error:
        return _form_page(
            request,
            caller,
            db,
            core.get_procedure(entry.procedure_id),
            values,
            errors_by_field(error),
            f"/programs/{program_id}/case-log/{entry_id}/correct",
            422,
        )
    return RedirectResponse(f"/programs/{program_id}/case-log?corrected=1", status_code=303)


@router.get("/programs/{program_id}/case-log/export.csv", include_in_schema=False)
def export_csv(program_id: int, caller: OwnFellow, db: DbDep) -> Response:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "id",
            "logged_on",
            "category",
            "procedure",
            "cpt",
            "region",
            "levels",
            "laterality",
            "guidance",
            "role",
            "complications",
            "age_band",
            "sex",
            "status",
            "supersedes",
            "note",
        ]
    )
    for e in reversed(service.my_entries(db, program_id, caller.signed_in.user_id)):
        procedure = core.get_procedure(e.procedure_id)
        writer.writerow(
            [
                e.id,
                e.logged_on.isoformat(),
                procedure.category,
                procedure.label,
                " ".join(e.cpt_codes),
                e.region or "",
                " ".join(e.levels),
                e.laterality or "",
                e.guidance,
                e.role,
                " ".join(e.complications),
                e.age_band,
                e.sex,
                e.status,
                e.supersedes_id or "",
                safe_cell(e.note),
            ]
        )
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": 'attachment; filename="case-log.csv"'},
    )


@router.get(
    "/programs/{program_id}/case-log/verify", response_class=HTMLResponse, include_in_schema=False
)
def verify_queue(request: Request, program_id: int, caller: CaseSupervisor, db: DbDep) -> Response:
    return render(
        request,
        "caselog/verify.html",
        caller.principal,
        program=get_program(db, program_id),
        entries=service.verification_queue(db, program_id, caller.signed_in.user_id),
        procedure=core.get_procedure,
        **VOCABULARY,
    )


@router.post("/programs/{program_id}/case-log/{entry_id}/verify", include_in_schema=False)
def verify(
    program_id: int, entry_id: int, caller: CaseSupervisor, db: DbDep, now: NowDep
) -> Response:
    service.verify_entry(db, program_id, caller.signed_in.user_id, entry_id, now=now)
    return RedirectResponse(f"/programs/{program_id}/case-log/verify?verified=1", status_code=303)


@router.get(
    "/programs/{program_id}/case-log/program", response_class=HTMLResponse, include_in_schema=False
)
def program_page(
    request: Request,
    program_id: int,
    caller: ProgramManager,
    db: DbDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    today = local_wall_clock(now, settings).date()
    year_start, year_end = service.training_year(today)
    return render(
        request,
        "caselog/program.html",
        caller.principal,
        program=get_program(db, program_id),
        progress=service.program_progress(db, program_id, today=today),
        today=today,
        year_start=year_start,
        year_end=year_end,
        minimums=service.minimums_of(db, program_id),
        report=service.program_complications(db, program_id),
        fellows=members_with_role(db, program_id, Role.FELLOW),
        errors={},
        can_set=Role.PROGRAM_DIRECTOR in caller.signed_in.roles_in(program_id)
        or caller.signed_in.is_admin,
        **VOCABULARY,
    )


@router.post("/programs/{program_id}/case-log/minimums", include_in_schema=False)
async def set_minimums(
    request: Request, program_id: int, caller: ProgramDirector, db: DbDep
) -> Response:
    form = await request.form()
    values: dict[str, int | None] = {}
    errors = []
    for category in core.CATEGORIES:
        raw = str(form.get(category, "")).strip()
        if not raw:
            values[category] = None
        elif raw.isdigit():
            values[category] = int(raw)
        else:
            errors.append(FieldError(category, "must be a whole number, or empty for none"))
    if errors:
        raise InvalidInput(errors)
    service.set_minimums(db, program_id, values)
    return RedirectResponse(f"/programs/{program_id}/case-log/program?saved=1", status_code=303)


def _import_page(
    request: Request,
    caller: Caller,
    db: DbDep,
    result: service.ImportResult | None = None,
    refused: str | None = None,
    status: int = 200,
) -> Response:
    assert caller.program_id is not None
    return render(
        request,
        "caselog/import.html",
        caller.principal,
        status,
        program=get_program(db, caller.program_id),
        columns=service.IMPORT_COLUMNS,
        max_rows=service.MAX_IMPORT_ROWS,
        result=result,
        refused=refused,
        **VOCABULARY,
    )


@router.get(
    "/programs/{program_id}/case-log/import", response_class=HTMLResponse, include_in_schema=False
)
def import_page(request: Request, program_id: int, caller: OwnFellow, db: DbDep) -> Response:
    return _import_page(request, caller, db)


@router.post("/programs/{program_id}/case-log/import", include_in_schema=False)
async def import_cases(
    request: Request,
    program_id: int,
    caller: OwnFellow,
    db: DbDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    form = await request.form()
    upload = form.get("file")
    dry_run = form.get("action") != "import"  # anything but the Import button only checks
    if not isinstance(upload, UploadFile) or not upload.filename:
        await form.close()
        return _import_page(request, caller, db, refused="Choose a CSV file to upload.", status=422)
    try:
        data = await upload.read(service.MAX_IMPORT_BYTES + 1)
    finally:
        await form.close()  # the upload's temporary file
    try:
        result = service.import_entries(
            db,
            program_id,
            caller.signed_in.user_id,
            data,
            today=local_wall_clock(now, settings).date(),
            dry_run=dry_run,
        )
    except InvalidInput as error:
        status = 413 if len(data) > service.MAX_IMPORT_BYTES else 422
        reason = "; ".join(e.message for e in error.errors)
        return _import_page(request, caller, db, refused=f"File refused: {reason}.", status=status)
    if result.imported:
        return RedirectResponse(
            f"/programs/{program_id}/case-log?imported={result.imported}", status_code=303
        )
    return _import_page(request, caller, db, result, status=422 if result.problems else 200)


def _counts_header(*first: str) -> list[object]:
    return [
        *first,
        "category",
        "category_label",
        *(core.ROLE_LABELS[role] for role in core.ROLES),
        "counted_total",
        "all_cases",
        "pending_verification",
        "minimum",
    ]


def _counts_cells(c: reports.CategoryCounts) -> list[object]:
    return [
        c.category,
        c.label,
        *(c.by_role[role] for role in core.ROLES),
        c.counted,
        c.total,
        c.pending,
        "" if c.minimum is None else c.minimum,
    ]


def _csv_download(rows: list[list[object]], filename: str) -> Response:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return Response(
        out.getvalue(),
        media_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/programs/{program_id}/case-log/acgme.csv", include_in_schema=False)
def export_acgme_csv(program_id: int, caller: OwnFellow, db: DbDep) -> Response:
    counts = reports.category_counts(db, program_id, caller.signed_in.user_id)
    rows: list[list[object]] = [_counts_header(), *(_counts_cells(c) for c in counts)]
    return _csv_download(rows, "case-log-categories.csv")


@router.get("/programs/{program_id}/case-log/program/acgme.csv", include_in_schema=False)
def export_program_acgme_csv(program_id: int, caller: ProgramManager, db: DbDep) -> Response:
    rows: list[list[object]] = [_counts_header("fellow")]
    for name, counts in reports.program_category_counts(db, program_id):
        rows += [[safe_cell(name), *_counts_cells(c)] for c in counts]
    return _csv_download(rows, "case-log-categories-program.csv")


@router.get("/programs/{program_id}/case-log/report.pdf", include_in_schema=False)
def credentialing_pdf(
    request: Request,
    program_id: int,
    caller: OwnFellow,
    db: DbDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    today = local_wall_clock(now, settings).date()
    return _credentialing_pdf(request, db, program_id, caller.signed_in.user_id, today)


def _credentialing_pdf(
    request: Request, db: DbDep, program_id: int, fellow_id: int, today: date
) -> Response:
    report = reports.credentialing_report(db, program_id, fellow_id, today=today)
    html = request.app.state.templates.get_template("caselog/report_pdf.html").render(
        report=report, **VOCABULARY
    )
    return Response(
        render_pdf(html),
        media_type="application/pdf",
        headers={"Content-Disposition": 'attachment; filename="procedure-report.pdf"'},
    )


@router.get(
    "/programs/{program_id}/case-log/fellows/{fellow_id}/report.pdf", include_in_schema=False
)
def fellow_credentialing_pdf(
    request: Request,
    program_id: int,
    fellow_id: int,
    caller: ProgramManager,
    db: DbDep,
    now: NowDep,
    settings: SettingsDep,
) -> Response:
    """A fellow's credentialing report for the program's director or coordinator; 404 for
    anyone who is not a fellow of this program."""
    if fellow_id not in members_with_role(db, program_id, Role.FELLOW):
        raise NotFound("No such fellow in this program.")
    today = local_wall_clock(now, settings).date()
    return _credentialing_pdf(request, db, program_id, fellow_id, today)


@router.get(
    "/api/v1/programs/{program_id}/case-log/entries",
    response_model=list[EntryView],
    tags=["case log"],
)
def my_entries_api(program_id: int, caller: OwnFellow, db: DbDep) -> list[EntryView]:
    """The caller's own entries, newest first (every version, with its status)."""
    rows = service.my_entries(db, program_id, caller.signed_in.user_id)
    return [EntryView.model_validate(row) for row in rows]


@router.post(
    "/api/v1/programs/{program_id}/case-log/entries",
    response_model=EntryView,
    status_code=201,
    tags=["case log"],
)
def log_entry_api(
    program_id: int,
    body: EntryForm,
    caller: OwnFellow,
    db: DbDep,
    now: NowDep,
    settings: SettingsDep,
) -> EntryView:
    """Log a case (pending verification by the named supervisor). 422 names each bad field,
    including a note refused as a possible patient identifier."""
    today = local_wall_clock(now, settings).date()
    row = service.log_entry(db, program_id, caller.signed_in.user_id, body, today=today)
    return EntryView.model_validate(row)
