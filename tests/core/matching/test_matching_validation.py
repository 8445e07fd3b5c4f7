"""Input validation: each invalid document is refused with a message naming the entry."""

from __future__ import annotations

from typing import Any

import pytest

from painfellow.core.matching import InvalidInstance, instance_from_document, run_match


def _doc(**changes: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "programs": [
            {"id": "P1", "capacity": 2, "rank_list": ["A1", "A2"]},
            {"id": "P2", "capacity": 1, "rank_list": ["A2"]},
        ],
        "applicants": [
            {"id": "A1", "rank_list": ["P1", "P2"]},
            {"id": "A2", "rank_list": ["P2", "P1"]},
        ],
    }
    doc.update(changes)
    return doc


def _refused(doc: object) -> str:
    with pytest.raises(InvalidInstance) as info:
        run_match(instance_from_document(doc))
    return str(info.value)


def test_valid_document_runs() -> None:
    assert run_match(instance_from_document(_doc())).matches == {"A1": "P1", "A2": "P2"}


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        ({}, "document"),
        ([], "document"),
        ({"programs": []}, "'programs'"),
        ({"programs": [{"id": "P1", "capacity": 1}]}, "no applicants"),
        ({"programs": [{"id": "P1", "capacity": 1}], "applicants": {}}, "'applicants'"),
        ({"programs": [{"id": "P1", "capacity": 1}], "applicants": [], "extra": 1}, "'extra'"),
    ],
)
def test_empty_or_malformed_document_is_refused(doc: object, expected: str) -> None:
    assert expected in _refused(doc)


@pytest.mark.parametrize("quota", [0, -1, 1.5, "2", True, None])
def test_non_positive_or_non_integer_quota_names_the_program(quota: object) -> None:
    doc = _doc()
    doc["programs"][1]["capacity"] = quota
    message = _refused(doc)
    assert "'P2'" in message and "quota" in message


def test_unknown_applicant_in_program_list_names_both() -> None:
    doc = _doc()
    doc["programs"][0]["rank_list"] = ["A1", "A9"]
    message = _refused(doc)
    assert "'P1'" in message and "'A9'" in message and "unknown" in message


def test_unknown_program_in_applicant_list_names_both() -> None:
    doc = _doc()
    doc["applicants"][1]["rank_list"] = ["P2", "P7"]
    message = _refused(doc)
    assert "'A2'" in message and "'P7'" in message


def test_id_listed_twice_in_a_rank_list_is_refused() -> None:
    doc = _doc()
    doc["applicants"][0]["rank_list"] = ["P1", "P2", "P1"]
    message = _refused(doc)
    assert "'A1'" in message and "'P1'" in message and "twice" in message
    doc = _doc()
    doc["programs"][0]["rank_list"] = ["A2", "A1", "A2"]
    message = _refused(doc)
    assert "'P1'" in message and "'A2'" in message and "twice" in message


def test_applicant_or_program_listed_twice_is_refused() -> None:
    doc = _doc()
    doc["applicants"].append({"id": "A1", "rank_list": []})
    assert "applicant 'A1': listed twice" in _refused(doc)
    doc = _doc()
    doc["programs"].append({"id": "P2", "capacity": 1, "rank_list": []})
    assert "program 'P2': listed twice" in _refused(doc)


def test_couple_member_listed_again_as_single_is_refused() -> None:
    doc = _doc(couples=[{"ids": ["A1", "A3"], "rank_list": [["P1", "P2"]]}])
    assert "applicant 'A1': listed twice" in _refused(doc)


def test_tie_in_a_rank_list_is_refused() -> None:
    doc = _doc()
    doc["applicants"][0]["rank_list"] = [["P1", "P2"]]
    message = _refused(doc)
    assert "'A1'" in message and "ties" in message


def test_more_than_300_ranks_is_refused() -> None:
    doc = _doc()
    doc["programs"] = [{"id": f"P{i}", "capacity": 1, "rank_list": []} for i in range(301)]
    doc["applicants"] = [{"id": "A1", "rank_list": [f"P{i}" for i in range(301)]}]
    message = _refused(doc)
    assert "'A1'" in message and "300" in message


def test_unknown_key_is_refused_so_typos_do_not_pass_silently() -> None:
    doc = _doc()
    doc["programs"][0]["rank_lst"] = []
    message = _refused(doc)
    assert "'P1'" in message and "rank_lst" in message


def test_reversion_to_unknown_or_self_or_in_a_circle_is_refused() -> None:
    doc = _doc()
    doc["programs"][0]["reversion_to"] = "P9"
    assert "'P1'" in _refused(doc) and "P9" in _refused(doc)
    doc = _doc()
    doc["programs"][0]["reversion_to"] = "P1"
    assert "itself" in _refused(doc)
    doc = _doc()
    doc["programs"].append({"id": "P3", "capacity": 1, "rank_list": [], "reversion_to": "P1"})
    doc["programs"][0]["reversion_to"] = "P2"
    doc["programs"][1]["reversion_to"] = "P3"
    message = _refused(doc)
    assert "circular reversion" in message and "P1 -> P2 -> P3 -> P1" in message


@pytest.mark.parametrize(
    ("couple", "expected"),
    [
        ({"ids": ["A8"], "rank_list": []}, "couples[0]"),
        ({"ids": ["A8", "A8"], "rank_list": []}, "different"),
        ({"ids": ["A8", "A9"], "rank_list": [["P1"]]}, "rank 1"),
        ({"ids": ["A8", "A9"], "rank_list": [[None, None]]}, "both partners unmatched"),
        ({"ids": ["A8", "A9"], "rank_list": [["P1", "P5"]]}, "unknown program 'P5'"),
        ({"ids": ["A8", "A9"], "rank_list": [["P1", None], ["P1", None]]}, "twice"),
    ],
)
def test_malformed_couple_is_refused_with_its_name(couple: dict[str, Any], expected: str) -> None:
    message = _refused(_doc(couples=[couple]))
    assert expected in message


def test_withdrawn_flag_must_be_boolean() -> None:
    doc = _doc()
    doc["applicants"][0]["withdrawn"] = "yes"
    assert "'A1'" in _refused(doc)
