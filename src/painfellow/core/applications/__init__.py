"""Pure rules of applying: the completeness checklist, rubric averages, and change logs.

No framework, no database: callers pass plain values in.
"""

from __future__ import annotations

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

MIN_LETTERS = 3  # the checklist's "at least three letters received"
MAX_LETTERS_PER_PROGRAM = 4
# profile fields a program needs to judge eligibility (residency, completion, boards)
REQUIRED_PROFILE_FIELDS: dict[str, str] = {
    "medical_school": "Medical school",
    "residency_program": "Residency program",
    "residency_specialty": "Residency specialty",
    "residency_expected_completion": "Expected residency completion",
    "board_status": "Board status",
}


@dataclass(frozen=True)
class ChecklistItem:
    label: str
    done: bool
    detail: str = ""


@dataclass(frozen=True)
class Checklist:
    items: tuple[ChecklistItem, ...]

    @property
    def complete(self) -> bool:
        return all(item.done for item in self.items)

    @property
    def missing(self) -> list[str]:
        return [item.label for item in self.items if not item.done]


def checklist(
    profile: Mapping[str, Any], *, has_cv: bool, has_statement: bool, letters_received: int
) -> Checklist:
    """What a program needs before it can review an application: a CV, a personal statement,
    at least ``MIN_LETTERS`` letters received, and the profile fields it judges eligibility by."""
    empty = [label for key, label in REQUIRED_PROFILE_FIELDS.items() if not profile.get(key)]
    return Checklist(
        (
            ChecklistItem("CV", has_cv),
            ChecklistItem("Personal statement", has_statement),
            ChecklistItem(
                f"At least {MIN_LETTERS} letters received",
                letters_received >= MIN_LETTERS,
                f"{letters_received} received",
            ),
            ChecklistItem(
                "Profile", not empty, "missing: " + ", ".join(empty) if empty else "complete"
            ),
        )
    )


@dataclass(frozen=True)
class RubricSummary:
    """Weighted rubric score per reviewer (1–5), their mean and spread (max − min)."""

    by_reviewer: dict[int, float]

    @property
    def average(self) -> float | None:
        return statistics.fmean(self.by_reviewer.values()) if self.by_reviewer else None

    @property
    def spread(self) -> float | None:
        values = list(self.by_reviewer.values())
        return max(values) - min(values) if values else None


def summarise_rubric(
    weights: Mapping[int, int], scores: Sequence[tuple[int, int, int]]
) -> RubricSummary:
    """``scores`` are (reviewer, criterion, score) triples. Each reviewer's score is the
    weight-averaged mean over the criteria they scored; criteria no longer in ``weights`` count
    for nothing."""
    sums: dict[int, tuple[float, int]] = {}
    for reviewer, criterion, score in scores:
        weight = weights.get(criterion)
        if not weight:
            continue
        total, weight_sum = sums.get(reviewer, (0.0, 0))
        sums[reviewer] = (total + weight * score, weight_sum + weight)
    return RubricSummary({r: total / w for r, (total, w) in sums.items() if w})


def change_log(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Human-readable differences between two application snapshots (profile fields,
    documents by kind and hash, letters by request)."""
    changes: list[str] = []
    old_profile, new_profile = before.get("profile", {}), after.get("profile", {})
    for key in sorted(set(old_profile) | set(new_profile)):
        if old_profile.get(key) != new_profile.get(key):
            changes.append(
                f"Profile {key.replace('_', ' ')}: "
                f"{old_profile.get(key) or '—'} → {new_profile.get(key) or '—'}"
            )
    old_docs = {d["kind"]: d for d in before.get("documents", [])}
    new_docs = {d["kind"]: d for d in after.get("documents", [])}
    for kind in sorted(set(old_docs) | set(new_docs)):
        old, new = old_docs.get(kind), new_docs.get(kind)
        label = kind.replace("_", " ")
        if old is None and new is not None:
            changes.append(f"Added {label}: {new['filename']}")
        elif new is None and old is not None:
            changes.append(f"Removed {label}: {old['filename']}")
        elif old is not None and new is not None and old["sha256"] != new["sha256"]:
            changes.append(f"Replaced {label}: {old['filename']} → {new['filename']}")
    old_letters = {letter["letter_id"]: letter for letter in before.get("letters", [])}
    new_letters = {letter["letter_id"]: letter for letter in after.get("letters", [])}
    for letter_id in sorted(set(new_letters) - set(old_letters)):
        changes.append(f"Added letter from {new_letters[letter_id]['writer_name']}")
    for letter_id in sorted(set(old_letters) - set(new_letters)):
        changes.append(f"Removed letter from {old_letters[letter_id]['writer_name']}")
    return changes
