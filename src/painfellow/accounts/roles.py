"""Roles a person can hold, and which of them belong to a program."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    PROGRAM_DIRECTOR = "program_director"
    PROGRAM_COORDINATOR = "program_coordinator"
    FACULTY = "faculty"
    FELLOW = "fellow"
    APPLICANT = "applicant"
    LETTER_WRITER = "letter_writer"
    PHYSICAL_THERAPIST = "physical_therapist"
    PSYCHOLOGIST = "psychologist"
    NURSE = "nurse"
    PHARMACIST = "pharmacist"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def is_program_role(self) -> bool:
        return self not in GLOBAL_ROLES


GLOBAL_ROLES = frozenset({Role.PLATFORM_ADMIN, Role.APPLICANT, Role.LETTER_WRITER})
STAFF_ROLES = frozenset({Role.PHYSICAL_THERAPIST, Role.PSYCHOLOGIST, Role.NURSE, Role.PHARMACIST})
PROGRAM_MANAGERS = frozenset({Role.PROGRAM_DIRECTOR, Role.PROGRAM_COORDINATOR})
