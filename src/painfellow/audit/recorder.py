"""Writes an audit entry for every insert, update and delete of an audited model.

Hooked into the session factory, so no service can forget it, and the entries are written on
the same connection, inside the same transaction, as the change they describe. The acting
user comes from ``session.info["actor"]``, set by the web layer or the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import get_history

from painfellow.audit.models import AuditEntry
from painfellow.db.base import utcnow

NOT_AUDITED_TABLES = frozenset(
    {"audit_entries", "auth_sessions", "login_throttle", "outbox_messages", "password_resets"}
)
SECRET_COLUMNS = frozenset({"password_hash", "token_hash"})
NOISE_COLUMNS = frozenset({"version", "updated_at", "created_at"})


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    label: str


SYSTEM_ACTOR = Actor(user_id=None, label="system")


class AuditLogIsAppendOnly(RuntimeError):
    pass


def set_actor(session: Session, actor: Actor) -> None:
    session.info["actor"] = actor


def install_audit_recorder(factory: sessionmaker[Session]) -> None:
    event.listen(factory, "before_flush", _refuse_audit_edits)
    event.listen(factory, "after_flush", _record_changes)


def _refuse_audit_edits(session: Session, _context: Any, _instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEntry):
            raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted")


def _record_changes(session: Session, _context: Any) -> None:
    actor: Actor = session.info.get("actor", SYSTEM_ACTOR)
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            table = getattr(obj, "__tablename__", None)
            if table is None or table in NOT_AUDITED_TABLES:
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            rows.append(
                {
                    "at": now,
                    "actor_user_id": actor.user_id,
                    "actor_label": actor.label,
                    "program_id": _program_id(obj),
                    "entity": table,
                    "entity_id": _entity_id(obj),
                    "action": action,
                    "changes": changes,
                }
            )
    if rows:
        session.connection().execute(insert(AuditEntry), rows)


def _entity_id(obj: Any) -> str:
    # From the primary-key attributes, not the identity key: after a flush a new row has its
    # id, but the session gives it an identity key only after the flush's hooks have run.
    key = inspect(obj).mapper.primary_key_from_instance(obj)
    return ",".join(str(v) for v in key if v is not None)


def _changes(obj: Any, action: str) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    for column in inspect(obj).mapper.column_attrs:
        key = column.key
        if key in NOISE_COLUMNS:
            continue
        history = get_history(obj, key)
        if action == "update":
            if not history.has_changes():
                continue
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
        elif action == "create":
            before, after = None, getattr(obj, key)
        else:
            before, after = getattr(obj, key), None
        if key in SECRET_COLUMNS:
            before, after = ("***" if before else None), ("***" if after else None)
        if before != after:
            changes[key] = [_plain(before), _plain(after)]
    return changes


def _program_id(obj: Any) -> int | None:
    if getattr(obj, "__tablename__", None) == "programs":
        value = obj.id
    else:
        value = getattr(obj, "program_id", None)
    return value if isinstance(value, int) else None


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | dict | str | int | float | bool) or value is None:
        return value
    return str(value)
