"""Independent checks of a match result: validity, stability, applicant-optimality.

This module does not reuse the engine's data structures: it works on the string ids of the
instance and the result, so a bug in the engine is not repeated in its own check.
"""

from __future__ import annotations

from collections.abc import Mapping

from painfellow.core.matching.deferred_acceptance import deferred_acceptance
from painfellow.core.matching.types import Instance, Violation
from painfellow.core.matching.validate import compile_instance


def effective_capacities(
    instance: Instance, reverted: Mapping[str, int]
) -> tuple[dict[str, int], list[Violation]]:
    """Quotas after the reversions a result reports (donor loses, receiver gains).

    NRMP reversion rule: only a track with ``reversion_to`` can pass positions on, at most
    its own quota, to its named receiver.
    """
    progs = {p.id: p for p in instance.programs}
    caps = {p.id: p.capacity for p in instance.programs if not p.withdrawn}
    problems: list[Violation] = []
    for pid, n in sorted(reverted.items()):
        if n == 0:
            continue
        prog = progs.get(pid)
        if prog is None or prog.withdrawn:
            problems.append(Violation("reversion", f"reverted program {pid} is not in the match"))
            continue
        to = prog.reversion_to
        if to is None or to not in caps:
            problems.append(Violation("reversion", f"program {pid} has no reversion to revert"))
            continue
        caps[pid] -= n
        caps[to] += n
    for pid, cap in sorted(caps.items()):
        if cap < 0:
            problems.append(
                Violation("reversion", f"program {pid} reverted more positions than it had")
            )
    return caps, problems


def check_stability(
    instance: Instance,
    matches: Mapping[str, str],
    reverted: Mapping[str, int] | None = None,
) -> tuple[Violation, ...]:
    """List every way ``matches`` fails to be a valid stable matching of ``instance``.

    Rules (Gale & Shapley 1962 with quotas; Roth & Peranson 1999 for couples): every
    matched pair is mutually acceptable (both ranked each other; for a couple, the pair of
    programs is on the couple's list); no quota is exceeded (quotas after the reported
    reversions, and a donor track keeps no unfilled position); withdrawn participants are
    unmatched; and there is no blocking pair: no single applicant and program that both
    prefer each other to their assignment (a program with a free position prefers any
    applicant it ranked), and no couple with a listed pair both of whose programs would
    take the respective partner. Returns an empty tuple when the matching is stable.
    """
    caps, out = effective_capacities(instance, reverted or {})
    progs = {p.id: p for p in instance.programs}
    prank = {p.id: {a: r for r, a in enumerate(p.rank_list)} for p in instance.programs}
    singles = {a.id: a for a in instance.applicants}
    couple_of = {}
    for c in instance.couples:
        couple_of[c.ids[0]] = c
        couple_of[c.ids[1]] = c

    held: dict[str, list[int]] = {pid: [] for pid in caps}
    for aid, pid in sorted(matches.items()):
        single = singles.get(aid)
        couple = couple_of.get(aid)
        if single is None and couple is None:
            out.append(Violation("unknown", f"matched applicant {aid} is not in the instance"))
            continue
        if pid not in progs:
            out.append(Violation("unknown", f"applicant {aid} is matched to unknown program {pid}"))
            continue
        if (single is not None and single.withdrawn) or (couple is not None and couple.withdrawn):
            out.append(Violation("withdrawn", f"withdrawn applicant {aid} is matched to {pid}"))
        if progs[pid].withdrawn:
            out.append(Violation("withdrawn", f"applicant {aid} is matched to withdrawn {pid}"))
            continue
        rank = prank[pid].get(aid)
        if rank is None:
            out.append(Violation("unacceptable", f"program {pid} did not rank applicant {aid}"))
            rank = len(prank[pid])  # worse than anyone it ranked
        if single is not None and pid not in single.rank_list:
            out.append(Violation("unacceptable", f"applicant {aid} did not rank program {pid}"))
        held[pid].append(rank)
    for c in instance.couples:
        got = (matches.get(c.ids[0]), matches.get(c.ids[1]))
        if got != (None, None) and got not in c.rank_list:
            out.append(
                Violation(
                    "unacceptable",
                    f"couple ({c.ids[0]}, {c.ids[1]}) did not rank the pair "
                    f"({got[0] or 'unmatched'}, {got[1] or 'unmatched'})",
                )
            )
    for pid, ranks in sorted(held.items()):
        if len(ranks) > caps[pid]:
            out.append(
                Violation(
                    "quota", f"program {pid} holds {len(ranks)} applicants, quota {caps[pid]}"
                )
            )
        prog = progs[pid]
        if prog.reversion_to is not None and prog.reversion_to in caps and len(ranks) < caps[pid]:
            out.append(
                Violation(
                    "reversion",
                    f"program {pid} has {caps[pid] - len(ranks)} unfilled positions that were "
                    f"not reverted to {prog.reversion_to}",
                )
            )

    worst = {pid: max(r) if r else -1 for pid, r in held.items()}

    for app in sorted(instance.applicants, key=lambda a: a.id):
        if app.withdrawn:
            continue
        mine = matches.get(app.id)
        stop = app.rank_list.index(mine) if mine in app.rank_list else len(app.rank_list)
        for pid in app.rank_list[:stop]:
            r = prank[pid].get(app.id) if pid in caps else None
            if r is None:
                continue
            if len(held[pid]) < caps[pid]:
                why = f"{pid} has a free position"
            elif r < worst[pid]:
                why = f"{pid} prefers {app.id} to one of its matches"
            else:
                continue
            now = f"matched to {mine}" if mine else "unmatched"
            out.append(
                Violation(
                    "blocking",
                    f"blocking pair: applicant {app.id} ({now}) and program {pid} ({why})",
                )
            )

    for c in sorted(instance.couples, key=lambda c: c.ids):
        if c.withdrawn:
            continue
        got = (matches.get(c.ids[0]), matches.get(c.ids[1]))
        stop = c.rank_list.index(got) if got in c.rank_list else len(c.rank_list)
        for pair in c.rank_list[:stop]:
            if _couple_admitted(pair, c.ids, got, caps, prank, held):
                out.append(
                    Violation(
                        "blocking",
                        f"blocking pair: couple ({c.ids[0]}, {c.ids[1]}) and programs "
                        f"({pair[0] or 'unmatched'}, {pair[1] or 'unmatched'})",
                    )
                )
    return tuple(out)


def _couple_admitted(
    pair: tuple[str | None, str | None],
    ids: tuple[str, str],
    got: tuple[str | None, str | None],
    caps: Mapping[str, int],
    prank: Mapping[str, Mapping[str, int]],
    held: Mapping[str, list[int]],
) -> bool:
    """Would both programs of ``pair`` take the respective partner (given their matches)?"""
    wanted: dict[str, list[int]] = {}
    for pid, member in zip(pair, ids, strict=True):
        if pid is None:
            continue
        r = prank[pid].get(member) if pid in caps else None
        if r is None:
            return False
        wanted.setdefault(pid, []).append(r)
    for pid, new in wanted.items():
        current = list(held[pid])
        for mine, member in zip(got, ids, strict=True):
            if mine == pid:
                current.remove(prank[pid].get(member, len(prank[pid])))
        if len(current) + len(new) <= caps[pid]:
            continue
        kept = sorted(current + new)[: caps[pid]]
        if not all(r in kept for r in new):
            return False
    return True


def check_applicant_optimal(
    instance: Instance,
    matches: Mapping[str, str],
    reverted: Mapping[str, int] | None = None,
) -> tuple[Violation, ...]:
    """Check that ``matches`` is the applicant-optimal stable matching (singles only).

    Rule: Gale & Shapley (1962), Theorem 2 — applicant-proposing deferred acceptance gives
    every applicant their best partner among all stable matchings, and that matching is
    unique; so a result is applicant-optimal exactly when it equals the deferred
    acceptance outcome under the same quotas (after the reported reversions). Instances
    with couples have no applicant-optimal stable matching in general; for them this
    returns an empty tuple and only :func:`check_stability` applies.
    """
    if any(not c.withdrawn for c in instance.couples):
        return ()
    caps_by_id, problems = effective_capacities(instance, reverted or {})
    if problems:
        return ()  # already reported by check_stability
    comp = compile_instance(instance)
    caps = [max(caps_by_id[pid], 0) for pid in comp.program_ids]
    assign, _, _ = deferred_acceptance(
        comp.app_progs, comp.app_ranks, comp.prog_apps, caps, comp.singles
    )
    out: list[Violation] = []
    for a, p in enumerate(assign):
        aid = comp.applicant_ids[a]
        best = comp.program_ids[p] if p >= 0 else None
        got = matches.get(aid)
        if got != best:
            out.append(
                Violation(
                    "not_optimal",
                    f"applicant {aid} is {'matched to ' + got if got else 'unmatched'} but the "
                    f"applicant-optimal stable matching gives "
                    f"{best if best else 'no match'}",
                )
            )
    return tuple(out)
