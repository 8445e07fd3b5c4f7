"""Running the match of a season, reproducing a run, releasing results.

The engine input is built from certified lists only, with ids ``P<program id>`` and
``A<applicant user id>``; entries naming someone who is not in the match (no certified list,
or no quota) are left out, since they could never be matched. The stored snapshot is that
exact input; its SHA-256 is taken over canonical JSON (sorted keys, no spaces).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow import __version__
from painfellow.accounts.models import User
from painfellow.core import matching
from painfellow.core.matching.types import Applicant, Instance, MatchResult, Program
from painfellow.errors import Conflict, NotFound
from painfellow.match_season import service
from painfellow.match_season.models import MatchRun, MatchSeason, RankEntry, RankList
from painfellow.programs.models import Program as ProgramRecord

#: The engine is painfellow.core.matching as shipped in this package version.
ENGINE_VERSION = f"painfellow.core.matching {__version__}"


def program_key(program_id: int) -> str:
    return f"P{program_id}"


def applicant_key(user_id: int) -> str:
    return f"A{user_id}"


def canonical_json(document: object) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def snapshot_digest(document: object) -> str:
    return hashlib.sha256(canonical_json(document).encode()).hexdigest()


def build_instance(
    lists: list[tuple[RankList, list[RankEntry]]], capacities: dict[int, int]
) -> Instance:
    """The engine instance of these lists; programs need a capacity to take part."""
    programs = {
        rl.program_id: entries
        for rl, entries in lists
        if rl.program_id is not None and rl.program_id in capacities
    }
    applicants = {
        rl.applicant_user_id: entries for rl, entries in lists if rl.applicant_user_id is not None
    }
    return Instance(
        programs=tuple(
            Program(
                program_key(pid),
                capacities[pid],
                tuple(
                    applicant_key(e.ranked_applicant_id)
                    for e in entries
                    if e.ranked_applicant_id in applicants
                ),
            )
            for pid, entries in sorted(programs.items())
        ),
        applicants=tuple(
            Applicant(
                applicant_key(uid),
                tuple(
                    program_key(e.ranked_program_id)
                    for e in entries
                    if e.ranked_program_id in programs
                ),
            )
            for uid, entries in sorted(applicants.items())
        ),
    )


def _solve(instance: Instance) -> tuple[MatchResult, dict[str, Any], dict[str, Any], list[str]]:
    result = matching.run_match(instance)
    stats = matching.match_stats(instance, result)
    problems = [
        *matching.check_stability(instance, result.matches, result.reverted),
        *matching.check_applicant_optimal(instance, result.matches, result.reverted),
    ]
    result_doc = json.loads(canonical_json(matching.result_to_document(result)))
    stats_doc = json.loads(canonical_json(matching.stats_to_document(stats)))
    return result, result_doc, stats_doc, [f"{v.kind}: {v.message}" for v in problems]


def run_season_match(
    session: Session, season_id: int, *, by_user_id: int, now: datetime
) -> MatchRun:
    """Run the match after the certification deadline from the certified lists, verify the
    result with the independent stability checker and store input, result and version."""
    season = service.get_season(session, season_id)
    if now < season.certify_deadline:
        raise Conflict(
            f"The match runs after the certification deadline "
            f"({season.certify_deadline:%Y-%m-%d %H:%M} UTC); lists may still change."
        )
    instance = build_instance(
        service.certified_lists(session, season.id), service.quotas(session, season.id)
    )
    if not instance.programs:
        raise Conflict("No program has certified a list with a quota: there is nothing to match.")
    if not instance.applicants:
        raise Conflict("No applicant has certified a list: there is nothing to match.")
    snapshot = matching.instance_to_document(instance)
    _, result_doc, stats_doc, violations = _solve(instance)
    run = MatchRun(
        season_id=season.id,
        snapshot=snapshot,
        snapshot_sha256=snapshot_digest(snapshot),
        result=result_doc,
        stats=stats_doc,
        violations=violations,
        engine_version=ENGINE_VERSION,
        created_at=now,
        created_by_user_id=by_user_id,
    )
    session.add(run)
    session.commit()
    return run


def get_run(session: Session, run_id: int) -> MatchRun:
    run = session.get(MatchRun, run_id)
    if run is None:
        raise NotFound("No such match run.")
    return run


def list_runs(session: Session, season_id: int) -> list[MatchRun]:
    return list(
        session.scalars(
            select(MatchRun).where(MatchRun.season_id == season_id).order_by(MatchRun.id.desc())
        )
    )


@dataclass(frozen=True)
class Reproduction:
    digest: str
    digest_matches: bool
    result_identical: bool
    stats_identical: bool
    engine_version: str
    differences: list[str]

    @property
    def identical(self) -> bool:
        return self.digest_matches and self.result_identical and self.stats_identical


def reproduce_run(session: Session, run_id: int) -> Reproduction:
    """Re-run the engine on the stored snapshot and compare with the stored result."""
    run = get_run(session, run_id)
    digest = snapshot_digest(run.snapshot)
    instance = matching.instance_from_document(run.snapshot)
    _, result_doc, stats_doc, _ = _solve(instance)
    stored_result = json.loads(canonical_json(run.result))
    stored_stats = json.loads(canonical_json(run.stats))
    differences = [
        f"{key}: stored {stored_result.get(key)!r}, now {result_doc.get(key)!r}"
        for key in sorted(set(stored_result) | set(result_doc))
        if stored_result.get(key) != result_doc.get(key)
    ]
    return Reproduction(
        digest=digest,
        digest_matches=digest == run.snapshot_sha256,
        result_identical=stored_result == result_doc,
        stats_identical=stored_stats == stats_doc,
        engine_version=ENGINE_VERSION,
        differences=differences,
    )


def approve_run(session: Session, run_id: int, *, by_user_id: int, now: datetime) -> MatchRun:
    """Approve a run for release at the season's release time (the only approved run).

    A run with violations is never released, and once results are out the approved run
    cannot be swapped for another.
    """
    run = get_run(session, run_id)
    season = service.get_season(session, run.season_id)
    if run.violations:
        raise Conflict("This run failed verification; it cannot be released.")
    others = [r for r in list_runs(session, season.id) if r.approved_at and r.id != run.id]
    if others and now >= season.release_at:
        raise Conflict("Results are already released from another run.")
    for other in others:
        other.approved_at = None
        other.approved_by_user_id = None
    if run.approved_at is None:
        run.approved_at = now
        run.approved_by_user_id = by_user_id
    session.commit()
    return run


def released_run(session: Session, season: MatchSeason, now: datetime) -> MatchRun | None:
    """The run whose results are visible: approved, and the release time has come."""
    if now < season.release_at:
        return None
    return session.scalars(
        select(MatchRun).where(MatchRun.season_id == season.id, MatchRun.approved_at.is_not(None))
    ).first()


@dataclass(frozen=True)
class ApplicantOutcome:
    took_part: bool
    program: ProgramRecord | None
    choice_rank: int | None


@dataclass(frozen=True)
class ProgramMatch:
    user: User
    rank: int


@dataclass(frozen=True)
class ProgramOutcome:
    took_part: bool
    quota: int
    matches: list[ProgramMatch]


def _parse_key(key: str) -> int:
    return int(key[1:])


def applicant_outcome(
    session: Session, season: MatchSeason, user_id: int, now: datetime
) -> ApplicantOutcome | None:
    """This applicant's own result, or None before release."""
    run = released_run(session, season, now)
    if run is None:
        return None
    key = applicant_key(user_id)
    mine = next((a for a in run.snapshot["applicants"] if a["id"] == key), None)
    matched = run.result["matches"].get(key)
    if mine is None or matched is None:
        return ApplicantOutcome(mine is not None, None, None)
    program = session.get(ProgramRecord, _parse_key(matched))
    return ApplicantOutcome(True, program, mine["rank_list"].index(matched) + 1)


def program_outcome(
    session: Session, season: MatchSeason, program_id: int, now: datetime,
    viewer_id: int | None = None,
) -> ProgramOutcome | None:  # fmt: skip
    """This program's own matches, or None before release; never the ``viewer_id``'s own
    match (a member who applied does not read the rank the program gave them)."""
    run = released_run(session, season, now)
    if run is None:
        return None
    key = program_key(program_id)
    mine = next((p for p in run.snapshot["programs"] if p["id"] == key), None)
    if mine is None:
        return ProgramOutcome(False, 0, [])
    keys = [
        a for a, p in run.result["matches"].items()
        if p == key and (viewer_id is None or _parse_key(a) != viewer_id)
    ]  # fmt: skip
    users = {
        u.id: u for u in session.scalars(select(User).where(User.id.in_(map(_parse_key, keys))))
    }
    matches = sorted(
        (ProgramMatch(users[_parse_key(a)], mine["rank_list"].index(a) + 1) for a in keys),
        key=lambda m: m.rank,
    )
    return ProgramOutcome(True, int(mine["capacity"]), matches)


@dataclass(frozen=True)
class ProgramDepth:
    name: str
    quota: int
    filled: int
    ranked: int
    depth: int


def program_depths(session: Session, run: MatchRun) -> list[ProgramDepth]:
    """Per program: quota, filled positions, list length and the rank depth reached."""
    filled: dict[str, int] = {}
    for program in run.result["matches"].values():
        filled[program] = filled.get(program, 0) + 1
    ids = [_parse_key(p["id"]) for p in run.snapshot["programs"]]
    names = {
        p.id: p.display_name
        for p in session.scalars(select(ProgramRecord).where(ProgramRecord.id.in_(ids)))
    }
    depth = run.stats.get("program_depth", {})
    return [
        ProgramDepth(
            names.get(_parse_key(p["id"]), p["id"]),
            int(p["capacity"]),
            filled.get(p["id"], 0),
            len(p["rank_list"]),
            int(depth.get(p["id"], 0)),
        )
        for p in run.snapshot["programs"]
    ]
