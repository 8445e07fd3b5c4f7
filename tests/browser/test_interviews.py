"""Interviews in the browser: an applicant opens an invitation, books a slot and downloads
the calendar file; the coordinator adds an interview day with a slot. Pages pass axe."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from painfellow.demo.loader import DEMO_PASSWORD
from tests.browser.conftest import AXE_SCRIPT

pytestmark = pytest.mark.browser
DOMAIN = "demo.painfellow.org"


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.console_errors = []

    def on_console(message: Any) -> None:
        own_status = message.text.startswith("Failed to load resource") and (
            message.location.get("url") == page.url
        )
        if message.type == "error" and not own_status:
            page.console_errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()


def _axe_problems(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE_SCRIPT))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/dashboard")


def test_applicant_books_an_interview_and_downloads_the_ics(page: Any, live_server: str) -> None:
    _sign_in(page, live_server, f"applicant3@{DOMAIN}")
    page.goto(f"{live_server}/interviews")
    assert _axe_problems(page) == []
    row = page.locator("tbody tr", has_text="invited").first
    row.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/interviews/invitations/\d+$"))
    assert _axe_problems(page) == []
    page.get_by_role("button", name=re.compile(r"^Book ")).first.click()
    page.wait_for_url(re.compile(r"\?booked=1$"))
    assert page.get_by_role("status").inner_text() == "You are booked."
    assert _axe_problems(page) == []
    with page.expect_download() as info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    with open(info.value.path(), encoding="utf-8", newline="") as downloaded:
        text = downloaded.read()
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "BEGIN:VEVENT\r\n" in text
    assert page.console_errors == []


def test_coordinator_adds_an_interview_day_with_a_slot(page: Any, live_server: str) -> None:
    _sign_in(page, live_server, f"coordinator@{DOMAIN}")
    page.goto(f"{live_server}/programs/46/interviews")  # the flagship is the 46th demo program
    assert page.get_by_role("heading", name="Interviews", exact=True).is_visible()
    assert _axe_problems(page) == []
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
    assert _axe_problems(page) == []
    assert page.console_errors == []
