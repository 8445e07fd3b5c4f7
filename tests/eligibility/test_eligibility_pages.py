"""The public eligibility questionnaire and the admin's rules (issue 4)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.accounts.roles import Role
from painfellow.audit.models import AuditEntry
from painfellow.core.eligibility import Confidence, Verdict
from painfellow.eligibility import service
from painfellow.eligibility.models import EligibilityRule
from painfellow.eligibility.schemas import RuleForm
from tests.builders import FIXED_NOW, make_program, make_user, sign_in

ANSWERS = {"specialty": "anesthesiology", "accreditation": "acgme",
           "training_status": "completed", "board_status": "certified"}  # fmt: skip
INTERNIST = {**ANSWERS, "specialty": "internal_medicine"}


def test_questionnaire_works_signed_out_and_stores_nothing(client: TestClient, db: Session) -> None:
    blank = client.get("/eligibility")
    assert blank.status_code == 200 and "Check my eligibility" in blank.text
    result = client.get("/eligibility", params=ANSWERS)
    assert result.status_code == 200
    assert "Yes, you can enter a pain medicine fellowship" in result.text
    assert "the ABA would certify you" in result.text and "DHMC" in result.text
    assert db.scalars(select(EligibilityRule)).all() == []


def test_unlisted_specialty_is_uncertain_with_reason_and_source(client: TestClient) -> None:
    page = client.get("/eligibility", params=INTERNIST)
    assert "Uncertain: check with the programs" in page.text
    assert "No stored source lists Internal Medicine" in page.text and "§1.2" in page.text


def test_bad_answers_are_refused_naming_the_field(client: TestClient) -> None:
    page = client.get("/eligibility", params={**ANSWERS, "training_status": "in_training",
                                              "pgy": "0", "months_left": "abc"})  # fmt: skip
    assert page.status_code == 422
    assert 'id="pgy-error"' in page.text and 'id="months_left-error"' in page.text
    missing = client.get("/eligibility", params={**ANSWERS, "training_status": "in_training"})
    assert missing.status_code == 422
    assert 'id="months_to_start-error"' in missing.text and "is required while" in missing.text
    wrong = client.get("/eligibility", params={**ANSWERS, "accreditation": "mars"})
    assert wrong.status_code == 422 and 'id="accreditation-error"' in wrong.text


def test_admin_edits_a_rule_and_the_verdict_changes(client: TestClient, db: Session) -> None:
    admin = make_user(db, [(None, Role.PLATFORM_ADMIN)])
    csrf = sign_in(client, db, admin)
    assert client.get("/admin/eligibility").status_code == 200
    bad = client.post("/admin/eligibility", data={
        "csrf_token": csrf, "specialty": "internal_medicine", "label": "Internal Medicine",
        "eligible": "maybe", "confidence": "S", "source": ""})  # fmt: skip
    assert bad.status_code == 422
    assert 'id="eligible-error"' in bad.text and 'id="source-error"' in bad.text
    saved = client.post("/admin/eligibility", data={
        "csrf_token": csrf, "specialty": "internal_medicine", "label": "Internal Medicine",
        "eligible": "yes", "certifying_board": "ABIM", "min_prior_gme_years": "3",
        "confidence": "S", "source": "New program survey"}, follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303
    page = client.get("/eligibility", params=INTERNIST)
    assert "Yes, you can enter" in page.text and "the ABIM would certify you" in page.text
    assert "New program survey" in page.text
    entry = db.scalars(select(AuditEntry).where(AuditEntry.entity == "eligibility_rules")).one()
    assert entry.actor_user_id == admin.id and entry.changes["eligible"] == [None, "yes"]


def test_saving_again_updates_the_one_row(db: Session) -> None:
    form = RuleForm(specialty="surgery", label="Surgery", eligible=Verdict.NO,
                    confidence=Confidence.UNCONFIRMED, source="none found")  # fmt: skip
    service.save_rule(db, form, now=FIXED_NOW)
    service.save_rule(db, form.model_copy(update={"label": "General Surgery"}), now=FIXED_NOW)
    rows = db.scalars(select(EligibilityRule)).all()
    assert [r.label for r in rows] == ["General Surgery"]
    rule = service.get_rules(db).get("surgery")
    assert rule is not None and rule.eligible is Verdict.NO


def test_admin_adds_a_new_specialty(client: TestClient, db: Session) -> None:
    csrf = sign_in(client, db, make_user(db, [(None, Role.PLATFORM_ADMIN)]))
    client.post("/admin/eligibility", data={
        "csrf_token": csrf, "specialty": "pediatrics", "label": "Pediatrics",
        "eligible": "uncertain", "confidence": "U", "source": "none found"})  # fmt: skip
    assert "Pediatrics" in client.get("/eligibility").text


def test_non_admins_cannot_edit_rules(client: TestClient, db: Session) -> None:
    program = make_program(db)
    director = make_user(db, [(program.id, Role.PROGRAM_DIRECTOR)])
    csrf = sign_in(client, db, director)
    denied = client.post("/admin/eligibility", data={
        "csrf_token": csrf, "specialty": "surgery", "label": "Surgery", "eligible": "yes",
        "confidence": "C", "source": "a source"})  # fmt: skip
    assert denied.status_code == 403
    assert db.scalars(select(EligibilityRule)).all() == []


def test_applicant_dashboard_links_the_questionnaire(client: TestClient, db: Session) -> None:
    sign_in(client, db, make_user(db, [(None, Role.APPLICANT)]))
    assert 'href="/eligibility"' in client.get("/dashboard").text
