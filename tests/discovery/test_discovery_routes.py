"""Program discovery through the JSON API and the page."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.builders import make_program

API = "/api/v1/programs/discover"
TRACK = "Discovery-test track"  # only this test's programs carry it


def _programs(db: Session) -> None:
    make_program(
        db,
        institution="Lakeshore Pain Institute",
        city="Chicago",
        state="IL",
        latitude=41.88,
        longitude=-87.63,
        positions_per_year=2,
        tracks=[TRACK],
        features=["neuromodulation", "protected_research_time"],
    )
    make_program(
        db,
        institution="Motor City Pain Center",
        city="Detroit",
        state="MI",
        latitude=42.33,
        longitude=-83.05,
        positions_per_year=6,
        tracks=[TRACK],
        length_months=24,
        accepted_specialties=["neurology"],
        features=["neuromodulation", "fluoroscopy_guided", "high_procedure_volume"],
    )
    make_program(
        db,
        institution="Empire Spine",
        city="New York",
        state="NY",
        latitude=40.71,
        longitude=-74.01,
        positions_per_year=4,
        tracks=[TRACK],
    )


def _names(response_json: dict[str, Any]) -> list[str]:
    return [i["program"]["institution"] for i in response_json["items"]]


def test_api_filters_by_distance_from_a_city_in_miles_and_km(
    client: TestClient, db: Session
) -> None:
    _programs(db)
    near = client.get(API, params={"track": TRACK, "city": "Chicago, IL", "radius": 240})
    assert near.status_code == 200, near.text
    body = near.json()
    assert body["unit"] == "mi" and body["place"]["label"] == "Chicago, IL"
    assert sorted(_names(body)) == ["Lakeshore Pain Institute", "Motor City Pain Center"]
    detroit = next(i for i in body["items"] if i["program"]["city"] == "Detroit")
    assert detroit["distance"] == pytest.approx(238, abs=2)
    km = client.get(
        API, params={"track": TRACK, "city": "Chicago, IL", "radius": 240, "unit": "km"}
    ).json()
    assert _names(km) == ["Lakeshore Pain Institute"]
    coords = client.get(
        API, params={"track": TRACK, "latitude": 40.7, "longitude": -74, "radius": 10, "unit": "km"}
    ).json()
    assert _names(coords) == ["Empire Spine"]


def test_api_filters_by_state_length_positions_specialty_and_features(
    client: TestClient, db: Session
) -> None:
    _programs(db)

    def names(**params: object) -> list[str]:
        response = client.get(API, params={"track": TRACK, **params})
        assert response.status_code == 200, response.text
        return sorted(_names(response.json()))

    assert names(state=["il", "NY"]) == ["Empire Spine", "Lakeshore Pain Institute"]
    assert names(length_months=24) == ["Motor City Pain Center"]
    assert names(min_positions=4) == ["Empire Spine", "Motor City Pain Center"]
    assert names(specialty="neurology") == ["Motor City Pain Center"]
    assert names(feature=["neuromodulation"]) == [
        "Lakeshore Pain Institute",
        "Motor City Pain Center",
    ]
    assert names(feature=["neuromodulation", "protected_research_time"]) == [
        "Lakeshore Pain Institute"
    ]
    assert names(has_track="true", track="DISCOVERY-TEST TRACK") == [
        "Empire Spine",
        "Lakeshore Pain Institute",
        "Motor City Pain Center",
    ]


def test_api_ranks_by_the_applicants_weights_and_explains_each_score(
    client: TestClient, db: Session
) -> None:
    _programs(db)
    procedures = client.get(
        API, params={"track": TRACK, "w_procedures": 10, "w_research": 0, "w_size": 0}
    ).json()
    assert _names(procedures)[0] == "Motor City Pain Center"
    research = client.get(
        API, params={"track": TRACK, "w_procedures": 0, "w_research": 10, "w_size": 0}
    ).json()
    assert _names(research)[0] == "Lakeshore Pain Institute"
    # equal scores come by name
    assert _names(research)[1:] == ["Empire Spine", "Motor City Pain Center"]
    item = procedures["items"][0]
    assert {c["key"] for c in item["components"]} == {"procedures", "research", "size"}
    points = sum(c["points"] for c in item["components"])
    weight = sum(c["weight"] for c in item["components"])
    assert item["score"] == pytest.approx(100 * points / weight, abs=0.1)
    assert "formula" in procedures and "Σ" in procedures["formula"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"radius": 50}, "radius"),
        ({"feature": ["teleportation"]}, "feature"),
        ({"want": ["teleportation"]}, "want"),
        ({"w_location": 11}, "w_location"),
        ({"w_size": -1}, "w_size"),
        ({"latitude": 41.9}, "longitude"),
        ({"longitude": -87.6}, "latitude"),
        ({"city": "Atlantis, ZZ"}, "city"),
        ({"city": "Chicago, IL", "latitude": 1, "longitude": 2}, "city"),
        ({"state": ["ZZ"]}, "state"),
        ({"unit": "furlong"}, "unit"),
        ({"length_months": 18}, "length_months"),
        ({"specialty": "dermatology"}, "specialty"),
        ({"bogus": 1}, "bogus"),
    ],
)
def test_api_rejects_bad_queries_with_422_naming_the_field(
    client: TestClient, params: dict[str, object], field: str
) -> None:
    response = client.get(API, params=params)
    assert response.status_code == 422, response.text
    assert field in {e["field"] for e in response.json()["errors"]}


def test_discover_is_not_taken_for_a_program_id(client: TestClient) -> None:
    assert client.get("/programs/discover").status_code == 200
    assert client.get(API).status_code == 200


def test_page_renders_form_results_and_explanation(client: TestClient, db: Session) -> None:
    _programs(db)
    page = client.get("/programs/discover", params={"track": TRACK, "city": "Chicago, IL"})
    assert page.status_code == 200
    assert "<form" in page.text and 'name="w_location"' in page.text
    assert "Motor City Pain Center" in page.text and "How this score was made" in page.text
    assert "mi away" in page.text and '<option value="Chicago, IL" selected>' in page.text


def test_page_htmx_request_returns_only_results(client: TestClient, db: Session) -> None:
    _programs(db)
    fragment = client.get(
        "/programs/discover", params={"track": TRACK}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    assert "Empire Spine" in fragment.text and "<html" not in fragment.text


def test_page_with_bad_input_is_422_with_field_errors(client: TestClient) -> None:
    page = client.get("/programs/discover", params={"radius": "5", "w_research": "12"})
    assert page.status_code == 422
    # checks across fields (a radius needs a place) run once every field is valid
    assert 'id="radius-error"' not in page.text
    assert 'id="w_research-error"' in page.text
    page = client.get("/programs/discover", params={"radius": "5", "latitude": ""})
    assert page.status_code == 422 and 'id="radius-error"' in page.text
    fragment = client.get(
        "/programs/discover", params={"radius": "5"}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200 and 'role="alert"' in fragment.text  # htmx swaps 2xx


def test_blank_form_fields_mean_no_filter(client: TestClient, db: Session) -> None:
    _programs(db)
    blank = {
        "track": TRACK,
        "city": "",
        "latitude": "",
        "longitude": "",
        "radius": "",
        "length_months": "",
        "min_positions": "",
        "specialty": "",
        "state": "",
    }
    page = client.get("/programs/discover", params=blank)
    assert page.status_code == 200 and "3 programs" in page.text


def test_directory_links_to_discovery(client: TestClient) -> None:
    assert 'href="/programs/discover"' in client.get("/programs").text


def test_index_is_rebuilt_after_an_edit_and_reused_otherwise(
    app: FastAPI, client: TestClient, db: Session
) -> None:
    _programs(db)
    params = {"track": TRACK, "min_positions": 5}
    assert _names(client.get(API, params=params).json()) == ["Motor City Pain Center"]
    cache = app.state.discovery_index_cache
    builds = cache.builds
    client.get(API, params=params)
    assert cache.builds == builds  # unchanged programs: the index is reused
    program = make_program(db, institution="New Program", tracks=[TRACK], positions_per_year=9)
    assert "New Program" in _names(client.get(API, params=params).json())
    program.positions_per_year = 1
    db.flush()
    assert "New Program" not in _names(client.get(API, params=params).json())
    db.delete(program)
    db.flush()
    assert client.get(API, params={"track": TRACK}).json()["total"] == 3
    assert cache.builds == builds + 3
