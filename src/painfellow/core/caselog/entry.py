"""The case-log entry and its validation.

Model: training-rules.md section 4 (recommended entry: date, fellow, CPT code(s), category,
imaging guidance, anatomical level, laterality, fellow role, complications, patient age
band) and clinical-reference.md 1.1 (region and laterality as separate fields, levels per
joint, guidance stored even when bundled, intent, add-on codes never alone). No Safe Harbor
identifier is stored: the patient is an age band and a sex only, and the free-text note is
screened (clinical-reference.md section 5).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from painfellow.core.caselog.model import CptCode, Procedure
from painfellow.core.caselog.phi import screen_free_text
from painfellow.core.caselog.procedures_data import EXCLUSIVE_CODES
from painfellow.core.caselog.taxonomy import allowed_complications, find_procedure
from painfellow.core.caselog.vocab import (
    AGE_BANDS,
    GUIDANCE,
    INTENTS,
    LATERALITIES,
    ROLES,
    SEXES,
    SPINAL_LEVELS,
    SPINAL_REGION_SPANS,
    level_regions,
)

#: The complication value that records an uneventful case; it stands alone.
NO_COMPLICATION = "none"

#: Longest note accepted (characters): a note is a short teaching remark, not a record.
MAX_NOTE_LENGTH = 2000


@dataclass(frozen=True, slots=True)
class CaseLogEntry:
    """One procedure in a fellow's case log. Allowed values:

    * ``procedure_id``: an id of the taxonomy (:func:`taxonomy.list_procedures`);
    * ``fellow_id``: the fellow's plain id;
    * ``performed_on``: the date of the case (the fellow's training record; see the
      Safe Harbor note in the report of :func:`validate_entry`);
    * ``role``: :data:`vocab.ROLES`;
    * ``guidance``: :data:`vocab.GUIDANCE`, and one of the procedure's ``guidance``;
    * ``complications``: codes of :func:`taxonomy.allowed_complications`, or ``("none",)``;
    * ``age_band``: :data:`vocab.AGE_BANDS`; ``sex``: :data:`vocab.SEXES`;
    * ``region``: one of the procedure's ``regions``; may be ``None`` when the procedure
      has a single region (implied) and must be ``None`` when it has none;
    * ``levels``: :data:`vocab.SPINAL_LEVELS` inside the region, only for spinal regions;
    * ``laterality``: :data:`vocab.LATERALITIES`, required exactly when the procedure is
      lateral, otherwise ``None``;
    * ``intent``: :data:`vocab.INTENTS` or ``None``, only for procedures with an intent;
    * ``cpt_codes``: codes of the procedure (optional);
    * ``note``: free text, screened for Safe Harbor identifiers.
    """

    procedure_id: str
    fellow_id: int
    performed_on: date
    role: str
    guidance: str
    complications: tuple[str, ...]
    age_band: str
    sex: str
    region: str | None = None
    levels: tuple[str, ...] = ()
    laterality: str | None = None
    intent: str | None = None
    cpt_codes: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """Why one field of an entry is refused: the field name and a readable reason."""

    field: str
    reason: str


def _one_of(field: str, value: str, allowed: tuple[str, ...]) -> list[FieldProblem]:
    if value in allowed:
        return []
    return [FieldProblem(field, f"{value!r} is not one of: {', '.join(allowed)}")]


def effective_region(procedure: Procedure, region: str | None) -> str | None:
    """The entry's region, or the procedure's only region when the entry leaves it out."""
    if region is None and len(procedure.regions) == 1:
        return procedure.regions[0]
    return region


def _check_region(entry: CaseLogEntry, procedure: Procedure) -> list[FieldProblem]:
    if not procedure.regions:
        if entry.region is not None:
            return [FieldProblem("region", f"no region applies to {procedure.label}")]
        return []
    if entry.region is None:
        if len(procedure.regions) > 1:
            return [FieldProblem("region", f"required, one of: {', '.join(procedure.regions)}")]
        return []
    return _one_of("region", entry.region, procedure.regions)


def _check_levels(entry: CaseLogEntry, procedure: Procedure) -> list[FieldProblem]:
    if not entry.levels:
        return []
    region = effective_region(procedure, entry.region)
    if region not in SPINAL_REGION_SPANS:
        return [FieldProblem("levels", "spinal levels apply only to a spinal region")]
    problems: list[FieldProblem] = []
    if len(set(entry.levels)) != len(entry.levels):
        problems.append(FieldProblem("levels", "a level is listed twice"))
    span = SPINAL_REGION_SPANS[region]
    for level in entry.levels:
        if level not in SPINAL_LEVELS:
            problems.append(FieldProblem("levels", f"{level!r} is not a spinal level"))
        elif not level_regions(level) & span:
            problems.append(FieldProblem("levels", f"{level} is not in the {region} region"))
    return problems


def _check_laterality(entry: CaseLogEntry, procedure: Procedure) -> list[FieldProblem]:
    if not procedure.laterality:
        if entry.laterality is not None:
            return [FieldProblem("laterality", f"laterality does not apply to {procedure.label}")]
        return []
    if entry.laterality is None:
        return [FieldProblem("laterality", f"required, one of: {', '.join(LATERALITIES)}")]
    return _one_of("laterality", entry.laterality, LATERALITIES)


def _check_guidance(entry: CaseLogEntry, procedure: Procedure) -> list[FieldProblem]:
    problems = _one_of("guidance", entry.guidance, GUIDANCE)
    if not problems and entry.guidance not in procedure.guidance:
        problems.append(
            FieldProblem(
                "guidance",
                f"{entry.guidance} is not used for {procedure.label} "
                f"(allowed: {', '.join(procedure.guidance)})",
            )
        )
    return problems


def _check_complications(entry: CaseLogEntry, procedure: Procedure) -> list[FieldProblem]:
    codes = entry.complications
    if not codes:
        return [FieldProblem("complications", "required: record 'none' for an uneventful case")]
    if NO_COMPLICATION in codes:
        if len(codes) > 1:
            return [FieldProblem("complications", "'none' cannot be combined with complications")]
        return []
    allowed = allowed_complications(procedure)
    problems = [
        FieldProblem("complications", f"{code!r} is not a complication of {procedure.label}")
        for code in codes
        if code not in allowed
    ]
    if len(set(codes)) != len(codes):
        problems.append(FieldProblem("complications", "a complication is listed twice"))
    for code in codes:
        if code in procedure.expected_effects:
            problems.append(
                FieldProblem("complications", f"{code} is an expected effect, not a complication")
            )
    return problems


def _check_intent(entry: CaseLogEntry, procedure: Procedure) -> list[FieldProblem]:
    if entry.intent is None:
        return []
    if not procedure.intent_applies:
        return [FieldProblem("intent", f"intent is not recorded for {procedure.label}")]
    return _one_of("intent", entry.intent, INTENTS)


def _check_cpt(entry: CaseLogEntry, procedure: Procedure) -> list[FieldProblem]:
    if not entry.cpt_codes:
        return []
    by_code: dict[str, CptCode] = {c.code: c for c in procedure.cpt}
    region = effective_region(procedure, entry.region)
    problems: list[FieldProblem] = []
    known: list[CptCode] = []
    for code in entry.cpt_codes:
        cpt = by_code.get(code)
        if cpt is None:
            problems.append(FieldProblem("cpt_codes", f"{code} is not a code of {procedure.label}"))
            continue
        known.append(cpt)
        if cpt.regions and region is not None and not _spans((region,)) <= _spans(cpt.regions):
            problems.append(
                FieldProblem("cpt_codes", f"{code} is not a code for the {region} region")
            )
        if cpt.guidance and entry.guidance not in cpt.guidance:
            problems.append(
                FieldProblem(
                    "cpt_codes",
                    f"{code} is reported with {', '.join(cpt.guidance)} guidance, "
                    f"not {entry.guidance}",
                )
            )
    if known and all(c.add_on or c.imaging for c in known):
        problems.append(
            FieldProblem("cpt_codes", "add-on and imaging codes never stand alone: add the primary")
        )
    codes = set(entry.cpt_codes)
    for code, excluded in EXCLUSIVE_CODES.items():
        clash = sorted(codes & excluded)
        if code in codes and clash:
            problems.append(
                FieldProblem("cpt_codes", f"{code} is not reported with {', '.join(clash)}")
            )
    return problems


def _spans(regions: tuple[str, ...]) -> frozenset[str]:
    out: set[str] = set()
    for region in regions:
        out |= SPINAL_REGION_SPANS.get(region, frozenset({region}))
    return frozenset(out)


def validate_entry(entry: CaseLogEntry, *, today: date | None = None) -> list[FieldProblem]:
    """Every reason to refuse a case-log entry; an empty list means it may be saved.

    Rules and sources: the procedure is in the taxonomy (clinical-reference.md 1.2/6);
    region, spinal levels and laterality only where they apply and from the allowed values
    (1.1: region and laterality are separate fields; interlaminar codes are not lateral);
    guidance from the case-log values and used for that procedure (1.1 "store the modality
    anyway", training-rules.md section 9); role from :data:`vocab.ROLES`; complications
    from the procedure's list plus the cross-cutting events of 1.3, or "none" alone; CPT
    codes of the procedure, matching region and guidance, add-ons never alone and
    95990/95991 never with 62367-62370 (1.1, 6); patient age band and sex only, ages over
    89 as "90+" (Safe Harbor, section 5); the note free of text that looks like a Safe
    Harbor identifier (:func:`phi.screen_free_text`). With ``today`` the case may not be
    dated in the future.
    """
    problems: list[FieldProblem] = []
    procedure = find_procedure(entry.procedure_id)
    problems += _one_of("role", entry.role, ROLES)
    problems += _one_of("age_band", entry.age_band, AGE_BANDS)
    problems += _one_of("sex", entry.sex, SEXES)
    if today is not None and entry.performed_on > today:
        problems.append(FieldProblem("performed_on", "a case cannot be logged before it happens"))
    if procedure is None:
        problems.append(FieldProblem("procedure_id", f"unknown procedure {entry.procedure_id!r}"))
        problems += _one_of("guidance", entry.guidance, GUIDANCE)
    else:
        problems += _check_region(entry, procedure)
        problems += _check_levels(entry, procedure)
        problems += _check_laterality(entry, procedure)
        problems += _check_guidance(entry, procedure)
        problems += _check_complications(entry, procedure)
        problems += _check_intent(entry, procedure)
        problems += _check_cpt(entry, procedure)
    if len(entry.note) > MAX_NOTE_LENGTH:
        problems.append(FieldProblem("note", f"longer than {MAX_NOTE_LENGTH} characters"))
    for finding in screen_free_text(entry.note, today=today):
        problems.append(FieldProblem("note", f"looks like a patient identifier {finding.message}"))
    return problems
