"""An applicant searches, pages through results, compares two programs, stars one and finds
it on the favourites page with its map; axe-clean and free of console errors, on a desktop
and at 390 px."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import axe_problems, sign_in
from tests.browser.test_role_journeys import WIDEST_ELEMENTS

pytestmark = pytest.mark.browser
APPLICANT = "applicant1@demo.painfellow.org"
SEARCH = "/programs/discover?city=Chicago%2C+IL&w_location=8&per_page=10"


def _clean(page: Any, where: str) -> None:
    problems = axe_problems(page)
    assert not problems, f"{where}: {problems}"
    assert not page.console_errors, f"{where}: {page.console_errors}"


def _journey(page: Any, base: str) -> None:
    sign_in(page, base, APPLICANT)
    page.goto(f"{base}{SEARCH}")
    results = page.locator("#results")
    assert results.get_by_text(re.compile(r"Showing 1–10 of \d+ programs")).is_visible()
    map_links = page.locator("figure.us-map svg a")
    assert map_links.count() == 10
    _clean(page, "search")

    # paging through htmx keeps the filters and updates the address
    page.get_by_role("navigation", name="Result pages").get_by_role(
        "link", name="Next page"
    ).click()
    page.wait_for_url(re.compile(r"[?&]page=2(&|$)"))
    assert "city=Chicago" in page.url
    results.get_by_text(re.compile(r"Showing 11–20 of")).wait_for()
    page.get_by_role("navigation", name="Result pages").get_by_role(
        "link", name="Page 1", exact=True
    ).click()
    page.wait_for_url(re.compile(r"[?&]page=1(&|$)"))
    results.get_by_text(re.compile(r"Showing 1–10 of")).wait_for()

    # tick two programs and compare them
    cards = results.locator("ol.program-list > li")
    names = [cards.nth(i).get_by_role("heading").get_by_role("link").inner_text() for i in (0, 1)]
    for i in (0, 1):
        cards.nth(i).get_by_role("checkbox", name=re.compile("Compare")).check()
    page.get_by_role("button", name="Compare ticked programs").click()
    page.wait_for_url(re.compile(r"/programs/compare\?"))
    assert "w_location=8" in page.url and "city=Chicago" in page.url
    table = page.locator("table.compare")
    for name in names:
        assert table.get_by_role("link", name=name).is_visible()
    assert table.get_by_role("rowheader", name=re.compile("Distance from Chicago")).is_visible()
    _clean(page, "compare")

    # star the first one on its program page (htmx swaps the button in place)
    table.get_by_role("link", name=names[0]).click()
    page.get_by_role("button", name=re.compile("Add to favourites")).click()
    page.get_by_role("button", name=re.compile("Remove from favourites")).wait_for()
    _clean(page, "program page")

    # the favourites page lists it, scored under the search's weights, on its map
    page.goto(f"{base}/programs/favourites?city=Chicago%2C+IL&w_location=8")
    listing = page.locator("ol.program-list")
    assert listing.get_by_role("link", name=names[0]).is_visible()
    assert listing.get_by_text(re.compile(r"fit \d+\.\d / 100")).first.is_visible()
    assert page.locator(f'figure.us-map svg a[aria-label^="{names[0]}"]').count() == 1
    _clean(page, "favourites")

    # unstar it again so the journey can run twice on the same demo data
    # (the demo applicant has starred other programs too)
    mine = re.escape(names[0])
    listing.get_by_role("button", name=re.compile(f"Remove from favourites.*{mine}")).click()
    listing.get_by_role("button", name=re.compile(f"Add to favourites.*{mine}")).wait_for()


def test_search_compare_favourite_on_a_desktop(page: Any, live_server: str) -> None:
    _journey(page, live_server)


def test_search_compare_favourite_on_a_phone(page: Any, live_server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    _journey(page, live_server)
    for path in (
        SEARCH,
        "/programs/compare?ids=1&ids=2&city=Chicago%2C+IL",
        "/programs/favourites",
    ):
        page.goto(f"{live_server}{path}")
        assert page.evaluate(WIDEST_ELEMENTS) == [], path
        _clean(page, path)


def test_compare_without_js_is_a_plain_get_form(browser: Any, live_server: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    plain = context.new_page()
    plain.goto(f"{live_server}{SEARCH}")
    cards = plain.locator("#results ol.program-list > li")
    for i in (0, 1, 2):
        cards.nth(i).get_by_role("checkbox", name=re.compile("Compare")).check()
    plain.get_by_role("button", name="Compare ticked programs").click()
    plain.wait_for_url(re.compile(r"/programs/compare\?"))
    assert plain.locator("table.compare thead th").count() == 3
    plain.goto(f"{live_server}{SEARCH}")
    plain.get_by_role("link", name="Next page").click()
    plain.wait_for_url(re.compile(r"[?&]page=2(&|$)"))
    assert plain.get_by_text(re.compile(r"Showing 11–20 of")).is_visible()
    context.close()
