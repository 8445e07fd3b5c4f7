"""The match season in the browser: an applicant reorders their list with the keyboard (the
change is saved at once and announced), certifies it, and the pages pass axe without console
errors; the program and admin pages and the simulation plot are clean too."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_problems, sign_in
from tests.browser.test_role_journeys import _check

pytestmark = pytest.mark.browser
FLAGSHIP = "Huron Valley University Health"


def _ranked_names(page: Any) -> list[str]:
    return [n.strip() for n in page.locator("ol.rank-rows .candidate-name").all_inner_texts()]


def test_applicant_reorders_with_the_keyboard_and_certifies(page: Any, live_server: str) -> None:
    sign_in(page, live_server, "applicant1@demo.painfellow.org")
    page.get_by_role("link", name="Your match rank order list").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My rank order list"
    assert "Short list" in page.locator("#short-list-warning").inner_text()
    assert axe_problems(page) == []
    before = _ranked_names(page)
    assert before[0].startswith(FLAGSHIP) and len(before) == 2

    # Keyboard only: tab to the first row's "Move down" button and press Enter.
    move_down = page.get_by_role("button", name=f"Move down {before[0]} (rank 1)")
    page.locator("#rank-list").evaluate("list => list.querySelector('button').blur()")
    for _ in range(60):
        page.keyboard.press("Tab")
        if move_down.evaluate("b => b === document.activeElement"):
            break
    else:
        pytest.fail("Move down is not reachable with the Tab key")
    page.keyboard.press("Enter")
    status = page.locator("#rank-status")
    status.filter(has_text="moved to rank 2 of 2").wait_for()
    assert _ranked_names(page) == [before[1], before[0]]
    # Focus stays with the row that moved (now second, so its "Move up" button).
    focused_row = page.evaluate(
        "document.activeElement.closest('li') && document.activeElement.closest('li').id"
    )
    assert focused_row == page.locator("ol.rank-rows li").nth(1).get_attribute("id")

    # Add a program that interviewed the applicant, with the keyboard as well.
    add = page.locator(".unranked button").first
    add.focus()
    page.keyboard.press("Enter")
    status.filter(has_text="added at rank 3").wait_for()
    assert len(_ranked_names(page)) == 3
    assert page.locator("#short-list-warning").count() == 0

    certify = page.get_by_role("button", name="Certify list")
    certify.focus()
    page.keyboard.press("Enter")
    page.locator("#certified-status", has_text="Certified on").wait_for()
    assert page.get_by_role("button", name="Reopen list").is_visible()
    assert page.locator("ol.rank-rows button").count() == 0  # frozen until reopened

    page.reload()  # everything was saved on the server
    assert _ranked_names(page)[:2] == [before[1], before[0]]
    assert "Certified on" in page.locator("#certified-status").inner_text()
    assert axe_problems(page) == []

    page.get_by_role("button", name="Run the simulation").click()
    page.locator("#simulation-table").wait_for()
    assert page.locator("svg[aria-labelledby='sim-chart-title sim-chart-desc']").count() == 1
    assert axe_problems(page) == []
    assert page.console_errors == []


def test_program_and_admin_match_pages_are_clean(page: Any, live_server: str) -> None:
    sign_in(page, live_server, "director@demo.painfellow.org")
    page.get_by_role("link", name="Match rank order list").first.click()
    assert "at least 12 are recommended" in page.locator("#short-list-warning").inner_text()
    path = page.url.removeprefix(live_server)
    problems = _check(page, live_server, f"{path}?simulate=1")
    assert page.locator("#simulation-table tbody tr").count() >= 5
    page.context.clear_cookies()
    sign_in(page, live_server, "admin@demo.painfellow.org")
    page.get_by_role("link", name="Match seasons: dates, runs and release").click()
    page.get_by_role("link", name="2026–27").click()
    problems += _check(page, live_server, page.url.removeprefix(live_server))
    problems += _check(page, live_server, "/admin/match")
    assert not problems, "\n".join(problems)
    assert page.console_errors == []
