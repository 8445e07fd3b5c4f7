"""Worked examples from the matching literature, used as test vectors."""

from __future__ import annotations

from matching_helpers import brute_force_stable, make_instance

from painfellow.core.matching import check_applicant_optimal, check_stability, run_match

# Gale & Shapley (1962), Example 1: men alpha, beta, gamma; women A, B, C.
GS1_MEN = {"alpha": ["A", "B", "C"], "beta": ["B", "C", "A"], "gamma": ["C", "A", "B"]}
GS1_WOMEN = {
    "A": ["beta", "gamma", "alpha"],
    "B": ["gamma", "alpha", "beta"],
    "C": ["alpha", "beta", "gamma"],
}


def test_gale_shapley_example_1_men_proposing_gives_each_man_his_first_choice() -> None:
    inst = make_instance({w: (1, lst) for w, lst in GS1_WOMEN.items()}, GS1_MEN)
    result = run_match(inst)
    assert result.matches == {"alpha": "A", "beta": "B", "gamma": "C"}
    assert check_stability(inst, result.matches) == ()


def test_gale_shapley_example_1_women_proposing_gives_each_woman_her_first_choice() -> None:
    inst = make_instance({m: (1, lst) for m, lst in GS1_MEN.items()}, GS1_WOMEN)
    assert run_match(inst).matches == {"A": "beta", "B": "gamma", "C": "alpha"}


# Gale & Shapley (1962), Example 2: a 4x4 market whose only stable matching is
# alpha-C, beta-D, gamma-A, delta-B.
GS2_MEN = {
    "alpha": ["A", "B", "C", "D"],
    "beta": ["A", "D", "C", "B"],
    "gamma": ["B", "A", "C", "D"],
    "delta": ["D", "B", "C", "A"],
}
GS2_WOMEN = {
    "A": ["delta", "gamma", "alpha", "beta"],
    "B": ["beta", "delta", "alpha", "gamma"],
    "C": ["delta", "alpha", "beta", "gamma"],
    "D": ["gamma", "beta", "alpha", "delta"],
}
GS2_ONLY_STABLE = {"alpha": "C", "beta": "D", "gamma": "A", "delta": "B"}


def test_gale_shapley_example_2_has_a_unique_stable_matching() -> None:
    men_first = make_instance({w: (1, lst) for w, lst in GS2_WOMEN.items()}, GS2_MEN)
    assert brute_force_stable(men_first) == [GS2_ONLY_STABLE]
    assert run_match(men_first).matches == GS2_ONLY_STABLE
    women_first = make_instance({m: (1, lst) for m, lst in GS2_MEN.items()}, GS2_WOMEN)
    assert run_match(women_first).matches == {w: m for m, w in GS2_ONLY_STABLE.items()}


def test_college_admissions_with_quotas_is_applicant_optimal_and_rural_hospitals_hold() -> None:
    # Roth (1984)/Roth & Sotomayor (1990) college admissions: quotas, one-sided and
    # incomplete lists. Brute force gives every stable matching; the engine's must be
    # the best for every applicant, and every stable matching fills the same positions.
    inst = make_instance(
        {
            "H1": (2, ["a3", "a1", "a2", "a4"]),
            "H2": (1, ["a1", "a2", "a5"]),
            "H3": (1, ["a4", "a5"]),
        },
        {
            "a1": ["H1", "H2"],
            "a2": ["H2", "H1"],
            "a3": ["H2", "H1"],
            "a4": ["H1", "H3"],
            "a5": ["H3", "H2"],
        },
    )
    stable = brute_force_stable(inst)
    assert len(stable) >= 1
    result = run_match(inst)
    assert result.matches in stable
    for other in stable:
        for app in inst.applicants:
            mine, theirs = result.matches.get(app.id), other.get(app.id)
            if theirs is not None:
                assert mine is not None
                assert app.rank_list.index(mine) <= app.rank_list.index(theirs)
        assert set(other) == set(result.matches)  # rural hospitals theorem (Roth 1986)
    assert check_applicant_optimal(inst, result.matches) == ()


def test_couple_with_no_stable_matching_is_reported_as_instability() -> None:
    # Roth (1984) / Klaus & Klijn (2005): couple (c1, c2) wants only (H1, H2); single s
    # prefers H1 to H2; H1 ranks c1 over s, H2 ranks s over c2. Every matching is blocked.
    inst = make_instance(
        {"H1": (1, ["c1", "s"]), "H2": (1, ["s", "c2"])},
        {"s": ["H1", "H2"]},
        couples=[(("c1", "c2"), [("H1", "H2")])],
    )
    result = run_match(inst)
    assert result.instabilities, "no stable matching exists, so one must be reported"
    blocking = [v for v in check_stability(inst, result.matches) if v.kind == "blocking"]
    assert blocking
    assert len(result.instabilities) == len(blocking)


def test_couple_displacing_a_single_is_repaired_to_a_stable_matching() -> None:
    # The couple takes H1/H2 from singles; the displaced single re-enters and the vacancy
    # it leaves is filled. Roth & Peranson (1999) processing finds the stable outcome.
    inst = make_instance(
        {"H1": (1, ["c1", "s1"]), "H2": (1, ["c2", "s2"]), "H3": (1, ["s1", "s2"])},
        {"s1": ["H1", "H3"], "s2": ["H2", "H3"]},
        couples=[(("c1", "c2"), [("H1", "H2"), ("H3", None)])],
    )
    result = run_match(inst)
    assert result.instabilities == ()
    assert result.matches == {"c1": "H1", "c2": "H2", "s1": "H3"}
    assert check_stability(inst, result.matches) == ()


def test_couple_pair_at_one_program_needs_two_places() -> None:
    inst = make_instance(
        {"H1": (1, ["c1", "c2"]), "H2": (2, ["c1", "c2"])},
        {},
        couples=[(("c1", "c2"), [("H1", "H1"), ("H2", "H2")])],
    )
    assert run_match(inst).matches == {"c1": "H2", "c2": "H2"}


def test_couple_rank_with_null_leaves_one_partner_unmatched() -> None:
    inst = make_instance(
        {"H1": (1, ["c1"]), "H2": (1, ["s"])},
        {"s": ["H2"]},
        couples=[(("c1", "c2"), [("H1", "H2"), ("H1", None)])],
    )
    result = run_match(inst)
    assert result.matches == {"c1": "H1", "s": "H2"}
    assert "c2" in result.unmatched_applicants
    assert check_stability(inst, result.matches) == ()


def test_couples_repair_that_cycles_ends_in_the_state_with_fewest_blocking_pairs() -> None:
    # Regression (issue 3): the repair used to stop on the repeated state and report it.
    # Trace: s holds P1; the couple enters at (P1, -) and evicts s (state 1: the couple
    # blocks with (P0, P1) and (-, P1), 2 pairs); it moves to (P0, P1) (state 2: only s and
    # P1 block); s takes P1 back, the couple returns to (P1, -) and evicts s: state 1
    # again. State 2 is the best one seen and is the one to end in.
    inst = make_instance(
        {"P0": (1, ["c1"]), "P1": (1, ["c1", "s", "c2"])},
        {"s": ["P0", "P1"]},
        couples=[
            (("c1", "c2"), [("P1", "P1"), ("P0", "P1"), (None, "P1"), ("P1", None), ("P1", "P0")])
        ],
    )
    result = run_match(inst)
    assert result.matches == {"c1": "P0", "c2": "P1"}
    assert result.instabilities == ("applicant s and program P1 block",)
    blocking = [v for v in check_stability(inst, result.matches) if v.kind == "blocking"]
    assert len(blocking) == 1


def test_couples_repair_rescans_units_whose_repair_could_not_be_made() -> None:
    # Regression (issue 3): the repair scans only programs that lost an applicant since
    # the last scan; a unit found blocking whose move was no longer possible was then
    # missed, and this instance was reported stable while couple (C1a, C1b) blocks.
    inst = make_instance(
        {
            "P0": (2, ["C0b", "A2", "A3", "C1a", "C1b", "C0a", "A0", "A1"]),
            "P1": (1, ["C0a", "A0", "A2", "C1a"]),
        },
        {"A0": ["P1", "P0"], "A1": [], "A2": ["P1", "P0"], "A3": ["P1"]},
        couples=[
            (
                ("C0a", "C0b"),
                [
                    ("P0", None),
                    (None, "P1"),
                    ("P0", "P0"),
                    ("P1", "P0"),
                    ("P1", None),
                    (None, "P0"),
                ],
            ),
            (
                ("C1a", "C1b"),
                [
                    (None, "P1"),
                    ("P1", None),
                    ("P1", "P1"),
                    ("P0", None),
                    ("P1", "P0"),
                    (None, "P0"),
                ],
            ),
        ],
    )
    result = run_match(inst)
    problems = check_stability(inst, result.matches)
    assert [v for v in problems if v.kind != "blocking"] == []
    assert len(result.instabilities) == len([v for v in problems if v.kind == "blocking"])
