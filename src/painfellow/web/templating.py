"""Jinja2 environment and the one render helper every page uses."""

from __future__ import annotations

import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from painfellow import __version__
from painfellow.accounts.principal import Principal
from painfellow.web.deps import ANON_CSRF_COOKIE

TEMPLATES_DIR = Path(__file__).parent / "templates"


def make_templates(reload: bool, zone: str) -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    local = ZoneInfo(zone)
    templates.env.filters["local"] = lambda moment: moment.astimezone(local)
    templates.env.auto_reload = reload
    templates.env.filters["day_before"] = lambda day: day - timedelta(days=1)
    templates.env.globals["version"] = __version__
    return templates


def render(
    request: Request,
    template: str,
    principal: Principal | None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """Render a page; pages for anonymous visitors get a double-submit CSRF cookie."""
    templates: Jinja2Templates = request.app.state.templates
    anon_token = None
    if principal is None or principal.session_kind != "browser":
        anon_token = request.cookies.get(ANON_CSRF_COOKIE) or secrets.token_urlsafe(24)
    csrf_token = anon_token or (principal.csrf_token if principal else "")
    response = templates.TemplateResponse(
        request,
        template,
        {"principal": principal, "csrf_token": csrf_token, **context},
        status_code=status_code,
    )
    if anon_token and request.cookies.get(ANON_CSRF_COOKIE) != anon_token:
        response.set_cookie(
            ANON_CSRF_COOKIE,
            anon_token,
            httponly=True,
            samesite="strict",
            secure=request.app.state.settings.cookies_secure,
        )
    return response
