"""The audiences routes are declared for, defined once. The rules are in painfellow.web.authz.

A route takes one of these as its ``caller`` parameter, e.g. ``caller: ProgramManager``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from painfellow.accounts.roles import GLOBAL_ROLES, Role
from painfellow.web.authz import Caller, PendingCaller, allow, in_route

PUBLIC = allow("public")
SIGNED_IN = allow("signed_in")
PLATFORM_ADMIN = allow("global_roles", Role.PLATFORM_ADMIN)
PROGRAM_MANAGERS = allow("program_roles", Role.PROGRAM_DIRECTOR, Role.PROGRAM_COORDINATOR)
PROGRAM_DIRECTOR = allow("program_roles", Role.PROGRAM_DIRECTOR)
PROGRAM_MEMBERS = allow("program_roles", *(r for r in Role if r not in GLOBAL_ROLES))
PROGRAM_REVIEWERS = allow(
    "program_roles", Role.PROGRAM_DIRECTOR, Role.PROGRAM_COORDINATOR, Role.FACULTY
)
APPLICANTS = allow("global_roles", Role.APPLICANT)
# An applicant's own records (documents, letters' status, bookings): not even an admin acts
# as the applicant, and a waived letter stays out of every applicant route.
OWN_APPLICANT = allow("global_roles", Role.APPLICANT, admin=False)
# A fellow's own records: only that fellow acts on them, not even a platform admin.
OWN_FELLOW = allow("program_roles", Role.FELLOW, admin=False)
# Supervisors named on case-log entries verify them; an admin supervises nothing.
CASE_SUPERVISORS = allow("program_roles", Role.FACULTY, Role.PROGRAM_DIRECTOR, admin=False)
# Faculty and the director evaluate fellows in their own name; an admin evaluates nobody.
EVALUATORS = allow("program_roles", Role.FACULTY, Role.PROGRAM_DIRECTOR, admin=False)
# Evaluations of fellows are read by the fellow, their authors and the program's managers
# (the service narrows each reader to what is theirs); other staff do not read them.
EVALUATION_READERS = allow(
    "program_roles", Role.FELLOW, Role.FACULTY, Role.PROGRAM_DIRECTOR, Role.PROGRAM_COORDINATOR
)

Public = Annotated[Caller, Depends(PUBLIC)]
SignedIn = Annotated[Caller, Depends(SIGNED_IN)]
AdminOnly = Annotated[Caller, Depends(PLATFORM_ADMIN)]
ProgramManager = Annotated[Caller, Depends(PROGRAM_MANAGERS)]
ProgramDirector = Annotated[Caller, Depends(PROGRAM_DIRECTOR)]
ProgramReviewer = Annotated[Caller, Depends(PROGRAM_REVIEWERS)]
Applicant = Annotated[Caller, Depends(APPLICANTS)]
OwnApplicant = Annotated[Caller, Depends(OWN_APPLICANT)]
# The same audience for an API route that checks it inside its one threadpool call.
OwnApplicantInRoute = Annotated[PendingCaller, Depends(in_route(OWN_APPLICANT))]
ProgramMember = Annotated[Caller, Depends(PROGRAM_MEMBERS)]
OwnFellow = Annotated[Caller, Depends(OWN_FELLOW)]
CaseSupervisor = Annotated[Caller, Depends(CASE_SUPERVISORS)]
Evaluator = Annotated[Caller, Depends(EVALUATORS)]
EvaluationReader = Annotated[Caller, Depends(EVALUATION_READERS)]
