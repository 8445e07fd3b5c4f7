"""Interviews in the browser: an applicant opens an invitation, books a slot and downloads
the calendar file; the coordinator adds an interview day with a slot. Pages pass axe."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import axe_problems, sign_in

pytestmark = pytest.mark.browser
DOMAIN = "demo.painfellow.org"


def test_applicant_books_an_interview_and_downloads_the_ics(page: Any, live_server: str) -> None:
    sign_in(page, live_server, f"applicant3@{DOMAIN}")
    page.goto(f"{live_server}/interviews")
    assert axe_problems(page) == []
    row = page.locator("tbody tr", has_text="invited").first
    row.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/interviews/invitations/\d+$"))
    assert axe_problems(page) == []
    page.get_by_role("button", name=re.compile(r"^Book ")).first.click()
    page.wait_for_url(re.compile(r"\?booked=1$"))
    assert page.get_by_role("status").inner_text() == "You are booked."
    assert axe_problems(page) == []
    with page.expect_download() as info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    with open(info.value.path(), encoding="utf-8", newline="") as downloaded:
        text = downloaded.read()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "BEGIN:VEVENT\r\n" in text
    assert page.console_errors == []


def test_coordinator_adds_an_interview_day_with_a_slot(page: Any, live_server: str) -> None:
    sign_in(page, live_server, f"coordinator@{DOMAIN}")
    page.goto(f"{live_server}/programs/46/interviews")  # the flagship is the 46th demo program
    assert page.get_by_role("heading", name="Interviews", exact=True).is_visible()
    assert axe_problems(page) == []
    page.get_by_label("Date").fill("2027-02-03")
    page.get_by_label("Location").fill("Pain Center, 2nd floor")
    page.get_by_label("Itinerary").fill("08:00 Welcome\n09:00 Interviews")
    page.get_by_role("button", name="Add day").click()
    page.wait_for_url(re.compile(r"saved=day"))
    day = page.locator("article", has_text="2027-02-03")
    day.get_by_label("Slot start").fill("10:30")
    day.get_by_label("Seats").fill("3")
    day.get_by_role("button", name="Add slot").click()
    page.wait_for_url(re.compile(r"saved=slot"))
    day = page.locator("article", has_text="2027-02-03")
    assert "10:30" in day.inner_text() and "0 / 3" in day.inner_text()
    assert axe_problems(page) == []
    assert page.console_errors == []
