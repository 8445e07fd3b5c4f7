"""Types of the block-schedule problem, keyed by plain string ids and 0-based block indices.

A problem is the program's data: fellows, rotations, a calendar of blocks and the program's
requirements. None of the numbers is a rule of this code: ACGME minimum durations per
rotation are UNCONFIRMED (``training-rules.md`` §1.4, §7 item 2, §9
``required_clinical_experiences``), so every count, capacity and order is data the program
enters, with a free-text ``source`` saying where it comes from.

Blocks are 0-based indices in data and 1-based ("block 1") in every message shown to people.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta


class InvalidProblem(ValueError):
    """A problem (or an edit applied to a schedule) breaks an input rule.

    ``problems`` lists every finding, e.g. ``block count #2: unknown rotation 'neuro'``;
    the message joins them.
    """

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = tuple(problems)


@dataclass(frozen=True)
class Rotation:
    """A rotation (or vacation/leave) a fellow can be on for a whole block.

    ``capacity_per_block`` is the most fellows it takes in one block and ``min_per_block``
    the fewest it needs (minimum staffing); :class:`BlockStaffing` overrides both for
    listed blocks. ``sites`` and ``objectives`` are descriptive (shown on pages, not checked).
    """

    id: str
    name: str
    capacity_per_block: int
    min_per_block: int = 0
    sites: tuple[str, ...] = ()
    objectives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Fellow:
    """A fellow to schedule."""

    id: str
    name: str


@dataclass(frozen=True)
class BlockCalendar:
    """The blocks of the academic year, given by their start dates (strictly increasing).

    The caller passes the dates in (the core reads no clock); :meth:`regular` builds
    equal-length blocks from a start date.
    """

    starts: tuple[date, ...]

    @property
    def n_blocks(self) -> int:
        """Number of blocks."""
        return len(self.starts)

    def label(self, block: int) -> str:
        """Human label of a 0-based block index, e.g. ``block 1 (2025-07-01)``."""
        return f"block {block + 1} ({self.starts[block].isoformat()})"

    @classmethod
    def regular(cls, first_day: date, n_blocks: int, days: int = 14) -> BlockCalendar:
        """``n_blocks`` consecutive blocks of ``days`` days starting on ``first_day``."""
        return cls(tuple(first_day + timedelta(days=days * i) for i in range(n_blocks)))


@dataclass(frozen=True)
class BlockCount:
    """Each fellow in scope spends between ``min_blocks`` and ``max_blocks`` blocks on a rotation.

    ``fellow_ids`` empty means every fellow. ``max_blocks`` ``None`` means no maximum.
    """

    rotation_id: str
    min_blocks: int = 0
    max_blocks: int | None = None
    fellow_ids: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class BlockStaffing:
    """In the listed blocks a rotation needs ``min_fellows``..``max_fellows`` fellows.

    Replaces the rotation's own ``min_per_block``/``capacity_per_block`` in those blocks
    (e.g. a clinic closed over the holidays: ``max_fellows=0``). When several overrides
    list the same block of the same rotation, all of them apply.
    """

    rotation_id: str
    blocks: tuple[int, ...]
    min_fellows: int = 0
    max_fellows: int | None = None
    source: str = ""


@dataclass(frozen=True)
class VacationRule:
    """Each fellow in scope takes ``min_blocks``..``max_blocks`` blocks of the vacation rotation,
    none of them in ``blocked_blocks``.

    "Exactly N" is ``min_blocks == max_blocks == N``; "at most N" is ``min_blocks=0``.
    """

    rotation_id: str
    min_blocks: int
    max_blocks: int
    blocked_blocks: tuple[int, ...] = ()
    fellow_ids: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Precedence:
    """Each fellow in scope completes rotation ``before_id`` before rotation ``after_id`` begins.

    For a fellow who is ever on ``after_id``: no block of ``before_id`` at or after the
    first block of ``after_id``, and at least one block of ``before_id`` before it. A fellow
    never on ``after_id`` is unconstrained.
    """

    before_id: str
    after_id: str
    fellow_ids: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class FixedAssignment:
    """A pre-set block: the fellow is on ``rotation_id`` in ``block``."""

    fellow_id: str
    block: int
    rotation_id: str
    source: str = ""


@dataclass(frozen=True)
class Unavailability:
    """A fellow cannot be on ``rotation_id`` in ``blocks`` (e.g. away at a course, or a site
    that cannot take them then). Hard, unlike a "does not want" request."""

    fellow_id: str
    rotation_id: str
    blocks: tuple[int, ...]
    source: str = ""


@dataclass(frozen=True)
class Contiguity:
    """Each fellow in scope has all their blocks of ``rotation_id`` consecutive (one run;
    e.g. a two-block rotation taken as two blocks in a row). A fellow with no block of the
    rotation meets it."""

    rotation_id: str
    fellow_ids: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class Request:
    """A fellow's soft wish: ``rotation_id`` in ``block`` (``wants=False``: not that rotation).

    ``weight`` (a positive integer) is what honouring it is worth in the objective.
    """

    fellow_id: str
    block: int
    rotation_id: str
    wants: bool = True
    weight: int = 1


@dataclass(frozen=True)
class ScheduleProblem:
    """Everything needed to build, check or solve one block schedule.

    Every fellow is on exactly one rotation in every block (vacation is a rotation too).
    Hard requirements: rotation capacities and minimum staffing, ``staffing`` overrides,
    ``block_counts``, ``vacations``, ``precedences``, ``fixed``, ``unavailable`` and
    ``contiguous``. ``requests`` are soft.
    """

    fellows: tuple[Fellow, ...]
    rotations: tuple[Rotation, ...]
    calendar: BlockCalendar
    block_counts: tuple[BlockCount, ...] = ()
    staffing: tuple[BlockStaffing, ...] = ()
    vacations: tuple[VacationRule, ...] = ()
    precedences: tuple[Precedence, ...] = ()
    fixed: tuple[FixedAssignment, ...] = ()
    requests: tuple[Request, ...] = ()
    unavailable: tuple[Unavailability, ...] = ()
    contiguous: tuple[Contiguity, ...] = ()

    @property
    def n_blocks(self) -> int:
        """Number of blocks in the calendar."""
        return self.calendar.n_blocks

    def fellow_scope(self, fellow_ids: tuple[str, ...]) -> tuple[str, ...]:
        """The fellow ids a rule applies to: ``fellow_ids``, or every fellow when empty."""
        return fellow_ids if fellow_ids else tuple(f.id for f in self.fellows)


@dataclass(frozen=True)
class Schedule:
    """Fellow id -> one rotation id (or ``None``, not yet assigned) per block.

    Treat it as immutable: :meth:`with_assignment` returns an edited copy.
    """

    rows: Mapping[str, tuple[str | None, ...]]

    def rotation_of(self, fellow_id: str, block: int) -> str | None:
        """Rotation of a fellow in a block (``None`` when unassigned or out of range)."""
        row = self.rows.get(fellow_id)
        if row is None or not 0 <= block < len(row):
            return None
        return row[block]

    def with_assignment(self, fellow_id: str, block: int, rotation_id: str | None) -> Schedule:
        """A copy with one cell changed (a manual edit); the fellow's row must exist."""
        row = self.rows.get(fellow_id)
        if row is None or not 0 <= block < len(row):
            raise InvalidProblem([f"no cell for fellow {fellow_id!r} in block index {block}"])
        new_row = (*row[:block], rotation_id, *row[block + 1 :])
        return Schedule({**self.rows, fellow_id: new_row})

    @classmethod
    def empty(cls, problem: ScheduleProblem) -> Schedule:
        """A schedule with every cell unassigned."""
        return cls({f.id: (None,) * problem.n_blocks for f in problem.fellows})


@dataclass(frozen=True)
class RequirementItem:
    """One hard requirement group, in words.

    ``key`` is stable for a given problem (``capacity:<rotation id>``,
    ``min_staffing:<rotation id>``, ``staffing#<i>``, ``block_count#<i>``, ``vacation#<i>``,
    ``precedence#<i>``, ``fixed#<i>``, ``unavailable#<i>``, ``contiguous#<i>`` where ``i``
    indexes the problem's tuple); violations and solver explanations refer to it.
    """

    key: str
    kind: str
    text: str
    source: str = ""


@dataclass(frozen=True)
class Violation:
    """One broken hard requirement in a schedule.

    ``requirement`` is the :class:`RequirementItem` key, or ``coverage`` for the structural
    rule "one rotation per fellow per block" (unassigned cell, unknown fellow or rotation,
    wrong row length). ``fellow_id``/``block``/``rotation_id`` locate it for highlighting.
    """

    requirement: str
    kind: str
    message: str
    fellow_id: str | None = None
    block: int | None = None
    rotation_id: str | None = None


@dataclass(frozen=True)
class RequestScore:
    """How many requests (and how much weight) a schedule honours.

    ``honoured`` and ``broken`` are indices into ``problem.requests``.
    """

    honoured_weight: int
    total_weight: int
    honoured: tuple[int, ...] = field(default=())
    broken: tuple[int, ...] = field(default=())
