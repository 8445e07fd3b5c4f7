"""The procedure taxonomy against clinical-reference.md sections 1.1, 1.2 and 6."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from painfellow.core.caselog import (
    CATEGORY_LABELS,
    COMPLICATION_LABELS,
    GUIDANCE,
    REGION_LABELS,
    UnknownProcedureError,
    allowed_complications,
    categories,
    complication_label,
    get_procedure,
    list_procedures,
    procedures_for_cpt,
)
from painfellow.core.caselog.procedures_data import ADD_ON_CODES, EXPECTED_EFFECT_LABELS

# shared/ sits beside the checkout (developers and CI alike)
REFERENCE = Path(__file__).resolve().parents[3].parent / "shared/domain/clinical-reference.md"

# The ids of the reference's section 6 block, in order.
BLOCK_IDS = [
    "esi_interlaminar",
    "esi_caudal",
    "esi_transforaminal",
    "facet_injection_or_mbb",
    "rfa_facet",
    "genicular_block",
    "rfa_genicular",
    "sij_injection",
    "sij_lateral_branch_block",
    "rfa_sij",
    "stellate_ganglion_block",
    "lumbar_sympathetic_block",
    "celiac_plexus_block",
    "superior_hypogastric_block",
    "ganglion_impar_block",
    "peripheral_nerve_block",
    "scs_trial",
    "scs_permanent",
    "drg_stimulation",
    "peripheral_nerve_stimulation",
    "intrathecal_trial",
    "intrathecal_pump",
    "intrathecal_pump_refill",
    "vertebroplasty",
    "kyphoplasty",
    "basivertebral_nerve_ablation",
    "mild",
    "joint_injection",
    "trigger_point_injection",
    "epidural_blood_patch",
    "discography",
]
MASTER_TABLE_EXTRAS = [
    "epidural_catheter_infusion",
    "peripheral_nerve_destruction",
    "sphenopalatine_ganglion_block",
]


def test_taxonomy_holds_every_reference_procedure_once() -> None:
    ids = [p.id for p in list_procedures()]
    assert ids == BLOCK_IDS + MASTER_TABLE_EXTRAS
    assert len(set(ids)) == len(ids)


def test_every_category_has_a_procedure_and_every_procedure_a_known_category() -> None:
    used = {p.category for p in list_procedures()}
    assert used == set(CATEGORY_LABELS)
    assert [c for c, _ in categories()] == list(CATEGORY_LABELS)
    assert {p.id for p in list_procedures("vertebral_augmentation")} == {
        "vertebroplasty",
        "kyphoplasty",
    }
    with pytest.raises(ValueError, match="unknown case-log category"):
        list_procedures("epidurals")


def test_vocabulary_of_every_procedure_is_labelled() -> None:
    for p in list_procedures():
        assert p.label and p.guidance
        assert set(p.guidance) <= set(GUIDANCE), p.id
        assert set(p.regions) <= set(REGION_LABELS), p.id
        assert set(p.complications) <= set(COMPLICATION_LABELS), p.id
        assert set(p.expected_effects) <= set(EXPECTED_EFFECT_LABELS), p.id
        assert p.confirmed in {"yes", "partial", "no"}
        for code in allowed_complications(p):
            assert complication_label(code)
    assert complication_label("none") == "No complication"


def test_cpt_codes_are_codes_only_and_add_ons_are_marked() -> None:
    for p in list_procedures():
        for cpt in p.cpt:
            assert re.fullmatch(r"\d{5}|\d{4}T|G\d{4}", cpt.code), cpt
            assert cpt.add_on == (cpt.code in ADD_ON_CODES)
    tf = {c.code: c for c in get_procedure("esi_transforaminal").cpt}
    assert tf["64484"].add_on and not tf["64483"].add_on
    assert tf["64483"].regions == ("lumbar", "sacral")


def test_laterality_follows_the_coding_rules() -> None:
    # clinical-reference.md 1.1: interlaminar codes are not lateral; TF, facet, RFA, SI are.
    assert not get_procedure("esi_interlaminar").laterality
    for pid in ("esi_transforaminal", "facet_injection_or_mbb", "rfa_facet", "sij_injection"):
        assert get_procedure(pid).laterality, pid


def test_spinal_levels_apply_only_to_spinal_procedures() -> None:
    assert get_procedure("facet_injection_or_mbb").spinal_levels_apply
    assert get_procedure("vertebroplasty").spinal_levels_apply
    assert not get_procedure("genicular_block").spinal_levels_apply
    assert not get_procedure("intrathecal_pump_refill").spinal_levels_apply
    assert get_procedure("facet_injection_or_mbb").level_unit == "facet_joint"


def test_lookup_by_cpt_returns_every_procedure_sharing_the_code() -> None:
    ids = [p.id for p in procedures_for_cpt("62323")]
    assert ids == ["esi_interlaminar", "esi_caudal", "intrathecal_trial"]
    assert [p.id for p in procedures_for_cpt(" 0213t ")] == ["facet_injection_or_mbb"]
    assert [p.id for p in procedures_for_cpt("64488")] == ["peripheral_nerve_block"]
    assert procedures_for_cpt("99999") == ()


def test_lookup_by_cpt_leaves_out_imaging_codes_unless_asked() -> None:
    assert procedures_for_cpt("77003") == ()
    assert [p.id for p in procedures_for_cpt("77003", include_imaging=True)] == [
        "lumbar_sympathetic_block",
        "peripheral_nerve_block",
    ]


def test_unknown_procedure_raises() -> None:
    with pytest.raises(UnknownProcedureError):
        get_procedure("acupuncture")


def test_cross_cutting_complications_follow_the_procedure_list_once() -> None:
    p = get_procedure("esi_caudal")
    allowed = allowed_complications(p)
    assert allowed[: len(p.complications)] == p.complications
    assert allowed.count("vasovagal") == 1
    assert "allergic_contrast_reaction" in allowed


# ---- conformance with the reference's data block (skipped where the file is absent)

GUIDANCE_MAP = {
    "fluoro": "fluoroscopy",
    "us": "ultrasound",
    "ct": "ct",
    "landmark": "landmark",
    "eus": "ultrasound",
}
# Deliberate, documented departures from the block (see procedures_data.py).
LANDMARK_ADDED = {"esi_interlaminar", "esi_caudal"}
LATERALITY_ADDED = {"drg_stimulation", "peripheral_nerve_stimulation"}
COMPLICATION_RENAMED = {"paraplegia": "paralysis"}


def _block() -> list[dict[str, Any]]:
    yaml = pytest.importorskip("yaml")
    if not REFERENCE.exists():
        pytest.skip("clinical reference not available")
    text = REFERENCE.read_text()
    body = text.split("# procedure taxonomy for the case log", 1)[1]
    body = body.split("# MME conversion", 1)[0]
    data = yaml.safe_load(body)
    return list(data["procedures"])


def _codes(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set().union(*(_codes(v) for k, v in value.items() if k != "family"))
    if isinstance(value, list):
        return set().union(*(_codes(v) for v in value))
    first, _, last = str(value).partition("-")
    if last:
        return {str(n) for n in range(int(first), int(last) + 1)}
    return {first}


def test_taxonomy_matches_the_reference_data_block() -> None:
    block = _block()
    assert [item["id"] for item in block] == BLOCK_IDS
    for item in block:
        p = get_procedure(item["id"])
        assert p.label == item["name"]
        assert p.regions == tuple(item.get("regions", []))
        expected_lateral = bool(item.get("laterality", False)) or p.id in LATERALITY_ADDED
        assert p.laterality == expected_lateral, p.id
        guidance = {GUIDANCE_MAP[g] for g in item["guidance"]}
        if p.id in LANDMARK_ADDED:
            guidance.add("landmark")
        assert set(p.guidance) == guidance, p.id
        complications = [COMPLICATION_RENAMED.get(c, c) for c in item["complications"]]
        assert list(p.complications) == complications, p.id
        ours, theirs = {c.code for c in p.cpt}, _codes(item["cpt"])
        assert theirs <= ours, p.id
        # only the imaging codes the block names in a comment ("separately report ...")
        assert {c.code for c in p.cpt if c.code not in theirs} <= {
            c.code for c in p.cpt if c.imaging and p.id == "peripheral_nerve_block"
        }, p.id
        assert p.expected_effects == tuple(item.get("expected_effects", []))
