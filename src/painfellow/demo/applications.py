"""Demo data of applications: applicant1@ complete and submitted to the flagship and two other
programs (with a correction at the flagship), applicant2@ with an incomplete application, and
the flagship's rubric, scores and a note. applicant3@ is left without applications for the
journey. Each applicant has starred a few programs, so /programs/favourites shows something
(applicant1@ not the flagship: the browser's discovery journey stars that one itself).

Documents and letters are real small PDFs rendered with WeasyPrint, stored under the
installation's upload directory like any upload.
"""

from __future__ import annotations

import functools
import io
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.applications import documents, letters, review, submissions
from painfellow.applications.profile import save_profile
from painfellow.applications.schemas import (
    AssignmentForm,
    LetterRequestForm,
    ProfileForm,
    SubmitForm,
)
from painfellow.caselog.pdf import render_pdf
from painfellow.discovery.models import ProgramFavourite
from painfellow.programs.models import Program
from painfellow.settings import Settings

DEMO_DOMAIN = "demo.painfellow.org"
# the cities of the programs each demo applicant starred, first starred first (the flagship
# is in Ann Arbor)
FAVOURITE_CITIES = {
    "applicant1": ["Boston", "Denver", "Seattle"],
    "applicant2": ["Ann Arbor", "Phoenix", "Atlanta"],
    "applicant3": ["Ann Arbor", "Baltimore", "Miami"],
}


@functools.cache
def _pdf(title: str, text: str) -> bytes:
    html = (
        "<html><head><style>body{font-family:sans-serif;margin:2cm}</style></head><body>"
        f"<h1>{title}</h1>{''.join(f'<p>{line}</p>' for line in text.splitlines())}</body></html>"
    )
    return render_pdf(html)


@functools.cache
def _photo() -> bytes:
    from PIL import Image

    stream = io.BytesIO()
    Image.new("RGB", (120, 150), (70, 110, 160)).save(stream, format="JPEG")
    return stream.getvalue()


def _user(session: Session, local: str) -> User:
    user = session.scalar(select(User).where(User.email == f"{local}@{DEMO_DOMAIN}"))
    assert user is not None, f"demo user {local}@ is missing"
    return user


def add_applications_demo(
    session: Session, flagship: Program, today: date, upload_dir: Path | None = None
) -> None:
    """Commits as it goes (each step is a service command); call after the base demo commit."""
    settings = Settings()
    upload_dir = upload_dir or settings.upload_dir
    now = datetime.combine(today, time(12), UTC) - timedelta(days=20)
    secret, base_url = settings.secret_key, settings.base_url
    others = list(
        session.scalars(select(Program).where(Program.id != flagship.id).order_by(Program.id))
    )[:2]
    first, second = _user(session, "applicant1"), _user(session, "applicant2")
    writer = _user(session, "letterwriter")
    submissions.set_application_window(
        session, flagship.id, accepting=True, deadline=now + timedelta(days=50)
    )

    save_profile(
        session,
        first.id,
        ProfileForm(
            medical_school="Wayne State University School of Medicine",
            graduation_year=2022,
            residency_program="University of Michigan Anesthesiology",
            residency_specialty="anesthesiology",
            residency_expected_completion=date(2027, 6, 30),
            license_state="MI",
            license_number="4301123456",
            board_status="eligible",
            usmle_step1="pass",
            usmle_step2_score=251,
            experiences="Chief resident, 2025–26\nRegional anesthesia elective, 3 months",
            publications="Ultrasound-guided genicular nerve blocks: a case series. Pain Med. 2025.",
        ),
        now=now,
    )
    name = first.full_name
    upload = functools.partial(documents.upload_document, session, upload_dir, first.id, now=now)
    upload(
        kind="cv",
        filename="cv.pdf",
        data=_pdf(f"{name}: Curriculum vitae", "Education\nResidency\nPublications"),
    )
    upload(
        kind="transcript",
        filename="transcript.pdf",
        data=_pdf(f"{name}: Medical school transcript", "All clerkships: Honors"),
    )
    upload(kind="photo", filename="photo.jpg", data=_photo())
    statement = upload(
        kind="personal_statement",
        filename="statement.pdf",
        title="Shared statement",
        data=_pdf("Personal statement", "Why pain medicine, and why now."),
    )
    writers = [
        (writer.full_name, writer.email, "Professor of Anesthesiology", True),
        ("Dr. Samuel Ortiz", "s.ortiz@example.org", "Residency Program Director", True),
        ("Dr. Lena Fischer", "l.fischer@example.org", "Associate Professor of Neurology", False),
        ("Dr. Omar Haddad", "o.haddad@example.org", "Chair of Anesthesiology", True),
    ]
    made = []
    for index, (writer_name, email, title, waive) in enumerate(writers):
        form = LetterRequestForm(
            writer_name=writer_name, writer_email=email, writer_title=title, waive=waive
        )
        letter = letters.request_letter(
            session, first, form, secret_key=secret, base_url=base_url, now=now
        )
        if index < 3:  # the fourth writer has not answered yet
            letters.receive_letter(
                session,
                upload_dir,
                secret,
                letters.upload_token(secret, letter),
                _pdf(f"Letter of recommendation for {name}", f"From {writer_name}, {title}."),
                now=now + timedelta(days=2),
            )
        made.append(letter)
    applications = []
    for program in [flagship, *others]:
        application = submissions.start_application(session, first.id, program.id, now=now)
        submissions.assign(
            session,
            first.id,
            application.id,
            AssignmentForm(letter_ids=[m.id for m in made[:3]], personal_statement_id=statement.id),
        )
        submissions.submit(
            session, first, application.id, SubmitForm(), now=now + timedelta(days=3)
        )
        applications.append(application)
    upload(
        kind="cv",
        filename="cv.pdf",
        title="CV (new publication)",
        data=_pdf(f"{name}: Curriculum vitae", "Education\nResidency\nPublications (2)"),
    )
    submissions.submit(
        session,
        first,
        applications[0].id,
        SubmitForm(note="Added a second publication to the CV."),
        now=now + timedelta(days=5),
    )

    save_profile(
        session,
        second.id,
        ProfileForm(
            medical_school="Ohio State University College of Medicine",
            residency_program="Cleveland PM&R",
            residency_specialty="physical_medicine_rehabilitation",
            board_status="neither",
        ),
        now=now,
    )
    documents.upload_document(
        session,
        upload_dir,
        second.id,
        kind="cv",
        filename="cv.pdf",
        data=_pdf(f"{second.full_name}: CV", "Education\nResidency"),
        now=now,
    )
    pending = letters.request_letter(
        session,
        second,
        LetterRequestForm(
            writer_name=writer.full_name,
            writer_email=writer.email,
            writer_title="Professor of Anesthesiology",
            waive=True,
        ),
        secret_key=secret,
        base_url=base_url,
        now=now,
    )
    incomplete = submissions.start_application(session, second.id, flagship.id, now=now)
    submissions.assign(session, second.id, incomplete.id, AssignmentForm(letter_ids=[pending.id]))
    submissions.submit(session, second, incomplete.id, SubmitForm(), now=now + timedelta(days=4))

    criteria = [
        review.add_criterion(session, flagship.id, n, w)
        for n, w in (("Clinical excellence", "3"), ("Research", "1"), ("Letters", "2"))
    ]
    reviewers = [_user(session, "director"), _user(session, "faculty1")]
    for reviewer, scores in zip(reviewers, (("5", "4", "5"), ("4", "3", "4")), strict=True):
        review.save_scores(
            session,
            flagship.id,
            applications[0].id,
            reviewer.id,
            {f"score_{c.id}": s for c, s in zip(criteria, scores, strict=True)},
            now=now + timedelta(days=6),
        )
    review.add_note(
        session,
        flagship.id,
        applications[0].id,
        reviewers[1].id,
        "Strong regional anesthesia background; ask about research plans.",
        now=now + timedelta(days=6),
    )
    applications[0].status = "under_review"
    session.commit()
    _add_favourites(session, now)


def _add_favourites(session: Session, now: datetime) -> None:
    """The demo applicants' starred programs (one demo program per city); one transaction."""
    cities = {city for chosen in FAVOURITE_CITIES.values() for city in chosen}
    by_city = {
        p.city: p.id for p in session.scalars(select(Program).where(Program.city.in_(cities)))
    }
    for local, chosen in FAVOURITE_CITIES.items():
        applicant = _user(session, local)
        program_ids = [by_city[city] for city in chosen]
        session.add_all(
            ProgramFavourite(applicant_user_id=applicant.id, program_id=program_id,
                             created_at=now + timedelta(hours=n))
            for n, program_id in enumerate(program_ids)
        )  # fmt: skip
    session.commit()
