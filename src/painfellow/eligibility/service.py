"""Eligibility: the rules in force (defaults overridden by the admin's rows) and assessments.

Rules come from training-rules.md §1.2, §5 and §9 through
``painfellow.core.eligibility.DEFAULT_RULES``; the admin corrects them here as sources are
confirmed. Assessing answers stores nothing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from painfellow.core.eligibility import (
    DEFAULT_RULES,
    Answers,
    Assessment,
    Confidence,
    EligibilityRules,
    SpecialtyRule,
    Verdict,
    assess,
)
from painfellow.eligibility.models import EligibilityRule
from painfellow.eligibility.schemas import QuestionnaireForm, RuleForm


def _from_row(row: EligibilityRule) -> SpecialtyRule:
    return SpecialtyRule(
        specialty=row.specialty,
        label=row.label,
        eligible=Verdict(row.eligible),
        certifying_board=row.certifying_board,
        min_prior_gme_years=row.min_prior_gme_years,
        confidence=Confidence(row.confidence),
        source=row.source,
    )


def get_rules(session: Session) -> EligibilityRules:
    """The defaults of training-rules.md §9, each replaced by the admin's row when there is one;
    specialties the admin added come after the defaults."""
    saved = {
        row.specialty: _from_row(row)
        for row in session.scalars(select(EligibilityRule).order_by(EligibilityRule.specialty))
    }
    merged = [saved.pop(rule.specialty, rule) for rule in DEFAULT_RULES.specialties]
    return EligibilityRules((*merged, *saved.values()))


def save_rule(session: Session, form: RuleForm, *, now: datetime) -> EligibilityRule:
    """Store the admin's version of one specialty's rule (creating its row on first save)."""
    row = session.scalar(select(EligibilityRule).where(EligibilityRule.specialty == form.specialty))
    if row is None:
        row = EligibilityRule(specialty=form.specialty)
        session.add(row)
    row.label = form.label
    row.eligible = form.eligible.value
    row.certifying_board = form.certifying_board
    row.min_prior_gme_years = form.min_prior_gme_years
    row.confidence = form.confidence.value
    row.source = form.source
    row.updated_at = now
    session.commit()
    return row


def assess_answers(session: Session, form: QuestionnaireForm) -> Assessment:
    """Assess the applicant's answers against the rules in force; nothing is stored."""
    answers = Answers(
        specialty=form.specialty,
        accreditation=form.accreditation,
        training_status=form.training_status,
        board_status=form.board_status,
        pgy=form.pgy,
        months_left=form.months_left,
        months_to_start=form.months_to_start,
    )
    return assess(answers, get_rules(session))
