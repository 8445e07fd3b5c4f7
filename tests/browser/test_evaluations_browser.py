"""Evaluations in a real browser on demo data: a faculty member evaluates a fellow (first
with a mistake the page names), and the director sees the curriculum coverage change. Every
page passes axe with no console errors."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from tests.browser.conftest import axe_problems, sign_in

pytestmark = pytest.mark.browser
DEMO = "demo.painfellow.org"
VERTEBRAL = "Assists with vertebral augmentation under supervision."


def _clean(page: Any) -> None:
    assert axe_problems(page) == []


def _program_path(page: Any) -> str:
    path = page.get_by_role("link", name="Huron Valley University Health").first.get_attribute(
        "href"
    )
    assert path
    return str(path)


def _mis3_status(page: Any, base: str, program: str) -> str:
    page.goto(f"{base}{program}/curriculum")
    row = page.locator("table.coverage tbody tr").filter(has=page.locator("th", has_text="MIS-3"))
    return str(row.locator("td").last.inner_text())


def test_faculty_evaluation_changes_the_directors_coverage(
    page: Any,
    browser: Any,
    live_server: str,
) -> None:
    sign_in(page, live_server, f"director@{DEMO}")
    program = _program_path(page)
    assert "Lacks experience" in _mis3_status(page, live_server, program)
    assert page.get_by_text("not assessed by any item of a current evaluation form").count() == 1
    _clean(page)
    page.goto(f"{live_server}{program}/evaluations/forms")
    page.get_by_role("heading", name="Interventional rotation evaluation").wait_for()
    _clean(page)

    context = browser.new_context(viewport={"width": 390, "height": 844})
    faculty = context.new_page()
    errors: list[str] = []
    faculty.on("pageerror", lambda e: errors.append(str(e)))
    try:
        sign_in(faculty, live_server, f"faculty1@{DEMO}")
        faculty.get_by_role("link", name="Evaluate fellows").first.click()
        faculty.get_by_role("heading", name="Evaluate a fellow", level=2).wait_for()
        _clean(faculty)
        form = "Interventional rotation evaluation (Interventional pain (fluoroscopy))"
        faculty.get_by_label("Form").select_option(label=form)
        faculty.get_by_role("button", name="Start evaluation").click()
        faculty.get_by_role("heading", name="Interventional rotation evaluation").wait_for()
        _clean(faculty)
        faculty.get_by_label("Fellow", exact=True).select_option(label="Dr. Jordan Lee")
        today = date.today()
        faculty.get_by_label("Period from").fill((today - timedelta(days=14)).isoformat())
        faculty.get_by_label("Period to").fill((today - timedelta(days=1)).isoformat())

        def group(prompt: str) -> Any:
            return faculty.locator("fieldset").filter(has_text=prompt)

        group("Performs fluoroscopically guided").get_by_label("Level 3", exact=True).check()
        group("Selects patients for radiofrequency").get_by_label("Between levels 2 and 3").check()
        group("Recognises, manages").get_by_label("Not observed").check()
        group(VERTEBRAL).get_by_label("Level 2", exact=True).check()
        faculty.get_by_role("textbox", name="Comments").fill(
            "Patient John Smith, MRN 4482913, did well."
        )
        faculty.get_by_role("button", name="Submit evaluation").click()
        faculty.get_by_role("alert").first.wait_for()
        assert faculty.locator("#comments-error").count() == 1
        assert faculty.locator("[id^=item_][id$=-error]").count() == 1  # the unanswered item
        _clean(faculty)
        group("Communicates with patients").get_by_label("4 – Above expectations").check()
        faculty.get_by_role("textbox", name="Comments").fill(
            "Dr. Lee assisted calmly and asked good questions."
        )
        faculty.get_by_role("button", name="Submit evaluation").click()
        faculty.wait_for_url("**/evaluations/*?submitted=1")
        assert faculty.get_by_role("status").inner_text().startswith("Evaluation submitted")
        rows = faculty.locator("tbody tr").filter(has_text=VERTEBRAL)
        assert rows.locator("td").first.inner_text() == "2 · Level 2"
        _clean(faculty)
    finally:
        context.close()
    assert errors == []

    assert "Covered" in _mis3_status(page, live_server, program)
    assert "rated in 1 evaluation" in page.content()
    page.goto(f"{live_server}{program}/evaluations")
    assert page.get_by_role("cell", name="Dr. Jordan Lee").count() >= 2
    _clean(page)
    assert page.console_errors == []
