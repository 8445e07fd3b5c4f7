"""Which page numbers the result pager shows, and its links."""

from __future__ import annotations

import pytest
from starlette.datastructures import QueryParams

from painfellow.discovery.paging import page_numbers, paging


@pytest.mark.parametrize(
    ("current", "last", "shown"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 20, [1, 2, 3, None, 20]),
        (6, 20, [1, None, 4, 5, 6, 7, 8, None, 20]),
        (4, 20, [1, 2, 3, 4, 5, 6, None, 20]),  # a gap of one page shows the page
        (20, 20, [1, None, 18, 19, 20]),
    ],
)
def test_page_numbers(current: int, last: int, shown: list[int | None]) -> None:
    assert page_numbers(current, last) == shown


def test_paging_keeps_repeated_parameters_and_replaces_the_page() -> None:
    query = QueryParams("state=IL&state=MI&page=2&w_size=3")
    pages = paging("/programs/discover", query, total=60, page=2, per_page=25)
    assert (pages.first_shown, pages.last_shown, pages.last) == (26, 50, 3)
    assert pages.previous_url == "/programs/discover?state=IL&state=MI&w_size=3&page=1"
    assert pages.next_url == "/programs/discover?state=IL&state=MI&w_size=3&page=3"
    assert [link.current for link in pages.links] == [False, True, False]


def test_paging_with_no_results_or_past_the_end() -> None:
    empty = paging("/p", QueryParams(""), total=0, page=1, per_page=25)
    assert (empty.first_shown, empty.last, empty.next_url, empty.previous_url) == (0, 1, None, None)
    past = paging("/p", QueryParams("page=7"), total=30, page=7, per_page=25)
    assert past.first_shown == 0 and past.previous_url == "/p?page=2"
