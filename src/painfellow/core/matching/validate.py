"""Cross-entry validation and compilation of an :class:`Instance` to int arrays.

The algorithms work on dense int ids: program ``p`` and applicant ``a`` are list indexes,
and rank lists are lists of ints. Pairs that are not mutually acceptable are dropped here,
since under the NRMP rules a match needs both sides to have ranked each other.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container
from dataclasses import dataclass
from itertools import repeat
from typing import cast

from painfellow.core.matching.instance_io import rank_item_error
from painfellow.core.matching.types import Instance, InvalidInstance

#: A couple's pair on int ids: (program of partner 0 or -1, their rank at it or -1,
#: program of partner 1 or -1, rank or -1, 0-based position in the couple's own list).
CouplePair = tuple[int, int, int, int, int]


@dataclass(frozen=True)
class Compiled:
    """An instance on int ids, mutually acceptable pairs only, withdrawn entries removed.

    ``app_progs[a][i]`` is applicant ``a``'s i-th acceptable program and ``app_ranks[a][i]``
    the 0-based position of ``a`` in that program's list. ``prog_apps[p][r]`` is the
    applicant at position ``r`` of program ``p``'s list (-1 for withdrawn or unknown).
    Couple members have empty ``app_progs``; their options are in ``couple_pairs``.
    """

    program_ids: list[str]
    applicant_ids: list[str]
    capacities: list[int]
    reversion_to: list[int]
    prog_apps: list[list[int]]
    app_progs: list[list[int]]
    app_ranks: list[list[int]]
    singles: list[int]
    couple_members: list[tuple[int, int]]
    couple_pairs: list[list[CouplePair]]
    withdrawn_applicants: tuple[str, ...]
    withdrawn_programs: tuple[str, ...]


def _repeated(items: list[str] | tuple[str, ...]) -> str:
    return next(k for k, n in Counter(items).items() if n > 1)


def _check_reversions(instance: Instance, known: set[str]) -> None:
    target = {p.id: p.reversion_to for p in instance.programs if p.reversion_to is not None}
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


def _bad_item(
    kind: str, ident: str, lst: tuple[object, ...], known: Container[object]
) -> Exception:
    """The precise error for a rank list holding a non-string item or an unknown id."""
    err = rank_item_error(kind, ident, lst)
    if err is not None:
        return err
    bad = next((x for x in lst if x not in known), None)
    what = "program" if kind == "applicant" else "applicant"
    return InvalidInstance(f"{kind} {ident!r}: unknown {what} {bad!r} in rank list")


def compile_instance(instance: Instance) -> Compiled:
    """Check the cross-entry input rules and build the int-id form of ``instance``.

    Rules (NRMP rank order list rules and the file contract): ids unique within programs
    and within applicants (a couple member may not appear again as a single); every id in
    a rank list names a known program/applicant; no id twice in one list (a strict
    order, no ties); ``reversion_to`` names another known program and reversions do not
    form a cycle. Withdrawn entries are then dropped. Raises :class:`InvalidInstance`.
    """
    programs = instance.programs
    prog_known: set[str] = {p.id for p in programs}
    if len(prog_known) != len(programs):
        dup = _repeated([p.id for p in programs])
        raise InvalidInstance(f"program {dup!r}: listed twice")
    app_all = [a.id for a in instance.applicants]
    for c in instance.couples:
        app_all.extend(c.ids)
    app_known: set[str] = set(app_all)
    if len(app_known) != len(app_all):
        dup = _repeated(app_all)
        raise InvalidInstance(f"applicant {dup!r}: listed twice")
    _check_reversions(instance, prog_known)

    active_progs = [p for p in programs if not p.withdrawn]
    withdrawn_programs = tuple(sorted(p.id for p in programs if p.withdrawn))
    program_ids = [p.id for p in active_progs]
    pidx = dict(zip(program_ids, range(len(program_ids)), strict=True))

    singles_in = [a for a in instance.applicants if not a.withdrawn]
    couples_in = [c for c in instance.couples if not c.withdrawn]
    couples_in.sort(key=lambda c: c.ids)  # couples are processed in a canonical order
    withdrawn_apps = [a.id for a in instance.applicants if a.withdrawn]
    for c in instance.couples:
        if c.withdrawn:
            withdrawn_apps.extend(c.ids)
    applicant_ids = [a.id for a in singles_in]
    for c in couples_in:
        applicant_ids.extend(c.ids)
    aidx = dict(zip(applicant_ids, range(len(applicant_ids)), strict=True))

    # Program lists: position of each applicant. Keys are the applicant's own id object
    # (``canon``), so the many rank lookups below hit on identity and skip comparing
    # strings, which is most of the cost of compiling a national-size instance.
    # Unknown, repeated or non-string ids are found by dict operations (the fast path).
    canon = {aid: aid for aid in app_all}
    canon_item = canon.__getitem__
    empty: dict[str, int] = {}
    prank_of_id: list[dict[str, int]] = []
    prank: list[dict[str, int]] = []
    prog_apps: list[list[int]] = []
    pos_of_id: dict[str, int] = {}
    aidx_get = aidx.get
    minus_one = repeat(-1)
    for prog in programs:
        lst = prog.rank_list
        try:
            ranks = dict(zip(map(canon_item, lst), range(len(lst)), strict=True))
        except (KeyError, TypeError):
            raise _bad_item("program", prog.id, lst, app_known) from None
        if len(ranks) != len(lst):
            raise InvalidInstance(f"program {prog.id!r}: applicant {_repeated(lst)!r} listed twice")
        pos_of_id[prog.id] = len(prank_of_id)
        if prog.withdrawn:
            prank_of_id.append(empty)
        else:
            prank_of_id.append(ranks)
            prank.append(ranks)
            prog_apps.append(list(map(aidx_get, lst, minus_one)))

    app_progs: list[list[int]] = []
    app_ranks: list[list[int]] = []
    pos_item = pos_of_id.__getitem__
    dict_item = prank_of_id.__getitem__
    pidx_item = pidx.__getitem__
    get = dict.get
    for app in instance.applicants:
        lst = app.rank_list
        try:
            dicts = list(map(dict_item, map(pos_item, lst)))
        except (KeyError, TypeError):
            raise _bad_item("applicant", app.id, lst, prog_known) from None
        if len(set(lst)) != len(lst):
            raise InvalidInstance(f"applicant {app.id!r}: program {_repeated(lst)!r} listed twice")
        if app.withdrawn:
            continue
        ranks_of = list(map(get, dicts, repeat(app.id)))
        if None in ranks_of:  # drop programs that did not rank this applicant
            kept = [
                (pidx_item(pid), r) for pid, r in zip(lst, ranks_of, strict=True) if r is not None
            ]
            app_progs.append([p for p, _ in kept])
            app_ranks.append([r for _, r in kept])
        else:
            app_progs.append(list(map(pidx_item, lst)))
            app_ranks.append(cast("list[int]", ranks_of))

    pidx_get = pidx.get
    couple_members: list[tuple[int, int]] = []
    couple_pairs: list[list[CouplePair]] = []
    for c in instance.couples:
        name = f"couple ({c.ids[0]!r}, {c.ids[1]!r})"
        if len(set(c.rank_list)) != len(c.rank_list):
            raise InvalidInstance(f"{name}: pair {list(_repeated_pair(c.rank_list))} listed twice")
        for pair in c.rank_list:
            for pid in pair:
                if pid is not None and pid not in prog_known:
                    raise InvalidInstance(f"{name}: unknown program {pid!r} in rank list")
    for c in couples_in:
        m0, m1 = aidx[c.ids[0]], aidx[c.ids[1]]
        couple_members.append((m0, m1))
        app_progs.extend(([], []))
        app_ranks.extend(([], []))
        pairs: list[CouplePair] = []
        for j, (x, y) in enumerate(c.rank_list):
            p0 = r0 = p1 = r1 = -1
            if x is not None:
                q = pidx_get(x)
                rq = None if q is None else prank[q].get(c.ids[0])
                if q is None or rq is None:
                    continue
                p0, r0 = q, rq
            if y is not None:
                q = pidx_get(y)
                rq = None if q is None else prank[q].get(c.ids[1])
                if q is None or rq is None:
                    continue
                p1, r1 = q, rq
            pairs.append((p0, r0, p1, r1, j))
        couple_pairs.append(pairs)

    reversion_to = [pidx.get(p.reversion_to, -1) if p.reversion_to else -1 for p in active_progs]
    return Compiled(
        program_ids=program_ids,
        applicant_ids=applicant_ids,
        capacities=[p.capacity for p in active_progs],
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
    return next(k for k, n in Counter(items).items() if n > 1)


def validate_instance(instance: Instance) -> None:
    """Raise :class:`InvalidInstance` if ``instance`` breaks an input rule (see
    :func:`compile_instance` for the rules); return ``None`` when it is valid."""
    compile_instance(instance)
