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

from typing import Any

from painfellow.core.matching.types import (
    MAX_RANKS,
    Applicant,
    Couple,
    Instance,
    InvalidInstance,
    MatchResult,
    MatchStats,
    Program,
)

_PROGRAM_KEYS = frozenset(("id", "capacity", "rank_list", "reversion_to", "withdrawn"))
_APPLICANT_KEYS = frozenset(("id", "rank_list", "withdrawn"))
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
    return Applicant(ident, _check_list(entry, name), _check_withdrawn(entry, name))


def parse_couple(entry: object, index: int) -> Couple:
    """Shape-check one couple entry: two distinct ids and a list of program pairs."""
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
    return Couple((ids[0], ids[1]), tuple(pairs), _check_withdrawn(entry, name))


def _fast_programs(entries: list[Any]) -> list[Program]:
    """Common-case parse; any entry that is not plainly valid goes to the checked parser."""
    out: list[Program] = []
    append = out.append
    allowed = _PROGRAM_KEYS
    for i, e in enumerate(entries):
        if type(e) is dict and e.keys() <= allowed:
            ident = e.get("id")
            cap = e.get("capacity")
            lst = e.get("rank_list", ())
            rev = e.get("reversion_to")
            wd = e.get("withdrawn", False)
            if (
                type(ident) is str
                and ident
                and type(cap) is int
                and cap > 0
                and type(lst) is list
                and len(lst) <= MAX_RANKS
                and (rev is None or (type(rev) is str and rev))
                and type(wd) is bool
            ):
                # Item types are checked in bulk by compile_instance (unknown-id check).
                append(Program(ident, cap, tuple(lst), rev, wd))
                continue
        append(parse_program(e, i))
    return out


def _fast_applicants(entries: list[Any]) -> list[Applicant]:
    out: list[Applicant] = []
    append = out.append
    allowed = _APPLICANT_KEYS
    for i, e in enumerate(entries):
        if type(e) is dict and e.keys() <= allowed:
            ident = e.get("id")
            lst = e.get("rank_list", ())
            wd = e.get("withdrawn", False)
            if (
                type(ident) is str
                and ident
                and type(lst) is list
                and len(lst) <= MAX_RANKS
                and type(wd) is bool
            ):
                append(Applicant(ident, tuple(lst), wd))
                continue
        append(parse_applicant(e, i))
    return out


def rank_item_error(kind: str, ident: str, ranks: tuple[object, ...]) -> InvalidInstance | None:
    """The precise message for a non-string item (e.g. a tie) in a rank list, if any."""
    for i, item in enumerate(ranks):
        if not isinstance(item, str):
            return InvalidInstance(
                f"{kind} {ident!r}: rank {i + 1} must be a single id string (ties are not "
                f"allowed), got {item!r}"
            )
    return None


def instance_from_document(doc: object) -> Instance:
    """Build an :class:`Instance` from a parsed ``painfellow match`` document.

    Enforces the document's shape (object with ``programs`` and ``applicants`` lists,
    positive integer quotas, at most ``MAX_RANKS`` = 300 ranks per list as in the NRMP
    rules, string ids, no ties). Cross-entry rules (unknown or repeated ids, circular
    reversions) and the type of each rank-list item are checked by
    :func:`painfellow.core.matching.validate.compile_instance`, which every solver calls.
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
    return Instance(
        tuple(_fast_programs(programs)),
        tuple(_fast_applicants(applicants)),
        tuple([parse_couple(e, i) for i, e in enumerate(couples)]),
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
