"""The rating scales an evaluation item can use, and reading an answer on one.

Two scales, chosen so that a program can rate both its own objectives and the ACGME
milestones (training-rules.md §3.2, the six core competencies, assessed on milestones):

* ``likert_5``: 1 to 5 in whole steps, 1 "well below expectations for the stage of
  training", 3 "meets expectations", 5 "well above expectations".
* ``milestone``: the ACGME milestone levels 1 to 5 in half levels (1, 1.5, 2, ... 5), the
  way Clinical Competency Committees mark a fellow "between" two levels. Level 1 is a
  beginning fellow, level 4 the graduation target, level 5 aspirational.

Every item may also be answered :data:`NOT_OBSERVED` (the evaluator did not see the fellow
do it); that answer carries no rating and is no evidence for the item's objectives.

Ratings are held as *half-points*: the rating times two, an integer from 2 to 10, so that
storage and arithmetic stay exact on every database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

NOT_OBSERVED: Final = "not_observed"
_RATING: Final = re.compile(r"(\d{1,2})(?:\.(0|5)0*)?")


@dataclass(frozen=True, slots=True)
class RatingScale:
    """A scale's key, its name, and its choices as (half-points, label)."""

    key: str
    name: str
    choices: tuple[tuple[int, str], ...]

    def allows(self, half_points: int) -> bool:
        return any(value == half_points for value, _ in self.choices)

    def label(self, half_points: int) -> str:
        for value, label in self.choices:
            if value == half_points:
                return label
        raise ValueError(f"{half_points} half-points are not on the {self.key} scale")


_LIKERT_LABELS = (
    "Well below expectations",
    "Below expectations",
    "Meets expectations",
    "Above expectations",
    "Well above expectations",
)

SCALES: Final[dict[str, RatingScale]] = {
    "likert_5": RatingScale(
        "likert_5",
        "Expectations, 1–5",
        tuple((2 * n, f"{n} – {label}") for n, label in enumerate(_LIKERT_LABELS, 1)),
    ),
    "milestone": RatingScale(
        "milestone",
        "ACGME milestone level, 1–5 in half levels",
        tuple(
            (h, f"Level {h // 2}" if h % 2 == 0 else f"Between levels {h // 2} and {h // 2 + 1}")
            for h in range(2, 11)
        ),
    ),
}


def format_half_points(half_points: int) -> str:
    """2 -> "1", 7 -> "3.5"."""
    whole, half = divmod(half_points, 2)
    return f"{whole}.5" if half else str(whole)


def format_rating(half_points: int | None) -> str:
    """The rating as people write it ("3", "3.5"), or "not observed"."""
    return "not observed" if half_points is None else format_half_points(half_points)


def parse_rating(scale_key: str, raw: str) -> int | None:
    """Read an answer: :data:`NOT_OBSERVED` gives None, a rating on the scale ("3",
    "3.5") gives its half-points. Raises ValueError with a reason a page can show."""
    scale = SCALES.get(scale_key)
    if scale is None:
        raise ValueError(f"{scale_key!r} is not a rating scale")
    text = raw.strip()
    if not text:
        raise ValueError("choose a rating or “not observed”")
    if text == NOT_OBSERVED:
        return None
    match = _RATING.fullmatch(text)
    half_points = int(match[1]) * 2 + (1 if match[2] == "5" else 0) if match else 0
    if not scale.allows(half_points):
        whole = scale.key == "likert_5"
        raise ValueError(
            "must be a whole number from 1 to 5" if whole else "must be 1 to 5 in steps of 0.5"
        )
    return half_points
