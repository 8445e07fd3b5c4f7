"""Interview routes: program pages for the program's managers/reviewers/supervisors, the
applicant's own invitations for that applicant only, the calendar feed by its secret."""

from tests.web.authz_specs import (
    MANAGERS,
    OWN_APPLICANT,
    PUBLIC,
    REVIEWERS,
    SIGNED_IN,
    SUPERVISORS,
)

ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/programs/{program_id}/interviews"): MANAGERS,
    ("POST", "/programs/{program_id}/interviews/settings"): MANAGERS,
    ("POST", "/programs/{program_id}/interviews/days"): MANAGERS,
    ("POST", "/programs/{program_id}/interviews/days/{day_id}/slots"): MANAGERS,
    ("POST", "/programs/{program_id}/interviews/invitations"): MANAGERS,
    ("POST", "/programs/{program_id}/interviews/assignment"): MANAGERS,
    ("GET", "/programs/{program_id}/interviews/days/{day_id}"): REVIEWERS,
    ("GET", "/programs/{program_id}/interviews/evaluations"): SUPERVISORS,
    ("POST", "/programs/{program_id}/interviews/evaluations/{applicant_user_id}"): SUPERVISORS,
    ("GET", "/interviews"): OWN_APPLICANT,
    ("GET", "/interviews/invitations/{invitation_id}"): OWN_APPLICANT,
    ("POST", "/interviews/invitations/{invitation_id}/booking"): OWN_APPLICANT,
    ("POST", "/interviews/invitations/{invitation_id}/cancel"): OWN_APPLICANT,
    ("POST", "/interviews/invitations/{invitation_id}/waitlist"): OWN_APPLICANT,
    ("POST", "/interviews/invitations/{invitation_id}/waitlist/leave"): OWN_APPLICANT,
    ("POST", "/interviews/invitations/{invitation_id}/ranking"): OWN_APPLICANT,
    ("GET", "/interviews/invitations/{invitation_id}/booking.ics"): OWN_APPLICANT,
    ("GET", "/interviews/invitations/{invitation_id}/itinerary"): OWN_APPLICANT,
    ("POST", "/api/v1/interviews/invitations/{invitation_id}/booking"): OWN_APPLICANT,
    ("GET", "/interviews/calendar"): SIGNED_IN,
    ("POST", "/interviews/calendar"): SIGNED_IN,
    ("GET", "/interviews/calendar/{token}.ics"): PUBLIC,
}
