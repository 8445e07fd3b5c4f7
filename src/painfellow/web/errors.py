"""Maps domain and framework errors to HTTP, in one place: JSON under /api, pages elsewhere."""

from __future__ import annotations

import logging
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from painfellow.accounts.principal import Principal
from painfellow.errors import (
    AccountLocked,
    Conflict,
    DomainError,
    FieldError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    RateLimited,
)
from painfellow.web.deps import get_principal_or_none
from painfellow.web.forms import field_errors
from painfellow.web.templating import render

log = logging.getLogger("painfellow.web")

STATUS_OF: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 409,
    NotAuthenticated: 401,
    PermissionDenied: 403,
    AccountLocked: 423,
    RateLimited: 429,
    InvalidInput: 422,
}

TITLES = {
    400: "Bad request",
    401: "Sign-in needed",
    403: "Not allowed",
    404: "Page not found",
    405: "Method not allowed",
    409: "Conflict",
    413: "Too large",
    422: "Please check your input",
    423: "Account locked",
    429: "Too many attempts",
    500: "Something went wrong",
}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(
    request: Request, status: int, message: str, errors: list[FieldError] | None = None
) -> Response:
    if is_api(request):
        body: dict[str, object] = {"detail": message}
        if errors:
            body["errors"] = [{"field": e.field, "message": e.message} for e in errors]
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return JSONResponse(body, status_code=status, headers=headers)
    principal = _principal_for_page(request)
    return render(
        request,
        "error.html",
        principal,
        status_code=status,
        title=TITLES.get(status, "Error"),
        message=message,
        errors=errors or [],
    )


def _principal_for_page(request: Request) -> Principal | None:
    factory = getattr(request.app.state, "session_factory", None)
    if factory is None:
        return None
    from datetime import UTC, datetime

    with factory() as session:
        try:
            return get_principal_or_none(request, session, datetime.now(UTC))
        except Exception:  # never let the error page fail
            return None


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, error: DomainError) -> Response:
        status = next((s for cls, s in STATUS_OF.items() if isinstance(error, cls)), 400)
        if status == 401 and not is_api(request) and request.method == "GET":
            target = quote(
                request.url.path + (f"?{request.url.query}" if request.url.query else "")
            )
            return RedirectResponse(f"/login?next={target}", status_code=303)
        errors = error.errors if isinstance(error, InvalidInput) else None
        return error_response(request, status, error.message, errors)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, error: RequestValidationError) -> Response:
        errors = field_errors(error.errors())
        return error_response(request, 422, "Some fields are missing or invalid.", errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, error: StarletteHTTPException) -> Response:
        message = {404: "There is nothing at this address."}.get(
            error.status_code, str(error.detail)
        )
        return error_response(request, error.status_code, message)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, error: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(
            request, 500, "An unexpected error occurred. It has been logged; nothing was saved."
        )
