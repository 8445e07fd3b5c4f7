"""The Typer commands, run as a real subprocess against a scratch database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from painfellow.accounts.models import User
from painfellow.db.engine import make_engine


def _painfellow(database_url: str, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PAINFELLOW_DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "painfellow.cli.entry", *args],
        input=stdin, capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def test_upgrade_demo_users_backup_restore(scratch_database_url: str, tmp_path: Path) -> None:
    url = scratch_database_url
    assert _painfellow(url, "db", "upgrade").returncode == 0
    loaded = _painfellow(url, "demo", "load")
    assert loaded.returncode == 0, loaded.stderr
    assert "director@demo.painfellow.org" in loaded.stdout
    created = _painfellow(
        url, "users", "create", "--email", "ops@example.org", "--name", "Ops Person",
        "--role", "platform_admin", stdin="a-strong-password\na-strong-password\n",
    )  # fmt: skip
    assert created.returncode == 0, created.stdout + created.stderr
    duplicate = _painfellow(
        url, "users", "create", "--email", "ops@example.org", "--name", "Ops",
        "--role", "platform_admin", stdin="a-strong-password\na-strong-password\n",
    )  # fmt: skip
    assert duplicate.returncode == 2 and "already exists" in duplicate.stderr
    bad_role = _painfellow(
        url, "users", "create", "--email", "x@example.org", "--name", "X",
        "--role", "wizard", stdin="a-strong-password\na-strong-password\n",
    )  # fmt: skip
    assert bad_role.returncode == 2 and "wizard" in bad_role.stderr

    archive = tmp_path / "site.backup"
    assert _painfellow(url, "backup", str(archive)).returncode == 0
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(User.__table__.delete().where(User.email == "ops@example.org"))
    engine.dispose()
    restored = _painfellow(url, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    engine = make_engine(url)
    with engine.connect() as connection:
        count = connection.scalar(select(func.count()).where(User.email == "ops@example.org"))
    engine.dispose()
    assert count == 1


def test_outbox_worker_drains_once(scratch_database_url: str) -> None:
    url = scratch_database_url
    assert _painfellow(url, "db", "upgrade").returncode == 0
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "INSERT INTO outbox_messages (created_at, recipient, subject, body, status, attempts)"
            " VALUES ('2026-11-21 10:00:00', 'x@example.org', 'Subject line', 'Body text',"
            " 'pending', 0)"
        )
    engine.dispose()
    run = _painfellow(url, "outbox", "run", "--once")
    assert run.returncode == 0, run.stderr
    assert "Subject line" in run.stdout and "1 message(s) processed" in run.stderr
