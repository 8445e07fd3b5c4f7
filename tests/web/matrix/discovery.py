"""Program discovery: comparing programs is public; favourites belong to the applicant alone."""

from tests.web.authz_specs import OWN_APPLICANT, PUBLIC

ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/programs/compare"): PUBLIC,
    ("GET", "/programs/map/states.svg"): PUBLIC,
    ("GET", "/programs/favourites"): OWN_APPLICANT,
    ("POST", "/programs/{program_id}/favourite"): OWN_APPLICANT,
    ("POST", "/programs/{program_id}/unfavourite"): OWN_APPLICANT,
}
