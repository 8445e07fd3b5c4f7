"""``_fastrun.run_plain``, the C run of ``painfellow match run``, against the Python path.

For every document it either writes exactly the bytes the Python path writes (plain
documents of singles) or declines (None) so that the Python path answers; it never
answers a document the Python path refuses.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from painfellow.core.matching.engine import outcome_to_document, solve_compiled
from painfellow.core.matching.rules import MAX_RANKS, InvalidInstance
from painfellow.core.matching.validate import compile_document
from tests.core.matching.test_matching_fast_path import MUTATIONS, _break, documents

try:
    from painfellow.core.matching._fastrun import run_plain
except ImportError:  # pragma: no cover - reported as a failure, not a skip
    pytest.fail(
        "painfellow.core.matching._fastrun is not built: `pip install -e .` compiles it "
        "(it needs gcc and the Python headers)",
        pytrace=False,
    )

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def python_result(data: bytes) -> bytes | None:
    """What the Python path writes for ``data`` without --stats; None when it refuses."""
    try:
        comp = compile_document(json.loads(data))
    except (InvalidInstance, ValueError):
        return None
    document = outcome_to_document(comp, solve_compiled(comp))
    return json.dumps(document, separators=(",", ":")).encode() + b"\n"


# Ids as the C run takes them: printable ASCII that json writes unescaped. Short ids over
# a small alphabet make prefixes of one another (sorting) and repeated ids likely.
IDS = st.text(st.sampled_from("AB01 -_~!#}{[]:,"), min_size=1, max_size=3)


@st.composite
def plain_documents(draw: st.DrawFn) -> dict[str, Any]:
    """Single applicants only, every optional key in a form the C run accepts."""
    progs = draw(st.lists(IDS, min_size=1, max_size=6, unique=True))
    apps = draw(st.lists(IDS, min_size=1, max_size=9, unique=True))
    programs = []
    for pid in progs:
        ranked = draw(st.permutations(apps))[: draw(st.integers(0, len(apps)))]
        entry: dict[str, Any] = {"capacity": draw(st.integers(1, 4)), "id": pid}
        if ranked or draw(st.booleans()):
            entry["rank_list"] = ranked
        if draw(st.integers(0, 4)) == 0:
            entry["reversion_to"] = None
        if draw(st.integers(0, 4)) == 0:
            entry["withdrawn"] = False
        programs.append(dict(draw(st.permutations(list(entry.items())))))
    applicants = []
    for aid in apps:
        ranked = draw(st.permutations(progs))[: draw(st.integers(0, len(progs)))]
        entry = {"id": aid, "rank_list": ranked}
        if draw(st.integers(0, 4)) == 0:
            entry["withdrawn"] = False
        applicants.append(dict(draw(st.permutations(list(entry.items())))))
    doc: dict[str, Any] = {"programs": programs, "applicants": applicants}
    if draw(st.booleans()):
        doc["couples"] = []
    return dict(draw(st.permutations(list(doc.items()))))


def encode(doc: object, layout: int) -> bytes:
    if layout == 0:
        return json.dumps(doc, separators=(",", ":")).encode()
    if layout == 1:
        return json.dumps(doc).encode()
    return (" \n" + json.dumps(doc, indent="\t") + "\r\n").encode()


@SETTINGS
@given(plain_documents(), st.integers(0, 2))
def test_plain_documents_get_exactly_the_python_result(doc: dict[str, Any], layout: int) -> None:
    data = encode(doc, layout)
    expected = python_result(data)
    assert expected is not None
    assert run_plain(data) == expected


@SETTINGS
@given(documents(), st.integers(0, 2))
def test_couples_reversions_and_withdrawals_are_left_to_python(
    doc: dict[str, Any], layout: int
) -> None:
    data = encode(doc, layout)
    special = (
        doc.get("couples")
        or any(p.get("reversion_to") for p in doc["programs"])
        or any(e.get("withdrawn") for e in doc["programs"] + doc["applicants"])
        or not doc["applicants"]
    )
    answer = run_plain(data)
    if special:
        assert answer is None
    else:
        assert answer == python_result(data)


@SETTINGS
@given(plain_documents(), st.lists(st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 20)),
                                   min_size=1))  # fmt: skip
def test_invalid_documents_are_left_to_python(
    doc: dict[str, Any], breaks: list[tuple[str, int]]
) -> None:
    for how, where in breaks:
        _break(doc, how, where)
    data = encode(doc, 0)
    assert python_result(data) is None
    assert run_plain(data) is None


@SETTINGS
@given(plain_documents(), st.integers(0, 10_000), st.sampled_from(['"', "\\", "", "x", "{", "]"]))
def test_damaged_bytes_never_get_a_different_answer(
    doc: dict[str, Any], at: int, insert: str
) -> None:
    data = encode(doc, 0)
    at %= len(data)
    damaged = data[:at] + insert.encode() + data[at + 1 :]
    answer = run_plain(damaged)
    assert answer is None or answer == python_result(damaged)


BASE = {
    "programs": [{"id": "P1", "capacity": 1, "rank_list": ["A1", "A2"]}],
    "applicants": [{"id": "A1", "rank_list": ["P1"]}, {"id": "A2", "rank_list": ["P1"]}],
}


@pytest.mark.parametrize(
    ("text", "why"),
    [
        (json.dumps(BASE).replace('{"id": "A2"', '{"id": "A\\u0032"'), "escape"),
        (json.dumps(BASE).replace("A2", "Ä2"), "non-ASCII id"),
        (json.dumps(BASE).replace("A2", "A\x7f"), "DEL, which json escapes"),
        (json.dumps(BASE).replace('"capacity": 1', '"capacity": 0'), "zero quota"),
        (json.dumps(BASE).replace('"capacity": 1', '"capacity": 1.0'), "float quota"),
        (json.dumps(BASE).replace('"capacity": 1', '"capacity": 1e1'), "exponent quota"),
        (json.dumps(BASE).replace('"capacity": 1', '"capacity": 01'), "leading zero"),
        (json.dumps(BASE).replace('"capacity": 1', '"capacity": 1000000000'), "10 digits"),
        (json.dumps(BASE).replace('"capacity": 1', '"capacity": true'), "boolean quota"),
        (json.dumps(BASE).replace('"id": "P1"', '"id": "P1", "id": "P1"'), "repeated key"),
        (json.dumps(BASE).replace('"id": "P1"', '"id": "P1", "note": 1'), "unknown key"),
        (json.dumps(BASE).replace('"id": "P1"', '"id": "P1", "reversion_to": "P1"'), "reversion"),
        (json.dumps(BASE).replace('"id": "A1"', '"id": "A1", "withdrawn": true'), "withdrawn"),
        (json.dumps({**BASE, "couples": [{"ids": ["C1", "C2"], "rank_list": []}]}), "couple"),
        (json.dumps({**BASE, "applicants": []}), "no applicants"),
        (json.dumps({"programs": BASE["programs"]}), "applicants key missing"),
        (json.dumps(BASE).replace('"A1", "A2"', '"A1", "A1"'), "id twice in a list"),
        (json.dumps(BASE).replace('"A1", "A2"', '"A1", "A3"'), "unknown id"),
        (json.dumps(BASE).replace('"id": "A2"', '"id": "A1"'), "applicant twice"),
        (json.dumps(BASE).replace('"id": "A2"', '"id": ""'), "empty id"),
        (json.dumps(BASE) + " x", "trailing data"),
        ("\ufeff" + json.dumps(BASE), "byte order mark"),
        ("", "empty document"),
        ("[]", "not an object"),
    ],
)
def test_declines(text: str, why: str) -> None:
    assert run_plain(text.encode()) is None, why


def test_the_rank_limit_is_the_python_one() -> None:
    apps = [f"A{i}" for i in range(MAX_RANKS + 1)]
    doc = {
        "programs": [{"id": "P1", "capacity": 2, "rank_list": apps[:MAX_RANKS]}],
        "applicants": [{"id": a, "rank_list": ["P1"]} for a in apps],
    }
    data = json.dumps(doc).encode()
    assert run_plain(data) == python_result(data) is not None
    doc["programs"][0]["rank_list"] = apps
    assert run_plain(json.dumps(doc).encode()) is None


def test_a_worked_example() -> None:
    # Roth & Sotomayor's college admissions shape: a quota of 2, a displaced applicant who
    # moves down their list, an applicant no program ranked, and an unfilled program.
    doc = {
        "programs": [
            {"id": "P1", "capacity": 2, "rank_list": ["A3", "A1", "A2"]},
            {"id": "P2", "capacity": 1, "rank_list": ["A2", "A1"]},
            {"id": "P3", "capacity": 1, "rank_list": []},
        ],
        "applicants": [
            {"id": "A1", "rank_list": ["P1", "P2"]},
            {"id": "A2", "rank_list": ["P1", "P2"]},
            {"id": "A3", "rank_list": ["P1"]},
            {"id": "A4", "rank_list": ["P1", "P3"]},
        ],
    }
    assert json.loads(run_plain(json.dumps(doc).encode()) or b"null") == {
        "matches": {"A1": "P1", "A2": "P2", "A3": "P1"},
        "unmatched_applicants": ["A4"],
        "unfilled": {"P3": 1},
        "reverted": {},
        "withdrawn": {"applicants": [], "programs": []},
        "instabilities": [],
    }


def test_only_bytes_are_taken() -> None:
    with pytest.raises(TypeError):
        run_plain(json.dumps(BASE))  # type: ignore[arg-type]
