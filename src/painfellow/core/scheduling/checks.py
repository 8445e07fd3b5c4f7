"""Validation, requirement wording, schedule checking and request scoring.

The requirements are the program's own data (see :mod:`painfellow.core.scheduling.types`);
this module states them in words and checks a schedule against them, so a coordinator
editing a schedule by hand sees every broken requirement at once. The solver adapter
(``painfellow.training.scheduler_cpsat``) encodes exactly the same semantics and uses the
same requirement keys and words in its explanations.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from painfellow.core.scheduling.types import (
    InvalidProblem,
    RequestScore,
    RequirementItem,
    Schedule,
    ScheduleProblem,
    Violation,
)

COVERAGE = "coverage"


def validate_problem(problem: ScheduleProblem) -> None:
    """Raise :class:`InvalidProblem` listing every input error of ``problem``.

    Input rules (of this code, not clinical rules): unique non-empty ids, at least one
    block, fellow and rotation, strictly increasing block start dates, non-negative counts
    with min <= max, known ids and in-range block indices everywhere, positive request
    weights.
    """
    errors: list[str] = []
    starts = problem.calendar.starts
    if not starts:
        errors.append("calendar: at least one block is needed")
    errors += [
        f"calendar: block {i + 2} starts on {starts[i + 1]}, not after {starts[i]}"
        for i in range(len(starts) - 1)
        if starts[i + 1] <= starts[i]
    ]
    if not problem.fellows:
        errors.append("at least one fellow is needed")
    if not problem.rotations:
        errors.append("at least one rotation is needed")
    for what, ids in (
        ("fellow", [f.id for f in problem.fellows]),
        ("rotation", [r.id for r in problem.rotations]),
    ):
        errors += [f"{what} id {i!r} appears {n} times" for i, n in Counter(ids).items() if n > 1]
        errors += [f"{what} ids must be non-empty" for i in ids if not i]
    fellow_ids = {f.id for f in problem.fellows}
    rotation_ids = {r.id for r in problem.rotations}
    n = problem.n_blocks

    def check_rotation(where: str, rotation_id: str) -> None:
        if rotation_id not in rotation_ids:
            errors.append(f"{where}: unknown rotation {rotation_id!r}")

    def check_fellows(where: str, ids: Iterable[str]) -> None:
        errors.extend(f"{where}: unknown fellow {f!r}" for f in ids if f not in fellow_ids)

    def check_blocks(where: str, blocks: Iterable[int]) -> None:
        errors.extend(
            f"{where}: block index {b} out of 0..{n - 1}" for b in blocks if not 0 <= b < n
        )

    def check_range(where: str, lo: int, hi: int | None) -> None:
        if lo < 0 or (hi is not None and hi < lo):
            errors.append(f"{where}: need 0 <= minimum <= maximum, got {lo}..{hi}")

    for r in problem.rotations:
        check_range(f"rotation {r.id!r}", r.min_per_block, r.capacity_per_block)
    for i, c in enumerate(problem.block_counts):
        where = f"block count #{i}"
        check_rotation(where, c.rotation_id)
        check_fellows(where, c.fellow_ids)
        check_range(where, c.min_blocks, c.max_blocks)
    for i, s in enumerate(problem.staffing):
        where = f"staffing #{i}"
        check_rotation(where, s.rotation_id)
        check_blocks(where, s.blocks)
        check_range(where, s.min_fellows, s.max_fellows)
        if not s.blocks:
            errors.append(f"{where}: no blocks listed")
    for i, v in enumerate(problem.vacations):
        where = f"vacation #{i}"
        check_rotation(where, v.rotation_id)
        check_fellows(where, v.fellow_ids)
        check_blocks(where, v.blocked_blocks)
        check_range(where, v.min_blocks, v.max_blocks)
    for i, p in enumerate(problem.precedences):
        where = f"precedence #{i}"
        check_rotation(where, p.before_id)
        check_rotation(where, p.after_id)
        check_fellows(where, p.fellow_ids)
        if p.before_id == p.after_id:
            errors.append(f"{where}: a rotation cannot precede itself")
    for i, a in enumerate(problem.fixed):
        where = f"fixed #{i}"
        check_rotation(where, a.rotation_id)
        check_fellows(where, (a.fellow_id,))
        check_blocks(where, (a.block,))
    for i, u in enumerate(problem.unavailable):
        where = f"unavailable #{i}"
        check_rotation(where, u.rotation_id)
        check_fellows(where, (u.fellow_id,))
        check_blocks(where, u.blocks)
        if not u.blocks:
            errors.append(f"{where}: no blocks listed")
    for i, k in enumerate(problem.contiguous):
        where = f"contiguous #{i}"
        check_rotation(where, k.rotation_id)
        check_fellows(where, k.fellow_ids)
    for i, q in enumerate(problem.requests):
        where = f"request #{i}"
        check_rotation(where, q.rotation_id)
        check_fellows(where, (q.fellow_id,))
        check_blocks(where, (q.block,))
        if q.weight < 1:
            errors.append(f"{where}: weight must be a positive integer, got {q.weight}")
    if errors:
        raise InvalidProblem(errors)


class _Words:
    """Names for messages: fellows and rotations by name, blocks 1-based with dates."""

    def __init__(self, problem: ScheduleProblem) -> None:
        self.problem = problem
        self.fellows = {f.id: f.name for f in problem.fellows}
        self.rotations = {r.id: r.name for r in problem.rotations}

    def fellow(self, fellow_id: str) -> str:
        return self.fellows.get(fellow_id, repr(fellow_id))

    def rotation(self, rotation_id: str) -> str:
        return self.rotations.get(rotation_id, repr(rotation_id))

    def block(self, block: int) -> str:
        return self.problem.calendar.label(block)

    def scope(self, fellow_ids: tuple[str, ...], verb_all: str, verb_some: str) -> str:
        if not fellow_ids:
            return f"every fellow {verb_all}"
        return f"{', '.join(self.fellow(f) for f in fellow_ids)} {verb_some}"


def format_blocks(blocks: Iterable[int]) -> str:
    """1-based block list with runs collapsed: ``(0, 1, 4)`` -> ``blocks 1–2, 5``."""
    ordered = sorted(set(blocks))
    runs: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        runs.append(str(ordered[i] + 1) if i == j else f"{ordered[i] + 1}–{ordered[j] + 1}")
        i = j + 1
    word = "block" if len(ordered) == 1 else "blocks"
    return f"{word} {', '.join(runs)}"


def _amount(lo: int, hi: int | None, unit: str) -> str:
    plural = "" if (hi if hi is not None else lo) == 1 else "s"
    if hi is None:
        return f"at least {lo} {unit}{plural}"
    if lo == hi:
        return f"exactly {lo} {unit}{plural}"
    if lo == 0:
        return f"at most {hi} {unit}{plural}"
    return f"{lo}–{hi} {unit}s"


def list_requirements(problem: ScheduleProblem) -> tuple[RequirementItem, ...]:
    """Every hard requirement group of ``problem`` in words, with its stable key.

    Enforces nothing itself: it is the shared vocabulary of :func:`check_schedule` and the
    solver's infeasibility explanations. Rotation capacities always appear; minimum
    staffing only for rotations with ``min_per_block > 0``. The requirements are program
    data (ACGME durations are UNCONFIRMED, ``training-rules.md`` §1.4).
    """
    w = _Words(problem)
    items: list[RequirementItem] = []
    for r in problem.rotations:
        items.append(
            RequirementItem(
                f"capacity:{r.id}",
                "capacity",
                f"{r.name} takes at most {r.capacity_per_block} "
                f"fellow{'s' if r.capacity_per_block != 1 else ''} per block",
            )
        )
        if r.min_per_block > 0:
            items.append(
                RequirementItem(
                    f"min_staffing:{r.id}",
                    "min_staffing",
                    f"{r.name} needs at least {r.min_per_block} "
                    f"fellow{'s' if r.min_per_block != 1 else ''} in every block",
                )
            )
    for i, s in enumerate(problem.staffing):
        amount = _amount(s.min_fellows, s.max_fellows, "fellow")
        items.append(
            RequirementItem(
                f"staffing#{i}",
                "staffing",
                f"{w.rotation(s.rotation_id)} needs {amount} in {format_blocks(s.blocks)}",
                s.source,
            )
        )
    for i, c in enumerate(problem.block_counts):
        who = w.scope(c.fellow_ids, "spends", "spend")
        amount = _amount(c.min_blocks, c.max_blocks, "block")
        items.append(
            RequirementItem(
                f"block_count#{i}",
                "block_count",
                f"{who} {amount} on {w.rotation(c.rotation_id)}",
                c.source,
            )
        )
    for i, v in enumerate(problem.vacations):
        who = w.scope(v.fellow_ids, "takes", "take")
        text = (
            f"{who} {_amount(v.min_blocks, v.max_blocks, 'block')} of {w.rotation(v.rotation_id)}"
        )
        if v.blocked_blocks:
            text += f", none in {format_blocks(v.blocked_blocks)}"
        items.append(RequirementItem(f"vacation#{i}", "vacation", text, v.source))
    for i, p in enumerate(problem.precedences):
        who = w.scope(p.fellow_ids, "completes", "complete")
        items.append(
            RequirementItem(
                f"precedence#{i}",
                "precedence",
                f"{who} {w.rotation(p.before_id)} before starting {w.rotation(p.after_id)}",
                p.source,
            )
        )
    for i, a in enumerate(problem.fixed):
        items.append(
            RequirementItem(
                f"fixed#{i}",
                "fixed",
                f"{w.fellow(a.fellow_id)} is fixed on {w.rotation(a.rotation_id)} "
                f"in {w.block(a.block)}",
                a.source,
            )
        )
    for i, u in enumerate(problem.unavailable):
        items.append(
            RequirementItem(
                f"unavailable#{i}",
                "unavailable",
                f"{w.fellow(u.fellow_id)} cannot be on {w.rotation(u.rotation_id)} in "
                f"{format_blocks(u.blocks)}",
                u.source,
            )
        )
    for i, k in enumerate(problem.contiguous):
        who = w.scope(k.fellow_ids, "takes", "take")
        items.append(
            RequirementItem(
                f"contiguous#{i}",
                "contiguous",
                f"{who} all blocks of {w.rotation(k.rotation_id)} in a row (consecutive)",
                k.source,
            )
        )
    return tuple(items)


def staffing_overrides(problem: ScheduleProblem) -> dict[tuple[str, int], list[int]]:
    """(rotation id, block) -> indices of the :class:`BlockStaffing` overrides covering it.

    Where a cell has overrides, they replace the rotation's own capacity and minimum.
    """
    cells: dict[tuple[str, int], list[int]] = defaultdict(list)
    for i, s in enumerate(problem.staffing):
        for b in sorted(set(s.blocks)):
            cells[(s.rotation_id, b)].append(i)
    return dict(cells)


def check_schedule(problem: ScheduleProblem, schedule: Schedule) -> list[Violation]:
    """Every broken hard requirement of ``schedule``, in words (empty list: all met).

    Enforces the program's own requirements (``problem``): one rotation per fellow per block
    (coverage), rotation capacity and minimum staffing per block with their overrides,
    per-fellow block counts, vacation counts and blocked blocks, precedences and fixed
    assignments. Requests are soft and are scored by :func:`request_score`, not listed.
    A partly filled schedule is checked as is, so unmet minimums are reported as broken.
    Raises :class:`InvalidProblem` if the problem itself is invalid.
    """
    validate_problem(problem)
    w = _Words(problem)
    n = problem.n_blocks
    rotation_ids = {r.id for r in problem.rotations}
    out: list[Violation] = []

    # Coverage: the structure every other rule relies on.
    known_rows: dict[str, tuple[str | None, ...]] = {}
    for fellow_id in sorted(set(schedule.rows) - {f.id for f in problem.fellows}):
        out.append(
            Violation(
                COVERAGE,
                "unknown_fellow",
                f"the schedule has a row for unknown fellow {fellow_id!r}",
                fellow_id=fellow_id,
            )
        )
    for f in problem.fellows:
        row = tuple(schedule.rows.get(f.id, ()))
        if len(row) != n:
            out.append(
                Violation(
                    COVERAGE,
                    "row_length",
                    f"{f.name} has {len(row)} blocks in the schedule, the calendar has {n}",
                    fellow_id=f.id,
                )
            )
        row = (*row, *((None,) * n))[:n]
        clean: list[str | None] = []
        for b, rot in enumerate(row):
            if rot is None:
                out.append(
                    Violation(
                        COVERAGE,
                        "unassigned",
                        f"{f.name} has no rotation in {w.block(b)}",
                        fellow_id=f.id,
                        block=b,
                    )
                )
            elif rot not in rotation_ids:
                out.append(
                    Violation(
                        COVERAGE,
                        "unknown_rotation",
                        f"{f.name} is on unknown rotation {rot!r} in {w.block(b)}",
                        fellow_id=f.id,
                        block=b,
                        rotation_id=rot,
                    )
                )
                rot = None
            clean.append(rot)
        known_rows[f.id] = tuple(clean)

    # Staffing per rotation and block.
    on: dict[tuple[str, int], list[str]] = defaultdict(list)
    for f in problem.fellows:
        for b, rot in enumerate(known_rows[f.id]):
            if rot is not None:
                on[(rot, b)].append(f.id)
    overrides = staffing_overrides(problem)
    for r in problem.rotations:
        for b in range(n):
            present = on.get((r.id, b), [])
            count = len(present)
            names = ", ".join(w.fellow(x) for x in present)
            where = f"{r.name} in {w.block(b)}"
            bounds: list[tuple[str, int, int | None]]
            if (r.id, b) in overrides:
                bounds = [
                    (
                        f"staffing#{i}",
                        problem.staffing[i].min_fellows,
                        problem.staffing[i].max_fellows,
                    )
                    for i in overrides[(r.id, b)]
                ]
            else:
                bounds = [(f"capacity:{r.id}", 0, r.capacity_per_block)]
                if r.min_per_block > 0:
                    bounds.append((f"min_staffing:{r.id}", r.min_per_block, None))
            for key, lo, hi in bounds:
                kind = key.split(":")[0].split("#")[0]
                if hi is not None and count > hi:
                    out.append(
                        Violation(
                            key,
                            kind,
                            f"{where} has {count} fellows ({names}); at most {hi} allowed",
                            block=b,
                            rotation_id=r.id,
                        )
                    )
                if count < lo:
                    have = f"{count} fellow{'s' if count != 1 else ''}"
                    out.append(
                        Violation(
                            key,
                            kind,
                            f"{where} has {have}; at least {lo} needed",
                            block=b,
                            rotation_id=r.id,
                        )
                    )

    def blocks_on(fellow_id: str, rotation_id: str) -> list[int]:
        return [b for b, rot in enumerate(known_rows[fellow_id]) if rot == rotation_id]

    for i, c in enumerate(problem.block_counts):
        for fellow_id in problem.fellow_scope(c.fellow_ids):
            count = len(blocks_on(fellow_id, c.rotation_id))
            if count < c.min_blocks or (c.max_blocks is not None and count > c.max_blocks):
                out.append(
                    Violation(
                        f"block_count#{i}",
                        "block_count",
                        f"{w.fellow(fellow_id)} has {count} block{'s' if count != 1 else ''} "
                        f"on {w.rotation(c.rotation_id)}; needs "
                        f"{_amount(c.min_blocks, c.max_blocks, 'block')}",
                        fellow_id=fellow_id,
                        rotation_id=c.rotation_id,
                    )
                )

    for i, v in enumerate(problem.vacations):
        key = f"vacation#{i}"
        blocked = set(v.blocked_blocks)
        for fellow_id in problem.fellow_scope(v.fellow_ids):
            taken = blocks_on(fellow_id, v.rotation_id)
            if not v.min_blocks <= len(taken) <= v.max_blocks:
                out.append(
                    Violation(
                        key,
                        "vacation",
                        f"{w.fellow(fellow_id)} has {len(taken)} "
                        f"block{'s' if len(taken) != 1 else ''} of "
                        f"{w.rotation(v.rotation_id)}; needs "
                        f"{_amount(v.min_blocks, v.max_blocks, 'block')}",
                        fellow_id=fellow_id,
                        rotation_id=v.rotation_id,
                    )
                )
            out.extend(
                Violation(
                    key,
                    "vacation",
                    f"{w.fellow(fellow_id)} has {w.rotation(v.rotation_id)} in {w.block(b)}, "
                    f"where it is not allowed",
                    fellow_id=fellow_id,
                    block=b,
                    rotation_id=v.rotation_id,
                )
                for b in taken
                if b in blocked
            )

    for i, p in enumerate(problem.precedences):
        key = f"precedence#{i}"
        for fellow_id in problem.fellow_scope(p.fellow_ids):
            after = blocks_on(fellow_id, p.after_id)
            if not after:
                continue
            start = after[0]
            before = blocks_on(fellow_id, p.before_id)
            late = [b for b in before if b >= start]
            who, first, then = (
                w.fellow(fellow_id),
                w.rotation(p.before_id),
                w.rotation(p.after_id),
            )
            if late:
                out.append(
                    Violation(
                        key,
                        "precedence",
                        f"{who} is on {first} in {w.block(late[0])}, at or after starting "
                        f"{then} in {w.block(start)}; {first} must be completed first",
                        fellow_id=fellow_id,
                        block=late[0],
                        rotation_id=p.before_id,
                    )
                )
            elif not before:
                out.append(
                    Violation(
                        key,
                        "precedence",
                        f"{who} starts {then} in {w.block(start)} without having done {first}",
                        fellow_id=fellow_id,
                        block=start,
                        rotation_id=p.after_id,
                    )
                )

    for i, u in enumerate(problem.unavailable):
        out.extend(
            Violation(
                f"unavailable#{i}",
                "unavailable",
                f"{w.fellow(u.fellow_id)} is on {w.rotation(u.rotation_id)} in {w.block(b)}, "
                f"where they cannot be",
                fellow_id=u.fellow_id,
                block=b,
                rotation_id=u.rotation_id,
            )
            for b in blocks_on(u.fellow_id, u.rotation_id)
            if b in set(u.blocks)
        )

    for i, k in enumerate(problem.contiguous):
        for fellow_id in problem.fellow_scope(k.fellow_ids):
            taken = blocks_on(fellow_id, k.rotation_id)
            if taken and taken[-1] - taken[0] + 1 != len(taken):
                out.append(
                    Violation(
                        f"contiguous#{i}",
                        "contiguous",
                        f"{w.fellow(fellow_id)} has {w.rotation(k.rotation_id)} in "
                        f"{format_blocks(taken)}; its blocks must be consecutive",
                        fellow_id=fellow_id,
                        rotation_id=k.rotation_id,
                    )
                )

    for i, a in enumerate(problem.fixed):
        actual = known_rows[a.fellow_id][a.block]
        if actual != a.rotation_id:
            now = "nothing" if actual is None else w.rotation(actual)
            out.append(
                Violation(
                    f"fixed#{i}",
                    "fixed",
                    f"{w.fellow(a.fellow_id)} is fixed on {w.rotation(a.rotation_id)} in "
                    f"{w.block(a.block)} but has {now}",
                    fellow_id=a.fellow_id,
                    block=a.block,
                    rotation_id=a.rotation_id,
                )
            )
    return out


def request_honoured(
    schedule: Schedule, fellow_id: str, block: int, rotation_id: str, wants: bool
) -> bool:
    """Whether one request is honoured: the cell holds the rotation (``wants``) or does not."""
    return (schedule.rotation_of(fellow_id, block) == rotation_id) == wants


def request_score(problem: ScheduleProblem, schedule: Schedule) -> RequestScore:
    """Weight of the fellows' requests that ``schedule`` honours (the solver's objective).

    Requests are soft program preferences, not requirements: a "not rotation r in block b"
    request is honoured by any other cell value, including an unassigned cell.
    """
    honoured: list[int] = []
    broken: list[int] = []
    weight = 0
    for i, q in enumerate(problem.requests):
        if request_honoured(schedule, q.fellow_id, q.block, q.rotation_id, q.wants):
            honoured.append(i)
            weight += q.weight
        else:
            broken.append(i)
    return RequestScore(
        honoured_weight=weight,
        total_weight=sum(q.weight for q in problem.requests),
        honoured=tuple(honoured),
        broken=tuple(broken),
    )
