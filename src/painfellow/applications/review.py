"""A program's review of the applications sent to it: table, rubric, notes, statuses, CSV.

A program sees only applications submitted to it (drafts are invisible), and only what the
applicant sent: the snapshot's documents and the letters assigned in the latest version.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, lazyload

from painfellow.accounts.models import User
from painfellow.applications.models import (
    Application,
    ApplicationVersion,
    LetterRequest,
    ReviewNote,
    RubricCriterion,
    RubricScore,
)
from painfellow.applications.submissions import (
    ReceiptLetter,
    latest_version,
    latest_versions,
    letters_of_snapshot,
    list_versions,
    received_letter_ids,
    snapshot_checklist,
    snapshot_letter_ids,
)
from painfellow.core.applications import Checklist, RubricSummary, summarise_rubric
from painfellow.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from painfellow.interviews.service import invite
from painfellow.programs.vocabulary import ELIGIBLE_PRIOR_SPECIALTIES
from painfellow.spreadsheet import safe_cell

REVIEW_STATUSES = ("submitted", "under_review", "invited", "waitlisted", "declined")
SETTABLE_STATUSES = ("under_review", "invited", "waitlisted", "declined")


@dataclass(frozen=True)
class Filters:
    status: str = ""
    specialty: str = ""
    complete: str = ""  # "yes" | "no" | ""
    min_letters: int = 0
    name: str = ""
    min_step2: int = 0  # USMLE Step 2 CK at least (0: no filter)
    min_rubric: float = 0.0  # rubric average at least (0: no filter; unscored rows fail it)


def parse_filters(query: Mapping[str, str]) -> Filters:
    """The table's filters from a query string. Numbers out of range name their field; an
    unknown status or completeness value means no filter (they come from select lists)."""
    errors = []

    def number(name: str, low: float, high: float, message: str, whole: bool) -> float:
        raw = query.get(name, "").strip()
        if not raw:
            return 0
        try:
            value = int(raw) if whole else float(raw)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            errors.append(FieldError(name, message))
            return 0
        return value

    min_letters = number("min_letters", 0, 20, "give a whole number of letters, 0 to 20", True)
    min_step2 = number("min_step2", 1, 300, "give a Step 2 CK score from 1 to 300", True)
    min_rubric = number("min_rubric", 1, 5, "give a rubric average from 1 to 5", False)
    if errors:
        raise InvalidInput(errors)
    status = query.get("status", "")
    complete = query.get("complete", "")
    return Filters(
        status=status if status in REVIEW_STATUSES else "",
        specialty=query.get("specialty", ""),
        complete=complete if complete in ("yes", "no") else "",
        min_letters=int(min_letters),
        name=query.get("name", "")[:100],
        min_step2=int(min_step2),
        min_rubric=float(min_rubric),
    )


@dataclass(frozen=True)
class Row:
    application: Application
    applicant: User
    version: ApplicationVersion
    checklist: Checklist
    letters_received: int
    letters_assigned: int
    rubric: RubricSummary

    @property
    def profile(self) -> dict[str, Any]:
        profile: dict[str, Any] = self.version.snapshot["profile"]
        return profile

    @property
    def specialty_label(self) -> str:
        code = self.profile.get("residency_specialty") or ""
        return ELIGIBLE_PRIOR_SPECIALTIES.get(code, code)


def get_program_application(
    session: Session, program_id: int, application_id: int, viewer_id: int | None = None
) -> Application:
    """An application submitted to this program; anything else answers 404. A member of the
    program who applied to it never reviews their own application (``viewer_id``): that is
    also what keeps a letter they waived the right to see out of their hands."""
    application = session.get(Application, application_id)
    if application is None or application.program_id != program_id or application.status == "draft":
        raise NotFound("No such application to this program.")
    if viewer_id is not None and viewer_id == application.applicant_user_id:
        raise PermissionDenied("You cannot review your own application.")
    return application


def _weights(session: Session, program_id: int) -> dict[int, int]:
    return {
        row[0]: row[1]
        for row in session.execute(
            select(RubricCriterion.id, RubricCriterion.weight).where(
                RubricCriterion.program_id == program_id
            )
        )
    }


def _scores(session: Session, application_ids: list[int]) -> dict[int, list[tuple[int, int, int]]]:
    result: dict[int, list[tuple[int, int, int]]] = {}
    if not application_ids:
        return result
    for app_id, reviewer, criterion, score in session.execute(
        select(RubricScore.application_id, RubricScore.reviewer_user_id,
               RubricScore.criterion_id, RubricScore.score)
        .where(RubricScore.application_id.in_(application_ids))
    ):  # fmt: skip
        result.setdefault(app_id, []).append((reviewer, criterion, score))
    return result


def _rows(
    session: Session, pairs: list[tuple[Application, User]], weights: dict[int, int],
    scores: dict[int, list[tuple[int, int, int]]],
) -> tuple[list[Row], set[int]]:  # fmt: skip
    """Table rows and the ids of the letters received so far, in two queries for any number
    of applications: the latest versions, then the received letters among all of them."""
    versions = latest_versions(session, [application.id for application, _ in pairs])
    received = received_letter_ids(
        session, (i for version in versions.values() for i in snapshot_letter_ids(version.snapshot))
    )
    rows = []
    for application, applicant in pairs:
        version = versions.get(application.id)
        assert version is not None  # a submitted application has a version
        assigned = snapshot_letter_ids(version.snapshot)
        row = Row(
            application, applicant, version, snapshot_checklist(version.snapshot, received),
            sum(1 for i in assigned if i in received), len(assigned),
            summarise_rubric(weights, scores.get(application.id, [])),
        )  # fmt: skip
        rows.append(row)
    return rows, received


def list_program_applications(
    session: Session, program_id: int, filters: Filters, viewer_id: int | None = None
) -> list[Row]:
    """The program's applications with what the table shows, filtered, but the viewer's own
    (a member who applied never sees their own scores). A fixed number of queries however many
    rows there are (the page and the CSV export both use it)."""
    query = (
        select(Application, User)
        .join(User, User.id == Application.applicant_user_id)
        .options(lazyload(User.memberships))  # the table never reads the applicants' roles
        .where(Application.program_id == program_id, Application.status != "draft")
        .order_by(User.full_name, Application.id)
    )
    if filters.status:
        query = query.where(Application.status == filters.status)
    if viewer_id is not None:
        query = query.where(Application.applicant_user_id != viewer_id)
    pairs = [(row[0], row[1]) for row in session.execute(query)]
    weights = _weights(session, program_id)
    scores = _scores(session, [a.id for a, _ in pairs])
    rows, _ = _rows(session, pairs, weights, scores)
    needle = filters.name.strip().lower()
    return [
        row for row in rows
        if (not filters.specialty or row.profile.get("residency_specialty") == filters.specialty)
        and (filters.complete != "yes" or row.checklist.complete)
        and (filters.complete != "no" or not row.checklist.complete)
        and row.letters_received >= filters.min_letters
        and (not needle or needle in row.applicant.full_name.lower())
        and (not filters.min_step2
             or int(row.profile.get("usmle_step2_score") or 0) >= filters.min_step2)
        and (not filters.min_rubric
             or (row.rubric.average is not None and row.rubric.average >= filters.min_rubric))
    ]  # fmt: skip


@dataclass(frozen=True)
class Review:
    row: Row
    versions: list[ApplicationVersion]
    documents: list[dict[str, Any]]
    letters: list[ReceiptLetter]
    criteria: list[RubricCriterion]
    my_scores: dict[int, int]
    notes: list[tuple[ReviewNote, str]]


def get_review(session: Session, program_id: int, application_id: int, reviewer_id: int) -> Review:
    application = get_program_application(session, program_id, application_id, reviewer_id)
    applicant = session.get(User, application.applicant_user_id)
    assert applicant is not None
    scores = _scores(session, [application.id])
    (row,), received = _rows(session, [(application, applicant)], _weights(session, program_id),
                             scores)  # fmt: skip
    criteria = list_criteria(session, program_id)
    mine = {
        criterion: score
        for reviewer, criterion, score in scores.get(application.id, [])
        if reviewer == reviewer_id
    }
    notes = [
        (note, name or "former member")
        for note, name in session.execute(
            select(ReviewNote, User.full_name)
            .outerjoin(User, User.id == ReviewNote.author_user_id)
            .where(ReviewNote.application_id == application.id)
            .order_by(ReviewNote.created_at, ReviewNote.id)
        )
    ]
    return Review(
        row, list_versions(session, application.id), row.version.snapshot["documents"],
        letters_of_snapshot(row.version.snapshot, received), criteria, mine, notes,
    )  # fmt: skip


def received_document(
    session: Session, program_id: int, application_id: int, document_id: int, viewer_id: int
) -> dict[str, Any]:
    """A document this program received in some version of this application: its entry
    (hash, name, type). Documents the applicant did not send here answer 404."""
    application = get_program_application(session, program_id, application_id, viewer_id)
    for version in list_versions(session, application.id):
        for entry in version.snapshot["documents"]:
            if entry["document_id"] == document_id:
                return dict(entry)
    raise NotFound("This program did not receive that document.")


def received_letter(
    session: Session, program_id: int, application_id: int, letter_id: int, viewer_id: int
) -> LetterRequest:
    """A received letter the applicant assigned to this program in the latest version."""
    application = get_program_application(session, program_id, application_id, viewer_id)
    version = latest_version(session, application.id)
    assert version is not None
    assigned = {letter["letter_id"] for letter in version.snapshot["letters"]}
    letter = session.get(LetterRequest, letter_id)
    if letter_id not in assigned or letter is None or letter.status != "received":
        raise NotFound("This program has no such letter.")
    return letter


def list_criteria(session: Session, program_id: int) -> list[RubricCriterion]:
    return list(
        session.scalars(
            select(RubricCriterion)
            .where(RubricCriterion.program_id == program_id)
            .order_by(RubricCriterion.id)
        )
    )


def add_criterion(session: Session, program_id: int, name: str, weight: str) -> RubricCriterion:
    """A rubric criterion with a weight from 1 to 10; names are unique in a program."""
    errors = []
    name = name.strip()
    if not 1 <= len(name) <= 100:
        errors.append(FieldError("name", "give a name of 1 to 100 characters"))
    if not weight.strip().isdigit() or not 1 <= int(weight) <= 10:
        errors.append(FieldError("weight", "is a whole number from 1 to 10"))
    if errors:
        raise InvalidInput(errors)
    criterion = RubricCriterion(program_id=program_id, name=name, weight=int(weight))
    session.add(criterion)
    try:
        session.commit()
    except IntegrityError as error:
        session.rollback()
        raise InvalidInput(
            [FieldError("name", "this rubric already has that criterion")]
        ) from error
    return criterion


def save_scores(
    session: Session, program_id: int, application_id: int, reviewer_id: int,
    scores: dict[str, str], *, now: datetime,
) -> None:  # fmt: skip
    """The reviewer's 1–5 score on each criterion (blank leaves a criterion unscored)."""
    application = get_program_application(session, program_id, application_id, reviewer_id)
    criteria = {c.id: c for c in list_criteria(session, program_id)}
    parsed: dict[int, int] = {}
    errors = []
    for criterion_id, criterion in criteria.items():
        raw = scores.get(f"score_{criterion_id}", "").strip()
        if not raw:
            continue
        if raw not in ("1", "2", "3", "4", "5"):
            errors.append(FieldError(f"score_{criterion_id}", f"{criterion.name}: score 1 to 5"))
        else:
            parsed[criterion_id] = int(raw)
    if errors:
        raise InvalidInput(errors)
    existing = {
        s.criterion_id: s
        for s in session.scalars(
            select(RubricScore).where(
                RubricScore.application_id == application.id,
                RubricScore.reviewer_user_id == reviewer_id,
            )
        )
    }
    for criterion_id, score in parsed.items():
        row = existing.get(criterion_id) or RubricScore(
            application_id=application.id, criterion_id=criterion_id, reviewer_user_id=reviewer_id
        )
        row.score = score
        row.scored_at = now
        session.add(row)
    session.commit()


def add_note(
    session: Session, program_id: int, application_id: int, author_id: int, body: str, *,
    now: datetime,
) -> ReviewNote:  # fmt: skip
    application = get_program_application(session, program_id, application_id, author_id)
    body = body.strip()
    if not 1 <= len(body) <= 5000:
        raise InvalidInput([FieldError("body", "write a note of 1 to 5,000 characters")])
    note = ReviewNote(application_id=application.id, author_user_id=author_id, body=body,
                      created_at=now)  # fmt: skip
    session.add(note)
    session.commit()
    return note


def set_status(
    session: Session, program_id: int, application_ids: list[int], status: str, *,
    reviewer_id: int, now: datetime, base_url: str,
) -> int:  # fmt: skip
    """Move applications of this program to a review status, all or none. Inviting also
    creates the interview invitations (and their emails) in the same transaction."""
    if status not in SETTABLE_STATUSES:
        raise InvalidInput([FieldError("status", "choose a status")])
    ids = list(dict.fromkeys(application_ids))
    if not ids:
        raise InvalidInput([FieldError("application_ids", "select at least one application")])
    applications = [get_program_application(session, program_id, i, reviewer_id) for i in ids]
    if any(a.status == "invited" for a in applications) and status != "invited":
        # an interview invitation has gone out; withdrawing it belongs to interviews
        raise Conflict("An invited applicant keeps that status here; manage the invitation "
                       "on the interviews page.")  # fmt: skip
    newly_invited = [a.applicant_user_id for a in applications if a.status != "invited"]
    for application in applications:
        application.status = status
    if status == "invited" and newly_invited:
        invite(session, program_id=program_id, applicant_user_ids=newly_invited,
               invited_by=reviewer_id, now=now, base_url=base_url)  # fmt: skip
    session.commit()
    return len(applications)


CSV_HEADER = [
    "application id", "applicant", "email", "status", "version", "specialty",
    "residency program", "medical school", "board status", "USMLE Step 2 CK", "complete",
    "missing", "letters received", "letters assigned", "rubric average", "rubric spread",
    "reviewers",
]  # fmt: skip


def export_csv(rows: list[Row]) -> str:
    """The table as CSV; every text cell passes through ``safe_cell`` (formula injection)."""
    stream = io.StringIO()
    writer = csv.writer(stream)
    writer.writerow(CSV_HEADER)
    for row in rows:
        profile = row.profile
        average, spread = row.rubric.average, row.rubric.spread
        writer.writerow([
            row.application.id, safe_cell(row.applicant.full_name), safe_cell(row.applicant.email),
            row.application.status, row.version.version, safe_cell(row.specialty_label),
            safe_cell(str(profile.get("residency_program") or "")),
            safe_cell(str(profile.get("medical_school") or "")),
            profile.get("board_status") or "", profile.get("usmle_step2_score") or "",
            "yes" if row.checklist.complete else "no", safe_cell("; ".join(row.checklist.missing)),
            row.letters_received, row.letters_assigned,
            "" if average is None else f"{average:.2f}", "" if spread is None else f"{spread:.2f}",
            len(row.rubric.by_reviewer),
        ])  # fmt: skip
    return stream.getvalue()
