"""Discovery beyond the search: paging links, the local map, comparing programs, favourites."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from painfellow.accounts.models import User
from painfellow.accounts.roles import Role
from painfellow.discovery import favourites
from painfellow.discovery.models import ProgramFavourite
from painfellow.programs.models import Program
from tests.builders import make_program, make_user, sign_in

TRACK = "Discovery-extras track"  # only this module's programs carry it
PAGE = "/programs/discover"


def _seven(db: Session) -> list[Program]:
    """Seven programs whose fit order is known: more positions, higher score."""
    return [
        make_program(db, institution=f"Paging Program {i}", positions_per_year=i, tracks=[TRACK])
        for i in range(1, 8)
    ]


def _applicant(client: TestClient, db: Session) -> tuple[User, str]:
    user = make_user(db, [(None, Role.APPLICANT)])
    return user, sign_in(client, db, user)


def _count(db: Session, user: User) -> int:
    return (
        db.scalar(
            select(func.count(ProgramFavourite.id)).where(
                ProgramFavourite.applicant_user_id == user.id
            )
        )
        or 0
    )


# ---- paging ---------------------------------------------------------------------------------


def test_page_links_keep_the_filters_and_count_the_results(client: TestClient, db: Session) -> None:
    _seven(db)
    page = client.get(PAGE, params={"track": TRACK, "per_page": 3, "page": 2, "w_size": 10})
    assert page.status_code == 200, page.text
    assert "Showing 4–6 of 7 programs" in page.text
    # best fit first: 7, 6, 5 on page 1; 4, 3, 2 on page 2
    assert re.findall(r"Paging Program (\d)</a>", page.text) == ["4", "3", "2"]
    start = page.text.index('aria-label="Result pages"')
    nav = page.text[start : page.text.index("</nav>", start)]
    links = re.findall(r'<a href="([^"]+)"', nav)
    assert all("track=Discovery-extras+track" in u and "per_page=3" in u for u in links)
    assert all("w_size=10" in u for u in links)
    assert 'rel="prev"' in nav and "page=1" in links[0]
    assert 'rel="next"' in nav and "page=3" in links[-1]
    assert re.search(r'aria-current="page"><span class="visually-hidden">Page </span>2<', nav)
    assert 'hx-get="/programs/discover?' in nav and 'hx-target="#results"' in nav


def test_page_links_work_for_htmx_and_without_js(client: TestClient, db: Session) -> None:
    _seven(db)
    params = {"track": TRACK, "per_page": 3, "page": 3}
    fragment = client.get(PAGE, params=params, headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Showing 7–7 of 7 programs" in fragment.text and 'rel="next"' not in fragment.text
    full = client.get(PAGE, params=params)
    assert "<html" in full.text and "Showing 7–7 of 7" in full.text


def test_a_page_past_the_end_says_so_and_links_back(client: TestClient, db: Session) -> None:
    _seven(db)
    page = client.get(PAGE, params={"track": TRACK, "per_page": 3, "page": 9})
    assert page.status_code == 200
    assert "7 programs" in page.text and "none on page 9" in page.text
    assert "page=3" in page.text and "Showing" not in page.text


def test_a_single_page_has_no_pager(client: TestClient, db: Session) -> None:
    _seven(db)
    page = client.get(PAGE, params={"track": TRACK})
    assert "Showing 1–7 of 7 programs" in page.text and "Result pages" not in page.text


# ---- map ------------------------------------------------------------------------------------


def test_results_carry_a_local_map_with_a_link_per_program(client: TestClient, db: Session) -> None:
    programs = _seven(db)
    alaska = make_program(
        db, institution="Northern Lights Pain", city="Anchorage", state="AK",
        latitude=61.22, longitude=-149.9, tracks=[TRACK],
    )  # fmt: skip
    page = client.get(PAGE, params={"track": TRACK})
    svg = page.text[page.text.index("<svg") : page.text.index("</svg>")]
    assert 'role="group"' in svg and "<title" in svg
    assert re.search(r'<use href="/programs/map/states.svg\?v=[^"#]+#states"/>', svg)
    for program in [*programs, alaska]:
        assert f'<a href="/programs/{program.id}" aria-label="{program.institution}' in svg
    assert "http" not in svg  # no tiles, no remote anything
    marker = re.search(rf'/programs/{alaska.id}"[^>]*><circle cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert marker is not None
    x, y = float(marker[1]), float(marker[2])
    assert x < 250 and y > 430  # on the Alaska inset, bottom left
    assert "figcaption" in page.text and "Alaska (at 35 % scale)" in page.text


def test_state_outlines_are_one_cacheable_local_svg(client: TestClient) -> None:
    response = client.get("/programs/map/states.svg")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert "max-age=86400" in response.headers["cache-control"]
    assert response.text.startswith(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 960 610">'
    )
    assert '<path id="states" d="M' in response.text and 100 < len(response.text) < 80_000


def test_a_program_off_the_drawn_states_is_named_not_misplaced(
    client: TestClient, db: Session
) -> None:
    odd = make_program(
        db, institution="Misplaced Pain Center", state="MI", latitude=-33.9, longitude=151.2,
        tracks=[TRACK],
    )  # fmt: skip
    page = client.get(PAGE, params={"track": TRACK})
    assert f'href="/programs/{odd.id}" aria-label' not in page.text
    assert "Not on the map" in page.text and "Misplaced Pain Center" in page.text


# ---- compare --------------------------------------------------------------------------------


def test_compare_sets_programs_side_by_side_with_scores_like_the_search(
    client: TestClient, db: Session
) -> None:
    chicago = make_program(
        db, institution="Lakeshore Compare", city="Chicago", state="IL", latitude=41.88,
        longitude=-87.63, positions_per_year=2, tracks=["Research", TRACK],
        accepted_specialties=["neurology", "anesthesiology"],
        features=["neuromodulation", "protected_research_time"],
    )  # fmt: skip
    detroit = make_program(
        db, institution="Motor City Compare", city="Detroit", state="MI", latitude=42.33,
        longitude=-83.05, positions_per_year=6, length_months=24,
        features=["fluoroscopy_guided", "high_procedure_volume"],
    )  # fmt: skip
    weights = {"city": "Chicago, IL", "w_research": 10, "w_size": 0, "want": "neuromodulation"}
    page = client.get("/programs/compare", params={"ids": [detroit.id, chicago.id], **weights})
    assert page.status_code == 200, page.text
    table = page.text[page.text.index('<table class="compare">') :]
    assert table.index("Motor City Compare") < table.index("Lakeshore Compare")  # as given
    for text in ("Chicago, Illinois", "24 months", "Research", "Neurology", "Distance from"):
        assert text in table, text
    assert "Fit score (0–100)" in table and "Research time" not in table
    # the same score the search gives with the same weights
    api = client.get("/api/v1/programs/discover", params={"track": TRACK, **weights}).json()
    assert [i["program"]["id"] for i in api["items"]] == [chicago.id]
    assert f"<strong>{api['items'][0]['score']:.1f}</strong>" in table
    assert f'href="/programs/compare?ids={chicago.id}&amp;city=Chicago' in page.text  # remove one


def test_compare_without_a_place_has_no_distance_row(client: TestClient, db: Session) -> None:
    a, b = make_program(db), make_program(db)
    page = client.get("/programs/compare", params={"ids": [a.id, b.id, a.id]})
    assert page.status_code == 200
    assert "Distance from" not in page.text and "2 programs side by side" in page.text


def test_compare_with_nothing_ticked_explains_how(client: TestClient) -> None:
    page = client.get("/programs/compare")
    assert page.status_code == 200 and "Tick up to 4 programs" in page.text


@pytest.mark.parametrize(
    ("ids", "message"),
    [
        (["1", "2", "3", "4", "5"], "at most 4 programs can be compared; 5 were given"),
        (["999999"], "no program with id 999999"),
        (["two"], "valid integer"),
    ],
)
def test_compare_rejects_bad_ids_with_422_naming_the_field(
    client: TestClient, db: Session, ids: list[str], message: str
) -> None:
    page = client.get("/programs/compare", params={"ids": ids})
    assert page.status_code == 422
    assert "<strong>ids" in page.text and message in page.text


def test_compare_rejects_an_unknown_id_among_known_ones(client: TestClient, db: Session) -> None:
    a = make_program(db)
    page = client.get("/programs/compare", params={"ids": [a.id, 999998, 999999]})
    assert page.status_code == 422 and "no program with ids 999998, 999999" in page.text


def test_results_build_the_compare_link_with_a_get_form(client: TestClient, db: Session) -> None:
    _seven(db)
    page = client.get(PAGE, params={"track": TRACK, "city": "Chicago, IL", "w_size": 9})
    start = page.text.index('<form id="compare-form" method="get" action="/programs/compare"')
    form = page.text[start : page.text.index("</form>", start)]
    assert '<input type="hidden" name="city" value="Chicago, IL">' in form
    assert '<input type="hidden" name="w_size" value="9">' in form
    assert 'name="track"' not in form  # filters choose the list, not the score
    assert page.text.count('name="ids"') == 7 and 'form="compare-form"' in page.text


# ---- favourites ------------------------------------------------------------------------------


def test_an_applicant_stars_and_unstars_a_program_once(client: TestClient, db: Session) -> None:
    programs = _seven(db)
    user, csrf = _applicant(client, db)
    target = programs[2]
    back = f"{PAGE}?track=x"
    for _ in range(2):  # starring twice keeps one row
        response = client.post(
            f"/programs/{target.id}/favourite", data={"csrf_token": csrf, "next": back},
            follow_redirects=False,
        )  # fmt: skip
        assert response.status_code == 303 and response.headers["location"] == back
    assert _count(db, user) == 1
    listing = client.get("/programs/favourites")
    assert listing.status_code == 200 and target.institution in listing.text
    assert "Remove from favourites" in listing.text and "<svg" in listing.text
    assert f'href="/programs/{target.id}" aria-label' in listing.text  # on the map
    response = client.post(
        f"/programs/{target.id}/unfavourite", data={"csrf_token": csrf}, follow_redirects=False
    )
    assert response.headers["location"] == f"/programs/{target.id}"
    assert _count(db, user) == 0
    assert "no favourites yet" in client.get("/programs/favourites").text


def test_star_never_redirects_off_site(client: TestClient, db: Session) -> None:
    program = make_program(db)
    _, csrf = _applicant(client, db)
    for bad in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = client.post(
            f"/programs/{program.id}/favourite", data={"csrf_token": csrf, "next": bad},
            follow_redirects=False,
        )  # fmt: skip
        assert response.headers["location"] == f"/programs/{program.id}"


def test_htmx_star_swaps_the_button(client: TestClient, db: Session) -> None:
    program = make_program(db, institution="Swap Pain")
    _, csrf = _applicant(client, db)
    fragment = client.post(
        f"/programs/{program.id}/favourite", data={"csrf_token": csrf, "next": "/x"},
        headers={"HX-Request": "true"},
    )  # fmt: skip
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert f'action="/programs/{program.id}/unfavourite"' in fragment.text
    assert "Remove from favourites" in fragment.text and f'value="{csrf}"' in fragment.text


def test_starring_needs_the_csrf_token_and_a_real_program(client: TestClient, db: Session) -> None:
    program = make_program(db)
    user, csrf = _applicant(client, db)
    assert client.post(f"/programs/{program.id}/favourite", data={}).status_code == 403
    assert client.post("/programs/999999/favourite", data={"csrf_token": csrf}).status_code == 404
    assert _count(db, user) == 0


def test_favourites_are_scored_under_the_weights_in_the_query(
    client: TestClient, db: Session
) -> None:
    small = make_program(db, institution="Small Fav", positions_per_year=1, features=[])
    big = make_program(db, institution="Big Fav", positions_per_year=8, features=[])
    user, _ = _applicant(client, db)
    favourites.star_program(db, user.id, big.id)
    favourites.star_program(db, user.id, small.id)
    plain = client.get("/programs/favourites")
    assert "/ 100" not in plain.text and "most recently added first" in plain.text
    assert plain.text.index("Small Fav") < plain.text.index("Big Fav")  # newest first
    scored = client.get(
        "/programs/favourites", params={"w_size": 10, "w_procedures": 0, "w_research": 0}
    )
    assert scored.status_code == 200
    assert scored.text.index("Big Fav") < scored.text.index("Small Fav")  # best fit first
    assert "fit 100.0 / 100" in scored.text and "fit 12.5 / 100" in scored.text
    assert "How this score was made" in scored.text
    with_place = client.get("/programs/favourites", params={"city": "Chicago, IL", "unit": "km"})
    assert "km away" in with_place.text and "distances from Chicago, IL" in with_place.text


def test_favourites_with_bad_weights_are_422_and_listed_plain(
    client: TestClient, db: Session
) -> None:
    program = make_program(db, institution="Plain Fav")
    user, _ = _applicant(client, db)
    favourites.star_program(db, user.id, program.id)
    page = client.get("/programs/favourites", params={"w_size": 11})
    assert page.status_code == 422 and "<strong>w_size" in page.text
    assert "Plain Fav" in page.text and "/ 100" not in page.text


def test_an_applicant_sees_only_their_own_favourites(client: TestClient, db: Session) -> None:
    program = make_program(db, institution="Someone Else's Fav")
    other = make_user(db, [(None, Role.APPLICANT)])
    favourites.star_program(db, other.id, program.id)
    _applicant(client, db)
    assert "Someone Else" not in client.get("/programs/favourites").text


def test_stars_show_in_results_and_on_the_program_page_for_applicants_only(
    client: TestClient, db: Session
) -> None:
    programs = _seven(db)
    anonymous = client.get(PAGE, params={"track": TRACK})
    assert "Add to favourites" not in anonymous.text
    assert "Add to favourites" not in client.get(f"/programs/{programs[0].id}").text
    user, _ = _applicant(client, db)
    favourites.star_program(db, user.id, programs[0].id)
    results = client.get(PAGE, params={"track": TRACK})
    assert results.text.count("Add to favourites") == 6
    assert results.text.count("Remove from favourites") == 1
    profile = client.get(f"/programs/{programs[0].id}")
    assert (
        "Remove from favourites" in profile.text and 'href="/programs/favourites"' in profile.text
    )


def test_favourites_are_unique_in_the_database(db: Session) -> None:
    program = make_program(db)
    user = make_user(db, [(None, Role.APPLICANT)])
    db.add(ProgramFavourite(applicant_user_id=user.id, program_id=program.id))
    db.flush()
    with pytest.raises(IntegrityError), db.begin_nested():
        db.add(ProgramFavourite(applicant_user_id=user.id, program_id=program.id))
        db.flush()


def test_favourites_go_when_the_program_goes(db: Session) -> None:
    program = make_program(db)
    user = make_user(db, [(None, Role.APPLICANT)])
    favourites.star_program(db, user.id, program.id)
    db.delete(program)
    db.flush()
    db.expire_all()
    assert favourites.list_favourites(db, user.id) == []
