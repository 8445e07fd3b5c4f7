"""A program director who interviewed at their own program as an applicant never sees their
own row nor score on its rank order list, and never changes or certifies that list (issue 4)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import Membership
from painfellow.accounts.roles import Role
from painfellow.errors import PermissionDenied
from painfellow.interviews.models import InterviewEvaluation
from painfellow.match_season import runs, service
from painfellow.match_season.models import MatchRun, RankEntry, RankList
from painfellow.match_season.service import Owner
from tests.builders import FIXED_NOW, make_program, make_user
from tests.match_season.helpers import applicant, interview, make_season
from tests.match_season.helpers import sign_in_for_weeks as sign_in


def _evaluate(db: Session, program_id: int, applicant_id: int, evaluator_id: int, n: int) -> None:
    db.add(
        InterviewEvaluation(
            program_id=program_id, applicant_user_id=applicant_id, evaluator_user_id=evaluator_id,
            knowledge=n, communication=n, professionalism=n, program_fit=n, updated_at=FIXED_NOW,
        )
    )  # fmt: skip
    db.flush()


def test_a_director_who_interviewed_there_neither_sees_nor_changes_their_own_rank(
    client: TestClient, db: Session
) -> None:
    season = make_season(db)
    program = make_program(db)
    member = make_user(
        db, [(None, Role.APPLICANT), (program.id, Role.PROGRAM_DIRECTOR)],
        full_name="Dr. Member Applicant",
    )  # fmt: skip
    colleague = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    other = applicant(db, "Dr. Other Applicant")
    interview(db, program, member)
    interview(db, program, other)
    _evaluate(db, program.id, member.id, colleague.id, 2)
    _evaluate(db, program.id, other.id, colleague.id, 4)
    owner = Owner("program", program.id)
    service.add_entry(db, season, owner, member.id, now=FIXED_NOW, actor_id=colleague.id)

    view = service.list_view(db, season, owner, FIXED_NOW, member.id)
    assert view.conflicted and view.rows == []
    assert [c.id for c in view.unranked] == [other.id]
    assert view.unranked[0].score == 4.0
    full = service.list_view(db, season, owner, FIXED_NOW, colleague.id)
    assert not full.conflicted
    assert [(r.rank, r.candidate.id, r.candidate.score) for r in full.rows] == [(1, member.id, 2.0)]
    for attempt in (
        lambda: service.add_entry(db, season, owner, other.id, now=FIXED_NOW, actor_id=member.id),
        lambda: service.move_entry(db, season, owner, member.id, 1, now=FIXED_NOW,
                                   actor_id=member.id),
        lambda: service.remove_entry(db, season, owner, member.id, now=FIXED_NOW,
                                     actor_id=member.id),
        lambda: service.certify(db, season, owner, by_user_id=member.id, now=FIXED_NOW),
        lambda: service.reopen(db, season, owner, now=FIXED_NOW, actor_id=member.id),
    ):  # fmt: skip
        with pytest.raises(PermissionDenied, match="another program director"):
            attempt()

    csrf = sign_in(client, db, member)
    base = f"/programs/{program.id}/match"
    page = client.get(base)
    assert page.status_code == 200
    assert "Dr. Other Applicant" in page.text and "Dr. Member Applicant" not in page.text
    assert "interview score 2.0" not in page.text and "interview score 4.0" in page.text
    assert 'id="own-row-left-out"' in page.text and "Add to list" not in page.text
    for url, data in (
        (f"{base}/ranks", {"applicant_user_id": str(other.id)}),
        (f"{base}/ranks/{member.id}/move", {"position": "1"}),
        (f"{base}/ranks/{member.id}/remove", {}),
        (f"{base}/certify", {}),
    ):
        response = client.post(url, data={"csrf_token": csrf, **data}, follow_redirects=False)
        assert response.status_code == 403, url
        assert "you cannot change or certify its rank order list" in response.text
    db.expire_all()
    entries = db.scalars(
        select(RankEntry.ranked_applicant_id)
        .join(RankList, RankList.id == RankEntry.list_id)
        .where(RankList.program_id == program.id)
    ).all()
    assert entries == [member.id]
    assert db.scalar(select(RankList.certified_at).where(RankList.program_id == program.id)) is None

    # a colleague sees and edits the whole list as usual
    csrf = sign_in(client, db, colleague)
    page = client.get(base)
    assert "Dr. Member Applicant" in page.text and "Add to list" in page.text
    assert 'id="own-row-left-out"' not in page.text
    added = client.post(
        f"{base}/ranks",
        data={"csrf_token": csrf, "applicant_user_id": str(other.id)},
        follow_redirects=False,
    )
    assert added.status_code == 303


def test_after_release_a_member_who_matched_there_does_not_read_their_own_match_rank(
    app: FastAPI, client: TestClient, db: Session
) -> None:
    from tests.match_season.test_match_season_pages import _certified_match, _clock

    season, (mine, my_director), _, (alice, _), admin = _certified_match(db)
    db.add(Membership(user_id=alice.id, program_id=mine.id, role=Role.FACULTY.value))
    db.flush()
    _clock(app, 12)
    csrf = sign_in(client, db, admin)
    client.post(f"/admin/match/seasons/{season.id}/run", data={"csrf_token": csrf})
    run = db.query(MatchRun).one()
    client.post(f"/admin/match/runs/{run.id}/approve", data={"csrf_token": csrf})
    _clock(app, 19)
    outcome = runs.program_outcome(db, season, mine.id, FIXED_NOW + timedelta(days=19))
    assert outcome is not None and [m.user.id for m in outcome.matches] == [alice.id]
    hidden = runs.program_outcome(
        db, season, mine.id, FIXED_NOW + timedelta(days=19), viewer_id=alice.id
    )
    assert hidden is not None and hidden.matches == []
    sign_in(client, db, alice)
    page = client.get(f"/programs/{mine.id}/match")
    assert page.status_code == 200 and "Dr. Alice Ames" not in page.text
    sign_in(client, db, my_director)
    assert "Dr. Alice Ames" in client.get(f"/programs/{mine.id}/match").text
