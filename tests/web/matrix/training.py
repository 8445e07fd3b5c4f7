"""Authorization rows for the training additions (duty hours, case log, schedules)."""

from tests.web.authz_specs import MANAGERS, MEMBERS, OWN_FELLOW

ROUTES: dict[tuple[str, str], str] = {
    # duty hours: a fellow confirms their own week; managers set the program's calendar
    ("POST", "/programs/{program_id}/duty-hours/confirm-week"): OWN_FELLOW,
    ("POST", "/programs/{program_id}/duty-hours/calendar"): MANAGERS,
    # case log: a fellow's own favourites; managers read any fellow's credentialing PDF
    ("POST", "/programs/{program_id}/case-log/favourites"): OWN_FELLOW,
    ("GET", "/programs/{program_id}/case-log/fellows/{fellow_id}/report.pdf"): MANAGERS,
    # schedules: managers edit and delete rotations; fellows enter their own requests
    ("GET", "/programs/{program_id}/schedule/rotations/{rotation_id}/edit"): MANAGERS,
    ("POST", "/programs/{program_id}/schedule/rotations/{rotation_id}"): MANAGERS,
    ("POST", "/programs/{program_id}/schedule/rotations/{rotation_id}/delete"): MANAGERS,
    ("POST", "/programs/{program_id}/schedule/mine/requests"): OWN_FELLOW,
    ("POST", "/programs/{program_id}/schedule/mine/requests/{request_id}/delete"): OWN_FELLOW,
    # JSON API: a fellow lists and creates their own case-log entries; every member of the
    # program reads the schedule (as on the grid page)
    ("GET", "/api/v1/programs/{program_id}/case-log/entries"): OWN_FELLOW,
    ("POST", "/api/v1/programs/{program_id}/case-log/entries"): OWN_FELLOW,
    ("GET", "/api/v1/programs/{program_id}/schedule"): MEMBERS,
}
