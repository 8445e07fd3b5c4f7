"""Authorization rows of the match season (rank order lists, runs, release)."""

from tests.web.authz_specs import ADMIN, DIRECTOR, MANAGERS, OWN_APPLICANT, REVIEWERS

ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/match"): OWN_APPLICANT,
    ("POST", "/match/ranks"): OWN_APPLICANT,
    ("POST", "/match/ranks/{ranked_program_id}/move"): OWN_APPLICANT,
    ("POST", "/match/ranks/{ranked_program_id}/remove"): OWN_APPLICANT,
    ("POST", "/match/certify"): OWN_APPLICANT,
    ("POST", "/match/reopen"): OWN_APPLICANT,
    ("GET", "/programs/{program_id}/match"): REVIEWERS,
    ("POST", "/programs/{program_id}/match/quota"): MANAGERS,
    ("POST", "/programs/{program_id}/match/ranks"): DIRECTOR,
    ("POST", "/programs/{program_id}/match/ranks/{applicant_user_id}/move"): DIRECTOR,
    ("POST", "/programs/{program_id}/match/ranks/{applicant_user_id}/remove"): DIRECTOR,
    ("POST", "/programs/{program_id}/match/certify"): DIRECTOR,
    ("POST", "/programs/{program_id}/match/reopen"): DIRECTOR,
    ("GET", "/admin/match"): ADMIN,
    ("POST", "/admin/match/seasons"): ADMIN,
    ("GET", "/admin/match/seasons/{season_id}"): ADMIN,
    ("POST", "/admin/match/seasons/{season_id}"): ADMIN,
    ("POST", "/admin/match/seasons/{season_id}/run"): ADMIN,
    ("GET", "/admin/match/runs/{run_id}"): ADMIN,
    ("POST", "/admin/match/runs/{run_id}/reproduce"): ADMIN,
    ("POST", "/admin/match/runs/{run_id}/approve"): ADMIN,
    ("GET", "/admin/match/runs/{run_id}/snapshot.json"): ADMIN,
}
