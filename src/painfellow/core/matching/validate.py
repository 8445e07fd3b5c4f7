"""Cross-entry validation and compilation of an :class:`Instance` to int arrays.

The algorithms work on dense int ids: program ``p`` and applicant ``a`` are list indexes,
and rank lists are lists of ints. Pairs that are not mutually acceptable are dropped here,
since under the NRMP rules a match needs both sides to have ranked each other.
"""

from __future__ import annotations

from itertools import accumulate, chain, compress, islice, repeat
from operator import eq, is_not

from painfellow.core.matching.instance_io import (
    Columns,
    CoupleEntry,
    columns_from_document,
    rank_item_error,
)
from painfellow.core.matching.rules import InvalidInstance

# Annotations only: importing typing costs the command-line run several milliseconds, and
# types.py imports dataclasses (see rules.py).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Container, Sequence
    from typing import Any

    from painfellow.core.matching.types import Instance

#: A couple's pair on int ids: (program of partner 0 or -1, their rank at it or -1,
#: program of partner 1 or -1, rank or -1, 0-based position in the couple's own list).
CouplePair = tuple[int, int, int, int, int]


class Compiled:
    """An instance on int ids, mutually acceptable pairs only, withdrawn entries removed.

    ``app_progs[a][i]`` is applicant ``a``'s i-th acceptable program and ``app_ranks[a][i]``
    the 0-based position of ``a`` in that program's list. ``prog_apps[p][r]`` is the
    applicant at position ``r`` of program ``p``'s list (-1 for withdrawn or unknown).
    Couple members have empty ``app_progs``; their options are in ``couple_pairs``.
    Internal to the engine and never changed after it is built; a plain class rather than a
    dataclass so that ``match run`` does not import dataclasses (see rules.py).
    """

    __slots__ = (
        "app_progs",
        "app_ranks",
        "applicant_ids",
        "capacities",
        "couple_members",
        "couple_pairs",
        "prog_apps",
        "program_ids",
        "reversion_to",
        "singles",
        "withdrawn_applicants",
        "withdrawn_programs",
    )

    def __init__(
        self,
        *,
        program_ids: list[str],
        applicant_ids: list[str],
        capacities: list[int],
        reversion_to: list[int],
        prog_apps: list[list[int]],
        app_progs: list[list[int]],
        app_ranks: list[list[int]],
        singles: list[int],
        couple_members: list[tuple[int, int]],
        couple_pairs: list[list[CouplePair]],
        withdrawn_applicants: tuple[str, ...],
        withdrawn_programs: tuple[str, ...],
    ) -> None:
        self.program_ids = program_ids
        self.applicant_ids = applicant_ids
        self.capacities = capacities
        self.reversion_to = reversion_to
        self.prog_apps = prog_apps
        self.app_progs = app_progs
        self.app_ranks = app_ranks
        self.singles = singles
        self.couple_members = couple_members
        self.couple_pairs = couple_pairs
        self.withdrawn_applicants = withdrawn_applicants
        self.withdrawn_programs = withdrawn_programs


def _repeated(items: Sequence[Any]) -> Any:
    from collections import Counter  # only on the error path

    return next(k for k, n in Counter(items).items() if n > 1)


def _check_reversions(cols: Columns, known: Container[str]) -> None:
    target = {
        pid: to
        for pid, to in zip(cols.program_ids, cols.reversion_to, strict=True)
        if to is not None
    }
    for pid, to in target.items():
        if to not in known:
            raise InvalidInstance(f"program {pid!r}: reversion_to names unknown program {to!r}")
        if to == pid:
            raise InvalidInstance(f"program {pid!r}: reversion_to names the program itself")
    for start in sorted(target):
        seen = [start]
        cur = target.get(start)
        while cur is not None:
            if cur in seen:
                cycle = " -> ".join([*seen[seen.index(cur) :], cur])
                raise InvalidInstance(f"program {start!r}: circular reversion {cycle}")
            seen.append(cur)
            cur = target.get(cur)


def _packed(ids: list[str]) -> list[str]:
    """Fresh copies of ``ids``, allocated one after the other.

    The id -> index maps are probed once per rank-list entry (about a million times at
    national scale) in no particular order, and every hit compares the probe with the key
    string. The parsed id strings lie far apart in memory, between each entry's list; packed
    copies keep the keys in a few hundred kilobytes that stay in cache, which made the probe
    passes about 40% faster on a 50,000-applicant instance.
    """
    return [(i + " ")[:-1] for i in ids]


def _split(flat: list[Any], lengths: list[int]) -> list[list[Any]]:
    """Cut ``flat`` into consecutive lists of the given lengths (C-level slicing)."""
    bounds = list(accumulate(lengths, initial=0))
    return list(map(flat.__getitem__, map(slice, bounds, bounds[1:])))


def _first_list_error(
    kind: str, ids: Sequence[str], lists: Sequence[Sequence[Any]], known: Container[object]
) -> InvalidInstance:
    """The error of the first rank list (in input order) naming an unknown id, holding a
    non-string item or naming an id twice (NRMP: a strict order of known participants)."""
    what = "applicant" if kind == "program" else "program"
    for ident, lst in zip(ids, lists, strict=True):
        err = rank_item_error(kind, ident, lst)
        if err is not None:
            return err
        bad = next((x for x in lst if x not in known), None)
        if bad is not None:
            return InvalidInstance(f"{kind} {ident!r}: unknown {what} {bad!r} in rank list")
        if len(set(lst)) != len(lst):
            return InvalidInstance(f"{kind} {ident!r}: {what} {_repeated(lst)!r} listed twice")
    raise AssertionError("no rank list is wrong")  # the bulk check found a wrong one


def columns_from_instance(instance: Instance) -> Columns:
    """The :class:`Columns` of an already built :class:`Instance` (no checks here)."""
    programs = instance.programs
    applicants = instance.applicants
    return Columns(
        program_ids=[p.id for p in programs],
        capacities=[p.capacity for p in programs],
        program_lists=[p.rank_list for p in programs],
        reversion_to=[p.reversion_to for p in programs],
        program_withdrawn=[p.withdrawn for p in programs],
        applicant_ids=[a.id for a in applicants],
        applicant_lists=[a.rank_list for a in applicants],
        applicant_withdrawn=[a.withdrawn for a in applicants],
        couples=[CoupleEntry(c.ids, c.rank_list, c.withdrawn) for c in instance.couples],
    )


def compile_instance(instance: Instance) -> Compiled:
    """Check the cross-entry input rules and build the int-id form of ``instance``.

    The rules are those of :func:`compile_columns`. Raises :class:`InvalidInstance`.
    """
    return compile_columns(columns_from_instance(instance))


def compile_document(doc: object) -> Compiled:
    """Check a parsed ``painfellow match`` document and build its int-id form directly.

    Same rules, same order of checks and same messages as
    ``compile_instance(instance_from_document(doc))`` (both go through
    :func:`columns_from_document` and :func:`compile_columns`), without building a
    dataclass per entry. Raises :class:`InvalidInstance`.
    """
    return compile_columns(columns_from_document(doc))


def compile_columns(cols: Columns) -> Compiled:
    """Check the cross-entry input rules and build the int-id form of an instance.

    Rules (NRMP rank order list rules and the file contract): ids unique within programs
    and within applicants (a couple member may not appear again as a single); every id in
    a rank list names a known program/applicant; no id twice in one list (a strict
    order, no ties); ``reversion_to`` names another known program and reversions do not
    form a cycle. Withdrawn entries are then dropped, and so are pairs that are not
    mutually acceptable. Checks run in this order: programs listed twice, applicants
    listed twice, reversions, program lists, applicant lists, couple lists (each in input
    order), so every reader reports the same first error. Raises :class:`InvalidInstance`.
    """
    prog_all = cols.program_ids
    n_prog_all = len(prog_all)
    # One shared run of int objects: every index below is one of these, so the many
    # dict lookups keyed by an index hit on identity instead of comparing ints.
    app_all = list(cols.applicant_ids)
    for c in cols.couples:
        app_all.extend(c.ids)
    ints = list(range(max(n_prog_all, len(app_all)) + 1))
    prog_pos = dict(zip(prog_all, ints, strict=False))
    if len(prog_pos) != n_prog_all:
        raise InvalidInstance(f"program {_repeated(prog_all)!r}: listed twice")
    if len(set(app_all)) != len(app_all):
        raise InvalidInstance(f"applicant {_repeated(app_all)!r}: listed twice")
    _check_reversions(cols, prog_pos)

    # Active programs get indexes 0..P-1; withdrawn ones P.. (kept so their lists and the
    # applicants' lists naming them are still checked for unknown and repeated ids).
    pwd = cols.program_withdrawn
    active_p = [i for i in range(n_prog_all) if not pwd[i]]
    n_prog = len(active_p)
    order_p = active_p + [i for i in range(n_prog_all) if pwd[i]]
    program_ids = [prog_all[i] for i in active_p]
    pmap = dict(zip(_packed([prog_all[i] for i in order_p]), ints, strict=False))
    withdrawn_programs = tuple(sorted(prog_all[i] for i in order_p[n_prog:]))

    # Applicants: active singles, then members of active couples (couples in a canonical
    # order, sorted by ids), then everyone withdrawn.
    awd = cols.applicant_withdrawn
    single_ids = cols.applicant_ids
    singles_in = [i for i in range(len(single_ids)) if not awd[i]]
    couples_in = sorted((c for c in cols.couples if not c.withdrawn), key=lambda c: c.ids)
    applicant_ids = [single_ids[i] for i in singles_in]
    for c in couples_in:
        applicant_ids.extend(c.ids)
    n_app = len(applicant_ids)
    withdrawn_apps = [single_ids[i] for i in range(len(single_ids)) if awd[i]]
    for c in cols.couples:
        if c.withdrawn:
            withdrawn_apps.extend(c.ids)
    amap = dict(zip(_packed(applicant_ids + withdrawn_apps), ints, strict=False))

    # Program lists, all at once: the applicant index at each position, and per program a
    # dict from applicant index to position (so the applicant side needs no strings).
    # The bulk passes only detect that some list is wrong; _first_list_error then walks
    # the lists in input order to name the first one (the messages live there only).
    plists = cols.program_lists
    try:
        flat_apps = list(map(amap.__getitem__, chain.from_iterable(plists)))
    except (KeyError, TypeError):
        raise _first_list_error("program", prog_all, plists, amap) from None
    p_len = list(map(len, plists))
    rows = _split(flat_apps, p_len)
    rank_dicts = list(map(dict, map(zip, rows, repeat(ints))))
    if list(map(len, rank_dicts)) != p_len:
        raise _first_list_error("program", prog_all, plists, amap)
    prog_apps = [rows[i] for i in active_p]
    rank_of = [rank_dicts[i] for i in active_p] + [{} for _ in order_p[n_prog:]]
    if withdrawn_apps:  # withdrawn applicants stay in the lists as -1
        prog_apps = [
            row if max(row, default=-1) < n_app else [a if a < n_app else -1 for a in row]
            for row in prog_apps
        ]

    # Applicant lists, all at once: program indexes, then the applicant's position in
    # each program's list (None: that program did not rank them, or withdrew).
    alists = cols.applicant_lists
    try:
        flat_progs = list(map(pmap.__getitem__, chain.from_iterable(alists)))
    except (KeyError, TypeError):
        raise _first_list_error("applicant", single_ids, alists, pmap) from None
    a_len = list(map(len, alists))
    # The lookups go program by program: probing the per-program dicts in applicant order
    # misses the cache on almost every entry (together they hold as many entries as the
    # program lists), so the entries are first grouped by program (appending to one list
    # per program keeps every list's end in cache), each group is looked up while its
    # program's dict is in cache, and the results are read back in applicant order through
    # one iterator per program (about 40% less time at national scale). A program named
    # twice in one applicant's list shows as that applicant twice in a row in the
    # program's group (each applicant's entries are appended one after the other), so
    # repeated ids are found by comparing neighbours in the groups, without any set.
    owners = list(map(amap.__getitem__, single_ids))
    groups: list[list[int]] = [[] for _ in rank_of]
    any(
        map(
            list.append,
            map(groups.__getitem__, flat_progs),
            chain.from_iterable(map(repeat, owners, a_len)),
        )
    )
    if any(map(any, map(map, repeat(eq), groups, map(islice, groups, repeat(1), repeat(None))))):
        raise _first_list_error("applicant", single_ids, alists, pmap)
    found = list(map(iter, map(list, map(map, map(getattr, rank_of, repeat("get")), groups))))
    flat_ranks = list(map(next, map(found.__getitem__, flat_progs)))
    if None in flat_ranks:  # keep mutually acceptable pairs only
        keep = list(map(is_not, flat_ranks, repeat(None)))
        kept_len = list(map(sum, _split(keep, a_len)))
        rows = _split(list(compress(flat_progs, keep)), kept_len)
        rank_rows = _split(list(compress(flat_ranks, keep)), kept_len)
    else:
        rows = _split(flat_progs, a_len)
        rank_rows = _split(flat_ranks, a_len)
    if withdrawn_apps:
        rows = [rows[i] for i in singles_in]
        rank_rows = [rank_rows[i] for i in singles_in]
    app_progs: list[list[int]] = rows + [[] for _ in range(n_app - len(rows))]
    app_ranks: list[list[int]] = rank_rows + [[] for _ in range(n_app - len(rows))]

    couple_members: list[tuple[int, int]] = []
    couple_pairs: list[list[CouplePair]] = []
    for c in cols.couples:
        name = f"couple ({c.ids[0]!r}, {c.ids[1]!r})"
        if len(set(c.rank_list)) != len(c.rank_list):
            raise InvalidInstance(f"{name}: pair {list(_repeated_pair(c.rank_list))} listed twice")
        for pair in c.rank_list:
            for q in pair:
                if q is not None and q not in pmap:
                    raise InvalidInstance(f"{name}: unknown program {q!r} in rank list")
    for c in couples_in:
        m0, m1 = amap[c.ids[0]], amap[c.ids[1]]
        couple_members.append((m0, m1))
        pairs: list[CouplePair] = []
        for j, (x, y) in enumerate(c.rank_list):
            p0 = r0 = p1 = r1 = -1
            if x is not None:
                p0 = pmap[x]
                rq = rank_of[p0].get(m0)
                if rq is None:
                    continue
                r0 = rq
            if y is not None:
                p1 = pmap[y]
                rq = rank_of[p1].get(m1)
                if rq is None:
                    continue
                r1 = rq
            pairs.append((p0, r0, p1, r1, j))
        couple_pairs.append(pairs)

    reversion_to = [
        -1 if (to := cols.reversion_to[i]) is None or pmap[to] >= n_prog else pmap[to]
        for i in active_p
    ]
    return Compiled(
        program_ids=program_ids,
        applicant_ids=applicant_ids,
        capacities=[cols.capacities[i] for i in active_p],
        reversion_to=reversion_to,
        prog_apps=prog_apps,
        app_progs=app_progs,
        app_ranks=app_ranks,
        singles=list(range(len(singles_in))),
        couple_members=couple_members,
        couple_pairs=couple_pairs,
        withdrawn_applicants=tuple(sorted(withdrawn_apps)),
        withdrawn_programs=withdrawn_programs,
    )


def _repeated_pair(
    items: tuple[tuple[str | None, str | None], ...],
) -> tuple[str | None, str | None]:
    from collections import Counter  # only on the error path

    return next(k for k, n in Counter(items).items() if n > 1)


def validate_instance(instance: Instance) -> None:
    """Raise :class:`InvalidInstance` if ``instance`` breaks an input rule (see
    :func:`compile_instance` for the rules); return ``None`` when it is valid."""
    compile_instance(instance)
