"""The audiences of the authorization matrix, spelled as the matrix compares them.

``kind:roles`` where kind is ``program`` (roles in the path's program; admins pass),
``self`` (roles in the path's program; admins do not pass), ``global`` (a global role;
admins pass) or ``selfglobal`` (a global role; admins do not pass).
"""

PUBLIC, SIGNED_IN, ADMIN = "public", "signed_in", "admin"
MANAGERS = "program:program_coordinator,program_director"
DIRECTOR = "program:program_director"
MEMBERS = "program:faculty,fellow,nurse,pharmacist,physical_therapist,program_coordinator,program_director,psychologist"  # noqa: E501
REVIEWERS = "program:faculty,program_coordinator,program_director"
OWN_FELLOW = "self:fellow"  # program-scoped, and not even a platform admin may act as the fellow
SUPERVISORS = "self:faculty,program_director"  # the supervisor named on an entry, never an admin
APPLICANTS = "global:applicant"  # any applicant; admins pass
OWN_APPLICANT = "selfglobal:applicant"  # an applicant acting on their own records; never an admin
