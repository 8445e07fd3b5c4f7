"""The document fast path and the incremental reversion runs must equal the library path.

``compile_document`` (used by ``painfellow match run``) reads a document straight into int
arrays; ``solve_compiled`` repeats reversion runs from a checkpoint. Both are checked here
against the plain route ``run_match(instance_from_document(doc))`` and against full re-runs.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from painfellow.core.matching import (
    InvalidInstance,
    check_stability,
    instance_from_document,
    result_to_document,
    run_match,
)
from painfellow.core.matching import engine as engine_module
from painfellow.core.matching.engine import (
    outcome_to_document,
    result_from_outcome,
    solve_compiled,
)
from painfellow.core.matching.validate import compile_document, compile_instance

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def documents(draw: st.DrawFn, max_apps: int = 8, max_progs: int = 5) -> dict[str, Any]:
    """Random valid documents: one-sided and empty lists, withdrawals, reversion chains
    (always towards a later program, so never circular) and couples."""
    n_apps = draw(st.integers(0, max_apps))
    n_progs = draw(st.integers(1, max_progs))
    n_couples = draw(st.integers(0 if n_apps else 1, 2))
    singles = [f"A{i}" for i in range(n_apps)]
    members = [f"C{k}{x}" for k in range(n_couples) for x in "ab"]
    progs = [f"P{j}" for j in range(n_progs)]
    everyone = singles + members
    programs: list[dict[str, Any]] = []
    for j, pid in enumerate(progs):
        ranked = draw(st.permutations(everyone)) if everyone else []
        entry: dict[str, Any] = {
            "id": pid,
            "capacity": draw(st.integers(1, 3)),
            "rank_list": ranked[: draw(st.integers(0, len(everyone)))],
        }
        if j + 1 < n_progs and draw(st.integers(0, 2)) == 0:
            entry["reversion_to"] = progs[draw(st.integers(j + 1, n_progs - 1))]
        if draw(st.integers(0, 9)) == 0:
            entry["withdrawn"] = True
        programs.append(entry)
    applicants: list[dict[str, Any]] = []
    for aid in singles:
        lst = draw(st.permutations(progs))
        entry = {"id": aid, "rank_list": lst[: draw(st.integers(0, n_progs))]}
        if draw(st.integers(0, 9)) == 0:
            entry["withdrawn"] = True
        applicants.append(entry)
    couples: list[dict[str, Any]] = []
    options = [[x, y] for x in [*progs, None] for y in [*progs, None] if (x, y) != (None, None)]
    for k in range(n_couples):
        pairs = draw(st.lists(st.sampled_from(options), unique_by=tuple, max_size=6))
        entry = {"ids": [f"C{k}a", f"C{k}b"], "rank_list": pairs}
        if draw(st.integers(0, 9)) == 0:
            entry["withdrawn"] = True
        couples.append(entry)
    doc: dict[str, Any] = {"programs": programs, "applicants": applicants}
    if couples or draw(st.booleans()):
        doc["couples"] = couples
    return doc


def _library(doc: object) -> dict[str, Any] | str:
    try:
        return result_to_document(run_match(instance_from_document(doc)))
    except InvalidInstance as exc:
        return f"invalid: {exc}"


def _fast(doc: object) -> dict[str, Any] | str:
    try:
        comp = compile_document(doc)
        out = solve_compiled(comp)
        document = result_to_document(result_from_outcome(comp, out))
    except InvalidInstance as exc:
        return f"invalid: {exc}"
    # `match run` without --stats builds the same document straight from the outcome.
    direct = outcome_to_document(comp, out)
    assert json.dumps(direct) == json.dumps(document)
    return document


@SETTINGS
@given(documents())
def test_fast_path_writes_the_same_result_document_as_the_library_path(
    doc: dict[str, Any],
) -> None:
    fast = _fast(doc)
    assert isinstance(fast, dict)
    assert json.dumps(fast) == json.dumps(_library(doc))  # same keys, values and order


# Each mutation breaks one input rule; applied to a random valid document it must be
# refused with the same message by both paths (often in an entry that is not the first).
def _break(doc: dict[str, Any], how: str, where: int) -> None:
    progs = doc["programs"]
    apps = doc["applicants"]
    p = progs[where % len(progs)]
    dicts = [e for e in apps if isinstance(e, dict)]
    a = dicts[where % len(dicts)] if dicts else None
    p.setdefault("rank_list", [])
    if a is not None:
        a.setdefault("rank_list", [])
    if how == "unknown applicant":
        p["rank_list"] = [*p["rank_list"], "nobody"]
    elif how == "unknown program" and a is not None:
        a["rank_list"] = [*a["rank_list"], "P99"]
    elif how == "tie" and a is not None:
        a["rank_list"] = [*a["rank_list"], ["P0", "P1"]]
    elif how == "number in list":
        p["rank_list"] = [7, *p["rank_list"]]
    elif how == "twice in program list" and p["rank_list"]:
        p["rank_list"] = [*p["rank_list"], p["rank_list"][0]]
    elif how == "twice in applicant list" and a is not None and a["rank_list"]:
        a["rank_list"] = [*a["rank_list"], a["rank_list"][-1]]
    elif how == "program listed twice":
        progs.append(dict(p))
    elif how == "applicant listed twice" and a is not None:
        apps.append({"id": a["id"], "rank_list": []})
    elif how == "quota":
        p["capacity"] = [0, -1, 1.5, "2", True, None][where % 6]
    elif how == "withdrawn flag" and a is not None:
        a["withdrawn"] = "yes"
    elif how == "unknown key":
        p["rank_lst"] = []
    elif how == "missing list" and a is not None:
        a["ranks"] = a.pop("rank_list")
    elif how == "long list":
        p["rank_list"] = [f"X{i}" for i in range(301)]
    elif how == "reversion to self":
        p["reversion_to"] = p["id"]
    elif how == "reversion to unknown":
        p["reversion_to"] = "P99"
    elif how == "circular reversion" and len(progs) > 1:
        progs[-1]["reversion_to"] = progs[0]["id"]
        progs[0]["reversion_to"] = progs[-1]["id"]
    elif how == "bad couple":
        doc.setdefault("couples", []).append({"ids": ["Z1", "Z1"], "rank_list": []})
    elif how == "couple pair twice":
        doc.setdefault("couples", []).append(
            {"ids": ["Z1", "Z2"], "rank_list": [["P0", None], ["P0", None]]}
        )
    elif how == "entry not an object":
        apps.insert(where % (len(apps) + 1), ["A1"])
    else:
        p["capacity"] = 0  # the mutation did not apply: break a quota instead


MUTATIONS = [
    "unknown applicant",
    "unknown program",
    "tie",
    "number in list",
    "twice in program list",
    "twice in applicant list",
    "program listed twice",
    "applicant listed twice",
    "quota",
    "withdrawn flag",
    "unknown key",
    "missing list",
    "long list",
    "reversion to self",
    "reversion to unknown",
    "circular reversion",
    "bad couple",
    "couple pair twice",
    "entry not an object",
]


@SETTINGS
@given(documents(), st.lists(st.tuples(st.sampled_from(MUTATIONS), st.integers(0, 20)), min_size=1))
def test_fast_path_refuses_invalid_documents_with_the_same_message(
    doc: dict[str, Any], breaks: list[tuple[str, int]]
) -> None:
    for how, where in breaks:
        _break(doc, how, where)
    fast = _fast(doc)
    assert isinstance(fast, str) and fast.startswith("invalid: ")
    assert fast == _library(doc)


def test_messages_name_the_entry_when_the_error_is_deep_in_a_large_document() -> None:
    doc: dict[str, Any] = {
        "programs": [{"id": f"P{j}", "capacity": 2, "rank_list": []} for j in range(50)],
        "applicants": [{"id": f"A{i}", "rank_list": ["P1", "P2"]} for i in range(500)],
    }
    doc["applicants"][321]["rank_list"] = ["P3", "P4", "P3"]
    doc["applicants"][400]["rank_list"] = ["P77"]
    assert _fast(doc) == "invalid: applicant 'A321': program 'P3' listed twice"
    assert _library(doc) == _fast(doc)
    doc["programs"][45]["rank_list"] = ["A5", ["A6", "A7"]]
    expected = (
        "invalid: program 'P45': rank 2 must be a single id string (ties are not allowed), "
        "got ['A6', 'A7']"
    )
    assert _fast(doc) == expected == _library(doc)


@pytest.mark.parametrize(
    "doc",
    [
        {},
        [],
        {"programs": []},
        {"programs": [{"id": "P1", "capacity": 1}]},
        {"programs": [{"id": "P1", "capacity": 1}], "applicants": {}},
        {"programs": [{"id": "P1", "capacity": 1}], "applicants": [], "extra": 1},
        {"programs": [{"id": "P1", "capacity": 1}], "applicants": [{"id": ""}]},
    ],
)
def test_fast_path_refuses_malformed_documents_like_the_library(doc: object) -> None:
    assert _fast(doc) == _library(doc)
    assert str(_fast(doc)).startswith("invalid: ")


# -- incremental reversion runs --------------------------------------------------------


@SETTINGS
@given(documents(max_apps=9, max_progs=6))
def test_incremental_reversion_runs_equal_full_reruns(doc: dict[str, Any]) -> None:
    comp = compile_instance(instance_from_document(doc))
    calls: list[bool] = []
    fits = engine_module._Checkpoint.fits

    def spy(self: Any, caps: list[int]) -> bool:
        ok = fits(self, caps)
        calls.append(ok)
        return ok

    engine_module._Checkpoint.fits = spy  # type: ignore[method-assign]
    try:
        incremental = solve_compiled(comp)
    finally:
        engine_module._Checkpoint.fits = fits  # type: ignore[method-assign]
    assert incremental == solve_compiled(comp, incremental=False)
    if calls:
        event(f"reversion runs {len(calls)}, resumed {sum(calls)}")
    if len(calls) > 1 and all(calls):
        event("every later run resumed from the checkpoint")


def test_reversion_chain_resumes_and_matches_a_full_rerun() -> None:
    # P1 -> P2 -> P3. Run 1: P1 fills 1 of 3, P2 takes A2 only, A3 goes to P3. Run 2: P2
    # got P1's 2 spare places, takes A3 and has 1 spare. Run 3: P3 got it and takes A4, A5.
    doc = {
        "programs": [
            {"id": "P1", "capacity": 3, "rank_list": ["A1"], "reversion_to": "P2"},
            {"id": "P2", "capacity": 1, "rank_list": ["A2", "A3"], "reversion_to": "P3"},
            {"id": "P3", "capacity": 1, "rank_list": ["A3", "A4", "A5"]},
        ],
        "applicants": [
            {"id": "A1", "rank_list": ["P1"]},
            {"id": "A2", "rank_list": ["P2"]},
            {"id": "A3", "rank_list": ["P2", "P3"]},
            {"id": "A4", "rank_list": ["P3"]},
            {"id": "A5", "rank_list": ["P3"]},
        ],
    }
    comp = compile_document(doc)
    out = solve_compiled(comp)
    assert out == solve_compiled(comp, incremental=False)
    result = result_from_outcome(comp, out)
    assert result.matches == {"A1": "P1", "A2": "P2", "A3": "P2", "A4": "P3", "A5": "P3"}
    assert result.reverted == {"P1": 2, "P2": 1}
    assert out.rounds == 3
    inst = instance_from_document(doc)
    assert check_stability(inst, result.matches, result.reverted) == ()


def _plain_compiled_lists(
    doc: dict[str, Any],
) -> tuple[list[list[str]], list[list[int]], list[list[str | None]]]:
    """Per active single (in input order) the mutually acceptable programs and the
    applicant's position in each one's list, and per active program the applicant at each
    position (None for a withdrawn one): the compiled lists, worked out entry by entry."""
    programs = [p for p in doc["programs"] if not p.get("withdrawn", False)]
    plist = {p["id"]: p.get("rank_list", []) for p in programs}
    singles = [a for a in doc["applicants"] if not a.get("withdrawn", False)]
    gone = {a["id"] for a in doc["applicants"] if a.get("withdrawn", False)}
    for c in doc.get("couples", []):
        if c.get("withdrawn", False):
            gone.update(c["ids"])
    progs = []
    ranks = []
    for a in singles:
        mutual = [p for p in a.get("rank_list", []) if a["id"] in plist.get(p, [])]
        progs.append(mutual)
        ranks.append([plist[p].index(a["id"]) for p in mutual])
    at = [[None if x in gone else x for x in p.get("rank_list", [])] for p in programs]
    return progs, ranks, at


@SETTINGS
@given(documents(max_apps=10, max_progs=6))
def test_compiled_lists_equal_an_entry_by_entry_reading(doc: dict[str, Any]) -> None:
    # compile_document joins the two sides program by program (grouped lookups read back
    # in applicant order); this is the same join done naively.
    comp = compile_document(doc)
    progs, ranks, at = _plain_compiled_lists(doc)
    n_singles = len(comp.singles)
    assert [[comp.program_ids[p] for p in row] for row in comp.app_progs[:n_singles]] == progs
    assert comp.app_ranks[:n_singles] == ranks
    named = [[comp.applicant_ids[a] if a >= 0 else None for a in row] for row in comp.prog_apps]
    assert named == at


def test_applicant_entries_of_unusual_shape_read_like_the_usual_ones() -> None:
    # The usual entry shape {"id", "rank_list"} is read in bulk; other shapes (keys in
    # another order, a "withdrawn" key) go entry by entry and must mean the same.
    usual: dict[str, Any] = {
        "programs": [{"id": "P1", "capacity": 1, "rank_list": ["A1", "A2"]}],
        "applicants": [{"id": "A1", "rank_list": ["P1"]}, {"id": "A2", "rank_list": ["P1"]}],
    }
    reordered = json.loads(json.dumps(usual))
    reordered["applicants"][1] = {"rank_list": ["P1"], "id": "A2"}
    flagged = json.loads(json.dumps(usual))
    flagged["applicants"][0]["withdrawn"] = False
    expected = _fast(usual)
    assert isinstance(expected, dict) and expected["matches"] == {"A1": "P1"}
    assert _fast(reordered) == expected == _fast(flagged)


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (["id", "rank_list"], "applicants[1]: must be an object"),
        ("id", "applicants[1]: must be an object"),
        ({"id": "", "rank_list": []}, "applicant '': 'id' must be a non-empty string"),
        ({"id": "A2", "rank_list": "P1"}, "applicant 'A2': 'rank_list' must be a list of ids"),
    ],
)
def test_an_odd_applicant_entry_is_named_in_the_message(entry: object, message: str) -> None:
    doc: dict[str, Any] = {
        "programs": [{"id": "P1", "capacity": 1, "rank_list": ["A1"]}],
        "applicants": [{"id": "A1", "rank_list": ["P1"]}, entry],
    }
    assert _fast(doc) == f"invalid: {message}" == _library(doc)
