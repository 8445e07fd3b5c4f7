"""Benchmark: program discovery answers in <= 50 ms p95 over 5,000 programs (issue 4).

Generates (seeded) 5,000 programs scattered around the bundled US cities (about 30 km
around each), with realistic sizes, lengths, tracks, accepted specialties and features;
builds the index and times ``search`` (one page of 25 explained results) over a mix of
1,000 realistic queries (distance from a city, state, features, size, specialty, tracks,
wanted features, random weights). Then loads the same programs into a migrated SQLite
database and times the whole API request, GET /api/v1/programs/discover, through FastAPI's
TestClient (end to end: routing, validation, change-token query, cached index, page of
programs from the database, JSON), and the same queries through the discovery page's
results fragment that htmx fetches (HTML list, pager and the locally drawn map). Also reports
what rebuilding the index from the database costs, i.e. what each request would pay without
the per-process cache.

Run: python benchmarks/search_bench.py [--programs N] [--queries Q] [--seed S]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from painfellow.core.discovery import Place, ProgramRow, Query, Weights, build_index, search
from painfellow.demo.cities import CITIES
from painfellow.programs.vocabulary import ELIGIBLE_PRIOR_SPECIALTIES, PROGRAM_FEATURES

TARGET_MS = 50.0
PER_PAGE = 25
TRACKS = [
    "Interventional",
    "Research",
    "Cancer pain",
    "Pediatric",
    "Neuromodulation",
    "Headache",
    "Addiction",
    "Palliative",
    "Regional anesthesia",
    "Spine",
    "Integrative",
    "Academic",
]
FEATURES = sorted(PROGRAM_FEATURES)
SPECIALTIES = sorted(ELIGIBLE_PRIOR_SPECIALTIES)


def generate_programs(n: int, seed: int) -> list[dict[str, Any]]:
    rng = np.random.default_rng(seed)
    cities = rng.integers(0, len(CITIES), n)
    out = []
    for i in range(n):
        city, state, lat, lon = CITIES[int(cities[i])]
        accepts = (
            SPECIALTIES
            if rng.random() < 0.6
            else sorted(rng.choice(SPECIALTIES, int(rng.integers(1, 6)), replace=False).tolist())
        )
        out.append(
            {
                "institution": f"Institution {i:05d} of {city}",
                "name": "Pain Medicine Fellowship",
                "city": city,
                "state": state,
                "latitude": float(np.clip(lat + rng.normal(0, 0.25), -90, 90)),
                "longitude": float(np.clip(lon + rng.normal(0, 0.3), -180, 180)),
                "accreditation_number": f"{1_000_000_000 + i}",
                "positions_per_year": int(rng.choice([1, 2, 2, 3, 3, 4, 4, 5, 6, 8, 10])),
                "length_months": 24 if rng.random() < 0.1 else 12,
                "tracks": sorted(
                    rng.choice(TRACKS, int(rng.integers(0, 4)), replace=False).tolist()
                ),
                "accepted_specialties": accepts,
                "features": sorted(
                    rng.choice(FEATURES, int(rng.integers(1, 8)), replace=False).tolist()
                ),
            }
        )
    return out


def generate_queries(n: int, seed: int) -> list[dict[str, Any]]:
    """API parameters of ``n`` queries an applicant might plausibly send."""
    rnd = random.Random(seed)
    queries = []
    for _ in range(n):
        q: dict[str, Any] = {"per_page": PER_PAGE}
        if rnd.random() < 0.7:
            name, state, _, _ = rnd.choice(CITIES)
            q["city"] = f"{name}, {state}"
            q["unit"] = rnd.choice(["mi", "km"])
            if rnd.random() < 0.6:
                q["radius"] = rnd.choice([50, 100, 250, 500, 1000])
        if rnd.random() < 0.2:
            q["state"] = [c[1] for c in rnd.sample(CITIES, rnd.randint(1, 3))]
        if rnd.random() < 0.5:
            q["feature"] = rnd.sample(FEATURES, rnd.randint(1, 2))
        if rnd.random() < 0.5:
            q["want"] = rnd.sample(FEATURES, rnd.randint(1, 4))
        if rnd.random() < 0.3:
            q["min_positions"] = rnd.randint(2, 5)
        if rnd.random() < 0.3:
            q["specialty"] = rnd.choice(SPECIALTIES)
        if rnd.random() < 0.15:
            q["length_months"] = 12
        if rnd.random() < 0.15:
            q["track"] = rnd.choice(TRACKS)
        elif rnd.random() < 0.15:
            q["has_track"] = "true"
        for w in ("w_location", "w_procedures", "w_research", "w_size", "w_wanted"):
            if rnd.random() < 0.6:
                q[w] = rnd.randint(0, 10)
        queries.append(q)
    return queries


def core_query(params: dict[str, Any]) -> Query:
    from painfellow.discovery.schemas import CITY_PLACES

    place = Place(*CITY_PLACES[params["city"]]) if "city" in params else None
    defaults = Weights()
    return Query(
        states=frozenset(params.get("state", ())),
        place=place,
        radius=params.get("radius"),
        unit=params.get("unit", "mi"),
        length_months=params.get("length_months"),
        min_positions=params.get("min_positions"),
        has_track="has_track" in params,
        track=params.get("track"),
        specialty=params.get("specialty"),
        features=frozenset(params.get("feature", ())),
        wanted=frozenset(params.get("want", ())),
        weights=Weights(
            **{
                k: float(params.get(f"w_{k}", getattr(defaults, k)))
                for k in ("location", "procedures", "research", "size", "wanted")
            }
        ),
    )


def percentiles(samples_ms: list[float]) -> tuple[float, float, float]:
    p = np.percentile(np.asarray(samples_ms), [50, 95, 99])
    return float(p[0]), float(p[1]), float(p[2])


def report(label: str, samples_ms: list[float]) -> float:
    p50, p95, p99 = percentiles(samples_ms)
    print(f"{label:<44} p50 {p50:7.2f} ms   p95 {p95:7.2f} ms   p99 {p99:7.2f} ms")
    return p95


def bench_core(programs: list[dict[str, Any]], queries: list[dict[str, Any]]) -> float:
    rows = [
        ProgramRow(
            id=i + 1,
            name=f"{p['institution']} — {p['name']}",
            state=p["state"],
            latitude=p["latitude"],
            longitude=p["longitude"],
            positions=p["positions_per_year"],
            length_months=p["length_months"],
            tracks=tuple(p["tracks"]),
            specialties=tuple(p["accepted_specialties"]),
            features=tuple(p["features"]),
        )
        for i, p in enumerate(programs)
    ]
    start = time.perf_counter()
    index = build_index(rows)
    print(f"build_index over {len(rows):,} rows: {(time.perf_counter() - start) * 1000:.1f} ms")
    core_queries = [core_query(q) for q in queries]
    for q in core_queries[:20]:  # warm-up
        search(index, q, limit=PER_PAGE)
    samples, matched = [], []
    for q in core_queries:
        start = time.perf_counter()
        found = search(index, q, limit=PER_PAGE)
        samples.append((time.perf_counter() - start) * 1000)
        matched.append(len(found))
    print(
        f"queries returning a full page of {PER_PAGE}: {sum(m == PER_PAGE for m in matched)}"
        f" of {len(matched)}; returning none: {matched.count(0)}"
    )
    return report("core search (page of 25, explained)", samples)


def bench_api(programs: list[dict[str, Any]], queries: list[dict[str, Any]]) -> float:
    from fastapi.testclient import TestClient
    from sqlalchemy import insert

    from painfellow.db.engine import make_engine, make_session_factory
    from painfellow.db.migrate import upgrade
    from painfellow.discovery.service import program_rows
    from painfellow.programs.models import Program
    from painfellow.settings import Settings
    from painfellow.web.app import create_app

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        upgrade(url)
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            session.execute(insert(Program), programs)
            session.commit()
            builds = []
            for _ in range(5):
                start = time.perf_counter()
                build_index(program_rows(session))
                builds.append((time.perf_counter() - start) * 1000)
        engine.dispose()
        print(
            f"index rebuilt from the database (what an uncached request would add): "
            f"median {statistics.median(builds):.1f} ms"
        )
        settings = Settings(
            environment="production",
            database_url=url,
            secret_key="bench-secret-key-0123456789",
            upload_dir=Path(tmp),
        )
        app = create_app(settings)
        with TestClient(app) as client:
            start = time.perf_counter()
            first = client.get("/api/v1/programs/discover", params=queries[0])
            first_ms = (time.perf_counter() - start) * 1000
            assert first.status_code == 200, first.text
            print(f"first request (builds and caches the index): {first_ms:.1f} ms")
            for q in queries[:20]:
                client.get("/api/v1/programs/discover", params=q)
            samples = []
            for q in queries:
                start = time.perf_counter()
                response = client.get("/api/v1/programs/discover", params=q)
                samples.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.text
            # the page's results fragment, as htmx asks for it on every filter change: the
            # same search plus the HTML list, the pager and the map of the page's programs
            htmx = {"HX-Request": "true"}
            for q in queries[:20]:
                client.get("/programs/discover", params=q, headers=htmx)
            page_samples, page_bytes = [], []
            for q in queries:
                start = time.perf_counter()
                response = client.get("/programs/discover", params=q, headers=htmx)
                page_samples.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.text
                if "<svg" in response.text:
                    page_bytes.append(len(response.content))
        app.state.engine.dispose()
    api_p95 = report("API request end to end (TestClient, SQLite)", samples)
    page_p95 = report("results fragment with the map (htmx, HTML)", page_samples)
    print(
        f"results fragments with a map: {len(page_bytes)} of {len(page_samples)}; "
        f"median size {statistics.median(page_bytes) / 1000:.0f} kB"
    )
    return max(api_p95, page_p95)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--programs", type=int, default=5000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=20261121)
    args = parser.parse_args()
    programs = generate_programs(args.programs, args.seed)
    queries = generate_queries(args.queries, args.seed)
    print(f"{args.programs:,} programs, {args.queries:,} queries, seed {args.seed}")
    core_p95 = bench_core(programs, queries)
    api_p95 = bench_api(programs, queries)
    ok = core_p95 <= TARGET_MS and api_p95 <= TARGET_MS
    verdict = "PASS" if ok else "FAIL"
    print(
        f"{verdict}: target p95 <= {TARGET_MS:.0f} ms over {args.programs:,} programs "
        f"(core {core_p95:.2f} ms, end to end, slower of API and page {api_p95:.2f} ms)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
