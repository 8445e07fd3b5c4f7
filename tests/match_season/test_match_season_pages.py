from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.match_season import service
from painfellow.match_season.models import MatchRun, RankEntry
from painfellow.match_season.service import Owner
from tests.builders import FIXED_NOW, make_program, make_user
from tests.match_season.helpers import (
    applicant,
    interview,
    make_season,
    program_with_director,
)
from tests.match_season.helpers import sign_in_for_weeks as sign_in

FRAGMENT = {"X-Rank-List": "fragment"}


@pytest.fixture(autouse=True)
def _no_redirects(client: TestClient) -> None:
    client.follow_redirects = False


def _clock(app: FastAPI, days: int) -> None:
    app.state.clock = lambda: FIXED_NOW + timedelta(days=days)


def test_applicant_ranks_moves_and_removes_with_autosave(client: TestClient, db: Session) -> None:
    season = make_season(db)
    person = applicant(db)
    programs = [make_program(db, institution=f"Clinic {n}") for n in "XYZ"]
    for program in programs:
        interview(db, program, person)
    csrf = sign_in(client, db, person)
    page = client.get("/match")
    assert page.status_code == 200
    assert "Interviewed, not yet ranked" in page.text and "Clinic X" in page.text
    assert "Short list" in page.text and "fewer than 3 programs" in page.text
    for program in programs:
        added = client.post("/match/ranks", data={"csrf_token": csrf, "program_id": program.id})
        assert added.status_code == 303 and added.headers["location"].startswith("/match?saved")
    moved = client.post(f"/match/ranks/{programs[2].id}/move",
                        data={"csrf_token": csrf, "position": 1}, headers=FRAGMENT)  # fmt: skip
    assert moved.status_code == 200
    assert 'data-announce="Clinic Z' in moved.text and "moved to rank 1 of 3" in moved.text
    assert "<html" not in moved.text  # only the list comes back
    down = client.post(
        f"/match/ranks/{programs[2].id}/move", data={"csrf_token": csrf, "position": 2}
    )
    assert down.status_code == 303
    landed = client.get(down.headers["location"])
    assert '<p class="notice" id="rank-saved" role="status">Moved and saved.</p>' in landed.text
    assert "interviewed 22 Oct 2026" in landed.text  # 30 days before FIXED_NOW
    removed = client.post(f"/match/ranks/{programs[0].id}/remove", data={"csrf_token": csrf})
    assert removed.status_code == 303
    view = service.list_view(db, season, Owner("applicant", person.id), FIXED_NOW)
    assert [r.candidate.id for r in view.rows] == [programs[2].id, programs[1].id]
    bad = client.post(
        f"/match/ranks/{programs[1].id}/move", data={"csrf_token": csrf, "position": 9}
    )
    assert bad.status_code == 422 and "must be between 1 and 2" in bad.text


def test_ranking_a_program_that_did_not_interview_is_422(client: TestClient, db: Session) -> None:
    make_season(db)
    person = applicant(db)
    stranger = make_program(db)
    csrf = sign_in(client, db, person)
    response = client.post("/match/ranks", data={"csrf_token": csrf, "program_id": stranger.id})
    assert response.status_code == 422 and "did not interview you" in response.text
    assert db.query(RankEntry).count() == 0


def test_certify_then_reopen_and_not_after_the_deadline(
    app: FastAPI, client: TestClient, db: Session
) -> None:
    make_season(db)
    person = applicant(db)
    program = make_program(db)
    interview(db, program, person)
    csrf = sign_in(client, db, person)
    client.post("/match/ranks", data={"csrf_token": csrf, "program_id": program.id})
    assert client.post("/match/certify", data={"csrf_token": csrf}).status_code == 303
    page = client.get("/match")
    assert "Certified on" in page.text and "Reopen list" in page.text
    frozen = client.post(f"/match/ranks/{program.id}/remove", data={"csrf_token": csrf})
    assert frozen.status_code == 409 and "reopen it" in frozen.text
    assert client.post("/match/reopen", data={"csrf_token": csrf}).status_code == 303
    assert client.post("/match/certify", data={"csrf_token": csrf}).status_code == 303
    _clock(app, 12)
    late = client.post("/match/reopen", data={"csrf_token": csrf})
    assert late.status_code == 409 and "can no longer be reopened" in late.text


def test_program_page_shows_interviewed_applicants_and_quota(
    client: TestClient, db: Session
) -> None:
    make_season(db)
    program, director = program_with_director(db)
    faculty = make_user(db, [(program.id, Role.FACULTY)])
    person = applicant(db, "Dr. Interviewed Person")
    interview(db, program, person)
    csrf = sign_in(client, db, director)
    assert client.post(f"/programs/{program.id}/match/quota",
                       data={"csrf_token": csrf, "quota": "0"}).status_code == 422  # fmt: skip
    assert client.post(f"/programs/{program.id}/match/quota",
                       data={"csrf_token": csrf, "quota": "2"}).status_code == 303  # fmt: skip
    add = client.post(
        f"/programs/{program.id}/match/ranks",
        data={"csrf_token": csrf, "applicant_user_id": person.id},
        headers=FRAGMENT,
    )
    assert add.status_code == 200 and "Dr. Interviewed Person added at rank 1" in add.text
    page = client.get(f"/programs/{program.id}/match")
    assert "at least 6 are recommended" in page.text and "Remove" in page.text
    sign_in(client, db, faculty)
    view_only = client.get(f"/programs/{program.id}/match")
    assert view_only.status_code == 200 and "Dr. Interviewed Person" in view_only.text
    assert "Remove" not in view_only.text


def _certified_match(db: Session):  # type: ignore[no-untyped-def]
    season = make_season(db)
    mine, my_director = program_with_director(db)
    theirs, their_director = program_with_director(db)
    alice, bob = applicant(db, "Dr. Alice Ames"), applicant(db, "Dr. Bob Burns")
    for person, program in ((alice, mine), (bob, theirs)):
        interview(db, program, person)
        service.add_entry(db, season, Owner("applicant", person.id), program.id, now=FIXED_NOW)
        service.certify(db, season, Owner("applicant", person.id), by_user_id=person.id,
                        now=FIXED_NOW)  # fmt: skip
    for program, director, person in ((mine, my_director, alice), (theirs, their_director, bob)):
        service.set_quota(db, season, program.id, 1, now=FIXED_NOW)
        service.add_entry(db, season, Owner("program", program.id), person.id, now=FIXED_NOW)
        service.certify(db, season, Owner("program", program.id), by_user_id=director.id,
                        now=FIXED_NOW)  # fmt: skip
    admin = make_user(db, [(None, Role.PLATFORM_ADMIN)])
    return season, (mine, my_director), (theirs, their_director), (alice, bob), admin


def test_admin_run_refused_before_deadline_then_stored_and_reproduced(
    app: FastAPI, client: TestClient, db: Session
) -> None:
    season, *_, admin = _certified_match(db)
    csrf = sign_in(client, db, admin)
    early = client.post(f"/admin/match/seasons/{season.id}/run", data={"csrf_token": csrf})
    assert early.status_code == 409 and "after the certification deadline" in early.text
    _clock(app, 12)
    ran = client.post(f"/admin/match/seasons/{season.id}/run", data={"csrf_token": csrf})
    assert ran.status_code == 303
    run = db.query(MatchRun).one()
    page = client.get(ran.headers["location"])
    assert run.snapshot_sha256 in page.text and "Stable and applicant-optimal" in page.text
    assert page.text.count("<svg") == 3 and "<desc" in page.text
    again = client.post(f"/admin/match/runs/{run.id}/reproduce", data={"csrf_token": csrf})
    assert again.status_code == 200 and "Reproduced: identical result" in again.text
    snapshot = client.get(f"/admin/match/runs/{run.id}/snapshot.json")
    assert snapshot.json() == run.snapshot
    assert snapshot.headers["x-snapshot-sha256"] == run.snapshot_sha256


def test_editing_dates_after_a_run_answers_409(
    app: FastAPI, client: TestClient, db: Session
) -> None:
    season, *_, admin = _certified_match(db)
    csrf = sign_in(client, db, admin)
    _clock(app, 12)
    assert client.post(f"/admin/match/seasons/{season.id}/run",
                       data={"csrf_token": csrf}).status_code == 303  # fmt: skip
    deadline = season.certify_deadline
    response = client.post(f"/admin/match/seasons/{season.id}", data={
        "csrf_token": csrf, "year": str(season.year), "rol_opens_at": "2026-11-01T00:00",
        "certify_deadline": "2026-12-20T00:00", "release_at": "2026-12-30T00:00"})  # fmt: skip
    assert response.status_code == 409
    assert 'role="alert"' in response.text and "dates can no longer change" in response.text
    assert "its dates are final" in response.text and "Save dates" not in response.text
    db.refresh(season)
    assert season.certify_deadline == deadline


def test_season_form_names_the_field_out_of_order(client: TestClient, db: Session) -> None:
    admin = make_user(db, [(None, Role.PLATFORM_ADMIN)])
    csrf = sign_in(client, db, admin)
    response = client.post("/admin/match/seasons", data={
        "csrf_token": csrf, "year": "2040", "rol_opens_at": "2040-11-01T00:00",
        "certify_deadline": "2040-12-02T00:00", "release_at": "2040-11-20T00:00"})  # fmt: skip
    assert response.status_code == 422
    assert (
        'id="release_at-error"' in response.text
        and "after the certification deadline" in response.text
    )


def test_results_visible_only_to_their_owner_after_release(
    app: FastAPI, client: TestClient, db: Session
) -> None:
    season, (mine, my_director), (theirs, _), (alice, _), admin = _certified_match(db)
    _clock(app, 12)
    csrf = sign_in(client, db, admin)
    client.post(f"/admin/match/seasons/{season.id}/run", data={"csrf_token": csrf})
    run = db.query(MatchRun).one()
    assert (
        client.post(f"/admin/match/runs/{run.id}/approve", data={"csrf_token": csrf}).status_code
        == 303
    )
    sign_in(client, db, alice)
    before = client.get("/match")
    assert "Match result" not in before.text
    _clock(app, 19)
    after = client.get("/match")
    assert f"You matched at <strong>{mine.display_name}</strong>" in after.text
    assert theirs.display_name not in after.text and "Bob" not in after.text
    sign_in(client, db, my_director)
    program_page = client.get(f"/programs/{mine.id}/match")
    assert "Dr. Alice Ames" in program_page.text and "Dr. Bob Burns" not in program_page.text
    assert client.get(f"/programs/{theirs.id}/match").status_code == 403


def test_applicant_cannot_touch_another_applicants_list(client: TestClient, db: Session) -> None:
    season = make_season(db)
    alice, bob = applicant(db), applicant(db)
    program = make_program(db, institution="Only Alice Clinic")
    interview(db, program, alice)
    service.add_entry(db, season, Owner("applicant", alice.id), program.id, now=FIXED_NOW)
    csrf = sign_in(client, db, bob)
    page = client.get("/match")
    assert "Only Alice Clinic" not in page.text
    response = client.post(f"/match/ranks/{program.id}/remove", data={"csrf_token": csrf})
    assert response.status_code == 404
    assert db.query(RankEntry).count() == 1


def test_simulation_button_draws_a_plot_with_a_table(client: TestClient, db: Session) -> None:
    season = make_season(db)
    program, director = program_with_director(db)
    people = [applicant(db) for _ in range(4)]
    for person in people:
        interview(db, program, person)
        service.add_entry(db, season, Owner("applicant", person.id), program.id, now=FIXED_NOW)
        service.add_entry(db, season, Owner("program", program.id), person.id, now=FIXED_NOW)
    sign_in(client, db, director)
    page = client.get(f"/programs/{program.id}/match?simulate=1")
    assert page.status_code == 200
    assert (
        "Probability of filling all positions" in page.text and 'id="simulation-table"' in page.text
    )
    assert page.text.count("<tr><td>") >= 4


def test_program_list_shows_mean_interview_scores_when_available(
    client: TestClient, db: Session
) -> None:
    from painfellow.interviews.models import InterviewEvaluation as evaluation

    make_season(db)
    program, director = program_with_director(db)
    person = applicant(db, "Dr. Scored Person")
    interview(db, program, person)
    for evaluator, score in ((director, 4), (make_user(db, [(program.id, Role.FACULTY)]), 3)):
        db.add(
            evaluation(
                program_id=program.id, applicant_user_id=person.id,
                evaluator_user_id=evaluator.id, knowledge=score, communication=score,
                professionalism=score, program_fit=score,
            )
        )  # fmt: skip
    db.flush()
    sign_in(client, db, director)
    page = client.get(f"/programs/{program.id}/match")
    assert "Dr. Scored Person" in page.text and "interview score 3.5" in page.text


def test_a_change_to_a_certified_list_answers_409_to_the_script(
    client: TestClient, db: Session
) -> None:
    season = make_season(db)
    person = applicant(db)
    program = make_program(db)
    interview(db, program, person)
    owner = Owner("applicant", person.id)
    service.add_entry(db, season, owner, program.id, now=FIXED_NOW)
    service.certify(db, season, owner, by_user_id=person.id, now=FIXED_NOW)
    csrf = sign_in(client, db, person)
    response = client.post(
        f"/match/ranks/{program.id}/remove", data={"csrf_token": csrf}, headers=FRAGMENT
    )
    assert response.status_code == 409 and 'role="alert"' in response.text
    assert "reopen it before making changes" in response.text
    assert len(service.list_view(db, season, owner, FIXED_NOW).rows) == 1
