"""Sign-in, sign-out, the account page, password reset, API tokens and user creation."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.security import OAuth2PasswordRequestForm

from painfellow.accounts import service
from painfellow.accounts.roles import Role
from painfellow.accounts.schemas import (
    MeView,
    PasswordChangeForm,
    PasswordResetForm,
    PasswordResetRequestForm,
    RoleView,
    SignInForm,
    TokenView,
    UserCreate,
    safe_next,
)
from painfellow.errors import DomainError, InvalidInput
from painfellow.web.access import AdminOnly, Public, SignedIn
from painfellow.web.deps import SESSION_COOKIE, DbDep, NowDep, SettingsDep
from painfellow.web.forms import errors_by_field, parse_form
from painfellow.web.templating import render

router = APIRouter()


def _client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


async def _form(request: Request) -> dict[str, Any]:
    return dict((await request.form()).items())


@router.get("/login", response_class=HTMLResponse, include_in_schema=False)
def login_page(request: Request, caller: Public, next: str = "/dashboard") -> Response:
    if caller.principal and caller.principal.session_kind == "browser":
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "accounts/login.html", None, next=safe_next(next), errors={})


@router.post("/login", include_in_schema=False)
async def login_submit(
    request: Request, caller: Public, db: DbDep, settings: SettingsDep, now: NowDep
) -> Response:
    data = await _form(request)
    try:
        form = parse_form(SignInForm, data)
        token, _ = service.sign_in(
            db,
            settings,
            email=form.email,
            password=form.password,
            address=_client_address(request),
            kind="browser",
            now=now,
        )
    except InvalidInput as error:
        return render(
            request, "accounts/login.html", None, 422,
            next=safe_next(str(data.get("next", ""))), errors=errors_by_field(error),
            email=data.get("email", ""),
        )  # fmt: skip
    except DomainError as error:
        from painfellow.web.errors import STATUS_OF

        status = next((s for cls, s in STATUS_OF.items() if isinstance(error, cls)), 400)
        return render(
            request, "accounts/login.html", None, status,
            next=safe_next(str(data.get("next", ""))), errors={}, message=error.message,
            email=data.get("email", ""),
        )  # fmt: skip
    response = RedirectResponse(safe_next(form.next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.cookies_secure,
    )
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, caller: SignedIn, db: DbDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        service.sign_out(db, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/account", response_class=HTMLResponse, include_in_schema=False)
def account_page(request: Request, caller: SignedIn) -> Response:
    return render(request, "accounts/account.html", caller.principal, errors={})


@router.post("/account/password", include_in_schema=False)
async def change_password(request: Request, caller: SignedIn, db: DbDep, now: NowDep) -> Response:
    data = await _form(request)
    try:
        form = parse_form(PasswordChangeForm, data)
        service.change_password(
            db,
            caller.signed_in,
            current_password=form.current_password,
            new_password=form.new_password,
            now=now,
        )
    except InvalidInput as error:
        return render(
            request, "accounts/account.html", caller.principal, 422, errors=errors_by_field(error)
        )
    return render(
        request, "accounts/account.html", caller.principal, errors={},
        message="Your password was changed. Your other sessions were signed out.",
    )  # fmt: skip


@router.get("/password-reset", response_class=HTMLResponse, include_in_schema=False)
def reset_request_page(request: Request, caller: Public) -> Response:
    return render(request, "accounts/reset_request.html", caller.principal, errors={})


@router.post("/password-reset", include_in_schema=False)
async def reset_request_submit(
    request: Request, caller: Public, db: DbDep, settings: SettingsDep, now: NowDep
) -> Response:
    data = await _form(request)
    try:
        form = parse_form(PasswordResetRequestForm, data)
    except InvalidInput as error:
        return render(
            request, "accounts/reset_request.html", caller.principal, 422,
            errors=errors_by_field(error),
        )  # fmt: skip
    service.request_password_reset(db, settings, email=form.email, now=now)
    return render(
        request, "accounts/reset_request.html", caller.principal, errors={},
        message="If that address has an account, a reset link is on its way.",
    )  # fmt: skip


@router.get("/password-reset/{token}", response_class=HTMLResponse, include_in_schema=False)
def reset_page(request: Request, token: str, caller: Public) -> Response:
    return render(request, "accounts/reset.html", caller.principal, token=token, errors={})


@router.post("/password-reset/{token}", include_in_schema=False)
async def reset_submit(
    request: Request, token: str, caller: Public, db: DbDep, now: NowDep
) -> Response:
    data = await _form(request)
    try:
        form = parse_form(PasswordResetForm, data)
        service.reset_password(db, token=token, new_password=form.new_password, now=now)
    except InvalidInput as error:
        return render(
            request, "accounts/reset.html", caller.principal, 422,
            token=token, errors=errors_by_field(error),
        )  # fmt: skip
    return RedirectResponse("/login?reset=1", status_code=303)


# ---- API -----------------------------------------------------------------------------------


@router.post("/api/v1/auth/token", response_model=TokenView, tags=["auth"])
def issue_token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    caller: Public,
    db: DbDep,
    settings: SettingsDep,
    now: NowDep,
) -> TokenView:
    """OAuth2 password flow: exchange email (as ``username``) and password for a bearer token."""
    token, _ = service.sign_in(
        db,
        settings,
        email=form.username,
        password=form.password,
        address=_client_address(request),
        kind="api",
        now=now,
    )
    return TokenView(access_token=token, expires_in=settings.api_token_hours * 3600)


@router.get("/api/v1/me", response_model=MeView, tags=["auth"])
def me(caller: SignedIn) -> MeView:
    p = caller.signed_in
    roles = [RoleView(role=r, program_id=pid) for pid, r in sorted(p.roles, key=str)]
    return MeView(id=p.user_id, email=p.email, full_name=p.full_name, roles=roles)


@router.post("/api/v1/users", response_model=MeView, status_code=201, tags=["admin"])
def create_user(body: UserCreate, caller: AdminOnly, db: DbDep) -> MeView:
    user = service.create_user(
        db,
        email=body.email,
        full_name=body.full_name,
        password=body.password,
        roles=[(g.program_id, g.role) for g in body.roles],
    )
    roles = [RoleView(role=Role(m.role), program_id=m.program_id) for m in user.memberships]
    return MeView(id=user.id, email=user.email, full_name=user.full_name, roles=roles)
