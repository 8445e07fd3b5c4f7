"""Couples, the Roth–Peranson way, on int ids.

Roth & Peranson (1999), "The redesign of the matching market for American physicians",
AER 89(4): singles are matched first by deferred acceptance; couples then enter one at a
time and propose down their list of program pairs. A couple is held at a pair only when
both programs would hold the respective partner (a program taking both partners needs room
for both). Anyone displaced re-enters and continues down their list; a displaced couple
also vacates the partner's position. Vacancies can leave blocking pairs behind, so after
the stack empties the matching is scanned for blocking singles and couples, which move to
their best blocking option, and so on until no blocking pair remains or the iteration
bound is hit (with couples a stable matching may not exist: Roth 1984, Klaus & Klijn 2005).
The repair rounds need not improve monotonically, so the phase remembers the matching with
the fewest blocking pairs among the states it scanned and ends in that one, returning what
still blocks there.
"""

from __future__ import annotations

from heapq import heapify, heappush, heapreplace

from painfellow.core.matching.validate import Compiled, CouplePair

#: A saved couples-phase state: assignment, next-choice pointers, held ranks per program,
#: couple positions and pointers, each couple member's held rank.
_State = tuple[list[int], list[int], list[list[int]], list[int], list[int], list[int]]


class CouplesPhase:
    """Mutable state of the couples phase (internal to the engine)."""

    def __init__(
        self,
        comp: Compiled,
        capacities: list[int],
        heaps: list[list[int]],
        assign: list[int],
        nxt: list[int],
    ) -> None:
        self.comp = comp
        self.caps = capacities
        self.heaps = heaps
        self.assign = assign
        self.nxt = nxt
        n_couples = len(comp.couple_members)
        self.cpos = [-1] * n_couples
        self.cnxt = [0] * n_couples
        self.couple_of = [-1] * len(comp.applicant_ids)
        for c, (m0, m1) in enumerate(comp.couple_members):
            self.couple_of[m0] = c
            self.couple_of[m1] = c
        # Rank of each couple member at the program it is held by (for removal).
        self.held_rank = [-1] * len(comp.applicant_ids)
        self.stack: list[int] = []  # singles as a >= 0, couples as -(c + 1)
        self.steps = 0
        # Programs that lost an applicant since the last scan: only they can newly block
        # a single (a program that only gained applicants became stricter).
        self.touched: set[int] = set()
        # Units found blocking by the last scan: the next scan looks at them again, since a
        # repair that could not be made leaves them blocking at programs not touched since.
        self.pending: list[int] = []
        self.couples_at: dict[int, list[int]] = {}
        for c, pairs in enumerate(comp.couple_pairs):
            for p in sorted({q for pair in pairs for q in (pair[0], pair[2]) if q >= 0}):
                self.couples_at.setdefault(p, []).append(c)

    # -- program side -------------------------------------------------------------------
    def _remove(self, p: int, rank: int) -> None:
        h = self.heaps[p]
        h.remove(-rank)
        heapify(h)
        self.touched.add(p)

    def _admits(self, p: int, new: list[int], exclude: list[int]) -> list[int] | None:
        """Ranks ``p`` would drop to hold ``new`` (after releasing ``exclude``), or None."""
        cap = self.caps[p]
        held = [-x for x in self.heaps[p]]
        for r in exclude:
            held.remove(r)
        if len(held) + len(new) <= cap:
            return []
        if cap < len(new):
            return None
        combined = sorted(held + new)
        if max(new) > combined[cap - 1]:
            return None
        return combined[cap:]

    # -- units --------------------------------------------------------------------------
    def _vacate_couple(self, c: int) -> None:
        for m in self.comp.couple_members[c]:
            p = self.assign[m]
            if p >= 0:
                self._remove(p, self.held_rank[m])
                self.assign[m] = -1
        self.cpos[c] = -1

    def _evict(self, p: int, ranks: list[int]) -> None:
        """Remove the applicants at these ranks of ``p`` and queue them to re-enter."""
        apps = self.comp.prog_apps[p]
        for r in ranks:
            a = apps[r]
            if self.assign[a] != p:
                continue  # already gone with their partner
            c = self.couple_of[a]
            if c < 0:
                self._remove(p, r)
                self.assign[a] = -1
                self.stack.append(a)
            else:
                self._vacate_couple(c)
                self.stack.append(-(c + 1))

    def single_option_admits(self, a: int, i: int) -> bool:
        p = self.comp.app_progs[a][i]
        h = self.heaps[p]
        return len(h) < self.caps[p] or (bool(h) and self.comp.app_ranks[a][i] < -h[0])

    def place_single(self, a: int, i: int) -> None:
        """Move single ``a`` to its option ``i`` (known to admit it)."""
        old = self.assign[a]
        if old >= 0:
            self._remove(old, self.comp.app_ranks[a][self.nxt[a] - 1])
        p = self.comp.app_progs[a][i]
        r = self.comp.app_ranks[a][i]
        h = self.heaps[p]
        self.assign[a] = p
        self.nxt[a] = i + 1
        if len(h) < self.caps[p]:
            heappush(h, -r)
        else:
            worst = -heapreplace(h, -r)
            b = self.comp.prog_apps[p][worst]
            self.assign[b] = -1
            c = self.couple_of[b]
            if c < 0:
                self.stack.append(b)
            else:  # a couple matches only as a unit: the partner's place is freed too
                self.touched.add(p)
                self._vacate_couple(c)
                self.stack.append(-(c + 1))

    def run_single(self, a: int) -> None:
        """Unmatched single ``a`` proposes from its next option down."""
        n = len(self.comp.app_progs[a])
        i = self.nxt[a]
        while i < n:
            self.steps += 1
            if self.single_option_admits(a, i):
                self.place_single(a, i)
                return
            i += 1
        self.nxt[a] = n

    def couple_option_drops(self, c: int, pair: CouplePair) -> list[tuple[int, list[int]]] | None:
        """What placing couple ``c`` at ``pair`` would displace, or None if refused."""
        p0, r0, p1, r1, _ = pair
        m0, m1 = self.comp.couple_members[c]
        held = self.assign
        if p0 >= 0 and p0 == p1:
            excl = [self.held_rank[m] for m in (m0, m1) if held[m] == p0]
            drop = self._admits(p0, [r0, r1], excl)
            return None if drop is None else [(p0, drop)]
        out: list[tuple[int, list[int]]] = []
        for p, r in ((p0, r0), (p1, r1)):
            if p < 0:
                continue
            excl = [self.held_rank[m] for m in (m0, m1) if held[m] == p]
            drop = self._admits(p, [r], excl)
            if drop is None:
                return None
            out.append((p, drop))
        return out

    def couple_option_admits(self, c: int, pair: CouplePair) -> bool:
        """Whether ``couple_option_drops(c, pair)`` is not None, decided in O(1) when the
        two programs differ and neither partner is held at them (the common case)."""
        p0, r0, p1, r1, _ = pair
        if p0 != p1:
            m0, m1 = self.comp.couple_members[c]
            assign = self.assign
            for p, r in ((p0, r0), (p1, r1)):
                if p < 0:
                    continue
                if assign[m0] == p or assign[m1] == p:
                    return self.couple_option_drops(c, pair) is not None
                h = self.heaps[p]
                # A program holding no partner admits one more iff it has room or ranks
                # the newcomer above its worst held applicant (as in _admits).
                if len(h) >= self.caps[p] and not (h and r < -h[0]):
                    return False
            return True
        return self.couple_option_drops(c, pair) is not None

    def place_couple(self, c: int, j: int, drops: list[tuple[int, list[int]]]) -> None:
        pair = self.comp.couple_pairs[c][j]
        self._vacate_couple(c)
        for p, ranks in drops:
            self._evict(p, ranks)
        m0, m1 = self.comp.couple_members[c]
        p0, r0, p1, r1, _ = pair
        for m, p, r in ((m0, p0, r0), (m1, p1, r1)):
            if p >= 0:
                heappush(self.heaps[p], -r)
                self.assign[m] = p
                self.held_rank[m] = r
        self.cpos[c] = j
        self.cnxt[c] = j + 1

    def run_couple(self, c: int) -> None:
        """Unplaced couple ``c`` proposes from its next pair down."""
        pairs = self.comp.couple_pairs[c]
        j = self.cnxt[c]
        while j < len(pairs):
            self.steps += 1
            if self.couple_option_admits(c, pairs[j]):
                drops = self.couple_option_drops(c, pairs[j])
                if drops is not None:
                    self.place_couple(c, j, drops)
                    return
            j += 1
        self.cnxt[c] = len(pairs)

    def drain(self, step_limit: int) -> bool:
        """Process queued units; False if the step bound was hit (cycling)."""
        while self.stack:
            if self.steps > step_limit:
                return False
            u = self.stack.pop()
            if u >= 0:
                self.run_single(u)
            else:
                self.run_couple(-u - 1)
        return True

    # -- stability scan -----------------------------------------------------------------
    def _current(self, a: int) -> int:
        return self.nxt[a] - 1 if self.assign[a] >= 0 else len(self.comp.app_progs[a])

    def blocking(self, full: bool = False) -> list[tuple[int, int]]:
        """Every unit with a blocking option: ``(unit, best blocking option index)``.

        Singles are checked against the programs that lost an applicant since the last
        scan (or against every option when ``full``); couples are always checked fully.
        """
        found: list[tuple[int, int]] = []
        comp = self.comp
        if full:
            for a in comp.singles:
                for i in range(self._current(a)):
                    if self.single_option_admits(a, i):
                        found.append((a, i))
                        break
        else:
            # Only a program that lost an applicant can newly admit a single; it admits
            # exactly the ranks above its worst held one (all ranks when it has room), so
            # only those entries of its list are looked at.
            best: dict[int, int] = {}
            caps = self.caps
            heaps = self.heaps
            assign = self.assign
            nxt = self.nxt
            couple_of = self.couple_of
            for p in sorted(self.touched):
                h = heaps[p]
                apps = comp.prog_apps[p]
                limit = len(apps) if len(h) < caps[p] else (-h[0] if h else 0)
                for r in range(limit):
                    a = apps[r]
                    if a < 0 or couple_of[a] >= 0:
                        continue
                    progs = comp.app_progs[a]
                    cur = nxt[a] - 1 if assign[a] >= 0 else len(progs)
                    try:
                        i = progs.index(p, 0, cur)
                    except ValueError:
                        continue  # a did not rank p, or prefers its current match
                    if i < best.get(a, cur):
                        best[a] = i
            for a in self.pending:
                if a >= 0 and a not in best:
                    for i in range(self._current(a)):
                        if self.single_option_admits(a, i):
                            best[a] = i
                            break
            found.extend(sorted(best.items()))
        if full:
            couples: list[int] = list(range(len(comp.couple_pairs)))
        else:
            again = {-u - 1 for u in self.pending if u < 0}
            couples = sorted(again.union(*(self.couples_at.get(p, ()) for p in self.touched)))
        for c in couples:
            pairs = comp.couple_pairs[c]
            cur = self.cpos[c] if self.cpos[c] >= 0 else len(pairs)
            for j in range(cur):
                if self.couple_option_admits(c, pairs[j]):
                    found.append((-(c + 1), j))
                    break
        self.touched = set()
        self.pending = [u for u, _ in found]
        return found

    def solve(self, max_rounds: int) -> tuple[list[tuple[int, int]], int]:
        """Run the couples phase; return the remaining blocking options and rounds used.

        Ends in the best matching seen, the one with the fewest blocking pairs among the
        states scanned (each after the queue was drained), which is the last one unless
        the repair cycled, ran out of rounds or hit the step bound.
        """
        comp = self.comp
        budget = 50 * (sum(map(len, comp.app_progs)) + sum(map(len, comp.couple_pairs)) + 1)
        ok = True
        for c in range(len(comp.couple_members)):
            self.stack.append(-(c + 1))
            ok = self.drain(budget)
            if not ok:
                break
        rounds = 0
        seen: set[int] = set()
        best: tuple[list[tuple[int, int]], _State] | None = None
        while ok and rounds < max_rounds:
            found = self.blocking()
            if not found:
                return [], rounds
            left = self._all_options(found)
            if best is None or len(left) < len(best[0]):
                best = (left, self._save())
            # Roth & Peranson detect cycling: a repair round that returns to an earlier
            # matching will repeat forever, so stop there.
            state = hash((tuple(self.assign), tuple(self.cpos)))
            if state in seen:
                break
            seen.add(state)
            rounds += 1
            for u, k in found:
                if u >= 0:
                    if self.single_option_admits(u, k):
                        self.place_single(u, k)
                else:
                    c = -u - 1
                    drops = self.couple_option_drops(c, comp.couple_pairs[c][k])
                    if drops is not None:
                        self.place_couple(c, k, drops)
                ok = self.drain(budget)
                if not ok:
                    break
        if ok and rounds < max_rounds:  # stopped on a repeated state, already scanned
            assert best is not None
            self._restore(best[1])
            return best[0], rounds
        # Mid-chain (step bound) or out of rounds: the current state was not scanned.
        left = self._all_options(self.blocking(full=True))
        if best is not None and len(best[0]) <= len(left):
            self._restore(best[1])
            return best[0], rounds
        return left, rounds

    def _save(self) -> _State:
        return (
            self.assign[:],
            self.nxt[:],
            [h[:] for h in self.heaps],
            self.cpos[:],
            self.cnxt[:],
            self.held_rank[:],
        )

    def _restore(self, state: _State) -> None:
        """Put a saved state back, in place: the engine holds these very lists."""
        assign, nxt, heaps, cpos, cnxt, held_rank = state
        self.assign[:] = assign
        self.nxt[:] = nxt
        for h, saved in zip(self.heaps, heaps, strict=True):
            h[:] = saved
        self.cpos[:] = cpos
        self.cnxt[:] = cnxt
        self.held_rank[:] = held_rank
        self.stack.clear()

    def _all_options(self, units: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Every blocking option of the given units (not just the best one)."""
        out: list[tuple[int, int]] = []
        comp = self.comp
        for u, _ in units:
            if u >= 0:
                out.extend(
                    (u, i) for i in range(self._current(u)) if self.single_option_admits(u, i)
                )
            else:
                c = -u - 1
                pairs = comp.couple_pairs[c]
                cur = self.cpos[c] if self.cpos[c] >= 0 else len(pairs)
                out.extend(
                    (u, j) for j in range(cur) if self.couple_option_drops(c, pairs[j]) is not None
                )
        return out
