"""The admin's view of the email outbox (in development, where mail is only printed)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from painfellow.accounts.roles import Role
from painfellow.outbox.service import list_messages
from painfellow.web.authz import Caller, allow
from painfellow.web.deps import DbDep
from painfellow.web.templating import render

router = APIRouter()


@router.get("/admin/outbox", response_class=HTMLResponse, include_in_schema=False)
def outbox_page(
    request: Request,
    caller: Annotated[Caller, Depends(allow("global_roles", Role.PLATFORM_ADMIN))],
    db: DbDep,
) -> Response:
    return render(request, "admin/outbox.html", caller.principal, messages=list_messages(db))
