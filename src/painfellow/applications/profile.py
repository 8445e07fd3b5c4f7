"""The applicant's profile: schooling, residency, licensure, boards, scores, experience."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from painfellow.applications.models import ApplicantProfile
from painfellow.applications.schemas import ProfileForm

PROFILE_FIELDS = tuple(ProfileForm.model_fields)


def get_profile(session: Session, user_id: int) -> ApplicantProfile | None:
    return session.get(ApplicantProfile, user_id)


def save_profile(
    session: Session, user_id: int, form: ProfileForm, *, now: datetime
) -> ApplicantProfile:
    """Create or replace the applicant's profile. Submitted applications keep their own
    frozen copy, so editing here never changes what a program already received."""
    profile = session.get(ApplicantProfile, user_id) or ApplicantProfile(user_id=user_id)
    for name in PROFILE_FIELDS:
        value = getattr(form, name)
        setattr(profile, name, value.value if hasattr(value, "value") else value)
    profile.updated_at = now
    session.add(profile)
    session.commit()
    return profile


def profile_values(profile: ApplicantProfile | None) -> dict[str, Any]:
    """The profile as JSON-ready values (dates as ISO strings), for forms and snapshots."""
    if profile is None:
        return {name: "" for name in PROFILE_FIELDS}
    values: dict[str, Any] = {}
    for name in PROFILE_FIELDS:
        value = getattr(profile, name)
        values[name] = value.isoformat() if hasattr(value, "isoformat") else value
    return values
