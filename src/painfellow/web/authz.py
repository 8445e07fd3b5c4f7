"""Authorization, in one place.

Every route declares exactly one ``Rule`` through ``Depends(allow(...))``; the audiences
used across the application are defined once in ``painfellow.web.access``. The rule says who
may call it: anyone, any signed-in person, holders of certain global roles, or holders of
certain roles *in the program named by the path's ``program_id``*. Platform admins pass
program rules that admit them (``admin=True``, the default). The same dependency checks the
CSRF token on every state-changing request that a browser could send with its cookies.
The authorization matrix test walks every route and fails when one has no rule.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, Literal, TypeVar

from fastapi import FastAPI, Request
from fastapi.routing import iter_route_contexts
from sqlalchemy import Select
from sqlalchemy.orm import Session
from starlette.routing import BaseRoute

from painfellow.accounts.principal import Principal
from painfellow.accounts.roles import Role
from painfellow.accounts.service import AnyRow, get_principal_along
from painfellow.audit.recorder import Actor, set_actor
from painfellow.errors import NotAuthenticated, PermissionDenied
from painfellow.web.deps import (
    ANON_CSRF_COOKIE,
    SAFE_METHODS,
    SESSION_COOKIE,
    DbDep,
    PrincipalOrNoneDep,
    bearer_token,
    caller_token,
    request_db_executor,
    request_db_slot,
    request_now,
    request_read_engine,
    request_session,
)

T = TypeVar("T")

Audience = Literal["public", "signed_in", "global_roles", "program_roles"]


@dataclass(frozen=True)
class Rule:
    audience: Audience
    roles: frozenset[Role] = frozenset()
    admin: bool = True

    def admits(self, principal: Principal | None, program_id: int | None) -> bool:
        if self.audience == "public":
            return True
        if principal is None:
            return False
        if self.audience == "signed_in":
            return True
        if self.admin and principal.is_admin:
            return True
        if self.audience == "global_roles":
            return bool(self.roles & principal.global_roles())
        assert program_id is not None, "program rule on a route without program_id"
        return bool(self.roles & principal.roles_in(program_id))


@dataclass(frozen=True)
class Caller:
    """What a route learns about who called it, after the rule admitted them."""

    principal: Principal | None
    program_id: int | None

    @property
    def signed_in(self) -> Principal:
        assert self.principal is not None
        return self.principal


class Authorize:
    def __init__(self, rule: Rule) -> None:
        self.rule = rule

    async def __call__(self, request: Request, db: DbDep, principal: PrincipalOrNoneDep) -> Caller:
        program_id = self._admit(request, principal)
        if request.method not in SAFE_METHODS:
            expected = _expected_csrf(request, principal)
            if expected is not None:
                _compare_csrf(expected, await _sent_csrf(request))
        return self._caller(db, principal, program_id)

    def _admit(self, request: Request, principal: Principal | None) -> int | None:
        program_id = _program_id(request) if self.rule.audience == "program_roles" else None
        if not self.rule.admits(principal, program_id):
            if principal is None:
                raise NotAuthenticated("Sign in to continue.")
            raise PermissionDenied("You do not have access to this page or action.")
        return program_id

    @staticmethod
    def _caller(db: Session, principal: Principal | None, program_id: int | None) -> Caller:
        if principal is not None:
            set_actor(db, Actor(principal.user_id, principal.email))
        return Caller(principal, program_id)


class AuthorizeInRoute(Authorize):
    """The same rule, checked where the route does its database work.

    For API routes that scripts call in bursts (500 applicants booking 60 seats at once):
    FastAPI's per-request dependency solving and a session opened by an async-generator
    dependency cost more CPU than the booking's own read. This dependency needs only the
    request and does no I/O; it hands the route a ``PendingCaller``, whose ``run`` runs the
    route's work, caller lookup and rule check included, in one worker thread call. The
    route learns who called only from ``resolve_along``, so it cannot skip the check.
    """

    async def __call__(self, request: Request) -> PendingCaller:  # type: ignore[override]
        # what the request sent is read here, on the event loop (a form body is async)
        needs = request.method not in SAFE_METHODS and bearer_token(request) is None
        return PendingCaller(self, request, await _sent_csrf(request) if needs else None)


@dataclass(frozen=True)
class PendingCaller:
    """A caller not yet looked up. ``run(work, *args)`` calls ``work(InRouteCaller, *args)``
    in a worker thread."""

    authorize: AuthorizeInRoute
    request: Request
    sent_csrf: str | None

    async def run(self, work: Callable[..., T], *args: Any) -> T:
        async with request_db_slot(self.request):
            call = partial(self._run, work, args)
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(request_db_executor(self.request), call)

    def _run(self, work: Callable[..., T], args: tuple[Any, ...]) -> T:
        with ExitStack() as stack:
            return work(InRouteCaller(self, request_now(self.request), stack), *args)


class InRouteCaller:
    """A ``PendingCaller`` in its worker thread: the request's time, the rule check, and a
    session opened on first use, so that a request answered from its one read (on
    PostgreSQL, read outside a transaction) never opens one."""

    def __init__(self, pending: PendingCaller, now: datetime, stack: ExitStack) -> None:
        self.pending = pending
        self.now = now
        self._stack = stack
        self._session: Session | None = None
        self._caller: Caller | None = None

    @property
    def db(self) -> Session:
        if self._session is None:
            self._session = self._stack.enter_context(request_session(self.pending.request))
            self._audit_as_caller()
        return self._session

    def _audit_as_caller(self) -> None:
        """Record the session's writes as the caller's, once both exist."""
        if self._session is not None and self._caller is not None:
            Authorize._caller(self._session, self._caller.principal, self._caller.program_id)

    def resolve_along(
        self, statement: Select[Any], params: Mapping[str, Any]
    ) -> tuple[Caller, AnyRow | None]:
        """The caller, checked against the route's rule, and the one row of ``statement``
        (built by ``accounts.service.principal_along``) read in the same round trip; the row
        is handed over only once the caller is admitted."""
        request = self.pending.request
        token = caller_token(request)
        principal: Principal | None = None
        row: AnyRow | None = None
        reads = request_read_engine(request)
        if token and reads is not None:
            with reads.connect() as connection:
                principal, row = get_principal_along(connection, token, self.now, statement, params)
        elif token:
            principal, row = get_principal_along(self.db, token, self.now, statement, params)
        return self._check(principal), row

    def _check(self, principal: Principal | None) -> Caller:
        pending = self.pending
        request = pending.request
        program_id = pending.authorize._admit(request, principal)
        if request.method not in SAFE_METHODS:
            expected = _expected_csrf(request, principal)
            if expected is not None:
                _compare_csrf(expected, pending.sent_csrf)
        self._caller = Caller(principal, program_id)
        self._audit_as_caller()
        return self._caller


def allow(audience: Audience, *roles: Role, admin: bool = True) -> Authorize:
    return Authorize(_rule(audience, roles, admin))


def in_route(authorize: Authorize) -> AuthorizeInRoute:
    """The audience ``authorize`` admits, for a route that resolves its caller itself (see
    ``AuthorizeInRoute``)."""
    return AuthorizeInRoute(authorize.rule)


def _rule(audience: Audience, roles: tuple[Role, ...], admin: bool) -> Rule:
    if audience in ("global_roles", "program_roles") and not roles:
        raise ValueError("a role rule needs at least one role")
    return Rule(audience, frozenset(roles), admin)


def _program_id(request: Request) -> int:
    raw = request.path_params.get("program_id")
    try:
        return int(str(raw))
    except (TypeError, ValueError) as error:
        raise PermissionDenied("This route needs a program.") from error


def _expected_csrf(request: Request, principal: Principal | None) -> str | None:
    """Synchroniser token for cookie sessions; double-submit cookie before sign-in; None when
    the request needs no token.

    Requests authenticated by a bearer token carry no ambient credentials, so they need none.
    """
    if bearer_token(request) is not None:
        return None
    uses_cookie = SESSION_COOKIE in request.cookies
    if principal is not None and uses_cookie:
        return principal.csrf_token
    if request.url.path.startswith("/api/") and not uses_cookie:
        return None
    return request.cookies.get(ANON_CSRF_COOKIE, "")


async def _sent_csrf(request: Request) -> str | None:
    sent = request.headers.get("x-csrf-token")
    if sent is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    return sent


def _compare_csrf(expected: str, sent: str | None) -> None:
    if not expected or not sent or not secrets.compare_digest(expected, sent):
        raise PermissionDenied("The form's security token is missing or expired. Reload the page.")


def rule_of(route: object) -> Rule | None:
    """The rule declared on a route, for the authorization matrix test."""
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return None
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, Authorize):
            return dependency.call.rule
    return None


def registered_routes(app: FastAPI) -> list[tuple[str, BaseRoute]]:
    """Every route the application serves, with its full path (included routers flattened)."""
    return [
        (context.path or "", context.original_route) for context in iter_route_contexts(app.routes)
    ]
