"""Plain-data (JSON-shaped) documents to and from match types.

The document format is the ``painfellow match`` file contract::

    {"programs": [{"id": "P1", "capacity": 2, "rank_list": ["A1", "A3"],
                   "reversion_to": "P7", "withdrawn": false}],
     "applicants": [{"id": "A1", "rank_list": ["P1", "P2"], "withdrawn": false}],
     "couples": [{"ids": ["A8", "A9"], "rank_list": [["P1", "P2"], ["P3", null]],
                  "withdrawn": false}]}

``reversion_to``, ``withdrawn`` and ``couples`` are optional. Withdrawal is marked on the
entry itself (``"withdrawn": true``); a withdrawn couple withdraws both partners. Callers
read and write the files; this module only converts already-parsed data.
"""

from __future__ import annotations

from itertools import chain, repeat

from painfellow.core.matching.rules import MAX_RANKS, InvalidInstance

# Annotations only: importing typing costs the command-line run several milliseconds, and
# the dataclass types (which import dataclasses and inspect) are imported where an entry
# is built, so `match run` on a document of singles never loads them.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from painfellow.core.matching.types import (
        Applicant,
        Couple,
        Instance,
        MatchResult,
        MatchStats,
        Program,
    )

_PROGRAM_KEYS = frozenset(("id", "capacity", "rank_list", "reversion_to", "withdrawn"))
_APPLICANT_KEYS = frozenset(("id", "rank_list", "withdrawn"))
_APPLICANT_SHAPE = ("id", "rank_list")
_COUPLE_KEYS = frozenset(("ids", "rank_list", "withdrawn"))
_TOP_KEYS = frozenset(("programs", "applicants", "couples"))


def _name(kind: str, entry: dict[str, Any], index: int) -> str:
    ident = entry.get("id")
    if isinstance(ident, str):
        return f"{kind} {ident!r}"
    return f"{kind}s[{index}]"


def _check_keys(entry: dict[str, Any], allowed: frozenset[str], name: str) -> None:
    if not allowed.issuperset(entry):
        extra = sorted(str(k) for k in entry if k not in allowed)
        raise InvalidInstance(f"{name}: unknown key {extra[0]!r}")


def _check_id(entry: dict[str, Any], name: str) -> str:
    ident = entry.get("id")
    if not isinstance(ident, str) or not ident:
        raise InvalidInstance(f"{name}: 'id' must be a non-empty string")
    return ident


def _check_withdrawn(entry: dict[str, Any], name: str) -> bool:
    withdrawn = entry.get("withdrawn", False)
    if not isinstance(withdrawn, bool):
        raise InvalidInstance(f"{name}: 'withdrawn' must be true or false")
    return withdrawn


def _check_list(entry: dict[str, Any], name: str) -> tuple[str, ...]:
    ranks = entry.get("rank_list", ())
    if not isinstance(ranks, list | tuple):
        raise InvalidInstance(f"{name}: 'rank_list' must be a list of ids")
    if len(ranks) > MAX_RANKS:
        raise InvalidInstance(f"{name}: rank list has {len(ranks)} ranks, the limit is {MAX_RANKS}")
    for i, item in enumerate(ranks):
        if not isinstance(item, str):
            # A nested list here would be a tie, which NRMP lists cannot express.
            raise InvalidInstance(
                f"{name}: rank {i + 1} must be a single id string (ties are not allowed), "
                f"got {item!r}"
            )
    return tuple(ranks)


def parse_program(entry: object, index: int) -> Program:
    """Shape-check one program entry of a document (quota is a positive integer)."""
    if not isinstance(entry, dict):
        raise InvalidInstance(f"programs[{index}]: must be an object")
    name = _name("program", entry, index)
    _check_keys(entry, _PROGRAM_KEYS, name)
    ident = _check_id(entry, name)
    capacity = entry.get("capacity")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1:
        raise InvalidInstance(f"{name}: quota must be a positive integer, got {capacity!r}")
    reversion = entry.get("reversion_to")
    if reversion is not None and (not isinstance(reversion, str) or not reversion):
        raise InvalidInstance(f"{name}: 'reversion_to' must be a program id or null")
    from painfellow.core.matching.types import Program

    return Program(
        ident, capacity, _check_list(entry, name), reversion, _check_withdrawn(entry, name)
    )


def parse_applicant(entry: object, index: int) -> Applicant:
    """Shape-check one single-applicant entry of a document."""
    if not isinstance(entry, dict):
        raise InvalidInstance(f"applicants[{index}]: must be an object")
    name = _name("applicant", entry, index)
    _check_keys(entry, _APPLICANT_KEYS, name)
    ident = _check_id(entry, name)
    from painfellow.core.matching.types import Applicant

    return Applicant(ident, _check_list(entry, name), _check_withdrawn(entry, name))


class CoupleEntry:
    """A shape-checked couple entry: the fields of :class:`Couple` in a plain class, so
    that ``match run`` reads couples without importing the dataclass types (see
    rules.py). Internal, never changed after it is built."""

    __slots__ = ("ids", "rank_list", "withdrawn")

    def __init__(
        self,
        ids: tuple[str, str],
        rank_list: tuple[tuple[str | None, str | None], ...],
        withdrawn: bool,
    ) -> None:
        self.ids = ids
        self.rank_list = rank_list
        self.withdrawn = withdrawn


def parse_couple(entry: object, index: int) -> Couple:
    """Shape-check one couple entry: two distinct ids and a list of program pairs."""
    c = _couple_entry(entry, index)
    from painfellow.core.matching.types import Couple

    return Couple(c.ids, c.rank_list, c.withdrawn)


def _couple_entry(entry: object, index: int) -> CoupleEntry:
    """The checks of :func:`parse_couple`, returning a :class:`CoupleEntry`."""
    if not isinstance(entry, dict):
        raise InvalidInstance(f"couples[{index}]: must be an object")
    ids = entry.get("ids")
    if (
        not isinstance(ids, list | tuple)
        or len(ids) != 2
        or not all(isinstance(x, str) and x for x in ids)
    ):
        raise InvalidInstance(f"couples[{index}]: 'ids' must be two applicant id strings")
    name = f"couple ({ids[0]!r}, {ids[1]!r})"
    _check_keys(entry, _COUPLE_KEYS, name)
    if ids[0] == ids[1]:
        raise InvalidInstance(f"{name}: the two partners must be different applicants")
    ranks = entry.get("rank_list", ())
    if not isinstance(ranks, list | tuple):
        raise InvalidInstance(f"{name}: 'rank_list' must be a list of program pairs")
    if len(ranks) > MAX_RANKS:
        raise InvalidInstance(f"{name}: rank list has {len(ranks)} ranks, the limit is {MAX_RANKS}")
    pairs: list[tuple[str | None, str | None]] = []
    for i, pair in enumerate(ranks):
        if (
            not isinstance(pair, list | tuple)
            or len(pair) != 2
            or not all(x is None or (isinstance(x, str) and x) for x in pair)
        ):
            raise InvalidInstance(
                f"{name}: rank {i + 1} must be a pair [program id or null, program id or null]"
            )
        if pair[0] is None and pair[1] is None:
            raise InvalidInstance(f"{name}: rank {i + 1} leaves both partners unmatched")
        pairs.append((pair[0], pair[1]))
    return CoupleEntry((ids[0], ids[1]), tuple(pairs), _check_withdrawn(entry, name))


class Columns:
    """A shape-checked instance as parallel lists (one entry per program / applicant).

    Both readers produce this: :func:`columns_from_document` from a parsed document and
    :func:`painfellow.core.matching.validate.columns_from_instance` from an
    :class:`Instance`; :func:`painfellow.core.matching.validate.compile_columns` then checks
    the cross-entry rules once for both. Rank lists are kept as given (lists or tuples).
    Internal and never changed after it is built (a plain class: see the module notes).
    """

    __slots__ = (
        "applicant_ids",
        "applicant_lists",
        "applicant_withdrawn",
        "capacities",
        "couples",
        "program_ids",
        "program_lists",
        "program_withdrawn",
        "reversion_to",
    )

    def __init__(
        self,
        *,
        program_ids: list[str],
        capacities: list[int],
        program_lists: list[Sequence[Any]],
        reversion_to: list[str | None],
        program_withdrawn: list[bool],
        applicant_ids: list[str],
        applicant_lists: list[Sequence[Any]],
        applicant_withdrawn: list[bool],
        couples: list[CoupleEntry],
    ) -> None:
        self.program_ids = program_ids
        self.capacities = capacities
        self.program_lists = program_lists
        self.reversion_to = reversion_to
        self.program_withdrawn = program_withdrawn
        self.applicant_ids = applicant_ids
        self.applicant_lists = applicant_lists
        self.applicant_withdrawn = applicant_withdrawn
        self.couples = couples


def _types(values: list[Any]) -> set[type]:
    return set(map(type, values))


def _column(entries: list[dict[str, Any]], key: str, default: Any = None) -> list[Any]:
    return list(map(dict.get, entries, repeat(key), repeat(default)))


def _program_columns(entries: list[Any]) -> tuple[list[Any], ...]:
    """Columns of the program entries, each entry satisfying :func:`parse_program`.

    A bulk pass (C-level ``map`` over the whole list) accepts the common case where every
    entry is plainly valid; it only ever accepts what ``parse_program`` accepts. Otherwise
    the entries go one by one through ``parse_program``, which raises the message naming
    the first offending entry, so both paths report the same error.
    """
    if _types(entries) == {dict} and _PROGRAM_KEYS.issuperset(chain.from_iterable(entries)):
        ids = _column(entries, "id")
        caps = _column(entries, "capacity")
        lists = _column(entries, "rank_list")
        revs = _column(entries, "reversion_to")
        wds = _column(entries, "withdrawn", False)
        if (
            _types(ids) == {str}
            and all(ids)
            and _types(caps) == {int}
            and min(caps) > 0
            and _types(lists) == {list}
            and max(map(len, lists)) <= MAX_RANKS
            and _types(revs) <= {str, type(None)}
            and "" not in revs
            and _types(wds) == {bool}
        ):
            return ids, caps, lists, revs, wds
    progs = [parse_program(e, i) for i, e in enumerate(entries)]
    return (
        [p.id for p in progs],
        [p.capacity for p in progs],
        [p.rank_list for p in progs],
        [p.reversion_to for p in progs],
        [p.withdrawn for p in progs],
    )


def _applicant_columns(entries: list[Any]) -> tuple[list[Any], ...]:
    """Columns of the single-applicant entries (bulk pass as in :func:`_program_columns`,
    else :func:`parse_applicant` entry by entry)."""
    if not entries:
        return [], [], []
    # The usual shape, every entry exactly {"id": ..., "rank_list": [...]} in that order,
    # read in two passes over the entries (their key tuples, then their values) instead of
    # one pass per key and per check: the entries lie far apart in memory, so each pass
    # over them costs about as much as the work it does.
    try:
        if set(map(tuple, entries)) == {_APPLICANT_SHAPE}:
            values = list(chain.from_iterable(map(dict.values, entries)))
            ids = values[0::2]
            lists = values[1::2]
            if (
                _types(ids) == {str}
                and all(ids)
                and _types(lists) == {list}
                and max(map(len, lists)) <= MAX_RANKS
            ):
                return ids, lists, [False] * len(ids)
    except TypeError:  # an entry that is not an object: reported below
        pass
    if _types(entries) == {dict} and _APPLICANT_KEYS.issuperset(chain.from_iterable(entries)):
        ids = _column(entries, "id")
        lists = _column(entries, "rank_list")
        wds = _column(entries, "withdrawn", False)
        if (
            _types(ids) == {str}
            and all(ids)
            and _types(lists) == {list}
            and max(map(len, lists)) <= MAX_RANKS
            and _types(wds) == {bool}
        ):
            return ids, lists, wds
    apps = [parse_applicant(e, i) for i, e in enumerate(entries)]
    return [a.id for a in apps], [a.rank_list for a in apps], [a.withdrawn for a in apps]


def rank_item_error(kind: str, ident: str, ranks: Sequence[object]) -> InvalidInstance | None:
    """The precise message for a non-string item (e.g. a tie) in a rank list, if any."""
    for i, item in enumerate(ranks):
        if not isinstance(item, str):
            return InvalidInstance(
                f"{kind} {ident!r}: rank {i + 1} must be a single id string (ties are not "
                f"allowed), got {item!r}"
            )
    return None


def columns_from_document(doc: object) -> Columns:
    """Shape-check a parsed ``painfellow match`` document and return its columns.

    Enforces the document's shape (object with ``programs`` and ``applicants`` lists,
    positive integer quotas, at most ``MAX_RANKS`` = 300 ranks per list as in the NRMP
    rules, string ids, no ties). Entries are checked in document order, programs first,
    then applicants, then couples. Cross-entry rules (unknown or repeated ids, circular
    reversions) and the type of each rank-list item are checked by
    :func:`painfellow.core.matching.validate.compile_columns`.
    Raises :class:`InvalidInstance` naming the offending entry.
    """
    if not isinstance(doc, dict) or not doc:
        raise InvalidInstance("document: must be a non-empty JSON object")
    if not _TOP_KEYS.issuperset(doc):
        extra = sorted(str(k) for k in doc if k not in _TOP_KEYS)
        raise InvalidInstance(f"document: unknown key {extra[0]!r}")
    programs = doc.get("programs")
    applicants = doc.get("applicants", [])
    couples = doc.get("couples", [])
    if not isinstance(programs, list) or not programs:
        raise InvalidInstance("document: 'programs' must be a non-empty list")
    if not isinstance(applicants, list):
        raise InvalidInstance("document: 'applicants' must be a list")
    if not isinstance(couples, list):
        raise InvalidInstance("document: 'couples' must be a list")
    if not applicants and not couples:
        raise InvalidInstance("document: there are no applicants")
    pids, caps, plists, revs, pwds = _program_columns(programs)
    aids, alists, awds = _applicant_columns(applicants)
    return Columns(
        program_ids=pids,
        capacities=caps,
        program_lists=plists,
        reversion_to=revs,
        program_withdrawn=pwds,
        applicant_ids=aids,
        applicant_lists=alists,
        applicant_withdrawn=awds,
        couples=[_couple_entry(e, i) for i, e in enumerate(couples)],
    )


def instance_from_document(doc: object) -> Instance:
    """Build an :class:`Instance` from a parsed ``painfellow match`` document.

    The shape rules are those of :func:`columns_from_document` (same checks, same
    messages); cross-entry rules are checked by
    :func:`painfellow.core.matching.validate.compile_instance`, which every solver calls.
    Raises :class:`InvalidInstance` naming the offending entry.
    """
    cols = columns_from_document(doc)
    from painfellow.core.matching.types import Applicant, Couple, Instance, Program

    return Instance(
        tuple(
            map(
                Program,
                cols.program_ids,
                cols.capacities,
                map(tuple, cols.program_lists),
                cols.reversion_to,
                cols.program_withdrawn,
            )
        ),
        tuple(
            map(
                Applicant,
                cols.applicant_ids,
                map(tuple, cols.applicant_lists),
                cols.applicant_withdrawn,
            )
        ),
        tuple(Couple(c.ids, c.rank_list, c.withdrawn) for c in cols.couples),
    )


def instance_to_document(instance: Instance) -> dict[str, Any]:
    """Inverse of :func:`instance_from_document` (optional keys only when set)."""
    programs: list[dict[str, Any]] = []
    for p in instance.programs:
        entry: dict[str, Any] = {"id": p.id, "capacity": p.capacity, "rank_list": list(p.rank_list)}
        if p.reversion_to is not None:
            entry["reversion_to"] = p.reversion_to
        if p.withdrawn:
            entry["withdrawn"] = True
        programs.append(entry)
    applicants: list[dict[str, Any]] = []
    for a in instance.applicants:
        entry = {"id": a.id, "rank_list": list(a.rank_list)}
        if a.withdrawn:
            entry["withdrawn"] = True
        applicants.append(entry)
    doc: dict[str, Any] = {"programs": programs, "applicants": applicants}
    if instance.couples:
        couples: list[dict[str, Any]] = []
        for c in instance.couples:
            entry = {"ids": list(c.ids), "rank_list": [list(pair) for pair in c.rank_list]}
            if c.withdrawn:
                entry["withdrawn"] = True
            couples.append(entry)
        doc["couples"] = couples
    return doc


def stats_to_document(stats: MatchStats) -> dict[str, Any]:
    """The ``stats`` object of a RESULT document."""
    return {
        "applicants": stats.applicants,
        "matched_applicants": stats.matched_applicants,
        "unmatched_applicants": stats.unmatched_applicants,
        "positions": stats.positions,
        "filled_positions": stats.filled_positions,
        "unfilled_positions": stats.unfilled_positions,
        "unfilled_programs": stats.unfilled_programs,
        "share_first_choice": stats.share_first,
        "share_top3": stats.share_top3,
        "share_top5": stats.share_top5,
        "program_depth": stats.program_depth,
    }


def result_to_document(result: MatchResult, stats: MatchStats | None = None) -> dict[str, Any]:
    """The RESULT document of ``painfellow match run``.

    Keys: ``matches``, ``unmatched_applicants``, ``unfilled`` (program -> unfilled
    positions, including programs with none filled), ``reverted``, ``withdrawn``
    (``{"applicants": [...], "programs": [...]}``), ``instabilities`` and, when given,
    ``stats``.
    """
    doc: dict[str, Any] = {
        "matches": result.matches,
        "unmatched_applicants": list(result.unmatched_applicants),
        "unfilled": result.unfilled,
        "reverted": result.reverted,
        "withdrawn": {
            "applicants": list(result.withdrawn_applicants),
            "programs": list(result.withdrawn_programs),
        },
        "instabilities": list(result.instabilities),
    }
    if stats is not None:
        doc["stats"] = stats_to_document(stats)
    return doc


def assignment_from_document(doc: object) -> tuple[dict[str, str], dict[str, int]]:
    """Read ``matches`` and the optional ``reverted`` map from a RESULT document.

    Only the shape is checked here; whether the ids exist is a stability-check violation.
    """
    if not isinstance(doc, dict):
        raise InvalidInstance("result: must be a JSON object")
    matches = doc.get("matches")
    if not isinstance(matches, dict):
        raise InvalidInstance("result: 'matches' must be an object of applicant -> program")
    for a, p in matches.items():
        if not isinstance(p, str):
            raise InvalidInstance(f"result: match of applicant {a!r} must be a program id")
    reverted = doc.get("reverted", {})
    if not isinstance(reverted, dict):
        raise InvalidInstance("result: 'reverted' must be an object of program -> positions")
    for p, n in reverted.items():
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise InvalidInstance(f"result: reverted positions of program {p!r} must be >= 0")
    return dict(matches), dict(reverted)
