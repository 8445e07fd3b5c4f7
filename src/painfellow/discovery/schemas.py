"""Query parameters and output views of program discovery."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from painfellow.demo.cities import CITIES
from painfellow.programs.vocabulary import ELIGIBLE_PRIOR_SPECIALTIES, PROGRAM_FEATURES, US_STATES

# "City, ST" -> (latitude, longitude), from the bundled list of US cities
CITY_PLACES: dict[str, tuple[float, float]] = {
    f"{name}, {state}": (lat, lon) for name, state, lat, lon in CITIES
}
COMPONENT_LABELS = {
    "location": "Location",
    "procedures": "Procedure emphasis",
    "research": "Research",
    "size": "Program size",
    "wanted": "Features you want",
}
FORMULA = (
    "score = 100 × Σ(weight × value) / Σ(weight) over the scored components; "
    "each value is between 0 and 1, each weight between 0 and 10"
)
Weight = Annotated[float, Field(ge=0, le=10)]
MAX_COMPARED = 4
# the parameters that say how to score (not which programs to list): carried from a search
# to the comparison and the favourites page
FIT_FIELDS = (
    "city", "latitude", "longitude", "radius", "unit", "want",
    "w_location", "w_procedures", "w_research", "w_size", "w_wanted",
)  # fmt: skip


def fit_pairs(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The scoring parameters among query values, as (name, value) pairs for links and forms."""
    pairs = []
    for key in FIT_FIELDS:
        value = values.get(key)
        for item in value if isinstance(value, list) else [value]:
            if item not in (None, ""):
                pairs.append((key, str(item)))
    return pairs


def _known_features(value: list[str]) -> list[str]:
    value = sorted({v for v in value if v})
    unknown = [v for v in value if v not in PROGRAM_FEATURES]
    if unknown:
        raise ValueError(f"unknown feature: {', '.join(unknown)}")
    return value


class FitParams(BaseModel):
    """How to score programs: a place to measure from, wanted features and the weights."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    city: Annotated[str, Field(max_length=100, description="A bundled city, 'Chicago, IL'")] = ""
    latitude: Annotated[float | None, Field(ge=-90, le=90)] = None
    longitude: Annotated[float | None, Field(ge=-180, le=180)] = None
    radius: Annotated[float | None, Field(gt=0, le=20_000, description="Needs a place")] = None
    unit: Literal["km", "mi"] = "mi"
    want: list[str] = Field(default=[], description="Features you want, scored")
    w_location: Weight = 5
    w_procedures: Weight = 5
    w_research: Weight = 3
    w_size: Weight = 2
    w_wanted: Weight = 5

    @field_validator("latitude", "longitude", "radius", mode="before")
    @classmethod
    def _blank_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("city")
    @classmethod
    def _known_city(cls, value: str) -> str:
        if value and value not in CITY_PLACES:
            raise ValueError("is not in the list of cities; give latitude and longitude instead")
        return value

    @field_validator("want")
    @classmethod
    def _known_wanted(cls, value: list[str]) -> list[str]:
        return _known_features(value)


class DiscoverParams(FitParams):
    """Filters and weights of a discovery search; lists take repeated parameters."""

    state: list[str] = Field(default=[], description="Any of these state codes")
    length_months: int | None = Field(default=None, description="12 or 24")
    min_positions: Annotated[int | None, Field(ge=0, le=50)] = None
    has_track: bool = False
    track: Annotated[str, Field(max_length=80, description="A track of this name")] = ""
    specialty: str = Field(default="", description="Accepts this prior specialty")
    feature: list[str] = Field(default=[], description="Has every one of these features")
    page: Annotated[int, Field(ge=1, le=1000)] = 1
    per_page: Annotated[int, Field(ge=1, le=200)] = 25

    @field_validator("length_months", "min_positions", mode="before")
    @classmethod
    def _blank_filter_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_validator("length_months")
    @classmethod
    def _known_length(cls, value: int | None) -> int | None:
        if value not in (None, 12, 24):
            raise ValueError("must be 12 or 24 months")
        return value

    @field_validator("state")
    @classmethod
    def _known_states(cls, value: list[str]) -> list[str]:
        value = sorted({v.strip().upper() for v in value if v.strip()})
        unknown = [v for v in value if v not in US_STATES]
        if unknown:
            raise ValueError(f"unknown state: {', '.join(unknown)}")
        return value

    @field_validator("specialty")
    @classmethod
    def _known_specialty(cls, value: str) -> str:
        if value and value not in ELIGIBLE_PRIOR_SPECIALTIES:
            raise ValueError(f"unknown specialty: {value}")
        return value

    @field_validator("feature")
    @classmethod
    def _known_required(cls, value: list[str]) -> list[str]:
        return _known_features(value)


class CompareParams(FitParams):
    """Up to four programs to set side by side, scored under the weights given."""

    ids: list[int] = Field(default=[], description=f"Program ids, at most {MAX_COMPARED}")

    @field_validator("ids")
    @classmethod
    def _at_most_four(cls, value: list[int]) -> list[int]:
        distinct = list(dict.fromkeys(value))  # a program ticked twice is compared once
        if len(distinct) > MAX_COMPARED:
            raise ValueError(
                f"at most {MAX_COMPARED} programs can be compared; {len(distinct)} were given"
            )
        return distinct


class PlaceView(BaseModel):
    label: str
    latitude: float
    longitude: float


class ComponentView(BaseModel):
    key: str
    label: str
    weight: float
    value: float = Field(description="Between 0 and 1")
    points: float = Field(description="weight × value")
    detail: str


class ProgramSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    institution: str
    name: str
    city: str
    state: str
    positions_per_year: int
    length_months: int
    tracks: list[str]
    features: list[str]


class DiscoverItem(BaseModel):
    program: ProgramSummary
    score: float = Field(description="0 to 100")
    distance: float | None = Field(description="From the place, in the unit asked for")
    components: list[ComponentView]


class DiscoverPage(BaseModel):
    items: list[DiscoverItem]
    total: int
    page: int
    per_page: int
    unit: Literal["km", "mi"]
    place: PlaceView | None
    formula: str = FORMULA
