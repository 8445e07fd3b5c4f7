"""Can this applicant enter a pain medicine fellowship, and which board certifies them after?

Pure rules (no framework, no database). Sources: ``training-rules.md`` §1.2 (eligible prior
residencies, with its UNCONFIRMED notes), §5 (ABMS board certification) and §9
(``eligibility``, ``certification.primary_board_by_residency``). Every reason carries the
source tag and confidence ([C] confirmed, [S] secondary, [U] unconfirmed) of the rule it
applies. An unconfirmed rule never yields a hard "no": it yields "uncertain" with its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Verdict(StrEnum):
    YES = "yes"
    NO = "no"
    UNCERTAIN = "uncertain"


class Confidence(StrEnum):
    CONFIRMED = "C"
    CONFIRMED_SECONDARY = "C/S"
    SECONDARY = "S"
    UNCONFIRMED = "U"


class TrainingStatus(StrEnum):
    COMPLETED = "completed"
    WILL_COMPLETE = "will_complete"  # before the fellowship start date
    IN_TRAINING = "in_training"  # PGY-n with some months left
    NOT_STARTED = "not_started"


class Accreditation(StrEnum):
    ACGME = "acgme"
    AOA = "aoa"
    INTERNATIONAL = "international"


class BoardStatus(StrEnum):
    CERTIFIED = "certified"
    ELIGIBLE = "eligible"
    NEITHER = "neither"


@dataclass(frozen=True)
class SpecialtyRule:
    """One core residency: may its graduates enter, and which ABMS board certifies them."""

    specialty: str
    label: str
    eligible: Verdict
    certifying_board: str  # "" when no board is known
    min_prior_gme_years: int | None
    confidence: Confidence
    source: str

    @property
    def unconfirmed(self) -> bool:
        return self.confidence is Confidence.UNCONFIRMED


@dataclass(frozen=True)
class EligibilityRules:
    specialties: tuple[SpecialtyRule, ...]

    def get(self, specialty: str) -> SpecialtyRule | None:
        return next((r for r in self.specialties if r.specialty == specialty), None)


@dataclass(frozen=True)
class Answers:
    specialty: str
    accreditation: Accreditation
    training_status: TrainingStatus
    board_status: BoardStatus
    pgy: int | None = None  # only for IN_TRAINING
    months_left: int | None = None  # months of residency still to do (IN_TRAINING)
    months_to_start: int | None = None  # months until the fellowship start (IN_TRAINING)


@dataclass(frozen=True)
class Reason:
    """One sentence of the explanation, the outcome it points to, and where the rule is from."""

    text: str
    outcome: Verdict
    confidence: Confidence
    source: str


@dataclass(frozen=True)
class Assessment:
    eligible: Verdict
    reasons: tuple[Reason, ...]
    certifying_board: str  # "" when unknown
    board_notes: tuple[Reason, ...]


_DOMAIN = "training-rules.md"
_NOT_LISTED = f"{_DOMAIN} §1.2 (no stored source lists it)"

# training-rules.md §1.2 / §9. Prior-GME years: FREIDA gives "3/4" by core specialty [S]; the
# split per specialty is from general knowledge, hence kept as data the admin may correct.
DEFAULT_RULES = EligibilityRules(
    (
        SpecialtyRule("anesthesiology", "Anesthesiology", Verdict.YES, "ABA", 4,
                      Confidence.CONFIRMED_SECONDARY, "DHMC; ABA is the exam owner"),
        SpecialtyRule("neurology", "Neurology", Verdict.YES, "ABPN", 4,
                      Confidence.CONFIRMED_SECONDARY, "DHMC; ABPN-PM"),
        SpecialtyRule("child_neurology", "Child Neurology", Verdict.YES, "ABPN", 4,
                      Confidence.SECONDARY, "ABPN-PM; AAPMR-2018"),
        SpecialtyRule("physical_medicine_rehabilitation", "Physical Medicine & Rehabilitation",
                      Verdict.YES, "ABPMR", 4, Confidence.CONFIRMED_SECONDARY,
                      "DHMC; ABPN-PM"),
        SpecialtyRule("psychiatry", "Psychiatry", Verdict.YES, "ABPN", 4,
                      Confidence.CONFIRMED_SECONDARY, "DHMC; ABPN-PM"),
        SpecialtyRule("emergency_medicine", "Emergency Medicine", Verdict.YES, "ABEM", 3,
                      Confidence.CONFIRMED, "ABEM-PM; EMRA"),
        SpecialtyRule("family_medicine", "Family Medicine", Verdict.YES, "ABFM", 3,
                      Confidence.SECONDARY, "PainMed-org; PainRepo; SDN-2017; NMCSD"),
        SpecialtyRule("radiology", "Radiology (diagnostic)", Verdict.YES, "ABR", 4,
                      Confidence.SECONDARY, "ASSR-2014; JACR-2017"),
        SpecialtyRule("internal_medicine", "Internal Medicine", Verdict.UNCERTAIN, "", None,
                      Confidence.UNCONFIRMED, _NOT_LISTED),
        SpecialtyRule("surgery", "Surgery", Verdict.UNCERTAIN, "", None,
                      Confidence.UNCONFIRMED, _NOT_LISTED),
        SpecialtyRule("other", "Another specialty", Verdict.UNCERTAIN, "", None,
                      Confidence.UNCONFIRMED, _NOT_LISTED),
    )
)  # fmt: skip

_BOARD_WORDS = {
    BoardStatus.CERTIFIED: "board-certified",
    BoardStatus.ELIGIBLE: "board-eligible",
    BoardStatus.NEITHER: "neither board-eligible nor board-certified yet",
}
_ORDER = {Verdict.YES: 0, Verdict.UNCERTAIN: 1, Verdict.NO: 2}


def assess(answers: Answers, rules: EligibilityRules = DEFAULT_RULES) -> Assessment:
    """Apply the eligibility rules of training-rules.md §1.2 and the board pathway of §5.

    The verdict is the worst outcome among the reasons (no > uncertain > yes). A rule tagged
    [U] can only make the verdict "uncertain", never "no".
    """
    rule = rules.get(answers.specialty)
    reasons = [
        _specialty_reason(answers.specialty, rule),
        _accreditation_reason(answers.accreditation),
        _timing_reason(answers, rule),
        Reason(
            f"Being {_BOARD_WORDS[answers.board_status]} in your core specialty does not bar "
            "entry in any source we hold; whether a program requires board eligibility or "
            "certification at the start is its own policy.",
            Verdict.YES, Confidence.UNCONFIRMED, f"{_DOMAIN} §1.2",
        ),
    ]  # fmt: skip
    reasons = [_soften(r) for r in reasons]
    verdict = max((r.outcome for r in reasons), key=_ORDER.__getitem__)
    board = rule.certifying_board if rule and rule.eligible is not Verdict.NO else ""
    return Assessment(verdict, tuple(reasons), board, tuple(_board_notes(answers, board)))


def _soften(reason: Reason) -> Reason:
    if reason.outcome is Verdict.NO and reason.confidence is Confidence.UNCONFIRMED:
        return Reason(reason.text, Verdict.UNCERTAIN, reason.confidence, reason.source)
    return reason


def _specialty_reason(specialty: str, rule: SpecialtyRule | None) -> Reason:
    if rule is None:
        return Reason(
            f"No source we hold lists “{specialty}” as a core residency that leads to a pain "
            "medicine fellowship; ask the programs you are interested in.",
            Verdict.UNCERTAIN, Confidence.UNCONFIRMED, _NOT_LISTED,
        )  # fmt: skip
    if rule.eligible is Verdict.YES:
        text = f"{rule.label} is one of the core residencies that lead to a pain fellowship."
    elif rule.eligible is Verdict.NO:
        text = f"{rule.label} is not among the core residencies that lead to a pain fellowship."
    else:
        text = (
            f"No stored source lists {rule.label} among the core residencies that lead to a "
            "pain fellowship, and none rules it out; ask the programs you are interested in."
        )
    return Reason(text, rule.eligible, rule.confidence, rule.source)


def _accreditation_reason(accreditation: Accreditation) -> Reason:
    if accreditation is Accreditation.ACGME:
        return Reason(
            "Your residency is ACGME-accredited, the usual prerequisite.",
            Verdict.YES, Confidence.SECONDARY, "FREIDA; NMCSD",
        )  # fmt: skip
    kind = "AOA-approved" if accreditation is Accreditation.AOA else "international"
    return Reason(
        f"Whether an {kind} residency is accepted is not confirmed by any source we hold; "
        "ask the programs, who decide under the ACGME requirements.",
        Verdict.UNCERTAIN, Confidence.UNCONFIRMED, f"{_DOMAIN} §1.2, §7 item 1",
    )  # fmt: skip


def _timing_reason(answers: Answers, rule: SpecialtyRule | None) -> Reason:
    source, conf = "FREIDA; NMCSD", Confidence.SECONDARY
    status = answers.training_status
    if status is TrainingStatus.COMPLETED:
        return Reason("You have completed your core residency.", Verdict.YES, conf, source)
    if status is TrainingStatus.WILL_COMPLETE:
        return Reason(
            "You will complete your core residency before the fellowship starts, as required.",
            Verdict.YES, conf, source,
        )  # fmt: skip
    if status is TrainingStatus.NOT_STARTED:
        return Reason(
            "A pain fellowship follows a completed core residency (3 or 4 years of prior "
            "training; it offers no PGY-1 positions), so you cannot enter one yet.",
            Verdict.NO, conf, "FREIDA",
        )  # fmt: skip
    left, start, pgy = answers.months_left, answers.months_to_start, answers.pgy
    if left is None or start is None:
        return Reason(
            "Tell us how many months of residency you have left and when the fellowship "
            "starts, so we can check the timing.",
            Verdict.UNCERTAIN, conf, source,
        )  # fmt: skip
    where = f"PGY-{pgy}" if pgy else "In residency"
    if left > start:
        return Reason(
            f"{where} with {left} months left, you would still be a resident when the "
            f"fellowship starts in {start} months; the core residency must be completed first. "
            "Aim for a later start date.",
            Verdict.NO, conf, source,
        )  # fmt: skip
    text = (
        f"{where} with {left} months left, you finish before the fellowship starts in "
        f"{start} months."
    )
    if rule and rule.min_prior_gme_years and pgy is not None:
        years = pgy  # PGY-n is finished by the start date
        if years < rule.min_prior_gme_years:
            return Reason(
                f"{text} But you would have about {years} years of prior training, and "
                f"{rule.label} residencies usually take {rule.min_prior_gme_years}; check "
                "that your residency is complete by then.",
                Verdict.UNCERTAIN, Confidence.UNCONFIRMED, "FREIDA (3 or 4 prior years)",
            )  # fmt: skip
    return Reason(text, Verdict.YES, conf, source)


def _board_notes(answers: Answers, board: str) -> list[Reason]:
    notes = [
        Reason(
            "All boards share one pain medicine exam, developed and given by the ABA once a "
            "year; you apply through your primary board.",
            Verdict.YES, Confidence.CONFIRMED, "ABEM-PM; ABPN-PM",
        ),
        Reason(
            "To sit it you need a completed ACGME-accredited pain fellowship of at least 12 "
            "months, attested by your program director.",
            Verdict.YES, Confidence.CONFIRMED, "ABEM-PM; AOBA-PM",
        ),
    ]  # fmt: skip
    if not board:
        notes.insert(0, Reason(
            "We cannot name the board that would certify you: none of the six co-sponsoring "
            "boards (ABA, ABPMR, ABPN, ABEM, ABFM, ABR) is listed for your specialty.",
            Verdict.UNCERTAIN, Confidence.SECONDARY, "PainRepo; SDN-2017",
        ))  # fmt: skip
        return notes
    if answers.board_status is BoardStatus.CERTIFIED:
        primary = f"Keep your {board} primary certificate current (including its MOC program)."
    else:
        primary = (
            f"You will need current primary certification from the {board} to be certified in "
            "pain medicine; some boards let you take the exam before it is granted."
        )
    notes.insert(0, Reason(
        f"After the fellowship, the {board} would certify you in pain medicine.",
        Verdict.YES, Confidence.SECONDARY, f"{_DOMAIN} §5.1, §9",
    ))  # fmt: skip
    notes.insert(1, Reason(primary, Verdict.YES, Confidence.CONFIRMED_SECONDARY,
                           "ABEM-PM; BoardVitals"))  # fmt: skip
    notes.append(Reason(
        "Board eligibility lasts 7 years from the end of the fellowship (ABFM policy; the other "
        "boards have their own, similar rules).",
        Verdict.YES, Confidence.CONFIRMED, "ABFM-BE",
    ))  # fmt: skip
    if answers.accreditation is Accreditation.AOA:
        notes.append(Reason(
            "Osteopathic route: the AOBA certifies in pain management after AOBA primary "
            "certification, an ACGME pain fellowship and a year of pain practice.",
            Verdict.YES, Confidence.SECONDARY, "AOBA-PM",
        ))  # fmt: skip
    return notes
