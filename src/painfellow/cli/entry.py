"""Console entry point.

The match and duty-hours commands are a file-in, file-out contract used by other tools, and
their speed includes interpreter start-up, so they are dispatched here before Typer, FastAPI
or SQLAlchemy are imported. Every other command goes through the Typer application.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

LEAN_COMMANDS: dict[str, str] = {
    "match": "painfellow.cli.match_command",
    "duty-hours": "painfellow.cli.duty_hours_command",
}


def _lean_main(name: str) -> Callable[[list[str]], int]:
    import importlib

    module = importlib.import_module(LEAN_COMMANDS[name])
    main: Callable[[list[str]], int] = module.main
    return main


def main(argv: list[str] | None = None) -> int:
    """Run a command; ``argv`` defaults to the process's arguments.

    Called from the console script (no ``argv``), ``painfellow match run`` may end the
    process itself once its result file is written, skipping the interpreter's teardown.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "match":
        from painfellow.cli.match_command import main as match_main

        return match_main(args[1:], exit_when_done=argv is None)
    if args and args[0] in LEAN_COMMANDS:
        return _lean_main(args[0])(args[1:])
    from painfellow.cli.app import run_typer

    return run_typer(args)


if __name__ == "__main__":
    raise SystemExit(main())
