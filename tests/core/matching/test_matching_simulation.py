"""Simulation: the one-run-per-sample shortcuts must agree with rerunning every truncation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching_helpers import instances, make_instance

from painfellow.core.matching import Instance, InvalidInstance, run_match
from painfellow.core.matching.simulation import _Perturber, _run_fast, _run_generic, simulate


@settings(max_examples=60, deadline=None)
@given(instances(max_apps=6, max_progs=4), st.data())
def test_fast_curves_equal_rerunning_every_truncation(inst: Instance, data: st.DataObject) -> None:
    sd = data.draw(st.sampled_from([0.0, 0.7, 3.0]))
    dropout = data.draw(st.sampled_from([0.0, 0.3]))
    seed = data.draw(st.integers(0, 1000))
    if data.draw(st.booleans()) or not inst.applicants:
        program, applicant = data.draw(st.sampled_from([p.id for p in inst.programs])), None
    else:
        program, applicant = None, data.draw(st.sampled_from([a.id for a in inst.applicants]))
    args = (program, applicant, 8, 2, None)
    fast = _run_fast(inst, _Perturber(inst, sd, dropout, seed), *args)
    slow = _run_generic(inst, _Perturber(inst, sd, dropout, seed), *args)
    assert fast == slow


def test_without_noise_the_applicant_curve_steps_at_the_rank_of_the_match() -> None:
    inst = make_instance(
        {"P1": (1, ["A2", "A1"]), "P2": (1, ["A1"]), "P3": (1, ["A1"])},
        {"A1": ["P1", "P2", "P3"], "A2": ["P1"]},
    )
    assert run_match(inst).matches["A1"] == "P2"
    result = simulate(inst, applicant="A1", runs=5, noise_sd=0.0, seed=3)
    assert result.curve == ((1, 0.0), (2, 1.0), (3, 1.0))


def test_program_curve_is_plain_data_and_reproducible_by_seed() -> None:
    inst = make_instance(
        {"P1": (2, ["A1", "A2", "A3", "A4", "A5", "A6"]), "P2": (2, ["A3", "A1", "A2", "A4"])},
        {f"A{i}": ["P2", "P1"] for i in range(1, 7)},
    )
    one = simulate(inst, program="P1", runs=200, noise_sd=1.5, dropout=0.2, seed=11, step=2)
    two = simulate(inst, program="P1", runs=200, noise_sd=1.5, dropout=0.2, seed=11, step=2)
    assert one == two
    assert [x for x, _ in one.curve] == [2, 4, 6]
    assert all(0.0 <= p <= 1.0 for _, p in one.curve)
    assert one.curve[0][1] < one.curve[-1][1]


def test_simulation_with_couples_uses_full_reruns() -> None:
    inst = make_instance(
        {"H1": (1, ["c1", "s"]), "H2": (1, ["s", "c2"]), "H3": (1, ["s"])},
        {"s": ["H1", "H2", "H3"]},
        couples=[(("c1", "c2"), [("H1", "H2"), ("H1", None)])],
    )
    result = simulate(inst, applicant="s", runs=20, noise_sd=0.5, seed=1)
    assert [x for x, _ in result.curve] == [1, 2, 3]
    assert result.curve[-1][1] == 1.0


def test_simulation_refuses_bad_subjects_and_parameters() -> None:
    inst = make_instance({"P1": (1, ["A1"])}, {"A1": ["P1"]})
    with pytest.raises(ValueError, match="exactly one"):
        simulate(inst, runs=1)
    with pytest.raises(InvalidInstance, match="'P9'"):
        simulate(inst, program="P9", runs=1)
    with pytest.raises(ValueError, match="dropout"):
        simulate(inst, program="P1", runs=1, dropout=1.0)
