"""Fair assignment of interview seats from ranked days (the race-free mode).

Everyone is placed in one published random order (the SHA-256 of the seed and the applicant
id, so anyone holding the seed can recompute it). In that order each applicant takes a seat
on their highest-ranked day that still has one. Whoever is left when all of their ranked days
are full gets a free seat on another day, so that everyone is seated while seats remain; the
program sees which of these were off the applicant's list.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Seat:
    """Free seats in one slot; ``order`` sorts slots within a day (earliest first)."""

    slot_id: int
    day_id: int
    order: int
    free: int


@dataclass(frozen=True)
class Placement:
    applicant_id: int
    slot_id: int
    day_id: int
    rank: int | None  # the rank the applicant gave this day; None when off their list


@dataclass(frozen=True)
class Assignment:
    order: tuple[int, ...]  # the published random order
    placements: tuple[Placement, ...]
    unplaced: tuple[int, ...]  # only when there were fewer seats than applicants


def random_order(seed: str, applicant_ids: Sequence[int]) -> tuple[int, ...]:
    def key(applicant_id: int) -> tuple[str, int]:
        digest = hashlib.sha256(f"{seed}:{applicant_id}".encode()).hexdigest()
        return digest, applicant_id

    return tuple(sorted(set(applicant_ids), key=key))


def assign(seed: str, rankings: Mapping[int, Sequence[int]], seats: Sequence[Seat]) -> Assignment:
    """Place every applicant in ``rankings`` (applicant id -> day ids, best first)."""
    free = {seat.slot_id: seat.free for seat in seats}
    slots_by_day: dict[int, list[Seat]] = {}
    for seat in sorted(seats, key=lambda s: (s.day_id, s.order, s.slot_id)):
        slots_by_day.setdefault(seat.day_id, []).append(seat)
    all_slots = sorted(seats, key=lambda s: (s.order, s.day_id, s.slot_id))

    def take(candidates: Sequence[Seat]) -> Seat | None:
        for seat in candidates:
            if free[seat.slot_id] > 0:
                free[seat.slot_id] -= 1
                return seat
        return None

    order = random_order(seed, list(rankings))
    placements: list[Placement] = []
    left: list[int] = []
    for applicant_id in order:
        for rank, day_id in enumerate(dict.fromkeys(rankings[applicant_id]), start=1):
            taken = take(slots_by_day.get(day_id, []))
            if taken is not None:
                placements.append(Placement(applicant_id, taken.slot_id, taken.day_id, rank))
                break
        else:
            left.append(applicant_id)
    unplaced: list[int] = []
    for applicant_id in left:  # still in the published order
        spare = take(all_slots)
        if spare is None:
            unplaced.append(applicant_id)
        else:
            placements.append(Placement(applicant_id, spare.slot_id, spare.day_id, None))
    return Assignment(order, tuple(placements), tuple(unplaced))
