"""Match season use cases: the calendar, quotas, rank order lists and their certification.

Rules (NRMP-style, issue 3): an applicant ranks only programs that interviewed them and a
program only applicants it interviewed; lists are edited only between the ROL opening and
the certification deadline; ranks are strict (no ties) and at most ``MAX_RANKS`` long; a
certified list is frozen until reopened, and reopening is possible only before the deadline.
A member of a program who interviewed there as an applicant never sees their own row of the
program's list nor their own score, and never changes that list (moving anyone moves them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.core.matching.types import MAX_RANKS
from painfellow.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from painfellow.interviews import queries as interview_queries
from painfellow.interviews.models import InterviewBooking, InterviewSlot
from painfellow.match_season.models import (
    MatchQuota,
    MatchRun,
    MatchSeason,
    RankEntry,
    RankList,
)
from painfellow.match_season.schemas import SeasonForm
from painfellow.programs.models import Program

T = TypeVar("T")
#: An applicant ranking fewer programs than this is warned (short lists go unmatched).
APPLICANT_SHORT_LIST = 3
#: A program is warned when it ranks fewer than this many applicants per position.
PROGRAM_RANKS_PER_POSITION = 3


@dataclass(frozen=True)
class Owner:
    """Whose list: an applicant (user id) or a program (program id)."""

    kind: Literal["applicant", "program"]
    id: int

    @property
    def target_field(self) -> str:
        return "program_id" if self.kind == "applicant" else "applicant_user_id"


@dataclass(frozen=True)
class Candidate:
    """Someone the owner may rank: a program (for an applicant) or an applicant."""

    id: int
    name: str
    score: float | None = None
    interviewed_at: datetime | None = None


@dataclass(frozen=True)
class RankRow:
    rank: int
    candidate: Candidate
    interviewed: bool


@dataclass(frozen=True)
class ListView:
    season: MatchSeason
    owner: Owner
    rows: list[RankRow]
    unranked: list[Candidate]
    certified_at: datetime | None
    editable: bool
    closed_reason: str | None
    quota: int | None
    short_list_rule: str
    short_list_warning: str | None
    #: the viewer is a candidate on this program's list (their own row is left out of it)
    conflicted: bool = False


def _get_or_insert(session: Session, find: Callable[[], T | None], make: Callable[[], T]) -> T:
    """The row ``find`` returns (locked, if ``find`` locks), or a new one from ``make``.

    A concurrent request may insert the same unique key first. The insert runs in a savepoint:
    a unique violation rolls back only that savepoint and the row the other request committed
    is read instead, inside the caller's one transaction. (On PostgreSQL the losing insert waits
    for the winner's commit before it fails; SQLite runs one writer at a time.) The ORM insert
    keeps its audit entry, which an ``INSERT … ON CONFLICT`` statement would bypass.
    """
    found = find()
    if found is not None:
        return found
    record = make()
    try:
        with session.begin_nested():
            session.add(record)
    except IntegrityError:
        found = find()
        if found is None:
            raise  # no concurrent insert: the row itself breaks a constraint
        return found
    return record


# --- seasons ---------------------------------------------------------------------------


def current_season(session: Session) -> MatchSeason | None:
    """The season the ranking pages work on: the latest one."""
    return session.scalars(select(MatchSeason).order_by(MatchSeason.year.desc()).limit(1)).first()


def list_seasons(session: Session) -> list[MatchSeason]:
    return list(session.scalars(select(MatchSeason).order_by(MatchSeason.year.desc())))


def get_season(session: Session, season_id: int) -> MatchSeason:
    season = session.get(MatchSeason, season_id)
    if season is None:
        raise NotFound("No such match season.")
    return season


def _aware(moment: datetime, zone: ZoneInfo) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _apply_dates(season: MatchSeason, form: SeasonForm, zone: ZoneInfo) -> None:
    season.rol_opens_at = _aware(form.rol_opens_at, zone)
    season.certify_deadline = _aware(form.certify_deadline, zone)
    season.release_at = _aware(form.release_at, zone)


def create_season(session: Session, form: SeasonForm, *, zone: ZoneInfo) -> MatchSeason:
    """One season per year; its dates in order (checked by ``SeasonForm``)."""
    if session.scalar(select(MatchSeason.id).where(MatchSeason.year == form.year)) is not None:
        raise InvalidInput([FieldError("year", f"a season for {form.year} already exists")])
    season = MatchSeason(year=form.year)
    _apply_dates(season, form, zone)
    session.add(season)
    session.commit()
    return season


def update_season(
    session: Session, season_id: int, form: SeasonForm, *, zone: ZoneInfo
) -> MatchSeason:
    """New dates for a season, until the match has run: a stored run was made under the
    season's deadline and its results are released at the season's time (rule 6: a run stays
    explainable), so after the first run the dates are final."""
    season = session.get(MatchSeason, season_id, with_for_update=True)
    if season is None:
        raise NotFound("No such match season.")
    if form.year != season.year:
        raise InvalidInput([FieldError("year", "the year of a season cannot change")])
    run = session.scalars(
        select(MatchRun).where(MatchRun.season_id == season.id).order_by(MatchRun.id).limit(1)
    ).first()
    if run is not None:
        raise Conflict(
            f"The match of this season has run (run {run.id}, "
            f"{run.created_at:%Y-%m-%d %H:%M} UTC): its dates can no longer change."
        )
    _apply_dates(season, form, zone)
    session.commit()
    return season


# --- quotas ----------------------------------------------------------------------------


def get_quota(session: Session, season_id: int, program_id: int) -> int | None:
    return session.scalar(
        select(MatchQuota.quota).where(
            MatchQuota.season_id == season_id, MatchQuota.program_id == program_id
        )
    )


def set_quota(
    session: Session, season: MatchSeason, program_id: int, quota: int, *, now: datetime
) -> None:
    """A program sets the positions it offers; quotas are fixed once certification closes.
    Two first saves at once end with one quota (the later one) and no error."""
    if now >= season.certify_deadline:
        raise Conflict("The certification deadline has passed; the quota is final.")
    query = select(MatchQuota).where(
        MatchQuota.season_id == season.id, MatchQuota.program_id == program_id
    )
    record = _get_or_insert(
        session,
        lambda: session.scalars(query.with_for_update()).first(),
        lambda: MatchQuota(season_id=season.id, program_id=program_id, quota=quota),
    )
    record.quota = quota
    session.commit()


# --- rank order lists ------------------------------------------------------------------


def _find_list(
    session: Session, season_id: int, owner: Owner, *, lock: bool = False
) -> RankList | None:
    """The owner's list; ``lock`` holds its row until commit (PostgreSQL), so two quick
    changes to one list are applied one after the other (SQLite writers are serial anyway)."""
    column = RankList.applicant_user_id if owner.kind == "applicant" else RankList.program_id
    query = select(RankList).where(RankList.season_id == season_id, column == owner.id)
    return session.scalars(query.with_for_update() if lock else query).first()


def _entries(session: Session, rank_list: RankList | None) -> list[RankEntry]:
    if rank_list is None:
        return []
    return list(
        session.scalars(
            select(RankEntry).where(RankEntry.list_id == rank_list.id).order_by(RankEntry.rank)
        )
    )


def _target(entry: RankEntry, owner: Owner) -> int:
    target = entry.ranked_program_id if owner.kind == "applicant" else entry.ranked_applicant_id
    assert target is not None
    return target


def interviewed_targets(session: Session, owner: Owner, now: datetime) -> set[int]:
    """Whom the owner may rank: the other side of every interview that has begun."""
    if owner.kind == "applicant":
        pairs = interview_queries.interviewed_pairs(session, now, applicant_user_id=owner.id)
        return {program_id for program_id, _ in pairs}
    pairs = interview_queries.interviewed_pairs(session, now, program_id=owner.id)
    return {user_id for _, user_id in pairs}


def _scores(session: Session, program_id: int, viewer_id: int | None) -> dict[int, float]:
    """Mean interview score per applicant, when the interviews domain offers scores.

    ``interview_scores`` belongs to the interviews domain and may not exist yet; it is
    expected to take the session and ``program_id`` and map applicant user id to a mean;
    a ``viewer_id`` keyword leaves out the viewer's own score.
    """
    scores = getattr(interview_queries, "interview_scores", None)
    if scores is None:
        return {}
    result: dict[int, float] = {
        int(k): float(v)
        for k, v in scores(session, program_id=program_id, viewer_id=viewer_id).items()
        if v is not None
    }
    return result


def _interview_times(session: Session, owner: Owner, now: datetime) -> dict[int, datetime]:
    """When the owner's interviews with each counterpart began (the earliest, if several)."""
    mine, other = (
        (InterviewBooking.applicant_user_id, InterviewBooking.program_id)
        if owner.kind == "applicant"
        else (InterviewBooking.program_id, InterviewBooking.applicant_user_id)
    )
    rows = session.execute(
        select(other, func.min(InterviewSlot.starts_at))
        .join(InterviewSlot, InterviewSlot.id == InterviewBooking.slot_id)
        .where(mine == owner.id, InterviewSlot.starts_at <= now)
        .group_by(other)
    )
    return {int(target): _as_utc(moment) for target, moment in rows}


def _as_utc(moment: datetime) -> datetime:
    # An aggregate bypasses the column type, so SQLite hands back a naive UTC value.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _candidates(
    session: Session, owner: Owner, ids: set[int], now: datetime, viewer_id: int | None = None
) -> dict[int, Candidate]:
    if not ids:
        return {}
    when = _interview_times(session, owner, now)
    if owner.kind == "applicant":
        programs = session.scalars(select(Program).where(Program.id.in_(ids)))
        return {p.id: Candidate(p.id, p.display_name, None, when.get(p.id)) for p in programs}
    scores = _scores(session, owner.id, viewer_id)
    users = session.scalars(select(User).where(User.id.in_(ids)))
    return {u.id: Candidate(u.id, u.full_name, scores.get(u.id), when.get(u.id)) for u in users}


def _closed_reason(season: MatchSeason, now: datetime) -> str | None:
    if now < season.rol_opens_at:
        return f"Rank order lists open on {season.rol_opens_at:%Y-%m-%d %H:%M} UTC."
    if now >= season.certify_deadline:
        return (
            f"The certification deadline ({season.certify_deadline:%Y-%m-%d %H:%M} UTC) has "
            "passed; lists are final."
        )
    return None


def short_list_rule(owner: Owner, quota: int | None) -> str:
    if owner.kind == "applicant":
        return (
            f"Applicants who rank fewer than {APPLICANT_SHORT_LIST} programs go unmatched far "
            "more often: rank every program you would be glad to train at."
        )
    need = f" ({PROGRAM_RANKS_PER_POSITION * quota} for a quota of {quota})" if quota else ""
    return (
        f"Programs that rank fewer than {PROGRAM_RANKS_PER_POSITION} applicants per position "
        f"often go unfilled: rank at least {PROGRAM_RANKS_PER_POSITION} × quota{need}."
    )


def _short_list_warning(owner: Owner, length: int, quota: int | None) -> str | None:
    if owner.kind == "applicant":
        if length < APPLICANT_SHORT_LIST:
            return f"Your list is short: {length} of the recommended {APPLICANT_SHORT_LIST}."
        return None
    if quota is None:
        return "Set your quota: the match needs the number of positions you offer."
    if length < PROGRAM_RANKS_PER_POSITION * quota:
        return (
            f"Your list is short: {length} applicants ranked for {quota} positions; "
            f"at least {PROGRAM_RANKS_PER_POSITION * quota} are recommended."
        )
    return None


def list_view(
    session: Session, season: MatchSeason, owner: Owner, now: datetime,
    viewer_id: int | None = None,
) -> ListView:  # fmt: skip
    """The owner's list with names, who was interviewed and not yet ranked, and warnings.

    ``viewer_id``, a member reading a program's list, never sees their own row nor score
    (ranks keep their numbers; warnings count the whole list)."""
    rank_list = _find_list(session, season.id, owner)
    entries = _entries(session, rank_list)
    interviewed = interviewed_targets(session, owner, now)
    ranked = [_target(e, owner) for e in entries]
    hidden = viewer_id if owner.kind == "program" else None
    people = _candidates(session, owner, interviewed | set(ranked), now, hidden)
    rows = [
        RankRow(e.rank, people[t], t in interviewed)
        for e, t in zip(entries, ranked, strict=True)
        if t != hidden
    ]
    unranked = sorted(
        (people[t] for t in interviewed - set(ranked) if t != hidden),
        key=lambda c: (c.name.lower(), c.id),
    )
    quota = get_quota(session, season.id, owner.id) if owner.kind == "program" else None
    certified_at = rank_list.certified_at if rank_list else None
    reason = _closed_reason(season, now)
    return ListView(
        season=season,
        owner=owner,
        rows=rows,
        unranked=unranked,
        certified_at=certified_at,
        editable=reason is None and certified_at is None,
        closed_reason=reason,
        quota=quota,
        short_list_rule=short_list_rule(owner, quota),
        short_list_warning=_short_list_warning(owner, len(entries), quota),
        conflicted=hidden is not None and hidden in interviewed | set(ranked),
    )


OWN_LIST = (
    "You interviewed at this program as an applicant, so you cannot change or certify its "
    "rank order list; another program director does."
)


def _refuse_own_list(
    session: Session, season: MatchSeason, owner: Owner, actor_id: int | None, now: datetime
) -> None:
    """403 when a member changing a program's list is a candidate on it: an applicant the
    program interviewed or ranked (every change moves them relative to the others)."""
    if owner.kind != "program" or actor_id is None:
        return
    ranked = session.scalar(
        select(RankEntry.id)
        .join(RankList, RankList.id == RankEntry.list_id)
        .where(RankList.season_id == season.id, RankList.program_id == owner.id,
               RankEntry.ranked_applicant_id == actor_id)
    )  # fmt: skip
    if ranked is not None or actor_id in interviewed_targets(session, owner, now):
        raise PermissionDenied(OWN_LIST)


def _editable_list(
    session: Session, season: MatchSeason, owner: Owner, now: datetime,
    actor_id: int | None = None,
) -> RankList:  # fmt: skip
    _refuse_own_list(session, season, owner, actor_id, now)
    reason = _closed_reason(season, now)
    if reason is not None:
        raise Conflict(reason)
    rank_list = _get_or_insert(
        session,
        lambda: _find_list(session, season.id, owner, lock=True),
        lambda: RankList(
            season_id=season.id,
            program_id=owner.id if owner.kind == "program" else None,
            applicant_user_id=owner.id if owner.kind == "applicant" else None,
            updated_at=now,
        ),
    )
    if rank_list.certified_at is not None:
        raise Conflict("This list is certified; reopen it before making changes.")
    return rank_list


def _renumber(session: Session, entries: list[RankEntry]) -> None:
    """Give ``entries`` the ranks 1..n in this order without breaking unique ranks midway:
    the moved entries first go to distinct negative ranks, then to their final ones."""
    moved = [(i, e) for i, e in enumerate(entries, start=1) if e.rank != i]
    for i, entry in moved:
        entry.rank = -i
    session.flush()
    for i, entry in moved:
        entry.rank = i
    session.flush()


def _touch(rank_list: RankList, now: datetime) -> None:
    rank_list.updated_at = now


def add_entry(
    session: Session, season: MatchSeason, owner: Owner, target_id: int, *, now: datetime,
    actor_id: int | None = None,
) -> int:  # fmt: skip
    """Put an interviewed candidate at the end of the owner's list; returns their rank.
    ``actor_id``: the program member making the change (see ``_refuse_own_list``)."""
    rank_list = _editable_list(session, season, owner, now, actor_id)
    entries = _entries(session, rank_list)
    field = owner.target_field
    for entry in entries:
        if _target(entry, owner) == target_id:
            raise InvalidInput([FieldError(field, f"already on the list at rank {entry.rank}")])
    if target_id not in interviewed_targets(session, owner, now):
        other = (
            "program did not interview you"
            if owner.kind == "applicant"
            else ("applicant was not interviewed by this program")
        )
        raise InvalidInput([FieldError(field, f"this {other}; only interviewed pairs rank")])
    if len(entries) >= MAX_RANKS:
        raise InvalidInput([FieldError(field, f"a list holds at most {MAX_RANKS} ranks")])
    rank = len(entries) + 1
    session.add(
        RankEntry(
            list_id=rank_list.id,
            rank=rank,
            ranked_program_id=target_id if owner.kind == "applicant" else None,
            ranked_applicant_id=target_id if owner.kind == "program" else None,
        )
    )
    _touch(rank_list, now)
    session.commit()
    return rank


def _entry_of(entries: list[RankEntry], owner: Owner, target_id: int) -> RankEntry:
    for entry in entries:
        if _target(entry, owner) == target_id:
            return entry
    raise NotFound("That entry is not on the list.")


def move_entry(
    session: Session,
    season: MatchSeason,
    owner: Owner,
    target_id: int,
    position: int,
    *,
    now: datetime,
    actor_id: int | None = None,
) -> int:
    """Move one entry to ``position`` (1-based); the others keep their relative order."""
    rank_list = _editable_list(session, season, owner, now, actor_id)
    entries = _entries(session, rank_list)
    entry = _entry_of(entries, owner, target_id)
    if not 1 <= position <= len(entries):
        raise InvalidInput(
            [FieldError("position", f"must be between 1 and {len(entries)}, got {position}")]
        )
    entries.remove(entry)
    entries.insert(position - 1, entry)
    _renumber(session, entries)
    _touch(rank_list, now)
    session.commit()
    return position


def remove_entry(
    session: Session, season: MatchSeason, owner: Owner, target_id: int, *, now: datetime,
    actor_id: int | None = None,
) -> None:  # fmt: skip
    rank_list = _editable_list(session, season, owner, now, actor_id)
    entries = _entries(session, rank_list)
    entry = _entry_of(entries, owner, target_id)
    entries.remove(entry)
    session.execute(delete(RankEntry).where(RankEntry.id == entry.id))
    session.flush()
    _renumber(session, entries)
    _touch(rank_list, now)
    session.commit()


def certify(
    session: Session, season: MatchSeason, owner: Owner, *, by_user_id: int, now: datetime
) -> None:
    """Certify the list: only certified lists enter the match. A program needs a quota; its
    certifier is not a candidate on it."""
    rank_list = _editable_list(session, season, owner, now, by_user_id)
    count = session.scalar(
        select(func.count(RankEntry.id)).where(RankEntry.list_id == rank_list.id)
    )
    if not count:
        raise InvalidInput([FieldError(owner.target_field, "rank at least one before certifying")])
    if owner.kind == "program" and get_quota(session, season.id, owner.id) is None:
        raise InvalidInput([FieldError("quota", "set the quota before certifying the list")])
    rank_list.certified_at = now
    rank_list.certified_by_user_id = by_user_id
    _touch(rank_list, now)
    session.commit()


def reopen(
    session: Session, season: MatchSeason, owner: Owner, *, now: datetime,
    actor_id: int | None = None,
) -> None:  # fmt: skip
    """Reopen a certified list for changes; only before the certification deadline."""
    _refuse_own_list(session, season, owner, actor_id, now)
    if now >= season.certify_deadline:
        raise Conflict(
            f"The certification deadline ({season.certify_deadline:%Y-%m-%d %H:%M} UTC) has "
            "passed; a certified list can no longer be reopened."
        )
    rank_list = _find_list(session, season.id, owner, lock=True)
    if rank_list is None or rank_list.certified_at is None:
        raise Conflict("This list is not certified.")
    rank_list.certified_at = None
    rank_list.certified_by_user_id = None
    _touch(rank_list, now)
    session.commit()


def certified_lists(session: Session, season_id: int) -> list[tuple[RankList, list[RankEntry]]]:
    lists = session.scalars(
        select(RankList)
        .where(RankList.season_id == season_id, RankList.certified_at.is_not(None))
        .order_by(RankList.id)
    )
    return [(rl, _entries(session, rl)) for rl in lists]


def all_lists(session: Session, season_id: int) -> list[tuple[RankList, list[RankEntry]]]:
    lists = session.scalars(
        select(RankList).where(RankList.season_id == season_id).order_by(RankList.id)
    )
    return [(rl, _entries(session, rl)) for rl in lists]


def quotas(session: Session, season_id: int) -> dict[int, int]:
    rows = session.execute(
        select(MatchQuota.program_id, MatchQuota.quota).where(MatchQuota.season_id == season_id)
    )
    return {int(p): int(q) for p, q in rows}
