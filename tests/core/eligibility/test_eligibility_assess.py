"""Fellow eligibility and the certifying board (training-rules.md §1.2, §5, §9)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painfellow.core.eligibility import (
    DEFAULT_RULES,
    Accreditation,
    Answers,
    BoardStatus,
    Confidence,
    EligibilityRules,
    SpecialtyRule,
    TrainingStatus,
    Verdict,
    assess,
)


def answers(**overrides: Any) -> Answers:
    base = Answers(
        specialty="anesthesiology",
        accreditation=Accreditation.ACGME,
        training_status=TrainingStatus.COMPLETED,
        board_status=BoardStatus.CERTIFIED,
    )
    return dataclasses.replace(base, **overrides)


@pytest.mark.parametrize(
    ("specialty", "board"),
    [
        ("anesthesiology", "ABA"),
        ("neurology", "ABPN"),
        ("child_neurology", "ABPN"),
        ("psychiatry", "ABPN"),
        ("physical_medicine_rehabilitation", "ABPMR"),
        ("emergency_medicine", "ABEM"),
        ("family_medicine", "ABFM"),
        ("radiology", "ABR"),
    ],
)
def test_listed_residencies_are_eligible_and_name_their_board(specialty: str, board: str) -> None:
    result = assess(answers(specialty=specialty))
    assert result.eligible is Verdict.YES
    assert result.certifying_board == board
    assert board in result.board_notes[0].text
    assert result.reasons[0].source == DEFAULT_RULES.get(specialty).source  # type: ignore[union-attr]


@pytest.mark.parametrize("specialty", ["internal_medicine", "surgery", "other", "dermatology"])
def test_unlisted_residencies_are_uncertain_with_the_reason(specialty: str) -> None:
    result = assess(answers(specialty=specialty))
    assert result.eligible is Verdict.UNCERTAIN
    assert result.certifying_board == ""
    first = result.reasons[0]
    assert first.outcome is Verdict.UNCERTAIN and first.confidence is Confidence.UNCONFIRMED
    assert "§1.2" in first.source and "ask the programs" in first.text
    assert "cannot name the board" in result.board_notes[0].text


@pytest.mark.parametrize("accreditation", [Accreditation.AOA, Accreditation.INTERNATIONAL])
def test_aoa_and_international_residencies_are_uncertain(accreditation: Accreditation) -> None:
    result = assess(answers(accreditation=accreditation))
    assert result.eligible is Verdict.UNCERTAIN
    reason = result.reasons[1]
    assert reason.confidence is Confidence.UNCONFIRMED and "not confirmed" in reason.text
    assert result.certifying_board == "ABA"


def test_aoa_applicants_hear_of_the_osteopathic_route() -> None:
    notes = assess(answers(accreditation=Accreditation.AOA)).board_notes
    assert any(n.source == "AOBA-PM" for n in notes)


def test_will_complete_before_the_start_is_eligible() -> None:
    result = assess(answers(training_status=TrainingStatus.WILL_COMPLETE))
    assert result.eligible is Verdict.YES
    assert "before the fellowship starts" in result.reasons[2].text


def test_not_started_residency_is_a_no_with_its_reason() -> None:
    result = assess(answers(training_status=TrainingStatus.NOT_STARTED))
    assert result.eligible is Verdict.NO
    assert result.reasons[2].outcome is Verdict.NO and result.reasons[2].source == "FREIDA"


def in_training(pgy: int, left: int, start: int) -> Answers:
    return answers(training_status=TrainingStatus.IN_TRAINING, pgy=pgy, months_left=left,
                   months_to_start=start, board_status=BoardStatus.NEITHER)  # fmt: skip


def test_resident_finishing_before_the_start_is_eligible() -> None:
    result = assess(in_training(pgy=4, left=8, start=14))
    assert result.eligible is Verdict.YES
    assert "PGY-4 with 8 months left" in result.reasons[2].text


def test_resident_finishing_on_the_start_day_is_eligible() -> None:
    assert assess(in_training(pgy=4, left=12, start=12)).eligible is Verdict.YES


def test_resident_still_in_training_at_the_start_is_a_no() -> None:
    result = assess(in_training(pgy=3, left=20, start=8))
    assert result.eligible is Verdict.NO
    assert "still be a resident" in result.reasons[2].text


def test_too_few_prior_years_for_the_specialty_is_uncertain_not_no() -> None:
    result = assess(in_training(pgy=2, left=3, start=10))
    assert result.eligible is Verdict.UNCERTAIN
    assert "usually take 4" in result.reasons[2].text


def test_missing_months_make_the_timing_uncertain() -> None:
    result = assess(answers(training_status=TrainingStatus.IN_TRAINING))
    assert result.eligible is Verdict.UNCERTAIN


def test_board_notes_follow_board_status() -> None:
    certified = assess(answers(board_status=BoardStatus.CERTIFIED)).board_notes[1].text
    eligible = assess(answers(board_status=BoardStatus.ELIGIBLE)).board_notes[1].text
    assert certified.startswith("Keep your ABA primary certificate current")
    assert "You will need current primary certification from the ABA" in eligible


def test_rules_are_data_an_edited_rule_changes_the_verdict() -> None:
    edited = EligibilityRules((
        SpecialtyRule("internal_medicine", "Internal Medicine", Verdict.YES, "ABIM", 3,
                      Confidence.SECONDARY, "new source"),
    ))  # fmt: skip
    result = assess(answers(specialty="internal_medicine"), edited)
    assert result.eligible is Verdict.YES and result.certifying_board == "ABIM"


def test_an_unconfirmed_no_is_only_uncertain() -> None:
    rules = EligibilityRules((
        SpecialtyRule("surgery", "Surgery", Verdict.NO, "", None, Confidence.UNCONFIRMED, "x"),
    ))  # fmt: skip
    assert assess(answers(specialty="surgery"), rules).eligible is Verdict.UNCERTAIN


def test_a_confirmed_no_is_a_no() -> None:
    rules = EligibilityRules((
        SpecialtyRule("surgery", "Surgery", Verdict.NO, "", None, Confidence.SECONDARY, "x"),
    ))  # fmt: skip
    result = assess(answers(specialty="surgery"), rules)
    assert result.eligible is Verdict.NO and result.certifying_board == ""


SPECIALTIES = [r.specialty for r in DEFAULT_RULES.specialties] + ["unknown"]
ANSWERS = st.builds(
    Answers,
    specialty=st.sampled_from(SPECIALTIES),
    accreditation=st.sampled_from(Accreditation),
    training_status=st.sampled_from(TrainingStatus),
    board_status=st.sampled_from(BoardStatus),
    pgy=st.none() | st.integers(1, 8),
    months_left=st.none() | st.integers(0, 96),
    months_to_start=st.none() | st.integers(0, 60),
)
RULES = st.lists(
    st.builds(
        SpecialtyRule,
        specialty=st.sampled_from(SPECIALTIES),
        label=st.just("Some specialty"),
        eligible=st.sampled_from(Verdict),
        certifying_board=st.sampled_from(["", "ABA", "ABX"]),
        min_prior_gme_years=st.none() | st.integers(1, 8),
        confidence=st.sampled_from(Confidence),
        source=st.just("src"),
    ),
    max_size=5,
).map(lambda rules: EligibilityRules(tuple(rules)))


@given(ANSWERS, RULES)
def test_every_answer_gets_reasons_and_unconfirmed_rules_never_say_no(
    given_answers: Answers, rules: EligibilityRules
) -> None:
    result = assess(given_answers, rules)
    assert result.reasons and result.board_notes
    assert all(r.text and r.source for r in (*result.reasons, *result.board_notes))
    assert all(
        not (r.outcome is Verdict.NO and r.confidence is Confidence.UNCONFIRMED)
        for r in result.reasons
    )
    worst = {r.outcome for r in result.reasons}
    expected = Verdict.NO if Verdict.NO in worst else (
        Verdict.UNCERTAIN if Verdict.UNCERTAIN in worst else Verdict.YES)  # fmt: skip
    assert result.eligible is expected
    if result.eligible is Verdict.NO:
        assert any(r.outcome is Verdict.NO and r.confidence is not Confidence.UNCONFIRMED
                   for r in result.reasons)  # fmt: skip


def test_board_status_is_explained_but_does_not_bar_entry() -> None:
    for status in BoardStatus:
        result = assess(answers(board_status=status))
        assert result.eligible is Verdict.YES
        assert "its own policy" in result.reasons[3].text
    assert (
        "neither board-eligible"
        in assess(answers(board_status=BoardStatus.NEITHER)).reasons[3].text
    )
