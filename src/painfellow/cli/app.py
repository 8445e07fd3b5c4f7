"""The Typer application: every command except the lean file-in/file-out ones."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from painfellow import __version__

app = typer.Typer(no_args_is_help=True, add_completion=False, help="painfellow command line")
db_app = typer.Typer(no_args_is_help=True, help="Database schema")
demo_app = typer.Typer(no_args_is_help=True, help="Demo data")
users_app = typer.Typer(no_args_is_help=True, help="User accounts")
outbox_app = typer.Typer(no_args_is_help=True, help="Email outbox")
app.add_typer(db_app, name="db")
app.add_typer(demo_app, name="demo")
app.add_typer(users_app, name="users")
app.add_typer(outbox_app, name="outbox")
console = Console(stderr=True)

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database-url", help="Overrides PAINFELLOW_DATABASE_URL", show_default=False),
]


def _settings(database_url: str | None = None):  # type: ignore[no-untyped-def]
    from painfellow.settings import Settings

    if database_url:
        os.environ["PAINFELLOW_DATABASE_URL"] = database_url
    settings = Settings()
    if settings.database_url.startswith("sqlite:///"):
        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    return settings


def _session_factory(database_url: str):  # type: ignore[no-untyped-def]
    from painfellow.db.engine import make_engine, make_session_factory

    return make_session_factory(make_engine(database_url))


@app.callback()
def _root() -> None:
    """Run and administer a painfellow installation."""


@app.command()
def version() -> None:
    """Print the installed version."""
    typer.echo(__version__)


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64)] = 1,
    database_url: DatabaseOption = None,
) -> None:
    """Serve the web application with uvicorn (each worker keeps no state of its own)."""
    from painfellow.web.server import serve as run_server

    settings = _settings(database_url)
    console.print(f"painfellow {__version__} on http://{host}:{port} ({settings.database_url})")
    run_server(host, port, workers)


@db_app.command("upgrade")
def db_upgrade(revision: str = "heads", database_url: DatabaseOption = None) -> None:
    """Apply the Alembic migrations."""
    from painfellow.db.migrate import upgrade

    settings = _settings(database_url)
    upgrade(settings.database_url, revision)
    console.print(f"database at {revision}")


@demo_app.command("load")
def demo_load(database_url: DatabaseOption = None) -> None:
    """Load the demo programs and people (skipped if programs already exist)."""
    from painfellow.demo.loader import DEMO_PASSWORD, load_demo

    settings = _settings(database_url)
    with _session_factory(settings.database_url)() as session:
        logins = load_demo(session, today=datetime.now(UTC).date(), progress=console)
    if logins is None:
        console.print("demo data already present; nothing loaded")
        return
    print_logins(logins, DEMO_PASSWORD)


def print_logins(logins: list[tuple[str, str]], password: str) -> None:
    from rich.table import Table

    table = Table(title=f"Demo logins (password for all: {password})")
    table.add_column("Role")
    table.add_column("Email")
    for role, email in logins:
        table.add_row(role, email)
    Console().print(table)


@demo_app.command("logins")
def demo_logins() -> None:
    """Print the demo logins."""
    from painfellow.demo.loader import DEMO_PASSWORD
    from painfellow.demo.loader import demo_logins as logins

    print_logins(logins(), DEMO_PASSWORD)


@users_app.command("create")
def users_create(
    email: Annotated[str, typer.Option()],
    name: Annotated[str, typer.Option()],
    role: Annotated[
        list[str], typer.Option(help="ROLE or ROLE:PROGRAM_ID, e.g. platform_admin, faculty:3")
    ],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)],
    database_url: DatabaseOption = None,
) -> None:
    """Create a user with one or more roles."""
    from painfellow.accounts.roles import Role
    from painfellow.accounts.service import create_user
    from painfellow.errors import DomainError, InvalidInput

    grants: list[tuple[int | None, Role]] = []
    for item in role:
        name_part, _, program = item.partition(":")
        try:
            grants.append((int(program) if program else None, Role(name_part)))
        except ValueError as error:
            raise typer.BadParameter(f"{item!r}: {error}", param_hint="--role") from error
    settings = _settings(database_url)
    with _session_factory(settings.database_url)() as session:
        try:
            user = create_user(
                session, email=email, full_name=name, password=password, roles=grants
            )
        except InvalidInput as error:
            for e in error.errors:
                console.print(f"[red]{e.field}[/red]: {e.message}")
            raise typer.Exit(2) from error
        except DomainError as error:
            console.print(f"[red]{error.message}[/red]")
            raise typer.Exit(2) from error
    console.print(f"created user {user.id} <{user.email}>")


@app.command()
def backup(path: Path, database_url: DatabaseOption = None) -> None:
    """Write an online backup of the database to PATH."""
    from painfellow.db.backup import BackupError
    from painfellow.db.backup import backup as run_backup

    settings = _settings(database_url)
    try:
        run_backup(settings.database_url, path)
    except BackupError as error:
        console.print(f"[red]backup failed:[/red] {error}")
        raise typer.Exit(1) from error
    console.print(f"backup written to {path} ({path.stat().st_size:,} bytes)")


@app.command()
def restore(path: Path, database_url: DatabaseOption = None) -> None:
    """Replace the database's contents with the backup at PATH."""
    from painfellow.db.backup import BackupError
    from painfellow.db.backup import restore as run_restore

    settings = _settings(database_url)
    try:
        run_restore(settings.database_url, path)
    except BackupError as error:
        console.print(f"[red]restore failed:[/red] {error}")
        raise typer.Exit(1) from error
    console.print(f"restored from {path}")


@outbox_app.command("run")
def outbox_run(
    once: Annotated[bool, typer.Option(help="Drain what is pending, then stop")] = False,
    poll_seconds: Annotated[float, typer.Option(min=0.1)] = 5.0,
    database_url: DatabaseOption = None,
) -> None:
    """Deliver queued email. Safe to run in several copies at once."""
    from painfellow.outbox.service import deliver_pending, make_delivery

    settings = _settings(database_url)
    factory = _session_factory(settings.database_url)
    deliver = make_delivery(settings, echo=typer.echo)
    total = 0
    while True:
        with factory() as session:
            count = deliver_pending(session, deliver, now=datetime.now(UTC))
        total += count
        if count:
            continue
        if once:
            break
        time.sleep(poll_seconds)
    console.print(f"{total} message(s) processed")


def run_typer(args: list[str]) -> int:
    try:
        app(args=args, prog_name="painfellow")
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        return 1
    return 0
