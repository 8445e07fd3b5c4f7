"""The public eligibility questionnaire and the admin page that edits the rules behind it."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from painfellow.core.eligibility import Accreditation, BoardStatus, TrainingStatus, Verdict
from painfellow.eligibility import service
from painfellow.eligibility.schemas import QuestionnaireForm, RuleForm
from painfellow.errors import InvalidInput
from painfellow.web.access import AdminOnly, Public
from painfellow.web.deps import DbDep, NowDep
from painfellow.web.forms import errors_by_field, parse_form
from painfellow.web.templating import render

router = APIRouter()
CHOICES = {
    "accreditations": {
        Accreditation.ACGME.value: "ACGME-accredited",
        Accreditation.AOA.value: "AOA-approved (osteopathic)",
        Accreditation.INTERNATIONAL.value: "Outside the US (international)",
    },
    "training_statuses": {
        TrainingStatus.COMPLETED.value: "I have completed it",
        TrainingStatus.WILL_COMPLETE.value: "I will complete it before the fellowship starts",
        TrainingStatus.IN_TRAINING.value: "I am in residency (PGY-n, some months left)",
        TrainingStatus.NOT_STARTED.value: "I have not started residency",
    },
    "board_statuses": {
        BoardStatus.CERTIFIED.value: "Board-certified",
        BoardStatus.ELIGIBLE.value: "Board-eligible",
        BoardStatus.NEITHER.value: "Neither yet",
    },
    "verdicts": {v.value: v.value.capitalize() for v in Verdict},
    "outcomes": {
        Verdict.YES.value: "Fine",
        Verdict.NO.value: "Blocks entry",
        Verdict.UNCERTAIN.value: "Unclear",
    },
    "confidences": ("C", "C/S", "S", "U"),
}


def _filled(values: dict[str, Any]) -> dict[str, Any]:
    """Blank optional fields count as not given."""
    return {key: value for key, value in values.items() if value != ""}


@router.get("/eligibility", response_class=HTMLResponse, include_in_schema=False)
def eligibility_page(request: Request, caller: Public, db: DbDep) -> Response:
    """The questionnaire; with answers in the query string, also the verdict and its reasons."""
    values = dict(request.query_params)
    rules = service.get_rules(db)
    context: dict[str, Any] = {"rules": rules, "values": values, "errors": {}, "result": None}
    status = 200
    if "specialty" in values:
        try:
            form = parse_form(QuestionnaireForm, _filled(values))
            context["result"] = service.assess_answers(db, form)
        except InvalidInput as error:
            context["errors"], status = errors_by_field(error), 422
    return render(request, "eligibility/questionnaire.html", caller.principal, status,
                  **context, **CHOICES)  # fmt: skip


def _admin_page(request: Request, caller: AdminOnly, db: DbDep, status: int = 200,
                **extra: Any) -> Response:  # fmt: skip
    return render(request, "eligibility/admin.html", caller.principal, status,
                  rules=service.get_rules(db), errors=extra.pop("errors", {}),
                  values=extra.pop("values", {}), **CHOICES, **extra)  # fmt: skip


@router.get("/admin/eligibility", response_class=HTMLResponse, include_in_schema=False)
def rules_page(request: Request, caller: AdminOnly, db: DbDep) -> Response:
    return _admin_page(request, caller, db)


@router.post("/admin/eligibility", include_in_schema=False)
async def save_rule(request: Request, caller: AdminOnly, db: DbDep, now: NowDep) -> Response:
    values = dict((await request.form()).items())
    try:
        service.save_rule(db, parse_form(RuleForm, _filled(values)), now=now)
    except InvalidInput as error:
        return _admin_page(request, caller, db, 422, errors=errors_by_field(error),
                           values=values)  # fmt: skip
    return RedirectResponse("/admin/eligibility?saved=1", status_code=303)
