from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from painfellow.dashboard.service import build_dashboard
from painfellow.web.access import Public, SignedIn
from painfellow.web.deps import DbDep, NowDep, SettingsDep
from painfellow.web.templating import render

router = APIRouter()


@router.get("/", include_in_schema=False)
def home(caller: Public) -> Response:
    return RedirectResponse("/dashboard" if caller.principal else "/programs", status_code=303)


@router.get("/dashboard", response_class=HTMLResponse, include_in_schema=False)
def dashboard(
    request: Request, caller: SignedIn, db: DbDep, settings: SettingsDep, now: NowDep
) -> Response:
    board = build_dashboard(db, caller.signed_in, secret_key=settings.secret_key, now=now)
    return render(request, "dashboard.html", caller.principal, board=board)
