"""Program discovery queries: build the search index from the programs table and rank it.

Building the index from 5,000 programs costs far more than a search (see
benchmarks/search_bench.py), so each process keeps the last index it built in an
:class:`IndexCache`, keyed by a change token read from the database on every request. The
app runs several stateless workers; each checks the token itself, so an edit made through
any worker is seen by every worker on its next search.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from painfellow.core.discovery import (
    Place,
    ProgramIndex,
    ProgramRow,
    Query,
    Result,
    Weights,
    build_index,
    rank,
    results,
)
from painfellow.discovery.schemas import CITY_PLACES, DiscoverParams, FitParams, PlaceView
from painfellow.errors import FieldError, InvalidInput
from painfellow.programs.models import Program


def change_token(session: Session) -> tuple[Any, ...]:
    """What changes whenever a program is added, edited or removed.

    An insert raises the count (or, after a delete, the newest ``updated_at``); an edit
    through the ORM bumps the row's ``version`` (its optimistic-lock column) and
    ``updated_at``; a delete lowers the count. Writes that bypass the ORM and touch neither
    column are not seen until the process restarts.
    """
    row = session.execute(
        select(
            func.count(Program.id),
            func.max(Program.id),
            func.max(Program.updated_at),
            func.sum(Program.version),
        )
    ).one()
    return tuple(row)


def program_rows(session: Session) -> list[ProgramRow]:
    """Every program as a :class:`ProgramRow` (plain columns, no ORM objects: faster)."""
    columns = select(
        Program.id,
        Program.institution,
        Program.name,
        Program.state,
        Program.latitude,
        Program.longitude,
        Program.positions_per_year,
        Program.length_months,
        Program.tracks,
        Program.accepted_specialties,
        Program.features,
    )
    return [
        ProgramRow(
            id=pid,
            name=f"{institution} — {name}",
            state=state,
            latitude=lat,
            longitude=lon,
            positions=positions,
            length_months=length,
            tracks=tuple(tracks or ()),
            specialties=tuple(specialties or ()),
            features=tuple(features or ()),
        )
        for (
            pid,
            institution,
            name,
            state,
            lat,
            lon,
            positions,
            length,
            tracks,
            specialties,
            features,
        ) in session.execute(columns)
    ]


def row_of(program: Program) -> ProgramRow:
    """One program as a :class:`ProgramRow`, for scoring a few programs already loaded."""
    return ProgramRow(
        id=program.id,
        name=program.display_name,
        state=program.state,
        latitude=program.latitude,
        longitude=program.longitude,
        positions=program.positions_per_year,
        length_months=program.length_months,
        tracks=tuple(program.tracks or ()),
        specialties=tuple(program.accepted_specialties or ()),
        features=tuple(program.features or ()),
    )


class IndexCache:
    """The last index this process built, reused while the change token is unchanged."""

    def __init__(self) -> None:
        self._entry: tuple[tuple[Any, ...], ProgramIndex] | None = None
        self._lock = threading.Lock()
        self.builds = 0

    def get(self, session: Session) -> ProgramIndex:
        token = change_token(session)
        entry = self._entry
        if entry is not None and entry[0] == token:
            return entry[1]
        with self._lock:
            entry = self._entry
            if entry is not None and entry[0] == token:
                return entry[1]
            # Rows are read after the token: if a write lands in between, the index is
            # newer than its token and the next request rebuilds it; never staler.
            index = build_index(program_rows(session))
            self._entry = (token, index)
            self.builds += 1
            return index


@dataclass(frozen=True)
class Discovery:
    results: list[tuple[Program, Result]]
    total: int
    place: PlaceView | None
    query: Query


def place_of(params: FitParams) -> PlaceView | None:
    """The place to measure from: a bundled city, or coordinates; InvalidInput if unclear."""
    errors = []
    if (params.latitude is None) != (params.longitude is None):
        missing = "longitude" if params.longitude is None else "latitude"
        other = "latitude" if missing == "longitude" else "longitude"
        errors.append(FieldError(missing, f"is needed with {other}"))
    elif params.city and params.latitude is not None:
        errors.append(FieldError("city", "give a city or coordinates, not both"))
    elif params.radius is not None and not params.city and params.latitude is None:
        errors.append(FieldError("radius", "needs a place: choose a city or give coordinates"))
    if errors:
        raise InvalidInput(errors)
    if params.city:
        lat, lon = CITY_PLACES[params.city]
        return PlaceView(label=params.city, latitude=lat, longitude=lon)
    if params.latitude is not None and params.longitude is not None:
        label = f"{params.latitude:.4f}, {params.longitude:.4f}"
        return PlaceView(label=label, latitude=params.latitude, longitude=params.longitude)
    return None


def _weights(params: FitParams) -> Weights:
    return Weights(
        location=params.w_location,
        procedures=params.w_procedures,
        research=params.w_research,
        size=params.w_size,
        wanted=params.w_wanted,
    )


def fit_scores(
    programs: list[Program], params: FitParams
) -> tuple[dict[int, Result], PlaceView | None]:
    """Each program's fit score, explained, under these weights: the search's formula, no filter.

    For programs the applicant picked (favourites, a comparison): every one is scored, and a
    radius only sets where the location value reaches zero.
    """
    place = place_of(params)
    query = Query(
        place=Place(place.latitude, place.longitude) if place else None,
        radius=params.radius,
        unit=params.unit,
        wanted=frozenset(params.want),
        weights=_weights(params),
    )
    index = build_index(row_of(p) for p in programs)
    scored = results(index, rank(index, query, apply_filters=False), query)
    return {r.program_id: r for r in scored}, place


def query_of(params: DiscoverParams) -> tuple[Query, PlaceView | None]:
    place = place_of(params)
    query = Query(
        states=frozenset(params.state),
        place=Place(place.latitude, place.longitude) if place else None,
        radius=params.radius,
        unit=params.unit,
        length_months=params.length_months,
        min_positions=params.min_positions,
        has_track=params.has_track,
        track=params.track or None,
        specialty=params.specialty or None,
        features=frozenset(params.feature),
        wanted=frozenset(params.want),
        weights=_weights(params),
    )
    return query, place


def discover_programs(
    session: Session, params: DiscoverParams, cache: IndexCache | None = None
) -> Discovery:
    """One page of programs matching the filters, best fit first, each score explained.

    The filters and the score formula are those of :mod:`painfellow.core.discovery.search`.
    """
    query, place = query_of(params)
    index = cache.get(session) if cache is not None else build_index(program_rows(session))
    ranking = rank(index, query)
    page = results(index, ranking, query, (params.page - 1) * params.per_page, params.per_page)
    ids = [r.program_id for r in page]
    programs = {p.id: p for p in session.scalars(select(Program).where(Program.id.in_(ids)))}
    return Discovery(
        results=[(programs[r.program_id], r) for r in page if r.program_id in programs],
        total=ranking.total,
        place=place,
        query=query,
    )
