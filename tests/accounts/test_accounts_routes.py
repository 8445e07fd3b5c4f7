from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import AuthSession, User
from painfellow.accounts.roles import Role
from tests.builders import PASSWORD, make_program, make_user, sign_in


def _login_form(client: TestClient) -> str:
    page = client.get("/login")
    assert page.status_code == 200
    return page.text.split('name="csrf_token" value="')[1].split('"')[0]


def test_login_sets_httponly_samesite_session_cookie(client: TestClient, db: Session) -> None:
    user = make_user(db)
    csrf = _login_form(client)
    response = client.post(
        "/login",
        data={"csrf_token": csrf, "email": user.email, "password": PASSWORD, "next": "/account"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/account"
    cookie = response.headers["set-cookie"]
    assert "pf_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/dashboard").status_code == 200


def test_login_without_csrf_token_is_refused(client: TestClient, db: Session) -> None:
    user = make_user(db)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "security token" in response.text
    assert db.scalars(select(AuthSession)).all() == []


def test_login_wrong_password_says_so(client: TestClient, db: Session) -> None:
    user = make_user(db)
    csrf = _login_form(client)
    response = client.post(
        "/login", data={"csrf_token": csrf, "email": user.email, "password": "nope-nope-nope"}
    )
    assert response.status_code == 401
    assert "Wrong email or password" in response.text


def test_locked_account_says_it_is_locked(client: TestClient, db: Session) -> None:
    user = make_user(db)
    csrf = _login_form(client)
    for _ in range(5):
        client.post("/login", data={"csrf_token": csrf, "email": user.email, "password": "x" * 12})
    response = client.post(
        "/login", data={"csrf_token": csrf, "email": user.email, "password": PASSWORD}
    )
    assert response.status_code == 423
    assert "locked" in response.text


def test_login_names_missing_fields(client: TestClient) -> None:
    csrf = _login_form(client)
    response = client.post("/login", data={"csrf_token": csrf, "email": "", "password": ""})
    assert response.status_code == 422
    assert 'id="email-error"' in response.text and 'id="password-error"' in response.text


def test_login_does_not_redirect_off_site(client: TestClient, db: Session) -> None:
    user = make_user(db)
    csrf = _login_form(client)
    response = client.post(
        "/login",
        data={"csrf_token": csrf, "email": user.email, "password": PASSWORD,
              "next": "//evil.example"},
        follow_redirects=False,
    )  # fmt: skip
    assert response.headers["location"] == "/dashboard"


def test_logout_ends_the_session(client: TestClient, db: Session) -> None:
    user = make_user(db)
    csrf = sign_in(client, db, user)
    response = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert response.status_code == 303
    assert client.get("/dashboard", follow_redirects=False).status_code == 303


def test_api_token_flow(client: TestClient, db: Session) -> None:
    program = make_program(db)
    user = make_user(db, [(program.id, Role.FELLOW)])
    response = client.post(
        "/api/v1/auth/token", data={"username": user.email, "password": PASSWORD}
    )
    assert response.status_code == 200
    token = response.json()["access_token"]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json()["roles"] == [{"role": "fellow", "program_id": program.id}]


def test_api_without_token_is_401(client: TestClient) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_api_token_with_bad_password_is_401(client: TestClient, db: Session) -> None:
    user = make_user(db)
    response = client.post("/api/v1/auth/token", data={"username": user.email, "password": "bad"})
    assert response.status_code == 401


def test_admin_creates_user_and_duplicates_are_409(client: TestClient, db: Session) -> None:
    program = make_program(db)
    sign_in(client, db, make_user(db, [(None, Role.PLATFORM_ADMIN)]), kind="api")
    body = {
        "email": "new.fellow@example.org",
        "full_name": "New Fellow",
        "password": "a-long-password",
        "roles": [{"role": "fellow", "program_id": program.id}],
    }
    created = client.post("/api/v1/users", json=body)
    assert created.status_code == 201
    assert created.json()["roles"] == [{"role": "fellow", "program_id": program.id}]
    duplicate = client.post("/api/v1/users", json=body)
    assert duplicate.status_code == 409
    assert "already exists" in duplicate.json()["detail"]


def test_create_user_bad_input_is_422_naming_fields(client: TestClient, db: Session) -> None:
    sign_in(client, db, make_user(db, [(None, Role.PLATFORM_ADMIN)]), kind="api")
    response = client.post(
        "/api/v1/users",
        json={"email": "x@example.org", "full_name": "X", "password": "short", "roles": [
            {"role": "not-a-role"}]},
    )  # fmt: skip
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert "roles.0.role" in fields
    assert db.scalar(select(User).where(User.email == "x@example.org")) is None


def test_password_change_page_reports_wrong_current_password(
    client: TestClient, db: Session
) -> None:
    csrf = sign_in(client, db, make_user(db))
    response = client.post(
        "/account/password",
        data={"csrf_token": csrf, "current_password": "wrong-one-here", "new_password": "short"},
    )
    assert response.status_code == 422
    assert "is not your current password" in response.text
    assert "at least 10 characters" in response.text


def test_password_reset_pages_end_to_end(client: TestClient, db: Session) -> None:
    from painfellow.outbox.models import OutboxMessage

    user = make_user(db)
    page = client.get("/password-reset")
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    sent = client.post("/password-reset", data={"csrf_token": csrf, "email": user.email})
    assert sent.status_code == 200 and "reset link is on its way" in sent.text
    body = db.scalars(select(OutboxMessage)).one().body
    path = "/password-reset/" + body.split("/password-reset/")[1].split()[0]
    weak = client.post(path, data={"csrf_token": csrf, "new_password": "short"})
    assert weak.status_code == 422 and "at least 10 characters" in weak.text
    done = client.post(
        path, data={"csrf_token": csrf, "new_password": "a-fresh-password"}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == "/login?reset=1"
    reused = client.post(path, data={"csrf_token": csrf, "new_password": "another-password"})
    assert reused.status_code == 422 and "invalid, used or expired" in reused.text
