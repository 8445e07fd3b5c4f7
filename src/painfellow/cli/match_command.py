"""``painfellow match``: run, verify and simulate a match from JSON files.

A file-in, file-out contract used by other tools, so it is dispatched before Typer, and
its speed includes interpreter start-up. ``run`` on a plain document of single applicants
(no couples, reversions or withdrawals; ids of printable ASCII) runs in C from the file's
bytes to the RESULT's (``painfellow.core.matching._fastrun``: the same result, byte for
byte); anything else, invalid input included, runs in Python. There ``run`` imports only
what it uses (json's C scanner and encoder without the json package and re, the compile
step and the engine; argparse only for unusual argument shapes, the dataclass types only
for couples or ``--stats``, the couples phase only when there are couples), ``verify``
adds the stability checker, and numpy and rich load only for ``simulate``. (orjson was
measured here and did not help: in a fresh process the parse is dominated by allocating
the objects, and it imports more.)

Exit codes: 0 success (``verify``: stable and applicant-optimal), 1 ``verify`` found
violations, 2 invalid input (one line on stderr naming the offending entry).
"""

from __future__ import annotations

import os
import sys

# Annotations only: importing typing costs the command-line run several milliseconds.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

    from painfellow.core.matching.types import Instance


class _Usage(Exception):
    """Invalid input: reported on one line, exit status 2."""


def _load_json(path: str) -> Any:
    return _parse_json(path, _read(path))


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise _Usage(f"{path}: cannot read ({exc.strerror})") from None


def _parse_json(path: str, data: bytes) -> Any:
    if not data.strip():
        raise _Usage(f"{path}: empty document")
    quick = _scan_json(data)
    if quick is not _NOT_SCANNED:
        return quick
    import json

    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise _Usage(f"{path}: not valid JSON ({exc})") from None


_NOT_SCANNED = object()
_JSON_SPACE = " \t\n\r"


class _ScanContext:
    """What ``json.JSONDecoder`` hands to the C scanner, for ``json.loads`` defaults."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = {
        "-Infinity": float("-inf"),
        "Infinity": float("inf"),
        "NaN": float("nan"),
    }.__getitem__


def _scan_json(data: bytes) -> Any:
    """``json.loads(data)`` through CPython's C scanner directly, or ``_NOT_SCANNED``.

    Importing the json package imports re (with enum, functools and collections), a
    measurable share of a small run's start-up; the C scanner that json.loads uses is in
    the ``_json`` module. Anything out of the ordinary (no ``_json``, not plain UTF-8, a
    byte order mark, any error, trailing data) returns ``_NOT_SCANNED`` and goes through
    json.loads itself, so results and error messages are exactly json's.
    """
    try:
        from _json import make_scanner

        text = data.decode("utf-8")
    except (ImportError, UnicodeDecodeError):
        return _NOT_SCANNED
    if text.startswith("\ufeff"):
        return _NOT_SCANNED
    start = len(text) - len(text.lstrip(_JSON_SPACE))
    try:
        # (typeshed types the context as a scanner; at run time any object with the
        # attributes of _ScanContext will do, which is what json.JSONDecoder passes.)
        scan = make_scanner(_ScanContext())  # type: ignore[arg-type]
        value, end = scan(text, start)
    except Exception:  # json.loads reports it (JSONDecodeError, StopIteration, ...)
        return _NOT_SCANNED
    if text[end:].strip(_JSON_SPACE):
        return _NOT_SCANNED
    return value


def _dumps(document: Any) -> bytes:
    """``json.dumps(document, separators=(",", ":")).encode()`` with json's C encoder,
    without importing the json package (see :func:`_scan_json`)."""
    try:
        from _json import encode_basestring_ascii, make_encoder
    except ImportError:
        import json

        return json.dumps(document, separators=(",", ":")).encode()

    def default(o: object) -> Any:
        raise TypeError(f"Object of type {o.__class__.__name__} is not JSON serializable")

    encode = make_encoder({}, default, encode_basestring_ascii, None, ":", ",", False, False, True)
    return "".join(encode(document, 0)).encode()


def _load_instance(path: str) -> Instance:
    from painfellow.core.matching.instance_io import instance_from_document
    from painfellow.core.matching.types import InvalidInstance

    try:
        return instance_from_document(_load_json(path))
    except InvalidInstance as exc:
        raise _Usage(f"{path}: {exc}") from None


def _write_atomic(path: str, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temp file in the same directory and os.replace,
    so a reader never sees a partial file and a failed run leaves none behind."""
    # (tempfile is not imported: it costs start-up time; O_EXCL gives the same safety.)
    directory, name = os.path.split(os.path.abspath(path))
    tmp = os.path.join(directory, f".{name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:  # noqa: SIM105 (contextlib.suppress would import contextlib on the fast path)
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _run(instance_path: str, output_path: str, with_stats: bool, exit_when_done: bool) -> int:
    """``match run``: parse, validate and compile, solve, write RESULT.

    The run allocates a few million objects; none is part of a reference cycle, so the
    cyclic collector is off while it runs (it would only re-walk them, about a third of
    the run time on a national instance). With ``exit_when_done`` (the console entry
    point) the process ends here with ``os._exit`` once the result file is in place,
    instead of freeing every object one by one first (about 0.2 s at national scale).
    """
    import gc

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        status = _run_once(instance_path, output_path, with_stats, exit_when_done)
    finally:
        if was_enabled:
            gc.enable()
    return status


def _run_once(instance_path: str, output_path: str, with_stats: bool, exit_when_done: bool) -> int:
    data = _read(instance_path)
    plain = None if with_stats else _plain_result(data)
    if plain is None:
        return _run_in_python(instance_path, output_path, data, with_stats, exit_when_done)
    _write_result(output_path, plain)
    if exit_when_done:
        _exit_now(0)
    return 0


def _run_in_python(
    instance_path: str, output_path: str, data: bytes, with_stats: bool, exit_when_done: bool
) -> int:
    from painfellow.core.matching.engine import outcome_to_document, solve_compiled
    from painfellow.core.matching.rules import InvalidInstance
    from painfellow.core.matching.validate import compile_document

    # The document goes straight to int arrays (compile_document), with the same checks
    # and messages as instance_from_document + run_match, without a dataclass per entry;
    # without --stats the result document is built from the int arrays too, so a run on
    # singles never imports the dataclass types (see painfellow.core.matching.rules).
    doc = _parse_json(instance_path, data)
    try:
        comp = compile_document(doc)
        outcome = solve_compiled(comp)
    except InvalidInstance as exc:
        raise _Usage(f"{instance_path}: {exc}") from None
    if with_stats:
        from painfellow.core.matching.engine import result_from_outcome
        from painfellow.core.matching.instance_io import instance_from_document, result_to_document
        from painfellow.core.matching.stats import match_stats

        result = result_from_outcome(comp, outcome)
        document = result_to_document(result, match_stats(instance_from_document(doc), result))
    else:
        document = outcome_to_document(comp, outcome)
    _write_result(output_path, _dumps(document) + b"\n")
    for line in outcome.blocking:
        print(f"warning: unstable with couples: {line}", file=sys.stderr)
    if exit_when_done:
        _exit_now(0)
    return 0


def _plain_result(data: bytes) -> bytes | None:
    """The RESULT bytes from the C run (``_fastrun.run_plain``) for a plain document of
    singles, or None: for anything else, or where the extension was not built, the Python
    path runs (and reports invalid input)."""
    try:
        from painfellow.core.matching._fastrun import run_plain
    except ImportError:
        return None
    return run_plain(data)


def _write_result(path: str, data: bytes) -> None:
    try:
        _write_atomic(path, data)
    except OSError as exc:
        raise _Usage(f"{path}: cannot write ({exc.strerror})") from None


def _exit_now(status: int) -> None:
    """End the process at once: flush the standard streams, skip the interpreter's
    teardown (it would free every object of the run, one by one)."""
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _cmd_run(args: argparse.Namespace) -> int:
    return _run(args.instance, args.output, args.stats, args.exit_when_done)


def _plain_run_args(argv: list[str]) -> tuple[str, str, bool] | None:
    """``(instance, output, stats)`` for the usual shapes of ``run`` (``run INSTANCE -o
    RESULT [--stats]``, options in any order), else None and argparse decides; argparse
    gives these shapes the same meaning, so this only saves importing it."""
    if len(argv) not in (4, 5) or argv[0] != "run":
        return None
    rest = argv[1:]
    stats = "--stats" in rest
    if stats:
        rest.remove("--stats")
    if len(rest) != 3:
        return None
    if rest[0] in ("-o", "--output"):
        output, instance = rest[1], rest[2]
    elif rest[1] in ("-o", "--output"):
        instance, output = rest[0], rest[2]
    else:
        return None
    if instance.startswith("-") or output.startswith("-"):
        return None
    return instance, output, stats


def _cmd_verify(args: argparse.Namespace) -> int:
    from painfellow.core.matching.instance_io import assignment_from_document
    from painfellow.core.matching.stability import check_applicant_optimal, check_stability
    from painfellow.core.matching.types import InvalidInstance

    instance = _load_instance(args.instance)
    try:
        matches, reverted = assignment_from_document(_load_json(args.result))
        problems = check_stability(instance, matches, reverted)
        problems += check_applicant_optimal(instance, matches, reverted)
    except InvalidInstance as exc:
        raise _Usage(f"{args.result}: {exc}") from None
    if problems:
        for v in problems:
            print(f"{v.kind}: {v.message}")
        return 1
    if any(not c.withdrawn for c in instance.couples):
        print("stable (with couples there is no applicant-optimal matching to compare with)")
    else:
        print("stable and applicant-optimal")
    return 0


def _cmd_simulate(args: argparse.Namespace) -> int:
    instance = _load_instance(args.instance)
    from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

    from painfellow.core.matching.simulation import simulate
    from painfellow.core.matching.types import InvalidInstance

    progress = Progress(
        TextColumn("simulating"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total} runs"),
        TimeRemainingColumn(),
        transient=True,
    )
    progress.console.file = sys.stderr
    with progress:
        task = progress.add_task("runs", total=args.runs)
        try:
            result = simulate(
                instance,
                program=args.program,
                applicant=args.applicant,
                runs=args.runs,
                noise_sd=args.noise,
                dropout=args.dropout,
                seed=args.seed,
                step=args.step,
                progress=lambda done: progress.update(task, completed=done),
            )
        except InvalidInstance as exc:
            raise _Usage(f"{args.instance}: {exc}") from None
    x_label = "ranked" if result.subject_kind == "program" else "list length"
    y_label = "P(fill)" if result.subject_kind == "program" else "P(match)"
    print(
        f"{result.subject_kind} {result.subject}: {result.runs} runs, noise sd "
        f"{result.noise_sd}, dropout {result.dropout}, seed {result.seed}"
    )
    print(f"{x_label:>12}  {y_label:>8}")
    for x, p in result.curve:
        print(f"{x:>12}  {p:>8.3f}")
    if args.json:
        import json

        doc = {
            "subject": result.subject,
            "subject_kind": result.subject_kind,
            "runs": result.runs,
            "noise_sd": result.noise_sd,
            "dropout": result.dropout,
            "seed": result.seed,
            "curve": [list(point) for point in result.curve],
        }
        try:
            _write_atomic(args.json, (json.dumps(doc, indent=2) + "\n").encode())
        except OSError as exc:
            raise _Usage(f"{args.json}: cannot write ({exc.strerror})") from None
    return 0


def _positive(text: str) -> int:
    import argparse

    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be >= 1, got {value}")
    return value


def _parser() -> argparse.ArgumentParser:
    import argparse

    class _Parser(argparse.ArgumentParser):
        def error(self, message: str) -> Any:  # argparse's own exit status is 2 as well
            raise _Usage(f"{self.prog}: {message}")

    parser = _Parser(prog="painfellow match", description="Run and check the fellowship match.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    run = sub.add_parser("run", help="run the match: INSTANCE.json -> RESULT.json")
    run.add_argument("instance", metavar="INSTANCE.json")
    run.add_argument("-o", "--output", required=True, metavar="RESULT.json")
    run.add_argument("--stats", action="store_true", help="add summary statistics")
    run.set_defaults(handler=_cmd_run)

    verify = sub.add_parser("verify", help="check a result is stable and applicant-optimal")
    verify.add_argument("instance", metavar="INSTANCE.json")
    verify.add_argument("result", metavar="RESULT.json")
    verify.set_defaults(handler=_cmd_verify)

    sim = sub.add_parser("simulate", help="fill / match probability under noisy preferences")
    sim.add_argument("instance", metavar="INSTANCE.json")
    who = sim.add_mutually_exclusive_group(required=True)
    who.add_argument("--program", metavar="ID")
    who.add_argument("--applicant", metavar="ID")
    sim.add_argument("--runs", type=_positive, default=1000)
    sim.add_argument("--noise", type=float, default=1.0, metavar="SD")
    sim.add_argument("--dropout", type=float, default=0.0, metavar="P")
    sim.add_argument("--step", type=_positive, default=5, help="program list-length step")
    sim.add_argument("--seed", type=int, default=0)
    sim.add_argument("--json", metavar="OUT", help="also write the curve as JSON")
    sim.set_defaults(handler=_cmd_simulate)
    return parser


def main(argv: list[str], *, exit_when_done: bool = False) -> int:
    """Entry point of ``painfellow match``; returns the exit status (0, 1 or 2).

    ``exit_when_done``: a successful ``run`` ends the process itself (see :func:`_run`);
    only the console entry point sets it.
    """
    try:
        plain = _plain_run_args(argv)
        if plain is not None:
            return _run(*plain, exit_when_done)
        args = _parser().parse_args(argv)
        args.exit_when_done = exit_when_done
        status: int = args.handler(args)
        return status
    except _Usage as exc:
        print(f"painfellow match: {exc}", file=sys.stderr)
        return 2
    except ValueError as exc:  # e.g. simulate's parameter range checks
        print(f"painfellow match: {exc}", file=sys.stderr)
        return 2
