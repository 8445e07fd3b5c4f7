"""Training additions in a real browser on demo data: confirming shifts from the schedule,
a fellow's own schedule request and favourites, and a director editing a rotation and
setting the duty-hour calendar. Every page passes axe with no console errors."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import axe_problems, sign_in

pytestmark = pytest.mark.browser
DEMO = "demo.painfellow.org"


def _program_path(page: Any) -> str:
    link = page.get_by_role("link", name="Huron Valley University Health").first
    path = link.get_attribute("href")
    assert path
    return str(path)


def _clean(page: Any) -> None:
    assert axe_problems(page) == []


def test_fellow_confirms_schedule_shifts_and_enters_a_request(
    page: Any,
    live_server: str,
) -> None:
    sign_in(page, live_server, f"fellow1@{DEMO}")
    program = _program_path(page)
    page.goto(f"{live_server}{program}/duty-hours")
    page.get_by_role("heading", name="Shifts from your schedule").wait_for()
    assert page.get_by_role("heading", name="Rolling 28 days").count() == 1
    _clean(page)
    confirm = page.get_by_role("button", name="Confirm", exact=True)
    if confirm.count():  # a weekday shift of the demo rotation has already started
        confirm.first.click()
        page.wait_for_url("**/duty-hours?*")
        assert page.get_by_role("status").or_(page.get_by_role("alert")).count() >= 1
    page.goto(f"{live_server}{program}/schedule/mine")
    page.get_by_label("Block (1–26)").fill("20")
    page.get_by_label("Rotation", exact=True).select_option(label="Vacation")
    page.get_by_label("Priority (1–3)").fill("2")
    page.get_by_role("button", name="Send request").click()
    page.wait_for_url("**/schedule/mine?saved=1")
    assert "Wants Vacation" in page.content()
    _clean(page)
    page.goto(f"{live_server}{program}/case-log")
    assert page.get_by_text("Favourites:").count() == 1
    _clean(page)
    assert page.console_errors == []


def test_director_edits_a_rotation_and_sets_the_calendar(
    page: Any,
    live_server: str,
) -> None:
    sign_in(page, live_server, f"director@{DEMO}")
    program = _program_path(page)
    page.goto(f"{live_server}{program}/schedule/setup")
    page.get_by_role("link", name="Edit Pain psychology").click()
    page.get_by_role("heading", name="Edit rotation: Pain psychology").wait_for()
    _clean(page)
    page.locator("#edit-shift-start").fill("08:00")
    page.locator("#edit-shift-end").fill("16:30")
    page.locator("#edit-shift-weekdays").fill("1234")
    page.get_by_role("button", name="Save rotation").click()
    page.wait_for_url("**/schedule/setup?saved=1")
    assert "08:00–16:30, days 1234" in page.content()
    page.goto(f"{live_server}{program}/duty-hours/report")
    page.get_by_label("Year starts: day (1–28)").fill("31")
    page.get_by_role("button", name="Save calendar").click()
    assert page.locator("#year_start_day-error").count() == 1
    _clean(page)
    page.get_by_label("Year starts: day (1–28)").fill("1")
    page.get_by_role("button", name="Save calendar").click()
    page.wait_for_url("**/duty-hours/report?saved=1")
    page.goto(f"{live_server}{program}/case-log/program")
    assert page.get_by_role("link", name="procedure report (PDF)").count() == 4
    _clean(page)
    assert page.console_errors == []
