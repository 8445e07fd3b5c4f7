"""The applicant's journey (profile → documents → letter request → the writer's upload through
the emailed link → apply → receipt) and the coordinator's review, with axe on every page."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfWriter

from painfellow.demo.loader import DEMO_PASSWORD
from tests.browser.conftest import axe_problems, sign_in, watched_page

pytestmark = pytest.mark.browser
FLAGSHIP = "Huron Valley University Health"
WRITER_EMAIL = "journey.writer@example.org"


def _pdf(path: Path, pages: int = 1) -> Path:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=612, height=792)
    stream = io.BytesIO()
    writer.write(stream)
    path.write_bytes(stream.getvalue())
    return path


@pytest.fixture
def context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def _clean(page: Any, where: str, problems: list[str]) -> None:
    problems += [f"{where}: {p}" for p in axe_problems(page)]


def _writer_link(browser: Any, base: str, writer_email: str = WRITER_EMAIL) -> str:
    """The upload link of the newest email to ``writer_email``, read in the admin's outbox."""
    admin_context = browser.new_context()
    admin = admin_context.new_page()
    admin.goto(f"{base}/login")
    admin.get_by_label("Email").fill("admin@demo.painfellow.org")
    admin.get_by_label("Password").fill(DEMO_PASSWORD)
    admin.get_by_role("button", name="Sign in").click()
    admin.wait_for_url(f"{base}/dashboard")
    admin.goto(f"{base}/admin/outbox")
    body = admin.locator("tr", has_text=writer_email).locator("pre").first.text_content()
    admin_context.close()
    match = re.search(r"/letters/[0-9]+\.[0-9]+\.[A-Za-z0-9_-]+", body or "")
    assert match, body
    return match.group(0)


def test_applicant_journey_with_the_writers_upload(
    browser: Any, context: Any, live_server: str, tmp_path: Path
) -> None:
    problems: list[str] = []
    page = watched_page(context)
    sign_in(page, live_server, "applicant3@demo.painfellow.org")
    page.get_by_role("link", name="Your applications, documents and letters").click()
    page.get_by_role("link", name="Profile", exact=True).click()
    page.get_by_label("Medical school").fill("University of Toledo College of Medicine")
    page.get_by_label("Residency program").fill("Henry Ford Anesthesiology")
    page.get_by_label("Specialty").select_option("anesthesiology")
    page.get_by_label("Expected completion").fill("2027-06-30")
    page.get_by_label("Board status").select_option("eligible")
    page.get_by_label("USMLE Step 2 CK score").fill("999")
    page.get_by_role("button", name="Save profile").click()
    assert "less than or equal to 300" in page.locator("#usmle_step2_score-error").inner_text()
    _clean(page, "profile with errors", problems)
    page.get_by_label("USMLE Step 2 CK score").fill("248")
    page.get_by_role("button", name="Save profile").click()
    assert page.get_by_role("status").inner_text() == "Profile saved."
    _clean(page, "profile", problems)

    page.get_by_role("link", name="Documents", exact=True).click()
    disguised = tmp_path / "cv.pdf"
    disguised.write_bytes(b"<html>not a pdf</html>")
    page.get_by_label("Type").select_option("cv")
    page.get_by_label("File").set_input_files(str(disguised))
    page.get_by_role("button", name="Upload").click()
    assert "is not a PDF file" in page.locator("#file-error").inner_text()
    _clean(page, "documents with errors", problems)
    for kind, name in (("cv", "cv.pdf"), ("personal_statement", "statement.pdf")):
        page.get_by_label("Type").select_option(kind)
        page.get_by_label("File").set_input_files(str(_pdf(tmp_path / name, 2)))
        page.get_by_role("button", name="Upload").click()
        assert page.get_by_role("status").inner_text() == "Document uploaded."
    _clean(page, "documents", problems)

    page.get_by_role("link", name="Letters", exact=True).click()
    page.get_by_label("Writer's name").fill("Dr. Journey Writer")
    page.get_by_label("Writer's email").fill(WRITER_EMAIL)
    page.get_by_label("Writer's title").fill("Professor")
    page.get_by_label("I waive my right to see this letter").check()
    page.get_by_role("button", name="Send the request").click()
    assert page.get_by_role("status").inner_text() == "Request sent to the writer."
    assert "Requested; link valid until" in page.locator("table").inner_text()
    _clean(page, "letters", problems)

    link = _writer_link(browser, live_server)
    writer_context = browser.new_context()
    writer = watched_page(writer_context)
    writer.goto(f"{live_server}{link}")
    assert "Letter of recommendation for" in writer.get_by_role("heading", level=1).inner_text()
    _clean(writer, "writer page", problems)
    writer.get_by_label("Letter (PDF)").set_input_files(str(_pdf(tmp_path / "letter.pdf")))
    writer.get_by_role("button", name="Upload the letter").click()
    assert "your letter was received" in writer.get_by_role("status").inner_text()
    used = writer.goto(f"{live_server}{link}")
    assert used.status == 410 and "already been used" in writer.locator("main").inner_text()
    assert writer.console_errors == []
    writer_context.close()

    page.get_by_role("link", name="Letters", exact=True).click()
    row = page.locator("tr", has_text="Dr. Journey Writer")
    assert "Received" in row.inner_text() and "Waived" in row.inner_text()
    assert row.get_by_role("link").count() == 0  # a waived letter is never offered

    page.get_by_role("link", name="Applications", exact=True).click()
    page.get_by_label("Program (open for applications)").select_option(
        label=f"{FLAGSHIP} — Multidisciplinary Pain Medicine Fellowship"
    )
    page.get_by_role("button", name="Start the application").click()
    page.get_by_label(re.compile("Dr. Journey Writer")).check()
    page.get_by_role("button", name="Save choices").click()
    assert "Saved." in page.get_by_role("status").inner_text()
    _clean(page, "application", problems)
    page.get_by_role("button", name="Submit application").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Receipt")
    receipt = page.locator("main").inner_text()
    assert "cv.pdf" in receipt and "statement.pdf" in receipt
    assert "Dr. Journey Writer, Professor: received (waived)" in receipt
    assert "At least 3 letters received" in receipt  # the checklist says what is missing
    _clean(page, "receipt", problems)
    assert not problems, "\n".join(problems)
    assert page.console_errors == []


def test_coordinator_reviews_applications(context: Any, live_server: str) -> None:
    problems: list[str] = []
    page = watched_page(context)
    sign_in(page, live_server, "coordinator@demo.painfellow.org")
    page.get_by_role("link", name=re.compile(r"Review applications \(\d+\)")).first.click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Applications to")
    _clean(page, "review table", problems)
    page.get_by_label("Completeness").select_option("no")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("tbody tr")
    assert rows.count() >= 1 and "No:" in rows.first.inner_text()
    export = page.request.get(
        f"{live_server}/programs/{page.url.split('/')[4]}/applications/export.csv?complete=no"
    )
    assert export.ok and export.text().splitlines()[0].startswith("application id,applicant")
    assert len(export.text().splitlines()) == rows.count() + 1
    rows.first.get_by_role("checkbox").check()
    page.get_by_label("Move the selected applications to").select_option("waitlisted")
    page.get_by_role("button", name="Apply to selected").click()
    assert "1 application(s) moved" in page.get_by_role("status").inner_text()
    assert "Waitlisted" in page.locator("tbody tr").first.inner_text()

    page.get_by_label("Completeness").select_option("yes")
    page.get_by_role("button", name="Filter").click()
    page.locator("tbody tr").first.get_by_role("link").first.click()
    assert "Version 2" in page.locator("main").inner_text()  # the correction and its change log
    _clean(page, "review detail", problems)
    page.get_by_label(re.compile("Clinical excellence")).select_option("4")
    page.get_by_role("button", name="Save my scores").click()
    assert "Saved." in page.get_by_role("status").inner_text()
    page.get_by_label("Add a note").fill("Invite for the January day.")
    page.get_by_role("button", name="Add note").click()
    assert "Invite for the January day." in page.locator("main").inner_text()
    assert "3 reviewer(s)" in page.locator("main").inner_text()
    _clean(page, "review detail after scoring", problems)
    page.get_by_role("link", name="All applications").click()
    page.get_by_role("link", name="Deadline and rubric").click()
    _clean(page, "settings", problems)
    assert not problems, "\n".join(problems)
    assert page.console_errors == []
