"""Text that goes into CSV files people open in spreadsheets."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    """Neutralise spreadsheet formulas in typed text (OWASP CSV injection)."""
    return f"'{text}" if text[:1] in FORMULA_STARTS else text
