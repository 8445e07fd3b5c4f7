"""Planning simulations on a season's current lists (drafts included).

Uses :func:`painfellow.core.matching.simulate` and its noise model: every list is re-sorted
by position + N(0, ``NOISE_SD``) in each run and every other participant drops out with
probability ``DROPOUT``. A program without a quota yet is assumed to offer its usual yearly
positions. The seed is fixed per season, so the same lists give the same curve.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.core import matching
from painfellow.core.matching.types import SimulationResult
from painfellow.errors import Conflict
from painfellow.match_season import service
from painfellow.match_season.models import MatchSeason
from painfellow.match_season.runs import applicant_key, build_instance, program_key
from painfellow.match_season.service import Owner
from painfellow.programs.models import Program

RUNS = 200
NOISE_SD = 1.0
DROPOUT = 0.1


@dataclass(frozen=True)
class Plan:
    result: SimulationResult
    programs: int
    applicants: int
    ranked: int  # the subject's list length
    counted: int  # entries of it who have a list this season (only they can match)


def simulate_owner(session: Session, season: MatchSeason, owner: Owner, *, now: datetime) -> Plan:
    """P(program fills) against how deep it ranks, or P(applicant matches) against the
    length of their list, over ``RUNS`` perturbed matches of the season's current lists."""
    lists = service.all_lists(session, season.id)
    capacities = service.quotas(session, season.id)
    program_ids = [rl.program_id for rl, _ in lists if rl.program_id is not None]
    for program in session.scalars(select(Program).where(Program.id.in_(program_ids))):
        capacities.setdefault(program.id, max(1, program.positions_per_year))
    instance = build_instance(lists, capacities)
    if owner.kind == "program":
        subject = program_key(owner.id)
        lengths = {p.id: len(p.rank_list) for p in instance.programs}
    else:
        subject = applicant_key(owner.id)
        lengths = {a.id: len(a.rank_list) for a in instance.applicants}
    length = lengths.get(subject, 0)
    if not length:
        raise Conflict("Rank at least one interviewed candidate who also ranks, then simulate.")
    if not instance.applicants or not instance.programs:
        raise Conflict("There are no other lists in this season to simulate against.")
    step = 1 if length <= 30 else 5
    result = matching.simulate(
        instance,
        program=subject if owner.kind == "program" else None,
        applicant=subject if owner.kind == "applicant" else None,
        runs=RUNS,
        noise_sd=NOISE_SD,
        dropout=DROPOUT,
        seed=season.id,
        step=step,
    )
    ranked = len(service.list_view(session, season, owner, now).rows)
    return Plan(result, len(instance.programs), len(instance.applicants), ranked, length)
