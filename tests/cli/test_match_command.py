"""The `painfellow match` console command, run as a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

INSTANCE: dict[str, Any] = {
    "programs": [
        {"id": "P1", "capacity": 1, "rank_list": ["A1", "A2", "A3"]},
        {"id": "P2", "capacity": 2, "rank_list": ["A2", "A3"]},
        {"id": "P3", "capacity": 1, "rank_list": []},
    ],
    "applicants": [
        {"id": "A1", "rank_list": ["P1"]},
        {"id": "A2", "rank_list": ["P1", "P2"]},
        {"id": "A3", "rank_list": ["P1", "P2"]},
        {"id": "A4", "rank_list": ["P1"]},
    ],
}


def _painfellow(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("painfellow")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "painfellow.cli.entry"]
    return subprocess.run([*cmd, "match", *args], capture_output=True, text=True, timeout=60)


def _write(path: Path, doc: object) -> Path:
    path.write_text(json.dumps(doc))
    return path


def test_run_writes_the_result_and_exits_0(tmp_path: Path) -> None:
    inst = _write(tmp_path / "instance.json", INSTANCE)
    out = tmp_path / "result.json"
    proc = _painfellow("run", str(inst), "-o", str(out), "--stats")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(out.read_text())
    assert result["matches"] == {"A1": "P1", "A2": "P2", "A3": "P2"}
    assert result["unmatched_applicants"] == ["A4"]
    assert result["unfilled"] == {"P3": 1}
    assert result["stats"]["matched_applicants"] == 3
    assert result["stats"]["program_depth"] == {"P1": 1, "P2": 2, "P3": 0}
    assert {p.name for p in tmp_path.iterdir()} == {"instance.json", "result.json"}


def test_run_without_stats_has_no_stats_key(tmp_path: Path) -> None:
    inst = _write(tmp_path / "instance.json", INSTANCE)
    out = tmp_path / "result.json"
    assert _painfellow("run", str(inst), "-o", str(out)).returncode == 0
    assert "stats" not in json.loads(out.read_text())


def test_run_refuses_invalid_input_with_one_line_and_no_output_file(tmp_path: Path) -> None:
    bad = json.loads(json.dumps(INSTANCE))
    bad["programs"][1]["rank_list"] = ["A2", "A9"]
    inst = _write(tmp_path / "instance.json", bad)
    out = tmp_path / "result.json"
    proc = _painfellow("run", str(inst), "-o", str(out))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "'P2'" in lines[0] and "'A9'" in lines[0]
    assert {p.name for p in tmp_path.iterdir()} == {"instance.json"}


def test_run_refuses_broken_json_and_empty_documents(tmp_path: Path) -> None:
    for name, text in [("broken.json", '{"programs": ['), ("empty.json", ""), ("list.json", "[]")]:
        path = tmp_path / name
        path.write_text(text)
        proc = _painfellow("run", str(path), "-o", str(tmp_path / "out.json"))
        assert proc.returncode == 2, name
        assert name in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.json").exists()


def test_verify_accepts_the_run_result(tmp_path: Path) -> None:
    inst = _write(tmp_path / "instance.json", INSTANCE)
    out = tmp_path / "result.json"
    assert _painfellow("run", str(inst), "-o", str(out)).returncode == 0
    proc = _painfellow("verify", str(inst), str(out))
    assert proc.returncode == 0, proc.stdout
    assert "stable and applicant-optimal" in proc.stdout


def test_verify_lists_each_blocking_pair_and_exits_1(tmp_path: Path) -> None:
    inst = _write(tmp_path / "instance.json", INSTANCE)
    res = _write(tmp_path / "result.json", {"matches": {"A2": "P2", "A3": "P2"}})
    proc = _painfellow("verify", str(inst), str(res))
    assert proc.returncode == 1
    lines = proc.stdout.strip().splitlines()
    assert any("blocking pair: applicant A1" in line and "P1" in line for line in lines)
    assert any("blocking pair: applicant A2" in line and "P1" in line for line in lines)
    assert not any("A4" in line for line in lines)  # P1 did not rank A4


def test_verify_flags_a_stable_but_not_applicant_optimal_result(tmp_path: Path) -> None:
    doc = {
        "programs": [
            {"id": "X", "capacity": 1, "rank_list": ["b", "a"]},
            {"id": "Y", "capacity": 1, "rank_list": ["a", "b"]},
        ],
        "applicants": [{"id": "a", "rank_list": ["X", "Y"]}, {"id": "b", "rank_list": ["Y", "X"]}],
    }
    inst = _write(tmp_path / "instance.json", doc)
    res = _write(tmp_path / "result.json", {"matches": {"a": "Y", "b": "X"}})
    proc = _painfellow("verify", str(inst), str(res))
    assert proc.returncode == 1
    assert all(line.startswith("not_optimal:") for line in proc.stdout.strip().splitlines())


def test_verify_exits_2_on_invalid_input(tmp_path: Path) -> None:
    inst = _write(tmp_path / "instance.json", {"programs": []})
    res = _write(tmp_path / "result.json", {"matches": {}})
    assert _painfellow("verify", str(inst), str(res)).returncode == 2
    good = _write(tmp_path / "good.json", INSTANCE)
    bad = _write(tmp_path / "bad.json", {"matches": []})
    proc = _painfellow("verify", str(good), str(bad))
    assert proc.returncode == 2 and "matches" in proc.stderr


def test_simulate_prints_the_table_and_writes_json(tmp_path: Path) -> None:
    inst = _write(tmp_path / "instance.json", INSTANCE)
    out = tmp_path / "curve.json"
    proc = _painfellow(
        "simulate",
        str(inst),
        "--applicant",
        "A3",
        "--runs",
        "50",
        "--seed",
        "4",
        "--json",
        str(out),
    )
    assert proc.returncode == 0, proc.stderr
    assert "P(match)" in proc.stdout
    doc = json.loads(out.read_text())
    assert doc["subject"] == "A3" and [x for x, _ in doc["curve"]] == [1, 2]


def test_simulate_needs_a_subject_and_a_known_id(tmp_path: Path) -> None:
    inst = _write(tmp_path / "instance.json", INSTANCE)
    assert _painfellow("simulate", str(inst)).returncode == 2
    proc = _painfellow("simulate", str(inst), "--program", "P9", "--runs", "5")
    assert proc.returncode == 2 and "'P9'" in proc.stderr


def _library_document(doc: dict[str, Any], stats: bool) -> dict[str, Any]:
    from painfellow.core.matching import (
        instance_from_document,
        match_stats,
        result_to_document,
        run_match,
    )

    instance = instance_from_document(doc)
    result = run_match(instance)
    return result_to_document(result, match_stats(instance, result) if stats else None)


MIXED: dict[str, Any] = {
    "programs": [
        {"id": "H1", "capacity": 3, "rank_list": ["s1", "c1", "s2", "s3"], "reversion_to": "H2"},
        {"id": "H2", "capacity": 1, "rank_list": ["s2", "c2", "s3", "s4"]},
        {"id": "H3", "capacity": 1, "rank_list": ["s4", "s1"], "withdrawn": True},
        {"id": "H4", "capacity": 2, "rank_list": ["s3", "c2", "s4", "gone"]},
    ],
    "applicants": [
        {"id": "s1", "rank_list": ["H3", "H1"]},
        {"id": "s2", "rank_list": ["H2", "H1"]},
        {"id": "s3", "rank_list": ["H2", "H4", "H1"]},
        {"id": "s4", "rank_list": ["H2", "H4"]},
        {"id": "gone", "rank_list": ["H4"], "withdrawn": True},
    ],
    "couples": [{"ids": ["c1", "c2"], "rank_list": [["H1", "H2"], ["H1", "H4"], [None, "H4"]]}],
}


def test_run_writes_exactly_the_library_result_document(tmp_path: Path) -> None:
    inst = _write(tmp_path / "instance.json", MIXED)
    for stats in (False, True):
        out = tmp_path / "result.json"
        args = ["run", str(inst), "-o", str(out)] + (["--stats"] if stats else [])
        proc = _painfellow(*args)
        assert proc.returncode == 0, proc.stderr
        expected = json.dumps(_library_document(MIXED, stats), separators=(",", ":")) + "\n"
        assert out.read_text() == expected


def test_run_reports_the_library_message_for_an_invalid_entry(tmp_path: Path) -> None:
    from painfellow.core.matching import InvalidInstance, instance_from_document, run_match

    bad = json.loads(json.dumps(MIXED))
    bad["applicants"][2]["rank_list"] = ["H2", "H4", "H2"]
    inst = _write(tmp_path / "instance.json", bad)
    proc = _painfellow("run", str(inst), "-o", str(tmp_path / "out.json"))
    assert proc.returncode == 2
    try:
        run_match(instance_from_document(bad))
    except InvalidInstance as exc:
        expected = f"painfellow match: {inst}: {exc}"
    assert (
        proc.stderr.strip()
        == expected
        == (f"painfellow match: {inst}: applicant 's3': program 'H2' listed twice")
    )


# -- the lean `run` path ----------------------------------------------------------------

RUN_SHAPES = [
    ["run", "in.json", "-o", "out.json"],
    ["run", "in.json", "--output", "out.json"],
    ["run", "-o", "out.json", "in.json"],
    ["run", "in.json", "-o", "out.json", "--stats"],
    ["run", "--stats", "in.json", "-o", "out.json"],
    ["run", "-o", "out.json", "--stats", "in.json"],
    ["run", "in.json", "--stats", "--output", "out.json"],
    # Shapes left to argparse (they may still be valid there):
    ["run", "in.json", "-oout.json"],
    ["run", "in.json", "--output=out.json"],
    ["run", "in.json", "--out", "out.json"],
    ["run", "in.json", "-o", "out.json", "--stats", "--stats"],
    ["run", "in.json", "-o", "-"],
    ["run", "-o", "out.json", "--", "-in.json"],
    ["run", "in.json", "-o"],
    ["run", "in.json", "out.json", "-o"],
    ["verify", "in.json", "-o", "out.json"],
]


def test_plain_run_arguments_mean_what_argparse_makes_of_them() -> None:
    from painfellow.cli.match_command import _parser, _plain_run_args, _Usage

    lean = 0
    for argv in RUN_SHAPES:
        plain = _plain_run_args(list(argv))
        if plain is None:
            continue
        lean += 1
        args = _parser().parse_args(argv)
        assert plain == (args.instance, args.output, args.stats), argv
    assert lean == 7
    for argv in (["run", "in.json", "-o"], ["run", "in.json", "out.json", "-o"]):
        try:
            _parser().parse_args(argv)
        except _Usage:
            continue
        raise AssertionError(f"argparse accepted {argv}")


WITHDRAWN_A4: dict[str, Any] = {
    **INSTANCE,
    "applicants": [
        *INSTANCE["applicants"][:3],
        {"id": "A4", "rank_list": ["P1"], "withdrawn": True},
    ],
}


@pytest.mark.parametrize(
    ("instance", "in_c"), [(INSTANCE, True), (WITHDRAWN_A4, False)], ids=["plain", "withdrawal"]
)
def test_run_imports_only_what_it_needs(tmp_path: Path, instance: Any, in_c: bool) -> None:
    inst = _write(tmp_path / "instance.json", instance)
    cmd = [sys.executable, "-X", "importtime", "-m", "painfellow.cli.entry"]
    proc = subprocess.run(
        [*cmd, "match", "run", str(inst), "-o", str(tmp_path / "out.json")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()}
    # A plain document of singles runs in C, without the Python engine; any other runs in
    # Python, importing the engine.
    assert "painfellow.core.matching._fastrun" in imported
    assert ("painfellow.core.matching.engine" in imported) is not in_c
    heavy = ("argparse", "typing", "numpy", "rich", "typer", "sqlalchemy", "fastapi")
    # The json package (with re) and dataclasses (with inspect) are start-up cost too: the
    # document goes through json's C scanner and encoder, and singles need no dataclass.
    for name in (*heavy, "json", "re", "dataclasses", "inspect"):
        assert name not in imported, name
    assert "painfellow.core.matching.couples" not in imported  # no couples in INSTANCE
    assert json.loads((tmp_path / "out.json").read_text())["matches"]["A1"] == "P1"


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES, st.sampled_from(["", " ", "\n\t", "\r\n  "]), st.sampled_from(["", " \n"]))
def test_quick_json_scan_gives_what_json_loads_gives(value: Any, before: str, after: str) -> None:
    from painfellow.cli.match_command import _NOT_SCANNED, _scan_json

    data = (before + json.dumps(value) + after).encode()
    scanned = _scan_json(data)
    assert scanned is not _NOT_SCANNED
    assert json.dumps(scanned) == json.dumps(json.loads(data))


@pytest.mark.parametrize(
    "data",
    [b"{", b'{"a": 1} x', b"[1,]", b"\xef\xbb\xbf{}", b'{"a": "\xff"}', b"NaN", b'"\x01"'],
)
def test_quick_json_scan_leaves_anything_unusual_to_json_loads(data: bytes) -> None:
    from painfellow.cli.match_command import _NOT_SCANNED, _scan_json

    scanned = _scan_json(data)
    try:
        expected = json.loads(data)
    except ValueError:
        assert scanned is _NOT_SCANNED
        return
    assert scanned is _NOT_SCANNED or json.dumps(scanned) == json.dumps(expected)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_result_encoding_is_json_dumps_with_compact_separators(value: Any) -> None:
    from painfellow.cli.match_command import _dumps

    assert _dumps(value) == json.dumps(value, separators=(",", ":")).encode()


def test_run_with_couples_does_not_import_the_dataclass_types(tmp_path: Path) -> None:
    doc = json.loads(json.dumps(INSTANCE))
    doc["programs"][2]["rank_list"] = ["C1", "C2"]
    doc["couples"] = [{"ids": ["C1", "C2"], "rank_list": [["P3", None], ["P2", "P3"]]}]
    inst = _write(tmp_path / "instance.json", doc)
    cmd = [sys.executable, "-X", "importtime", "-m", "painfellow.cli.entry"]
    proc = subprocess.run(
        [*cmd, "match", "run", str(inst), "-o", str(tmp_path / "out.json")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    imported = {line.rsplit("|", 1)[-1].strip() for line in proc.stderr.splitlines()}
    assert "painfellow.core.matching.couples" in imported
    for name in ("painfellow.core.matching.types", "dataclasses", "inspect"):
        assert name not in imported, name
    assert json.loads((tmp_path / "out.json").read_text())["matches"]["C1"] == "P3"
