"""First changes to a rank order list (and a quota) made twice at the same moment, on real,
separately committed connections as concurrent requests meet them: both succeed and there is
one list. Runs on SQLite and, with PAINFELLOW_TEST_DB=postgresql, on PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import Engine, delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from painfellow.accounts.models import User
from painfellow.db.engine import begin_write
from painfellow.match_season import service
from painfellow.match_season.models import MatchQuota, MatchSeason, RankEntry, RankList
from painfellow.match_season.service import Owner
from painfellow.outbox.models import OutboxMessage
from painfellow.programs.models import Program
from tests.builders import FIXED_NOW, make_program, race
from tests.match_season.helpers import applicant, interview

RACERS = 4
YEAR = 2093  # far from the seasons other tests make


@dataclass
class World:
    season_id: int
    programs: list[int]
    applicant_id: int


@pytest.fixture
def committed(migrated_engine: Engine) -> Iterator[sessionmaker[Session]]:
    factory = sessionmaker(bind=migrated_engine, expire_on_commit=False)
    yield factory
    with factory() as session:  # seasons cascade to lists, entries and quotas
        season_ids = select(MatchSeason.id).where(MatchSeason.year == YEAR)
        session.execute(delete(MatchSeason).where(MatchSeason.id.in_(season_ids)))
        session.execute(delete(Program).where(Program.institution.like("Race Institution %")))
        session.execute(delete(User).where(User.full_name.like("Race Applicant %")))
        session.execute(delete(OutboxMessage))
        session.commit()


@pytest.fixture
def world(committed: sessionmaker[Session]) -> World:
    """An open season and one applicant interviewed (in the past) by ``RACERS`` programs."""
    with committed() as db:
        season = MatchSeason(
            year=YEAR,
            rol_opens_at=FIXED_NOW - timedelta(days=20),
            certify_deadline=FIXED_NOW + timedelta(days=11),
            release_at=FIXED_NOW + timedelta(days=18),
        )
        db.add(season)
        person = applicant(db, "Race Applicant 1")
        programs = [make_program(db, institution=f"Race Institution {n}") for n in range(RACERS)]
        for program in programs:
            interview(db, program, person)
        db.commit()
        return World(season.id, [p.id for p in programs], person.id)


def _as_request(action: Callable[[Session], object]) -> Callable[[Session], str]:
    """``action`` in a session that, like every POST request, begins as a writer (SQLite:
    BEGIN IMMEDIATE); "ok" when it returns."""

    def call(session: Session) -> str:
        begin_write(session)
        action(session)
        return "ok"

    return call


def test_first_additions_to_one_list_at_once_make_one_list(
    committed: sessionmaker[Session], world: World
) -> None:
    owner = Owner("applicant", world.applicant_id)

    def add(program_id: int) -> Callable[[Session], object]:
        def call(session: Session) -> object:
            season = service.get_season(session, world.season_id)
            return service.add_entry(session, season, owner, program_id, now=FIXED_NOW)

        return call

    outcomes = race(committed, [_as_request(add(p)) for p in world.programs])
    assert outcomes == Counter({"ok": RACERS})
    with committed() as db:
        lists = db.scalars(
            select(RankList).where(
                RankList.season_id == world.season_id,
                RankList.applicant_user_id == world.applicant_id,
            )
        ).all()
        assert len(lists) == 1
        entries = db.execute(
            select(RankEntry.rank, RankEntry.ranked_program_id).where(
                RankEntry.list_id == lists[0].id
            )
        ).all()
        assert sorted(rank for rank, _ in entries) == list(range(1, RACERS + 1))
        assert sorted(program for _, program in entries) == sorted(world.programs)


def test_first_quota_saves_at_once_keep_one_quota(
    committed: sessionmaker[Session], world: World
) -> None:
    program_id = world.programs[0]

    def save(quota: int) -> Callable[[Session], object]:
        def call(session: Session) -> object:
            season = service.get_season(session, world.season_id)
            service.set_quota(session, season, program_id, quota, now=FIXED_NOW)
            return None

        return call

    outcomes = race(committed, [_as_request(save(q)) for q in range(1, RACERS + 1)])
    assert outcomes == Counter({"ok": RACERS})
    with committed() as db:
        quotas = db.scalars(
            select(MatchQuota.quota).where(
                MatchQuota.season_id == world.season_id, MatchQuota.program_id == program_id
            )
        ).all()
        assert len(quotas) == 1 and quotas[0] in range(1, RACERS + 1)


def test_a_genuinely_invalid_first_quota_is_not_taken_for_a_lost_race(
    committed: sessionmaker[Session], world: World
) -> None:
    """The savepoint swallows only the race: a row that breaks a constraint still fails."""
    from sqlalchemy.exc import IntegrityError

    with committed() as db:
        season = service.get_season(db, world.season_id)
        with pytest.raises(IntegrityError):
            service.set_quota(db, season, world.programs[0], 0, now=FIXED_NOW)
        db.rollback()
        count = db.scalar(
            select(func.count())
            .select_from(MatchQuota)
            .where(MatchQuota.season_id == world.season_id)
        )
        assert count == 0
