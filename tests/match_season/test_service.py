from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from painfellow.core import matching
from painfellow.errors import Conflict, InvalidInput, NotFound
from painfellow.match_season import planning, runs, service
from painfellow.match_season.models import MatchRun, RankEntry
from painfellow.match_season.schemas import SeasonForm
from painfellow.match_season.service import Owner
from tests.builders import FIXED_NOW, make_program, make_user
from tests.match_season.helpers import applicant, interview, make_season, program_with_director

UTC = ZoneInfo("UTC")
AFTER_DEADLINE = FIXED_NOW + timedelta(days=12)
AFTER_RELEASE = FIXED_NOW + timedelta(days=19)


def test_season_dates_must_be_in_order_and_year_unique(db: Session) -> None:
    good = {
        "year": 2030,
        "rol_opens_at": "2030-11-01T00:00",
        "certify_deadline": "2030-12-02T21:00",
        "release_at": "2030-12-09T12:00",
    }
    from painfellow.web.forms import parse_form

    with pytest.raises(InvalidInput) as error:
        parse_form(SeasonForm, {**good, "certify_deadline": "2030-10-01T00:00"})
    assert error.value.errors[0].field == "certify_deadline"
    with pytest.raises(InvalidInput) as error:
        parse_form(SeasonForm, {**good, "release_at": "2030-12-01T00:00"})
    assert error.value.errors[0].field == "release_at"
    season = service.create_season(db, parse_form(SeasonForm, good), zone=UTC)
    assert season.certify_deadline.isoformat() == "2030-12-02T21:00:00+00:00"
    with pytest.raises(InvalidInput) as error:
        service.create_season(db, parse_form(SeasonForm, good), zone=UTC)
    assert error.value.errors[0].field == "year"


def test_applicant_ranks_only_interviewed_programs_without_duplicates(db: Session) -> None:
    season = make_season(db)
    person = applicant(db)
    seen, unseen = make_program(db), make_program(db)
    interview(db, seen, person)
    owner = Owner("applicant", person.id)
    with pytest.raises(InvalidInput) as error:
        service.add_entry(db, season, owner, unseen.id, now=FIXED_NOW)
    assert error.value.errors[0].field == "program_id"
    assert "did not interview" in error.value.errors[0].message
    assert service.add_entry(db, season, owner, seen.id, now=FIXED_NOW) == 1
    with pytest.raises(InvalidInput, match="already on the list at rank 1"):
        service.add_entry(db, season, owner, seen.id, now=FIXED_NOW)
    assert db.query(RankEntry).count() == 1


def test_a_list_holds_at_most_max_ranks(db: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(service, "MAX_RANKS", 2)
    season = make_season(db)
    person = applicant(db)
    owner = Owner("applicant", person.id)
    programs = [make_program(db) for _ in range(3)]
    for program in programs:
        interview(db, program, person)
    service.add_entry(db, season, owner, programs[0].id, now=FIXED_NOW)
    service.add_entry(db, season, owner, programs[1].id, now=FIXED_NOW)
    with pytest.raises(InvalidInput, match="at most 2 ranks"):
        service.add_entry(db, season, owner, programs[2].id, now=FIXED_NOW)


def test_future_interview_does_not_count_yet(db: Session) -> None:
    season = make_season(db)
    person = applicant(db)
    program = make_program(db)
    interview(db, program, person, days_ago=-3)  # three days from now
    with pytest.raises(InvalidInput):
        service.add_entry(db, season, Owner("applicant", person.id), program.id, now=FIXED_NOW)


def test_lists_are_editable_only_inside_the_window(db: Session) -> None:
    person = applicant(db)
    program = make_program(db)
    interview(db, program, person)
    owner = Owner("applicant", person.id)
    early = make_season(db, opens_days=1, deadline_days=5, release_days=6, year=2031)
    with pytest.raises(Conflict, match="open on"):
        service.add_entry(db, early, owner, program.id, now=FIXED_NOW)
    late = make_season(db, opens_days=-10, deadline_days=-1, release_days=6, year=2032)
    with pytest.raises(Conflict, match="deadline"):
        service.add_entry(db, late, owner, program.id, now=FIXED_NOW)


def test_move_up_down_and_remove_keep_ranks_strict(db: Session) -> None:
    season = make_season(db)
    person = applicant(db)
    programs = [make_program(db) for _ in range(4)]
    owner = Owner("applicant", person.id)
    for program in programs:
        interview(db, program, person)
        service.add_entry(db, season, owner, program.id, now=FIXED_NOW)

    def order() -> list[int]:
        return [r.candidate.id for r in service.list_view(db, season, owner, FIXED_NOW).rows]

    ids = [p.id for p in programs]
    service.move_entry(db, season, owner, ids[3], 1, now=FIXED_NOW)
    assert order() == [ids[3], ids[0], ids[1], ids[2]]
    service.move_entry(db, season, owner, ids[3], 2, now=FIXED_NOW)  # move down
    assert order() == [ids[0], ids[3], ids[1], ids[2]]
    service.remove_entry(db, season, owner, ids[0], now=FIXED_NOW)
    assert order() == [ids[3], ids[1], ids[2]]
    view = service.list_view(db, season, owner, FIXED_NOW)
    assert [r.rank for r in view.rows] == [1, 2, 3]
    assert [c.id for c in view.unranked] == [ids[0]]
    with pytest.raises(InvalidInput) as error:
        service.move_entry(db, season, owner, ids[1], 4, now=FIXED_NOW)
    assert error.value.errors[0].field == "position"
    with pytest.raises(NotFound):
        service.move_entry(db, season, owner, ids[0], 1, now=FIXED_NOW)


def test_short_list_warnings_follow_the_stated_rules(db: Session) -> None:
    season = make_season(db)
    person = applicant(db)
    program, _ = program_with_director(db)
    interview(db, program, person)
    mine = service.list_view(db, season, Owner("applicant", person.id), FIXED_NOW)
    assert mine.short_list_warning and "0 of the recommended 3" in mine.short_list_warning
    service.set_quota(db, season, program.id, 2, now=FIXED_NOW)
    theirs = service.list_view(db, season, Owner("program", program.id), FIXED_NOW)
    assert theirs.short_list_warning and "at least 6" in theirs.short_list_warning
    assert "3 × quota (6 for a quota of 2)" in theirs.short_list_rule


def test_certified_list_is_frozen_and_reopens_only_before_the_deadline(db: Session) -> None:
    season = make_season(db)
    person = applicant(db)
    first, second = make_program(db), make_program(db)
    interview(db, first, person)
    interview(db, second, person)
    owner = Owner("applicant", person.id)
    with pytest.raises(InvalidInput, match="rank at least one"):
        service.certify(db, season, owner, by_user_id=person.id, now=FIXED_NOW)
    service.add_entry(db, season, owner, first.id, now=FIXED_NOW)
    service.certify(db, season, owner, by_user_id=person.id, now=FIXED_NOW)
    with pytest.raises(Conflict, match="certified"):
        service.add_entry(db, season, owner, second.id, now=FIXED_NOW)
    service.reopen(db, season, owner, now=FIXED_NOW)
    service.add_entry(db, season, owner, second.id, now=FIXED_NOW)
    service.certify(db, season, owner, by_user_id=person.id, now=FIXED_NOW)
    with pytest.raises(Conflict, match="can no longer be reopened"):
        service.reopen(db, season, owner, now=AFTER_DEADLINE)


def test_program_certification_needs_a_quota(db: Session) -> None:
    season = make_season(db)
    person = applicant(db)
    program, director = program_with_director(db)
    interview(db, program, person)
    owner = Owner("program", program.id)
    service.add_entry(db, season, owner, person.id, now=FIXED_NOW)
    with pytest.raises(InvalidInput) as error:
        service.certify(db, season, owner, by_user_id=director.id, now=FIXED_NOW)
    assert error.value.errors[0].field == "quota"
    with pytest.raises(Conflict):
        service.set_quota(db, season, program.id, 2, now=AFTER_DEADLINE)


def _small_match(db: Session):  # type: ignore[no-untyped-def]
    """Two programs (quota 1 each), three applicants, all lists certified."""
    season = make_season(db)
    p1, d1 = program_with_director(db)
    p2, d2 = program_with_director(db)
    people = [applicant(db, f"Applicant {n}") for n in "ABC"]
    for person in people:
        interview(db, p1, person)
        interview(db, p2, person)
    prefs = {people[0]: [p1, p2], people[1]: [p1, p2], people[2]: [p2]}
    for person, programs in prefs.items():
        owner = Owner("applicant", person.id)
        for program in programs:
            service.add_entry(db, season, owner, program.id, now=FIXED_NOW)
        service.certify(db, season, owner, by_user_id=person.id, now=FIXED_NOW)
    for program, director, order in ((p1, d1, [1, 0, 2]), (p2, d2, [0, 2, 1])):
        owner = Owner("program", program.id)
        service.set_quota(db, season, program.id, 1, now=FIXED_NOW)
        for i in order:
            service.add_entry(db, season, owner, people[i].id, now=FIXED_NOW)
        service.certify(db, season, owner, by_user_id=director.id, now=FIXED_NOW)
    admin = make_user(db)
    return season, (p1, p2), people, admin


def test_run_is_refused_before_the_deadline(db: Session) -> None:
    season, _, _, admin = _small_match(db)
    with pytest.raises(Conflict, match="after the certification deadline"):
        runs.run_season_match(db, season.id, by_user_id=admin.id, now=FIXED_NOW)
    assert db.query(MatchRun).count() == 0


def test_run_stores_a_reproducible_snapshot_of_certified_lists(db: Session) -> None:
    season, (p1, p2), people, admin = _small_match(db)
    # A draft list does not enter the match.
    extra = applicant(db)
    interview(db, p1, extra)
    service.add_entry(db, season, Owner("applicant", extra.id), p1.id, now=FIXED_NOW)
    run = runs.run_season_match(db, season.id, by_user_id=admin.id, now=AFTER_DEADLINE)
    assert run.violations == []
    assert run.engine_version == runs.ENGINE_VERSION
    # Applicant-proposing DA: B gets P1 (P1 prefers B), A then P2 (P2 prefers A over C).
    a, b, c = (runs.applicant_key(p.id) for p in people)
    assert run.result["matches"] == {a: f"P{p2.id}", b: f"P{p1.id}"}
    assert run.result["unmatched_applicants"] == [c]
    assert runs.applicant_key(extra.id) not in {x["id"] for x in run.snapshot["applicants"]}
    assert run.snapshot_sha256 == runs.snapshot_digest(run.snapshot)
    assert run.stats["matched_applicants"] == 2 and run.stats["share_first_choice"] == 0.5
    instance = matching.instance_from_document(run.snapshot)
    assert matching.check_stability(instance, run.result["matches"]) == ()
    db.expire_all()
    again = runs.reproduce_run(db, run.id)
    assert again.identical and again.differences == []
    # Tampering with the stored result is detected.
    run.result = {**run.result, "matches": {a: f"P{p1.id}"}}
    db.flush()
    tampered = runs.reproduce_run(db, run.id)
    assert not tampered.identical and tampered.differences


def test_results_are_visible_only_after_release_and_approval(db: Session) -> None:
    season, (p1, p2), people, admin = _small_match(db)
    run = runs.run_season_match(db, season.id, by_user_id=admin.id, now=AFTER_DEADLINE)
    assert runs.applicant_outcome(db, season, people[1].id, AFTER_RELEASE) is None  # not approved
    runs.approve_run(db, run.id, by_user_id=admin.id, now=AFTER_DEADLINE)
    assert runs.applicant_outcome(db, season, people[1].id, AFTER_DEADLINE) is None  # too early
    mine = runs.applicant_outcome(db, season, people[1].id, AFTER_RELEASE)
    assert mine is not None and mine.program is not None and mine.program.id == p1.id
    assert mine.choice_rank == 1
    unmatched = runs.applicant_outcome(db, season, people[2].id, AFTER_RELEASE)
    assert unmatched is not None and unmatched.took_part and unmatched.program is None
    theirs = runs.program_outcome(db, season, p2.id, AFTER_RELEASE)
    assert theirs is not None and [m.user.id for m in theirs.matches] == [people[0].id]
    assert runs.program_outcome(db, season, p2.id, AFTER_DEADLINE) is None
    second = runs.run_season_match(db, season.id, by_user_id=admin.id, now=AFTER_RELEASE)
    with pytest.raises(Conflict, match="already released"):
        runs.approve_run(db, second.id, by_user_id=admin.id, now=AFTER_RELEASE)


def test_simulation_curves_rise_with_list_length(db: Session) -> None:
    season, (p1, _), people, _ = _small_match(db)
    plan = planning.simulate_owner(db, season, Owner("program", p1.id), now=FIXED_NOW)
    xs = [x for x, _ in plan.result.curve]
    probabilities = [p for _, p in plan.result.curve]
    assert xs == [1, 2, 3] and plan.result.runs == planning.RUNS
    assert probabilities == sorted(probabilities) and 0 < probabilities[-1] <= 1
    mine = planning.simulate_owner(db, season, Owner("applicant", people[0].id), now=FIXED_NOW)
    assert [x for x, _ in mine.result.curve] == [1, 2]
    nobody = applicant(db)
    with pytest.raises(Conflict, match="Rank at least one"):
        planning.simulate_owner(db, season, Owner("applicant", nobody.id), now=FIXED_NOW)


def test_season_dates_change_until_the_match_has_run(db: Session) -> None:
    season, _, _, admin = _small_match(db)
    moved = SeasonForm(
        year=season.year,
        rol_opens_at=season.rol_opens_at,
        certify_deadline=season.certify_deadline - timedelta(days=1),
        release_at=season.release_at,
    )
    service.update_season(db, season.id, moved, zone=UTC)
    assert season.certify_deadline == moved.certify_deadline
    run = runs.run_season_match(db, season.id, by_user_id=admin.id, now=AFTER_DEADLINE)
    later = moved.model_copy(update={"release_at": season.release_at + timedelta(days=5)})
    with pytest.raises(Conflict, match=f"has run \\(run {run.id}, .*dates can no longer change"):
        service.update_season(db, season.id, later, zone=UTC)
    db.rollback()
    db.refresh(season)
    assert season.release_at == moved.release_at
