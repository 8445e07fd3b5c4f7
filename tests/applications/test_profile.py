from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from painfellow.applications.models import ApplicantProfile
from tests.applications.helpers import signed_in_applicant


def test_profile_saves_and_shows_again(client: TestClient, db: Session) -> None:
    user, csrf = signed_in_applicant(client, db)
    response = client.post(
        "/applicant/profile",
        data={
            "csrf_token": csrf,
            "medical_school": "Wayne State",
            "graduation_year": "2022",
            "residency_program": "UM Anesthesiology",
            "residency_specialty": "anesthesiology",
            "residency_expected_completion": "2027-06-30",
            "license_state": "mi",
            "board_status": "eligible",
            "usmle_step1": "pass",
            "usmle_step2_score": "251",
            "usmle_step3_score": "",
            "experiences": "Chief resident",
            "publications": "",
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    profile = db.get(ApplicantProfile, user.id)
    assert profile is not None
    assert (profile.license_state, profile.usmle_step2_score) == ("MI", 251)
    assert profile.usmle_step3_score is None
    page = client.get("/applicant/profile")
    assert page.status_code == 200
    assert 'value="Wayne State"' in page.text and 'value="2027-06-30"' in page.text


def test_profile_errors_name_each_field_and_store_nothing(client: TestClient, db: Session) -> None:
    user, csrf = signed_in_applicant(client, db)
    response = client.post(
        "/applicant/profile",
        data={
            "csrf_token": csrf,
            "residency_specialty": "dermatology",
            "license_state": "ZZ",
            "usmle_step2_score": "999",
            "board_status": "maybe",
            "medical_school": "Kept",
        },
    )
    assert response.status_code == 422
    for field in ("residency_specialty", "license_state", "usmle_step2_score", "board_status"):
        assert f'id="{field}-error"' in response.text
    assert "choose a specialty from the list" in response.text
    assert 'value="Kept"' in response.text  # what was typed comes back
    assert db.get(ApplicantProfile, user.id) is None
