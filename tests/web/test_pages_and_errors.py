from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from painfellow import __version__
from painfellow.accounts.roles import Role
from tests.builders import make_program, make_user, sign_in


def test_health_reports_database_and_version(client: TestClient, database_url: str) -> None:
    body = client.get("/api/v1/health").json()
    expected = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    assert body == {"status": "ok", "database": expected, "version": __version__}


def test_openapi_and_docs_are_served_locally(client: TestClient) -> None:
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/programs/{program_id}" in schema["paths"]
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_unknown_page_is_styled_404(client: TestClient) -> None:
    response = client.get("/no/such/page")
    assert response.status_code == 404
    assert "Page not found" in response.text and "/static/app.css" in response.text


def test_unknown_api_path_is_json_404(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is nothing at this address."}


def test_bad_query_value_is_422_naming_field(client: TestClient) -> None:
    response = client.get("/api/v1/programs", params={"per_page": 0})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "per_page"


def test_anonymous_page_redirects_to_login_with_next(client: TestClient) -> None:
    response = client.get("/dashboard", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/dashboard"


def test_dashboard_shows_next_steps_for_director(client: TestClient, db: Session) -> None:
    program = make_program(db, contacts=[], website_text="")
    sign_in(client, db, make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)]))
    page = client.get("/dashboard")
    assert page.status_code == 200
    assert "Add a contact person to your program profile" in page.text
    assert f"/programs/{program.id}/audit" in page.text


def test_dashboard_for_admin_shows_platform_figures(client: TestClient, db: Session) -> None:
    sign_in(client, db, make_user(db, [(None, Role.PLATFORM_ADMIN)]))
    page = client.get("/dashboard")
    assert "Programs" in page.text and "Emails waiting" in page.text


def test_profile_page_hides_edit_link_from_other_programs(client: TestClient, db: Session) -> None:
    own, other = make_program(db), make_program(db)
    sign_in(client, db, make_user(db, [(own.id, Role.PROGRAM_COORDINATOR)]))
    assert f"/programs/{own.id}/edit" in client.get(f"/programs/{own.id}").text
    assert f"/programs/{other.id}/edit" not in client.get(f"/programs/{other.id}").text
