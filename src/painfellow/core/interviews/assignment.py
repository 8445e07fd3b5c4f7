"""Fair assignment of interview seats from ranked days (the race-free mode).

Everyone is placed in one published random order (the SHA-256 of the seed and the applicant
id, so anyone holding the seed can recompute it). The assignment seats as many applicants as
possible on days they ranked (a maximum matching of applicants to the days' free seats, found
with augmenting paths in the published order, so when not everyone fits the earlier ones are
the ones seated). Then, in the same order, each seated applicant takes their highest-ranked day
that still leaves every seated applicant a ranked day, and keeps it. Whoever is left when all
of their ranked days are full gets a free seat on another day, so that everyone is seated while
seats remain; the program sees which of these were off the applicant's list. Within a day,
seats are taken earliest slot first, in the published order.
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
    order = random_order(seed, list(rankings))
    ranked = {a: list(dict.fromkeys(rankings[a])) for a in order}
    days = _RankedDays(ranked, seats)
    for applicant_id in order:  # as many as possible on a ranked day, earlier ones first
        days.seat(applicant_id)
    for applicant_id in order:  # then the best day each can keep, earlier ones first
        if applicant_id in days.day_of:
            days.settle(applicant_id)

    free = {seat.slot_id: seat.free for seat in seats}

    def take(candidates: Sequence[Seat]) -> Seat:
        seat = next(seat for seat in candidates if free[seat.slot_id] > 0)
        free[seat.slot_id] -= 1
        return seat

    slots_by_day: dict[int, list[Seat]] = {}
    for seat in sorted(seats, key=lambda s: (s.day_id, s.order, s.slot_id)):
        slots_by_day.setdefault(seat.day_id, []).append(seat)
    placements: list[Placement] = []
    left: list[int] = []
    for applicant_id in order:
        day_id = days.day_of.get(applicant_id)
        if day_id is None:
            left.append(applicant_id)
            continue
        taken = take(slots_by_day[day_id])  # the day's load never exceeds its free seats
        placements.append(
            Placement(applicant_id, taken.slot_id, day_id, ranked[applicant_id].index(day_id) + 1)
        )
    all_slots = sorted(seats, key=lambda s: (s.order, s.day_id, s.slot_id))
    unplaced: list[int] = []
    for applicant_id in left:  # still in the published order
        if not any(free[seat.slot_id] > 0 for seat in all_slots):
            unplaced.append(applicant_id)
            continue
        spare = take(all_slots)
        placements.append(Placement(applicant_id, spare.slot_id, spare.day_id, None))
    return Assignment(order, tuple(placements), tuple(unplaced))


class _RankedDays:
    """Applicants on ranked days, within each day's free seats; moves follow augmenting paths."""

    def __init__(self, ranked: Mapping[int, list[int]], seats: Sequence[Seat]) -> None:
        self.ranked = ranked
        self.capacity: dict[int, int] = {}
        for seat in seats:
            self.capacity[seat.day_id] = self.capacity.get(seat.day_id, 0) + max(seat.free, 0)
        self.day_of: dict[int, int] = {}
        self.on_day: dict[int, set[int]] = {day: set() for day in self.capacity}
        self.fixed: set[int] = set()

    def _spare(self, day_id: int) -> bool:
        return len(self.on_day.get(day_id, ())) < self.capacity.get(day_id, 0)

    def _path_to_spare(self, start: int, mover: int) -> list[tuple[int, int]] | None:
        """Moves ``(applicant, to day)`` that put ``mover`` on ``start`` by shifting applicants
        who are not fixed along their ranked days until one lands on a day with a spare seat;
        None when there is no such chain."""
        parent: dict[int, tuple[int | None, int]] = {start: (None, mover)}
        queue = [start]
        for day_id in queue:  # breadth first; the queue grows while it is read
            if self._spare(day_id):
                moves = []
                at: int | None = day_id
                while at is not None:
                    previous, applicant_id = parent[at]
                    moves.append((applicant_id, at))
                    at = previous
                return moves
            for applicant_id in sorted(self.on_day.get(day_id, ())):
                if applicant_id in self.fixed or applicant_id == mover:
                    continue
                for other in self.ranked[applicant_id]:
                    if other not in parent and other in self.capacity:
                        parent[other] = (day_id, applicant_id)
                        queue.append(other)
        return None

    def _apply(self, moves: list[tuple[int, int]]) -> None:
        for applicant_id, day_id in moves:
            current = self.day_of.get(applicant_id)
            if current is not None:
                self.on_day[current].discard(applicant_id)
            self.day_of[applicant_id] = day_id
            self.on_day[day_id].add(applicant_id)

    def seat(self, applicant_id: int) -> None:
        """Seat an unseated applicant on one of their ranked days if an augmenting path exists."""
        for day_id in self.ranked[applicant_id]:
            if day_id in self.capacity:
                moves = self._path_to_spare(day_id, applicant_id)
                if moves is not None:
                    self._apply(moves)
                    return

    def settle(self, applicant_id: int) -> None:
        """Move a seated applicant to their best ranked day that keeps everyone seated (the
        seat they leave is free for the chain), then fix them there."""
        current = self.day_of[applicant_id]
        for day_id in self.ranked[applicant_id]:
            if day_id == current:
                break
            if day_id not in self.capacity:
                continue
            self.on_day[current].discard(applicant_id)  # their own seat frees up for the chain
            moves = self._path_to_spare(day_id, applicant_id)
            self.on_day[current].add(applicant_id)
            if moves is not None:
                self._apply(moves)
                break
        self.fixed.add(applicant_id)
