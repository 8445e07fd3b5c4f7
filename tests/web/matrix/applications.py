"""Applications: the applicant's own pages, the writer's signed link, the program's review."""

from tests.web.authz_specs import MANAGERS, OWN_APPLICANT, PUBLIC, REVIEWERS

ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/applicant/profile"): OWN_APPLICANT,
    ("POST", "/applicant/profile"): OWN_APPLICANT,
    ("GET", "/applicant/documents"): OWN_APPLICANT,
    ("POST", "/applicant/documents"): OWN_APPLICANT,
    ("GET", "/applicant/documents/{document_id}"): OWN_APPLICANT,
    ("GET", "/applicant/letters"): OWN_APPLICANT,
    ("POST", "/applicant/letters"): OWN_APPLICANT,
    ("POST", "/applicant/letters/{letter_id}/resend"): OWN_APPLICANT,
    ("GET", "/applicant/letters/{letter_id}"): OWN_APPLICANT,
    ("GET", "/applicant/applications"): OWN_APPLICANT,
    ("POST", "/applicant/applications"): OWN_APPLICANT,
    ("GET", "/applicant/applications/{application_id}"): OWN_APPLICANT,
    ("POST", "/applicant/applications/{application_id}"): OWN_APPLICANT,
    ("POST", "/applicant/applications/{application_id}/submit"): OWN_APPLICANT,
    ("GET", "/applicant/applications/{application_id}/receipt"): OWN_APPLICANT,
    # the signed link is the writer's only credential: no account, and no other request
    ("GET", "/letters/{token}"): PUBLIC,
    ("POST", "/letters/{token}"): PUBLIC,
}
ROUTES.update(
    {
        ("GET", "/programs/{program_id}/applications"): REVIEWERS,
        ("GET", "/programs/{program_id}/applications/export.csv"): REVIEWERS,
        ("POST", "/programs/{program_id}/applications/status"): REVIEWERS,
        ("GET", "/programs/{program_id}/applications/settings"): MANAGERS,
        ("POST", "/programs/{program_id}/applications/settings"): MANAGERS,
        ("POST", "/programs/{program_id}/applications/rubric"): MANAGERS,
        ("GET", "/programs/{program_id}/applications/{application_id}"): REVIEWERS,
        ("POST", "/programs/{program_id}/applications/{application_id}/scores"): REVIEWERS,
        ("POST", "/programs/{program_id}/applications/{application_id}/notes"): REVIEWERS,
        (
            "GET",
            "/programs/{program_id}/applications/{application_id}/documents/{document_id}",
        ): REVIEWERS,
        (
            "GET",
            "/programs/{program_id}/applications/{application_id}/letters/{letter_id}",
        ): REVIEWERS,
    }
)
