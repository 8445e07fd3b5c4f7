"""The whole applicant journey in one test (issue 4): a new applicant searches the directory,
opens a program, applies with a profile, a real PDF and a letter the writer uploads through the
emailed link (no account), the program's coordinator reviews the application and invites the
applicant, and the applicant books an interview slot. Every page passes axe.

The applicant is created for this test (through the admin API), so the test can run alone or
after the other browser tests on the same demo server. The file sorts after the other browser
tests and the applicant's name sorts after the demo applicants', so the invited application
never becomes the first row other tests pick from the coordinator's table.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from painfellow.demo.loader import DEMO_PASSWORD
from tests.browser.conftest import sign_in, watched_page
from tests.browser.test_applications import _clean, _pdf, _writer_link

pytestmark = pytest.mark.browser
FLAGSHIP = "Huron Valley University Health"
FLAGSHIP_PROGRAM = f"{FLAGSHIP} — Multidisciplinary Pain Medicine Fellowship"
ADMIN = "admin@demo.painfellow.org"
COORDINATOR = "coordinator@demo.painfellow.org"


@pytest.fixture
def contexts(browser: Any) -> Iterator[dict[str, Any]]:
    """One browser context per person, so their sessions never mix."""
    made = {
        who: browser.new_context(viewport={"width": 1280, "height": 900})
        for who in ("applicant", "writer", "coordinator")
    }
    yield made
    for context in made.values():
        context.close()


def _new_applicant(context: Any, base: str, full_name: str, email: str) -> None:
    """An applicant account made by the platform admin through the API (the demo's three
    applicants are used by other browser tests)."""
    token = context.request.post(
        f"{base}/api/v1/auth/token", form={"username": ADMIN, "password": DEMO_PASSWORD}
    )
    assert token.ok, token.text()
    created = context.request.post(
        f"{base}/api/v1/users",
        data={"email": email, "full_name": full_name, "password": DEMO_PASSWORD,
              "roles": [{"role": "applicant"}]},
        headers={"Authorization": f"Bearer {token.json()['access_token']}"},
    )  # fmt: skip
    assert created.status == 201, created.text()


def test_applicant_journey_from_search_to_a_booked_interview(
    browser: Any, contexts: dict[str, Any], live_server: str, tmp_path: Path
) -> None:
    suffix = secrets.token_hex(3)
    name = f"Dr. Zora Whitcombe-{suffix}"
    email = f"zora.{suffix}@example.org"
    writer_name, writer_email = f"Dr. Wendell Ames-{suffix}", f"w.ames.{suffix}@example.org"
    _new_applicant(contexts["applicant"], live_server, name, email)
    problems: list[str] = []

    # -- the applicant finds the program
    page = watched_page(contexts["applicant"])
    sign_in(page, live_server, email)
    page.get_by_role("link", name="Search the program directory").click()
    page.get_by_label("Search").fill("Ann Arbor")
    page.wait_for_function("document.querySelectorAll('.program-list > li').length === 1")
    _clean(page, "directory search", problems)
    page.locator(".program-list").get_by_role("link", name=FLAGSHIP).click()
    assert page.get_by_role("heading", level=1).inner_text() == FLAGSHIP
    _clean(page, "program profile", problems)

    # -- and starts an application there (the program comes preselected)
    page.get_by_role("link", name="Apply to this program").click()
    chosen = page.get_by_label("Program (open for applications)")
    assert chosen.locator("option:checked").inner_text() == FLAGSHIP_PROGRAM
    _clean(page, "applications", problems)
    page.get_by_role("button", name="Start the application").click()
    assert page.get_by_role("heading", level=1).inner_text() == f"Application to {FLAGSHIP_PROGRAM}"
    application_url = page.url
    _clean(page, "draft application", problems)

    # -- profile, a real PDF (and a disguised one refused), a letter request
    page.get_by_role("link", name="Profile", exact=True).click()
    page.get_by_label("Medical school").fill("University of Vermont Larner College of Medicine")
    page.get_by_label("Residency program").fill("Dartmouth Anesthesiology")
    page.get_by_label("Specialty").select_option("anesthesiology")
    page.get_by_label("Expected completion").fill("2027-06-30")
    page.get_by_label("Board status").select_option("eligible")
    page.get_by_label("USMLE Step 2 CK score").fill("252")
    page.get_by_role("button", name="Save profile").click()
    assert page.get_by_role("status").inner_text() == "Profile saved."
    _clean(page, "profile", problems)

    page.get_by_role("link", name="Documents", exact=True).click()
    disguised = tmp_path / "cv.pdf"
    disguised.write_bytes(b"%!PS-Adobe-3.0 not a pdf at all")
    page.get_by_label("Type").select_option("cv")
    page.get_by_label("File").set_input_files(str(disguised))
    page.get_by_role("button", name="Upload").click()
    assert "is not a PDF file" in page.locator("#file-error").inner_text()
    for kind, filename in (("cv", "zora-cv.pdf"), ("personal_statement", "zora-statement.pdf")):
        page.get_by_label("Type").select_option(kind)
        page.get_by_label("File").set_input_files(str(_pdf(tmp_path / filename, 2)))
        page.get_by_role("button", name="Upload").click()
        assert page.get_by_role("status").inner_text() == "Document uploaded."
    assert page.locator("tbody tr").count() == 2  # the disguised file was not stored
    _clean(page, "documents", problems)

    page.get_by_role("link", name="Letters", exact=True).click()
    page.get_by_label("Writer's name").fill(writer_name)
    page.get_by_label("Writer's email").fill(writer_email)
    page.get_by_label("Writer's title").fill("Associate Professor of Anesthesiology")
    page.get_by_label("I keep my right to see this letter").check()
    page.get_by_role("button", name="Send the request").click()
    assert page.get_by_role("status").inner_text() == "Request sent to the writer."
    assert "Requested; link valid until" in page.locator("tr", has_text=writer_name).inner_text()
    _clean(page, "letters", problems)

    # -- the writer opens the emailed link and uploads, without an account
    link = _writer_link(browser, live_server, writer_email)
    writer = watched_page(contexts["writer"])
    writer.goto(f"{live_server}{link}")
    heading = writer.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Letter of recommendation for") and name in heading
    assert writer.get_by_role("button", name="Sign out").count() == 0  # nobody is signed in
    _clean(writer, "writer's upload page", problems)
    writer.get_by_label("Letter (PDF)").set_input_files(str(_pdf(tmp_path / "letter.pdf")))
    writer.get_by_role("button", name="Upload the letter").click()
    assert "your letter was received" in writer.get_by_role("status").inner_text()
    _clean(writer, "writer's page after the upload", problems)
    assert writer.console_errors == []

    # -- the applicant sees the letter arrive, assigns it and submits
    page.reload()
    row = page.locator("tr", has_text=writer_name)
    assert "Received" in row.inner_text() and "Kept" in row.inner_text()
    assert row.get_by_role("link", name=re.compile("Download letter")).count() == 1
    page.goto(application_url)
    page.get_by_label(re.compile(re.escape(writer_name))).check()
    page.get_by_label("Personal statement").select_option(index=1)
    page.get_by_role("button", name="Save choices").click()
    assert "Saved." in page.get_by_role("status").inner_text()
    page.get_by_role("button", name="Submit application").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Receipt")
    receipt = page.locator("main").inner_text()
    assert "zora-cv.pdf" in receipt and "zora-statement.pdf" in receipt
    assert f"{writer_name}, Associate Professor of Anesthesiology: received" in receipt
    _clean(page, "receipt", problems)

    # -- the program's coordinator reviews the application and invites the applicant
    coordinator = watched_page(contexts["coordinator"])
    sign_in(coordinator, live_server, COORDINATOR)
    coordinator.get_by_role("link", name=re.compile(r"Review applications \(\d+\)")).first.click()
    coordinator.get_by_label("Name").fill(name)
    coordinator.get_by_role("button", name="Filter").click()
    rows = coordinator.locator("tbody tr")
    assert rows.count() == 1 and "Submitted" in rows.first.inner_text()
    assert "1 of 1" in rows.first.inner_text()  # letters received of assigned
    _clean(coordinator, "review table", problems)
    rows.first.get_by_role("link", name=name).click()
    assert coordinator.get_by_role("heading", level=1).inner_text() == name
    detail = coordinator.locator("main").inner_text()
    assert "Dartmouth Anesthesiology" in detail and f"Letter from {writer_name}" in detail
    _clean(coordinator, "review detail", problems)
    coordinator.get_by_label("Move to").select_option("invited")
    coordinator.get_by_role("button", name="Change status").click()
    assert "1 application(s) moved" in coordinator.get_by_role("status").inner_text()
    assert "Invited" in coordinator.locator("tbody tr", has_text=name).inner_text()
    _clean(coordinator, "review table after the invitation", problems)
    assert coordinator.console_errors == []

    # -- the applicant opens the invitation and books a slot
    page.goto(f"{live_server}/dashboard")
    page.get_by_role("link", name="Your interview invitations").click()
    invitation = page.locator("tbody tr", has_text=FLAGSHIP)
    assert "invited" in invitation.inner_text()
    _clean(page, "my interviews", problems)
    invitation.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/interviews/invitations/\d+$"))
    assert FLAGSHIP in page.locator(".lead").inner_text()
    _clean(page, "invitation", problems)
    book = page.get_by_role("button", name=re.compile(r"^Book ")).first
    chosen_slot = (book.get_attribute("aria-label") or "").removeprefix("Book ")
    book.click()
    page.wait_for_url(re.compile(r"\?booked=1$"))
    assert page.get_by_role("status").inner_text() == "You are booked."
    booked = page.locator(
        "section", has=page.get_by_role("heading", name="Your interview", exact=True)
    )
    day, start = chosen_slot.rsplit(" ", 1)
    assert day in booked.inner_text() and start in booked.inner_text()
    _clean(page, "booked invitation", problems)
    page.get_by_role("link", name="All my interview invitations").click()
    assert "booked" in page.locator("tbody tr", has_text=FLAGSHIP).inner_text()

    assert not problems, "\n".join(problems)
    assert page.console_errors == []
