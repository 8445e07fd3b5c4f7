"""Summary statistics of a match result."""

from __future__ import annotations

from painfellow.core.matching.types import Instance, MatchResult, MatchStats


def match_stats(instance: Instance, result: MatchResult) -> MatchStats:
    """Count matched/unmatched applicants and filled/unfilled positions, the share of
    matched applicants placed at their 1st, top-3 and top-5 choice, and the depth each
    program reached in its own list.

    These are the headline figures of the NRMP "Results and Data" reports; a couple
    member's choice rank is the rank of the couple's pair. Positions are counted after
    reversions, so reverted positions are counted once, at the receiving track.
    """
    matches = result.matches
    choice: list[int] = []
    for app in instance.applicants:
        if not app.withdrawn and app.id in matches:
            choice.append(app.rank_list.index(matches[app.id]) + 1)
    for c in instance.couples:
        if c.withdrawn:
            continue
        got = (matches.get(c.ids[0]), matches.get(c.ids[1]))
        if got in c.rank_list:
            rank = c.rank_list.index(got) + 1
            choice.extend(rank for pid in got if pid is not None)
    positions = sum(result.capacities.values())
    filled = len(matches)
    members: dict[str, set[str]] = {}
    for aid, pid in matches.items():
        members.setdefault(pid, set()).add(aid)
    depth: dict[str, int] = {}
    for prog in sorted(instance.programs, key=lambda p: p.id):
        if prog.withdrawn:
            continue
        mine = members.get(prog.id)
        deepest = 0
        if mine:
            for pos, aid in enumerate(prog.rank_list, start=1):
                if aid in mine:
                    deepest = pos
        depth[prog.id] = deepest
    n_apps = sum(1 for a in instance.applicants if not a.withdrawn) + 2 * sum(
        1 for c in instance.couples if not c.withdrawn
    )
    matched = len(choice)

    def share(limit: int) -> float:
        return round(sum(1 for r in choice if r <= limit) / matched, 4) if matched else 0.0

    return MatchStats(
        applicants=n_apps,
        matched_applicants=matched,
        unmatched_applicants=n_apps - matched,
        positions=positions,
        filled_positions=filled,
        unfilled_positions=positions - filled,
        unfilled_programs=len(result.unfilled),
        share_first=share(1),
        share_top3=share(3),
        share_top5=share(5),
        program_depth=depth,
    )
