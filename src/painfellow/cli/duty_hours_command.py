"""``painfellow duty-hours check SHIFTS.csv``: work-hour findings as JSON.

Exit status: 0 when there is no violation (warnings allowed), 1 when there are violations,
2 on bad input (message on stderr with the line number and reason). Thin wrapper: the
rules live in :mod:`painfellow.core.duty_hours`.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from painfellow.core.duty_hours import (
    Severity,
    ShiftInputError,
    academic_calendar,
    block_calendar,
    check_shift_table,
    from_seconds,
    parse_shift_rows,
)

EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_BAD_INPUT = 2


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="painfellow duty-hours",
        description="Check logged shifts against the ACGME clinical and educational "
        "work-hour rules.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser(
        "check",
        help="check a shifts CSV (fellow_id,start,end,kind) and print findings as JSON",
    )
    check.add_argument("shifts", help="CSV file with header fellow_id,start,end,kind")
    check.add_argument(
        "--period-start",
        action="append",
        type=_date,
        default=[],
        metavar="YYYY-MM-DD",
        help="start of a 4-week block of the program's own calendar (repeat for each block); "
        "default: 4-week periods from July 1",
    )
    return parser


def _check(path: str, period_starts: list[date]) -> int:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            parsed = parse_shift_rows(handle)
    except ShiftInputError as error:
        print(f"{path}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, UnicodeDecodeError) as error:
        print(f"cannot read {path}: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    table = parsed.table
    if period_starts:
        calendar = block_calendar(period_starts)
    elif len(table):
        first = from_seconds(int(table.start.min())).date()
        last = from_seconds(int(table.end.max()) - 1).date()
        calendar = academic_calendar(first, last)
    else:
        print("[]")
        return EXIT_OK
    findings = check_shift_table(table, calendar).to_findings()
    out = [
        {
            "fellow_id": f.fellow_id,
            "rule": f.rule.value,
            "severity": f.severity.value,
            "start": f.start.isoformat(),
            "end": f.end.isoformat(),
            "detail": f.detail,
            "excess": round(f.excess, 4),
        }
        for f in findings
    ]
    sys.stdout.write(json.dumps(out, indent=1))
    sys.stdout.write("\n")
    violated = any(f.severity is Severity.VIOLATION for f in findings)
    return EXIT_VIOLATIONS if violated else EXIT_OK


def main(argv: list[str]) -> int:
    """Run ``painfellow duty-hours`` with ``argv`` (without the word "duty-hours")."""
    args = _parser().parse_args(argv)
    if args.command == "check":
        return _check(args.shifts, args.period_start)
    return EXIT_BAD_INPUT  # pragma: no cover - argparse requires a known command
