"""RFC 5545 text shared by every calendar file: escaping, folding, CRLF lines."""

from __future__ import annotations

from painfellow.ics import calendar_text, escape_text, fold_line


def test_ics_folds_long_lines() -> None:
    pieces = fold_line("SUMMARY:" + "é" * 80)
    assert len(pieces) == 3 and all(len(p.encode()) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == "SUMMARY:" + "é" * 80


def test_a_line_of_exactly_75_octets_is_not_folded() -> None:
    assert fold_line("X" * 75) == ["X" * 75]
    assert fold_line("X" * 76) == ["X" * 75, " X"]


def test_text_values_escape_the_rfc_5545_specials() -> None:
    assert escape_text("a\\b;c,d\ne") == "a\\\\b\\;c\\,d\\ne"


def test_calendar_text_ends_every_folded_line_with_crlf() -> None:
    text = calendar_text(["BEGIN:VCALENDAR", "DESCRIPTION:" + "y" * 70, "END:VCALENDAR"])
    assert text == (
        "BEGIN:VCALENDAR\r\n"
        + "DESCRIPTION:"
        + "y" * 63
        + "\r\n "
        + "y" * 7
        + "\r\nEND:VCALENDAR\r\n"
    )
