"""Account forms and views."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from painfellow.accounts.roles import Role

Password = Annotated[str, Field(min_length=1, max_length=256)]


class SignInForm(BaseModel):
    model_config = ConfigDict(extra="ignore")
    email: Annotated[str, Field(min_length=3, max_length=254)]
    password: Password
    next: str = "/dashboard"


class PasswordChangeForm(BaseModel):
    model_config = ConfigDict(extra="ignore")
    current_password: Password
    new_password: Password


class PasswordResetRequestForm(BaseModel):
    model_config = ConfigDict(extra="ignore")
    email: Annotated[str, Field(min_length=3, max_length=254)]


class PasswordResetForm(BaseModel):
    model_config = ConfigDict(extra="ignore")
    new_password: Password


class RoleGrant(BaseModel):
    model_config = ConfigDict(extra="forbid")
    role: Role
    program_id: int | None = None


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: Annotated[str, Field(min_length=3, max_length=254)]
    full_name: Annotated[str, Field(min_length=1, max_length=200)]
    password: Password
    roles: Annotated[list[RoleGrant], Field(max_length=50)] = []


class RoleView(BaseModel):
    role: Role
    program_id: int | None


class MeView(BaseModel):
    id: int
    email: str
    full_name: str
    roles: list[RoleView]


class TokenView(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


def safe_next(target: str) -> str:
    """Only same-site paths may follow sign-in (no open redirect)."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/dashboard"
