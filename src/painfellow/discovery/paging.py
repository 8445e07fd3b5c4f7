"""Page links for a paged list: which page numbers to show and their URLs."""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from starlette.datastructures import QueryParams


def page_numbers(current: int, last: int, around: int = 2) -> list[int | None]:
    """The first and last pages, and ``around`` pages either side of the current one.

    ``None`` stands for a gap of more than one page: ``1 … 4 5 [6] 7 8 … 20``.
    """
    shown = sorted({1, last, *range(max(1, current - around), min(last, current + around) + 1)})
    out: list[int | None] = []
    previous = 0
    for number in shown:
        if number - previous == 2:
            out.append(number - 1)  # a gap of one page: show that page, not "…"
        elif number - previous > 2:
            out.append(None)
        out.append(number)
        previous = number
    return out


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: a gap
    url: str
    current: bool


@dataclass(frozen=True)
class Paging:
    total: int
    page: int
    per_page: int
    last: int
    first_shown: int  # 1-based position of the first item on this page (0 when none)
    last_shown: int
    previous_url: str | None
    next_url: str | None
    links: list[PageLink]


def paging(path: str, query: QueryParams, total: int, page: int, per_page: int) -> Paging:
    """Links to the other pages of ``path``, keeping every other query parameter."""
    last = max(1, math.ceil(total / per_page))
    kept = [(k, v) for k, v in query.multi_items() if k != "page"]

    def url(number: int) -> str:
        return f"{path}?{urlencode([*kept, ('page', str(number))])}"

    first_shown = (page - 1) * per_page + 1 if page <= last and total else 0
    return Paging(
        total=total,
        page=page,
        per_page=per_page,
        last=last,
        first_shown=first_shown,
        last_shown=min(total, page * per_page) if first_shown else 0,
        previous_url=url(min(page, last + 1) - 1) if page > 1 else None,
        next_url=url(page + 1) if page < last else None,
        links=[
            PageLink(n, "" if n is None else url(n), n == page) for n in page_numbers(page, last)
        ],
    )
