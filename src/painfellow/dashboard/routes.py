from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from painfellow.dashboard.service import build_dashboard
from painfellow.web.authz import Caller, allow
from painfellow.web.deps import DbDep
from painfellow.web.templating import render

router = APIRouter()


@router.get("/", include_in_schema=False)
def home(caller: Annotated[Caller, Depends(allow("public"))]) -> Response:
    return RedirectResponse("/dashboard" if caller.principal else "/programs", status_code=303)


@router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
def dashboard(
    request: Request, caller: Annotated[Caller, Depends(allow("signed_in"))], db: DbDep
) -> Response:
    board = build_dashboard(db, caller.signed_in)
    return render(request, "dashboard.html", caller.principal, board=board)
