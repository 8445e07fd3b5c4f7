"""Applicant-proposing deferred acceptance with program quotas, on int ids.

Gale & Shapley (1962), "College admissions and the stability of marriage", extended to
quotas as in Roth (1984) and Roth & Sotomayor (1990, ch. 5). The outcome is the
applicant-optimal stable matching; it does not depend on the order in which applicants
propose, which is what makes the result independent of input order.

Each program keeps its tentatively held applicants in a heap of negated ranks, so the
worst held applicant is ``-heap[0]`` and replacing it is O(log quota).
"""

from __future__ import annotations

from heapq import heappush, heapreplace

# Annotations only (collections.abc would be imported at start-up of `match run`).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable


def deferred_acceptance(
    app_progs: list[list[int]],
    app_ranks: list[list[int]],
    prog_apps: list[list[int]],
    capacities: list[int],
    proposers: Iterable[int],
    *,
    heaps: list[list[int]] | None = None,
    assign: list[int] | None = None,
    nxt: list[int] | None = None,
    pause: list[bool] | None = None,
    paused: list[int] | None = None,
) -> tuple[list[int], list[list[int]], list[int]]:
    """Run applicant-proposing deferred acceptance; return ``(assign, heaps, nxt)``.

    Enforces the stability rule of Gale & Shapley (1962) with quotas: a program holds at
    most ``capacities[p]`` applicants and rejects the one it ranks worst when over quota;
    an applicant proposes down their list of mutually acceptable programs.

    ``assign[a]`` is the program of applicant ``a`` or -1, ``heaps[p]`` the negated ranks
    held by ``p`` and ``nxt[a]`` the index of ``a``'s next proposal. Passing an existing
    state continues the algorithm from it (used by the simulation and the couples phase):
    that is sound when every earlier rejection is still justified (McVitie & Wilson 1971).

    With ``pause``, a proposal to a full program ``p`` with ``pause[p]`` is not decided:
    the applicant stops, unassigned, with ``nxt`` still pointing at ``p``, and is appended
    to ``paused``. Passing the paused applicants as ``proposers`` later (without ``pause``)
    completes the run; DA's outcome does not depend on the order of proposals (McVitie &
    Wilson 1971), so this is the ordinary outcome. The engine uses the paused state as a
    checkpoint that stays valid when the quotas of paused programs change.
    """
    if heaps is None:
        heaps = [[] for _ in capacities]
    if assign is None:
        assign = [-1] * len(app_progs)
    if nxt is None:
        nxt = [0] * len(app_progs)
    held_back: list[int] = [] if paused is None else paused
    # The negated ranks the heaps hold, one shared int object per rank: the heaps then
    # hold a few hundred objects that stay in cache instead of a fresh int per proposal,
    # and no negation is computed per comparison.
    neg = list(map(int.__neg__, range(max(map(len, prog_apps), default=0))))
    for start in proposers:
        a = start
        while a >= 0:
            progs = app_progs[a]
            ranks = app_ranks[a]
            i = nxt[a]
            n = len(progs)
            displaced = -1
            while i < n:
                p = progs[i]
                nr = neg[ranks[i]]
                i += 1
                h = heaps[p]
                if len(h) < capacities[p]:
                    heappush(h, nr)
                    assign[a] = p
                    break
                if pause is not None and pause[p]:
                    i -= 1
                    held_back.append(a)
                    break
                if h and nr > h[0]:
                    worst = -heapreplace(h, nr)
                    assign[a] = p
                    displaced = prog_apps[p][worst]
                    assign[displaced] = -1
                    break
            nxt[a] = i
            a = displaced
    return assign, heaps, nxt
