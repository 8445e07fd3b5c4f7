"""The admin's view of the email outbox (in development, where mail is only printed)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from painfellow.outbox.service import list_messages
from painfellow.web.access import AdminOnly
from painfellow.web.deps import DbDep
from painfellow.web.templating import render

router = APIRouter()


@router.get("/admin/outbox", response_class=HTMLResponse, include_in_schema=False)
def outbox_page(
    request: Request,
    caller: AdminOnly,
    db: DbDep,
) -> Response:
    return render(request, "admin/outbox.html", caller.principal, messages=list_messages(db))
