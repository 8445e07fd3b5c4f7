"""Authorization rows for evaluations of fellows.

Managers keep the forms; faculty and the director evaluate in their own name (never a
platform admin); the fellow, authors and managers read (the service narrows each reader to
their own evaluations). Other staff of the program read none.
"""

from tests.web.authz_specs import MANAGERS

EVALUATORS = "self:faculty,program_director"
READERS = "program:faculty,fellow,program_coordinator,program_director"

ROUTES: dict[tuple[str, str], str] = {
    ("GET", "/programs/{program_id}/evaluations"): READERS,
    ("GET", "/programs/{program_id}/evaluations/{evaluation_id}"): READERS,
    ("GET", "/programs/{program_id}/evaluations/new"): EVALUATORS,
    ("POST", "/programs/{program_id}/evaluations"): EVALUATORS,
    ("GET", "/programs/{program_id}/evaluations/forms"): MANAGERS,
    ("POST", "/programs/{program_id}/evaluations/forms"): MANAGERS,
    ("POST", "/programs/{program_id}/evaluations/forms/{form_id}/items"): MANAGERS,
    ("POST", "/programs/{program_id}/evaluations/forms/{form_id}/items/{item_id}/delete"): MANAGERS,
    ("POST", "/programs/{program_id}/evaluations/forms/{form_id}/retire"): MANAGERS,
}
