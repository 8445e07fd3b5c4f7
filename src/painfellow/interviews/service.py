"""Interviews: the services the routes and other domains call (one module to import).

Sub-modules: ``invitations`` (invite), ``setup`` (settings, days, slots), ``booking`` (book,
cancel, reschedule, waitlist), ``ranking`` (race-free mode), ``calendar`` (.ics and feeds),
``evaluations`` (faculty scores), ``views`` (pages' reads).
"""

from __future__ import annotations

from painfellow.interviews.booking import (
    BookingOutcome,
    answer_from_read,
    book,
    cancel,
    join_waitlist,
    leave_waitlist,
    program_settings,
)
from painfellow.interviews.calendar import booking_ics, feed_ics, has_feed, issue_feed_token
from painfellow.interviews.evaluations import interviewee, interviewees, save_evaluation
from painfellow.interviews.invitations import invitation_url, invite
from painfellow.interviews.ranking import run_assignment, save_ranking, window_open
from painfellow.interviews.setup import (
    add_slot,
    create_day,
    days_with_slots,
    invitation_rows,
    invite_by_emails,
    save_settings,
    waitlist_size,
)
from painfellow.interviews.views import (
    applicant_itinerary,
    invitation_view,
    my_invitations,
    staff_itinerary,
)

__all__ = [
    "BookingOutcome",
    "add_slot",
    "answer_from_read",
    "applicant_itinerary",
    "book",
    "booking_ics",
    "cancel",
    "create_day",
    "days_with_slots",
    "feed_ics",
    "has_feed",
    "interviewee",
    "interviewees",
    "invitation_rows",
    "invitation_url",
    "invitation_view",
    "invite",
    "invite_by_emails",
    "issue_feed_token",
    "join_waitlist",
    "leave_waitlist",
    "my_invitations",
    "program_settings",
    "run_assignment",
    "save_evaluation",
    "save_ranking",
    "save_settings",
    "staff_itinerary",
    "waitlist_size",
    "window_open",
]
