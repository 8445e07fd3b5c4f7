"""Every route × every role × own/other program.

``EXPECTED`` is the specification, written out by hand: a new route fails this test until it
is added here, and a route whose declared rule differs from the specification fails too.
Then each route is called as every role (and anonymously), in the caller's own program and in
another, and must admit exactly the callers the specification admits.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.routing import Mount

from painfellow.accounts.roles import GLOBAL_ROLES, Role
from painfellow.web.authz import registered_routes, rule_of
from tests.builders import make_program, make_user, sign_in
from tests.web import matrix
from tests.web.authz_specs import (
    ADMIN,
    DIRECTOR,
    MANAGERS,
    MEMBERS,
    OWN_FELLOW,
    PUBLIC,
    SIGNED_IN,
    SUPERVISORS,
)

CORE_ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/"): PUBLIC,
    ("GET", "/dashboard"): SIGNED_IN,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    ("POST", "/logout"): SIGNED_IN,
    ("GET", "/account"): SIGNED_IN,
    ("POST", "/account/password"): SIGNED_IN,
    ("GET", "/password-reset"): PUBLIC,
    ("POST", "/password-reset"): PUBLIC,
    ("GET", "/password-reset/{token}"): PUBLIC,
    ("POST", "/password-reset/{token}"): PUBLIC,
    ("POST", "/api/v1/auth/token"): PUBLIC,
    ("GET", "/api/v1/me"): SIGNED_IN,
    ("POST", "/api/v1/users"): ADMIN,
    ("GET", "/programs"): PUBLIC,
    ("GET", "/programs/{program_id}"): PUBLIC,
    ("GET", "/programs/{program_id}/edit"): MANAGERS,
    ("POST", "/programs/{program_id}/edit"): MANAGERS,
    ("GET", "/api/v1/programs"): PUBLIC,
    ("GET", "/programs/discover"): PUBLIC,
    ("GET", "/api/v1/programs/discover"): PUBLIC,
    ("GET", "/api/v1/programs/{program_id}"): PUBLIC,
    ("PUT", "/api/v1/programs/{program_id}"): MANAGERS,
    ("POST", "/api/v1/programs"): ADMIN,
    ("GET", "/api/v1/programs/{program_id}/members"): MANAGERS,
    ("GET", "/programs/{program_id}/audit"): DIRECTOR,
    ("GET", "/admin/audit"): ADMIN,
    ("GET", "/api/v1/programs/{program_id}/audit"): DIRECTOR,
    ("GET", "/api/v1/audit"): ADMIN,
    ("GET", "/admin/outbox"): ADMIN,
    ("GET", "/api/v1/health"): PUBLIC,
    ("GET", "/api/v1/docs"): PUBLIC,
    ("GET", "/programs/{program_id}/duty-hours"): OWN_FELLOW,
    ("POST", "/programs/{program_id}/duty-hours/shifts"): OWN_FELLOW,
    ("POST", "/programs/{program_id}/duty-hours/shifts/{shift_id}/delete"): OWN_FELLOW,
    ("GET", "/programs/{program_id}/duty-hours/report"): MANAGERS,
    ("GET", "/api/v1/programs/{program_id}/duty-hours/shifts"): OWN_FELLOW,
    ("POST", "/api/v1/programs/{program_id}/duty-hours/shifts"): OWN_FELLOW,
    ("GET", "/programs/{program_id}/research"): OWN_FELLOW,
    ("POST", "/programs/{program_id}/research/projects"): OWN_FELLOW,
    ("POST", "/programs/{program_id}/research/works"): OWN_FELLOW,
    ("POST", "/programs/{program_id}/research/works/{work_id}/delete"): OWN_FELLOW,
    ("GET", "/programs/{program_id}/research/cv.txt"): OWN_FELLOW,
    ("GET", "/programs/{program_id}/research/report.csv"): MANAGERS,
    ("GET", "/programs/{program_id}/case-log"): OWN_FELLOW,
    ("GET", "/programs/{program_id}/case-log/new"): OWN_FELLOW,
    ("POST", "/programs/{program_id}/case-log"): OWN_FELLOW,
    ("GET", "/programs/{program_id}/case-log/{entry_id}/correct"): OWN_FELLOW,
    ("POST", "/programs/{program_id}/case-log/{entry_id}/correct"): OWN_FELLOW,
    ("GET", "/programs/{program_id}/case-log/export.csv"): OWN_FELLOW,
    ("GET", "/programs/{program_id}/case-log/verify"): SUPERVISORS,
    ("POST", "/programs/{program_id}/case-log/{entry_id}/verify"): SUPERVISORS,
    ("GET", "/programs/{program_id}/case-log/program"): MANAGERS,
    ("POST", "/programs/{program_id}/case-log/minimums"): DIRECTOR,
    ("GET", "/programs/{program_id}/case-log/import"): OWN_FELLOW,
    ("POST", "/programs/{program_id}/case-log/import"): OWN_FELLOW,
    ("GET", "/programs/{program_id}/case-log/acgme.csv"): OWN_FELLOW,
    ("GET", "/programs/{program_id}/case-log/report.pdf"): OWN_FELLOW,
    ("GET", "/programs/{program_id}/case-log/program/acgme.csv"): MANAGERS,
    ("GET", "/programs/{program_id}/didactics"): MEMBERS,
    ("POST", "/programs/{program_id}/didactics"): MANAGERS,
    ("POST", "/programs/{program_id}/didactics/{session_id}/check-in"): OWN_FELLOW,
    ("POST", "/programs/{program_id}/didactics/{session_id}/excuse"): MANAGERS,
    ("POST", "/programs/{program_id}/didactics/{session_id}/rating"): OWN_FELLOW,
    ("GET", "/programs/{program_id}/curriculum"): MEMBERS,
    ("POST", "/programs/{program_id}/curriculum"): MANAGERS,
    ("POST", "/programs/{program_id}/curriculum/{objective_id}/delete"): MANAGERS,
    ("POST", "/programs/{program_id}/curriculum/{objective_id}/links"): MANAGERS,
    ("POST", "/programs/{program_id}/curriculum/{objective_id}/links/delete"): MANAGERS,
    ("GET", "/programs/{program_id}/schedule"): MEMBERS,
    ("GET", "/programs/{program_id}/schedule.csv"): MEMBERS,
    ("GET", "/programs/{program_id}/schedule/setup"): MANAGERS,
    ("POST", "/programs/{program_id}/schedule/calendar"): MANAGERS,
    ("POST", "/programs/{program_id}/schedule/rotations"): MANAGERS,
    ("POST", "/programs/{program_id}/schedule/requirements"): MANAGERS,
    ("POST", "/programs/{program_id}/schedule/requirements/{requirement_id}/delete"): MANAGERS,
    ("POST", "/programs/{program_id}/schedule/requests"): MANAGERS,
    ("POST", "/programs/{program_id}/schedule/requests/{request_id}/delete"): MANAGERS,
    ("POST", "/programs/{program_id}/schedule/generate"): MANAGERS,
    ("POST", "/programs/{program_id}/schedule/cells"): MANAGERS,
    ("GET", "/programs/{program_id}/schedule/mine"): OWN_FELLOW,
    ("GET", "/programs/{program_id}/schedule/mine.ics"): OWN_FELLOW,
    ("GET", "/eligibility"): PUBLIC,
    ("GET", "/admin/eligibility"): ADMIN,
    ("POST", "/admin/eligibility"): ADMIN,
}


def _specification() -> dict[tuple[str, str], str]:
    """The routes above plus every domain's own table in ``tests/web/matrix/<domain>.py``."""
    spec = dict(CORE_ROUTES)
    for module_info in pkgutil.iter_modules(matrix.__path__):
        routes = importlib.import_module(f"{matrix.__name__}.{module_info.name}").ROUTES
        clash = set(spec) & set(routes)
        assert not clash, f"{module_info.name} specifies routes twice: {clash}"
        spec.update(routes)
    return spec


EXPECTED = _specification()
FRAMEWORK_ROUTES = {"/api/v1/openapi.json"}  # FastAPI's own schema route: public by design
CALLERS: list[Role | None] = [None, *Role]


def _spec_of_rule(route: APIRoute) -> str | None:
    rule = rule_of(route)
    if rule is None:
        return None
    if rule.audience in ("public", "signed_in"):
        return rule.audience
    if rule.audience == "global_roles" and rule.roles == {Role.PLATFORM_ADMIN}:
        return ADMIN
    roles = ",".join(sorted(r.value for r in rule.roles))
    if rule.audience == "program_roles":
        return f"{'program' if rule.admin else 'self'}:{roles}"
    return f"{'global' if rule.admin else 'selfglobal'}:{roles}"


def _admits(spec: str, role: Role | None, own_program: bool) -> bool:
    if spec == PUBLIC:
        return True
    if role is None:
        return False
    kind, _, roles = spec.partition(":")
    if kind == "selfglobal":
        return role.value in roles.split(",")
    if kind == "self":
        return own_program and role.value in roles.split(",")
    if spec == SIGNED_IN or role == Role.PLATFORM_ADMIN:
        return True
    if spec == ADMIN:
        return False
    if kind == "global":
        return role.value in roles.split(",")
    return own_program and kind == "program" and role.value in roles.split(",")


def _api_routes(app: FastAPI) -> list[tuple[str, str, APIRoute]]:
    result = []
    for path, route in registered_routes(app):
        if isinstance(route, Mount) or path in FRAMEWORK_ROUTES:
            continue
        assert isinstance(route, APIRoute), f"unexpected route type for {path}: {route}"
        for method in sorted(route.methods - {"HEAD"}):
            result.append((method, path, route))
    return result


def test_every_route_declares_the_specified_rule(app: FastAPI) -> None:
    seen = set()
    for method, path, route in _api_routes(app):
        key = (method, path)
        seen.add(key)
        assert rule_of(route) is not None, f"{method} {path} declares no authorization rule"
        assert key in EXPECTED, f"{method} {path} is missing from the matrix specification"
        assert _spec_of_rule(route) == EXPECTED[key], f"{method} {path}: rule differs"
    assert set(EXPECTED) == seen, f"specified but not registered: {set(EXPECTED) - seen}"


@pytest.mark.parametrize("caller", CALLERS, ids=lambda r: r.value if r else "anonymous")
def test_routes_admit_exactly_the_specified_callers(
    app: FastAPI, client: TestClient, db: Session, caller: Role | None
) -> None:
    own, other = make_program(db), make_program(db)
    failures = []
    for method, template, _ in _api_routes(app):
        spec = EXPECTED[(method, template)]
        targets = [True, False] if "{program_id}" in template else [True]
        for own_program in targets:
            client.cookies.clear()
            client.headers.pop("Authorization", None)
            headers = {}
            if caller is None:
                client.cookies.set("pf_csrf", "anon-token")
                headers["x-csrf-token"] = "anon-token"
            else:
                program_id = None if caller in GLOBAL_ROLES else own.id
                user = make_user(db, [(program_id, caller)])
                headers["x-csrf-token"] = sign_in(client, db, user)
            path = template.replace("{program_id}", str(own.id if own_program else other.id))
            path = path.replace("{token}", "not-a-real-token")
            path = re.sub(r"\{\w+\}", "999999", path)  # ids of rows that do not exist
            response = client.request(method, path, headers=headers, follow_redirects=False)
            denied = response.status_code in (401, 403) or (
                response.status_code == 303
                and response.headers["location"].startswith("/login?next=")
            )
            expected = _admits(spec, caller, own_program)
            if denied == expected:
                where = "own" if own_program else "other"
                failures.append(f"{method} {path} ({where}): {response.status_code}")
    assert not failures, "authorization differs from the specification:\n" + "\n".join(failures)
