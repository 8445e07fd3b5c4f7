"""Who is calling: the user, their roles per program, and their session."""

from __future__ import annotations

from dataclasses import dataclass

from painfellow.accounts.roles import Role


@dataclass(frozen=True)
class Principal:
    user_id: int
    email: str
    full_name: str
    roles: frozenset[tuple[int | None, Role]]
    csrf_token: str
    session_kind: str  # "browser" | "api"

    @property
    def is_admin(self) -> bool:
        return (None, Role.PLATFORM_ADMIN) in self.roles

    def has_role(self, role: Role, program_id: int | None = None) -> bool:
        return (program_id, role) in self.roles

    def roles_in(self, program_id: int) -> frozenset[Role]:
        return frozenset(role for pid, role in self.roles if pid == program_id)

    def global_roles(self) -> frozenset[Role]:
        return frozenset(role for pid, role in self.roles if pid is None)

    def program_ids(self) -> frozenset[int]:
        return frozenset(pid for pid, _ in self.roles if pid is not None)
