"""Minimums, progress, projected completion and complication rates (training-rules.md 1.5,
section 9 case_log; clinical-reference.md 1.3)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painfellow.core.caselog import (
    CATEGORIES,
    DEFAULT_COUNTING_ROLES,
    DEFAULT_MINIMUMS,
    MINIMUMS_CONFIRMED,
    CaseLogEntry,
    UnknownProcedureError,
    complication_rates,
    dated_counts,
    progress,
    progress_by_fellow,
    projected_completion,
)

START = date(2024, 7, 1)
END = date(2025, 6, 30)


def case(
    procedure_id: str = "esi_transforaminal",
    *,
    fellow: int = 1,
    role: str = "performed_supervised",
    on: date = date(2024, 9, 1),
    complications: tuple[str, ...] = ("none",),
) -> CaseLogEntry:
    return CaseLogEntry(
        procedure_id=procedure_id,
        fellow_id=fellow,
        performed_on=on,
        role=role,
        guidance="fluoroscopy",
        complications=complications,
        age_band="50-59",
        sex="male",
    )


def test_no_minimum_is_encoded_while_none_is_confirmed() -> None:
    assert not MINIMUMS_CONFIRMED
    assert set(DEFAULT_MINIMUMS) == set(CATEGORIES)
    assert all(v is None for v in DEFAULT_MINIMUMS.values())


def test_observed_and_assisted_cases_do_not_count_by_default() -> None:
    entries = [
        case(role="performed_supervised"),
        case(role="performed_independent"),
        case(role="taught"),
        case(role="observed"),
        case(role="assisted"),
        case("rfa_facet", role="performed_supervised"),
    ]
    rows = progress(entries, {"epidural_transforaminal": 5})
    assert [r.category for r in rows] == list(CATEGORIES)
    tf = rows[CATEGORIES.index("epidural_transforaminal")]
    assert (tf.counted, tf.not_counted, tf.minimum, tf.remaining, tf.met) == (3, 2, 5, 2, False)
    rfa = rows[CATEGORIES.index("radiofrequency_ablation")]
    assert (rfa.counted, rfa.minimum, rfa.remaining, rfa.met) == (1, None, None, None)


def test_counting_roles_are_a_program_parameter() -> None:
    entries = [case(role="observed"), case(role="assisted"), case(role="taught")]
    rows = progress(
        entries, {"epidural_transforaminal": 2}, counting_roles=frozenset({"assisted", "taught"})
    )
    tf = rows[CATEGORIES.index("epidural_transforaminal")]
    assert (tf.counted, tf.not_counted, tf.met) == (2, 1, True)
    with pytest.raises(ValueError, match="unknown roles"):
        progress(entries, counting_roles=frozenset({"primary"}))


@pytest.mark.parametrize(
    "minimums",
    [{"epidurals": 10}, {"radiofrequency_ablation": -1}, {"scs_trial": 2.5}, {"scs_trial": True}],
)
def test_bad_minimums_are_refused(minimums: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        progress([], minimums)


def test_unknown_procedures_are_an_error_not_a_silent_miss() -> None:
    with pytest.raises(UnknownProcedureError):
        progress([case("acupuncture")])


def test_progress_by_fellow_splits_the_log() -> None:
    entries = [case(fellow=2), case(fellow=1), case(fellow=2, role="observed")]
    by_fellow = progress_by_fellow(entries)
    assert list(by_fellow) == [1, 2]
    tf2 = by_fellow[2][CATEGORIES.index("epidural_transforaminal")]
    assert (tf2.counted, tf2.not_counted) == (1, 1)


def test_dated_counts_group_counted_cases_by_day() -> None:
    entries = [
        case(on=date(2024, 9, 2)),
        case(on=date(2024, 9, 1)),
        case(on=date(2024, 9, 2)),
        case(on=date(2024, 9, 3), role="observed"),
        case("rfa_facet", on=date(2024, 9, 3)),
    ]
    assert dated_counts(entries, "epidural_transforaminal") == (
        (date(2024, 9, 1), 1),
        (date(2024, 9, 2), 2),
    )


def test_projection_at_a_steady_pace() -> None:
    # 10 cases in the first 10 days: one a day, 5 more needed -> 5 more days
    counts = [(START + timedelta(days=i), 1) for i in range(10)]
    p = projected_completion(counts, 15, START, START + timedelta(days=9), END)
    assert p.completion == START + timedelta(days=14)
    assert (p.already_met, p.before_end, p.counted, p.remaining) == (False, True, 10, 5)
    assert p.pace_per_30_days == pytest.approx(30.0)


def test_projection_rounds_up_to_a_whole_day_and_can_fall_after_the_end() -> None:
    # 3 cases in 100 days; 50 more need ceil(50 * 100 / 3) = 1667 days
    today = START + timedelta(days=99)
    p = projected_completion([(START, 3)], 53, START, today, END)
    assert p.completion == today + timedelta(days=1667)
    assert not p.before_end


def test_projection_reports_the_day_a_met_minimum_was_reached() -> None:
    counts = [(date(2024, 8, 1), 2), (date(2024, 8, 20), 3), (date(2024, 9, 5), 1)]
    p = projected_completion(counts, 5, START, date(2024, 10, 1), END)
    assert (p.completion, p.already_met, p.before_end, p.remaining) == (
        date(2024, 8, 20),
        True,
        True,
        0,
    )


def test_no_pace_means_no_projection() -> None:
    p = projected_completion([], 5, START, date(2024, 8, 1), END)
    assert (p.completion, p.before_end, p.pace_per_30_days) == (None, False, 0.0)
    early = projected_completion([(date(2024, 6, 1), 2)], 5, START, date(2024, 6, 15), END)
    assert early.completion is None and early.counted == 2


def test_future_cases_are_ignored_and_carried_over_cases_count_without_pace() -> None:
    counts = [(date(2024, 6, 1), 4), (date(2024, 7, 5), 1), (date(2025, 1, 1), 10)]
    p = projected_completion(counts, 6, START, date(2024, 7, 10), END)
    assert p.counted == 5
    # pace from the start only: 1 case in 10 days -> 1 more case in 10 days
    assert p.completion == date(2024, 7, 20)


def test_projection_refuses_nonsense() -> None:
    with pytest.raises(ValueError):
        projected_completion([], -1, START, START, END)
    with pytest.raises(ValueError):
        projected_completion([], 1, END, START, START)
    with pytest.raises(ValueError):
        projected_completion([(START, -1)], 1, START, START, END)


@given(
    st.lists(st.tuples(st.dates(START, END), st.integers(0, 3)), max_size=40),
    st.integers(0, 60),
    st.dates(START, END),
    st.dates(START, END),
)
def test_more_cases_never_delay_the_projection(
    counts: list[tuple[date, int]], minimum: int, today: date, extra_day: date
) -> None:
    before = projected_completion(counts, minimum, START, today, END)
    after = projected_completion([*counts, (extra_day, 1)], minimum, START, today, END)
    if before.completion is not None:
        assert after.completion is not None
        assert after.completion <= before.completion
    if before.already_met:
        assert after.already_met
    else:
        assert before.completion is None or before.completion > today
        if before.completion is not None:
            # at the projected pace the minimum is reached by the projected day
            days = (before.completion - START).days + 1
            in_window = sum(n for d, n in counts if START <= d <= today)
            elapsed = (today - START).days + 1
            assert before.counted + in_window * (days - elapsed) / elapsed >= minimum - 1e-9


def test_complication_rates_per_category_and_fellow_with_program_average() -> None:
    entries = [
        case(fellow=1, complications=("vasovagal",)),
        case(fellow=1),
        case(fellow=1),
        case(fellow=1),
        case(fellow=2, complications=("intravascular_injection", "vasovagal")),
        case(fellow=2),
        case(fellow=2, role="observed", complications=("vasovagal",)),
        case("rfa_facet", fellow=2, complications=("neuritis",)),
        case("rfa_facet", fellow=2),
    ]
    report = complication_rates(entries)
    assert (report.program.cases, report.program.with_complication) == (8, 3)
    tf, rfa = report.by_category
    assert (tf.category, rfa.category) == ("epidural_transforaminal", "radiofrequency_ablation")
    assert (tf.program.cases, tf.program.with_complication) == (6, 2)
    assert tf.program.rate == pytest.approx(1 / 3)
    assert [(f, r.cases, r.with_complication) for f, r in tf.fellows] == [(1, 4, 1), (2, 2, 1)]
    assert tf.events == (("vasovagal", 2), ("intravascular_injection", 1))
    fellow2 = report.by_fellow[1]
    assert fellow2.fellow_id == 2
    assert (fellow2.overall.cases, fellow2.overall.with_complication) == (4, 2)
    assert fellow2.overall.rate == pytest.approx(0.5)
    assert fellow2.program_overall == report.program
    assert dict(fellow2.program_by_category)["radiofrequency_ablation"].rate == 0.5


def test_complication_rates_can_take_every_role() -> None:
    entries = [case(role="observed", complications=("vasovagal",)), case()]
    assert complication_rates(entries).program.cases == 1
    everyone = complication_rates(entries, counting_roles=None)
    assert (everyone.program.cases, everyone.program.with_complication) == (2, 1)


def test_no_cases_no_rate() -> None:
    report = complication_rates([])
    assert report.program.rate is None
    assert report.by_category == () and report.by_fellow == ()
    assert "taught" in DEFAULT_COUNTING_ROLES
