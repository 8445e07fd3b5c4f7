"""Program discovery: filter programs and rank them by a transparent, applicant-weighted fit.

Pure: numpy arrays and frozen dataclasses, no ORM or web. Build a :class:`ProgramIndex` once
from plain :class:`ProgramRow` values, then answer many :class:`Query` values with
:func:`search`. The filters and the score formula are documented in
:mod:`painfellow.core.discovery.search`.
"""

from painfellow.core.discovery.search import (
    EARTH_RADIUS_KM,
    KM_PER_MILE,
    PROCEDURE_FEATURES,
    RESEARCH_FEATURE,
    SIZE_FULL_MARKS,
    UNRANGED_DISTANCE_KM,
    Component,
    Place,
    ProgramIndex,
    ProgramRow,
    Query,
    Ranking,
    Result,
    Weights,
    build_index,
    haversine_km,
    rank,
    results,
    search,
)

__all__ = [
    "EARTH_RADIUS_KM",
    "KM_PER_MILE",
    "PROCEDURE_FEATURES",
    "RESEARCH_FEATURE",
    "SIZE_FULL_MARKS",
    "UNRANGED_DISTANCE_KM",
    "Component",
    "Place",
    "ProgramIndex",
    "ProgramRow",
    "Query",
    "Ranking",
    "Result",
    "Weights",
    "build_index",
    "haversine_km",
    "rank",
    "results",
    "search",
]
