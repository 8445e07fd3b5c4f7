"""Case-log entry validation (training-rules.md section 4; clinical-reference.md 1.1, 5)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from painfellow.core.caselog import (
    AGE_BANDS,
    CaseLogEntry,
    FieldProblem,
    age_band,
    allowed_complications,
    effective_region,
    get_procedure,
    level_regions,
    list_procedures,
    validate_entry,
)

TODAY = date(2025, 3, 14)


def lumbar_tfesi(**overrides: Any) -> CaseLogEntry:
    entry = CaseLogEntry(
        procedure_id="esi_transforaminal",
        fellow_id=7,
        performed_on=date(2025, 3, 1),
        role="performed_supervised",
        guidance="fluoroscopy",
        complications=("none",),
        age_band="50-59",
        sex="female",
        region="lumbar",
        levels=("L4-L5", "L5-S1"),
        laterality="left",
        cpt_codes=("64483", "64484"),
        note="Non-particulate steroid; NRS 7/10 to 2/10 at 30 min.",
    )
    return dataclasses.replace(entry, **overrides)


def fields(problems: list[FieldProblem]) -> list[str]:
    return [p.field for p in problems]


def test_a_complete_lumbar_tfesi_is_valid() -> None:
    assert validate_entry(lumbar_tfesi(), today=TODAY) == []


def test_unknown_procedure_is_refused() -> None:
    assert fields(validate_entry(lumbar_tfesi(procedure_id="acupuncture"))) == ["procedure_id"]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("role", "primary"),
        ("age_band", "92"),
        ("age_band", "90-99"),
        ("sex", "F"),
        ("guidance", "xray"),
        ("laterality", "both"),
        ("region", "knee"),
        ("intent", "palliative"),
    ],
)
def test_values_outside_the_vocabulary_are_refused(field: str, value: str) -> None:
    problems = validate_entry(lumbar_tfesi(**{field: value}))
    assert field in fields(problems)


def test_the_age_band_is_the_only_age_and_ages_over_89_are_one_band() -> None:
    assert "age_band" in fields(validate_entry(lumbar_tfesi(age_band="85-94")))
    assert validate_entry(lumbar_tfesi(age_band="90+")) == []
    assert [age_band(a) for a in (0, 17, 18, 29, 30, 89, 90, 104)] == [
        "<18",
        "<18",
        "18-29",
        "18-29",
        "30-39",
        "80-89",
        "90+",
        "90+",
    ]
    with pytest.raises(ValueError):
        age_band(-1)


@given(st.integers(0, 130))
def test_age_band_is_always_an_allowed_band_and_caps_at_90(age: int) -> None:
    band = age_band(age)
    assert band in AGE_BANDS
    assert (band == "90+") == (age >= 90)


def test_laterality_is_refused_where_it_does_not_apply_and_required_where_it_does() -> None:
    ilesi = lumbar_tfesi(procedure_id="esi_interlaminar", cpt_codes=("62323",), levels=("L5-S1",))
    assert fields(validate_entry(ilesi)) == ["laterality"]
    assert validate_entry(dataclasses.replace(ilesi, laterality=None)) == []
    assert fields(validate_entry(lumbar_tfesi(laterality=None))) == ["laterality"]


def test_levels_must_lie_in_the_region_and_exist() -> None:
    problems = validate_entry(lumbar_tfesi(levels=("C5-C6",)))
    assert fields(problems) == ["levels"]
    assert "lumbar" in problems[0].reason
    assert fields(validate_entry(lumbar_tfesi(levels=("L6",)))) == ["levels"]
    assert fields(validate_entry(lumbar_tfesi(levels=("L4-L5", "L4-L5")))) == ["levels"]
    # an interspace spanning two regions belongs to both
    assert level_regions("T12-L1") == {"thoracic", "lumbar"}
    assert validate_entry(lumbar_tfesi(levels=("T12-L1",), cpt_codes=())) == []


def test_levels_are_refused_for_non_spinal_procedures() -> None:
    knee = lumbar_tfesi(
        procedure_id="rfa_genicular", region=None, levels=("L4",), cpt_codes=("64624",)
    )
    assert fields(validate_entry(knee)) == ["levels"]
    assert validate_entry(dataclasses.replace(knee, levels=())) == []


def test_region_is_implied_when_the_procedure_has_one_and_required_when_several() -> None:
    caudal = get_procedure("esi_caudal")
    assert effective_region(caudal, None) == "sacral"
    assert "region" in fields(validate_entry(lumbar_tfesi(region=None)))
    refill = lumbar_tfesi(
        procedure_id="intrathecal_pump_refill",
        region="lumbar",
        levels=(),
        laterality=None,
        guidance="landmark",
        cpt_codes=("62369",),
    )
    assert fields(validate_entry(refill)) == ["region"]
    assert validate_entry(dataclasses.replace(refill, region=None)) == []


def test_guidance_must_be_used_for_the_procedure() -> None:
    problems = validate_entry(lumbar_tfesi(guidance="ultrasound", cpt_codes=()))
    assert fields(problems) == ["guidance"]
    assert "not used for" in problems[0].reason


def test_complications_come_from_the_procedures_list_or_are_none_alone() -> None:
    ok = lumbar_tfesi(complications=("intravascular_injection", "vasovagal"))
    assert validate_entry(ok) == []
    assert fields(validate_entry(lumbar_tfesi(complications=()))) == ["complications"]
    assert fields(validate_entry(lumbar_tfesi(complications=("none", "vasovagal")))) == [
        "complications"
    ]
    assert fields(validate_entry(lumbar_tfesi(complications=("lead_migration",)))) == [
        "complications"
    ]
    cross_cutting = lumbar_tfesi(complications=("allergic_contrast_reaction",))
    assert validate_entry(cross_cutting) == []


def test_horner_syndrome_after_a_stellate_block_is_not_a_complication() -> None:
    sgb = lumbar_tfesi(
        procedure_id="stellate_ganglion_block",
        region=None,
        levels=(),
        guidance="ultrasound",
        cpt_codes=("64510",),
        complications=("horner_syndrome",),
    )
    problems = validate_entry(sgb)
    assert fields(problems) == ["complications", "complications"]
    assert any("expected effect" in p.reason for p in problems)


def test_cpt_codes_must_fit_procedure_region_and_guidance() -> None:
    assert fields(validate_entry(lumbar_tfesi(cpt_codes=("64479",)))) == ["cpt_codes"]
    assert fields(validate_entry(lumbar_tfesi(cpt_codes=("62323",)))) == ["cpt_codes"]
    landmark_il = lumbar_tfesi(
        procedure_id="esi_interlaminar",
        laterality=None,
        guidance="landmark",
        cpt_codes=("62323",),
    )
    problems = validate_entry(landmark_il)
    assert fields(problems) == ["cpt_codes"]
    assert "fluoroscopy, ct" in problems[0].reason
    assert validate_entry(dataclasses.replace(landmark_il, cpt_codes=("62322",))) == []


def test_add_on_codes_never_stand_alone() -> None:
    problems = validate_entry(lumbar_tfesi(cpt_codes=("64484",)))
    assert fields(problems) == ["cpt_codes"]
    assert "never stand alone" in problems[0].reason


def test_pump_refill_without_reprogramming_is_not_reported_with_reprogramming() -> None:
    refill = lumbar_tfesi(
        procedure_id="intrathecal_pump_refill",
        region=None,
        levels=(),
        laterality=None,
        guidance="landmark",
        cpt_codes=("95990", "62368"),
    )
    problems = validate_entry(refill)
    assert fields(problems) == ["cpt_codes"]
    assert "62368" in problems[0].reason


def test_joint_injection_codes_follow_ultrasound_use() -> None:
    knee = lumbar_tfesi(
        procedure_id="joint_injection",
        region="major_joint",
        levels=(),
        guidance="ultrasound",
        cpt_codes=("20611",),
    )
    assert validate_entry(knee) == []
    assert fields(validate_entry(dataclasses.replace(knee, cpt_codes=("20610",)))) == ["cpt_codes"]
    assert fields(validate_entry(dataclasses.replace(knee, cpt_codes=("20606",)))) == ["cpt_codes"]


def test_intent_only_where_the_procedure_records_it() -> None:
    mbb = lumbar_tfesi(
        procedure_id="facet_injection_or_mbb", intent="diagnostic", cpt_codes=("64493",)
    )
    assert validate_entry(mbb) == []
    assert fields(validate_entry(lumbar_tfesi(intent="diagnostic"))) == ["intent"]


def test_a_note_with_an_identifier_is_refused_with_the_reason() -> None:
    problems = validate_entry(lumbar_tfesi(note="Mrs. Alvarez, MRN 00482913, tolerated well"))
    assert fields(problems) == ["note", "note"]
    assert "(A) Names" in problems[0].reason
    assert "(H) Medical record numbers" in problems[1].reason


def test_a_case_cannot_be_dated_after_today() -> None:
    later = lumbar_tfesi(performed_on=date(2025, 3, 15))
    assert fields(validate_entry(later, today=TODAY)) == ["performed_on"]
    assert validate_entry(later) == []


def test_an_overlong_note_is_refused() -> None:
    assert fields(validate_entry(lumbar_tfesi(note="tolerated well. " * 200))) == ["note"]


@st.composite
def valid_entries(draw: st.DrawFn) -> CaseLogEntry:
    procedure = draw(st.sampled_from(list_procedures()))
    region = draw(st.sampled_from(procedure.regions)) if procedure.regions else None
    complications = draw(
        st.one_of(
            st.just(("none",)),
            st.lists(
                st.sampled_from([c for c in allowed_complications(procedure) if c != "none"]),
                min_size=1,
                max_size=3,
                unique=True,
            ).map(tuple),
        )
    )
    return CaseLogEntry(
        procedure_id=procedure.id,
        fellow_id=draw(st.integers(1, 50)),
        performed_on=draw(st.dates(date(2024, 7, 1), TODAY)),
        role=draw(st.sampled_from(["observed", "performed_supervised", "taught"])),
        guidance=draw(st.sampled_from(procedure.guidance)),
        complications=complications,
        age_band=draw(st.sampled_from(AGE_BANDS)),
        sex=draw(st.sampled_from(["female", "male", "other", "unknown"])),
        region=region,
        laterality=draw(st.sampled_from(["left", "right", "bilateral"]))
        if procedure.laterality
        else None,
    )


@given(valid_entries())
def test_any_entry_built_from_the_taxonomy_is_valid(entry: CaseLogEntry) -> None:
    assert validate_entry(entry, today=TODAY) == []


@given(valid_entries(), st.sampled_from(["none", "vasovagal", "infection"]))
def test_none_combined_with_anything_is_refused(entry: CaseLogEntry, extra: str) -> None:
    mixed = dataclasses.replace(entry, complications=("none", extra))
    assert "complications" in fields(validate_entry(mixed))
