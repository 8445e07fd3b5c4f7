"""Property tests of the engine and the checker on random small instances."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from matching_helpers import brute_force_stable, instances, matching_package_solution

from painfellow.core.matching import (
    Couple,
    Instance,
    Program,
    check_applicant_optimal,
    check_stability,
    run_match,
)

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(instances())
def test_result_is_stable_within_quota_and_mutually_acceptable(inst: Instance) -> None:
    result = run_match(inst)
    assert check_stability(inst, result.matches) == ()
    caps = {p.id: p.capacity for p in inst.programs}
    for pid in caps:
        held = [a for a, p in result.matches.items() if p == pid]
        assert len(held) <= caps[pid]
        assert result.unfilled.get(pid, 0) == caps[pid] - len(held)
    progs = {p.id: p for p in inst.programs}
    for app in inst.applicants:
        pid = result.matches.get(app.id)
        if pid is not None:
            assert pid in app.rank_list and app.id in progs[pid].rank_list
        else:
            assert app.id in result.unmatched_applicants


@FAST
@given(instances())
def test_result_equals_the_matching_package_resident_optimal_solution(inst: Instance) -> None:
    assert run_match(inst).matches == matching_package_solution(inst)


@settings(max_examples=80, deadline=None)
@given(instances(max_apps=5, max_progs=3))
def test_result_is_best_for_every_applicant_among_all_stable_matchings(inst: Instance) -> None:
    mine = run_match(inst).matches
    stable = brute_force_stable(inst)
    assert mine in stable
    for other in stable:
        for app in inst.applicants:
            theirs = other.get(app.id)
            if theirs is not None:
                assert app.id in mine
                assert app.rank_list.index(mine[app.id]) <= app.rank_list.index(theirs)
    assert check_applicant_optimal(inst, mine) == ()


@FAST
@given(instances(), st.data())
def test_result_does_not_depend_on_input_order(inst: Instance, data: st.DataObject) -> None:
    programs = data.draw(st.permutations(inst.programs))
    applicants = data.draw(st.permutations(inst.applicants))
    shuffled = Instance(tuple(programs), tuple(applicants))
    assert run_match(shuffled) == run_match(inst)


@FAST
@given(instances(), st.data())
def test_checker_reports_a_moved_applicant(inst: Instance, data: st.DataObject) -> None:
    """The checks can fail: moving a matched applicant elsewhere is always caught."""
    result = run_match(inst)
    if not result.matches:
        return
    aid = data.draw(st.sampled_from(sorted(result.matches)))
    others = [p.id for p in inst.programs if p.id != result.matches[aid]]
    tampered = dict(result.matches)
    if others:
        tampered[aid] = data.draw(st.sampled_from(others))
    else:
        del tampered[aid]
    problems = check_stability(inst, tampered) + check_applicant_optimal(inst, tampered)
    assert problems


@st.composite
def couple_instances(draw: st.DrawFn) -> Instance:
    base = draw(instances(max_apps=5, max_progs=4))
    progs = [p.id for p in base.programs]
    n_couples = draw(st.integers(1, 2))
    couples = []
    members: list[str] = []
    for k in range(n_couples):
        ids = (f"C{k}a", f"C{k}b")
        members.extend(ids)
        options = [(x, y) for x in [*progs, None] for y in [*progs, None] if (x, y) != (None, None)]
        pairs = draw(st.lists(st.sampled_from(options), unique=True, max_size=6))
        couples.append(Couple(ids, tuple(pairs)))
    programs = []
    for p in base.programs:
        extra = draw(st.lists(st.sampled_from(members), unique=True))
        ranks = list(p.rank_list)
        for m in extra:
            ranks.insert(draw(st.integers(0, len(ranks))), m)
        programs.append(replace(p, rank_list=tuple(ranks)))
    return Instance(tuple(programs), base.applicants, tuple(couples))


@settings(max_examples=200, deadline=None)
@given(couple_instances())
def test_couples_result_is_valid_and_reports_exactly_the_remaining_blocking_pairs(
    inst: Instance,
) -> None:
    result = run_match(inst)
    problems = check_stability(inst, result.matches)
    assert [v for v in problems if v.kind != "blocking"] == []
    blocking = [v for v in problems if v.kind == "blocking"]
    assert len(blocking) == len(result.instabilities)
    for c in inst.couples:
        got = (result.matches.get(c.ids[0]), result.matches.get(c.ids[1]))
        assert got == (None, None) or got in c.rank_list


@FAST
@given(instances())
def test_withdrawn_program_is_dropped_and_listed(inst: Instance) -> None:
    gone = inst.programs[0]
    programs = (replace(gone, withdrawn=True), *inst.programs[1:])
    result = run_match(Instance(programs, inst.applicants))
    assert gone.id not in result.matches.values()
    assert gone.id not in result.unfilled
    assert result.withdrawn_programs == (gone.id,)
    without = Instance(
        (Program(gone.id, gone.capacity, (), None), *inst.programs[1:]), inst.applicants
    )
    assert result.matches == run_match(without).matches
