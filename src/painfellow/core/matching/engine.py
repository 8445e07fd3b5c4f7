"""The match run: singles by deferred acceptance, couples, reversions to a fixpoint."""

from __future__ import annotations

from painfellow.core.matching.deferred_acceptance import deferred_acceptance
from painfellow.core.matching.validate import Compiled, compile_instance

# Annotations only: types.py imports dataclasses, which `match run` does without.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from painfellow.core.matching.types import Instance, MatchResult

#: Bound on the instability-repair rounds of the couples phase before giving up.
MAX_COUPLE_ROUNDS = 200


class RawOutcome:
    """A solved compiled instance: ``assign[a]`` is a program index or -1.

    Compared by value (the tests compare incremental and full reversion runs); a plain
    class so that ``match run`` does not import dataclasses (see rules.py).
    """

    __slots__ = ("assign", "blocking", "capacities", "reverted", "rounds")

    def __init__(
        self,
        assign: list[int],
        capacities: list[int],
        reverted: list[int],
        blocking: list[str],
        rounds: int,
    ) -> None:
        self.assign = assign
        self.capacities = capacities
        self.reverted = reverted
        self.blocking = blocking
        self.rounds = rounds

    def _key(self) -> tuple[list[int], list[int], list[int], list[str], int]:
        return (self.assign, self.capacities, self.reverted, self.blocking, self.rounds)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RawOutcome):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # mutable lists inside, like a dataclass

    def __repr__(self) -> str:
        return (
            f"RawOutcome(assign={self.assign!r}, capacities={self.capacities!r}, "
            f"reverted={self.reverted!r}, blocking={self.blocking!r}, rounds={self.rounds!r})"
        )


def _couples_phase(
    comp: Compiled, caps: list[int], assign: list[int], heaps: list[list[int]], nxt: list[int]
) -> list[str]:
    """Run the couples phase on a singles outcome; describe the blocking pairs left."""
    if not comp.couple_members:
        return []
    from painfellow.core.matching.couples import CouplesPhase  # only runs with couples

    phase = CouplesPhase(comp, caps, heaps, assign, nxt)
    left, _ = phase.solve(MAX_COUPLE_ROUNDS)
    blocking: list[str] = []
    for u, k in left:
        if u >= 0:
            p = comp.app_progs[u][k]
            blocking.append(
                f"applicant {comp.applicant_ids[u]} and program {comp.program_ids[p]} block"
            )
        else:
            c = -u - 1
            m0, m1 = comp.couple_members[c]
            p0, _, p1, _, _ = comp.couple_pairs[c][k]
            n0 = comp.program_ids[p0] if p0 >= 0 else "(unmatched)"
            n1 = comp.program_ids[p1] if p1 >= 0 else "(unmatched)"
            blocking.append(
                f"couple ({comp.applicant_ids[m0]}, {comp.applicant_ids[m1]}) and programs "
                f"({n0}, {n1}) block"
            )
    return blocking


def _singles(comp: Compiled, caps: list[int]) -> tuple[list[int], list[list[int]], list[int]]:
    return deferred_acceptance(comp.app_progs, comp.app_ranks, comp.prog_apps, caps, comp.singles)


class _Checkpoint:
    """A deferred-acceptance state reached without any decision by a reversion track.

    Singles propose under the initial quotas, but a proposal to a *full* donor or receiver
    track is held back (see ``pause`` in :func:`deferred_acceptance`). Every decision taken
    so far is then either an acceptance by a reversion track below its quota or a decision
    by a track whose quota never changes. For any later quotas under which each reversion
    track's current load still fits (``load <= quota``), the same steps are a valid
    beginning of deferred acceptance: each acceptance happened with free room and every
    rejection is justified as before. Because the outcome of deferred acceptance does not
    depend on the order of proposals (Gale & Shapley 1962; McVitie & Wilson 1971),
    continuing from a copy of this state with the held-back proposals gives exactly the
    outcome of a full run under the new quotas: the same assignment, the same next-choice
    pointers and the same held ranks per program, so the couples phase that follows sees
    identical input. When the condition fails the engine runs from scratch instead.
    """

    def __init__(self, comp: Compiled, caps: list[int], tracks: list[int]) -> None:
        self.comp = comp
        self.tracks = tracks
        pause = [False] * len(caps)
        for p in tracks:
            pause[p] = True
        self.paused: list[int] = []
        self.assign, self.heaps, self.nxt = deferred_acceptance(
            comp.app_progs,
            comp.app_ranks,
            comp.prog_apps,
            caps,
            comp.singles,
            pause=pause,
            paused=self.paused,
        )

    def fits(self, caps: list[int]) -> bool:
        heaps = self.heaps
        return all(len(heaps[p]) <= caps[p] for p in self.tracks)

    def resume(self, caps: list[int]) -> tuple[list[int], list[list[int]], list[int]]:
        """The singles outcome under ``caps`` (for which :meth:`fits` holds)."""
        comp = self.comp
        return deferred_acceptance(
            comp.app_progs,
            comp.app_ranks,
            comp.prog_apps,
            caps,
            self.paused,
            heaps=[h[:] for h in self.heaps],
            assign=self.assign[:],
            nxt=self.nxt[:],
        )


def solve_compiled(comp: Compiled, *, incremental: bool = True) -> RawOutcome:
    """Solve a compiled instance, applying reversions until nothing more moves.

    NRMP reversion rule as run by Roth & Peranson (1999): the unfilled positions of a track
    with ``reversion_to`` are moved to the receiving track and the match is run again,
    until no donor track has an unfilled position left (a fixpoint; it exists because
    positions only move forward along the acyclic reversion chains).

    Each run after the first repeats the singles phase from a :class:`_Checkpoint` taken
    before any reversion track decided anything, which gives the same outcome as running
    from scratch (see there); ``incremental=False`` always runs from scratch (used by the
    tests that compare both).
    """
    caps = list(comp.capacities)
    reverted = [0] * len(caps)
    donors = [p for p, to in enumerate(comp.reversion_to) if to >= 0]
    if not donors:
        assign, heaps, nxt = _singles(comp, caps)
        blocking = _couples_phase(comp, caps, assign, heaps, nxt)
        return RawOutcome(assign, caps, reverted, blocking, 1)
    tracks = sorted({*donors, *(comp.reversion_to[p] for p in donors)})
    start = _Checkpoint(comp, caps, tracks) if incremental else None
    rounds = 0
    while True:
        rounds += 1
        if start is not None and start.fits(caps):
            assign, heaps, nxt = start.resume(caps)
        else:
            assign, heaps, nxt = _singles(comp, caps)
        blocking = _couples_phase(comp, caps, assign, heaps, nxt)
        filled = [0] * len(caps)
        for p in assign:
            if p >= 0:
                filled[p] += 1
        # Spare places are measured on this run's quotas before any is moved, so places
        # that just arrived at a track are offered in the next run before moving on.
        spares = [(p, caps[p] - filled[p]) for p in donors if caps[p] > filled[p]]
        if not spares:
            break
        for p, spare in spares:
            caps[p] -= spare
            caps[comp.reversion_to[p]] += spare
            reverted[p] += spare
    return RawOutcome(assign, caps, reverted, blocking, rounds)


def _sorted_parts(
    comp: Compiled, out: RawOutcome
) -> tuple[dict[str, str], list[str], list[tuple[str, int]]]:
    """``matches`` and ``unmatched`` in applicant id order, and the unfilled programs as
    sorted ``(id, places)`` pairs: the canonical order of a result."""
    app_ids = comp.applicant_ids
    prog_ids = comp.program_ids
    caps = out.capacities
    assign = out.assign
    filled = [0] * len(caps)
    for p in assign:
        if p >= 0:
            filled[p] += 1
    # Applicants in id order (usually already sorted in the input, which sorts in O(n)).
    in_order = sorted(range(len(app_ids)), key=app_ids.__getitem__)
    matches = {app_ids[a]: prog_ids[assign[a]] for a in in_order if assign[a] >= 0}
    unmatched = [app_ids[a] for a in in_order if assign[a] < 0]
    unfilled = sorted(
        (prog_ids[p], caps[p] - filled[p]) for p in range(len(caps)) if caps[p] > filled[p]
    )
    return matches, unmatched, unfilled


def result_from_outcome(comp: Compiled, out: RawOutcome) -> MatchResult:
    """Translate an int-id outcome back to string ids (sorted, so output is canonical)."""
    from painfellow.core.matching.types import MatchResult

    matches, unmatched, unfilled = _sorted_parts(comp, out)
    prog_ids = comp.program_ids
    caps = out.capacities
    return MatchResult(
        matches=matches,
        unmatched_applicants=tuple(unmatched),
        unfilled=dict(unfilled),
        capacities={prog_ids[p]: caps[p] for p in range(len(caps))},
        reverted={prog_ids[p]: n for p, n in enumerate(out.reverted) if n},
        withdrawn_applicants=comp.withdrawn_applicants,
        withdrawn_programs=comp.withdrawn_programs,
        instabilities=tuple(out.blocking),
        rounds=out.rounds,
    )


def outcome_to_document(comp: Compiled, out: RawOutcome) -> dict[str, Any]:
    """The RESULT document of an outcome, without statistics.

    Equal to ``result_to_document(result_from_outcome(comp, out))``, built without the
    :class:`MatchResult` in between (``match run`` without ``--stats`` uses this).
    """
    matches, unmatched, unfilled = _sorted_parts(comp, out)
    prog_ids = comp.program_ids
    return {
        "matches": matches,
        "unmatched_applicants": unmatched,
        "unfilled": dict(unfilled),
        "reverted": {prog_ids[p]: n for p, n in enumerate(out.reverted) if n},
        "withdrawn": {
            "applicants": list(comp.withdrawn_applicants),
            "programs": list(comp.withdrawn_programs),
        },
        "instabilities": list(out.blocking),
    }


def run_match(instance: Instance) -> MatchResult:
    """Run the match: the applicant-optimal stable matching of ``instance``.

    Rules: applicant-proposing deferred acceptance with quotas (Gale & Shapley 1962;
    Roth 1984) over mutually acceptable pairs, withdrawn participants dropped first,
    couples and reversions handled as in the NRMP algorithm of Roth & Peranson (1999).
    Without couples the result is the unique applicant-optimal stable matching, so it does
    not depend on the order of the input. With couples, any blocking pair that the
    Roth–Peranson repair could not remove is listed in ``instabilities``.
    Raises :class:`InvalidInstance` when an input rule is broken.
    """
    comp = compile_instance(instance)
    return result_from_outcome(comp, solve_compiled(comp))
