from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from painfellow.db.engine import make_engine
from painfellow.db.migrate import downgrade, upgrade
from painfellow.db.models import Base


def test_migrations_match_the_models(migrated_engine: Engine) -> None:
    with migrated_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_downgrade_and_upgrade_round_trip(scratch_database_url: str) -> None:
    upgrade(scratch_database_url)
    downgrade(scratch_database_url, "base")
    engine = make_engine(scratch_database_url)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(scratch_database_url)
    assert {"users", "programs", "audit_entries"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_every_constraint_is_named(migrated_engine: Engine) -> None:
    inspector = inspect(migrated_engine)
    for table in Base.metadata.sorted_tables:
        for fk in inspector.get_foreign_keys(table.name):
            assert fk["name"], f"unnamed foreign key on {table.name}"
        for unique in inspector.get_unique_constraints(table.name):
            assert unique["name"], f"unnamed unique constraint on {table.name}"
