"""Every route of the applications domain, for ``painfellow.web.app``."""

from __future__ import annotations

from fastapi import APIRouter

from painfellow.applications.routes_applicant import router as applicant
from painfellow.applications.routes_letters import router as letters
from painfellow.applications.routes_review import router as review

router = APIRouter()
router.include_router(applicant)
router.include_router(letters)
router.include_router(review)
