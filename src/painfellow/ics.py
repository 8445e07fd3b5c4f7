"""iCalendar (RFC 5545) text: value escaping, line folding and the CRLF-joined file.

Shared by every calendar painfellow writes (the block schedule, interview bookings and the
interview feed), so each gets the same escaping and folding. Pure text, no framework.
"""

from __future__ import annotations

from collections.abc import Iterable

#: A content line is at most 75 octets, line break excluded (RFC 5545 §3.1).
LINE_OCTETS = 75


def escape_text(value: str) -> str:
    """A TEXT value with backslash, semicolon, comma and newline escaped (RFC 5545 §3.3.11)."""
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold_line(line: str) -> list[str]:
    """A content line in pieces of at most 75 octets, each continuation starting with one
    space (RFC 5545 §3.1); a multi-byte UTF-8 character is never split."""
    pieces: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > LINE_OCTETS:
            pieces.append(current)
            current, size = " ", 1
        current += char
        size += width
    pieces.append(current)
    return pieces


def calendar_text(lines: Iterable[str]) -> str:
    """The content lines as a calendar file: folded, each ended by CRLF (RFC 5545 §3.1)."""
    return "".join(piece + "\r\n" for line in lines for piece in fold_line(line))
