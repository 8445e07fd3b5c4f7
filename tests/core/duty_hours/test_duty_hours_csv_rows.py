"""Parsing CSV shift rows (strings in) with line-numbered errors."""

from __future__ import annotations

import pytest

from painfellow.core.duty_hours import KindCode, ShiftInputError, parse_shift_rows

HEADER = "fellow_id,start,end,kind"


def parse(*rows: str, header: str = HEADER) -> object:
    return parse_shift_rows([header, *rows])


def error(*rows: str, header: str = HEADER) -> ShiftInputError:
    with pytest.raises(ShiftInputError) as caught:
        parse(*rows, header=header)
    return caught.value


def test_rows_become_a_sorted_table_with_their_line_numbers() -> None:
    parsed = parse_shift_rows(
        [
            HEADER,
            "F2,2024-07-02T07:00,2024-07-02T17:00,in_house",
            "",
            "F1,2024-07-03 07:00:00,2024-07-04T07:00,in_house_call",
            "F1,2024-07-01T07:00,2024-07-01T08:00,educational",
        ]
    )
    table = parsed.table
    assert table.fellow_ids == ("F2", "F1")
    # Sorted by fellow (first-seen order), then start.
    assert parsed.lines.tolist() == [2, 5, 4]
    assert table.kind.tolist() == [KindCode.IN_HOUSE, KindCode.EDUCATIONAL, KindCode.IN_HOUSE_CALL]


def test_columns_may_come_in_any_order() -> None:
    parsed = parse_shift_rows(
        ["kind,end,fellow_id,start", "leave,2024-07-02T00:00,F1,2024-07-01T00:00"]
    )
    assert int(parsed.table.kind[0]) == KindCode.LEAVE


@pytest.mark.parametrize(
    ("rows", "line", "reason"),
    [
        (["F1,2024-07-02T07:00,2024-07-02T06:00,in_house"], 2, "is before start"),
        (["F1,2024-07-02T07:00,2024-07-02T07:00,in_house"], 2, "equals start"),
        (["F1,2024-07-02T07:00,2024-07-02T08:00,surgery"], 2, "unknown kind 'surgery'"),
        (
            ["F1,2024-07-02T07:00,2024-07-32T08:00,in_house"],
            2,
            "malformed date-time in column 'end'",
        ),
        (["F1,2024-07-02,2024-07-03T08:00,in_house"], 2, "malformed date-time in column 'start'"),
        (["F1,2024-07-02T07:00+02:00,2024-07-02T09:00,in_house"], 2, "UTC offset"),
        (["F1,2024-07-02T07:00,2024-07-02T08:00"], 2, "missing column 'kind'"),
        (["F1,2024-07-02T07:00,,in_house"], 2, "missing value in column 'end'"),
        (["F1,2024-07-02T07:00,2024-07-02T08:00,in_house,x"], 2, "5 values"),
        (
            [
                "F1,2024-07-02T07:00,2024-07-02T17:00,in_house",
                "F2,2024-07-02T07:00,2024-07-02T17:00,in_house",
                "F1,2024-07-02T16:00,2024-07-02T20:00,leave",
            ],
            4,
            "overlaps the shift 2024-07-02T07:00:00..2024-07-02T17:00:00 on line 3",
        ),
    ],
)
def test_bad_rows_name_the_line_and_reason(rows: list[str], line: int, reason: str) -> None:
    found = error("F0,2024-07-01T07:00,2024-07-01T08:00,in_house", *rows)
    assert found.line == line + 1
    assert reason in found.reason
    assert str(found).startswith(f"line {line + 1}: ")


def test_overlap_is_reported_on_the_later_line_even_if_it_starts_first() -> None:
    found = error(
        "F1,2024-07-02T12:00,2024-07-02T20:00,in_house",
        "F1,2024-07-02T07:00,2024-07-02T13:00,in_house",
    )
    assert found.line == 3 and "on line 2" in found.reason


def test_touching_shifts_are_not_overlapping() -> None:
    parse(
        "F1,2024-07-02T07:00,2024-07-02T17:00,in_house",
        "F1,2024-07-02T17:00,2024-07-03T07:00,in_house_call",
    )


def test_header_problems_are_on_line_1() -> None:
    found = error(header="fellow_id,start,finish,kind")
    assert (found.line, found.reason) == (1, "missing column 'end' in the header")
    with pytest.raises(ShiftInputError, match="line 1: empty input"):
        parse_shift_rows([])
