"""Reversions, withdrawals and statistics."""

from __future__ import annotations

from matching_helpers import make_instance

from painfellow.core.matching import (
    Applicant,
    Instance,
    Program,
    check_applicant_optimal,
    check_stability,
    match_stats,
    run_match,
)


def test_unfilled_positions_of_a_donor_track_revert_to_the_receiver() -> None:
    # P1 (2 places) attracts only A1, so its spare place reverts to P2, which can then
    # take both A2 and A3.
    inst = make_instance(
        {"P1": (2, ["A1", "A2", "A3"]), "P2": (1, ["A2", "A3"])},
        {"A1": ["P1"], "A2": ["P2"], "A3": ["P2"]},
        reversions={"P1": "P2"},
    )
    result = run_match(inst)
    assert result.matches == {"A1": "P1", "A2": "P2", "A3": "P2"}
    assert result.reverted == {"P1": 1}
    assert result.capacities == {"P1": 1, "P2": 2}
    assert result.unfilled == {}
    assert check_stability(inst, result.matches, result.reverted) == ()
    assert check_applicant_optimal(inst, result.matches, result.reverted) == ()


def test_reversion_reruns_until_fixpoint_along_a_chain() -> None:
    # P1 -> P2 -> P3. After P1 reverts to P2, A2 moves up to P2, leaving P2's former
    # holder... each rerun can free more places; the result is stable for final quotas.
    inst = make_instance(
        {
            "P1": (2, ["A1"]),
            "P2": (1, ["A2", "A3"]),
            "P3": (1, ["A4", "A3", "A5"]),
        },
        {"A1": ["P1"], "A2": ["P2"], "A3": ["P2", "P3"], "A4": ["P3"], "A5": ["P3"]},
        reversions={"P1": "P2", "P2": "P3"},
    )
    result = run_match(inst)
    assert result.matches == {"A1": "P1", "A2": "P2", "A3": "P2", "A4": "P3"}
    assert result.reverted == {"P1": 1}
    assert check_stability(inst, result.matches, result.reverted) == ()


def test_checker_flags_unreverted_spare_positions_of_a_donor() -> None:
    inst = make_instance(
        {"P1": (2, ["A1"]), "P2": (1, ["A2", "A3"])},
        {"A1": ["P1"], "A2": ["P2"], "A3": ["P2"]},
        reversions={"P1": "P2"},
    )
    problems = check_stability(inst, {"A1": "P1", "A2": "P2"})
    assert [v.kind for v in problems] == ["reversion"]


def test_withdrawn_applicant_is_dropped_and_listed() -> None:
    inst = Instance(
        (Program("P1", 1, ("A1", "A2")),),
        (Applicant("A1", ("P1",), withdrawn=True), Applicant("A2", ("P1",))),
    )
    result = run_match(inst)
    assert result.matches == {"A2": "P1"}
    assert result.withdrawn_applicants == ("A1",)
    assert "A1" not in result.unmatched_applicants
    problems = check_stability(inst, {"A1": "P1"})
    assert any(v.kind == "withdrawn" for v in problems)


def test_program_with_nothing_filled_is_reported_unfilled() -> None:
    inst = make_instance({"P1": (3, ["A1"]), "P2": (2, [])}, {"A1": ["P1"], "A2": ["P1"]})
    result = run_match(inst)
    assert result.unfilled == {"P1": 2, "P2": 2}
    assert result.unmatched_applicants == ("A2",)


def test_statistics_count_choices_positions_and_program_depth() -> None:
    inst = make_instance(
        {
            "P1": (1, ["A2", "A1"]),
            "P2": (1, ["A1", "A3"]),
            "P3": (2, ["A4", "A3", "A1"]),
        },
        {
            "A1": ["P1", "P2", "P3"],
            "A2": ["P1"],
            "A3": ["P2", "P3"],
            "A4": ["P1", "P2", "P4", "P5", "P6", "P3"],
            "A5": [],
        },
    )
    inst = Instance(
        inst.programs + tuple(Program(p, 1, ()) for p in ("P4", "P5", "P6")), inst.applicants
    )
    result = run_match(inst)
    assert result.matches == {"A1": "P2", "A2": "P1", "A3": "P3", "A4": "P3"}
    stats = match_stats(inst, result)
    assert stats.applicants == 5
    assert stats.matched_applicants == 4
    assert stats.unmatched_applicants == 1
    assert stats.positions == 7 and stats.filled_positions == 4
    assert stats.unfilled_positions == 3 and stats.unfilled_programs == 3
    # choice ranks: A1 2nd, A2 1st, A3 2nd, A4 6th
    assert stats.share_first == 0.25
    assert stats.share_top3 == 0.75
    assert stats.share_top5 == 0.75
    assert stats.program_depth == {"P1": 1, "P2": 1, "P3": 2, "P4": 0, "P5": 0, "P6": 0}


def test_result_lists_applicants_in_id_order_whatever_the_input_order() -> None:
    # Singles given in reverse id order, couple members sorting between them.
    inst = make_instance(
        {"P1": (2, ["b9", "a1", "m1", "c3"]), "P2": (1, ["m2", "c3", "b9"])},
        {"c3": ["P1", "P2"], "b9": ["P2", "P1"], "a1": ["P1"], "z0": ["P2"]},
        couples=[(("m1", "m2"), [("P1", "P2")])],
    )
    result = run_match(inst)
    assert list(result.matches.items()) == [("a1", "P1"), ("b9", "P1"), ("c3", "P2")]
    assert result.unmatched_applicants == ("m1", "m2", "z0")
