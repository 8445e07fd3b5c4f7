"""Applying to programs: drafts, letter and statement assignment, frozen submitted versions.

A submission stores a snapshot (profile values, the exact document hashes, the letters
assigned). The program reads that snapshot, never the live profile; a correction is a new
version whose change log is computed from the two snapshots.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.applications.documents import latest_of_kind, list_documents
from painfellow.applications.models import (
    ApplicantDocument,
    ApplicantProfile,
    Application,
    ApplicationSettings,
    ApplicationVersion,
    LetterRequest,
)
from painfellow.applications.profile import profile_values
from painfellow.applications.schemas import AssignmentForm, DocumentKind, SubmitForm
from painfellow.core.applications import MAX_LETTERS_PER_PROGRAM, Checklist, change_log, checklist
from painfellow.errors import Conflict, FieldError, InvalidInput, NotFound
from painfellow.outbox.service import enqueue_email
from painfellow.programs.models import Program


@dataclass(frozen=True)
class Window:
    accepting: bool
    deadline: datetime | None

    def closed_reason(self, now: datetime) -> str | None:
        if not self.accepting:
            return "This program is not accepting applications."
        if self.deadline is not None and now > self.deadline:
            return (
                "The application deadline passed on "
                f"{self.deadline.astimezone(UTC):%Y-%m-%d %H:%M} UTC."
            )
        return None


def application_window(session: Session, program_id: int) -> Window:
    """A program without settings accepts applications with no deadline."""
    row = session.get(ApplicationSettings, program_id)
    return Window(True, None) if row is None else Window(row.accepting, row.application_deadline)


def set_application_window(
    session: Session, program_id: int, *, accepting: bool, deadline: datetime | None
) -> ApplicationSettings:
    row = session.get(ApplicationSettings, program_id) or ApplicationSettings(program_id=program_id)
    row.accepting = accepting
    row.application_deadline = deadline
    session.add(row)
    session.commit()
    return row


def open_programs(session: Session, applicant_id: int, now: datetime) -> list[Program]:
    """Programs open for applications now that the applicant has not applied to yet."""
    windows = {
        row.program_id: Window(row.accepting, row.application_deadline)
        for row in session.scalars(select(ApplicationSettings))
    }
    applied = set(
        session.scalars(
            select(Application.program_id).where(Application.applicant_user_id == applicant_id)
        )
    )
    return [
        program
        for program in session.scalars(select(Program).order_by(Program.institution, Program.name))
        if program.id not in applied
        and not windows.get(program.id, Window(True, None)).closed_reason(now)
    ]


def start_application(
    session: Session, applicant_id: int, program_id: int, *, now: datetime
) -> Application:
    """A draft application to an open program; one per applicant and program."""
    if session.get(Program, program_id) is None:
        raise InvalidInput([FieldError("program_id", "choose a program")])
    reason = application_window(session, program_id).closed_reason(now)
    if reason:
        raise Conflict(reason)
    existing = session.scalar(
        select(Application).where(
            Application.applicant_user_id == applicant_id, Application.program_id == program_id
        )
    )
    if existing is not None:
        raise Conflict("You already have an application to this program.")
    shared = [
        d
        for d in list_documents(session, applicant_id)
        if d.kind == DocumentKind.PERSONAL_STATEMENT.value and d.program_id in (None, program_id)
    ]
    application = Application(
        applicant_user_id=applicant_id,
        program_id=program_id,
        status="draft",
        personal_statement_id=shared[0].id if shared else None,
        letter_ids=[],
        created_at=now,
    )
    session.add(application)
    session.commit()
    return application


def list_own_applications(session: Session, applicant_id: int) -> list[tuple[Application, Program]]:
    return [
        (row[0], row[1])
        for row in session.execute(
            select(Application, Program)
            .join(Program, Program.id == Application.program_id)
            .where(Application.applicant_user_id == applicant_id)
            .order_by(Program.institution)
        )
    ]


def get_own_application(session: Session, applicant_id: int, application_id: int) -> Application:
    application = session.get(Application, application_id)
    if application is None or application.applicant_user_id != applicant_id:
        raise NotFound("No such application.")
    return application


def assign(
    session: Session, applicant_id: int, application_id: int, form: AssignmentForm
) -> Application:
    """Choose the letters (at most four, the applicant's own) and the personal statement (a
    shared one or one written for this program) that go with this application."""
    application = get_own_application(session, applicant_id, application_id)
    letter_ids = list(dict.fromkeys(form.letter_ids))
    if len(letter_ids) > MAX_LETTERS_PER_PROGRAM:
        raise InvalidInput(
            [
                FieldError(
                    "letter_ids", f"choose at most {MAX_LETTERS_PER_PROGRAM} letters per program"
                )
            ]
        )
    own_letters = set(
        session.scalars(
            select(LetterRequest.id).where(LetterRequest.applicant_user_id == applicant_id)
        )
    )
    if not set(letter_ids) <= own_letters:
        raise InvalidInput([FieldError("letter_ids", "includes a letter that is not yours")])
    if form.personal_statement_id is not None:
        statement = session.get(ApplicantDocument, form.personal_statement_id)
        if (
            statement is None
            or statement.applicant_user_id != applicant_id
            or statement.kind != DocumentKind.PERSONAL_STATEMENT.value
            or statement.program_id not in (None, application.program_id)
        ):
            raise InvalidInput(
                [
                    FieldError(
                        "personal_statement_id", "is not one of your statements for this program"
                    )
                ]
            )
    application.letter_ids = letter_ids
    application.personal_statement_id = form.personal_statement_id
    session.commit()
    return application


def _document_entry(document: ApplicantDocument) -> dict[str, Any]:
    return {
        "document_id": document.id,
        "kind": document.kind,
        "title": document.title,
        "filename": document.filename,
        "content_type": document.content_type,
        "sha256": document.sha256,
        "size_bytes": document.size_bytes,
    }


def build_snapshot(session: Session, application: Application) -> dict[str, Any]:
    """What the program would receive now: profile values, document hashes, letters."""
    return build_snapshots(session, [application])[application.id]


def build_snapshots(
    session: Session, applications: Sequence[Application]
) -> dict[int, dict[str, Any]]:
    """What each application's program would receive now, by application id: in three
    queries (documents, profiles, letters) however many applications and applicants."""
    if not applications:
        return {}
    applicant_ids = sorted({a.applicant_user_id for a in applications})
    documents: dict[int, list[ApplicantDocument]] = {i: [] for i in applicant_ids}
    for document in session.scalars(
        select(ApplicantDocument)
        .where(ApplicantDocument.applicant_user_id.in_(applicant_ids))
        .order_by(ApplicantDocument.kind, ApplicantDocument.uploaded_at.desc(),
                  ApplicantDocument.id.desc())
    ):  # fmt: skip
        documents[document.applicant_user_id].append(document)
    profiles = {
        p.user_id: p
        for p in session.scalars(
            select(ApplicantProfile).where(ApplicantProfile.user_id.in_(applicant_ids))
        )
    }
    letter_ids = sorted({i for a in applications for i in a.letter_ids})
    letters = (
        {
            letter.id: letter
            for letter in session.scalars(
                select(LetterRequest).where(LetterRequest.id.in_(letter_ids))
            )
        }
        if letter_ids
        else {}
    )
    snapshots = {}
    for application in applications:
        own = documents[application.applicant_user_id]
        chosen = [latest_of_kind(own, k) for k in (DocumentKind.CV, DocumentKind.TRANSCRIPT,
                                                    DocumentKind.PHOTO)]  # fmt: skip
        if application.personal_statement_id is not None:
            # assign() only accepts the applicant's own statements, so it is among ``own``
            chosen.append(next((d for d in own if d.id == application.personal_statement_id), None))
        assigned = [letters.get(letter_id) for letter_id in application.letter_ids]
        snapshots[application.id] = {
            "profile": profile_values(profiles.get(application.applicant_user_id)),
            "documents": [_document_entry(d) for d in chosen if d is not None],
            "letters": [
                {"letter_id": letter.id, "writer_name": letter.writer_name,
                 "writer_title": letter.writer_title, "waived": letter.waived}
                for letter in assigned if letter is not None
            ],
        }  # fmt: skip
    return snapshots


def latest_version(session: Session, application_id: int) -> ApplicationVersion | None:
    return session.scalar(
        select(ApplicationVersion)
        .where(ApplicationVersion.application_id == application_id)
        .order_by(ApplicationVersion.version.desc())
        .limit(1)
    )


def list_versions(session: Session, application_id: int) -> list[ApplicationVersion]:
    return list(
        session.scalars(
            select(ApplicationVersion)
            .where(ApplicationVersion.application_id == application_id)
            .order_by(ApplicationVersion.version)
        )
    )


def submit(
    session: Session, applicant: User, application_id: int, form: SubmitForm, *, now: datetime
) -> ApplicationVersion:
    """Freeze what the program receives, before its deadline. The first submission is
    version 1; a later one is a correction with a change log and must change something."""
    application = get_own_application(session, applicant.id, application_id)
    reason = application_window(session, application.program_id).closed_reason(now)
    if reason:
        raise Conflict(reason)
    snapshot = build_snapshot(session, application)
    previous = latest_version(session, application.id)
    changes = change_log(previous.snapshot, snapshot) if previous else []
    if previous is not None and not changes:
        raise InvalidInput(
            [FieldError("note", f"nothing changed since version {previous.version}; "
                                "edit your profile, documents or letters first")]
        )  # fmt: skip
    version = ApplicationVersion(
        application_id=application.id,
        version=(previous.version if previous else 0) + 1,
        snapshot=snapshot,
        changes=changes,
        note=form.note,
        submitted_at=now,
    )
    session.add(version)
    application.current_version = version.version
    application.submitted_at = now
    if application.status == "draft":
        application.status = "submitted"
    session.flush()
    status = checklist_of(session, application)
    if not status.complete:
        program = session.get(Program, application.program_id)
        assert program is not None
        enqueue_email(
            session,
            recipient=applicant.email,
            subject=f"Your application to {program.institution} is incomplete",
            body=(
                f"Your application to {program.display_name} was received (version "
                f"{version.version}) but is not complete yet. Missing: "
                f"{'; '.join(status.missing)}.\n"
            ),
            now=now,
        )
    session.commit()
    return version


def latest_versions(session: Session, application_ids: list[int]) -> dict[int, ApplicationVersion]:
    """The newest version of each of these applications, in one query (drafts have none)."""
    if not application_ids:
        return {}
    newest = (
        select(ApplicationVersion.application_id, func.max(ApplicationVersion.version).label("v"))
        .where(ApplicationVersion.application_id.in_(application_ids))
        .group_by(ApplicationVersion.application_id)
        .subquery()
    )
    versions = session.scalars(
        select(ApplicationVersion).join(
            newest,
            and_(
                ApplicationVersion.application_id == newest.c.application_id,
                ApplicationVersion.version == newest.c.v,
            ),
        )
    )
    return {version.application_id: version for version in versions}


def received_letter_ids(session: Session, letter_ids: Iterable[int]) -> set[int]:
    """Which of these letter requests have their letter, in one query."""
    ids = sorted(set(letter_ids))
    if not ids:
        return set()
    return set(
        session.scalars(
            select(LetterRequest.id).where(
                LetterRequest.id.in_(ids), LetterRequest.status == "received"
            )
        )
    )


def snapshot_letter_ids(snapshot: dict[str, Any]) -> list[int]:
    return [int(letter["letter_id"]) for letter in snapshot["letters"]]


def snapshot_checklist(snapshot: dict[str, Any], received: set[int]) -> Checklist:
    """The checklist of a snapshot, given the ids of the letters received so far."""
    kinds = {d["kind"] for d in snapshot["documents"]}
    return checklist(
        snapshot["profile"],
        has_cv=DocumentKind.CV.value in kinds,
        has_statement=DocumentKind.PERSONAL_STATEMENT.value in kinds,
        letters_received=len(set(snapshot_letter_ids(snapshot)) & received),
    )


def checklist_of(session: Session, application: Application) -> Checklist:
    """The checklist of what the program holds (the latest version) or, for a draft, of what
    it would receive now. Letters count once received, even after submission."""
    return checklists_of(session, [application])[application.id]


def checklists_of(session: Session, applications: Sequence[Application]) -> dict[int, Checklist]:
    """``checklist_of`` for many applications, by application id, in a fixed number of
    queries: the latest versions, the drafts' would-be snapshots, the received letters."""
    if not applications:
        return {}
    versions = latest_versions(session, [a.id for a in applications])
    snapshots = {a_id: version.snapshot for a_id, version in versions.items()}
    snapshots.update(build_snapshots(session, [a for a in applications if a.id not in versions]))
    received = received_letter_ids(
        session, (i for snapshot in snapshots.values() for i in snapshot_letter_ids(snapshot))
    )
    return {a.id: snapshot_checklist(snapshots[a.id], received) for a in applications}


@dataclass(frozen=True)
class ReceiptLetter:
    letter_id: int
    writer_name: str
    writer_title: str
    waived: bool
    received: bool


@dataclass(frozen=True)
class Receipt:
    program: Program
    application: Application
    version: ApplicationVersion
    documents: list[dict[str, Any]]
    letters: list[ReceiptLetter]
    checklist: Checklist


def receipt(session: Session, applicant_id: int, application_id: int) -> Receipt:
    """Exactly which documents (by hash) and letters the program holds."""
    application = get_own_application(session, applicant_id, application_id)
    version = latest_version(session, application.id)
    if version is None:
        raise NotFound("This application has not been submitted yet: there is no receipt.")
    program = session.get(Program, application.program_id)
    assert program is not None
    return Receipt(
        program, application, version, version.snapshot["documents"],
        snapshot_letters(session, version.snapshot), checklist_of(session, application),
    )  # fmt: skip


def snapshot_letters(session: Session, snapshot: dict[str, Any]) -> list[ReceiptLetter]:
    received = received_letter_ids(session, snapshot_letter_ids(snapshot))
    return letters_of_snapshot(snapshot, received)


def letters_of_snapshot(snapshot: dict[str, Any], received: set[int]) -> list[ReceiptLetter]:
    """The letters a snapshot assigns, each marked received or not from ``received``."""
    return [
        ReceiptLetter(letter["letter_id"], letter["writer_name"], letter["writer_title"],
                      letter["waived"], letter["letter_id"] in received)
        for letter in snapshot["letters"]
    ]  # fmt: skip


def incomplete_applications(session: Session, applicant_id: int) -> list[tuple[Program, Checklist]]:
    """Submitted applications still missing something, for the applicant's dashboard."""
    submitted = [
        (application, program)
        for application, program in list_own_applications(session, applicant_id)
        if application.status != "draft"
    ]
    checklists = checklists_of(session, [application for application, _ in submitted])
    return [
        (program, checklists[application.id])
        for application, program in submitted
        if not checklists[application.id].complete
    ]
