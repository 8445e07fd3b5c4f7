"""Evaluation pages: managers keep forms, faculty submit, each reader sees their own."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.evaluations.models import EvaluationForm, FellowEvaluation
from tests.builders import make_user, sign_in
from tests.evaluations.helpers import TODAY, answers, make_world, submit


def test_faculty_submit_an_evaluation_and_fix_mistakes_first(
    client: TestClient, db: Session
) -> None:
    world = make_world(db)
    base = f"/programs/{world.program.id}/evaluations"
    csrf = sign_in(client, db, world.faculty)
    chooser = client.get(f"{base}/new")
    assert chooser.status_code == 200
    assert f'href="{base}/new?form_id={world.form.id}"' in chooser.text
    page = client.get(f"{base}/new", params={"form_id": world.form.id})
    assert page.status_code == 200
    assert f'name="item_{world.items[0]}" value="3.5"' in page.text
    assert f'name="item_{world.items[2]}" value="3.5"' not in page.text  # likert: whole points
    assert "Dr. Jordan Lee" in page.text and "Dr. Omar Haddad</option>" not in page.text
    form = {"csrf_token": csrf, "form_id": str(world.form.id), "fellow_user_id": "",
            "rotation_id": "", "period_start": "2026-11-01", "period_end": "2026-10-01",
            "comments": "Reviewed MRN 4482913 together.",
            **answers(world, "3.5", "", "4")}  # fmt: skip
    refused = client.post(base, data=form)
    assert refused.status_code == 422
    for field in ("fellow_user_id", "period_end", f"item_{world.items[1]}", "comments"):
        assert f'id="{field}-error"' in refused.text, field
    assert "looks like a patient identifier" in refused.text
    assert 'value="3.5" checked' in refused.text  # what was typed is kept
    form.update(fellow_user_id=str(world.fellow.id), period_end=TODAY.isoformat(),
                comments="Dr. Lee was calm and careful.",
                **answers(world, "3.5", "not_observed", "4"))  # fmt: skip
    assert client.post(base, data={**form, "csrf_token": "forged"}).status_code == 403
    done = client.post(base, data=form, follow_redirects=False)
    assert done.status_code == 303
    evaluation = db.scalars(select(FellowEvaluation)).one()
    assert done.headers["location"] == f"{base}/{evaluation.id}?submitted=1"
    detail = client.get(done.headers["location"])
    assert detail.status_code == 200
    assert "Between levels 3 and 4" in detail.text and "Not observed" in detail.text
    assert f"{base}/new?correct={evaluation.id}" in detail.text
    correcting = client.get(f"{base}/new", params={"correct": evaluation.id})
    assert f'name="supersedes_id" value="{evaluation.id}"' in correcting.text
    assert "Dr. Lee was calm and careful." in correcting.text


def test_fellows_read_only_their_own_evaluations(client: TestClient, db: Session) -> None:
    world = make_world(db)
    mine = submit(db, world)
    theirs = submit(db, world, evaluator=world.other_faculty, fellow_user_id=world.other_fellow.id)
    base = f"/programs/{world.program.id}/evaluations"
    sign_in(client, db, world.fellow)
    listing = client.get(base)
    assert listing.status_code == 200
    assert f"{base}/{mine.id}" in listing.text and f"{base}/{theirs.id}" not in listing.text
    assert "Dr. Maya Patel" not in listing.text
    assert "Evaluate a fellow" not in listing.text
    assert client.get(f"{base}/{mine.id}").status_code == 200
    assert client.get(f"{base}/{theirs.id}").status_code == 404
    assert client.get(f"{base}/new").status_code == 403
    assert client.get(f"{base}/forms").status_code == 403
    sign_in(client, db, world.other_faculty)
    assert client.get(f"{base}/{mine.id}").status_code == 404
    assert f"{base}/{theirs.id}" in client.get(base).text
    assert client.get(f"{base}/new", params={"correct": mine.id}).status_code == 403
    sign_in(client, db, world.coordinator)
    everything = client.get(base).text
    assert f"{base}/{mine.id}" in everything and f"{base}/{theirs.id}" in everything
    sign_in(client, db, make_user(db, [(world.program.id, Role.NURSE)]))
    assert client.get(base).status_code == 403


def test_managers_build_forms_with_items_that_assess_objectives(
    client: TestClient, db: Session
) -> None:
    world = make_world(db)
    base = f"/programs/{world.program.id}/evaluations/forms"
    csrf = sign_in(client, db, world.coordinator)
    page = client.get(base)
    assert page.status_code == 200 and "Interventional evaluation" in page.text
    bad = client.post(base, data={"csrf_token": csrf, "name": "", "rotation_id": ""})
    assert bad.status_code == 422 and 'id="name-error"' in bad.text
    made = client.post(base, data={"csrf_token": csrf, "name": "Clinic evaluation",
                                   "rotation_id": ""}, follow_redirects=False)  # fmt: skip
    assert made.status_code == 303
    form = db.scalars(
        select(EvaluationForm).where(EvaluationForm.name == "Clinic evaluation")
    ).one()
    items = f"{base}/{form.id}/items"
    refused = client.post(items, data={"csrf_token": csrf, "prompt": "x", "scale": "stars"})
    assert refused.status_code == 422
    assert f'id="prompt-{form.id}-error"' in refused.text
    assert f'id="scale-{form.id}-error"' in refused.text
    objectives = [world.objectives["IT-1"], world.objectives["PO-1"]]
    added = client.post(items, data={"csrf_token": csrf, "prompt": "Measures outcomes.",
                                     "scale": "milestone", "objective_ids": objectives},
                        follow_redirects=False)  # fmt: skip
    assert added.status_code == 303
    listed = client.get(base).text
    assert re.search(r"Measures outcomes\..*assesses IT-1, PO-1", listed, re.S)
    retire = client.post(f"{base}/{form.id}/retire", data={"csrf_token": csrf},
                         follow_redirects=False)  # fmt: skip
    assert retire.status_code == 303
    assert client.post(f"{base}/{form.id}/retire", data={"csrf_token": csrf}).status_code == 409
    submit(db, world)
    used = client.post(f"{base}/{world.form.id}/items/{world.items[0]}/delete",
                       data={"csrf_token": csrf})  # fmt: skip
    assert used.status_code == 409
    assert client.post(f"{base}/999999/retire", data={"csrf_token": csrf}).status_code == 404
    sign_in(client, db, world.faculty)
    assert client.get(base).status_code == 403


def test_curriculum_shows_evaluation_ratings_and_unassessed_objectives(
    client: TestClient, db: Session
) -> None:
    world = make_world(db)
    submit(db, world)
    sign_in(client, db, world.director)
    page = client.get(f"/programs/{world.program.id}/curriculum").text
    assert '<th scope="col">Evaluation ratings</th>' in page
    assert (
        "1 of 3 objectives are not assessed by any item of a current evaluation form: PO-1." in page
    )
    assert "Evaluation item: Interventional evaluation, item 1" in page
    assert "rated in 1 evaluation" in page
    assert f"/programs/{world.program.id}/evaluations/forms" in page


def test_dashboard_links_evaluations_by_role(client: TestClient, db: Session) -> None:
    world = make_world(db)
    for user, task in [(world.faculty, "Evaluate fellows"), (world.fellow, "Your evaluations"),
                       (world.coordinator, "Evaluations of fellows")]:  # fmt: skip
        sign_in(client, db, user)
        page = client.get("/dashboard").text
        assert f'<a href="/programs/{world.program.id}/evaluations">{task}</a>' in page, task
