"""Builders and brute-force oracles shared by the matching tests (not a conftest)."""

from __future__ import annotations

import itertools
import warnings
from collections.abc import Mapping, Sequence

from hypothesis import strategies as st

from painfellow.core.matching import Applicant, Couple, Instance, Program


def make_instance(
    programs: Mapping[str, tuple[int, Sequence[str]]],
    applicants: Mapping[str, Sequence[str]],
    couples: Sequence[tuple[tuple[str, str], Sequence[tuple[str | None, str | None]]]] = (),
    reversions: Mapping[str, str] | None = None,
) -> Instance:
    """``programs``: id -> (quota, rank list); ``applicants``: id -> rank list."""
    rev = reversions or {}
    return Instance(
        tuple(Program(pid, cap, tuple(lst), rev.get(pid)) for pid, (cap, lst) in programs.items()),
        tuple(Applicant(aid, tuple(lst)) for aid, lst in applicants.items()),
        tuple(Couple(ids, tuple(pairs)) for ids, pairs in couples),
    )


@st.composite
def instances(draw: st.DrawFn, max_apps: int = 7, max_progs: int = 4) -> Instance:
    """Small random single-applicant instances: empty lists, one-sided rankings and
    under-filled programs all occur."""
    n_apps = draw(st.integers(0, max_apps))
    n_progs = draw(st.integers(1, max_progs))
    apps = [f"A{i}" for i in range(n_apps)]
    progs = [f"P{j}" for j in range(n_progs)]
    programs = {}
    for p in progs:
        cap = draw(st.integers(1, 3))
        lst = draw(st.permutations(apps)) if apps else []
        k = draw(st.integers(0, len(apps)))
        programs[p] = (cap, lst[:k])
    applicants = {}
    for a in apps:
        lst = draw(st.permutations(progs))
        k = draw(st.integers(0, len(progs)))
        applicants[a] = lst[:k]
    return make_instance(programs, applicants)


def matching_package_solution(instance: Instance) -> dict[str, str]:
    """The resident-optimal matching from the PyPI ``matching`` package.

    That package requires lists reduced to mutually acceptable pairs (it fails on a
    resident ranking a hospital that did not rank them) and no resident with an empty list
    (it reads their first choice), so both are removed first.
    """
    from matching.games import HospitalResident

    ranked_by = {p.id: set(p.rank_list) for p in instance.programs}
    residents = {}
    for a in instance.applicants:
        mutual = [p for p in a.rank_list if a.id in ranked_by[p]]
        if mutual:
            residents[a.id] = mutual
    hospitals = {
        p.id: [a for a in p.rank_list if a in residents and p.id in residents[a]]
        for p in instance.programs
    }
    capacities = {p.id: p.capacity for p in instance.programs}
    if not residents:
        return {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(residents, hospitals, capacities)
        solution = game.solve(optimal="resident")
    return {r.name: h.name for h, rs in solution.items() for r in rs}


def brute_force_stable(instance: Instance) -> list[dict[str, str]]:
    """Every stable matching of a small singles instance, by enumeration (the definition
    of Gale & Shapley 1962 with quotas, written independently of the engine)."""
    progs = {p.id: p for p in instance.programs}
    apps = list(instance.applicants)
    options = [[None, *[p for p in a.rank_list if a.id in progs[p].rank_list]] for a in apps]
    stable = []
    for choice in itertools.product(*options):
        load: dict[str, list[str]] = {p: [] for p in progs}
        for a, p in zip(apps, choice, strict=True):
            if p is not None:
                load[p].append(a.id)
        if any(len(v) > progs[p].capacity for p, v in load.items()):
            continue
        ok = True
        for a, p in zip(apps, choice, strict=True):
            better = a.rank_list if p is None else a.rank_list[: a.rank_list.index(p)]
            for q in better:
                prog = progs[q]
                if a.id not in prog.rank_list:
                    continue
                if len(load[q]) < prog.capacity or any(
                    prog.rank_list.index(a.id) < prog.rank_list.index(b) for b in load[q]
                ):
                    ok = False
                    break
            if not ok:
                break
        if ok:
            stable.append({a.id: p for a, p in zip(apps, choice, strict=True) if p is not None})
    return stable
