"""Favourite procedures, and directors' access to a fellow's credentialing PDF."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.caselog import routes, service
from painfellow.caselog.models import CaseLogFavourite
from painfellow.errors import InvalidInput
from tests.builders import FIXED_NOW, make_program, make_user, sign_in
from tests.caselog.test_caselog_app import _team, _tfesi

TODAY = FIXED_NOW.date()


def test_favourites_come_first_then_recent_without_repeats(db: Session) -> None:
    program, fellow, faculty = _team(db)
    service.log_entry(db, program.id, fellow.id, _tfesi(faculty.id), today=TODAY)
    for procedure in ("rfa_genicular", "esi_transforaminal"):
        service.set_favourite(db, program.id, fellow.id, procedure, starred=True)
    service.set_favourite(db, program.id, fellow.id, "rfa_genicular", starred=True)  # idempotent
    favourites, recent = service.quick_picks(db, program.id, fellow.id)
    assert set(favourites) == {"rfa_genicular", "esi_transforaminal"}
    assert "esi_transforaminal" not in recent
    service.set_favourite(db, program.id, fellow.id, "esi_transforaminal", starred=False)
    favourites, recent = service.quick_picks(db, program.id, fellow.id)
    assert (favourites, recent) == (["rfa_genicular"], ["esi_transforaminal"])
    assert db.scalar(select(func.count(CaseLogFavourite.id))) == 1


def test_an_unknown_procedure_cannot_be_starred(db: Session) -> None:
    program, fellow, _ = _team(db)
    with pytest.raises(InvalidInput) as caught:
        service.set_favourite(db, program.id, fellow.id, "laser_sword", starred=True)
    assert caught.value.errors[0].field == "procedure_id"
    assert db.scalar(select(func.count(CaseLogFavourite.id))) == 0


def test_favourites_are_per_fellow_and_program(db: Session) -> None:
    program, fellow, _ = _team(db)
    other = make_user(db, [(program.id, Role.FELLOW)])
    service.set_favourite(db, program.id, fellow.id, "rfa_genicular", starred=True)
    assert service.quick_picks(db, program.id, other.id) == ([], [])
    second = make_program(db)
    assert service.favourite_procedures(db, second.id, fellow.id) == []


def test_star_from_the_entry_page_and_see_it_first(client: TestClient, db: Session) -> None:
    program, fellow, _ = _team(db)
    csrf = sign_in(client, db, fellow)
    entry = client.get(f"/programs/{program.id}/case-log/new?procedure=rfa_genicular")
    assert "☆ Add to favourites" in entry.text
    starred = client.post(
        f"/programs/{program.id}/case-log/favourites",
        data={"csrf_token": csrf, "procedure_id": "rfa_genicular", "starred": "1",
              "next": f"/programs/{program.id}/case-log/new?procedure=rfa_genicular"},
        follow_redirects=False,
    )  # fmt: skip
    assert starred.status_code == 303
    assert starred.headers["location"].endswith("/case-log/new?procedure=rfa_genicular")
    assert "★ Remove from favourites" in client.get(starred.headers["location"]).text
    page = client.get(f"/programs/{program.id}/case-log").text
    assert page.index("Favourites:") < page.index("★ Genicular")
    # an outside "next" is ignored
    away = client.post(
        f"/programs/{program.id}/case-log/favourites",
        data={"csrf_token": csrf, "procedure_id": "rfa_genicular", "starred": "0",
              "next": "https://example.org/"},
        follow_redirects=False,
    )  # fmt: skip
    assert away.headers["location"] == f"/programs/{program.id}/case-log"
    bad = client.post(
        f"/programs/{program.id}/case-log/favourites",
        data={"csrf_token": csrf, "procedure_id": "nope"},
    )
    assert bad.status_code == 422


def test_managers_get_a_fellows_credentialing_pdf(
    client: TestClient, db: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    program, fellow, faculty = _team(db)
    entry = service.log_entry(db, program.id, fellow.id, _tfesi(faculty.id), today=TODAY)
    service.verify_entry(db, program.id, faculty.id, entry.id, now=FIXED_NOW)
    coordinator = make_user(db, [(program.id, Role.PROGRAM_COORDINATOR)])
    sign_in(client, db, coordinator)
    url = f"/programs/{program.id}/case-log/fellows/{fellow.id}/report.pdf"
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    # the PDF is made from this fellow's report
    monkeypatch.setattr(routes, "render_pdf", lambda html: html.encode())
    html = client.get(url).text
    assert fellow.full_name in html and "Transforaminal" in html
    # someone who is not a fellow of this program: 404, also a faculty member's id
    assert (
        client.get(f"/programs/{program.id}/case-log/fellows/{faculty.id}/report.pdf").status_code
        == 404
    )
    stranger = make_user(db, [(make_program(db).id, Role.FELLOW)])
    assert (
        client.get(f"/programs/{program.id}/case-log/fellows/{stranger.id}/report.pdf").status_code
        == 404
    )
    page = client.get(f"/programs/{program.id}/case-log/program").text
    assert f"/case-log/fellows/{fellow.id}/report.pdf" in page


def test_a_fellow_cannot_read_another_fellows_pdf(client: TestClient, db: Session) -> None:
    program, fellow, _ = _team(db)
    other = make_user(db, [(program.id, Role.FELLOW)])
    sign_in(client, db, other)
    response = client.get(f"/programs/{program.id}/case-log/fellows/{fellow.id}/report.pdf")
    assert response.status_code == 403
