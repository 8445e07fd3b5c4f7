"""Each demo role signs in, reaches its dashboard and main pages without console errors, and
every page passes axe-core with no serious or critical violations."""

from __future__ import annotations

from typing import Any

import pytest

from painfellow.demo.loader import demo_logins
from tests.browser.conftest import axe_problems, sign_in

pytestmark = pytest.mark.browser
LOGINS = dict((email, label) for label, email in demo_logins())
# elements reaching past a 390 px phone, except inside horizontally scrolling tables
WIDEST_ELEMENTS = """[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > 391
               && !(e.parentElement && e.parentElement.closest('.table-wrap')))
  .slice(0, 5)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""
COMMON_PAGES = ["/dashboard", "/programs", "/account"]


def _check(page: Any, base: str, path: str) -> list[str]:
    response = page.goto(f"{base}{path}")
    problems = [] if response.ok else [f"{path}: HTTP {response.status}"]
    problems += [f"{path}: {p}" for p in axe_problems(page)]
    return problems


@pytest.mark.parametrize("email", list(LOGINS), ids=list(LOGINS.values()))
def test_role_signs_in_and_main_pages_are_clean(page: Any, live_server: str, email: str) -> None:
    sign_in(page, live_server, email)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Hello")
    paths = list(COMMON_PAGES)
    flagship = page.get_by_role("link", name="Huron Valley University Health").first
    program_path = flagship.get_attribute("href") if flagship.count() else None
    if email.startswith("fellow"):
        paths += [
            f"{program_path}/duty-hours",
            f"{program_path}/research",
            f"{program_path}/didactics",
            f"{program_path}/case-log",
            f"{program_path}/case-log/new?procedure=esi_transforaminal",
            f"{program_path}/case-log/import",
            f"{program_path}/schedule/mine",
            f"{program_path}/schedule",
            f"{program_path}/curriculum",
        ]
    if email.startswith(("faculty", "director@")):
        paths.append(f"{program_path}/case-log/verify")
    if email.startswith(("director@", "coordinator@")):
        paths += [
            program_path,
            f"{program_path}/edit",
            f"{program_path}/duty-hours/report",
            f"{program_path}/didactics",
            f"{program_path}/case-log/program",
            f"{program_path}/schedule",
            f"{program_path}/schedule/setup",
        ]
        if email.startswith("director@"):
            paths += [f"{program_path}/audit", f"{program_path}/curriculum"]
    if email.startswith("admin@"):
        paths += ["/admin/audit", "/admin/outbox", "/admin/eligibility"]
    problems = [p for path in paths for p in _check(page, live_server, path)]
    assert not problems, "\n".join(problems)
    assert page.console_errors == []


def test_anonymous_pages_are_clean(page: Any, live_server: str) -> None:
    problems = []
    for path in [
        "/login",
        "/programs",
        "/password-reset",
        "/programs/1",
        "/eligibility",
        "/programs/discover",
        "/programs/discover?city=Chicago%2C+IL&radius=500",
    ]:
        problems += _check(page, live_server, path)
    answers = "specialty=internal_medicine&accreditation=aoa&training_status=completed"
    problems += _check(page, live_server, f"/eligibility?{answers}&board_status=eligible")
    assert page.console_errors == []
    missing = page.goto(f"{live_server}/no-such-page")
    assert missing.status == 404  # the browser logs the 404 itself; nothing else may fail
    assert page.get_by_role("heading", level=1).inner_text() == "Page not found"
    problems += [f"404 page: {p}" for p in axe_problems(page)]
    assert not problems, "\n".join(problems)


def test_director_edits_profile_in_the_browser(page: Any, live_server: str) -> None:
    sign_in(page, live_server, "director@demo.painfellow.org")
    page.get_by_role("link", name="Huron Valley University Health").first.click()
    page.get_by_role("link", name="Edit profile").click()
    page.get_by_label("Positions per year").fill("abc")
    page.get_by_role("button", name="Save profile").click()
    assert page.locator("#positions_per_year-error").is_visible()
    page.get_by_label("Positions per year").fill("5")
    page.get_by_role("button", name="Save profile").click()
    assert page.get_by_role("status").inner_text() == "Your changes were saved."
    page.get_by_role("link", name="Audit log").click()
    assert "positions_per_year" in page.locator("table").inner_text()
    assert page.console_errors == []


def test_fellow_logs_a_shift_on_a_phone(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(phone, live_server, "fellow3@demo.painfellow.org")
    phone.get_by_role("link", name="Log your duty hours").click()
    phone.get_by_label("Start").fill("2020-01-06T07:00")
    phone.get_by_label("End").fill("2020-01-06T06:00")
    phone.get_by_role("button", name="Save shift").click()
    assert "must be after the start" in phone.locator("#end-error").inner_text()
    phone.get_by_label("End").fill("2020-01-06T17:00")
    phone.get_by_label("Kind").select_option("educational")
    phone.get_by_role("button", name="Save shift").click()
    assert phone.get_by_role("status").inner_text() == "Saved."
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_problems(phone) == []
    assert errors == []
    context.close()


def test_fellow_logs_a_procedure_on_a_phone(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(phone, live_server, "fellow1@demo.painfellow.org")
    phone.get_by_role("link", name="Log a procedure").click()
    phone.locator(".quick-picks a").first.click()  # one tap: a recent procedure
    note = phone.get_by_label("Teaching note (optional, no identifiers)")
    note.fill("Pt Jane Miller, MRN 5512345")
    phone.get_by_role("button", name="Save case").click()
    assert "patient identifier" in phone.locator("#note-error").inner_text()
    phone.get_by_label("Teaching note (optional, no identifiers)").fill("Smooth case")
    phone.get_by_role("button", name="Save case").click()
    assert "Case logged" in phone.get_by_role("status").inner_text()
    wide = phone.evaluate(WIDEST_ELEMENTS)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390, wide
    assert axe_problems(phone) == []
    assert errors == []
    context.close()


def test_coordinator_changes_a_block_and_sees_violations_live(page: Any, live_server: str) -> None:
    sign_in(page, live_server, "coordinator@demo.painfellow.org")
    page.get_by_role("link", name="Block schedule").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Block schedule"
    assert "Every requirement is met." in page.locator("#schedule-live").inner_text()
    url = page.url
    page.get_by_label("Block", exact=True).select_option("1")
    page.get_by_label("Rotation", exact=True).select_option(label="Vacation")
    page.get_by_role("button", name="Save change").click()
    page.locator("#schedule-live .violations").wait_for()
    assert "Vacation" in page.locator("#schedule-live .violations").inner_text()
    assert page.url == url  # swapped in place by htmx, no page load
    assert axe_problems(page) == []
    assert page.console_errors == []


def test_directory_live_search_on_a_phone(browser: Any, live_server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    phone = context.new_page()
    errors: list[str] = []
    phone.on("pageerror", lambda e: errors.append(str(e)))
    phone.goto(f"{live_server}/programs")
    phone.get_by_label("Search").fill("Ann Arbor")
    phone.wait_for_function("document.querySelectorAll('.program-list > li').length === 1")
    assert "Huron Valley" in phone.locator(".program-list").inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"page is {width}px wide on a 390px phone"
    assert errors == []
    context.close()
