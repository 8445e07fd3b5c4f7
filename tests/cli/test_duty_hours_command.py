"""`painfellow duty-hours check` through the real console entry, in a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

HEADER = "fellow_id,start,end,kind\n"


def run(tmp_path: Path, body: str, *extra: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "shifts.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "painfellow.cli.entry", "duty-hours", "check", str(path), *extra],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_clean_log_prints_an_empty_list_and_exits_0(tmp_path: Path) -> None:
    done = run(
        tmp_path,
        "F1,2024-07-01T07:00,2024-07-01T17:00,in_house\n"
        "F1,2024-07-02T07:00,2024-07-02T17:00,leave\n",
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []


def test_warnings_only_exit_0_with_the_findings(tmp_path: Path) -> None:
    done = run(
        tmp_path,
        "F1,2024-07-01T07:00,2024-07-01T17:00,in_house\n"
        "F1,2024-07-02T00:59,2024-07-02T08:00,in_house\n",
    )
    assert done.returncode == 0, done.stderr
    [finding] = json.loads(done.stdout)
    assert {k: finding[k] for k in ("fellow_id", "rule", "severity", "start", "end")} == {
        "fellow_id": "F1",
        "rule": "WH2_rest_between_periods",
        "severity": "warning",
        "start": "2024-07-01T17:00:00",
        "end": "2024-07-02T00:59:00",
    }
    assert "7.98 h (7h59m)" in finding["detail"]
    assert finding["excess"] == round(1 / 60, 4)


def test_violations_exit_1_sorted_by_fellow_start_rule(tmp_path: Path) -> None:
    done = run(
        tmp_path,
        "F2,2024-07-02T07:00,2024-07-03T07:30,in_house_call\n"
        "F1,2024-07-03T18:00,2024-07-03T22:00,in_house\n"
        "F1,2024-07-02T07:00,2024-07-03T12:00,in_house_call\n",
    )
    assert done.returncode == 1, done.stderr
    found = json.loads(done.stdout)
    assert [(f["fellow_id"], f["rule"], f["severity"]) for f in found] == [
        ("F1", "WH6_transition_addon", "violation"),
        ("F1", "WH2_rest_between_periods", "warning"),
        ("F1", "WH3_post_24h_inhouse_call_rest", "violation"),
        ("F2", "WH5_max_continuous_scheduled", "warning"),
    ]


def test_period_start_option_sets_a_block_calendar(tmp_path: Path) -> None:
    # Worked every day Jul 10 .. Aug 3: the July 1 period (Jul 1-28) still has 9 free
    # days, but a block from Jul 10 has none.
    rows = "".join(
        f"F1,2024-{m:02d}-{d:02d}T08:00,2024-{m:02d}-{d:02d}T16:00,in_house\n"
        for m, d in [(7, d) for d in range(10, 32)] + [(8, d) for d in range(1, 4)]
    )
    assert run(tmp_path, rows).returncode == 0
    done = run(tmp_path, rows, "--period-start", "2024-07-10", "--period-start", "2024-08-07")
    assert done.returncode == 1
    [finding] = json.loads(done.stdout)
    assert (finding["rule"], finding["start"], finding["end"]) == (
        "WH4_day_off_in_seven",
        "2024-07-10T00:00:00",
        "2024-08-07T00:00:00",
    )


def assert_bad_input(done: subprocess.CompletedProcess[str], line: int, reason: str) -> None:
    assert done.returncode == 2
    assert done.stdout == ""
    assert f"line {line}: " in done.stderr and reason in done.stderr


def test_end_before_start_exits_2_naming_the_line(tmp_path: Path) -> None:
    body = (
        "F1,2024-07-01T07:00,2024-07-01T17:00,in_house\n"
        "F1,2024-07-02T07:00,2024-07-02T06:00,in_house\n"
    )
    assert_bad_input(run(tmp_path, body), 3, "before start")


def test_unknown_kind_exits_2(tmp_path: Path) -> None:
    assert_bad_input(run(tmp_path, "F1,2024-07-02T07:00,2024-07-02T08:00,nap\n"), 2, "'nap'")


def test_malformed_date_exits_2(tmp_path: Path) -> None:
    assert_bad_input(
        run(tmp_path, "F1,2024-07-02T25:00,2024-07-02T08:00,in_house\n"), 2, "malformed"
    )


def test_missing_column_exits_2(tmp_path: Path) -> None:
    assert_bad_input(run(tmp_path, "F1,2024-07-02T07:00\n"), 2, "missing column 'end'")


def test_overlapping_shifts_exit_2(tmp_path: Path) -> None:
    body = (
        "F1,2024-07-02T07:00,2024-07-02T17:00,in_house\n"
        "F1,2024-07-02T16:59,2024-07-02T20:00,moonlighting_external\n"
    )
    assert_bad_input(run(tmp_path, body), 3, "overlaps")


def test_missing_file_and_bad_option_exit_2(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "painfellow.cli.entry", "duty-hours", "check", "/nonexistent.csv"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "cannot read" in done.stderr
    done = run(tmp_path, "", "--period-start", "July 1")
    assert done.returncode == 2 and "YYYY-MM-DD" in done.stderr
