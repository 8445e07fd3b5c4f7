from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, select, text

from painfellow.db.backup import backup, restore
from painfellow.db.engine import make_engine, make_session_factory
from painfellow.db.migrate import upgrade
from painfellow.db.models import Base
from painfellow.demo.loader import load_demo
from painfellow.outbox.service import enqueue_email
from painfellow.programs.models import Program
from tests.builders import FIXED_NOW


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for table in Base.metadata.sorted_tables
        }


def test_backup_then_restore_round_trips_every_table(
    scratch_database_url: str, tmp_path: Path
) -> None:
    upgrade(scratch_database_url)
    engine = make_engine(scratch_database_url)
    factory = make_session_factory(engine)
    with factory() as session:
        load_demo(session, today=FIXED_NOW.date())
        enqueue_email(session, recipient="a@example.org", subject="s", body="b", now=FIXED_NOW)
        session.commit()
    before = _snapshot(engine)
    assert all(before[name] for name in ("users", "programs", "memberships", "audit_entries"))

    archive = tmp_path / "backup.dump"
    backup(scratch_database_url, archive)
    assert archive.stat().st_size > 0

    with factory() as session:
        session.execute(delete(Program).where(Program.id > 50))
        session.execute(text("DELETE FROM outbox_messages"))
        session.commit()
    assert _snapshot(engine) != before
    engine.dispose()

    restore(scratch_database_url, archive)
    engine = make_engine(scratch_database_url)
    assert _snapshot(engine) == before
    engine.dispose()
