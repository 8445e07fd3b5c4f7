"""Controlled vocabularies of the case log: categories, regions, levels, guidance, roles.

Sources (all in ``/work/shared/domain``): the procedure families and Case Log categories of
training-rules.md section 1.5 and section 9 (``case_log.categories``); the region and
laterality design rules of clinical-reference.md section 1.1; the Safe Harbor age grouping
(ages over 89 as "90 or older") of clinical-reference.md section 5, identifier C. Values
are plain strings so the database can store them as they are.
"""

from __future__ import annotations

from typing import Final

#: Case-log categories the program counts minimums by, in display order. The ids are
#: ``case_log.categories`` of training-rules.md section 9 (a design choice there: ACGME's own
#: pain Case Log categories are UNCONFIRMED, section 4).
CATEGORY_LABELS: Final[dict[str, str]] = {
    "epidural_interlaminar": "Epidural injections: interlaminar and caudal",
    "epidural_transforaminal": "Epidural injections: transforaminal",
    "facet_medial_branch_block": "Facet joint injections and medial branch blocks",
    "radiofrequency_ablation": "Radiofrequency ablation",
    "sympathetic_block": "Sympathetic blocks",
    "visceral_plexus_block": "Visceral plexus blocks (celiac, superior hypogastric)",
    "peripheral_nerve_block": "Peripheral nerve blocks",
    "joint_soft_tissue_injection": "Joint and soft-tissue injections",
    "trigger_point_injection": "Trigger point injections",
    "scs_trial": "Spinal cord stimulator trials",
    "scs_implant": "Spinal cord stimulator implants",
    "peripheral_nerve_stimulation": "Peripheral nerve stimulation",
    "intrathecal_pump": "Intrathecal drug delivery (trial, implant, refill)",
    "vertebral_augmentation": "Vertebral augmentation",
    "other": "Other procedures",
}
CATEGORIES: Final[tuple[str, ...]] = tuple(CATEGORY_LABELS)

#: Spinal regions (clinical-reference.md 1.1: "cervical, thoracic, lumbar, sacral/caudal";
#: vertebral augmentation codes pair them as cervicothoracic / lumbosacral, 1.2).
SPINAL_REGION_SPANS: Final[dict[str, frozenset[str]]] = {
    "cervical": frozenset({"cervical"}),
    "thoracic": frozenset({"thoracic"}),
    "lumbar": frozenset({"lumbar"}),
    "sacral": frozenset({"sacral"}),
    "cervicothoracic": frozenset({"cervical", "thoracic"}),
    "lumbosacral": frozenset({"lumbar", "sacral"}),
}
SPINAL_REGIONS: Final[frozenset[str]] = frozenset(SPINAL_REGION_SPANS)

#: Labels of every region value used by the taxonomy (spinal and other anatomical sites).
REGION_LABELS: Final[dict[str, str]] = {
    "cervical": "Cervical",
    "thoracic": "Thoracic",
    "lumbar": "Lumbar",
    "sacral": "Sacral / caudal",
    "cervicothoracic": "Cervicothoracic",
    "lumbosacral": "Lumbosacral",
    "knee": "Knee",
    "sacroiliac": "Sacroiliac joint",
    "abdominal": "Abdominal",
    "pelvic": "Pelvic",
    "sacrococcygeal": "Sacrococcygeal",
    "peripheral": "Peripheral nerve",
    "small_joint": "Small joint / bursa",
    "intermediate_joint": "Intermediate joint / bursa",
    "major_joint": "Major joint / bursa",
    "muscle": "Muscle",
    "head": "Head",
}

_LEVEL_LETTER_REGION: Final[dict[str, str]] = {
    "C": "cervical",
    "T": "thoracic",
    "L": "lumbar",
    "S": "sacral",
}
_VERTEBRAE: Final[tuple[str, ...]] = (
    *(f"C{i}" for i in range(1, 8)),
    *(f"T{i}" for i in range(1, 13)),
    *(f"L{i}" for i in range(1, 6)),
    *(f"S{i}" for i in range(1, 6)),
)

#: Spinal level values, cranial to caudal: each vertebra (or sacral segment / foramen) and
#: each interspace between neighbours ("L4-L5", "L5-S1"). Facet and RFA levels are counted
#: per joint (clinical-reference.md 1.1), which the interspace names.
SPINAL_LEVELS: Final[tuple[str, ...]] = tuple(
    level
    for index, vertebra in enumerate(_VERTEBRAE)
    for level in (
        (vertebra, f"{vertebra}-{_VERTEBRAE[index + 1]}")
        if index + 1 < len(_VERTEBRAE)
        else (vertebra,)
    )
)
_LEVEL_SET: Final[frozenset[str]] = frozenset(SPINAL_LEVELS)


def level_regions(level: str) -> frozenset[str]:
    """Spinal regions a level belongs to ("T12-L1" belongs to thoracic and lumbar).

    Rule: a level must lie in the entry's spinal region (clinical-reference.md 1.1, spinal
    region as its own field). Raises ``ValueError`` for a value not in :data:`SPINAL_LEVELS`.
    """
    if level not in _LEVEL_SET:
        raise ValueError(f"unknown spinal level {level!r}")
    return frozenset(_LEVEL_LETTER_REGION[part[0]] for part in level.split("-"))


#: Laterality values (clinical-reference.md 1.1: "Left, right or bilateral").
LATERALITIES: Final[tuple[str, ...]] = ("left", "right", "bilateral")

#: Image guidance actually used (training-rules.md section 9 ``case_log.guidance``:
#: fluoroscopy, ultrasound, ct, none). "landmark" is the "none" value: no imaging, a
#: landmark technique (the taxonomy's word for it, clinical-reference.md 1.2 "LM").
GUIDANCE_LABELS: Final[dict[str, str]] = {
    "fluoroscopy": "Fluoroscopy",
    "ultrasound": "Ultrasound",
    "ct": "CT",
    "landmark": "None (landmark)",
}
GUIDANCE: Final[tuple[str, ...]] = tuple(GUIDANCE_LABELS)

#: The fellow's role. The reference lists performed/assisted/observed as a configurable
#: design choice (training-rules.md section 9 ``case_log.fellow_roles``, UNCONFIRMED); this
#: program splits "performed" by supervision and adds teaching a junior trainee.
ROLE_LABELS: Final[dict[str, str]] = {
    "observed": "Observed",
    "assisted": "Assisted",
    "performed_supervised": "Performed, supervised",
    "performed_independent": "Performed, independently",
    "taught": "Taught (supervised a junior trainee)",
}
ROLES: Final[tuple[str, ...]] = tuple(ROLE_LABELS)

#: Procedure intent (clinical-reference.md 1.1 "Diagnostic vs therapeutic").
INTENTS: Final[tuple[str, ...]] = ("diagnostic", "therapeutic")

#: Patient sex, the only demographic besides the age band kept with a case.
SEXES: Final[tuple[str, ...]] = ("female", "male", "other", "unknown")

#: Age bands. Safe Harbor (45 CFR 164.514(b)(2)(i)(C), clinical-reference.md section 5)
#: requires ages over 89 to be grouped as "90 or older": the last band is "90+".
AGE_BANDS: Final[tuple[str, ...]] = (
    "<18",
    "18-29",
    "30-39",
    "40-49",
    "50-59",
    "60-69",
    "70-79",
    "80-89",
    "90+",
)


def age_band(age_years: int) -> str:
    """The age band of an age in whole years; every age over 89 maps to "90+".

    Rule: HIPAA Safe Harbor identifier C, ages over 89 grouped as 90 or older
    (clinical-reference.md section 5). Raises ``ValueError`` for a negative age.
    """
    if age_years < 0:
        raise ValueError("age must not be negative")
    if age_years < 18:
        return "<18"
    if age_years < 30:
        return "18-29"
    if age_years >= 90:
        return "90+"
    decade = age_years // 10 * 10
    return f"{decade}-{decade + 9}"
