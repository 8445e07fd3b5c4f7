"""Controlled vocabularies for program profiles.

Accepted prior specialties default to the eligible core residencies in
shared/domain/training-rules.md §1.2 / §9 ``eligibility.prior_residency_allowed``.
"""

from __future__ import annotations

ELIGIBLE_PRIOR_SPECIALTIES: dict[str, str] = {
    "anesthesiology": "Anesthesiology",
    "neurology": "Neurology",
    "child_neurology": "Child Neurology",
    "physical_medicine_rehabilitation": "Physical Medicine & Rehabilitation",
    "psychiatry": "Psychiatry",
    "emergency_medicine": "Emergency Medicine",
    "family_medicine": "Family Medicine",
    "radiology": "Radiology",
}

PROGRAM_FEATURES: dict[str, str] = {
    "high_procedure_volume": "High procedure volume",
    "protected_research_time": "Protected research time",
    "cancer_pain": "Cancer pain",
    "pediatric_pain": "Pediatric pain",
    "regional_anesthesia": "Regional anesthesia",
    "neuromodulation": "Neuromodulation",
    "ultrasound_guided": "Ultrasound-guided procedures",
    "fluoroscopy_guided": "Fluoroscopy-guided procedures",
    "intrathecal_pumps": "Intrathecal drug delivery",
    "headache_medicine": "Headache medicine",
    "addiction_medicine": "Addiction medicine",
    "pain_psychology": "Pain psychology",
    "palliative_care": "Palliative care",
    "va_rotation": "VA rotation",
    "minimally_invasive_spine": "Minimally invasive spine",
}

US_STATES: dict[str, str] = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
    "CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia",
    "FL": "Florida", "GA": "Georgia", "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois",
    "IN": "Indiana", "IA": "Iowa", "KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana",
    "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota",
    "MS": "Mississippi", "MO": "Missouri", "MT": "Montana", "NE": "Nebraska", "NV": "Nevada",
    "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico", "NY": "New York",
    "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "PR": "Puerto Rico", "RI": "Rhode Island",
    "SC": "South Carolina", "SD": "South Dakota", "TN": "Tennessee", "TX": "Texas",
    "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington", "WV": "West Virginia",
    "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip
